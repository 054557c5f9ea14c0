"""A store of about a million quads shaped like what graph.rdf.build produces, made without extraction.

Extracting a million triples would take the whole benchmark budget, so the quads are generated directly, one
named graph per synthetic article, following graph/rdf/build.py: a document node, typed and labelled entities
mentioned in it (drawn from a shared pool, so the same entity recurs across articles as real ones do),
relations between compatible classes with one reified ng:Evidence node each, statements with their evidence, and
the dispute events graph/rdf/build_events.py adds (a dispute, its strike and talks, sometimes an agreement, each
fact with its evidence). IRIs come from graph.rdf.iri, so they look exactly like ours; disputes recur across
articles (same union, employer and year) as real ones do.
"""
from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox

from graph.rdf.iri import dispute_iri, doc_iri, entity_iri, event_iri, evidence_iri, statement_iri
from graph.rdf.vocab import NG_URI

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"

# Entities per class in the shared pool, and how many of each class one article mentions.
_POOL = {"LaborUnion": 3000, "Company": 6000, "EmployerAssociation": 600, "Person": 15000, "Place": 2000}
_PER_ARTICLE = {"LaborUnion": 2, "Company": 2, "EmployerAssociation": 1, "Person": 3, "Place": 2}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


class _Terms:
    """NamedNode objects made once (a million quads share a few dozen predicates)."""

    def __init__(self) -> None:
        self.type = _n(RDF + "type")
        self.subject, self.predicate, self.object = _n(RDF + "subject"), _n(RDF + "predicate"), _n(RDF + "object")
        self.label, self.alt = _n(RDFS + "label"), _n(SKOS + "altLabel")
        self.ng = {name: _n(NG_URI + name) for name in (
            "Document", "Evidence", "Statement", "sourcePath", "contentHash", "title", "publishedOn", "mentionedIn",
            "sentence", "startChar", "endChar", "rule", "confidence", "source", "issuesStatement", "quoteText",
            "speaker", "statedOn", "evidence", "negotiatesWith", "reachesAgreementWith", "leads", "memberOf",
            "represents", "onStrikeSince", "strikeEndedOn", "Dispute", "Strike", "Negotiation", "Agreement",
            "partOfDispute", "unionSide", "employerSide", "startDate", "endDate", *_POOL)}
        self.date, self.integer, self.decimal = _n(XSD + "date"), _n(XSD + "integer"), _n(XSD + "decimal")
        self.month = _n(XSD + "gYearMonth")


def _entity_name(cls: str, k: int) -> str:
    rng = random.Random(f"{cls}:{k}")
    stem = "".join(rng.choice("bcdfghklmnprstvw") + rng.choice("aeiou") for _ in range(rng.randrange(2, 4)))
    shapes = {"LaborUnion": f"{stem.title()} Workers Union {k}", "Company": f"{stem.title()} Industries {k}",
              "EmployerAssociation": f"{stem.title()} Employers Council {k}",
              "Person": f"{rng.choice('ABCDEFGHJKLMNPRST')}{stem} {stem[::-1].title()}{k}",
              "Place": f"{stem.title()}ville {k}"}
    return shapes[cls]


