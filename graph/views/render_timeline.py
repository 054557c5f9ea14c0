"""The explorer's timeline: strikes as bars, talks and agreements as marks, each tied to its source articles.

When the graph holds dispute events (`ng:Strike`, `ng:Negotiation`, `ng:Agreement`, with `ng:unionSide`,
`ng:employerSide`, `ng:startDate`, `ng:endDate` and evidence like every relation; graph.rdf.build_events), the
timeline reads them: one bar per strike, from the earliest start to the latest end its articles report.
Otherwise it reads the direct relations: a union's `ng:onStrikeSince` and `ng:strikeEndedOn` dates, paired in
date order into strikes (a second start while a strike runs, or a second end after it ended, is another report
of the same strike; a start and an end over MAX_PAIR_DAYS apart are paired only when an article reported the
strike while it ran, since a story often recalls an old strike beside the current one), and one mark per
`ng:negotiatesWith` / `ng:reachesAgreementWith` link and source article, at that article's publication date.
Dates stay as the graph writes them: `YYYY-MM-DD`, or `YYYY-MM` when only the month is known (a month is its
first day for a start and its last day for an end).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta

import rdflib
from rdflib import RDF, URIRef

from graph.rdf.vocab import NG

DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")
MAX_PAIR_DAYS = 400  # a longer strike needs an article written while it ran
MARK_RELATIONS = {"negotiatesWith": "talks", "reachesAgreementWith": "agreement"}
STRIKE, UNION_SIDE, EMPLOYER_SIDE = NG.Strike, NG.unionSide, NG.employerSide
EVENT_MARKS = {NG.Negotiation: ("talks", "negotiatesWith"), NG.Agreement: ("agreement", "reachesAgreementWith")}

DocsOf = Callable[[rdflib.term.Node, str, rdflib.term.Node], set[int]]  # (s, predicate local name, o) -> docs


@dataclass
class Strike:
    """One strike: its union, first and last day as written (either may be unknown), its source articles."""

    union: URIRef
    start: str | None
    end: str | None
    docs: set[int] = field(default_factory=set)

    def row(self, label: str) -> dict:
        return {"union": str(self.union), "label": label, "start": self.start, "end": self.end,
                "docs": sorted(self.docs)}


def timeline_data(
    graph: rdflib.Graph, kept: set, labels: dict[URIRef, str], edges: list[dict], docs_of: DocsOf,
    doc_index: dict[URIRef, int], doc_dates: list[str],
) -> dict:
    """Strike bars and talk / agreement marks for the nodes in `kept` (each edge row: id, from, to, rel, docs)."""
    strikes = _event_strikes(graph, kept, doc_index)
    from_events = bool(strikes) or any(True for _ in graph.subjects(RDF.type, STRIKE))
    if not from_events:
        strikes = [strike for union in sorted(kept, key=str)
                   for strike in _relation_strikes(graph, union, docs_of, doc_dates)]
    marks = _event_marks(graph, kept, edges, doc_index, doc_dates)
    events_marked = any(True for cls in EVENT_MARKS for _ in graph.subjects(RDF.type, cls))
    if not events_marked:
        marks = _relation_marks(edges, doc_dates)
    strikes.sort(key=lambda s: (_sort_key(s.start or s.end or "", s.start is not None), labels.get(s.union, ""),
                                str(s.union)))
    marks.sort(key=lambda m: (m["date"], m["kind"], m["from"], m["to"], m["doc"]))
    return {
        "source": "events" if from_events or events_marked else "relations",
        "strikes": [strike.row(labels.get(strike.union, str(strike.union))) for strike in strikes],
        "marks": marks,
    }


def _date(term: rdflib.term.Node | None) -> str | None:
    text = str(term) if term is not None else ""
    return text if DATE.fullmatch(text) else None


def _sort_key(date: str, start: bool) -> str:
    """A date as a sortable day: a month is its first day as a start and after its last day as an end."""
    return date if len(date) != 7 else date + ("-00" if start else "-32")


def _day(date: str, end: bool = False) -> Date:
    """A date as a day: a month is its first day, or its last when it ends a span."""
    if len(date) == 10:
        return Date.fromisoformat(date)
    year, month = int(date[:4]), int(date[5:7])
    if not end:
        return Date(year, month, 1)
    return Date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _pairs(strike: Strike, end: str, doc_dates: list[str]) -> bool:
    """Whether `end` closes `strike`: near enough to its start, or the strike was reported while it ran."""
    if strike.start is None:
        return True
    first, last = _day(strike.start), _day(end, end=True)
    if (last - first).days <= MAX_PAIR_DAYS:
        return True
    return any(doc_dates[doc] and first <= _day(doc_dates[doc]) <= last for doc in strike.docs)


def _relation_strikes(graph: rdflib.Graph, union: URIRef, docs_of: DocsOf, doc_dates: list[str]) -> list[Strike]:
    """A union's strikes from its onStrikeSince / strikeEndedOn dates, paired in date order."""
    dated = []
    for name, is_start in (("onStrikeSince", True), ("strikeEndedOn", False)):
        for value in graph.objects(union, NG[name]):
            date = _date(value)
            if date is not None:
                dated.append((_sort_key(date, is_start), not is_start, date, docs_of(union, name, value)))
    strikes: list[Strike] = []
    running: Strike | None = None
    for _, is_end, date, docs in sorted(dated, key=lambda d: d[:3]):
        if not is_end:
            if running is None:
                running = Strike(union, date, None)
                strikes.append(running)
            running.docs |= docs  # a start while the strike runs is another report of it
        elif running is not None and _pairs(running, date, doc_dates):
            running.end = date
            running.docs |= docs
            running = None
        elif running is not None:  # an end too far from a start nobody saw running: two strikes, half known each
            strikes.append(Strike(union, None, date, set(docs)))
            running = None
        elif strikes:
            strikes[-1].docs |= docs  # another report of the end of the last strike
        else:
            strikes.append(Strike(union, None, date, set(docs)))  # its start was never reported
    return strikes


