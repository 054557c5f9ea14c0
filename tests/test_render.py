"""The HTML explorer's data and page: self-contained (no remote URL, no lib/ folder), escaped, facts with
evidence, focus and limits, ranks, layout, timeline, and the PNG command."""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from conftest import HOSTILE_IMG, HOSTILE_NAME, HOSTILE_SENTENCE, harbor_event_extraction
from dispute_graphs import dispute_graph
from rdflib import RDF, RDFS, Literal

from graph.errors import NewsgraphError, QueryError
from graph.rdf.vocab import ID, NG
from graph.views.render import CLASS_STYLES, construct_graph, find_chromium, graph_data, render_html

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


def evidence_of(data: dict, fact: dict) -> list[tuple[str, str, str]]:
    """A fact's evidence as (sentence, article title, date), read through the page's two tables."""
    return [(data["sentences"][s], data["articles"][d]["title"], data["articles"][d]["date"])
            for s, d in fact["evidence"]]


def test_render_page_has_no_remote_url(page: str) -> None:
    assert "http://" not in page
    assert "https://" not in page


def test_render_writes_no_lib_folder(page: str, tmp_path: Path) -> None:
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graph.html"]


def test_render_inlines_its_scripts(page: str) -> None:
    assert "<script src=" not in page
    assert "<link" not in page
    assert page.count("<script") == 2  # the data, and the drawing + timeline + app code
    assert "NewsgraphScene.create" in page and "NewsgraphTimeline.create" in page


@pytest.mark.parametrize("raw", [HOSTILE, IMG, "<b>crew</b>", "<i>hostile</i>"])
def test_render_markup_from_articles_never_reaches_the_page_raw(page: str, raw: str) -> None:
    assert raw not in page
    assert html_free(raw) in page  # the same text, with < > & / as JSON escapes


def html_free(text: str) -> str:
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("/", "\\/")):
        text = text.replace(char, escape)
    return json.dumps(text, ensure_ascii=False)[1:-1].replace("\\\\", "\\")


def test_render_escaped_data_round_trips_to_the_original_text(page: str) -> None:
    data = page_data(page)
    nodes = by_label(data)
    assert {HOSTILE, IMG, "Zoë Brandt"} <= set(nodes)
    assert "O'Brien \"Crew\"" in nodes[HOSTILE]["names"]
    sentences = {s for fact in nodes["Zoë Brandt"]["facts"] for s, _, _ in evidence_of(data, fact)}
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
    assert classes["Statement"]["shape"] == "bubble"
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


def test_render_ranks_follow_links_with_statements_last(page: str) -> None:
    nodes = sorted(page_data(page)["nodes"], key=lambda n: n["rank"])
    assert [n["rank"] for n in nodes] == list(range(len(nodes)))
    assert nodes[-1]["cls"] == "Statement"
    degrees = [n["degree"] for n in nodes if n["cls"] != "Statement"]
    assert degrees == sorted(degrees, reverse=True)
    # the union and the freight company both have 4 links: PageRank puts the union, linked to the crew, first
    assert [n["label"] for n in nodes[:2]] == ["Harbor Pilots Union", "Tidewater Freight"]


def test_render_the_hub_of_a_sector_ranks_first() -> None:
    graph, _ = dispute_graph(150)
    data = graph_data(graph)
    top = min(data["nodes"], key=lambda n: n["rank"])
    assert top["degree"] == max(n["degree"] for n in data["nodes"])


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
    data = page_data(page)
    union = by_label(data)["Harbor Pilots Union"]
    facts = {(f["rel"], f["dir"], f["value"]): f for f in union["facts"]}
    talks = evidence_of(data, facts[("negotiatesWith", "both", "Tidewater Freight")])
    assert [(article, date) for _, article, date in talks] == [
        ("Harbor talks 0", "2034-05-10"), ("Harbor talks 1", "2034-05-11"),
    ]
    assert talks[0][0] == "The Harbor Pilots Union opened talks with Tidewater Freight on Monday."
    strike = evidence_of(data, facts[("onStrikeSince", "out", "2034-05-02")])
    assert strike[0][0].startswith("The pilots have been on strike")
    assert ("leads", "in", "Mara Quill") in facts
    quill = by_label(data)["Mara Quill"]
    said = [f for f in quill["facts"] if f["rel"] == "issuesStatement"]
    assert said[0]["value"] == "We will not accept less than a fair wage."
    assert evidence_of(data, said[0])[0][0].startswith("Union president Mara Quill said")


