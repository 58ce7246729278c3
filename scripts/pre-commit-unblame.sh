#!/usr/bin/env bash
# Entry of the `unblame` pre-commit hook (.pre-commit-hooks.yaml): builds the CLI of this
# checkout in release mode (a no-op after the first run; cargo's output goes to stderr)
# and runs it with the hook's arguments and the staged file names.
# CARGO_TARGET_DIR is honoured, so several checkouts can share one build directory, and
# UNBLAME_HOOK_PROFILE picks the cargo profile (default release; the tests use dev).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$here/target}"
profile="${UNBLAME_HOOK_PROFILE:-release}"
case "$profile" in
  dev) out=debug ;;
  *) out=$profile ;;
esac
if ! command -v cargo >/dev/null 2>&1; then
  echo "unblame pre-commit hook: cargo is not on PATH; install Rust (https://rustup.rs) or use the unblame-system hook" >&2
  exit 2
fi
cargo build --quiet --profile "$profile" --locked -p unblame-cli --manifest-path "$here/Cargo.toml" >&2 ||
  cargo build --quiet --profile "$profile" -p unblame-cli --manifest-path "$here/Cargo.toml" >&2
exec "$target/$out/unblame" "$@"
