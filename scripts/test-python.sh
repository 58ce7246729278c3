#!/usr/bin/env bash
# Builds and tests the Python package (python/) in a repo-root .venv.
#
#   scripts/test-python.sh [pytest args...]
#
# Idempotent: the venv, the tools and the first `pip install ./python` happen once; later
# runs rebuild the release wheel incrementally (cargo) and reinstall it only if it changed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
VENV=$ROOT/.venv

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
if ! "$VENV/bin/python" -c 'import maturin, pytest, mypy, nbclient, nbformat, ipykernel, matplotlib' 2>/dev/null \
   || [ ! -x "$VENV/bin/maturin" ]; then
  "$VENV/bin/pip" install -q --disable-pip-version-check 'maturin>=1.9.4,<2' pytest mypy nbclient nbformat ipykernel matplotlib
fi

# Once per venv: the README's install path, exactly as a user runs it (PEP 517 build with
# maturin in an isolated environment).
STAMP=$VENV/.unblame-pip-install-ok
if [ ! -f "$STAMP" ]; then
  echo "== pip install ./python (first run in this venv)"
  "$VENV/bin/pip" install -q --disable-pip-version-check ./python
  (cd / && "$VENV/bin/python" -c "import unblame; print(unblame.check('Bob should have checked the config.').findings)")
  touch "$STAMP"
fi

# Every run: rebuild the release wheel from the current sources (incremental) and install
# it when it differs from the installed one.
echo "== maturin build --release"
rm -f python/unblame/*.so  # a stale `maturin develop` artefact must not shadow or leak into the wheel
WHEELS=$ROOT/target/wheels
rm -f "$WHEELS"/unblame-*.whl
"$VENV/bin/maturin" build --release -q -m python/Cargo.toml -i "$VENV/bin/python" -o "$WHEELS"
WHEEL=$(ls "$WHEELS"/unblame-*.whl)
SUM=$(sha256sum "$WHEEL" | cut -d' ' -f1)
if [ "$(cat "$VENV/.unblame-wheel-sha" 2>/dev/null)" != "$SUM" ]; then
  "$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"
  echo "$SUM" > "$VENV/.unblame-wheel-sha"
fi

# The CLI cross-check compares against the CLI binary (debug: the Rust tests built it already).
cargo build -q -p unblame-cli
export UNBLAME_CLI="${CARGO_TARGET_DIR:-$PWD/target}/debug/unblame"

echo "== pytest python/tests"
exec "$VENV/bin/python" -m pytest -q python/tests "$@"
