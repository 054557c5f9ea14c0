"""The HTML explorer: self-contained (no remote URL, no lib/ folder), escaped, facts with evidence, focus/limits."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib
from conftest import HOSTILE_IMG, HOSTILE_NAME, HOSTILE_SENTENCE
from rdflib import RDF, RDFS

from graph.errors import NewsgraphError, QueryError
from graph.render import CLASS_STYLES, construct_graph, graph_data, render_html
from graph.vocab import ID, NG

HOSTILE = HOSTILE_NAME
IMG = HOSTILE_IMG
SENTENCE = HOSTILE_SENTENCE


@pytest.fixture()
def full_graph(hostile_graph: rdflib.Graph) -> rdflib.Graph:
    return hostile_graph


@pytest.fixture()
def page(tmp_path: Path, full_graph: rdflib.Graph, monkeypatch) -> str:
    monkeypatch.chdir(tmp_path)
    out = render_html(full_graph, tmp_path / "out" / "graph.html", title="Port <talks> \u2013 Zoë https://x.test")
    return out.read_text(encoding="utf-8")


def page_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.DOTALL)
    assert found is not None
    return json.loads(found.group(1))


def by_label(data: dict) -> dict[str, dict]:
    return {node["label"]: node for node in data["nodes"]}


def test_render_page_has_no_remote_url(page: str) -> None:
    assert "http://" not in page
    assert "https://" not in page


def test_render_writes_no_lib_folder(page: str, tmp_path: Path) -> None:
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graph.html"]


def test_render_inlines_vis_network(page: str) -> None:
    assert "<script src=" not in page
    assert "<link" not in page
    assert "vis.Network" in page
    assert len(page) > 400_000  # vis-network's minified code is inside


@pytest.mark.parametrize("raw", [HOSTILE, IMG, "<b>crew</b>", "<i>hostile</i>"])
def test_render_markup_from_articles_never_reaches_the_page_raw(page: str, raw: str) -> None:
    assert raw not in page
    assert html_free(raw) in page  # the same text, with < > & / as JSON escapes


def html_free(text: str) -> str:
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("/", "\\/")):
        text = text.replace(char, escape)
    return json.dumps(text, ensure_ascii=False)[1:-1].replace("\\\\", "\\")


def test_render_escaped_data_round_trips_to_the_original_text(page: str) -> None:
    nodes = by_label(page_data(page))
    assert {HOSTILE, IMG, "Zoë Brandt"} <= set(nodes)
    assert "O'Brien \"Crew\"" in nodes[HOSTILE]["names"]
    sentences = {ev["sentence"] for fact in nodes["Zoë Brandt"]["facts"] for ev in fact["evidence"]}
    assert sentences == {SENTENCE}


def test_render_title_is_escaped_and_utf8(page: str, tmp_path: Path) -> None:
    assert "<title>Port &lt;talks&gt; \u2013 Zoë https&#58;//x.test</title>" in page
    assert "<h1>Port &lt;talks&gt; \u2013 Zoë https&#58;//x.test</h1>" in page
    assert "Zoë Brandt".encode() in (tmp_path / "out" / "graph.html").read_bytes()


def test_render_one_node_per_entity_and_statement_styled_by_class(page: str) -> None:
    nodes = by_label(page_data(page))
    entities = {"Harbor Pilots Union", "Tidewater Freight", "Mara Quill", "Coastal Shipping Council", HOSTILE, IMG,
                "Zoë Brandt"}
    statements = {label for label, node in nodes.items() if node["cls"] == "Statement"}
    assert set(nodes) == entities | statements
    assert statements == {"\u201cWe will not accept less than a fair wage.\u201d"}
    classes = {c["name"]: c for c in page_data(page)["classes"]}
    assert classes["Person"]["colour"] == CLASS_STYLES["Person"].colour
    assert classes["Person"]["shape"] != classes["LaborUnion"]["shape"]
    assert classes["Group"]["dashed"] is True
    assert nodes["Mara Quill"]["cls"] == "Person"


def test_render_legend_lists_present_classes_in_order(page: str) -> None:
    assert [c["name"] for c in page_data(page)["classes"]] == [
        "LaborUnion", "EmployerAssociation", "Company", "Person", "Group", "Statement",
    ]


def test_render_node_size_grows_with_links(page: str) -> None:
    nodes = by_label(page_data(page))
    # leads, reachesAgreementWith, and negotiatesWith twice (the freight company and the crew)
    assert nodes["Harbor Pilots Union"]["degree"] == 4
    assert nodes[HOSTILE]["degree"] == 3
    assert nodes["Harbor Pilots Union"]["size"] > nodes[HOSTILE]["size"] > nodes["Zoë Brandt"]["size"]


def test_render_edges_are_relations_drawn_once_with_parallel_links_bent(page: str) -> None:
    data = page_data(page)
    names = {node["id"]: node["label"] for node in data["nodes"]}
    edges = sorted((names[e["from"]], e["rel"], names[e["to"]]) for e in data["edges"])
    harbor = [e for e in edges if HOSTILE not in e and IMG not in e and "Zoë Brandt" not in e]
    # negotiatesWith is stated both ways by the harbor articles but drawn once per pair
    assert sorted(rel for _, rel, _ in harbor) == [
        "issuesStatement", "leads", "memberOf", "negotiatesWith", "reachesAgreementWith", "represents",
    ]
    assert {e["rel"]: e["symmetric"] for e in data["edges"]}["negotiatesWith"] is True
    pair = [e for e in data["edges"] if e["rel"] in ("negotiatesWith", "reachesAgreementWith")
            and HOSTILE not in (names[e["from"]], names[e["to"]])]
    assert sorted(e["parallel"] for e in pair) == [0, 1]
    assert data["relations"] == ["issuesStatement", "leads", "memberOf", "negotiatesWith", "reachesAgreementWith",
                                 "represents"]


def test_render_facts_carry_sentence_article_and_date(page: str) -> None:
    union = by_label(page_data(page))["Harbor Pilots Union"]
    facts = {(f["rel"], f["dir"], f["value"]): f["evidence"] for f in union["facts"]}
    talks = facts[("negotiatesWith", "both", "Tidewater Freight")]
    assert [(e["article"], e["date"]) for e in talks] == [
        ("Harbor talks 0", "2034-05-10"), ("Harbor talks 1", "2034-05-11"),
    ]
    assert talks[0]["sentence"] == "The Harbor Pilots Union opened talks with Tidewater Freight on Monday."
    assert facts[("onStrikeSince", "out", "2034-05-02")][0]["sentence"].startswith("The pilots have been on strike")
    assert ("leads", "in", "Mara Quill") in facts
    quill = by_label(page_data(page))["Mara Quill"]
    said = [f for f in quill["facts"] if f["rel"] == "issuesStatement"]
    assert said[0]["value"] == "We will not accept less than a fair wage."
    assert said[0]["evidence"][0]["sentence"].startswith("Union president Mara Quill said")


@pytest.mark.parametrize(
    ("focus", "hops", "expected"),
    [
        ("the pilots", 0, {"Harbor Pilots Union"}),  # an alias finds the entity
        ("HARBOR  pilots union", 1, {"Harbor Pilots Union", "Tidewater Freight", "Mara Quill", HOSTILE}),
        ("Zoë Brandt", 2, {"Zoë Brandt", HOSTILE, IMG, "Harbor Pilots Union"}),
    ],
)
def test_render_focus_keeps_the_neighbourhood(full_graph: rdflib.Graph, focus: str, hops: int, expected: set) -> None:
    data = graph_data(full_graph, focus=focus, hops=hops)
    assert set(by_label(data)) == expected
    assert data["total"] == 8


def test_render_focus_on_an_unknown_name_is_an_error(full_graph: rdflib.Graph) -> None:
    with pytest.raises(NewsgraphError, match="no entity named 'Nobody'"):
        graph_data(full_graph, focus="Nobody")


def test_render_max_nodes_keeps_the_most_connected(full_graph: rdflib.Graph) -> None:
    data = graph_data(full_graph, max_nodes=2)
    assert set(by_label(data)) == {"Tidewater Freight", "Harbor Pilots Union"}
    assert (data["shown"], data["total"]) == (2, 8)
    assert all({e["from"], e["to"]} <= {n["id"] for n in data["nodes"]} for e in data["edges"])


def test_render_shown_graph_draws_only_the_construct_result(full_graph: rdflib.Graph) -> None:
    shown = rdflib.Graph()
    union, freight = ID["entity/harbor-pilots-union"], ID["entity/tidewater-freight"]
    shown.add((union, NG.negotiatesWith, freight))
    data = graph_data(full_graph, shown=shown)
    nodes = by_label(data)
    assert set(nodes) == {"Harbor Pilots Union", "Tidewater Freight"}
    assert [e["rel"] for e in data["edges"]] == ["negotiatesWith"]
    assert nodes["Harbor Pilots Union"]["names"] == ["Harbor Pilots Union", "the pilots"]  # names from the store


def test_render_construct_graph_reads_turtle_and_refuses_other_text() -> None:
    graph = construct_graph("<urn:a> <urn:b> <urn:c> .")
    assert len(graph) == 1
    with pytest.raises(QueryError):
        construct_graph("speaker\tquote\nMara\tfair wage\n")


def test_render_big_graphs_get_fixed_positions_deterministically(full_graph: rdflib.Graph, tmp_path: Path) -> None:
    data = graph_data(full_graph, layout_threshold=3)
    assert data["fixed"] is True
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in data["nodes"])
    assert len({(node["x"], node["y"]) for node in data["nodes"]}) == len(data["nodes"])
    first = render_html(full_graph, tmp_path / "a.html", layout_threshold=3).read_bytes()
    assert first == render_html(full_graph, tmp_path / "b.html", layout_threshold=3).read_bytes()
    assert graph_data(full_graph)["fixed"] is False


def chain_graph(size: int) -> rdflib.Graph:
    """One connected component of `size` companies, each a member of the next."""
    graph = rdflib.Graph()
    for index in range(size):
        node = ID[f"entity/c{index}"]
        graph.add((node, RDF.type, NG.Company))
        graph.add((node, RDFS.label, rdflib.Literal(f"Company {index}")))
        if index:
            graph.add((ID[f"entity/c{index - 1}"], NG.memberOf, node))
    return graph


def test_render_layout_of_a_component_too_big_for_dense_spring_layout() -> None:
    data = graph_data(chain_graph(520), layout_threshold=300)
    xs = [node["x"] for node in data["nodes"]]
    ys = [node["y"] for node in data["nodes"]]
    assert data["fixed"] and len(data["nodes"]) == 520
    assert max(xs) - min(xs) > 500 and max(ys) - min(ys) > 500  # spread out, not piled up
    assert len({(x, y) for x, y in zip(xs, ys, strict=True)}) == 520
    assert graph_data(chain_graph(520), layout_threshold=300) == data  # the seeded layout is deterministic


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_render_scripts_are_valid_javascript(page: str, tmp_path: Path) -> None:
    for index, script in enumerate(re.findall(r"<script>(.*?)</script>", page, re.DOTALL)):
        path = tmp_path / f"script{index}.js"
        path.write_text(script, encoding="utf-8")
        done = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr


def test_render_construct_query_result_from_the_store(harbor_store) -> None:
    from graph.store import query, store_graph

    result = query(harbor_store, """
        PREFIX ng: <https://w3id.org/newsgraph/ontology#>
        CONSTRUCT { ?person ng:leads ?org } WHERE { ?person a ng:Person ; ng:leads ?org }
    """)
    data = graph_data(store_graph(harbor_store), shown=construct_graph(result))
    assert sorted(node["label"] for node in data["nodes"]) == ["Harbor Pilots Union", "Mara Quill"]
    assert [edge["rel"] for edge in data["edges"]] == ["leads"]


def test_render_empty_graph_is_a_page_with_no_nodes(tmp_path: Path) -> None:
    page = render_html(rdflib.Graph(), tmp_path / "empty.html").read_text(encoding="utf-8")
    data = page_data(page)
    assert (data["nodes"], data["edges"], data["classes"], data["total"]) == ([], [], [], 0)
