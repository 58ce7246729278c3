"""The stubs are complete enough for `mypy --strict` on a usage example."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def test_mypy_strict_on_usage_example(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path),
         str(HERE / "typing_example.py")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # resolve `unblame` from the installed package, not the source tree
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_rejects_misuse(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    bad = tmp_path / "bad.py"
    bad.write_text("import unblame\nr = unblame.check(3)\nx: str = r.findings[0].start\n")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "c"), str(bad)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert proc.returncode == 1 and "arg-type" in proc.stdout and "assignment" in proc.stdout, proc.stdout


def test_package_ships_typing_files() -> None:
    import unblame

    pkg = Path(unblame.__file__).parent
    assert (pkg / "py.typed").exists() and (pkg / "__init__.pyi").exists()
    assert shutil.which  # keep import used
