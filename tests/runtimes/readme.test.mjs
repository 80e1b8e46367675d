// The README's TypeScript snippets compile against the built package with
// strict settings (exactOptionalPropertyTypes, noUncheckedIndexedAccess), for
// bundlers (DOM lib) and for Node (@types/node, no DOM lib); each section a
// user looks for has one. And the strict type checks of
// tests/runtimes/types/narrowing.ts (error kinds narrow, dates) hold.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { consumer, preflight, root } from "./helpers.mjs";
import { readmeBlocks } from "./readme-snippets.mjs";

let app;

const strict = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noFallthroughCasesInSwitch: false,
  skipLibCheck: false,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
};
const settings = {
  bundler: { ...strict, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
             lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], types: [] },
  node: { ...strict, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
          lib: ["lib.es2022.d.ts"], types: ["node"], typeRoots: [join(root, "node_modules/@types")] },
};

function compile(files, options) {
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${d.file?.fileName ?? ""}:${line} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  }).join("\n");
}

before(async () => {
  await preflight();
  app = consumer("readme");
});

// A snippet may use the `client` of the first example without making one.
const prelude = 'import type { ResellerClient as ReadmeClient } from "liveagent-reseller";\ndeclare const client: ReadmeClient;\n';

test("each section a TypeScript user looks for has a snippet", () => {
  const ts = readmeBlocks().filter((b) => b.lang === "ts");
  for (const heading of ["TypeScript", "Errors", "Retries and timeouts", "Watching calls", "Dates", "Bundlers"]) {
    assert.ok(ts.some((b) => b.heading === heading), `no ts block under "${heading}"`);
  }
  const errors = ts.find((b) => b.heading === "Errors").code;
  assert.match(errors, /switch \(error\.kind\)/);
  for (const kind of ["api", "network", "timeout", "aborted", "decode", "invalid_input"]) {
    assert.match(errors, new RegExp(`case "${kind}":`), `the switch has no case "${kind}"`);
  }
  const bundlers = readmeBlocks().filter((b) => b.heading === "Bundlers").map((b) => b.code).join("\n");
  for (const word of ["esbuild", "--format=iife", "<script", "liveagent_reseller_bg.wasm*"]) assert.ok(bundlers.includes(word), word);
  assert.match(readmeBlocks().filter((b) => b.heading === "Bundlers").map((b) => b.code).join(""), /liveagent-reseller\/inline/);
});

test("the README's TypeScript snippets compile strictly for bundlers and for Node", () => {
  const files = readmeBlocks().filter((b) => b.lang === "ts").map((block, i) => {
    const own = /\bconst client\b/.test(block.code);
    const file = join(app, `readme-${i}.mts`);
    writeFileSync(file, `${own ? "" : prelude}${block.code}export {};\n`);
    return file;
  });
  assert.ok(files.length >= 6, String(files.length));
  assert.equal(compile(files, settings.bundler), "");
  assert.equal(compile(files, settings.node), "");
});

test("strict types: kind narrows a LiveAgentError, dates have their types (types/narrowing.ts)", () => {
  const source = readFileSync(join(import.meta.dirname, "types/narrowing.ts"), "utf8");
  writeFileSync(join(app, "narrowing.ts"), source);
  writeFileSync(join(app, "narrowing.mts"), source);
  assert.equal(compile([join(app, "narrowing.ts")], settings.bundler), "");
  assert.equal(compile([join(app, "narrowing.mts")], settings.node), "");
  // The checks can fail: without its @ts-expect-error lines, the file does not compile.
  const marked = source.split("\n").filter((line) => line.includes("// @ts-expect-error")).length;
  assert.ok(marked >= 4, String(marked));
  writeFileSync(join(app, "narrowing-bare.ts"), source.replace(/\/\/ @ts-expect-error.*/g, "//"));
  const errors = compile([join(app, "narrowing-bare.ts")], settings.bundler).split("\n").filter(Boolean);
  assert.equal(errors.length, marked, errors.join("\n"));
});

// The README is the package's front page on npm too: from the tarball, a
// relative link leads nowhere, so each is absolute or an anchor of its own.
test("the README opens for users and its links work from the tarball", () => {
  const text = readFileSync(join(root, "README.md"), "utf8");
  const lines = text.split("\n");
  const at = (pattern) => lines.findIndex((line) => pattern.test(line));
  assert.ok(at(/npm install liveagent-reseller/) >= 0 && at(/npm install liveagent-reseller/) < at(/make demo/),
    "npm install comes before the contributors' commands");
  for (const command of [/^make demo\b/, /^make test\b/]) {
    const line = at(command);
    assert.ok(line >= 0 && line < 60, `${command} is not within the first 60 lines`);
  }
  const slug = (heading) => heading.trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");
  const anchors = new Set(lines.filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, ""))));
  const prose = text.replace(/```[\s\S]*?```/g, "");
  const broken = [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map(([, target]) => target)
    .filter((target) => !/^https?:\/\//.test(target) && !(target.startsWith("#") && anchors.has(target.slice(1))));
  assert.deepEqual(broken, [], "links that work only inside the repository (or anchors with no heading)");
});
