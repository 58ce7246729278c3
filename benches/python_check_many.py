"""check_many's speed-up over a loop of check on 1,000 documents.

    .venv/bin/python benches/python_check_many.py [N]

Documents are the examples, the fixtures and the shared corpus docs, cycled with a
numbered sentence appended so no two are equal. Runs are interleaved, 5 rounds; prints the best of each and the median per-round ratio.
On a shared machine the figure depends on the load average, which is printed too.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import unblame

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    paths = sorted((ROOT / "examples").glob("*.md")) + sorted((ROOT / "tests" / "fixtures" / "docs").glob("*.md"))
    paths += sorted((ROOT.parent / "shared" / "corpus" / "docs").glob("*.md"))
    base = [p.read_text(encoding="utf-8") for p in paths]
    docs = [base[i % len(base)] + f"\n\nNote {i}: Bob should have checked the dashboard.\n" for i in range(n)]
    linter = unblame.Linter()
    linter.check_many(docs[:20])  # warm up

    def loop() -> float:
        t = time.perf_counter()
        for d in docs:
            linter.check(d)
        return time.perf_counter() - t

    def many() -> float:
        t = time.perf_counter()
        linter.check_many(docs)
        return time.perf_counter() - t

    # Interleave the runs so that load from other processes hits both alike.
    rounds = [(loop(), many()) for _ in range(5)]
    t_loop = min(r[0] for r in rounds)
    t_many = min(r[1] for r in rounds)
    ratios = sorted(r[0] / r[1] for r in rounds)
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{n} documents, {mb:.1f} MB, {os.cpu_count()} cores, load average {load:.1f}")
    print(f"loop of check: {t_loop:.3f} s ({n / t_loop:,.0f} docs/s)")
    print(f"check_many:    {t_many:.3f} s ({n / t_many:,.0f} docs/s)")
    print(f"speed-up:      {t_loop / t_many:.2f}x (best of 5 each; per-round median {ratios[2]:.2f}x)")


if __name__ == "__main__":
    main()
