"""Dispute events as triples: ng:Dispute nodes and the ng:Strike, ng:Negotiation and ng:Agreement events of
one article, each fact with its evidence (rdflib only, like graph.rdf.build).

Across articles one dispute or event is one node, because its IRI comes from what identifies it and never
from the article (graph.rdf.iri): a dispute from its union, its employer and its year; a strike from its union,
its first employer and its dispute's year (one strike per union and dispute); talks and an agreement from
their union, employer and year. Three articles about one strike therefore write one ng:Strike node, each in
its own named graph with the dates, evidence and ng:mentionedIn it reports, so removing an article removes
what it said and nothing else; an event reported by several articles may carry several start dates, of which
the earliest is the strike's start (the bundled queries read it so).

An event is written only with the direct relations it was read from: a strike's dates are its union's
ng:onStrikeSince / ng:strikeEndedOn values, talks and an agreement need the union's ng:negotiatesWith /
ng:reachesAgreementWith its employer. What `--min-confidence` drops from the relations therefore drops from
the events too, and each direct strike and agreement relation keeps its event and the other way round.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from graph.model import DisputeEvent, EventFact, Evidence, Extraction, PartialDate, Relation
from graph.rdf.iri import dispute_iri, event_iri
from graph.rdf.vocab import NG

# The direct relation an event of each kind is read from (strikes: their dates).
EVENT_RELATIONS = {"Negotiation": "negotiatesWith", "Agreement": "reachesAgreementWith"}
DATE_PROPS = {"startDate": "onStrikeSince", "endDate": "strikeEndedOn"}


class TripleSink(Protocol):
    """Where the triples go: graph.rdf.build's Triples (or an rdflib Graph)."""

    def add(self, triple: tuple[Node, Node, Node], /) -> None: ...


AddEvidence = Callable[[tuple[str, str, str], tuple[URIRef, URIRef, URIRef | Literal], Evidence], URIRef]


def _iso(value: str | PartialDate) -> str:
    return value.iso() if isinstance(value, PartialDate) else value


def backed_events(events: Iterable[DisputeEvent], relations: Iterable[Relation]) -> list[DisputeEvent]:
    """The events as far as the relations support them: a strike keeps the dates its union's strike relations
    give (and is dropped with none left), talks and an agreement keep the employers the union has the relation
    with (and are dropped with none left)."""
    have = set()
    for rel in relations:
        have.add((rel.subject, rel.predicate, _iso(rel.object)))
        if isinstance(rel.object, str):
            have.add((rel.object, rel.predicate, rel.subject))
    out = []
    for event in events:
        if event.kind == "Strike":
            start = event.start if event.start and (event.union, "onStrikeSince", event.start.iso()) in have \
                else None
            end = event.end if event.end and (event.union, "strikeEndedOn", event.end.iso()) in have else None
            if start is None and end is None:
                continue
            kept = replace(event, start=start, end=end)
        else:
            employers = tuple(e for e in event.employers if (event.union, EVENT_RELATIONS[event.kind], e) in have)
            if not employers:
                continue
            kept = replace(event, employers=employers)
        facts = tuple(f for f in kept.facts if _fact_holds(kept, f))
        out.append(replace(kept, facts=facts))
    return out


def _fact_holds(event: DisputeEvent, fact: EventFact) -> bool:
    """Whether the event still says what the fact is evidence for."""
    values: dict[str, tuple[str, ...]] = {
        "type": ("",), "unionSide": (event.union,), "employerSide": event.employers,
        "startDate": (event.start.iso(),) if event.start else (), "endDate": (event.end.iso(),) if event.end else (),
        "place": (event.place,) if event.place else (), "workersInvolved": (str(event.workers),) if event.workers
        else (), "contractAtStake": (event.contract,) if event.contract else (),
    }
    return fact.value in values.get(fact.prop, ())


def event_key(event: DisputeEvent, nodes: dict[str, URIRef]) -> tuple[URIRef, list[URIRef]]:
    """The event's IRI and the IRIs of the disputes it belongs to (one per employer, or one without)."""
    union = str(nodes[event.union])
    employers = sorted(str(nodes[e]) for e in event.employers)
    event_node = event_iri(event.kind, union, employers[0] if employers else "", event.year)
    disputes = [dispute_iri(union, e, event.year) for e in employers or [""]]
    return event_node, disputes


