// End-to-end test of the demo in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; no browser download). Serves demo/dist on 127.0.0.1 only.
// Prints "N passed, N failed" and benchmark figures. The hover screenshot goes to a temp
// file; `UNBLAME_SCREENSHOT=docs/demo.png node test/e2e/run.mjs` (from the repository
// root: an absolute path or one relative to it) refreshes the image in the docs.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { serve } from "../../demo/serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..", "..");
const screenshot = process.env.UNBLAME_SCREENSHOT
  ? (process.env.UNBLAME_SCREENSHOT.startsWith("/") ? process.env.UNBLAME_SCREENSHOT : join(repo, process.env.UNBLAME_SCREENSHOT))
  : join(tmpdir(), `unblame-demo-${process.pid}.png`);
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

const results = [];
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push([name, false]);
    console.log(`FAIL ${name}\n${e.stack ?? e}`);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

const server = await serve(0);
const base = `http://127.0.0.1:${server.address().port}/`;
const profile = mkdtempSync(join(tmpdir(), "unblame-e2e-"));
// UNBLAME_CHROMIUM_ARGS: extra Chromium flags for experiments, e.g.
// "--js-flags=--no-wasm-dynamic-tiering" (every WebAssembly function optimised up front).
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1360, height: 900 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", ...(process.env.UNBLAME_CHROMIUM_ARGS ?? "").split(" ").filter(Boolean)],
});
const figures = {};
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // Nothing but localhost: fail any other request.
  await page.route("**/*", (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));

  const load = async (query = "") => {
    await page.goto(base + query);
    await page.waitForFunction(() => window.__unblame && (window.__unblame.ready || window.__unblame.error) && window.__unblame.lints > 0, null, { timeout: 20000 });
    const err = await page.evaluate(() => window.__unblame.error);
    assert.equal(err, undefined, `page failed: ${err}`);
  };
  const lintsNow = () => page.evaluate(() => window.__unblame.lints);
  const waitLint = (n) => page.waitForFunction((n) => window.__unblame.lints > n, n, { timeout: 20000 });

  await step("demo loads, lints the sample and fills the panels", async () => {
    await load();
    figures.initMs = await page.evaluate(() => window.__unblame.initMs);
    const groups = await page.$$eval("#findings .group", (gs) => gs.map((g) => g.dataset.category));
    assert.ok(groups.includes("blame") && groups.includes("counterfactual") && groups.includes("structure"), groups.join());
    const checklist = await page.$$eval("#structure li", (ls) => ls.length);
    assert.ok(checklist >= 10);
    const metrics = await page.$eval("#metrics", (t) => t.textContent);
    assert.match(metrics, /Time to detect/);
    assert.deepEqual(errors, []);
  });

  const sentence = "The on-call engineer 😀 should have rolled back sooner.";
  let target;
  await step("typing a sentence with an emoji gives an exact diagnostic", async () => {
    const n = await lintsNow();
    await page.click(".cm-content");
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await page.keyboard.type(sentence);
    await waitLint(n);
    await page.waitForFunction(() => window.__unblame.view.state.doc.toString().endsWith("sooner."), null, { timeout: 5000 });
    // Wait until the lint of the final text has landed.
    await page.waitForFunction(
      () => window.__unblame.diagnostics().some((d) => d.source?.startsWith("counterfactual/") && d.from > window.__unblame.view.state.doc.length - 60),
      null,
      { timeout: 10000 },
    );
    const { doc, diags } = await page.evaluate(() => ({ doc: window.__unblame.view.state.doc.toString(), diags: window.__unblame.diagnostics() }));
    const lineStart = doc.length - sentence.length;
    const from = lineStart + sentence.indexOf("should have"); // UTF-16 position, after the emoji's surrogate pair
    target = diags.find((d) => d.from === from);
    assert.ok(target, `no diagnostic at ${from}: ${JSON.stringify(diags.slice(-4))}`);
    assert.equal(target.to, from + "should have".length);
    assert.equal(doc.slice(target.from, target.to), "should have");
    assert.equal(target.source, "counterfactual/should-have");
    assert.equal(target.severity, "warning");
    assert.equal(target.message, '"should have" judges a past action by its outcome');
    assert.ok(target.actions.length >= 1, "has a suggestion action");
    figures.diagnostic = { from: target.from, to: target.to, message: target.message, action: target.actions[0] };
  });

  await step("hover shows message, help and the action; screenshot for the docs", async () => {
    const box = await page.evaluate((pos) => {
      const v = window.__unblame.view;
      v.dispatch({ selection: { anchor: v.state.doc.length }, scrollIntoView: true });
      const c = v.coordsAtPos(pos + 3);
      return { x: c.left, y: (c.top + c.bottom) / 2 };
    }, target.from);
    await page.mouse.move(box.x, box.y);
    const tip = page.locator(".cm-tooltip-lint");
    await tip.waitFor({ timeout: 5000 });
    const tipText = await tip.textContent();
    assert.ok(tipText.includes(target.message), tipText);
    assert.ok(tipText.includes("Should have"), "help text in the tooltip: " + tipText);
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });
  });

  await step("the suggestion applies through the lint action", async () => {
    const before = await page.evaluate(() => window.__unblame.view.state.doc.toString());
    const button = page.locator(".cm-tooltip-lint .cm-diagnostic", { hasText: target.message }).locator("button").first();
    await button.click();
    const after = await page.evaluate(() => window.__unblame.view.state.doc.toString());
    const newLine = after.slice(after.lastIndexOf("\n") + 1);
    figures.applied = newLine;
    assert.notEqual(after, before);
    assert.equal(newLine, "The on-call engineer 😀 did not roll back sooner.");
    assert.equal(after.slice(0, after.length - newLine.length), before.slice(0, before.length - sentence.length));
  });

  await step("Fix all safe changes the document and keeps it linted", async () => {
    const n = await lintsNow();
    const before = await page.evaluate(() => window.__unblame.view.state.doc.toString());
    await page.click("#fix-safe");
    const after = await page.evaluate(() => window.__unblame.view.state.doc.toString());
    assert.ok(after.length <= before.length + 200);
    await waitLint(n);
  });

  // Benchmark: lint time per keystroke, measured in the page by the extension (wasm lint
  // plus the conversion to JS objects). Delay 0 so every keystroke lints once. V8 runs a
  // WebAssembly function on its baseline compiler (Liftoff) until it has done enough work
  // to be optimised (TurboFan) in the background, so the first keystrokes after loading
  // are slower than the rest: "cold" is the first quarter of the keystrokes, "warm" the
  // last half.
  const sample = readFileSync(join(repo, "examples", "search-outage-flawed.md"), "utf8");
  const makeDoc = (bytes) => {
    let s = "";
    while (Buffer.byteLength(s) < bytes) s += sample + "\n";
    return s;
  };
  // UNBLAME_TYPICAL_DOC (scripts/test-wasm.sh sets it): the generated typical 10 KB
  // postmortem the native benchmarks use, a realistic share of blame sentences.
  const benches = [["10KB", makeDoc(10 * 1024), 40], ["200KB", makeDoc(200 * 1024), 20]];
  if (process.env.UNBLAME_TYPICAL_DOC) benches.push(["10KB typical", readFileSync(process.env.UNBLAME_TYPICAL_DOC, "utf8"), 40]);
  for (const [label, doc, keys] of benches) {
    await step(`benchmark: lint per keystroke, ${label} document`, async () => {
      await load("?delay=0");
      let n = await lintsNow();
      await page.evaluate((t) => window.__unblame.setDoc(t), doc);
      await waitLint(n);
      await page.evaluate(() => window.__unblame.view.dispatch({ selection: { anchor: 200 } }));
      await page.click(".cm-content");
      const times = [];
      const latency = [];
      for (let i = 0; i < keys; i++) {
        n = await lintsNow();
        const t0 = Date.now();
        await page.keyboard.type("x");
        await waitLint(n);
        latency.push(Date.now() - t0);
        times.push(await page.evaluate(() => window.__unblame.timings.at(-1)));
      }
      const findings = await page.evaluate(() => window.__unblame.report.findings.length);
      figures[label] = {
        lintMedianMs: median(times),
        coldMedianMs: median(times.slice(0, keys / 4)),
        warmMedianMs: median(times.slice(keys / 2)),
        lintMaxMs: Math.max(...times),
        keyToDiagnosticsMedianMs: median(latency),
        findings,
        keystrokes: keys,
      };
    });
  }
  // The same documents linted by the page's own `Linter` in a loop, without the editor,
  // after enough warm-up lints for V8's optimising tier: the WASM lint alone, as
  // benches/wasm-node.cjs times it in Node.
  await step("benchmark: Linter.lint in the page, warmed up", async () => {
    await load();
    figures.direct = {};
    for (const [label, doc] of benches) {
      // The 200 KB document: fewer rounds (about 2 s in all), the same warm-up share.
      const [warm, runs] = label === "200KB" ? [60, 30] : [300, 150];
      const { times, findings } = await page.evaluate(([text, warm, runs]) => {
        const linter = window.__unblame.linter;
        for (let i = 0; i < warm; i++) linter.lint(text);
        const times = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          linter.lint(text);
          times.push(performance.now() - t0);
        }
        return { times, findings: linter.lint(text).findings.length };
      }, [doc, warm, runs]);
      figures.direct[label] = { medianMs: median(times), findings };
    }
  });
  await step("worker mode lints the 200KB document off the main thread", async () => {
    await load("?worker=1&delay=0");
    const n = await lintsNow();
    await page.evaluate((t) => window.__unblame.setDoc(t), makeDoc(200 * 1024));
    await waitLint(n);
    const diags = await page.evaluate(() => window.__unblame.diagnostics().length);
    assert.ok(diags > 100, `${diags}`);
    figures.worker200KBLintMs = await page.evaluate(() => window.__unblame.timings.at(-1));
  });
  await step("destroying an editor with a lint pending never throws, reports or leaks a worker", async () => {
    await load();
    const consoleErrors = [];
    const onConsole = (m) => m.type() === "error" && consoleErrors.push(m.text());
    page.on("console", onConsole);
    const workersBefore = page.workers().length;
    const out = await page.evaluate(async (big) => {
      const { EditorView, unblameLint, wasmUrl, workerUrl } = window.__unblame.lab;
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      const rejections = [];
      addEventListener("unhandledrejection", (e) => rejections.push(String(e.reason)));
      addEventListener("error", (e) => rejections.push(String(e.message)));
      const host = document.createElement("div");
      document.body.append(host);
      const log = { afterDestroy: [], reports: {} };
      const make = (name, ext, doc = "Dana should have checked the lag.") => {
        const view = new EditorView({ doc, parent: host, extensions: [ext] });
        return view;
      };
      const opts = (name, more) => ({
        ...more,
        onReport: (report, ms, view) => {
          log.reports[name] = (log.reports[name] ?? 0) + 1;
          if (view.__destroyed) log.afterDestroy.push(name);
        },
      });
      const destroy = (view) => {
        view.__destroyed = true;
        view.destroy();
      };
      // 1. Debounced, main thread: destroyed before the delay ends.
      const v1 = make("debounced", unblameLint(null, opts("debounced", { delay: 50, wasm: wasmUrl })));
      v1.dispatch({ changes: { from: 0, insert: "The engineer broke it. " } });
      destroy(v1);
      // 3. Worker, destroyed while the worker starts (init pending).
      const v3 = make("worker-init", unblameLint(null, opts("worker-init", { delay: 0, worker: workerUrl })), big);
      await sleep(5);
      destroy(v3);
      // 4. Worker, destroyed while a lint of a large document runs in the worker.
      const v4 = make("worker-lint", unblameLint(null, opts("worker-lint", { delay: 0, worker: workerUrl })));
      for (let i = 0; i < 400 && !log.reports["worker-lint"]; i++) await sleep(25);
      const firstReports = log.reports["worker-lint"];
      v4.dispatch({ changes: { from: 0, to: v4.state.doc.length, insert: big } });
      await sleep(30);
      destroy(v4);
      // A control editor lints the same document to the end: by then the destroyed
      // editors' lints have finished too.
      const control = make("control", unblameLint(null, opts("control", { delay: 0, worker: workerUrl })), big);
      for (let i = 0; i < 800 && !log.reports["control"]; i++) await sleep(25);
      destroy(control);
      // 5. One extension in two editors: destroying one leaves the other linting.
      const shared = unblameLint(null, opts("shared", { delay: 0, worker: workerUrl }));
      const a = make("shared", shared);
      const b = make("shared", shared);
      for (let i = 0; i < 400 && !log.reports["shared"]; i++) await sleep(25);
      destroy(a);
      const before = log.reports["shared"];
      b.dispatch({ changes: { from: 0, insert: "Bob carelessly ran it. " } });
      for (let i = 0; i < 400 && log.reports["shared"] === before; i++) await sleep(25);
      const sharedStillLints = log.reports["shared"] > before;
      destroy(b);
      await sleep(1500);
      host.remove();
      return { log, firstReports, sharedStillLints, rejections };
    }, makeDoc(400 * 1024));
    page.off("console", onConsole);
    assert.equal(out.firstReports, 1, "the worker editor linted before the test destroyed it");
    assert.equal(out.log.reports.control, 1, "the control editor linted the large document");
    assert.ok(out.sharedStillLints, "the other editor of a shared extension keeps linting");
    assert.deepEqual(out.log.afterDestroy, [], "no onReport after destroy");
    assert.deepEqual(out.rejections, []);
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(errors, []);
    // Workers the extension started are stopped with their last editor.
    for (let i = 0; i < 50 && page.workers().length > workersBefore; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(page.workers().length, workersBefore, "no worker left running");
  });
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}

