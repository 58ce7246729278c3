// Times the WASM build's `Linter.lint` in Node (V8), the engine Chromium uses, without a
// browser: a few hundred warm-up lints so the optimising tier is in place, then the median.
//
//   node benches/wasm-node.cjs wasm/pkg/node/unblame.cjs DOC.md [DOC.md ...]
//
// `scripts/test-wasm.sh --build-only` builds `wasm/pkg/node`; `target/release/gen 10000 1`
// writes a generated postmortem. Not part of CI (figures, not assertions).
const fs = require("fs");
const path = require("path");

const [pkg, ...docs] = process.argv.slice(2);
if (!pkg || docs.length === 0) {
  console.error("usage: node benches/wasm-node.cjs PKG.cjs DOC.md [DOC.md ...]");
  process.exit(2);
}
const unblame = require(path.resolve(pkg));
const t0 = performance.now();
const linter = new unblame.Linter();
console.log(`new Linter: ${(performance.now() - t0).toFixed(1)} ms`);
for (const doc of docs) {
  const text = fs.readFileSync(doc, "utf8");
  const bytes = Buffer.byteLength(text);
  // About 3 seconds of warm-up on a 10 KB document, fewer rounds for larger ones.
  const warm = Math.max(20, Math.round(300 * 10000 / bytes));
  for (let i = 0; i < warm; i++) linter.lint(text);
  const n = Math.max(10, Math.round(warm / 2));
  const times = [];
  for (let i = 0; i < n; i++) {
    const a = performance.now();
    linter.lint(text);
    times.push(performance.now() - a);
  }
  times.sort((a, b) => a - b);
  const findings = linter.lint(text).findings.length;
  console.log(`${doc}: ${bytes} bytes, ${findings} findings, median ${times[n >> 1].toFixed(2)} ms over ${n} lints`);
}
