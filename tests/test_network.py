"""Property-graph exports: networkx, GraphML read back by networkx, Neo4j import CSV read back by csv."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.views.network import (
    NODE_HEADER,
    RELATIONSHIP_HEADER,
    graphml_bytes,
    neo4j_csv,
    property_graph,
    relationship_type,
)

ID = "https://w3id.org/newsgraph/id/"
UNION = f"{ID}entity/harbor-pilots-union"
COMPANY = f"{ID}entity/tidewater-freight"


def test_network_property_graph_has_one_edge_per_distinct_relation(harbor_store) -> None:
    graph = property_graph(harbor_store)
    entities = [n for n in graph.nodes if n.labels[0] == "Entity"]
    assert len(entities) == 4 and len([n for n in graph.nodes if n.labels == ("Statement",)]) == 1
    union = next(n for n in graph.nodes if n.id == UNION)
    assert (union.labels, union.name, union.aliases) == (("Entity", "LaborUnion"), "Harbor Pilots Union",
                                                          ("the pilots",))
    assert (union.strike_since, union.strike_ended) == (("2034-05-02",), ("2034-06",))
    talks = [e for e in graph.edges if e.predicate == "negotiatesWith"]
    # The union negotiates with the company (article 0) and the company with the union (article 1): two facts.
    assert sorted((e.source, e.target) for e in talks) == sorted([(UNION, COMPANY), (COMPANY, UNION)])
    first = next(e for e in talks if e.source == UNION)
    assert (first.evidence, first.confidence) == (1, 0.9)
    assert first.sentence.startswith("The Harbor Pilots Union opened talks")


def test_network_graphml_reads_back_with_networkx(harbor_store) -> None:
    data = graphml_bytes(property_graph(harbor_store))
    assert data == graphml_bytes(property_graph(harbor_store))  # deterministic
    graph = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.nodes[UNION]["label"] == "Harbor Pilots Union"
    assert graph.nodes[UNION]["classes"] == "LaborUnion"
    predicates = sorted(d["predicate"] for _, _, d in graph.edges(data=True))
    assert predicates == sorted(["negotiatesWith", "negotiatesWith", "leads", "memberOf", "represents",
                                 "reachesAgreementWith", "issuesStatement"])
    confidence = [d["confidence"] for s, t, d in graph.edges(data=True) if d["predicate"] == "leads"]
    assert confidence == [0.6]


def test_network_neo4j_csv_follows_the_import_header_contract(harbor_store) -> None:
    files = neo4j_csv(property_graph(harbor_store))
    nodes = list(csv.reader(io.StringIO(files["nodes.csv"])))
    relationships = list(csv.reader(io.StringIO(files["relationships.csv"])))
    assert tuple(nodes[0]) == NODE_HEADER and tuple(relationships[0]) == RELATIONSHIP_HEADER
    assert NODE_HEADER[0].endswith(":ID") and ":LABEL" in NODE_HEADER
    assert RELATIONSHIP_HEADER[:3] == (":START_ID", ":END_ID", ":TYPE")
    ids = {row[0] for row in nodes[1:]}
    assert len(ids) == len(nodes) - 1  # ids are unique
    for row in relationships[1:]:
        assert row[0] in ids and row[1] in ids  # every relationship joins two nodes of the file
        assert row[2].isupper() and int(row[3]) >= 1 and 0 < float(row[4]) <= 1
    assert "Entity;LaborUnion" in {row[1] for row in nodes[1:]}
    assert {row[2] for row in relationships[1:]} >= {"NEGOTIATES_WITH", "ISSUES_STATEMENT", "MEMBER_OF"}
    assert all("\n" not in field for row in nodes + relationships for field in row)


@pytest.mark.parametrize(("predicate", "expected"), [("negotiatesWith", "NEGOTIATES_WITH"), ("leads", "LEADS"),
                                                     ("reachesAgreementWith", "REACHES_AGREEMENT_WITH")])
def test_network_relationship_types_are_neo4j_style(predicate: str, expected: str) -> None:
    assert relationship_type(predicate) == expected


def test_network_cli_exports_graphml_and_csv(harbor_store_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--store", str(harbor_store_path), "--format", "graphml"])
    assert result.exit_code == 0, result.stderr
    assert nx.read_graphml(io.BytesIO(result.stdout_bytes)).number_of_nodes() == 5
    folder = tmp_path / "neo4j"
    result = runner.invoke(main, ["export", "--store", str(harbor_store_path), "--format", "csv", "-o", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["nodes.csv", "relationships.csv"]
    assert result.stderr.count("wrote ") == 2


@pytest.mark.parametrize("args", [["--format", "csv"], ["--format", "graphml", "--with-ontology"]])
def test_network_cli_refuses_what_a_property_graph_cannot_hold(harbor_store_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, ["export", "--store", str(harbor_store_path), *args])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
