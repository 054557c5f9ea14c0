"""The Python API (graph.api): the examples of docs/api.md run as written, and the behaviour they rely on."""
from __future__ import annotations

import datetime
import re
import shutil
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from graph import api
from graph.errors import NewsgraphError, QueryError

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "api.md"


def _examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def test_api_docs_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    examples = _examples()
    assert len(examples) >= 6
    namespace: dict[str, object] = {}
    for example in examples:  # in order, in one namespace, as a notebook would
        exec(compile(example, str(DOC), "exec"), namespace)  # noqa: S102 -- our own documentation
    assert (tmp_path / "graph.html").is_file() and (tmp_path / "neo4j" / "nodes.csv").is_file()
    assert "['nodes.csv', 'relationships.csv']" in capsys.readouterr().out


def test_api_query_rows_are_python_values(harbor_store_path: Path) -> None:
    rows = api.query("SELECT ?e ?d ?c ?n WHERE { ?e ng:onStrikeSince ?d . ?ev ng:confidence ?c ; rdf:subject ?e ; "
                     "rdf:predicate ng:onStrikeSince . OPTIONAL { ?e ng:nothing ?n } }", store=harbor_store_path)
    assert rows == [{"e": "https://w3id.org/newsgraph/id/entity/harbor-pilots-union",
                     "d": datetime.date(2034, 5, 2), "c": Decimal("0.8"), "n": None}]


def test_api_query_forms(harbor_store_path: Path) -> None:
    assert api.query("ASK { ?s ng:memberOf ?o }", store=harbor_store_path) is True
    graph = api.query("CONSTRUCT { ?s ng:memberOf ?o } WHERE { ?s ng:memberOf ?o }", store=harbor_store_path)
    assert isinstance(graph, rdflib.Graph) and len(graph) == 1
    frame = api.query("leaders", store=harbor_store_path, dataframe=True)
    assert list(frame.columns)[:1] and len(frame) == 1


def test_api_query_errors_are_newsgraph_errors(harbor_store_path: Path) -> None:
    with pytest.raises(QueryError, match="unknown prefix wd:"):
        api.query("SELECT * WHERE { ?s a wd:Q5 }", store=harbor_store_path)
    with pytest.raises(NewsgraphError, match="no store at"):
        api.query("entities", store=harbor_store_path.parent / "absent.store")


def test_api_to_networkx_and_export_agree(harbor_store_path: Path) -> None:
    g = api.to_networkx(store=harbor_store_path)
    assert isinstance(g, nx.MultiDiGraph) and g.number_of_nodes() == 5
    assert api.export(store=harbor_store_path, format="graphml") == api.export(store=harbor_store_path,
                                                                                format="graphml")


def test_api_build_warns_about_input_problems(fake_nlp, sources: Path, tmp_path: Path) -> None:
    (sources / "empty.txt").write_text("\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="empty.txt: empty file, skipped"):
        summary = api.build([sources], store=tmp_path / "s.store")
    assert summary.built == 2
    assert api.remove(["harbor-1.txt"], store=tmp_path / "s.store") == ["harbor-1.txt"]
