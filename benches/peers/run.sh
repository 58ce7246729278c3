#!/usr/bin/env bash
# Side-by-side timing of unblame and peer prose linters on the same generated postmortem.
# Not part of CI. One command from a clean checkout:
#
#     benches/peers/run.sh
#
# Installs into benches/peers/.scratch (gitignored): alex and write-good (npm), proselint
# (pip, in a venv), and Harper's CLI if `cargo install harper-cli` finishes within
# HARPER_TIMEOUT seconds (default 300; 0 skips it). Times every tool on the same 1 MB
# document with hyperfine when available (`apt-get install -y hyperfine` is tried),
# otherwise with a Python loop, and prints a Markdown table of medians and of ratios to
# unblame measured in the same run. Then: `unblame check` over a folder of 1,000 ~10 KB
# postmortems (all cores and one core), and peak RSS for 1 MB and 10 MB files.
#
# Environment: RUNS (peer runs, default 3), UNBLAME_RUNS (default 10), SIZE (default 1000000),
# HARPER_TIMEOUT (seconds, default 300).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
S="$ROOT/benches/peers/.scratch"
RUNS="${RUNS:-3}"
UNBLAME_RUNS="${UNBLAME_RUNS:-10}"
SIZE="${SIZE:-1000000}"
HARPER_TIMEOUT="${HARPER_TIMEOUT:-300}"
mkdir -p "$S"
cd "$ROOT"

log() { printf '== %s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------------------
if ! command -v hyperfine >/dev/null 2>&1; then
  log "hyperfine missing; trying apt-get (falls back to a Python timing loop)"
  (apt-get install -y -qq hyperfine >/dev/null 2>&1 || sudo -n apt-get install -y -qq hyperfine >/dev/null 2>&1) || true
fi
if [ ! -x /usr/bin/time ]; then
  (apt-get install -y -qq time >/dev/null 2>&1 || sudo -n apt-get install -y -qq time >/dev/null 2>&1) || true
fi

if [ ! -x "$S/npm/node_modules/.bin/alex" ] || [ ! -x "$S/npm/node_modules/.bin/write-good" ]; then
  log "npm install alex write-good"
  mkdir -p "$S/npm"
  npm install --prefix "$S/npm" --no-audit --no-fund --loglevel=error alex@11 write-good@1 >&2
fi
if [ ! -x "$S/venv/bin/proselint" ]; then
  log "pip install proselint (venv)"
  python3 -m venv "$S/venv"
  "$S/venv/bin/pip" install -q proselint >&2
fi
if [ ! -x "$S/harper/bin/harper-cli" ] && [ ! -e "$S/harper/skipped" ] && [ "$HARPER_TIMEOUT" != 0 ]; then
  log "cargo install harper-cli (at most ${HARPER_TIMEOUT}s)"
  mkdir -p "$S/harper"
  if ! timeout "$HARPER_TIMEOUT" cargo install -q harper-cli --root "$S/harper" >"$S/harper/install.log" 2>&1; then
    log "harper-cli did not install in time (see $S/harper/install.log); skipped"
    touch "$S/harper/skipped"
  fi
fi

log "cargo build --release (unblame CLI and the generator)"
cargo build -q --release -p unblame-cli -p unblame-benches --bin unblame --bin gen
GEN="$ROOT/target/release/gen"
UNBLAME="$ROOT/target/release/unblame"

# --- inputs ----------------------------------------------------------------------------
"$GEN" "$SIZE" > "$S/postmortem.md"
"$GEN" 10000000 > "$S/postmortem-10mb.md"
rm -rf "$S/folder" && "$GEN" --dir "$S/folder" 1000 10000

# proselint 0.16 has `proselint check FILE`; older releases take the file directly.
if "$S/venv/bin/proselint" check --help >/dev/null 2>&1; then PROSELINT="$S/venv/bin/proselint check"; else PROSELINT="$S/venv/bin/proselint"; fi

export S RUNS UNBLAME_RUNS UNBLAME PROSELINT
exec python3 - <<'PY'
import json, os, re, shutil, statistics, subprocess, sys, tempfile, time

S = os.environ["S"]
RUNS = int(os.environ["RUNS"])
UNBLAME_RUNS = int(os.environ["UNBLAME_RUNS"])
UNBLAME = os.environ["UNBLAME"]
doc = f"{S}/postmortem.md"
size = os.path.getsize(doc)

tools = [("unblame", f"{UNBLAME} check --format json {doc}", UNBLAME_RUNS)]
npm = f"{S}/npm/node_modules/.bin"
tools += [
    ("proselint", f"{os.environ['PROSELINT']} {doc}", RUNS),
    ("write-good", f"{npm}/write-good {doc}", RUNS),
    ("alex", f"{npm}/alex {doc}", RUNS),
]
if os.path.exists(f"{S}/harper/bin/harper-cli"):
    tools.append(("harper-cli", f"{S}/harper/bin/harper-cli lint {doc}", RUNS))

hyperfine = shutil.which("hyperfine")

def median(cmd, runs, env=None):
    """Median wall time in seconds of `cmd` (output discarded, exit code ignored)."""
    if hyperfine:
        out = tempfile.mktemp(suffix=".json")
        args = [hyperfine, "-N", "-i", "--style", "none", "--runs", str(runs), "--export-json", out]
        if runs >= 5:
            args += ["--warmup", "1"]
        subprocess.run(args + [cmd], check=True, stdout=subprocess.DEVNULL, env=env)
        with open(out) as f:
            return json.load(f)["results"][0]["median"]
    times = []
    if runs >= 5:
        subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - t)
    return statistics.median(times)

