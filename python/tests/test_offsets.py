"""Offsets are str indices: text[f.start:f.end] == f.text, after any non-ASCII text."""

from __future__ import annotations

from typing import List

import pytest

import unblame

from conftest import corpus_docs, corpus_sentences

PREFIXES = ["", "😀 ", "漢字テスト ", "e\u0301\u0301 ", "👩‍👩‍👧 ", "\u200b", "Ünïcödé — ", "🔥" * 7 + "\n"]


def check_offsets(text: str, report: unblame.Report) -> None:
    lines = text.split("\n")
    for f in report:
        assert text[f.start : f.end] == f.text, (f, text[f.start : f.end])
        # line and column are 1-based, column in code points
        line_start = sum(len(line) + 1 for line in lines[: f.line - 1])
        assert line_start + f.column - 1 == f.start, f
        for s in f.suggestions:
            assert 0 <= s.start <= s.end <= len(text)


def test_hand_made() -> None:
    text = "é 😀 ok.\nBob should have checked. 漢字 Dana carelessly broke prod e\u0301."
    report = unblame.check(text)
    assert {f.text for f in report} >= {"should have", "carelessly"}
    check_offsets(text, report)
    f = report.findings[0]
    assert f.start == text.index("should have")


def test_suggestion_offsets_apply_in_str_space() -> None:
    text = "🙈🙈 The deploy carelessly skipped the canary."
    f = unblame.check(text).findings[0]
    s = f.suggestions[0]
    assert text[: s.start] + s.replacement + text[s.end :] == "🙈🙈 The deploy skipped the canary."


SENTENCES = corpus_sentences()


@pytest.mark.skipif(not SENTENCES, reason="shared corpus not present")
@pytest.mark.parametrize("prefix", PREFIXES)
def test_corpus_sentences(prefix: str) -> None:
    texts: List[str] = [prefix + s + " 🚒" for s in SENTENCES]
    reports = unblame.check_many(texts)
    n = 0
    for text, report in zip(texts, reports):
        check_offsets(text, report)
        n += len(report)
    assert n > 50


@pytest.mark.parametrize("path", corpus_docs(), ids=lambda p: p.name)
def test_corpus_docs(path) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    for variant in [text, "😀 漢字 e\u0301\n" + text, text.replace(" the ", " thé 🦀 ")]:
        check_offsets(variant, unblame.check(variant))
