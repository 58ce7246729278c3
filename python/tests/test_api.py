"""API shape: functions, classes, every field, frozen objects, equality, dicts, JSON."""

from __future__ import annotations

import json

import pytest

import unblame

TEXT = "Bob should have checked the config. Clearly, the engineer carelessly broke prod."


def test_module_exports() -> None:
    for name in ["check", "check_many", "Linter", "rules", "ConfigError", "Report", "Finding", "Suggestion"]:
        assert hasattr(unblame, name), name
    assert issubclass(unblame.ConfigError, ValueError)
    assert isinstance(unblame.__version__, str)


def test_readme_example() -> None:
    findings = unblame.check("Bob should have checked the config.").findings
    assert [f.rule for f in findings] == ["counterfactual/should-have"]


def test_finding_fields() -> None:
    report = unblame.check(TEXT)
    assert isinstance(report, unblame.Report)
    assert len(report) >= 3
    for f in report.findings:
        assert isinstance(f, unblame.Finding)
        assert isinstance(f.rule, str) and "/" in f.rule
        assert f.rule.split("/")[0] == f.category
        assert f.severity in ("error", "warning", "info")
        assert isinstance(f.message, str) and f.message and "\n" not in f.message
        assert isinstance(f.help, str) and f.help
        assert isinstance(f.start, int) and isinstance(f.end, int) and 0 <= f.start <= f.end <= len(TEXT)
        assert f.line == 1 and f.column == f.start + 1
        assert TEXT[f.start : f.end] == f.text
        assert isinstance(f.suggestions, list)
        assert isinstance(f.data, dict)
        for s in f.suggestions:
            assert isinstance(s, unblame.Suggestion)
            assert isinstance(s.replacement, str)
            assert isinstance(s.safe, bool)
            assert isinstance(s.description, str)
            assert 0 <= s.start <= s.end <= len(TEXT)
    first = report.findings[0]
    assert first.rule == "counterfactual/should-have"
    assert first.text == "should have"
    assert first.suggestions[0].replacement == "did not check"
    assert first.suggestions[0].safe is False


def test_finding_to_dict_has_every_spec_field() -> None:
    f = unblame.check(TEXT).findings[0]
    d = f.to_dict()
    assert set(d) == {
        "rule", "category", "severity", "message", "help", "start", "end",
        "line", "column", "text", "suggestions", "data",
    }
    assert d["suggestions"][0] == f.suggestions[0].to_dict()
    assert set(d["suggestions"][0]) == {"replacement", "start", "end", "safe", "description"}
    json.dumps(d)


def test_frozen_and_equality() -> None:
    a = unblame.check(TEXT).findings
    b = unblame.check(TEXT).findings
    assert a == b
    assert a[0] != a[1]
    assert hash(a[0]) == hash(b[0])
    assert len({*a, *b}) == len(a)
    with pytest.raises(AttributeError):
        a[0].start = 3  # type: ignore[misc]
    s = a[0].suggestions[0]
    with pytest.raises(AttributeError):
        s.safe = True  # type: ignore[misc]
    assert s == b[0].suggestions[0]
    assert a[0] != "not a finding"


def test_repr() -> None:
    f = unblame.check(TEXT).findings[0]
    r = repr(f)
    assert r.startswith("Finding(") and "'counterfactual/should-have'" in r and "'should have'" in r
    assert repr(f.suggestions[0]).startswith("Suggestion(replacement='did not check'")
    assert "findings=" in repr(unblame.check(TEXT))


def test_report_protocol() -> None:
    report = unblame.check(TEXT)
    assert bool(report) is True
    assert len(report) == len(report.findings)
    assert list(report) == report.findings
    clean = unblame.check("The health check failed to connect to the replica.")
    assert not clean and len(clean) == 0 and list(clean) == []
    assert clean.structure is None and clean.metrics is None
    # findings is a copy: mutating it does not change the report
    report.findings.clear()
    assert len(report.findings) == len(report)


def test_report_dict_and_json() -> None:
    report = unblame.check(TEXT)
    d = report.to_dict()
    assert set(d) == {"findings", "structure", "metrics"}
    assert d["findings"] == [f.to_dict() for f in report.findings]
    assert json.loads(report.to_json()) == d
    assert json.loads(report.to_json(indent=2)) == d


def test_records_are_flat() -> None:
    report = unblame.check(TEXT)
    recs = report.to_records(path="x.md")
    assert len(recs) == len(report)
    for r in recs:
        assert r["path"] == "x.md"
        for v in r.values():
            assert v is None or isinstance(v, (str, int, float, bool))
    assert recs[0]["suggestion"] == "did not check" and recs[0]["suggestion_safe"] is False


def test_structure_and_metrics(root) -> None:  # type: ignore[no-untyped-def]
    text = (root / "examples" / "search-outage-flawed.md").read_text(encoding="utf-8")
    report = unblame.check(text)
    assert isinstance(report.structure, dict) and isinstance(report.metrics, dict)
    assert "timeline_entries" in report.structure
    assert "duration_min" in report.metrics
    assert any(f.category == "structure" for f in report)
    off = unblame.check(text, {"structure": "off"})
    assert off.structure is None and not any(f.category == "structure" for f in off)


def test_rules() -> None:
    rules = unblame.rules()
    assert isinstance(rules, list) and len(rules) > 10
    ids = {r["id"] for r in rules}
    assert "counterfactual/should-have" in ids and "structure/missing-section" in ids
    for r in rules:
        assert {"id", "category", "severity", "summary"} <= set(r)
    sev = unblame.rules({"severity": {"blame": "info"}})
    assert all(r["severity"] == "info" for r in sev if r["category"] == "blame")


def test_config_select_and_allow() -> None:
    only = unblame.check(TEXT, {"select": ["judgment"]})
    assert only.findings and all(f.category == "judgment" for f in only)
    linter = unblame.Linter({"ignore": ["judgment"]})
    assert all(f.category != "judgment" for f in linter.check(TEXT))


def test_fixed() -> None:
    text = "The deploy carelessly skipped the canary."
    report = unblame.check(text)
    assert [f.rule for f in report] == ["judgment/careless"]
    assert report.findings[0].suggestions[0].safe
    assert report.fixed() == "The deploy skipped the canary."
    assert report.text == text  # the report itself is unchanged
    # Only safe suggestions by default; unsafe ones on request.
    r2 = unblame.check("Bob should have checked the config.")
    assert r2.fixed() == r2.text
    assert r2.fixed(unsafe=True) != r2.text
    assert "did not check" in r2.fixed(unsafe=True)


def test_fixed_non_ascii() -> None:
    text = "😀 漢字 the deploy carelessly skipped the canary. é\u0301"
    report = unblame.check(text)
    s = report.findings[0].suggestions[0]
    assert text[s.start : s.end] == "carelessly "
    assert report.fixed() == "😀 漢字 the deploy skipped the canary. é\u0301"


def test_type_errors() -> None:
    with pytest.raises(TypeError):
        unblame.check(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        unblame.check(None)  # type: ignore[arg-type]


def test_lone_surrogate_is_value_error() -> None:
    with pytest.raises(ValueError, match="surrogate"):
        unblame.check("Bob \ud800 broke it")
    with pytest.raises(ValueError, match="item 1"):
        unblame.check_many(["fine", "bad \udfff"])


def test_empty_and_odd_inputs() -> None:
    for text in ["", "\n", "\x00", "#", "> " * 1000, "`" * 999, "\r\n" * 50, "🔥" * 1000]:
        report = unblame.check(text)
        for f in report:
            assert text[f.start : f.end] == f.text
