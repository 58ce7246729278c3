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

// ---------------------------------------------------------------- robustness

// The core's MAX_DOCUMENT_BYTES: the largest document, in UTF-8 bytes.
const LIMIT = 64 * 1024 * 1024;

test("lone surrogates: findings keep valid UTF-16 offsets and exact slices", () => {
  const linter = new Linter();
  const cases = [
    "\uD83D Dana should have checked the lag.", // lone high surrogate first
    "Dana should have checked the lag. \uDE00", // lone low surrogate last
    "\uDE00\uD83D Ana carelessly ran it; 😀 Dana should have known. \uD800",
    "😀\uD83D😀 human error \uDFFF😀 the engineer broke prod",
  ];
  for (const text of cases) {
    for (const report of [check(text), linter.lint(text)]) {
      assert.ok(report.findings.length > 0, `${JSON.stringify(text)}: ${JSON.stringify(report)}`);
      for (const f of report.findings) {
        for (const [a, b] of [[f.start, f.end], ...f.suggestions.map((s) => [s.start, s.end])]) {
          assert.ok(Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a <= b && b <= text.length, `${a}..${b} in ${text.length}`);
          // Never between the two halves of a real pair.
          for (const i of [a, b]) {
            const hi = text.charCodeAt(i - 1), lo = text.charCodeAt(i);
            assert.ok(!(hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff), `offset ${i} splits a surrogate pair`);
          }
        }
      }
      // The flagged words themselves contain no surrogate, so they slice exactly.
      assertSlices(text, report);
    }
  }
  // The fix keeps everything it does not change, lone surrogates aside (they become U+FFFD
  // on the way into WebAssembly, one UTF-16 unit for one).
  const text = "\uD83D Ana carelessly ran the migration.";
  assert.equal(linter.fix(text), "\uFFFD Ana ran the migration.");
  linter.free();
});

test("wrong argument types throw TypeErrors, and the module keeps working", () => {
  const linter = new Linter();
  const bad = [null, undefined, 0, 42, NaN, -1n, true, {}, { text: "x" }, [], ["x"], new String("x"), Symbol("x"), () => "x", new Uint8Array(3)];
  const describe = (v) => (typeof v === "symbol" ? v.toString() : typeof v === "bigint" ? `${v}n` : JSON.stringify(v) ?? String(v));
  for (const v of bad) {
    for (const [name, call] of [
      ["check", () => check(v)],
      ["check with config", () => check(v, { select: ["blame"] })],
      ["Linter.lint", () => linter.lint(v)],
      ["Linter.fix", () => linter.fix(v)],
    ]) {
      assert.throws(call, (e) => e instanceof Error && e.name === "TypeError" && /`text` must be a string, got /.test(e.message), `${name}(${describe(v)})`);
    }
  }
  for (const config of [1, "yes", [], { structure: {} }, { select: [1] }]) {
    assert.throws(() => check("x", config), (e) => e instanceof Error && ["TypeError", "ConfigError"].includes(e.name), `config ${describe(config)}`);
  }
  // No panic poisoned the instance: everything still works afterwards.
  const text = "😀 Dana should have checked the lag.";
  assertSlices(text, check(text));
  assert.ok(linter.lint(text).findings.length > 0);
  linter.free();
});

test("a document over the core's size limit throws a RangeError; a large one works", () => {
  const linter = new Linter();
  const huge = "a".repeat(LIMIT + 1);
  for (const [name, call] of [
    ["check", () => check(huge)],
    ["Linter.lint", () => linter.lint(huge)],
    ["Linter.fix", () => linter.fix(huge)],
  ]) {
    assert.throws(call, (e) => e instanceof RangeError && /too large to lint: 67108865 bytes, the limit is 67108864 bytes/.test(e.message) && e.message.startsWith(name), name);
  }
  // The limit counts UTF-8 bytes: 32 Mi + 1 "é" is 64 MiB + 2 bytes in fewer UTF-16 units.
  assert.throws(() => check("é".repeat(LIMIT / 2 + 1)), (e) => e instanceof RangeError && /67108866 bytes/.test(e.message));
  // 8 MB with astral characters: exact offsets to the end.
  const unit = "😀 Dana should have checked the lag.\n";
  const big = unit.repeat(Math.ceil((8 * 1024 * 1024) / Buffer.byteLength(unit)));
  const report = linter.lint(big);
  const should = report.findings.filter((f) => f.rule === "counterfactual/should-have");
  assert.equal(should.length, big.length / unit.length);
  const last = should.at(-1);
  assert.equal(big.slice(last.start, last.end), last.text);
  assert.equal(last.start, big.length - unit.length + unit.indexOf("should"));
  linter.free();
});
