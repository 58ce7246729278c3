// Web Worker for `unblameLint(config, { worker: true })`: lints off the main thread so a
// huge document never blocks typing. Messages: {id, type: "init", config, wasm?} and
// {id, type: "lint", text}; replies {id, report, ms} or {id, error}.
import init, { Linter } from "../pkg/web/unblame.js";

let linter = null;

self.addEventListener("message", async (e) => {
  const { id, type } = e.data;
  try {
    if (type === "init") {
      await init(e.data.wasm ? { module_or_path: e.data.wasm } : undefined);
      linter = new Linter(e.data.config ?? null);
      self.postMessage({ id });
    } else if (type === "lint") {
      const t0 = performance.now();
      const report = linter.lint(e.data.text);
      self.postMessage({ id, report, ms: performance.now() - t0 });
    } else if (type === "fix") {
      self.postMessage({ id, text: linter.fix(e.data.text, !!e.data.unsafe) });
    }
  } catch (err) {
    self.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
});
