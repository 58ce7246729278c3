export * from "../pkg/web/unblame.js";
/** No-op in Node (the module is ready when imported); kept for parity with the browser build. */
export default function init(options?: unknown): Promise<unknown>;
/** No-op in Node; kept for parity with the browser build. */
export function initSync(options?: unknown): unknown;
