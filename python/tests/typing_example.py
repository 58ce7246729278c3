"""A usage example that must pass `mypy --strict` against the shipped stubs."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import unblame


def summarise(texts: List[str]) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    linter = unblame.Linter({"ignore": ["structure"], "thresholds": {"late_days": 10}})
    for report in linter.check_many(texts):
        for finding in report:
            counts[finding.category] = counts.get(finding.category, 0) + 1
    return counts


def first_rewrite(text: str) -> Optional[str]:
    report: unblame.Report = unblame.check(text)
    for f in report.findings:
        start: int = f.start
        end: int = f.end
        assert text[start:end] == f.text
        for s in f.suggestions:
            safe: bool = s.safe
            if safe or s.replacement:
                return s.replacement
    return None


def records(text: str) -> List[Dict[str, Any]]:
    report = unblame.check(text, config={"select": ["blame", "judgment"]})
    structure: Optional[Dict[str, Any]] = report.structure
    metrics: Optional[Dict[str, Any]] = report.metrics
    _ = (structure, metrics, report.to_dict(), report.to_json(indent=2), report._repr_html_())
    fixed: str = report.fixed(unsafe=False)
    assert isinstance(fixed, str) and len(report) >= 0 and bool(report) in (True, False)
    return report.to_records(path="doc.md")


def config_key(config: Dict[str, Any]) -> Optional[str]:
    try:
        unblame.Linter(config)
    except unblame.ConfigError as e:
        return e.key
    return None


def rule_ids() -> List[str]:
    return [str(r["id"]) for r in unblame.rules()]


if __name__ == "__main__":
    print(summarise(["Bob should have checked."]), first_rewrite("Bob should have checked."))
