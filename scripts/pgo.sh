#!/usr/bin/env bash
# Profile-guided build of the CLI (and of the benchmarks): the lint's own code laid out and
# inlined for the branches real postmortems take. 11–23% faster per lint on the machine of
# docs/performance.md (Eighteenth round); the findings are the same, byte for byte.
#
#   scripts/pgo.sh build           # -> target/pgo/release/unblame
#   scripts/pgo.sh install [ARGS]  # cargo install --locked --path cli with the profile;
#                                  # ARGS go to cargo install, e.g. --root ~/.local
#   scripts/pgo.sh bench [ARGS]    # cargo bench -p unblame-benches with the profile; ARGS go
#                                  # to criterion, e.g. scripts/pgo.sh bench '^lint/'
#   scripts/pgo.sh profile         # only (re)make target/pgo/unblame.profdata
#
# The profile comes from an instrumented CLI and an instrumented training driver
# (benches/examples/pgo_train.rs) run over a training set the script writes: the bundled
# examples and generated postmortems whose seeds (1001 and up) no benchmark reads, so the
# benchmarks do not time the documents the build was trained on. Every command makes the
# profile afresh, so it always matches the sources it is used on. It needs
# `llvm-profdata` from the toolchain's `llvm-tools` component, which the script installs
# with rustup.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

out=target/pgo
profdata=$out/unblame.profdata

llvm_profdata() {
  local sysroot host tool
  sysroot=$(rustc --print sysroot)
  host=$(rustc -vV | sed -n 's/^host: //p')
  tool=$sysroot/lib/rustlib/$host/bin/llvm-profdata
  if [ ! -x "$tool" ]; then
    rustup component add llvm-tools >&2
  fi
  if [ ! -x "$tool" ]; then
    echo "pgo.sh: no llvm-profdata at $tool; install it with: rustup component add llvm-tools" >&2
    exit 1
  fi
  echo "$tool"
}

make_profile() {
  local tool train raw
  tool=$(llvm_profdata)
  train=$out/train
  raw=$out/raw
  rm -rf "$train" "$raw"
  mkdir -p "$train" "$raw"

  echo "pgo.sh: writing the training set to $train" >&2
  cargo build --release -q -p unblame-benches --bin gen
  cp examples/*.md "$train/"
  for seed in $(seq 1001 1040); do
    target/release/gen --one $((7000 + (seed % 4) * 1000)) "$seed" >"$train/one-$seed.md"
  done
  target/release/gen 1000000 1001 >"$train/long-1001.md"
  target/release/gen --plain 200000 1001 >"$train/plain-1001.md"

  # The CLI and the benchmarks build the core with different dependency features, so its
  # functions carry different symbol hashes in each: each is instrumented and trained on
  # its own, and the one profile holds both (each build finds its own names in it).
  echo "pgo.sh: building the instrumented CLI and training driver" >&2
  RUSTFLAGS="-Cprofile-generate=$PWD/$raw" \
    cargo build --release -q -p unblame-cli --target-dir "$out/instrumented"
  RUSTFLAGS="-Cprofile-generate=$PWD/$raw" \
    cargo build --release -q -p unblame-benches --example pgo_train --target-dir "$out/instrumented"

  echo "pgo.sh: training" >&2
  local cli=$out/instrumented/release/unblame
  local driver=$out/instrumented/release/examples/pgo_train
  for _ in 1 2 3; do
    # One thread: the instrumented counters are not atomic. Exit status 1 means findings.
    RAYON_NUM_THREADS=1 "$cli" check --format json "$train" >/dev/null || [ $? -eq 1 ]
  done
  RAYON_NUM_THREADS=1 "$cli" check --format human "$train"/one-100*.md >/dev/null || [ $? -eq 1 ]
  "$driver" "$train" 3 >/dev/null

  "$tool" merge -o "$profdata" "$raw"
  echo "pgo.sh: profile written to $profdata" >&2
}

use_flags() {
  echo "-Cprofile-use=$PWD/$profdata"
}

case "${1:-build}" in
  profile)
    make_profile
    ;;
  build)
    make_profile
    RUSTFLAGS="$(use_flags)" cargo build --release -p unblame-cli --target-dir "$out"
    echo "pgo.sh: built $out/release/unblame" >&2
    ;;
  install)
    shift || true
    make_profile
    RUSTFLAGS="$(use_flags)" cargo install --locked --path cli --target-dir "$out" "$@"
    ;;
  bench)
    shift || true
    make_profile
    RUSTFLAGS="$(use_flags)" cargo bench -p unblame-benches --bench lint --target-dir "$out" -- "$@"
    ;;
  *)
    echo "usage: scripts/pgo.sh [build | install [CARGO ARGS] | bench [CRITERION ARGS] | profile]" >&2
    exit 2
    ;;
esac
