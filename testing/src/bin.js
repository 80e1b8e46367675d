#!/usr/bin/env node
// bin/liveagent-reseller.mjs once bundled: the .wasm is one folder up.
import { main } from "./cli.js";

main(process.argv.slice(2), new URL("../sandbox_rules.wasm", import.meta.url)).then((code) => {
  if (code !== undefined) process.exitCode = code;
}, (error) => {
  process.stderr.write(`liveagent-reseller: ${error.message}\n`);
  process.exitCode = 1;
});