def _object(event: DisputeEvent, fact: EventFact, nodes: dict[str, URIRef]) -> URIRef | Literal:
    if fact.prop == "type":
        return NG[event.kind]
    if fact.prop in ("unionSide", "employerSide", "place"):
        return nodes[fact.value]
    if fact.prop in DATE_PROPS:
        return date_value(event.start if fact.prop == "startDate" else event.end)
    if fact.prop == "workersInvolved":
        return Literal(int(fact.value), datatype=XSD.integer)
    return Literal(fact.value)


def date_value(value: PartialDate | None) -> Literal:
    """xsd:date for a day, xsd:gYearMonth for a month (as graph.rdf.build.date_literal)."""
    assert value is not None
    return Literal(value.iso(), datatype=XSD.gYearMonth if value.day is None else XSD.date)


def _distinct(facts: Iterable[EventFact]) -> list[EventFact]:
    """One fact per property, value, sentence and rule (one evidence record), the most confident."""
    best: dict[tuple, EventFact] = {}
    for fact in facts:
        key = (fact.prop, fact.value, fact.evidence.start, fact.evidence.rule)
        if key not in best or fact.evidence.confidence > best[key].evidence.confidence:
            best[key] = fact
    return list(best.values())


def add_events(graph: TripleSink, ex: Extraction, nodes: dict[str, URIRef], doc: URIRef,
               add_evidence: AddEvidence) -> None:
    """Write the article's events (those its relations back) with their disputes and evidence.

    `add_evidence(key, triple, evidence)` is graph.rdf.build's reifier. An employer or place the extraction has no
    entity for is left out, as a relation to it would be (the union has one: its relations name it).
    """
    for event in backed_events(ex.events, ex.relations):
        if event.union not in nodes:
            continue
        event = replace(event, employers=tuple(e for e in event.employers if e in nodes),
                        place=event.place if event.place in nodes else None)
        if event.kind != "Strike" and not event.employers:
            continue  # talks or a deal with nobody the graph knows, as their relation is skipped
        event = replace(event, facts=tuple(f for f in event.facts if _fact_holds(event, f)))
        node, disputes = event_key(event, nodes)
        _add_event(graph, event, node, disputes, nodes, doc)
        for fact in _distinct(event.facts):
            subjects = disputes if fact.prop == "contractAtStake" else [node]
            for subject in subjects:
                predicate = RDF.type if fact.prop == "type" else NG[fact.prop]
                key = (str(subject), fact.prop, fact.value)
                add_evidence(key, (subject, predicate, _object(event, fact, nodes)), fact.evidence)


def _add_event(graph: TripleSink, event: DisputeEvent, node: URIRef, disputes: list[URIRef],
               nodes: dict[str, URIRef], doc: URIRef) -> None:
    union = nodes[event.union]
    graph.add((node, RDF.type, NG[event.kind]))
    graph.add((node, NG.unionSide, union))
    graph.add((node, NG.mentionedIn, doc))
    for employer in event.employers:
        graph.add((node, NG.employerSide, nodes[employer]))
    if event.start is not None:
        graph.add((node, NG.startDate, date_value(event.start)))
    if event.end is not None:
        graph.add((node, NG.endDate, date_value(event.end)))
    if event.place is not None:
        graph.add((node, NG.place, nodes[event.place]))
    if event.workers is not None:
        graph.add((node, NG.workersInvolved, Literal(event.workers, datatype=XSD.integer)))
    employers = sorted(event.employers, key=lambda e: str(nodes[e])) or [None]  # type: ignore[list-item]
    for dispute, employer in zip(disputes, employers, strict=True):
        graph.add((node, NG.partOfDispute, dispute))
        graph.add((dispute, RDF.type, NG.Dispute))
        graph.add((dispute, NG.unionSide, union))
        graph.add((dispute, NG.mentionedIn, doc))
        if employer is not None:
            graph.add((dispute, NG.employerSide, nodes[employer]))
        if event.contract:
            graph.add((dispute, NG.contractAtStake, Literal(event.contract)))
