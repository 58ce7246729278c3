"""Python findings equal the CLI's JSON findings for every fixture and example,
after converting the CLI's UTF-8 byte offsets to str indices."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

import unblame

from conftest import ROOT

CLI = Path(os.environ.get("UNBLAME_CLI", ROOT / "target" / "release" / "unblame"))
FILES = sorted((ROOT / "tests" / "fixtures" / "docs").glob("*.md")) + sorted((ROOT / "examples").glob("*.md"))


def byte_to_str_index(text: str) -> Dict[int, int]:
    """Map every UTF-8 byte boundary of text to its code-point index."""
    out: Dict[int, int] = {}
    b = 0
    for i, ch in enumerate(text):
        out[b] = i
        b += len(ch.encode("utf-8"))
    out[b] = len(text)
    return out


def converted(text: str, cli_finding: Dict[str, Any]) -> Dict[str, Any]:
    m = byte_to_str_index(text)
    f = dict(cli_finding)
    # The CLI adds `span` (the same byte offsets, for the corpus scorer); not a SPEC field.
    span = f.pop("span", None)
    if span is not None:
        assert (span["start"], span["end"]) == (f["start"], f["end"])
    f["start"], f["end"] = m[f["start"]], m[f["end"]]
    f["suggestions"] = [dict(s, start=m[s["start"]], end=m[s["end"]]) for s in f["suggestions"]]
    return f


@pytest.fixture(scope="module")
def cli_output() -> Dict[str, Any]:
    if not CLI.exists():
        pytest.skip(f"{CLI} not built (cargo build --release -p unblame-cli)")
    proc = subprocess.run(
        [str(CLI), "check", "--format", "json", *map(str, FILES)],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr.decode()
    data = json.loads(proc.stdout)
    return {str(Path(f["path"]).resolve()): f for f in data["files"]}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_python_matches_cli(path: Path, cli_output: Dict[str, Any]) -> None:
    # Read as bytes and decode the way the CLI does (no newline translation).
    text = path.read_bytes().decode("utf-8")
    cli = cli_output[str(path.resolve())]
    report = unblame.check(text)
    expected: List[Dict[str, Any]] = [converted(text, f) for f in cli["findings"]]
    got = [f.to_dict() for f in report.findings]
    assert len(got) == len(expected), ([f["rule"] for f in got], [f["rule"] for f in expected])
    for g, e in zip(got, expected):
        diff = {k: (g[k], e.get(k)) for k in g if g[k] != e.get(k)}
        assert not diff, (g["rule"], diff)
    assert got == expected
    assert report.structure == cli["structure"]
    assert report.metrics == cli["metrics"]
    for f in report:
        assert text[f.start : f.end] == f.text
