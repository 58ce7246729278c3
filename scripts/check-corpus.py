#!/usr/bin/env python3
"""Score the release CLI on the development corpus and the held-out sets, and fail when
any figure drops below the floor recorded in tests/corpus-floor.json.

    scripts/check-corpus.py [--cli target/release/unblame] [--update]

--update rewrites the floor with the current figures (only ever raise it).
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVALUATE = os.path.join(ROOT, "..", "shared", "corpus", "evaluate.py")
SETS = {
    "dev": os.path.join(ROOT, "..", "shared", "corpus"),
    "heldout": os.path.join(ROOT, "tests", "heldout"),
    "heldout2": os.path.join(ROOT, "tests", "heldout2"),
}
FLOOR = os.path.join(ROOT, "tests", "corpus-floor.json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "unblame"))
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(EVALUATE):
        print(f"check-corpus: {EVALUATE} not found (the shared corpus sits beside the repo); skipped")
        return 0
    got = {}
    for name, path in SETS.items():
        out = subprocess.run([sys.executable, EVALUATE, "--cli", args.cli, "--corpus", path, "--json"],
                             capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stdout, out.stderr)
            return 1
        print(f"== {name}")
        print("\n".join(l for l in out.stdout.splitlines() if not l.startswith("{")))
        got[name] = json.loads(out.stdout.strip().splitlines()[-1])
    floor = json.load(open(FLOOR)) if os.path.exists(FLOOR) else {}
    if args.update:
        json.dump(got, open(FLOOR, "w"), indent=2, sort_keys=True)
        print(f"check-corpus: floor written to {FLOOR}")
        return 0
    failures = []
    for name, figures in floor.items():
        for part, values in figures.items():
            if isinstance(values, dict):
                for key, want in values.items():
                    have = got.get(name, {}).get(part, {}).get(key, 0)
                    if have + 1e-9 < want:
                        failures.append(f"{name} {part} {key}: {have} < floor {want}")
            elif got.get(name, {}).get(part, 0) + 1e-9 < values:
                failures.append(f"{name} {part}: {got.get(name, {}).get(part)} < floor {values}")
    passed = sum(len(v) if isinstance(v, dict) else 1 for f in floor.values() for v in f.values()) - len(failures)
    for f in failures:
        print("check-corpus: FAILED", f)
    print(f"corpus: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
