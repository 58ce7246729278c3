"""Shared paths and helpers for the Python binding tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def corpus_sentences() -> List[str]:
    path = CORPUS / "sentences.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_docs() -> List[Path]:
    docs = sorted((CORPUS / "docs").glob("*.md")) if (CORPUS / "docs").exists() else []
    return docs + sorted((ROOT / "examples").glob("*.md")) + sorted((ROOT / "tests" / "fixtures" / "docs").glob("*.md"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
