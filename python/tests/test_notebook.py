"""The example notebook runs top to bottom (so it cannot rot)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "examples" / "postmortems.ipynb"


def test_example_notebook_executes(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = nbclient.NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert html and 'class="ub-report"' in html[0]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "search-outage-flawed.md" in text and "blame" in text