const fmt = (x) => (typeof x === "number" ? x.toFixed(x < 10 ? 2 : 1) : x);
console.log("\nfigures (Chromium, this machine):");
console.log(`  init (fetch + compile + Linter construction): ${fmt(figures.initMs)} ms`);
for (const k of ["10KB", "200KB", "10KB typical"]) {
  const f = figures[k];
  if (f) console.log(`  ${k}: lint per keystroke median ${fmt(f.lintMedianMs)} ms (cold ${fmt(f.coldMedianMs)}, warm ${fmt(f.warmMedianMs)}, max ${fmt(f.lintMaxMs)}), keystroke→diagnostics median ${fmt(f.keyToDiagnosticsMedianMs)} ms, ${f.findings} findings, ${f.keystrokes} keystrokes`);
}
for (const [k, f] of Object.entries(figures.direct ?? {})) console.log(`  ${k}, Linter.lint in a loop after ${k === "200KB" ? 60 : 300} warm-up lints: median ${fmt(f.medianMs)} ms, ${f.findings} findings`);
if (figures.worker200KBLintMs !== undefined) console.log(`  200KB in the worker: ${fmt(figures.worker200KBLintMs)} ms per lint`);
const passed = results.filter((r) => r[1]).length;
console.log(`\n${passed} passed, ${results.length - passed} failed`);
process.exit(results.length === passed ? 0 : 1);
