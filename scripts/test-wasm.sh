#!/usr/bin/env bash
# Builds and tests the WebAssembly binding, the npm package, the CodeMirror extension and
# the demo, from a fresh machine; idempotent and quick on re-run.
#   scripts/test-wasm.sh               setup + build + all tests
#   scripts/test-wasm.sh --build-only  setup + build (pkg/ and demo/dist/)
# Needs: rustup, cargo, node/npm; apt-get (root) if chromium is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BUILD_ONLY=0
[ "${1:-}" = "--build-only" ] && BUILD_ONLY=1
t0=$SECONDS
say() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - t0))"; }

say "setup"
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
WB=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WB" ]; then
  echo "installing wasm-bindgen-cli $WB (about 4 minutes)"
  # Not --locked: a locked dependency of the CLI is missing from the registry index here.
  cargo install wasm-bindgen-cli --version "$WB"
fi
if [ "$BUILD_ONLY" = 0 ] && ! [ -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# npm ci only when the lockfile changed since the last install.
LOCK_SUM=$(sha256sum wasm/package-lock.json | cut -d' ' -f1)
if [ "$(cat wasm/node_modules/.unblame-lock 2>/dev/null)" != "$LOCK_SUM" ]; then
  (cd wasm && npm ci --no-audit --no-fund)
  echo "$LOCK_SUM" > wasm/node_modules/.unblame-lock
fi

say "build wasm (profile wasm-release)"
cargo build -p unblame-wasm --target wasm32-unknown-unknown --profile wasm-release
RAW="$TARGET_DIR/wasm32-unknown-unknown/wasm-release/unblame_wasm.wasm"
STAMP=wasm/pkg/.stamp
if ! [ -f "$STAMP" ] || [ "$RAW" -nt "$STAMP" ] || [ "$0" -nt "$STAMP" ]; then
  rm -rf wasm/pkg
  wasm-bindgen "$RAW" --target web --out-dir wasm/pkg/web --out-name unblame
  wasm-bindgen "$RAW" --target nodejs --out-dir wasm/pkg/node --out-name unblame
  # The package is "type": "module"; the nodejs build is CommonJS.
  mv wasm/pkg/node/unblame.js wasm/pkg/node/unblame.cjs
  mv wasm/pkg/node/unblame.d.ts wasm/pkg/node/unblame.d.cts
  # The glue require()s the binding's JS snippets (wasm/src/lib.rs, `inline_js`), which
  # wasm-bindgen writes as ES modules: Node before 20.19 cannot require those, so they
  # become CommonJS (`export function f` -> `exports.f = function f`).
  if [ -d wasm/pkg/node/snippets ]; then
    find wasm/pkg/node/snippets -name '*.js' | while read -r f; do
      sed -E 's/^export function ([A-Za-z0-9_$]+)/exports.\1 = function \1/' "$f" > "${f%.js}.cjs"
      rm "$f"
      if grep -qE '^\s*(export|import)\b' "${f%.js}.cjs"; then
        echo "test-wasm.sh: ${f%.js}.cjs still has ES module syntax" >&2
        exit 1
      fi
    done
    sed -i -E 's#(snippets/[^`]*)\.js`#\1.cjs`#g' wasm/pkg/node/unblame.cjs
  fi
  WASM_OPT=wasm/node_modules/.bin/wasm-opt # npm binaryen; Debian's 108 breaks the externref table
  # Only the web build: size matters on a page, and wasm-opt takes minutes on 2 busy cores.
  for f in wasm/pkg/web/unblame_bg.wasm; do
    "$WASM_OPT" -O3 --strip-debug --strip-producers --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-simd "$f" -o "$f.opt"
    mv "$f.opt" "$f"
  done
  touch "$STAMP"
fi
SIZE=$(stat -c %s wasm/pkg/web/unblame_bg.wasm)
GZ=$(gzip -9 -c wasm/pkg/web/unblame_bg.wasm | wc -c)
echo "unblame_bg.wasm: $SIZE bytes raw, $GZ bytes gzip -9 (before wasm-opt: $(stat -c %s "$RAW") bytes)"

say "build demo"
(cd wasm && node demo/build.mjs)
[ "$BUILD_ONLY" = 1 ] && exit 0

say "test 1/3: wasm-bindgen-test under Node"
# No -q: wasm-bindgen-test-runner rejects --quiet.
# Profile wasm-test (Cargo.toml): no optimisation at all, which builds in 78 s from scratch
# against 195 s for the dev profile with its optimised dependencies.
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p unblame-wasm --target wasm32-unknown-unknown --profile wasm-test

say "test 2/3: Node tests of the built package (+ CLI cross-check)"
cargo build -p unblame-cli  # the debug CLI the Rust tests already built
# Without require() of ES modules where this Node can turn it off (it has it from 20.19):
# the package must load in the older Nodes it supports, whose require() cannot load them.
NO_REQUIRE_ESM=""
if node --no-experimental-require-module -e 0 2>/dev/null; then
  NO_REQUIRE_ESM="--no-experimental-require-module"
fi
(cd wasm && UNBLAME_CLI="$TARGET_DIR/debug/unblame" NODE_OPTIONS="$NO_REQUIRE_ESM" node --test test/package.test.mjs)

say "test 3/3: end-to-end in headless Chromium"
# The typical 10 KB postmortem of the native benchmarks (generator, seed 1), for the
# keystroke benchmark beside the blame-dense sample.
TYPICAL=$(mktemp --suffix=.md)
trap 'rm -f "$TYPICAL"' EXIT
cargo run -q -p unblame-benches --bin gen -- 10000 1 > "$TYPICAL"
(cd wasm && UNBLAME_TYPICAL_DOC="$TYPICAL" node test/e2e/run.mjs)
say "done"