def test_render_each_sentence_and_article_is_written_once(page: str) -> None:
    data = page_data(page)
    assert len(set(data["sentences"])) == len(data["sentences"])
    assert [a["date"] for a in data["articles"]] == ["2034-05-10", "2034-05-11", "2034-07-01"]
    assert data["articles"][2]["url"] == "https://example.org/hostile"
    cited = {s for n in data["nodes"] for f in n["facts"] for s, _ in f["evidence"]}
    assert cited == set(range(len(data["sentences"])))


def test_render_links_and_strike_dates_name_their_source_articles(page: str) -> None:
    data = page_data(page)
    titles = [a["title"] for a in data["articles"]]
    names = {node["id"]: node["label"] for node in data["nodes"]}
    docs = {(names[e["from"]], e["rel"], names[e["to"]]): [titles[d] for d in e["docs"]] for e in data["edges"]}
    assert docs[("Harbor Pilots Union", "negotiatesWith", "Tidewater Freight")] == ["Harbor talks 0", "Harbor talks 1"]
    assert docs[("Zoë Brandt", "leads", HOSTILE)] == ['The "<i>hostile</i>" one']
    union = by_label(data)["Harbor Pilots Union"]
    assert [titles[d] for d in union["dateDocs"]] == ["Harbor talks 0", "Harbor talks 1"]
    assert "dateDocs" not in by_label(data)["Zoë Brandt"]


def test_render_quotation_marks_of_a_quote_are_not_doubled() -> None:
    graph = rdflib.Graph()
    speaker, statement = ID["entity/ana"], ID["statement/s1"]
    graph.add((speaker, RDF.type, NG.Person))
    graph.add((speaker, RDFS.label, Literal("Ana")))
    graph.add((speaker, NG.issuesStatement, statement))
    graph.add((statement, RDF.type, NG.Statement))
    graph.add((statement, NG.quoteText, Literal('"This agreement is a win for every worker."')))
    quote = next(n for n in graph_data(graph)["nodes"] if n["cls"] == "Statement")
    assert quote["label"] == "\u201cThis agreement is a win for every worker.\u201d"
    assert quote["names"] == ["This agreement is a win for every worker."]


def test_render_hides_unlinked_nodes_by_default_above_100_nodes(full_graph: rdflib.Graph) -> None:
    graph, _ = dispute_graph(150)
    data = graph_data(graph)
    assert data["quiet"] is True and data["shown"] > 100
    unlinked = {n["cls"] for n in data["nodes"] if n["degree"] == 0}
    assert unlinked == {"Place", "MediaOutlet", "GovernmentOrganization"}
    assert graph_data(full_graph)["quiet"] is False


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
    assert [a["title"] for a in data["articles"]] == ["Harbor talks 0", "Harbor talks 1", 'The "<i>hostile</i>" one']


def test_render_shown_graph_draws_only_the_construct_result(full_graph: rdflib.Graph) -> None:
    shown = rdflib.Graph()
    union, freight = ID["entity/harbor-pilots-union"], ID["entity/tidewater-freight"]
    shown.add((union, NG.negotiatesWith, freight))
    data = graph_data(full_graph, shown=shown)
    nodes = by_label(data)
    assert set(nodes) == {"Harbor Pilots Union", "Tidewater Freight"}
    assert [e["rel"] for e in data["edges"]] == ["negotiatesWith"]
    assert data["edges"][0]["docs"] == [0, 1]  # its evidence, from the store's graph
    assert nodes["Harbor Pilots Union"]["names"] == ["Harbor Pilots Union", "the pilots"]  # names from the store


def test_render_construct_graph_reads_turtle_and_refuses_other_text() -> None:
    graph = construct_graph("<urn:a> <urn:b> <urn:c> .")
    assert len(graph) == 1
    with pytest.raises(QueryError):
        construct_graph("speaker\tquote\nMara\tfair wage\n")


