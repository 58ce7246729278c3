"""unblame: find blame language and missing structure in incident postmortems.

>>> import unblame
>>> report = unblame.check("Bob should have checked the config.")
>>> [f.rule for f in report.findings]
['counterfactual/should-have']

Offsets are ``str`` indices, so ``text[f.start:f.end] == f.text``. Every rule lives in
the Rust core; this package only converts types and renders reports.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional

from . import _unblame
from ._unblame import ConfigError, Finding, Suggestion

__all__ = [
    "ConfigError",
    "Finding",
    "Linter",
    "Report",
    "Suggestion",
    "check",
    "check_many",
    "rules",
    "__version__",
]

__version__: str = _unblame.__version__


class Report:
    """The result of checking one document.

    ``findings`` are sorted by ``start``; ``structure`` and ``metrics`` are dicts when
    the structure checks ran (the document looks like a postmortem), else ``None``.
    """

    __slots__ = ("_text", "_findings", "_structure", "_metrics", "_linter")

    def __init__(
        self,
        text: str,
        findings: List[Finding],
        structure: Optional[Dict[str, Any]],
        metrics: Optional[Dict[str, Any]],
        linter: _unblame.Linter,
    ) -> None:
        self._text = text
        self._findings = findings
        self._structure = structure
        self._metrics = metrics
        self._linter = linter

    @property
    def text(self) -> str:
        """The checked text."""
        return self._text

    @property
    def findings(self) -> List[Finding]:
        """The findings, sorted by start (a new list each time)."""
        return list(self._findings)

    @property
    def structure(self) -> Optional[Dict[str, Any]]:
        """The postmortem skeleton (see the SPEC), or None when structure checks did not run."""
        return None if self._structure is None else json.loads(json.dumps(self._structure))

    @property
    def metrics(self) -> Optional[Dict[str, Any]]:
        """Incident metrics (detected, resolved, durations in minutes), or None."""
        return None if self._metrics is None else json.loads(json.dumps(self._metrics))

    def fixed(self, unsafe: bool = False) -> str:
        """The text with its safe suggestions applied (also unsafe ones with
        ``unsafe=True``), re-checked until stable: the same as ``unblame check --fix``."""
        return self._linter.fix(self._text, unsafe)

    def to_dict(self) -> Dict[str, Any]:
        """``{"findings": [...], "structure": ..., "metrics": ...}``, the CLI's JSON
        shape for one file, with str indices."""
        return {
            "findings": [f.to_dict() for f in self._findings],
            "structure": self.structure,
            "metrics": self.metrics,
        }

    def to_json(self, indent: Optional[int] = None) -> str:
        """``to_dict()`` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_records(self, **extra: Any) -> List[Dict[str, Any]]:
        """One flat dict per finding, for ``pandas.DataFrame(report.to_records())``.

        Columns: rule, category, severity, message, help, start, end, line, column,
        text, suggestion (first replacement or None), suggestion_safe, suggestions
        (count), and one ``data_<key>`` column per data entry (lists and dicts as
        JSON text). Keyword arguments are added to every record, e.g.
        ``report.to_records(path="a.md")`` when combining documents.
        """
        records: List[Dict[str, Any]] = []
        for f in self._findings:
            sugg = f.suggestions
            rec: Dict[str, Any] = dict(extra)
            rec.update(
                rule=f.rule,
                category=f.category,
                severity=f.severity,
                message=f.message,
                help=f.help,
                start=f.start,
                end=f.end,
                line=f.line,
                column=f.column,
                text=f.text,
                suggestion=sugg[0].replacement if sugg else None,
                suggestion_safe=sugg[0].safe if sugg else None,
                suggestions=len(sugg),
            )
            for key, value in f.data.items():
                if isinstance(value, (list, dict)):
                    value = json.dumps(value, ensure_ascii=False)
                rec["data_" + key] = value
            records.append(rec)
        return records

    def _repr_html_(self) -> str:
        from ._html import render

        return render(self)

    def __len__(self) -> int:
        return len(self._findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(list(self._findings))

    def __bool__(self) -> bool:
        """True when there are findings (``if report: ...``)."""
        return bool(self._findings)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return (
            self._text == other._text
            and self._findings == other._findings
            and self._structure == other._structure
            and self._metrics == other._metrics
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        counts: Dict[str, int] = {}
        for f in self._findings:
            counts[f.category] = counts.get(f.category, 0) + 1
        summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        structure = "yes" if self._structure is not None else "no"
        return f"<unblame.Report findings={len(self._findings)} ({summary or 'none'}) structure={structure}>"


def _report(linter: _unblame.Linter, text: str, result: Any) -> Report:
    findings, structure, metrics = result
    return Report(text, findings, structure, metrics, linter)


class Linter:
    """A compiled lexicon and configuration: build once, check many documents.

    Thread-safe; ``check`` and ``check_many`` release the GIL. ``config`` is a dict
    with the keys of ``unblame.toml`` (``select``, ``ignore``, ``severity``,
    ``extra_lexicons``, ``allow``, ``names``, ``check_quotes``, ``structure``,
    ``thresholds``); an invalid config raises :class:`ConfigError`.
    """

    __slots__ = ("_inner",)

    def __init__(self, config: Optional[Mapping[str, Any]] = None) -> None:
        self._inner = _unblame.Linter(config)

    def check(self, text: str) -> Report:
        """Checks one document (Markdown or plain text). Raises ValueError for a str with a
        lone surrogate or larger than 64 MiB of UTF-8."""
        return _report(self._inner, text, self._inner.check(text))

    def check_many(self, texts: Iterable[str]) -> List[Report]:
        """Checks many documents in parallel across cores, with the GIL released.
        Accepts any iterable of str; a non-str item raises TypeError and an item that
        check() refuses raises ValueError, both naming its index."""
        inner = self._inner
        return [Report(t, f, s, m, inner) for (t, f, s, m) in inner.check_many(texts)]

    def rules(self) -> List[Dict[str, Any]]:
        """Every rule (after this config's severity overrides) as dicts."""
        return list(self._inner.rules())

    def __repr__(self) -> str:
        return "<unblame.Linter>"


_default: Optional[Linter] = None


def _linter(config: Optional[Mapping[str, Any]]) -> Linter:
    global _default
    if config is None:
        if _default is None:
            _default = Linter()
        return _default
    return Linter(config)


def check(text: str, config: Optional[Mapping[str, Any]] = None) -> Report:
    """Checks one document. Keep a :class:`Linter` when checking many with one config."""
    return _linter(config).check(text)


def check_many(texts: Iterable[str], config: Optional[Mapping[str, Any]] = None) -> List[Report]:
    """Checks many documents in parallel (GIL released); results in input order."""
    return _linter(config).check_many(texts)


def rules(config: Optional[Mapping[str, Any]] = None) -> List[Dict[str, Any]]:
    """Every rule: id, category, severity, summary, help, flag, pass, fix."""
    return _linter(config).rules()
