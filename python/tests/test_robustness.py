"""Robustness of the binding: huge documents, the core's size limit, lone surrogates,
lazy and odd iterables. test_api.py and test_check_many.py cover the basic error cases
(a lone surrogate in check(), a non-str item in a list); these are the harder ones."""

from __future__ import annotations

import time
from typing import Iterator, List

import pytest

import unblame

# unblame::MAX_DOCUMENT_BYTES in the core: the largest document, in UTF-8 bytes.
LIMIT = 64 * 1024 * 1024

BLAMEFUL = "😀 Dana should have checked the replica lag; it was careless. Human error.\n"


def _assert_slices(text: str, report: unblame.Report) -> None:
    for f in report.findings:
        assert text[f.start : f.end] == f.text, (f.rule, f.start, f.end)
        for s in f.suggestions:
            assert f.start <= s.start <= s.end <= len(text)


def test_twenty_megabytes_with_astral_characters() -> None:
    unit = BLAMEFUL + "# Timeline\n\n- 10:02 — the 漢字 deploy finished.\n\n"
    text = unit * (20 * 1024 * 1024 // len(unit.encode("utf-8")) + 1)
    assert len(text.encode("utf-8")) > 20 * 1024 * 1024
    t0 = time.perf_counter()
    report = unblame.check(text, {"structure": "off"})
    elapsed = time.perf_counter() - t0
    findings = report.findings
    # Every copy of the sentence is flagged, and the last offsets are still exact:
    # code points, not bytes or UTF-16 units.
    copies = text.count(BLAMEFUL)
    assert len([f for f in findings if f.rule == "counterfactual/should-have"]) == copies
    _assert_slices(text, report)
    last = findings[-1]
    assert last.start > len(text) - len(unit)
    assert elapsed < 120, f"20 MB took {elapsed:.1f} s"


def test_over_the_limit_is_a_value_error_with_a_clear_message() -> None:
    text = "a" * (LIMIT + 1)
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=r"too large to lint: 67108865 bytes, the limit is 67108864 bytes"):
        unblame.check(text)
    assert time.perf_counter() - t0 < 10, "refused before linting"
    with pytest.raises(ValueError, match=r"too large"):
        unblame.Linter().check(text)


def test_limit_counts_utf8_bytes_not_characters() -> None:
    # 32 Mi + 1 characters of 2 bytes each: under the limit in characters, over it in bytes.
    text = "é" * (LIMIT // 2 + 1)
    assert len(text) < LIMIT
    with pytest.raises(ValueError, match=r"too large to lint: 67108866 bytes"):
        unblame.check(text)


def test_check_many_names_the_item_over_the_limit() -> None:
    big = "a" * (LIMIT + 1)

    def gen() -> Iterator[str]:
        yield "Bob should have checked."
        yield big

    with pytest.raises(ValueError, match=r"check_many\(\): item 1: document is too large"):
        unblame.check_many(gen())
    # The error is not a ConfigError: the config is fine.
    try:
        unblame.check_many(["ok", big])
    except unblame.ConfigError:  # pragma: no cover
        pytest.fail("a too-large document is not a config error")
    except ValueError:
        pass


def test_lone_surrogates_anywhere() -> None:
    # A surrogate pair written as two escapes is two lone surrogates in a Python str, not
    # an emoji: refused with the index of the first one, whatever comes around it.
    for text, index in [
        ("\ud83d\ude00 Bob broke it", 0),
        ("Bob broke it \udfff", 13),
        ("😀 Bob should have \ud800checked", 18),
        ("\udc80" * 3, 0),
    ]:
        with pytest.raises(ValueError, match=rf"lone surrogate at index {index}\b"):
            unblame.check(text)
    # The same characters properly paired are fine, with exact str offsets.
    text = "\U0001f600 Bob should have checked \U0001f600"
    report = unblame.check(text)
    assert report.findings
    _assert_slices(text, report)


def test_surrogateescape_decoded_bytes_are_refused_not_crashed() -> None:
    # What os.fsdecode / errors="surrogateescape" produce from non-UTF-8 bytes.
    text = b"caf\xe9 was careless".decode("utf-8", errors="surrogateescape")
    with pytest.raises(ValueError, match=r"surrogate at index 3.*errors='replace'"):
        unblame.check(text)
    fixed = b"caf\xe9 was careless".decode("utf-8", errors="replace")
    assert unblame.check(fixed).findings


def test_check_many_with_a_long_lazy_generator() -> None:
    pulled: List[int] = []

    def gen() -> Iterator[str]:
        for i in range(3000):
            pulled.append(i)
            yield BLAMEFUL if i % 2 else f"Entry {i}: the deploy finished."

    reports = unblame.check_many(gen())
    assert len(pulled) == 3000 and len(reports) == 3000
    assert [bool(r) for r in reports[:4]] == [False, True, False, True]
    assert reports[1] == unblame.check(BLAMEFUL)
    assert reports[2].text == "Entry 2: the deploy finished."


def test_check_many_generator_with_a_bad_item_names_it_and_stops() -> None:
    pulled: List[int] = []

    def gen() -> Iterator[object]:
        for i, item in enumerate(["fine", "also fine", None, "never read"]):
            pulled.append(i)
            yield item

    with pytest.raises(TypeError, match=r"item 2 is NoneType, expected str"):
        unblame.check_many(gen())  # type: ignore[arg-type]
    assert pulled == [0, 1, 2], "stops at the bad item"

    def surrogates() -> Iterator[str]:
        yield "fine"
        yield "fine"
        yield "bad \ud800"

    with pytest.raises(ValueError, match=r"item 2 contains a lone surrogate at index 4"):
        unblame.check_many(surrogates())


@pytest.mark.parametrize(
    "items, index, tname",
    [
        (["a", 1.5], 1, "float"),
        (["a", "b", {"text": "c"}], 2, "dict"),
        ([["nested"]], 0, "list"),
        (["a", bytearray(b"x")], 1, "bytearray"),
    ],
)
def test_check_many_non_str_items(items: list, index: int, tname: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(TypeError, match=rf"item {index} is {tname}, expected str"):
        unblame.check_many(items)


def test_str_subclass_is_accepted() -> None:
    class Doc(str):
        pass

    text = Doc("Bob should have checked.")
    assert unblame.check(text).findings[0].text == "should have"
    assert len(unblame.check_many([text, Doc("")])) == 2


def test_report_fixed_on_a_large_document() -> None:
    line = "Ana 😀 carelessly ran the migration.\n"
    report = unblame.check(line * 20000)
    assert report.fixed() == "Ana 😀 ran the migration.\n" * 20000