def _relation_marks(edges: list[dict], doc_dates: list[str]) -> list[dict]:
    """One mark per talks or agreement link and dated source article."""
    return [
        {"kind": MARK_RELATIONS[edge["rel"]], "date": doc_dates[doc], "doc": doc, "edge": edge["id"],
         "from": edge["from"], "to": edge["to"]}
        for edge in edges if edge["rel"] in MARK_RELATIONS
        for doc in edge["docs"] if doc_dates[doc]
    ]


def _event_docs(graph: rdflib.Graph, event: rdflib.term.Node, doc_index: dict[URIRef, int]) -> set[int]:
    """The articles an event comes from: its evidence nodes' sources, and its own source or mentions."""
    sources: set = set(graph.objects(event, NG.source)) | set(graph.objects(event, NG.mentionedIn))
    evidence = set(graph.subjects(RDF.subject, event)) | set(graph.objects(event, NG.evidence))
    for node in evidence:
        sources.update(graph.objects(node, NG.source))
    return {doc_index[doc] for doc in sources if doc in doc_index}


def _sides(graph: rdflib.Graph, event: rdflib.term.Node, side: URIRef, kept: set) -> list[URIRef]:
    return sorted((node for node in graph.objects(event, side) if node in kept), key=str)  # type: ignore[misc]


def _event_date(graph: rdflib.Graph, event: rdflib.term.Node, predicate: URIRef, last: bool = False) -> str | None:
    """The earliest (or, with `last`, the latest) of the dates the articles give an event."""
    dates = [date for value in graph.objects(event, predicate) if (date := _date(value)) is not None]
    if not dates:
        return None
    pick = max if last else min
    return pick(dates, key=lambda date: _sort_key(date, not last))


def _event_strikes(graph: rdflib.Graph, kept: set, doc_index: dict[URIRef, int]) -> list[Strike]:
    """Strikes from ng:Strike events whose union side is drawn (one bar per event)."""
    strikes = []
    for event in sorted(graph.subjects(RDF.type, STRIKE), key=str):
        unions = _sides(graph, event, UNION_SIDE, kept)
        start, end = _event_date(graph, event, NG.startDate), _event_date(graph, event, NG.endDate, last=True)
        if unions and (start or end):
            strikes.append(Strike(unions[0], start, end, _event_docs(graph, event, doc_index)))
    return strikes


def _event_marks(
    graph: rdflib.Graph, kept: set, edges: list[dict], doc_index: dict[URIRef, int], doc_dates: list[str]
) -> list[dict]:
    """Marks from ng:Negotiation and ng:Agreement events: at their start date, else at each source's date."""
    links = {(edge["rel"], frozenset((edge["from"], edge["to"]))): edge["id"] for edge in edges}
    marks = []
    for cls, (kind, rel) in EVENT_MARKS.items():
        for event in sorted(graph.subjects(RDF.type, cls), key=str):
            parties = _sides(graph, event, UNION_SIDE, kept) + _sides(graph, event, EMPLOYER_SIDE, kept)
            if not parties:
                continue
            first, other = str(parties[0]), str(parties[-1])
            docs = sorted(_event_docs(graph, event, doc_index))
            start = _event_date(graph, event, NG.startDate)
            dated: Iterable[tuple[str, int | None]] = (
                [(start, docs[0] if docs else None)] if start else [(doc_dates[d], d) for d in docs if doc_dates[d]]
            )
            for date, doc in dated:
                marks.append({"kind": kind, "date": date, "doc": doc if doc is not None else -1,
                              "edge": links.get((rel, frozenset((first, other)))), "from": first, "to": other})
    return marks
