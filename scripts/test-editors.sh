#!/usr/bin/env bash
# Editor and pipeline integrations, tried as a user would:
#   1. Neovim's built-in LSP client against `unblame lsp` (tests/e2e/nvim-lsp.sh);
#   2. the pre-commit hooks of .pre-commit-hooks.yaml with the `pre-commit` package
#      (`pre-commit try-repo` on scratch git repositories: a blameful postmortem fails,
#      a clean one passes), for both the build-from-source and the installed-binary hook.
# The LSP protocol tests themselves are Rust tests (cli/tests/lsp.rs, in `cargo test`).
# Installs what it needs: Debian's neovim, a .venv with pre-commit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TERM_COLOR=never

step() { printf '\n== %s\n' "$*"; }

step "build the CLI (debug)"
cargo build -q -p unblame-cli

step "Neovim end to end (unblame lsp)"
tests/e2e/nvim-lsp.sh

step "pre-commit hooks"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c 'import pre_commit' 2>/dev/null; then
  .venv/bin/pip install -q pre-commit
fi
PRE_COMMIT="$ROOT/.venv/bin/pre-commit"
"$PRE_COMMIT" --version

# try-repo runs what HEAD has (a dirty tree would be copied into a shadow commit,
# together with other people's half-done edits): pin the ref.
REF=$(git rev-parse HEAD)
if ! git cat-file -e "$REF:.pre-commit-hooks.yaml" 2>/dev/null; then
  echo "FAIL: .pre-commit-hooks.yaml is not committed at HEAD" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Keep pre-commit's clones and cache out of the user's ~/.cache; share one cargo target
# directory between the clones so the release build happens once.
export PRE_COMMIT_HOME="$work/pre-commit-home"
# The dev profile builds much faster than the hook's default release profile.
export CARGO_TARGET_DIR="$ROOT/target"  # reuse the dependencies cargo test already built
export UNBLAME_HOOK_PROFILE=dev

scratch() { # scratch NAME TEXT: a git repository with postmortems/NAME.md and a code file
  local dir="$work/$1"
  mkdir -p "$dir/postmortems"
  git -C "$dir" init -q
  printf '%s\n' "$2" >"$dir/postmortems/$1.md"
  # Not Markdown or plain text: the hook must not lint it.
  printf '// The engineer should have checked.\nfn main() {}\n' >"$dir/main.rs"
  git -C "$dir" add -A
  echo "$dir"
}

expect_run() { # expect_run WANT(0|1) DIR HOOK [PATH prefix]
  local want=$1 dir=$2 hook=$3 status=0
  (cd "$dir" && "$PRE_COMMIT" try-repo "$ROOT" "$hook" --ref "$REF" --all-files --color never) \
    >"$work/out.txt" 2>&1 || status=$?
  sed 's/^/    /' "$work/out.txt"
  if [ "$want" -eq 0 ] && [ "$status" -ne 0 ]; then
    echo "FAIL: hook $hook should pass on $(basename "$dir") (exit $status)" >&2; exit 1
  fi
  if [ "$want" -ne 0 ] && [ "$status" -eq 0 ]; then
    echo "FAIL: hook $hook should fail on $(basename "$dir")" >&2; exit 1
  fi
  if [ "$want" -ne 0 ] && ! grep -q 'counterfactual/should-have' "$work/out.txt"; then
    echo "FAIL: hook $hook output does not name the rule" >&2; exit 1
  fi
  if grep -q 'main.rs' "$work/out.txt"; then
    echo "FAIL: hook $hook linted main.rs" >&2; exit 1
  fi
  echo "ok: hook $hook on $(basename "$dir") exited $status"
}

blameful=$(scratch blameful "# Checkout outage

Dana should have checked the replica lag before the failover.")
clean=$(scratch clean "# Checkout outage

The deploy finished at 10:02 and the error rate recovered.")

echo "-- hook unblame (builds the CLI from source with cargo; the first run takes minutes)"
expect_run 1 "$blameful" unblame
expect_run 0 "$clean" unblame

echo "-- hook unblame-system (an unblame on PATH)"
PATH="$ROOT/target/debug:$PATH" expect_run 1 "$blameful" unblame-system
PATH="$ROOT/target/debug:$PATH" expect_run 0 "$clean" unblame-system

step "editor integrations passed"
