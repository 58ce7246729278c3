"""_repr_html_: highlighted spans, hover text, tables, escaping, linear size."""

from __future__ import annotations

import re
import time

import unblame


def test_escapes_user_text() -> None:
    text = 'Bob should have <script>alert("x")</script> checked & "carelessly" <b>broke</b> it.'
    html = unblame.check(text, {"check_quotes": True})._repr_html_()
    assert "<script>" not in html and "<b>broke" not in html
    assert "&lt;script&gt;" in html
    assert "&amp;" in html


def test_escapes_in_attributes_and_tables() -> None:
    text = 'The "><img src=x onerror=alert(1)> engineer carelessly broke prod.'
    html = unblame.check(text)._repr_html_()
    assert "<img" not in html
    for title in re.findall(r'title="([^"]*)"', html):
        assert "<" not in title and ">" not in title


def test_highlights_and_hover() -> None:
    text = "Bob should have checked the config. The deploy carelessly skipped the canary."
    report = unblame.check(text)
    html = report._repr_html_()
    assert html.count('class="ub-hl') >= len(report)
    assert "ub-counterfactual" in html and "ub-judgment" in html
    f = report.findings[0]
    assert f.message.replace('"', "&quot;") in html
    assert "did not check" in html  # the suggested rewrite, on hover and in the table
    assert "<table" in html


def test_structure_tables(root) -> None:  # type: ignore[no-untyped-def]
    text = (root / "examples" / "search-outage-flawed.md").read_text(encoding="utf-8")
    html = unblame.check(text)._repr_html_()
    assert "Structure" in html and "Metrics" in html and "timeline_entries" in html


def test_text_survives_round_trip() -> None:
    text = "😀 a < b && c > d\n  Bob should have checked.\n漢字"
    html = unblame.check(text)._repr_html_()
    body = html.split('<div class="ub-text">', 1)[1].split("</div>", 1)[0]
    plain = re.sub(r"<span class=\"ub-mark\"[^>]*>.*?</span>", "", body)
    plain = re.sub(r"<[^>]+>", "", plain)
    import html as h

    assert h.unescape(plain) == text


def test_large_document_is_fast() -> None:
    para = "Bob should have checked the config. The deploy carelessly skipped the canary. 😀 All fine.\n"
    small = unblame.check(para * 200)
    big = unblame.check(para * 4000)
    t0 = time.perf_counter()
    small._repr_html_()
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    html = big._repr_html_()
    t_big = time.perf_counter() - t0
    assert len(big) >= 8000
    assert t_big < 5.0
    # 20x the text: well under quadratic (400x)
    assert t_big < max(t_small, 0.002) * 80
    assert len(html) < 200 * len(big.text)
