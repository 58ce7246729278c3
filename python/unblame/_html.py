"""HTML rendering of a Report for notebooks (presentation only, no rule logic).

The text is split once at every finding boundary, so rendering is linear in the text
plus the findings (times how many findings overlap one spot, which is small). All user
text goes through :func:`html.escape`.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from . import Finding, Report

#: Background colour per category; unknown categories get the last entry.
COLOURS: Dict[str, str] = {
    "blame": "#ffb3b3",
    "human-error": "#ffc98a",
    "counterfactual": "#d9c2ff",
    "judgment": "#ffc2e6",
    "root-cause": "#fff08a",
    "punitive": "#ff8f8f",
    "vague-action": "#b8dcff",
    "structure": "#c9ead3",
    "suppression": "#dddddd",
}
_OTHER = "#e8e8e8"
_UNDERLINED = ("structure", "suppression")  # shown as an underline, not a background
_MAX_ROWS = 500


def _colour(category: str) -> str:
    return COLOURS.get(category, _OTHER)


def _hover(f: "Finding") -> str:
    line = f"[{f.severity}] {f.rule}: {f.message}"
    sugg = f.suggestions
    if sugg:
        s = sugg[0]
        rewrite = s.replacement if s.replacement else "(delete)"
        line += f"\n→ {rewrite}" + ("" if s.safe else " (needs a person)")
        if s.description:
            line += f" — {s.description}"
    return line


def _segments(text: str, findings: List["Finding"]) -> List[str]:
    out: List[str] = []
    n = len(text)
    # Events: (position, kind, index); kind 0 = end, 1 = point marker, 2 = start, so that
    # at one position spans close before markers and new spans open.
    events: List[Tuple[int, int, int]] = []
    for i, f in enumerate(findings):
        s, e = max(0, min(f.start, n)), max(0, min(f.end, n))
        if e > s:
            events.append((s, 2, i))
            events.append((e, 0, i))
        else:
            events.append((s, 1, i))
    events.sort()
    active: Dict[int, "Finding"] = {}
    pos = 0
    k = 0
    while k <= len(events):
        nxt = events[k][0] if k < len(events) else n
        if nxt > pos:
            chunk = escape(text[pos:nxt], quote=False)
            if active:
                out.append(_span(list(active.values()), chunk))
            else:
                out.append(chunk)
            pos = nxt
        if k == len(events):
            break
        p, kind, i = events[k]
        f = findings[i]
        if kind == 0:
            active.pop(i, None)
        elif kind == 2:
            active[i] = f
        else:
            out.append(
                f'<span class="ub-mark" style="background:{_colour(f.category)}" '
                f'title="{escape(_hover(f))}">&#9873;</span>'
            )
        k += 1
    return out


def _span(active: List["Finding"], chunk: str) -> str:
    phrase = [f for f in active if f.category not in _UNDERLINED]
    style = []
    if phrase:
        inner = min(phrase, key=lambda f: f.end - f.start)
        style.append(f"background:{_colour(inner.category)}")
        cls = "ub-hl ub-" + escape(inner.category)
    else:
        cls = "ub-hl ub-structure"
    if len(phrase) < len(active):
        style.append("border-bottom:2px dashed #3a9a5b")
    title = escape("\n".join(_hover(f) for f in active))
    return f'<span class="{cls}" style="{";".join(style)}" title="{title}">{chunk}</span>'


def _table(headers: List[str], rows: List[List[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="ub-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _short(s: str, limit: int = 80) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _value(v: Any) -> str:
    if v is None:
        return '<span class="ub-null">null</span>'
    if isinstance(v, list):
        return escape(", ".join(str(x) for x in v)) if v else "—"
    return escape(str(v))


def _kv(title: str, d: Optional[Dict[str, Any]]) -> str:
    if d is None:
        return ""
    rows = [[f"<code>{escape(str(k))}</code>", _value(v)] for k, v in d.items()]
    return f"<h4>{escape(title)}</h4>" + _table(["field", "value"], rows)


_CSS = """
<style>
.ub-report{font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:13px;color:#222;max-width:1100px}
.ub-report .ub-text{white-space:pre-wrap;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;
 line-height:1.5;border:1px solid #ddd;border-radius:4px;padding:10px;max-height:520px;overflow:auto;background:#fcfcfc}
.ub-report .ub-hl{border-radius:2px;cursor:help}
.ub-report .ub-mark{border-radius:2px;cursor:help;font-size:10px;padding:0 1px}
.ub-report .ub-table{border-collapse:collapse;margin:4px 0 10px 0}
.ub-report .ub-table th,.ub-report .ub-table td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
.ub-report .ub-table th{background:#f3f3f3}
.ub-report .ub-chip{display:inline-block;border-radius:3px;padding:0 5px;margin-right:4px}
.ub-report .ub-null{color:#999;font-style:italic}
.ub-report h4{margin:10px 0 4px 0}
</style>
"""


def render(report: "Report") -> str:
    """The report as a self-contained HTML fragment."""
    findings = report.findings
    text = report.text
    counts: Dict[str, int] = {}
    for f in findings:
        counts[f.category] = counts.get(f.category, 0) + 1
    chips = "".join(
        f'<span class="ub-chip" style="background:{_colour(c)}">{escape(c)}: {n}</span>'
        for c, n in sorted(counts.items())
    )
    parts: List[str] = [_CSS, '<div class="ub-report">']
    parts.append(f"<div><b>unblame</b>: {len(findings)} finding{'s' if len(findings) != 1 else ''} {chips}</div>")
    parts.append('<div class="ub-text">')
    parts.extend(_segments(text, findings))
    parts.append("</div>")
    if findings:
        rows = []
        for f in findings[:_MAX_ROWS]:
            sugg = f.suggestions
            rewrite = ""
            if sugg:
                s = sugg[0]
                rewrite = escape(_short(s.replacement or "(delete)")) + ("" if s.safe else " <i>(manual)</i>")
            rows.append(
                [
                    f"{f.line}:{f.column}",
                    escape(f.severity),
                    f'<span class="ub-chip" style="background:{_colour(f.category)}">{escape(f.rule)}</span>',
                    escape(_short(f.text.replace("\n", " "))),
                    escape(f.message),
                    rewrite,
                ]
            )
        parts.append("<h4>Findings</h4>")
        parts.append(_table(["line:col", "severity", "rule", "text", "message", "suggestion"], rows))
        if len(findings) > _MAX_ROWS:
            parts.append(f"<div>… and {len(findings) - _MAX_ROWS} more</div>")
    parts.append(_kv("Structure", report.structure))
    parts.append(_kv("Metrics", report.metrics))
    parts.append("</div>")
    return "".join(parts)