# --- layout ----------------------------------------------------------------------------------------------


def test_render_positions_are_computed_for_every_node_deterministically(full_graph: rdflib.Graph,
                                                                        tmp_path: Path) -> None:
    data = graph_data(full_graph)
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in data["nodes"])
    assert len({(node["x"], node["y"]) for node in data["nodes"]}) == len(data["nodes"])
    first = render_html(full_graph, tmp_path / "a.html").read_bytes()
    assert first == render_html(full_graph, tmp_path / "b.html").read_bytes()


def test_render_layout_keeps_nodes_apart_and_unlinked_ones_last() -> None:
    graph, _ = dispute_graph(150)
    nodes = graph_data(graph)["nodes"]
    for index, a in enumerate(nodes):
        for b in nodes[index + 1:]:
            assert math.hypot(a["x"] - b["x"], a["y"] - b["y"]) >= a["size"] + b["size"], (a["label"], b["label"])
    linked_bottom = max(n["y"] for n in nodes if n["degree"])
    assert all(n["y"] > linked_bottom for n in nodes if not n["degree"])  # hiding them leaves no hole
    xs, ys = [n["x"] for n in nodes], [n["y"] for n in nodes]
    assert 1 < (max(xs) - min(xs)) / (max(ys) - min(ys)) < 3  # about a screen's shape, not a long strip


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
    data = graph_data(chain_graph(520))
    xs = [node["x"] for node in data["nodes"]]
    ys = [node["y"] for node in data["nodes"]]
    assert len(data["nodes"]) == 520
    assert max(xs) - min(xs) > 500 and max(ys) - min(ys) > 500  # spread out, not piled up
    assert len({(x, y) for x, y in zip(xs, ys, strict=True)}) == 520
    assert graph_data(chain_graph(520)) == data  # the seeded layout is deterministic


# --- timeline --------------------------------------------------------------------------------------------


def test_render_timeline_pairs_strike_dates_into_one_bar(page: str) -> None:
    line = page_data(page)["timeline"]
    assert line["source"] == "relations"
    assert [(s["label"], s["start"], s["end"], s["docs"]) for s in line["strikes"]] == [
        ("Harbor Pilots Union", "2034-05-02", "2034-06", [0, 1]),
    ]


def test_render_timeline_marks_talks_and_agreements_at_their_articles_dates(page: str) -> None:
    data = page_data(page)
    names = {node["id"]: node["label"] for node in data["nodes"]}
    marks = [(m["kind"], m["date"], names[m["from"]], names[m["to"]]) for m in data["timeline"]["marks"]]
    assert marks == [
        ("talks", "2034-05-10", "Harbor Pilots Union", "Tidewater Freight"),
        ("agreement", "2034-05-11", "Harbor Pilots Union", "Tidewater Freight"),
        ("talks", "2034-05-11", "Harbor Pilots Union", "Tidewater Freight"),
        ("talks", "2034-07-01", "Harbor Pilots Union", HOSTILE),
    ]
    edges = {e["id"]: e for e in data["edges"]}
    assert all(edges[m["edge"]]["rel"] in ("negotiatesWith", "reachesAgreementWith") for m in data["timeline"]["marks"])


def test_render_timeline_has_the_generated_strikes() -> None:
    graph, strikes = dispute_graph(150)
    line = graph_data(graph)["timeline"]
    assert sorted((s["label"], s["start"], s["end"]) for s in line["strikes"]) == sorted(
        (s.union, s.start, s.end) for s in strikes)
    assert {s.end is None for s in strikes} == {True, False}  # some still on
    assert any(s.end and len(s.end) == 7 for s in strikes)  # some known to the month only


def strike_graph(*facts: tuple[str, str]) -> rdflib.Graph:
    """A union with the given (predicate, date) strike facts."""
    graph = rdflib.Graph()
    union = ID["entity/u"]
    graph.add((union, RDF.type, NG.LaborUnion))
    graph.add((union, RDFS.label, Literal("U")))
    for predicate, day in facts:
        datatype = rdflib.XSD.gYearMonth if len(day) == 7 else rdflib.XSD.date
        graph.add((union, NG[predicate], Literal(day, datatype=datatype)))
    return graph


