"""SPARQL over the store: result formats, refusal of updates, syntax errors, bundled queries."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import harbor_event_extraction

from graph.errors import QueryError
from graph.rdf.iri import dispute_iri, entity_iri
from graph.store.embedded import query
from graph.store.queries import bundled_queries, compact, format_table, read_only_violation, resolve_query

PREFIX = "PREFIX ng: <https://w3id.org/newsgraph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
UNIONS = PREFIX + "SELECT DISTINCT ?name WHERE { ?u a ng:LaborUnion ; rdfs:label ?name } ORDER BY ?name"
HARBOR_0 = "id:doc/harbor-0"
BUNDLED = (
    "agreements", "entities", "leaders", "members", "negotiations", "represents", "statements", "strikes",
)
EVENT_QUERIES = ("disputes", "timeline")  # they read dispute events, which the harbor articles do not have


def _rows(table: str) -> list[list[str]]:
    """The data rows of a text table, cells split on runs of two or more spaces."""
    import re

    return [re.split(r"\s{2,}", line.strip()) for line in table.splitlines()[2:]]


def test_queries_json_is_sparql_json_results(harbor_store) -> None:
    result = json.loads(query(harbor_store, UNIONS, "json"))
    assert result["head"]["vars"] == ["name"]
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == ["Harbor Pilots Union"]


def test_queries_xml_is_sparql_xml_results(harbor_store) -> None:
    root = ET.fromstring(query(harbor_store, UNIONS, "xml"))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["name"]
    assert [lit.text for lit in root.iter("{http://www.w3.org/2005/sparql-results#}literal")] == [
        "Harbor Pilots Union"
    ]


@pytest.mark.parametrize(("fmt", "delimiter", "header"), [("csv", ",", "name"), ("tsv", "\t", "?name")])
def test_queries_csv_and_tsv_have_a_header_and_rows(
    harbor_store, fmt: str, delimiter: str, header: str
) -> None:
    rows = list(csv.reader(io.StringIO(query(harbor_store, UNIONS, fmt)), delimiter=delimiter))
    assert rows[0] == [header]
    assert rows[1][0].strip('"') == "Harbor Pilots Union"


def test_queries_table_compacts_iris_and_aligns_columns(harbor_store) -> None:
    sparql = PREFIX + "SELECT ?union ?cls WHERE { ?union a ?cls ; rdfs:label 'Harbor Pilots Union' } LIMIT 1"
    lines = query(harbor_store, sparql, "table").splitlines()
    assert lines[0].split() == ["union", "cls"]
    assert lines[2].split() == ["id:entity/harbor-pilots-union", "ng:LaborUnion"]
    assert lines[2].index("ng:") == lines[0].index("cls")


@pytest.mark.parametrize(("fmt", "expected"), [("table", "true\n"), ("csv", "true\n")])
def test_queries_ask_answers_true_or_false(harbor_store, fmt: str, expected: str) -> None:
    assert query(harbor_store, PREFIX + "ASK { ?u a ng:LaborUnion }", fmt) == expected
    assert query(harbor_store, PREFIX + "ASK { ?u a ng:Place }", fmt) == expected.replace("true", "false")


def test_queries_ask_json_is_a_boolean_result(harbor_store) -> None:
    assert json.loads(query(harbor_store, PREFIX + "ASK { ?u a ng:LaborUnion }", "json"))["boolean"] is True


def test_queries_construct_returns_turtle_without_duplicates(harbor_store) -> None:
    sparql = PREFIX + "CONSTRUCT { ?e a ?c } WHERE { ?e a ?c ; ng:mentionedIn ?d }"
    text = query(harbor_store, sparql, "table")  # the default format gives a graph as Turtle
    graph = rdflib.Graph().parse(data=text, format="turtle")
    assert len(graph) == 4  # union, company, person, council; the shared two are typed in both articles
    assert text.count("entity:harbor-pilots-union a ng:LaborUnion") == 1


@pytest.mark.parametrize(
    ("sparql", "keyword"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
        (PREFIX + "DELETE WHERE { ?s ng:leads ?o }", "DELETE"),
        ("# a comment that mentions SELECT\n  drop all", "DROP"),
        ("BASE <http://example.org/>\nLOAD <data.ttl>", "LOAD"),
        ("CLEAR DEFAULT", "CLEAR"),
        ("CREATE GRAPH <urn:g>", "CREATE"),
        ("ADD <urn:a> TO <urn:b>", "ADD"),
        ("MOVE DEFAULT TO <urn:g>", "MOVE"),
        ("COPY <urn:a> TO <urn:b>", "COPY"),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ],
)
def test_queries_updates_are_refused(harbor_store, sparql: str, keyword: str) -> None:
    before = len(harbor_store.ox)
    with pytest.raises(QueryError, match=f"^read-only: {keyword} "):
        query(harbor_store, sparql, "table")
    assert len(harbor_store.ox) == before


@pytest.mark.parametrize(
    "sparql",
    [
        'SELECT * WHERE { ?s ?p "INSERT" }',
        "PREFIX drop: <urn:drop#>\nSELECT ?s WHERE { ?s drop:x ?o }",
        "# DELETE everything? no.\nASK { ?s ?p ?o }",
    ],
)
def test_queries_words_inside_queries_are_not_updates(sparql: str) -> None:
    assert read_only_violation(sparql) is None


def test_queries_syntax_error_is_one_line_with_the_position(harbor_store) -> None:
    with pytest.raises(QueryError) as caught:
        query(harbor_store, "SELECT ?x WHERE { ?x ", "table")
    message = str(caught.value)
    assert message.startswith("SPARQL syntax error at line 1, column ")
    assert "\n" not in message


def test_queries_unknown_result_format_is_refused(harbor_store) -> None:
    with pytest.raises(QueryError, match="unknown result format"):
        query(harbor_store, UNIONS, "yaml")


def test_queries_bundled_names_are_the_ten_queries() -> None:
    assert tuple(bundled_queries()) == tuple(sorted(BUNDLED + EVENT_QUERIES))


@pytest.mark.parametrize("name", BUNDLED)
def test_queries_bundled_query_runs_deterministically(harbor_store, name: str) -> None:
    first = query(harbor_store, resolve_query(name), "table")
    assert first == query(harbor_store, resolve_query(name), "table")
    assert len(first.splitlines()) >= 3  # header, rule and at least one row on the harbor articles


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("negotiations", [["Harbor Pilots Union", "Tidewater Freight", "2"]]),
        ("agreements", [["Harbor Pilots Union", "Tidewater Freight", "1"]]),
        ("strikes", [["Harbor Pilots Union", "2034-05-02", "2034-06"]]),
        ("leaders", [["Mara Quill", "Harbor Pilots Union"]]),
        ("members", [["Tidewater Freight", "Coastal Shipping Council"]]),
        ("represents", [["Coastal Shipping Council", "Tidewater Freight"]]),
        ("statements", [["Mara Quill", "We will not accept less than a fair wage.", "2034-05-10", HARBOR_0]]),
    ],
)
def test_queries_bundled_query_answers(harbor_store, name: str, expected: list[list[str]]) -> None:
    assert _rows(query(harbor_store, resolve_query(name), "table")) == expected


def test_queries_entities_lists_each_entity_with_its_articles(harbor_store) -> None:
    rows = _rows(query(harbor_store, resolve_query("entities"), "table"))
    assert ["Harbor Pilots Union", "LaborUnion", "2", "the pilots"] in rows
    assert ["Mara Quill", "Person", "1"] in rows
    assert len(rows) == 4


def test_queries_resolve_reads_a_query_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(UNIONS, encoding="utf-8")
    assert resolve_query(str(path)) == UNIONS


def test_queries_resolve_passes_sparql_text_through() -> None:
    assert resolve_query(UNIONS) == UNIONS


def test_queries_resolve_unknown_name_lists_the_bundled_ones() -> None:
    with pytest.raises(QueryError, match="unknown query 'negotiation'; bundled queries: agreements, disputes, entit"):
        resolve_query("negotiation")


def test_queries_resolve_missing_query_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="no query file"):
        resolve_query(str(tmp_path / "absent.rq"))


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (ox.NamedNode("https://w3id.org/newsgraph/id/entity/a-b"), "id:entity/a-b"),
        (ox.NamedNode("https://w3id.org/newsgraph/ontology#leads"), "ng:leads"),
        (ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"), "xsd:date"),
        (ox.NamedNode("urn:other:thing"), "<urn:other:thing>"),
        (ox.Literal("two\nlines"), "two lines"),
        (None, ""),
    ],
)
def test_queries_compact_term(term, expected: str) -> None:
    assert compact(term) == expected


def test_queries_format_table_cuts_long_cells() -> None:
    table = format_table(["quote"], [[ox.Literal("x" * 500)]])
    assert len(table.splitlines()[2]) == 100
    assert table.splitlines()[2].endswith("\u2026")


# --- the bundled queries read repeated names once (issue 5) -----------------------------------------------

# The bundled queries as they were before their names, types and mentions moved into DISTINCT sub-selects:
# plain joins over the union, kept here as the specification of their answers.
_PLAIN_JOINS = {
    "agreements": """SELECT (MIN(STR(?party_label)) AS ?party) (MIN(STR(?counterpart_label)) AS ?counterpart)
       (COUNT(DISTINCT ?doc) AS ?articles) WHERE {
  { GRAPH ?doc { ?a ng:reachesAgreementWith ?b } } UNION { GRAPH ?doc { ?b ng:reachesAgreementWith ?a } }
  FILTER (STR(?a) < STR(?b)) ?a rdfs:label ?party_label . ?b rdfs:label ?counterpart_label .
} GROUP BY ?a ?b ORDER BY ?party ?counterpart""",
    "entities": """SELECT (MIN(STR(?label)) AS ?entity) (STRAFTER(STR(?cls), "#") AS ?class)
       (COUNT(DISTINCT ?doc) AS ?articles) (GROUP_CONCAT(DISTINCT STR(?alias); separator=" | ") AS ?aliases)