def peak_rss_mb(cmd):
    r = subprocess.run(["/usr/bin/time", "-v", "sh", "-c", cmd + " >/dev/null 2>&1"], capture_output=True, text=True)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    return int(m.group(1)) / 1024 if m else float("nan")

def fmt_s(t):
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"

cpu = "?"
with open("/proc/cpuinfo") as f:
    for line in f:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
print(f"Machine: {os.cpu_count()} logical CPUs ({cpu}); timer: {'hyperfine' if hyperfine else 'python loop'}; "
      f"runs: unblame {UNBLAME_RUNS}, peers {RUNS}; shared machine, so compare ratios, not absolute times.\n")

print(f"### One {size / 1e6:.2f} MB postmortem, whole process, medians\n")
print("| tool | median | MB/s | × unblame |")
print("|---|---:|---:|---:|")
base = None
for name, cmd, runs in tools:
    print(f"timing {name} ...", file=sys.stderr, flush=True)
    t = median(cmd, runs)
    base = base or t
    print(f"| {name} | {fmt_s(t)} | {size / 1e6 / t:.2f} | {t / base:,.0f}× |" if name != "unblame"
          else f"| {name} | {fmt_s(t)} | {size / 1e6 / t:.1f} | 1× |", flush=True)

folder = f"{S}/folder"
nfiles = len(os.listdir(folder))
fbytes = sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))
print(f"\n### Folder of {nfiles} postmortems ({fbytes / 1e6:.1f} MB), `unblame check --format json folder/`\n")
print("| threads | median | MB/s | files/s |")
print("|---|---:|---:|---:|")
for label, env in [(f"all ({os.cpu_count()})", None), ("1 (RAYON_NUM_THREADS=1)", dict(os.environ, RAYON_NUM_THREADS="1"))]:
    print(f"timing folder, {label} ...", file=sys.stderr, flush=True)
    t = median(f"{UNBLAME} check --format json {folder}", max(3, UNBLAME_RUNS // 2), env)
    print(f"| {label} | {fmt_s(t)} | {fbytes / 1e6 / t:.1f} | {nfiles / t:,.0f} |", flush=True)

print("\n### Peak memory (`/usr/bin/time -v`, maximum resident set size)\n")
print("| input | unblame check --format json |")
print("|---|---:|")
for label, path in [(f"{size / 1e6:.0f} MB", doc), ("10 MB", f"{S}/postmortem-10mb.md")]:
    print(f"| {label} | {peak_rss_mb(f'{UNBLAME} check --format json {path}'):.0f} MB |", flush=True)
PY
