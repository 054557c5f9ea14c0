"""SHACL shapes: every built graph conforms, and graphs broken in one way each do not."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef, namespace
from rdflib.namespace import RDF, RDFS

from graph.errors import InputError, ValidationError
from graph.model import ENTITY_CLASSES, Article, Entity, Evidence, Extraction, PartialDate, Relation
from graph.rdf.build import build_graph
from graph.rdf.iri import doc_iri, entity_iri
from graph.rdf.shapes import hierarchy_graph, shapes_graph, validate_graph
from graph.rdf.vocab import NG

UNION = entity_iri("Lamplighters Union")
ALLIANCE = entity_iri("Tallow Makers Alliance")
PERSON = URIRef("https://w3id.org/newsgraph/id/entity/mira-okonkwo-kb")
DOC = doc_iri("small-0001")


def _first(graph: Graph, cls: URIRef) -> URIRef:
    return sorted(graph.subjects(RDF.type, cls))[0]


def _replace_value(graph: Graph, subject: URIRef, predicate: URIRef, value: object) -> None:
    graph.remove((subject, predicate, None))
    graph.add((subject, predicate, value))


def _two_labels(g: Graph) -> None:
    g.add((UNION, RDFS.label, Literal("Lamplighters")))


def _no_label(g: Graph) -> None:
    g.remove((ALLIANCE, RDFS.label, None))


def _language_label(g: Graph) -> None:
    _replace_value(g, UNION, RDFS.label, Literal("Lamplighters Union", lang="en"))


def _string_date(g: Graph) -> None:
    _replace_value(g, UNION, NG.onStrikeSince, Literal("2031-03"))


def _bad_month(g: Graph) -> None:
    _replace_value(g, UNION, NG.strikeEndedOn, Literal("2031-13", datatype=namespace.XSD.gYearMonth))


def _confidence_two(g: Graph) -> None:
    _replace_value(g, _first(g, NG.Evidence), NG.confidence, Literal(Decimal("2.00")))


def _confidence_negative(g: Graph) -> None:
    _replace_value(g, _first(g, NG.Evidence), NG.confidence, Literal(Decimal("-0.10")))


def _confidence_double(g: Graph) -> None:
    _replace_value(g, _first(g, NG.Evidence), NG.confidence, Literal(0.5))


def _start_after_end(g: Graph) -> None:
    _replace_value(g, _first(g, NG.Evidence), NG.startChar, Literal(10_000))


def _no_rule(g: Graph) -> None:
    g.remove((_first(g, NG.Evidence), NG.rule, None))


def _evidence_without_source(g: Graph) -> None:
    g.remove((_first(g, NG.Evidence), NG.source, None))


def _statement_two_texts(g: Graph) -> None:
    g.add((_first(g, NG.Statement), NG.quoteText, Literal("Something else.")))


def _statement_no_speaker(g: Graph) -> None:
    g.remove((_first(g, NG.Statement), NG.speaker, None))


def _statement_source_not_document(g: Graph) -> None:
    _replace_value(g, _first(g, NG.Statement), NG.source, ALLIANCE)


def _person_negotiates(g: Graph) -> None:
    g.add((PERSON, NG.negotiatesWith, ALLIANCE))


def _agreement_with_place(g: Graph) -> None:
    place = entity_iri("Lantern Hill")
    g.add((place, RDF.type, NG.Place))
    g.add((place, RDFS.label, Literal("Lantern Hill")))
    g.add((place, NG.mentionedIn, DOC))
    g.add((UNION, NG.reachesAgreementWith, place))


def _union_represents_person(g: Graph) -> None:
    g.add((UNION, NG.represents, PERSON))


def _organization_leads(g: Graph) -> None:
    g.add((UNION, NG.leads, ALLIANCE))


def _member_of_person(g: Graph) -> None:
    g.add((ALLIANCE, NG.memberOf, PERSON))


def _bad_content_hash(g: Graph) -> None:
    _replace_value(g, DOC, NG.contentHash, Literal("not-a-hash"))


BREAKAGES: dict[str, Callable[[Graph], None]] = {
    "two labels": _two_labels,
    "no label": _no_label,
    "language-tagged label": _language_label,
    "string date": _string_date,
    "month 13": _bad_month,
    "confidence 2": _confidence_two,
    "negative confidence": _confidence_negative,
    "confidence as double": _confidence_double,
    "start after end": _start_after_end,
    "evidence without rule": _no_rule,
    "evidence without source": _evidence_without_source,
    "statement with two texts": _statement_two_texts,
    "statement without speaker": _statement_no_speaker,
    "statement source not a document": _statement_source_not_document,
    "person negotiates": _person_negotiates,
    "agreement with a place": _agreement_with_place,
    "union represents a person": _union_represents_person,
    "organization leads": _organization_leads,
    "member of a person": _member_of_person,
    "bad content hash": _bad_content_hash,
}


def test_shapes_built_graph_conforms(small_extraction: Extraction) -> None:
    conforms, report = validate_graph(build_graph(small_extraction))
    assert conforms, report


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_shapes_broken_graph_does_not_conform(small_extraction: Extraction, name: str) -> None:
    graph = build_graph(small_extraction)
    graph.add((UNION, NG.strikeEndedOn, Literal("2031-04", datatype=namespace.XSD.gYearMonth)))
    assert validate_graph(graph)[0], "the graph must conform before it is broken"
    BREAKAGES[name](graph)
    conforms, report = validate_graph(graph)
    assert not conforms, name
    assert "Constraint Violation" in report


@pytest.mark.parametrize("cls", ENTITY_CLASSES)
def test_shapes_every_entity_class_conforms(cls: str) -> None:
    speaker = Entity("Ada Vance", "Person")
    subject = Entity("Subject Name", cls, frozenset({"Subject Name", "Subject"}))
    found = Evidence("Ada Vance met Subject Name.", 0, 27, "r", 0.5)
    rel = Relation("Ada Vance", "leads" if cls != "Person" else "memberOf", "Subject Name", found)
    ex = Extraction(Article(id=f"cls-{cls}", text="Ada Vance met Subject Name."), [speaker, subject], [rel])
    conforms, report = validate_graph(build_graph(ex))
    assert conforms == (cls != "Person"), report


@pytest.mark.parametrize(
    ("cls", "conforms"),
    [("Group", True), ("Committee", True), ("Company", True), ("Person", False), ("Place", False)],
)
def test_shapes_member_of_needs_an_organization(cls: str, conforms: bool) -> None:
    found = Evidence("Ada Vance joined the Night Owls.", 0, 32, "r")
    ex = Extraction(
        Article(id="member", text="Ada Vance joined the Night Owls."),
        [Entity("Ada Vance", "Person"), Entity("Night Owls", cls)],
        [Relation("Ada Vance", "memberOf", "Night Owls", found)],
    )
    assert validate_graph(build_graph(ex))[0] == conforms


@pytest.mark.parametrize("value", [PartialDate(2031, 3), PartialDate(2031, 3, 31)])
def test_shapes_strike_dates_conform(small_extraction: Extraction, value: PartialDate) -> None:
    rel = replace(small_extraction.relations[2], predicate="strikeEndedOn", object=value)
    ex = replace(small_extraction, relations=[*small_extraction.relations, rel])
    assert validate_graph(build_graph(ex))[0]


def test_shapes_hierarchy_graph_drops_domains_and_ranges() -> None:
    hierarchy = hierarchy_graph()
    assert (NG.LaborUnion, RDFS.subClassOf, NG.Organization) in hierarchy
    assert not list(hierarchy.triples((None, RDFS.domain, None)))
    assert not list(hierarchy.triples((None, RDFS.range, None)))


def test_shapes_missing_shapes_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        shapes_graph(tmp_path / "absent.ttl")


@pytest.mark.parametrize(
    "constraint", ['sh:path "not a path"', 'sh:path ng:title ; sh:minCount "one"']
)
def test_shapes_pyshacl_failure_is_a_validation_error(small_extraction: Extraction, constraint: str) -> None:
    broken = Graph().parse(
        data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ng: <https://w3id.org/newsgraph/ontology#> .
        <urn:s> a sh:NodeShape ; sh:targetClass ng:Document ; sh:property [ {constraint} ] .""",
        format="turtle",
    )
    with pytest.raises(ValidationError, match="could not run") as info:
        validate_graph(build_graph(small_extraction), shapes=broken)
    assert "\n" not in str(info.value)


