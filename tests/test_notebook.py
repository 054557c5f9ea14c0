"""notebooks/01-explore.ipynb: kept without outputs in git, and runs top to bottom without an error."""
from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "01-explore.ipynb"


@pytest.fixture(scope="module")
def notebook():  # -> nbformat.NotebookNode
    nbformat = pytest.importorskip("nbformat")
    return nbformat.read(NOTEBOOK, as_version=4)


def test_notebook_is_stored_without_outputs(notebook) -> None:
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


def test_notebook_runs_top_to_bottom(notebook, tmp_path: Path, monkeypatch) -> None:
    import copy

    from nbclient import NotebookClient

    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the notebook's temporary store lands in the test's folder
    client = NotebookClient(copy.deepcopy(notebook), timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    executed = client.execute()  # raises CellExecutionError on the first cell that fails
    outputs = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "== negotiations" in text and "relation" in text and "betweenness" in text
    # the dispute timeline: the seed's writers' strike and the talks of its article, in date order
    timeline = text[text.index("timeline of "):].splitlines()
    assert timeline[0].startswith("timeline of Writers Guild of America v. Alliance of Motion Picture")
    assert [line.split()[:2] for line in timeline[1:3]] == [["2023-05-02", "strike"], ["2023-09-22", "negotiation"]]
    frames = [o for o in outputs if o.output_type == "display_data" and "text/html" in o.data]
    assert len(frames) == 2 and all("<iframe srcdoc=" in frame.data["text/html"] for frame in frames)
    assert sorted(p.name for p in next(tmp_path.glob("newsgraph-notebook-*")).iterdir()) == [
        "focus.html", "graph.html", "seeds.store",
    ]