WHERE { ?e ng:mentionedIn ?doc ; a ?cls ; rdfs:label ?label .
  OPTIONAL { ?e skos:altLabel ?alias FILTER (STR(?alias) != STR(?label)) }
} GROUP BY ?e ?cls ORDER BY ?class ?entity""",
    "leaders": """SELECT DISTINCT ?person ?role_of WHERE { ?p ng:leads ?o . ?p rdfs:label ?person .
  ?o rdfs:label ?role_of . } ORDER BY ?person ?role_of""",
    "members": """SELECT DISTINCT ?member ?group WHERE { ?m ng:memberOf ?g . ?m rdfs:label ?member .
  ?g rdfs:label ?group . } ORDER BY ?group ?member""",
    "negotiations": """SELECT (MIN(STR(?party_label)) AS ?party) (MIN(STR(?counterpart_label)) AS ?counterpart)
       (COUNT(DISTINCT ?doc) AS ?articles) WHERE {
  { GRAPH ?doc { ?a ng:negotiatesWith ?b } } UNION { GRAPH ?doc { ?b ng:negotiatesWith ?a } }
  FILTER (STR(?a) < STR(?b)) ?a rdfs:label ?party_label . ?b rdfs:label ?counterpart_label .
} GROUP BY ?a ?b ORDER BY ?party ?counterpart""",
    "represents": """SELECT DISTINCT ?representative ?represented WHERE { ?r ng:represents ?o .
  ?r rdfs:label ?representative . ?o rdfs:label ?represented . } ORDER BY ?representative ?represented""",
    "statements": """SELECT DISTINCT ?speaker ?quote ?date ?article WHERE {
  ?statement a ng:Statement ; ng:speaker ?who ; ng:quoteText ?quote . ?who rdfs:label ?speaker .
  OPTIONAL { ?statement ng:statedOn ?date } OPTIONAL { ?statement ng:source ?article }
} ORDER BY STR(?date) ?speaker ?quote ?article""",
    "strikes": """SELECT DISTINCT ?union ?since ?ended WHERE { ?u rdfs:label ?union .
  { ?u ng:onStrikeSince ?since . OPTIONAL { ?u ng:strikeEndedOn ?ended } }
  UNION { ?u ng:strikeEndedOn ?ended . FILTER NOT EXISTS { ?u ng:onStrikeSince ?any } }
} ORDER BY ?union STR(?since) STR(?ended)""",
}
_SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


@pytest.fixture()
def recurring_store(harbor_store, harbor_graphs):
    """The harbor articles plus five more graphs repeating their triples, each naming the entities with a
    different set of aliases, so types, names and relations recur across graphs as in a real corpus."""
    from graph.rdf.iri import doc_iri
    from graph.store.embedded import write_articles

    aliases = ["the pilots", "pilots' union", "HPU", "the harbor union", "pilots"]
    copies = []
    for i in range(5):
        graph = rdflib.Graph()
        for _, original in harbor_graphs:
            for triple in original:
                graph.add(triple)
        for subject in set(graph.subjects(rdflib.RDF.type, None)):
            for alias in aliases[i % 3: i % 3 + 2 + i % 2]:
                graph.add((subject, rdflib.SKOS.altLabel, rdflib.Literal(f"{alias} {i}")))
        graph.add((rdflib.URIRef(str(doc_iri(f"recurring-{i}"))), rdflib.RDF.type, rdflib.URIRef(
            "https://w3id.org/newsgraph/ontology#Document")))
        copies.append((doc_iri(f"recurring-{i}"), graph))
    write_articles(harbor_store, copies)
    return harbor_store


@pytest.mark.parametrize("name", BUNDLED)
def test_queries_bundled_query_answers_like_the_plain_join(recurring_store, name: str) -> None:
    plain = PREFIX + _SKOS + _PLAIN_JOINS[name]
    for fmt in ("tsv", "table"):
        expected = query(recurring_store, plain, fmt)
        assert len(expected.splitlines()) >= 2
        assert query(recurring_store, resolve_query(name), fmt) == expected


def test_queries_entities_counts_and_aliases_over_recurring_graphs(recurring_store) -> None:
    rows = json.loads(query(recurring_store, resolve_query("entities"), "json"))["results"]["bindings"]
    union = next(row for row in rows if row["entity"]["value"] == "Harbor Pilots Union")
    assert (union["class"]["value"], union["articles"]["value"]) == ("LaborUnion", "2")  # copies add no mention
    aliases = union["aliases"]["value"].split(" | ")
    assert len(aliases) == len(set(aliases))
    assert set(aliases) >= {"the pilots", "the pilots 0", "HPU 2", "HPU 4"}


@pytest.mark.parametrize("name", BUNDLED + EVENT_QUERIES)
def test_queries_bundled_query_reads_names_and_types_once(name: str) -> None:
    # rdfs:label and rdf:type triples are repeated in every article graph naming the entity; a plain join
    # over the union multiplies the rows per article (issue 5), so they are read in DISTINCT sub-selects (or
    # sub-selects grouped by the entity).
    for line in resolve_query(name).splitlines():
        if "rdfs:label" in line or re.search(r"\sa \?", line):
            assert "SELECT DISTINCT" in line or re.search(r"GROUP BY \?\w+ }", line), line


# --- prefixes bound by default, formats that fit the query form --------------------------------------------
@pytest.mark.parametrize("sparql", [
    "SELECT ?s WHERE { ?s a ng:LaborUnion }",
    "SELECT ?s WHERE { ?s a ng:LaborUnion ; rdfs:label ?l . FILTER(?l != 'x'^^xsd:string) }",
])
def test_queries_common_prefixes_are_bound_by_default(harbor_store, sparql: str) -> None:
    assert "entity/harbor-pilots-union" in query(harbor_store, sparql, "csv")


def test_queries_a_prefix_the_query_declares_wins(harbor_store) -> None:
    sparql = "PREFIX ng: <urn:other#> SELECT ?s WHERE { ?s a ng:LaborUnion }"
    assert query(harbor_store, sparql, "csv").splitlines() == ["s"]


def test_queries_unknown_prefix_is_named(harbor_store) -> None:
    with pytest.raises(QueryError, match=r"unknown prefix wd:; declare it \(PREFIX wd: <...>\)"):
        query(harbor_store, "SELECT ?s WHERE { ?s a wd:Q5 ; a ng:LaborUnion }")


def test_queries_syntax_error_columns_are_the_users_own(harbor_store) -> None:
    # The bound prefixes go before the user's first line: the column must be the one of the user's text, the
    # same as when the user declares the prefix on a line of its own.
    declared = "PREFIX ng: <https://w3id.org/newsgraph/ontology#>\nSELECT ?s WHERE { ?s a ng:LaborUnion ! }"
    with pytest.raises(QueryError, match="line 2, column 41"):
        query(harbor_store, declared)
    with pytest.raises(QueryError, match="line 1, column 41"):
        query(harbor_store, "SELECT ?s WHERE { ?s a ng:LaborUnion ! }")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_queries_construct_refuses_a_table_format(harbor_store, fmt: str) -> None:
    with pytest.raises(QueryError, match="gives triples, not a table: use --format turtle"):
        query(harbor_store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", fmt)


@pytest.mark.parametrize(("fmt", "parse_as"), [("turtle", "turtle"), ("ttl", "turtle"), ("nt", "nt"),
                                               ("jsonld", "json-ld"), ("json-ld", "json-ld"), ("xml", "xml")])
def test_queries_construct_in_rdf_formats(harbor_store, fmt: str, parse_as: str) -> None:
    sparql = "CONSTRUCT { ?e a ng:LaborUnion } WHERE { ?e a ng:LaborUnion }"
    text = query(harbor_store, sparql, fmt)
    graph = rdflib.Graph().parse(data=text, format=parse_as)
    assert len(graph) == 1 and text.endswith("\n")
    assert query(harbor_store, sparql, fmt) == text  # deterministic


def test_queries_select_refuses_an_rdf_format(harbor_store) -> None:
    with pytest.raises(QueryError, match="gives a table, not triples"):
        query(harbor_store, "SELECT * WHERE { ?s ?p ?o }", "turtle")


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("sparql", ["SELECT ?s WHERE { ?s a ng:Company }", "ASK { ?s a ng:Company }"])
def test_queries_json_and_xml_results_end_with_a_newline(harbor_store, fmt: str, sparql: str) -> None:
    text = query(harbor_store, sparql, fmt)
    assert text.endswith("\n") and not text.endswith("\n\n")


# --- the event queries: disputes and timeline --------------------------------------------------------------
DISPUTE = "id:dispute/" + str(dispute_iri(str(entity_iri("Harbor Pilots Union")),
                                          str(entity_iri("Tidewater Freight")), 2034)).rsplit("/", 1)[1]


def test_queries_disputes_one_row_per_dispute(harbor_event_store) -> None:
    # the strike's start from the first article, its end from the second; the undated deal at its article's date
    assert _rows(query(harbor_event_store, resolve_query("disputes"), "table")) == [
        ["Harbor Pilots Union", "Tidewater Freight", "2034-05-02", "2034-06", "2", "2034-05-11", DISPUTE]]


def test_queries_timeline_lists_each_event_per_article_in_date_order(harbor_event_store) -> None:
    rows = json.loads(query(harbor_event_store, resolve_query("timeline"), "json"))["results"]["bindings"]
    got = [(r["date"]["value"], r["event"]["value"], r["union"]["value"], r["employer"]["value"],
            r.get("until", {}).get("value"), r["article"]["value"]) for r in rows]
    union, company = "Harbor Pilots Union", "Tidewater Freight"
    assert got == [
        ("2034-05-02", "strike", union, company, None, "Harbor talks 0"),
        ("2034-05-10", "negotiation", union, company, None, "Harbor talks 0"),
        ("2034-05-11", "agreement", union, company, None, "Harbor talks 1"),
        ("2034-05-11", "negotiation", union, company, None, "Harbor talks 1"),
        ("2034-06", "strike", union, company, "2034-06", "Harbor talks 1"),
    ]
    assert {r["dispute"]["value"] for r in rows} == {str(dispute_iri(
        str(entity_iri(union)), str(entity_iri(company)), 2034))}


@pytest.mark.parametrize("name", EVENT_QUERIES)
def test_queries_event_query_without_events_has_no_rows(harbor_store, name: str) -> None:
    table = query(harbor_store, resolve_query(name), "table")
    assert len(table.splitlines()) == 2 and table == query(harbor_store, resolve_query(name), "table")


@pytest.mark.parametrize("name", EVENT_QUERIES)
def test_queries_event_query_reads_recurring_graphs_once(harbor_event_store, name: str) -> None:
    # the same articles written again under other graph names: names and sides repeat, rows do not multiply
    # (each article is counted once per event, as the timeline promises one row per reporting article)
    from graph.rdf.build import build_graph
    from graph.rdf.iri import doc_iri
    from graph.store.embedded import write_articles

    before = _rows(query(harbor_event_store, resolve_query(name), "table"))
    copies = []
    for i in range(4):
        ex = harbor_event_extraction(i % 2)
        ex = dataclasses.replace(ex, article=dataclasses.replace(ex.article, id=f"copy-{i}"))
        copies.append((doc_iri(ex.article.id), build_graph(ex)))
    write_articles(harbor_event_store, copies)
    after = _rows(query(harbor_event_store, resolve_query(name), "table"))
    if name == "disputes":
        assert [row[:4] + row[5:] for row in after] == [row[:4] + row[5:] for row in before]
        assert [row[4] for row in after] == ["6"]
    else:
        assert len(after) == 3 * len(before)


def test_queries_disputes_and_timeline_through_the_cli(data_dir: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from graph.cli import main

    store = str(tmp_path / "one.store")
    built = CliRunner().invoke(main, ["build", str(data_dir / "one_strike"), "--store", store])
    assert built.exit_code == 0, built.output
    disputes = CliRunner().invoke(main, ["query", "disputes", "--store", store, "--format", "csv"])
    assert disputes.exit_code == 0, disputes.output
    rows = list(csv.DictReader(io.StringIO(disputes.output)))
    assert [(r["union"], r["employer"], r["strike_start"], r["strike_end"], r["articles"], r["latest_agreement"])
            for r in rows] == [("Ostmark Bakers Union", "Larkspur Baking Company", "2031-03-03", "2031-04-01", "3",
                                "2031-03-30")]
    timeline = CliRunner().invoke(main, ["query", "timeline", "--store", store, "--format", "csv"])
    assert timeline.exit_code == 0, timeline.output
    events = [(r["date"], r["event"]) for r in csv.DictReader(io.StringIO(timeline.output))]
    assert events == sorted(events) and events[0] == ("2031-03-03", "strike") and events[-1][1] == "agreement"
    assert [e for _, e in events].count("strike") == 3  # one strike, reported by three articles