def _article_quads(i: int, t: _Terms) -> Iterator[ox.Quad]:
    rng = random.Random(i)
    article_id = f"synth-{i:07d}"
    doc = _n(str(doc_iri(article_id)))
    published = date(2030, 1, 1) + timedelta(days=(i * 7) % 3650)
    ng = t.ng

    def q(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(s, p, o, doc)

    yield q(doc, t.type, ng["Document"])
    yield q(doc, ng["sourcePath"], ox.Literal(f"bench/synth.jsonl:{i + 1}"))
    yield q(doc, ng["contentHash"], ox.Literal(hashlib.sha256(article_id.encode()).hexdigest()))
    yield q(doc, ng["title"], ox.Literal(f"Dispute report number {i}"))
    yield q(doc, ng["publishedOn"], ox.Literal(published.isoformat(), datatype=t.date))
    chosen: dict[str, list[tuple[str, ox.NamedNode]]] = {}
    for cls, count in _PER_ARTICLE.items():
        names = [_entity_name(cls, rng.randrange(_POOL[cls])) for _ in range(count)]
        chosen[cls] = [(name, _n(str(entity_iri(name)))) for name in names]
        for name, node in chosen[cls]:
            yield q(node, t.type, ng[cls])
            yield q(node, t.label, ox.Literal(name))
            if rng.random() < 0.3:
                yield q(node, t.alt, ox.Literal(name.split()[0]))
            yield q(node, ng["mentionedIn"], doc)

    def evidence(key: tuple[str, str, str], s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal
                 ) -> Iterator[ox.Quad]:
        start = rng.randrange(2000)
        node = _n(str(evidence_iri(article_id, *key, start, p)))
        sentence = f"Sentence {start} of article {i} says that {key[0]} {p} {key[2]}."
        yield q(node, t.type, ng["Evidence"])
        yield q(node, t.subject, s)
        yield q(node, t.predicate, ng[p])
        yield q(node, t.object, o)
        yield q(node, ng["sentence"], ox.Literal(sentence))
        yield q(node, ng["startChar"], ox.Literal(str(start), datatype=t.integer))
        yield q(node, ng["endChar"], ox.Literal(str(start + len(sentence)), datatype=t.integer))
        yield q(node, ng["rule"], ox.Literal(p))
        yield q(node, ng["confidence"], ox.Literal(rng.choice(("0.5", "0.7", "0.8", "0.9")), datatype=t.decimal))
        yield q(node, ng["source"], doc)

    (union, u), (union2, u2) = chosen["LaborUnion"]
    (company, c), (company2, c2) = chosen["Company"]
    association, a = chosen["EmployerAssociation"][0]
    person, p = chosen["Person"][0]
    place, pl = chosen["Place"][0]
    since = published - timedelta(days=rng.randrange(1, 120))
    ended = published - timedelta(days=rng.randrange(0, 30))
    relations = [(union, u, "negotiatesWith", company, c), (union2, u2, "negotiatesWith", company2, c2),
                 (person, p, "leads", union, u), (company, c, "memberOf", association, a),
                 (association, a, "represents", company, c), (chosen["Person"][1][0], chosen["Person"][1][1],
                                                             "leads", place, pl)]
    if rng.random() < 0.4:
        relations.append((union, u, "reachesAgreementWith", company, c))
    for s_name, s, pred, o_name, o in relations:
        yield q(s, ng[pred], o)
        yield from evidence((s_name, pred, o_name), s, pred, o)
    dates = [("onStrikeSince", ox.Literal(since.isoformat(), datatype=t.date))]
    if rng.random() < 0.3:
        dates.append(("strikeEndedOn", ox.Literal(ended.isoformat()[:7], datatype=t.month)))
    for pred, value in dates:
        yield q(u, ng[pred], value)
        yield from evidence((union, pred, value.value), u, pred, value)
    yield from _event_quads(q, evidence, t, doc, u, c, since, dates, published, agreed=len(relations) > 6)
    for speaker_name, speaker in (chosen["Person"][0], chosen["Person"][2]):
        text = f"Quotation {rng.randrange(10**6)} from {speaker_name} about the dispute in article {i}."
        statement = _n(str(statement_iri(article_id, speaker_name, text)))
        yield q(speaker, ng["issuesStatement"], statement)
        yield q(statement, t.type, ng["Statement"])
        yield q(statement, ng["quoteText"], ox.Literal(text))
        yield q(statement, ng["speaker"], speaker)
        yield q(statement, ng["source"], doc)
        yield q(statement, ng["statedOn"], ox.Literal(published.isoformat(), datatype=t.date))
        ev = list(evidence((speaker_name, "issuesStatement", statement.value), speaker, "issuesStatement",
                           statement))
        yield from ev
        yield q(statement, ng["evidence"], ev[0].subject)


def _event_quads(q, evidence, t: _Terms, doc: ox.NamedNode, u: ox.NamedNode, c: ox.NamedNode, since: date,
                 dates: list[tuple[str, ox.Literal]], published: date, agreed: bool) -> Iterator[ox.Quad]:
    """The dispute of the article's union and company, and its strike, talks and (when `agreed`) agreement, as
    graph/rdf/build_events.py writes them: event nodes with their sides and dates, and evidence for each fact."""
    ng = t.ng
    dispute = _n(str(dispute_iri(u.value, c.value, since.year)))
    yield q(dispute, t.type, ng["Dispute"])
    yield q(dispute, ng["unionSide"], u)
    yield q(dispute, ng["employerSide"], c)
    yield q(dispute, ng["mentionedIn"], doc)
    for kind in ("Strike", "Negotiation", *(("Agreement",) if agreed else ())):
        node = _n(str(event_iri(kind, u.value, c.value, since.year)))
        facts: list[tuple[str, ox.NamedNode | ox.Literal]] = [("unionSide", u), ("employerSide", c)]
        if kind == "Strike":
            facts += [("startDate" if p == "onStrikeSince" else "endDate", v) for p, v in dates]
        elif kind == "Agreement":
            facts.append(("startDate", ox.Literal(published.isoformat(), datatype=t.date)))
        yield q(node, t.type, ng[kind])
        yield q(node, ng["partOfDispute"], dispute)
        yield q(node, ng["mentionedIn"], doc)
        for prop, value in facts:
            yield q(node, ng[prop], value)
            yield from evidence((node.value, prop, value.value), node, prop, value)


def synthetic_quads(target: int) -> Iterator[ox.Quad]:
    """At least `target` quads, whole articles only; deterministic."""
    terms, made, i = _Terms(), 0, 0
    while made < target:
        for quad in _article_quads(i, terms):
            made += 1
            yield quad
        i += 1


def fill_store(path: Path, target: int = 1_000_000) -> tuple[ox.Store, int, int]:
    """Create a store at `path` holding about `target` synthetic quads; returns (store, quads, articles)."""
    quads = list(synthetic_quads(target))
    store = ox.Store(str(path))
    store.bulk_extend(quads)
    store.flush()
    articles = sum(1 for _ in store.named_graphs())
    return store, len(quads), articles
