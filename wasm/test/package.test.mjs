// Node tests of the built npm package (run `scripts/test-wasm.sh` first, which builds pkg/).
// Imports the entry points by package name, as a user would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import init, { check, Linter, rules } from "unblame";
import * as nodeEntry from "unblame/node";
import * as web from "unblame/web";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");

function assertSlices(text, report) {
  for (const f of report.findings) {
    assert.equal(text.slice(f.start, f.end), f.text, `${f.rule} at ${f.start}..${f.end}`);
    for (const s of f.suggestions) assert.ok(s.start <= s.end && s.end <= text.length);
  }
}

test("entry points: unblame (node), unblame/node, unblame/web", async () => {
  await init();
  assert.equal(nodeEntry.check, check);
  web.initSync({ module: readFileSync(join(here, "..", "pkg", "web", "unblame_bg.wasm")) });
  const text = "😀 The engineer should have rolled back.";
  const a = check(text);
  const b = web.check(text);
  assert.deepEqual(a, b);
  assertSlices(text, a);
  const f = a.findings.find((f) => f.category === "counterfactual");
  assert.ok(f, JSON.stringify(a.findings));
  assert.equal(f.start, text.indexOf("should"));
  assert.equal(Object.getPrototypeOf(f), Object.prototype, "plain object");
  assert.equal(typeof f.data, "object");
});

test("Linter: lint, fix, rules; config", () => {
  const linter = new Linter({ select: ["judgment"] });
  const text = "事故 — the change was carelessly rushed; they should have waited.";
  const r = linter.lint(text);
  assertSlices(text, r);
  assert.ok(r.findings.length > 0 && r.findings.every((f) => f.category === "judgment"));
  assert.ok(!linter.fix(text).includes("carelessly"));
  assert.equal(typeof linter.fix(text, true), "string");
  const all = rules();
  assert.ok(all.some((r) => r.id === "structure/missing-section"));
  for (const r of all) for (const k of ["id", "category", "severity", "summary", "help", "flag", "pass", "fix"]) assert.ok(k in r, k);
  linter.free();
});

test("bad arguments throw Errors with clear messages", () => {
  assert.throws(() => check(42), { name: "TypeError", message: /`text` must be a string, got number/ });
  assert.throws(() => check(null), { message: /got null/ });
  assert.throws(() => check(), { message: /got undefined/ });
  assert.throws(() => check("x", { colour: 1 }), (e) => e instanceof Error && e.name === "ConfigError" && /^colour/.test(e.key) && /colour/.test(e.message));
  assert.throws(() => check("x", 5), { message: /`config` must be an object/ });
  assert.throws(() => new Linter({ select: ["nope"] }), { message: /select.*nope|nope.*select/ });
  assert.throws(() => new Linter().fix("x", "yes"), { message: /`unsafe` must be a boolean/ });
  assert.doesNotThrow(() => check("x", null));
});

// Cross-check with the CLI: same findings, structure and metrics after converting the CLI's
// UTF-8 byte offsets to UTF-16 here.
const cli = process.env.UNBLAME_CLI ? resolve(process.env.UNBLAME_CLI) : join(process.env.CARGO_TARGET_DIR ?? join(repo, "target"), "release", "unblame");
const files = [join(repo, "tests", "fixtures", "docs"), join(repo, "examples")].flatMap((d) =>
  readdirSync(d).filter((f) => /\.(md|markdown|txt)$/.test(f)).sort().map((f) => join(d, f)),
);

function byteToUtf16(text) {
  const buf = Buffer.from(text, "utf8");
  return (b) => buf.subarray(0, b).toString("utf8").length;
}

test("same findings as the CLI's JSON for every fixture and example", { skip: !existsSync(cli) && `no CLI at ${cli}` }, async (t) => {
  assert.ok(files.length > 5);
  for (const file of files) {
    await t.test(file.slice(repo.length + 1), () => {
      const text = readFileSync(file, "utf8");
      const run = spawnSync(cli, ["check", "--format", "json", "--structure", "on", file], { encoding: "utf8", cwd: repo });
      assert.ok(run.status === 0 || run.status === 1, run.stderr);
      const out = JSON.parse(run.stdout).files[0];
      const u16 = byteToUtf16(text);
      // `span` is a CLI-only extra (the same byte offsets, for the corpus scorer).
      const expected = out.findings.map(({ span, ...f }) => ({
        ...f,
        start: u16(f.start),
        end: u16(f.end),
        suggestions: f.suggestions.map((s) => ({ ...s, start: u16(s.start), end: u16(s.end) })),
      }));
      const got = check(text, { structure: "on" });
      assertSlices(text, got);
      assert.deepEqual(got.findings, expected);
      assert.deepEqual(got.structure, out.structure);
      assert.deepEqual(got.metrics, out.metrics);
    });
  }
});
