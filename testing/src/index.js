// liveagent-reseller/testing: the sandbox in memory for users' tests.
export { createSandbox } from "./sandbox.js";