@pytest.mark.parametrize(
    ("facts", "bars"),
    [
        ([("onStrikeSince", "2030-03-01"), ("onStrikeSince", "2030-03-04")], [("2030-03-01", None)]),
        ([("onStrikeSince", "2030-03-01"), ("strikeEndedOn", "2030-03"), ("strikeEndedOn", "2030-03-20")],
         [("2030-03-01", "2030-03-20")]),  # the day sorts before the end of its month: the month is a second report
        ([("onStrikeSince", "2030-03-01"), ("strikeEndedOn", "2030-03-10"), ("onStrikeSince", "2030-05-02")],
         [("2030-03-01", "2030-03-10"), ("2030-05-02", None)]),
        ([("strikeEndedOn", "2030-04-09")], [(None, "2030-04-09")]),
        # an old strike recalled beside the end of today's: nobody reported the old one running until then
        ([("onStrikeSince", "2016-07-01"), ("strikeEndedOn", "2025-07-11")],
         [("2016-07-01", None), (None, "2025-07-11")]),
    ],
    ids=["second-report-of-a-start", "month-and-day-of-one-end", "two-strikes", "end-only", "years-apart"],
)
def test_render_timeline_pairs_starts_and_ends_in_date_order(facts: list, bars: list) -> None:
    strikes = graph_data(strike_graph(*facts))["timeline"]["strikes"]
    assert [(s["start"], s["end"]) for s in strikes] == bars


def test_render_timeline_pairs_a_long_strike_reported_while_it_ran(page: str) -> None:
    graph = strike_graph(("onStrikeSince", "2030-01-05"), ("strikeEndedOn", "2031-06"))
    source, evidence = ID["doc/d1"], ID["evidence/x"]
    graph.add((source, RDF.type, NG.Document))
    graph.add((source, NG.publishedOn, Literal("2030-09-01", datatype=rdflib.XSD.date)))
    graph.add((evidence, RDF.type, NG.Evidence))
    for part, value in ((RDF.subject, ID["entity/u"]), (RDF.predicate, NG.onStrikeSince),
                        (RDF.object, Literal("2030-01-05", datatype=rdflib.XSD.date)), (NG.source, source),
                        (NG.sentence, Literal("The strike goes on."))):
        graph.add((evidence, part, value))
    strikes = graph_data(graph)["timeline"]["strikes"]
    assert [(s["start"], s["end"], s["docs"]) for s in strikes] == [("2030-01-05", "2031-06", [0])]


def test_render_timeline_reads_dispute_events_when_the_graph_has_them(page: str, full_graph: rdflib.Graph) -> None:
    graph = rdflib.Graph() + full_graph
    event, evidence, agreement = ID["event/strike-1"], ID["evidence/e1"], ID["event/agreement-1"]
    union, freight = ID["entity/harbor-pilots-union"], ID["entity/tidewater-freight"]
    term = {name: NG[name] for name in ("Strike", "Agreement", "unionSide", "employerSide", "startDate", "endDate")}
    graph.add((event, RDF.type, term["Strike"]))
    graph.add((event, term["unionSide"], union))
    graph.add((event, term["employerSide"], freight))
    graph.add((event, term["startDate"], Literal("2034-05-01", datatype=rdflib.XSD.date)))
    graph.add((event, term["endDate"], Literal("2034-06-12", datatype=rdflib.XSD.date)))
    graph.add((evidence, RDF.type, NG.Evidence))
    graph.add((evidence, RDF.subject, event))
    graph.add((evidence, NG.source, ID["doc/harbor-1"]))
    graph.add((agreement, RDF.type, term["Agreement"]))
    graph.add((agreement, term["unionSide"], union))
    graph.add((agreement, term["employerSide"], freight))
    graph.add((agreement, term["startDate"], Literal("2034-06-11", datatype=rdflib.XSD.date)))
    data = graph_data(graph)
    line = data["timeline"]
    assert line["source"] == "events"
    assert [(s["label"], s["start"], s["end"], s["docs"]) for s in line["strikes"]] == [
        ("Harbor Pilots Union", "2034-05-01", "2034-06-12", [1]),  # the event, not the direct dates
    ]
    edges = {e["id"]: e["rel"] for e in data["edges"]}
    assert [(m["kind"], m["date"], edges[m["edge"]]) for m in line["marks"]] == [
        ("agreement", "2034-06-11", "reachesAgreementWith"),
    ]


