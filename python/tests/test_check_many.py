"""check_many: same results as a loop, any iterable, clear errors, really parallel."""

from __future__ import annotations

import os
import threading
import time
from typing import Dict, Iterator, List

import pytest

import unblame

from conftest import corpus_docs, corpus_sentences


def _texts() -> List[str]:
    docs = [p.read_text(encoding="utf-8") for p in corpus_docs()]
    return docs + corpus_sentences()[:300] + ["", "Bob broke it. 😀"]


def test_equals_loop() -> None:
    texts = _texts()
    linter = unblame.Linter()
    many = linter.check_many(texts)
    assert len(many) == len(texts)
    for text, report in zip(texts, many):
        single = linter.check(text)
        assert report == single
        assert report.findings == single.findings
        assert report.structure == single.structure and report.metrics == single.metrics
        assert report.text == text
    assert unblame.check_many(texts) == many


def test_config_is_used() -> None:
    texts = ["Bob carelessly broke it.", "Dana should have known."]
    only = unblame.check_many(texts, {"select": ["judgment"]})
    assert all(f.category == "judgment" for r in only for f in r)
    with pytest.raises(unblame.ConfigError):
        unblame.check_many(texts, {"nope": True})


def test_any_iterable() -> None:
    def gen() -> Iterator[str]:
        yield "Bob should have checked."
        yield "All good here."

    assert [len(r) for r in unblame.check_many(gen())] == [1, 0]
    assert len(unblame.check_many(("a", "b"))) == 2
    assert unblame.check_many([]) == []
    assert unblame.check_many(iter([])) == []


def test_non_str_item_names_index() -> None:
    with pytest.raises(TypeError, match=r"item 2 is int"):
        unblame.check_many(["a", "b", 3])
    with pytest.raises(TypeError, match=r"item 0 is bytes"):
        unblame.check_many([b"x"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        unblame.check_many(42)  # type: ignore[arg-type]


def test_generator_error_propagates() -> None:
    def gen() -> Iterator[str]:
        yield "fine"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        unblame.check_many(gen())


def test_linter_shared_between_threads() -> None:
    linter = unblame.Linter()
    texts = _texts()
    expected = [r.findings for r in linter.check_many(texts)]
    errors: List[BaseException] = []

    def work() -> None:
        try:
            for _ in range(2):
                assert [linter.check(t).findings for t in texts] == expected
        except BaseException as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def _thread_cpu() -> Dict[str, float]:
    """CPU seconds per OS thread of this process (Linux /proc), keyed by thread id."""
    out: Dict[str, float] = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/schedstat") as fh:
                out[tid] = int(fh.read().split()[0]) / 1e9
        except OSError:
            pass
    return out


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs at least 2 cores")
def test_uses_more_than_one_core() -> None:
    base = [p.read_text(encoding="utf-8") for p in corpus_docs()]
    texts = [base[i % len(base)] + f"\n\nNote {i}: Bob should have checked.\n" for i in range(2000)]
    linter = unblame.Linter()
    linter.check_many(texts[:50])  # warm up the rayon pool
    best = 0.0
    busy_threads = 0
    for _ in range(4):  # the machine is shared: take the best of a few runs
        before = _thread_cpu() if os.path.isdir("/proc/self/task") else {}
        t0, c0 = time.perf_counter(), os.times()
        reports = linter.check_many(texts)
        wall = time.perf_counter() - t0
        c1 = os.times()
        after = _thread_cpu() if before else {}
        cpu = (c1.user - c0.user) + (c1.system - c0.system)
        best = max(best, cpu / wall)
        # threads that did at least 10% of the run's CPU work
        deltas = [after[t] - before.get(t, 0.0) for t in after]
        busy_threads = max(busy_threads, sum(1 for d in deltas if d > 0.1 * cpu))
        if best > 1.2:
            break
    assert len(reports) == len(texts)
    if best <= 1.2 and os.getloadavg()[0] > (os.cpu_count() or 1):
        # Other processes hold the cores (load average above the core count), so no
        # process can get 1.2 cores of wall time. Check instead that the work really was
        # spread over several OS threads (the rayon workers), with the GIL released.
        assert busy_threads >= 2, f"cpu/wall = {best:.2f} and only {busy_threads} busy thread(s)"
        pytest.xfail(f"machine overloaded (load {os.getloadavg()[0]:.1f}); cpu/wall = {best:.2f}, "
                     f"work spread over {busy_threads} threads")
    assert best > 1.2, f"cpu/wall = {best:.2f}: check_many did not run in parallel"