# --- disputes and their events ---------------------------------------------------------------------------

DISPUTE = URIRef("https://w3id.org/newsgraph/id/dispute/lamplighters")
STRIKE = URIRef("https://w3id.org/newsgraph/id/event/strike-lamplighters")
TALKS = URIRef("https://w3id.org/newsgraph/id/event/negotiation-lamplighters")
DEAL = URIRef("https://w3id.org/newsgraph/id/event/agreement-lamplighters")


def _evidence_for(g: Graph, subject: URIRef, predicate: URIRef, obj: object) -> None:
    """A copy of the first evidence record of the graph, reifying (subject, predicate, obj) instead."""
    source = _first(g, NG.Evidence)
    copy = URIRef(f"{source}-{abs(hash((subject, predicate, obj)))}")
    for p, o in list(g.predicate_objects(source)):
        g.add((copy, p, o))
    for p, o in ((RDF.subject, subject), (RDF.predicate, predicate), (RDF.object, obj)):
        _replace_value(g, copy, p, o)


def _with_events(small_extraction: Extraction) -> Graph:
    """The small graph with the dispute events a build adds: the dispute, a strike, talks and an agreement."""
    g = build_graph(small_extraction)
    g.add((DISPUTE, RDF.type, NG.Dispute))
    g.add((DISPUTE, NG.unionSide, UNION))
    g.add((DISPUTE, NG.employerSide, ALLIANCE))
    g.add((DISPUTE, NG.mentionedIn, DOC))
    g.add((DISPUTE, NG.contractAtStake, Literal("a new three-year contract")))
    for event, cls in ((STRIKE, NG.Strike), (TALKS, NG.Negotiation), (DEAL, NG.Agreement)):
        for p, o in ((RDF.type, cls), (NG.partOfDispute, DISPUTE), (NG.unionSide, UNION),
                     (NG.employerSide, ALLIANCE), (NG.mentionedIn, DOC)):
            g.add((event, p, o))
        _evidence_for(g, event, RDF.type, cls)
    g.add((STRIKE, NG.startDate, Literal("2031-03", datatype=namespace.XSD.gYearMonth)))
    g.add((STRIKE, NG.endDate, Literal("2031-04-02", datatype=namespace.XSD.date)))
    g.add((STRIKE, NG.workersInvolved, Literal(300, datatype=namespace.XSD.integer)))
    g.add((DEAL, NG.startDate, Literal("2031-04-01", datatype=namespace.XSD.date)))
    place = entity_iri("Lantern Hill")
    for p, o in ((RDF.type, NG.Place), (RDFS.label, Literal("Lantern Hill")), (NG.mentionedIn, DOC)):
        g.add((place, p, o))
    g.add((STRIKE, NG.place, place))
    return g


