// The README's JavaScript-facing part (from "## TypeScript" to "## Rust") as
// code blocks, each with the heading it sits under: what readme.test.mjs
// compiles and loading.test.mjs runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./helpers.mjs";

/** The README text between "## TypeScript" and "## Rust". */
export function readmeSection() {
  const text = readFileSync(join(root, "README.md"), "utf8");
  const start = text.indexOf("\n## TypeScript\n");
  const end = text.indexOf("\n## Rust", start);
  if (start < 0 || end < 0) throw new Error('README.md has no "## TypeScript" … "## Rust" part');
  return text.slice(start, end);
}

/** Every fenced block of the part: {lang, code, heading} in order (indented fences too). */
export function readmeBlocks() {
  const blocks = [];
  let heading = "";
  let open = null;
  for (const line of readmeSection().split("\n")) {
    const fence = /^(\s*)```(\w*)\s*$/.exec(line);
    if (open) {
      if (fence && fence[1].length === open.indent) {
        blocks.push({ lang: open.lang, heading: open.heading, code: open.lines.join("\n") + "\n" });
        open = null;
      } else {
        open.lines.push(line.slice(Math.min(open.indent, line.length - line.trimStart().length)));
      }
    } else if (fence) {
      open = { lang: fence[2], indent: fence[1].length, heading, lines: [] };
    } else if (/^#{2,3} /.test(line)) {
      heading = line.replace(/^#+ /, "");
    }
  }
  if (open) throw new Error(`README: a code block under "${open.heading}" is not closed`);
  return blocks;
}

/** The one block of `lang` under `heading` whose code matches `pattern`. */
export function readmeBlock(heading, lang, pattern) {
  const found = readmeBlocks().filter((b) => b.heading === heading && b.lang === lang && pattern.test(b.code));
  if (found.length !== 1) throw new Error(`README: ${found.length} ${lang} blocks under "${heading}" match ${pattern}`);
  return found[0].code;
}
