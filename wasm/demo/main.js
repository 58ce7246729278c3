// The unblame demo: CodeMirror 6 + unblame/codemirror, a findings list grouped by
// category, the structure checklist and the incident metrics. No network beyond the
// page's own origin: the .wasm is served next to this bundle.
import { EditorView, basicSetup } from "codemirror";
import { forEachDiagnostic, openLintPanel } from "@codemirror/lint";
import init, { Linter } from "../pkg/web/unblame.js";
import { unblameLint } from "../codemirror/index.js";
import sample from "../../examples/search-outage-flawed.md";

const params = new URLSearchParams(location.search);
const useWorker = params.get("worker") === "1";
const wasmUrl = new URL("./unblame_bg.wasm", import.meta.url);
const $ = (id) => document.getElementById(id);

const state = { initMs: null, lints: 0, timings: [], report: null };
window.__unblame = state;

const CATEGORY_TITLES = {
  blame: "Blame", "human-error": "Human error", counterfactual: "Hindsight (counterfactuals)",
  judgment: "Judgment words", "root-cause": "Single root cause", punitive: "Punitive",
  "vague-action": "Vague action items", structure: "Structure", suppression: "Suppressions",
};

function renderFindings(report, view) {
  const box = $("findings");
  box.replaceChildren();
  box.classList.remove("muted");
  $("count").textContent = `(${report.findings.length})`;
  if (report.findings.length === 0) {
    box.textContent = "Nothing found. 🎉";
    return;
  }
  const groups = new Map();
  for (const f of report.findings) {
    if (!groups.has(f.category)) groups.set(f.category, []);
    groups.get(f.category).push(f);
  }
  for (const [cat, list] of groups) {
    const g = document.createElement("div");
    g.className = "group";
    g.dataset.category = cat;
    const h = document.createElement("h3");
    h.textContent = `${CATEGORY_TITLES[cat] ?? cat} · ${list.length}`;
    g.append(h);
    for (const f of list) {
      const d = document.createElement("div");
      d.className = `finding ${f.severity}`;
      d.title = f.help;
      const where = document.createElement("span");
      where.className = "where";
      where.textContent = `${f.line}:${f.column}`;
      d.append(where, document.createTextNode(f.message + " "));
      if (f.text && f.category !== "structure") {
        const q = document.createElement("q");
        q.textContent = f.text.length > 60 ? f.text.slice(0, 57) + "…" : f.text;
        d.append(q);
      }
      d.addEventListener("click", () => {
        const len = view.state.doc.length;
        const from = Math.min(f.start, len), to = Math.min(f.end, len);
        view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
        view.focus();
      });
      g.append(d);
    }
    box.append(g);
  }
}

const STRUCTURE_ROWS = [
  ["blameless_statement", "Blameless statement near the top", (v) => v === true],
  ["header_fields_missing", "Header fields complete", (v) => Array.isArray(v) && v.length === 0, (v) => (v && v.length ? `missing: ${v.join(", ")}` : "")],
  ["duration_mismatch", "Duration matches detected → resolved", (v) => v === false],
  ["summary_sentences", "Summary of 2–4 sentences", (v) => v >= 2 && v <= 4, (v) => `${v} sentences`],
  ["timeline_entries", "Timeline present", (v) => v > 0, (v) => `${v} entries`],
  ["timeline_utc", "Timeline in UTC", (v) => v === true],
  ["timeline_12h", "24-hour clock", (v) => v === false],
  ["timeline_out_of_order", "Timeline in order", (v) => v === false],
  ["contributing_factors", "3–7 contributing factors", (v) => v >= 3 && v <= 7, (v) => `${v}`],
  ["action_items", "Action items (1–10)", (v) => v >= 1 && v <= 10, (v) => `${v}`],
  ["action_items_missing_owner", "Every action has an owner", (v) => v === 0, (v) => `${v} without`],
  ["action_items_missing_date", "Every action has a date", (v) => v === 0, (v) => `${v} without`],
  ["action_items_missing_ticket", "Every action has a ticket", (v) => v === 0, (v) => `${v} without`],
  ["what_went_well", "What went well", (v) => v === true],
  ["days_to_write", "Written within 7 days", (v) => v <= 7, (v) => `${v} days`],
];

