import type { Extension } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import type { Diagnostic } from "@codemirror/lint";
import type { Config, Finding, Report } from "../pkg/web/unblame.js";
export { Linter, default as init } from "../pkg/web/unblame.js";

export interface UnblameLintOptions {
  /** Debounce after the last keystroke, in ms (default 300). */
  delay?: number;
  /** Lint in a Web Worker: `true` for the package's worker.js, a worker script URL, or a Worker running it. */
  worker?: boolean | string | URL | Worker;
  /** Where to load the .wasm from in main-thread mode, when the bundler does not resolve the default URL. */
  wasm?: string | URL | Response | WebAssembly.Module;
  /** Called after every lint with the report (UTF-16 offsets) and the lint time in ms. */
  onReport?: (report: Report, ms: number, view: EditorView) => void;
  /** Passed to @codemirror/lint's `linter()`. */
  needsRefresh?: (update: import("@codemirror/view").ViewUpdate) => boolean;
}

/** The CodeMirror 6 extension: diagnostics with help in the tooltip and suggestions as actions. */
export function unblameLint(config?: Config | null, options?: UnblameLintOptions): Extension;
/** One finding as a @codemirror/lint Diagnostic, its range clamped to the document. */
export function findingToDiagnostic(finding: Finding, docLength: number): Diagnostic;
/** All findings of a report as diagnostics. */
export function reportToDiagnostics(report: Report, docLength: number): Diagnostic[];
/** Clamps [start, end) to [0, length]. */
export function clampRange(start: number, end: number, length: number): { from: number; to: number };
