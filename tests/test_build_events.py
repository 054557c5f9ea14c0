"""Dispute events as triples (graph.rdf.build_events): one node per dispute and event across articles, every fact
with its evidence, and the direct relations kept beside them, each with its event and the other way round."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import rdflib
from conftest import DATA, harbor_event_extraction
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from graph.extract.extractor import extract_articles
from graph.rdf.build import build_graph
from graph.rdf.iri import dispute_iri, doc_iri, entity_iri, event_iri
from graph.rdf.shapes import validate_graph
from graph.rdf.vocab import NG
from graph.sources.readers import read_sources
from graph.store.embedded import open_store, query, write_articles

UNION, COMPANY = entity_iri("Harbor Pilots Union"), entity_iri("Tidewater Freight")
# Three fictional articles about one bakery strike: its start, its third week, the deal that ended it.
ONE_STRIKE = DATA / "one_strike"


def _one(graph: Graph, cls: URIRef) -> URIRef:
    [node] = set(graph.subjects(RDF.type, cls))
    return node  # type: ignore[return-value]


def _evidence(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    """The sentences of the evidence records reifying (subject, predicate, *)."""
    return {str(graph.value(ev, NG.sentence)) for ev in graph.subjects(RDF.subject, subject)
            if graph.value(ev, RDF.predicate) == predicate}


def test_build_events_strike_with_sides_dates_workers_and_evidence() -> None:
    ex = harbor_event_extraction(0)
    graph = build_graph(ex)
    strike = _one(graph, NG.Strike)
    assert set(graph.objects(strike, NG.unionSide)) == {UNION}
    assert set(graph.objects(strike, NG.employerSide)) == {COMPANY}
    assert graph.value(strike, NG.startDate) == Literal("2034-05-02", datatype=rdflib.XSD.date)
    assert graph.value(strike, NG.workersInvolved) == Literal(300, datatype=rdflib.XSD.integer)
    assert graph.value(strike, NG.mentionedIn) == doc_iri(ex.article.id)
    dispute = graph.value(strike, NG.partOfDispute)
    assert (dispute, RDF.type, NG.Dispute) in graph
    assert (graph.value(dispute, NG.unionSide), graph.value(dispute, NG.employerSide)) == (UNION, COMPANY)
    said = "The pilots have been on strike since May 2, 2034."
    assert _evidence(graph, strike, RDF.type) == _evidence(graph, strike, NG.startDate) == {said}
    talks = "The Harbor Pilots Union opened talks with Tidewater Freight on Monday."
    assert _evidence(graph, strike, NG.employerSide) == {talks}
    assert (_one(graph, NG.Negotiation), NG.partOfDispute, dispute) in graph


def test_build_events_graphs_conform_to_the_shapes() -> None:
    merged = Graph()
    for index in (0, 1):
        for triple in build_graph(harbor_event_extraction(index)):
            merged.add(triple)
    conforms, report = validate_graph(merged)
    assert conforms, report


def test_build_events_one_node_per_event_and_dispute_across_articles() -> None:
    first, second = (build_graph(harbor_event_extraction(i)) for i in (0, 1))
    assert _one(first, NG.Strike) == _one(second, NG.Strike) == event_iri("Strike", str(UNION), str(COMPANY), 2034)
    assert _one(first, NG.Dispute) == _one(second, NG.Dispute) == dispute_iri(str(UNION), str(COMPANY), 2034)
    assert _one(first, NG.Negotiation) == _one(second, NG.Negotiation)
    assert second.value(_one(second, NG.Strike), NG.endDate) == Literal("2034-06", datatype=rdflib.XSD.gYearMonth)
    assert (_one(second, NG.Dispute), NG.contractAtStake, Literal("a new contract")) in second


@pytest.mark.parametrize(("year", "other"), [(2034, 2035), (None, 2034)])
def test_build_events_another_year_is_another_dispute(year: int | None, other: int) -> None:
    assert dispute_iri(str(UNION), str(COMPANY), year) != dispute_iri(str(UNION), str(COMPANY), other)
    assert event_iri("Strike", str(UNION), "", year) != event_iri("Strike", str(UNION), "", other)
    assert event_iri("Strike", str(UNION), "", year) != event_iri("Agreement", str(UNION), "", year)


@pytest.mark.parametrize(("dropped", "gone", "kept"), [
    ("onStrikeSince", NG.Strike, NG.Negotiation), ("negotiatesWith", NG.Negotiation, NG.Strike),
])
def test_build_events_go_with_their_relations(dropped: str, gone: URIRef, kept: URIRef) -> None:
    # --min-confidence drops relations before the build: the events read from them go too
    ex = harbor_event_extraction(0)
    graph = build_graph(dataclasses.replace(ex, relations=[r for r in ex.relations if r.predicate != dropped]))
    assert not list(graph.subjects(RDF.type, gone))
    assert len(set(graph.subjects(RDF.type, kept))) == 1


def test_build_events_an_employer_without_an_entity_is_left_out() -> None:
    ex = harbor_event_extraction(0)
    graph = build_graph(dataclasses.replace(ex, entities=[e for e in ex.entities if e.name != "Tidewater Freight"]))
    strike = _one(graph, NG.Strike)
    assert graph.value(strike, NG.employerSide) is None and graph.value(strike, NG.startDate) is not None
    assert not list(graph.subjects(RDF.type, NG.Negotiation))  # talks with nobody known, like their relation
    conforms, report = validate_graph(graph)
    assert conforms, report


def test_build_events_three_articles_about_one_strike_make_one_strike(nlp, tmp_path: Path) -> None:
    articles = list(read_sources([str(ONE_STRIKE)]))
    assert len(articles) == 3
    store = open_store(tmp_path / "one.store")
    graphs = [(doc_iri(ex.article.id), build_graph(ex)) for ex in extract_articles(articles, nlp)]
    write_articles(store, graphs)

    def rows(sparql: str) -> list[list[str]]:
        return [line.split("\t") for line in query(store, sparql, "tsv").splitlines()[1:]]

    strikes = rows("SELECT DISTINCT ?e WHERE { ?e a ng:Strike }")
    assert len(strikes) == 1
    [[start, end, articles_, workers]] = rows(
        "SELECT (MIN(STR(?s)) AS ?start) (MAX(STR(?e)) AS ?end) (COUNT(DISTINCT ?doc) AS ?n) (MAX(?w) AS ?workers)"
        " WHERE { ?x a ng:Strike ; ng:startDate ?s ; ng:endDate ?e ; ng:mentionedIn ?doc ;"
        " ng:workersInvolved ?w }")
    assert (start, end, articles_, workers) == ('"2031-03-03"', '"2031-04-01"', "3", "1200")
    assert len(rows("SELECT DISTINCT ?d WHERE { ?d a ng:Dispute }")) == 1
    sides = rows("SELECT DISTINCT ?u ?e WHERE { ?x a ng:Strike ; ng:unionSide/rdfs:label ?u ;"
                 " ng:employerSide/rdfs:label ?e }")
    assert sides == [['"Ostmark Bakers Union"', '"Larkspur Baking Company"']]
    kinds = rows("SELECT ?k (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c ; ng:partOfDispute ?d"
                 " FILTER(?c IN (ng:Strike, ng:Negotiation, ng:Agreement)) BIND(STRAFTER(STR(?c), '#') AS ?k) }"
                 " GROUP BY ?k ORDER BY ?k")
    assert kinds == [['"Agreement"', "1"], ['"Negotiation"', "1"], ['"Strike"', "1"]]
    conforms, report = validate_graph(_merged(graphs))
    assert conforms, report


def _merged(graphs: list[tuple[URIRef, Graph]]) -> Graph:
    merged = Graph()
    for _, graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged


# --- each direct strike, talks and agreement relation has its event, and the other way round ------------

EVENT_OF = {NG.reachesAgreementWith: NG.Agreement, NG.negotiatesWith: NG.Negotiation}


def _mismatches(graph: Graph) -> list[str]:
    out = []
    strikes = list(graph.subjects(RDF.type, NG.Strike))
    for predicate in (NG.onStrikeSince, NG.strikeEndedOn):
        for union, when in graph.subject_objects(predicate):
            said = _evidence(graph, union, predicate)  # every sentence saying it, whatever the date
            reported = {s for e in strikes if (e, NG.unionSide, union) in graph for s in _evidence(graph, e, RDF.type)}
            if not said <= reported:
                out.append(f"no strike event for {union} {predicate} {when}: {sorted(said - reported)}")
    for event in strikes:
        union = graph.value(event, NG.unionSide)
        for date_predicate, predicate in ((NG.startDate, NG.onStrikeSince), (NG.endDate, NG.strikeEndedOn)):
            for when in graph.objects(event, date_predicate):
                if (union, predicate, when) not in graph:
                    out.append(f"strike {event} has {date_predicate} {when} without {predicate}")
    for predicate, cls in EVENT_OF.items():
        pairs = {frozenset((a, b)) for a, b in graph.subject_objects(predicate)}
        events = {frozenset((graph.value(e, NG.unionSide), employer)) for e in graph.subjects(RDF.type, cls)
                  for employer in graph.objects(e, NG.employerSide)}
        out += [f"no {cls} event for {predicate} {sorted(p)}" for p in sorted(pairs - events, key=sorted)]
        out += [f"{cls} event without {predicate}: {sorted(p)}" for p in sorted(events - pairs, key=sorted)]
    return out


@pytest.mark.parametrize("folder", ["eval", "seed", "articles", "one_strike"])
def test_build_events_direct_relations_and_events_match(nlp, folder: str) -> None:
    articles = list(read_sources([str(DATA / folder)], include=["*.txt"]))
    assert articles
    problems, events = [], 0
    for ex in extract_articles(articles, nlp):
        graph = build_graph(ex)
        problems += [f"{ex.article.id}: {p}" for p in _mismatches(graph)]
        events += len(set(graph.subjects(RDF.type, NG.Strike)))
    assert not problems, "\n".join(problems)
    assert events >= len(articles) // 2  # most of these articles report a strike


def test_build_events_of_a_long_articles_chunks_are_merged_with_their_offsets() -> None:
    from graph.pipeline.build import merge_chunks

    first, second = harbor_event_extraction(0), harbor_event_extraction(1)
    merged = merge_chunks(first.article, [(0, first), (1000, second)])
    assert [e.kind for e in merged.events] == [e.kind for e in first.events + second.events]
    moved = [f.evidence.start for e in merged.events[len(first.events):] for f in e.facts]
    assert moved == [f.evidence.start + 1000 for e in second.events for f in e.facts]