function renderStructure(structure) {
  const ul = $("structure");
  ul.replaceChildren();
  if (!structure) {
    ul.innerHTML = '<li class="muted">Structure checks did not run (not a postmortem?).</li>';
    return;
  }
  for (const [key, label, ok, detail] of STRUCTURE_ROWS) {
    const v = structure[key];
    const li = document.createElement("li");
    li.dataset.key = key;
    li.className = v === null || v === undefined ? "unk" : ok(v) ? "ok" : "bad";
    const extra = v === null || v === undefined ? "unknown" : detail ? detail(v) : "";
    li.textContent = label + (extra ? ` — ${extra}` : "");
    ul.append(li);
  }
}

function renderMetrics(metrics) {
  const t = $("metrics");
  t.replaceChildren();
  if (!metrics) {
    t.innerHTML = '<tr><td class="muted">No metrics.</td></tr>';
    return;
  }
  const min = (v) => (v === null || v === undefined ? "—" : `${v} min`);
  const rows = [
    ["Detected", metrics.detected ?? "—"], ["Resolved", metrics.resolved ?? "—"],
    ["Duration", min(metrics.duration_min)], ["Time to detect", min(metrics.time_to_detect_min)],
    ["Time to identify", min(metrics.time_to_identify_min)], ["Time to mitigate", min(metrics.time_to_mitigate_min)],
  ];
  for (const [k, v] of rows) {
    const tr = document.createElement("tr");
    const a = document.createElement("td"), b = document.createElement("td");
    a.textContent = k; b.textContent = v;
    tr.append(a, b);
    t.append(tr);
  }
}

async function main() {
  const t0 = performance.now();
  await init({ module_or_path: wasmUrl });
  const linter = new Linter();
  state.initMs = performance.now() - t0;

  const onReport = (report, ms, view) => {
    state.lints += 1;
    state.timings.push(ms);
    state.report = report;
    renderFindings(report, view);
    renderStructure(report.structure);
    renderMetrics(report.metrics);
    $("status").textContent = `${report.findings.length} findings · lint ${ms.toFixed(1)} ms · init ${state.initMs.toFixed(0)} ms${useWorker ? " · worker" : ""}`;
  };

  const view = new EditorView({
    doc: sample,
    parent: $("editor"),
    extensions: [
      basicSetup,
      EditorView.lineWrapping,
      unblameLint(null, {
        delay: Number(params.get("delay") ?? 300),
        onReport,
        ...(useWorker ? { worker: new URL("./worker.js", import.meta.url) } : { wasm: wasmUrl }),
      }),
    ],
  });
  state.view = view;
  state.linter = linter;
  // For the end-to-end tests: build more editors with the same extension.
  state.lab = { EditorView, basicSetup, unblameLint, wasmUrl, workerUrl: new URL("./worker.js", import.meta.url) };
  state.openLintPanel = () => openLintPanel(view);
  state.diagnostics = () => {
    const out = [];
    forEachDiagnostic(view.state, (d, from, to) =>
      out.push({ from, to, message: d.message, source: d.source, severity: d.severity, actions: (d.actions ?? []).map((a) => a.name) }),
    );
    return out;
  };
  state.setDoc = (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });

  const fixButton = $("fix-safe");
  fixButton.disabled = false;
  fixButton.addEventListener("click", () => {
    const text = view.state.doc.toString();
    const fixed = linter.fix(text, false);
    if (fixed !== text) view.dispatch({ changes: { from: 0, to: text.length, insert: fixed }, userEvent: "input.unblame.fix" });
  });
  state.ready = true;
}

main().catch((e) => {
  $("status").textContent = `failed: ${e.message}`;
  state.error = String(e);
  console.error(e);
});
