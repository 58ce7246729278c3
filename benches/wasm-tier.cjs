// How long V8 runs the WASM lint on its baseline compiler (Liftoff) before the optimised
// code (TurboFan) takes over: 200 lints of a document in a fresh process, medians of lints
// 1-20, 21-40 and 101-200 (each lint's text differs by a trailing character or two, as
// keystrokes would).
//
//   node benches/wasm-tier.cjs wasm/pkg/node/unblame.cjs DOC.md
//
// `scripts/test-wasm.sh --build-only` builds `wasm/pkg/node`. Not part of CI (figures,
// not assertions).
const fs = require("fs");
const path = require("path");

const [pkg, doc] = process.argv.slice(2);
if (!pkg || !doc) {
  console.error("usage: node benches/wasm-tier.cjs PKG.cjs DOC.md");
  process.exit(2);
}
const unblame = require(path.resolve(pkg));
const text = fs.readFileSync(doc, "utf8");
const linter = new unblame.Linter();
const times = [];
for (let i = 0; i < 200; i++) {
  const a = performance.now();
  linter.lint(text + "x".repeat(i % 3));
  times.push(performance.now() - a);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1].toFixed(2);
};
console.log(`${doc}: first lint ${times[0].toFixed(1)} ms; medians: lints 1-20 ${median(times.slice(0, 20))} ms, 21-40 ${median(times.slice(20, 40))} ms, 101-200 ${median(times.slice(100))} ms`);