def test_render_timeline_reads_the_events_a_build_writes() -> None:
    from graph.rdf.build import build_graph

    graph = rdflib.Graph()
    for index in (0, 1):
        graph += build_graph(harbor_event_extraction(index))
    data = graph_data(graph)
    line = data["timeline"]
    assert line["source"] == "events"
    # one strike node, its start from the first article and its end from the second
    assert [(s["label"], s["start"], s["end"], s["docs"]) for s in line["strikes"]] == [
        ("Harbor Pilots Union", "2034-05-02", "2034-06", [0, 1])]
    assert [(m["kind"], m["date"], m["doc"]) for m in line["marks"]] == [
        ("talks", "2034-05-10", 0), ("agreement", "2034-05-11", 1), ("talks", "2034-05-11", 1)]
    assert not [n for n in data["nodes"] if "/event/" in n["id"] or "/dispute/" in n["id"]]  # events are no nodes


def test_render_timeline_bar_spans_every_articles_dates_of_a_strike() -> None:
    graph = strike_graph()
    event = ID["event/strike-u"]
    graph.add((event, RDF.type, NG.Strike))
    graph.add((event, NG.unionSide, ID["entity/u"]))
    for predicate, day in ((NG.startDate, "2030-03-04"), (NG.startDate, "2030-03"), (NG.endDate, "2030-04-02"),
                           (NG.endDate, "2030-04-09")):
        datatype = rdflib.XSD.gYearMonth if len(day) == 7 else rdflib.XSD.date
        graph.add((event, predicate, Literal(day, datatype=datatype)))
    strikes = graph_data(graph)["timeline"]["strikes"]
    assert [(s["start"], s["end"]) for s in strikes] == [("2030-03", "2030-04-09")]


# --- the page as a whole ---------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_render_scripts_are_valid_javascript(page: str, tmp_path: Path) -> None:
    for index, script in enumerate(re.findall(r"<script>(.*?)</script>", page, re.DOTALL)):
        path = tmp_path / f"script{index}.js"
        path.write_text(script, encoding="utf-8")
        done = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr


def test_render_construct_query_result_from_the_store(harbor_store) -> None:
    from graph.store.embedded import query, store_graph

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
    assert (data["articles"], data["timeline"]["strikes"], data["timeline"]["marks"]) == ([], [], [])


# --- render --png ----------------------------------------------------------------------------------------


def _cli(*args: str):
    from graph.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_render_png_without_chromium_is_a_one_line_error(harbor_store_path: Path, tmp_path: Path,
                                                         monkeypatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_CHROMIUM", str(tmp_path / "no-such-browser"))
    result = _cli("render", "--store", str(harbor_store_path), "-o", str(tmp_path / "g.html"),
                  "--png", str(tmp_path / "g.png"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith("error: ")] == lines[-1:]
    assert "render --png needs Chromium" in lines[-1] and "Traceback" not in result.output
    assert (tmp_path / "g.html").exists() and not (tmp_path / "g.png").exists()  # the page is still written


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_render_png_draws_the_page_headless(harbor_store_path: Path, tmp_path: Path) -> None:
    if find_chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; CI must run this test (scripts/setup-browser.sh installs it)")
        pytest.skip("chromium is not installed; run `bash scripts/setup-browser.sh` to install it")
    result = _cli("render", "--store", str(harbor_store_path), "-o", str(tmp_path / "g.html"),
                  "--png", str(tmp_path / "g.png"))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"wrote {tmp_path / 'g.html'}", f"wrote {tmp_path / 'g.png'}"]
    width, height = png_size(tmp_path / "g.png")
    assert width == 1400 and 700 < height <= 900  # the window, less what the picture leaves out
