// `unblame/codemirror`: a CodeMirror 6 extension that lints the document with unblame.
//
// Thin by contract: the findings come from the WebAssembly core with UTF-16 offsets,
// which are CodeMirror positions as they are. This file only turns findings into
// @codemirror/lint diagnostics (clamped to the document), suggestions into actions,
// and optionally runs the linter in a Web Worker.
import { linter } from "@codemirror/lint";
import { ViewPlugin } from "@codemirror/view";
import init, { Linter } from "../pkg/web/unblame.js";

/** Clamps a finding's range to the document so a diagnostic never points past the end. */
export function clampRange(start, end, length) {
  const from = Math.max(0, Math.min(start | 0, length));
  const to = Math.max(from, Math.min(end | 0, length));
  return { from, to };
}

/**
 * Turns one finding into a @codemirror/lint Diagnostic. Suggestions become actions;
 * each applies its own edit at its offset relative to the finding, so it lands in the
 * right place even after CodeMirror has mapped the diagnostic through later edits.
 */
export function findingToDiagnostic(f, docLength) {
  const { from, to } = clampRange(f.start, f.end, docLength);
  const actions = f.suggestions.map((s) => ({
    name: s.replacement === "" ? "Delete" : `→ ${s.replacement}`,
    apply(view, dFrom) {
      const len = view.state.doc.length;
      const at = clampRange(dFrom + (s.start - f.start), dFrom + (s.end - f.start), len);
      view.dispatch({
        changes: { from: at.from, to: at.to, insert: s.replacement },
        selection: { anchor: at.from + s.replacement.length },
        userEvent: "input.unblame",
      });
    },
  }));
  return {
    from,
    to,
    severity: f.severity,
    source: f.rule,
    message: f.message,
    markClass: `cm-unblame-${f.category}`,
    renderMessage() {
      const box = document.createElement("div");
      box.className = "cm-unblame-message";
      const head = document.createElement("div");
      head.className = "cm-unblame-head";
      head.textContent = f.message;
      const help = document.createElement("div");
      help.className = "cm-unblame-help";
      help.textContent = f.help;
      box.append(head, help); // the rule id is shown by @codemirror/lint as the source
      for (const s of f.suggestions) {
        const d = document.createElement("div");
        d.className = "cm-unblame-suggestion";
        d.textContent = `${s.safe ? "Safe fix" : "Suggestion"}: ${s.description}`;
        box.append(d);
      }
      return box;
    },
    actions,
  };
}

/** Turns a report into diagnostics for a document of `docLength` UTF-16 units. */
export function reportToDiagnostics(report, docLength) {
  return report.findings.map((f) => findingToDiagnostic(f, docLength));
}

function workerLinter(worker, config) {
  // A Worker passed in belongs to the caller: never terminated here. One made here from a
  // URL (or `true`) is started on first use and stopped when its last editor is destroyed.
  const given = typeof Worker !== "undefined" && worker instanceof Worker;
  let w = null;
  let ready = null;
  let generation = 0;
  let seq = 0;
  const pending = new Map();
  const onMessage = (e) => {
    const { id, report, error, ms } = e.data;
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (error) p.reject(new Error(error));
    else p.resolve({ report, ms });
  };
  const onError = (e) => {
    // The worker script failed (load error, uncaught exception): fail what is waiting.
    e.preventDefault?.();
    const err = new Error(`unblame worker failed: ${e.message ?? "unknown error"}`);
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const call = (type, payload) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      w.postMessage({ id, type, ...payload });
    });
  const start = () => {
    w = given ? worker : new Worker(worker === true ? new URL("./worker.js", import.meta.url) : worker, { type: "module" });
    w.addEventListener("message", onMessage);
    w.addEventListener("error", onError);
    ready = call("init", { config: config ?? null });
  };
  return {
    get ready() {
      return ready;
    },
    /** `{report, ms}`, or `null` when the engine was released before the lint finished. */
    async lint(text) {
      if (!w) start();
      const gen = generation;
      if ((await ready) === null || gen !== generation) return null;
      return call("lint", { text });
    },
    /** No editor uses the engine any more: settle what is pending and stop the worker. */
    release() {
      if (!w) return;
      generation++;
      for (const p of pending.values()) p.resolve(null);
      pending.clear();
      w.removeEventListener("message", onMessage);
      w.removeEventListener("error", onError);
      if (!given) w.terminate();
      w = null;
      ready = null;
    },
    terminate() {
      this.release();
    },
  };
}

function localLinter(config, wasm) {
  let l = null;
  const ready = init(wasm === undefined ? undefined : { module_or_path: wasm }).then(() => {
    l = new Linter(config ?? null);
  });
  return {
    ready,
    async lint(text) {
      await ready;
      const t0 = performance.now();
      const report = l.lint(text);
      return { report, ms: performance.now() - t0 };
    },
    fix: async (text, unsafe) => (await ready, l.fix(text, unsafe ?? false)),
    release() {},
  };
}

/**
 * The CodeMirror 6 extension.
 *
 * @param {import("../pkg/web/unblame.js").Config} [config] the keys of unblame.toml
 * @param {object} [options]
 * @param {number} [options.delay=300] debounce in ms after the last keystroke
 * @param {boolean|string|URL|Worker} [options.worker] run the linter in a Web Worker
 *   (`true` for the bundled `worker.js`, a URL of a worker script, or a Worker)
 * @param {string|URL|Response|WebAssembly.Module} [options.wasm] where to load the .wasm
 *   from, when the bundler does not resolve the default URL (main-thread mode)
 * @param {(report, ms) => void} [options.onReport] called after every lint
 */
export function unblameLint(config, options = {}) {
  const engine = options.worker ? workerLinter(options.worker, config) : localLinter(config, options.wasm);
  // The editors using this extension: a lint that finishes after its editor was destroyed
  // is dropped (no onReport, no diagnostics), and the worker stops with the last editor.
  const views = new Set();
  const lifecycle = ViewPlugin.define((view) => {
    views.add(view);
    return {
      destroy() {
        views.delete(view);
        if (views.size === 0) engine.release();
      },
    };
  });
  const source = async (view) => {
    const doc = view.state.doc;
    const result = await engine.lint(doc.toString());
    if (!result || !views.has(view)) return [];
    const { report, ms } = result;
    if (options.onReport) options.onReport(report, ms, view);
    return reportToDiagnostics(report, doc.length);
  };
  return [
    lifecycle,
    linter(source, { delay: options.delay ?? 300, needsRefresh: options.needsRefresh }),
  ];
}

export { Linter, init };