EVENT_BREAKAGES: dict[str, Callable[[Graph], None]] = {
    "strike without a date": lambda g: [g.remove((STRIKE, p, None)) for p in (NG.startDate, NG.endDate)],
    "event in no dispute": lambda g: g.remove((TALKS, NG.partOfDispute, None)),
    "event in a union": lambda g: _replace_value(g, STRIKE, NG.partOfDispute, UNION),
    "talks with one side": lambda g: g.remove((TALKS, NG.employerSide, None)),
    "agreement with one side": lambda g: g.remove((DEAL, NG.employerSide, None)),
    "strike of two unions": lambda g: g.add((STRIKE, NG.unionSide, ALLIANCE)),
    "strike of a person": lambda g: _replace_value(g, STRIKE, NG.unionSide, PERSON),
    "dispute without a union": lambda g: g.remove((DISPUTE, NG.unionSide, None)),
    "dispute with two employers": lambda g: g.add((DISPUTE, NG.employerSide, UNION)),
    "dispute in no article": lambda g: g.remove((DISPUTE, NG.mentionedIn, None)),
    "event in no article": lambda g: g.remove((DEAL, NG.mentionedIn, None)),
    "string start date": lambda g: _replace_value(g, STRIKE, NG.startDate, Literal("2031-03")),
    "day 32": lambda g: _replace_value(g, STRIKE, NG.endDate, Literal("2031-04-32", datatype=namespace.XSD.date)),
    "no workers": lambda g: _replace_value(g, STRIKE, NG.workersInvolved, Literal(0, datatype=namespace.XSD.integer)),
    "workers as a string": lambda g: _replace_value(g, STRIKE, NG.workersInvolved, Literal("300")),
    "place is a union": lambda g: _replace_value(g, STRIKE, NG.place, UNION),
    "event without evidence": lambda g: [g.remove((e, None, None)) for e in list(g.subjects(RDF.subject, TALKS))],
    "empty contract": lambda g: _replace_value(g, DISPUTE, NG.contractAtStake, Literal("")),
}


def test_shapes_dispute_events_conform(small_extraction: Extraction) -> None:
    conforms, report = validate_graph(_with_events(small_extraction))
    assert conforms, report


@pytest.mark.parametrize("name", sorted(EVENT_BREAKAGES))
def test_shapes_broken_dispute_event_does_not_conform(small_extraction: Extraction, name: str) -> None:
    graph = _with_events(small_extraction)
    EVENT_BREAKAGES[name](graph)
    conforms, report = validate_graph(graph)
    assert not conforms, name
    assert "Constraint Violation" in report
