// Node entry of the `unblame` package: the wasm-bindgen `nodejs` build (CommonJS,
// which loads the .wasm synchronously) behind the same ES module API as the browser
// build, so `import init, { check } from "unblame"` works unchanged in both.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const wasm = require("../pkg/node/unblame.cjs");

export const { check, rules, Linter } = wasm;

/** Nothing to do in Node: the module is ready when imported. Kept for API parity. */
export default async function init() {
  return wasm;
}

/** Nothing to do in Node: the module is ready when imported. Kept for API parity. */
export function initSync() {
  return wasm;
}
