"""Turn one article's Extraction into RDF triples under the ng: ontology.

The graph has no blank nodes and every IRI is minted from the content (graph.rdf.iri), so building the same
Extraction twice gives the same triples and storing them again is idempotent. The caller puts the triples in
the named graph doc_iri(article.id).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from graph.errors import InputError
from graph.model import Entity, Evidence, Extraction, PartialDate, Quote, Relation
from graph.paths import ontology_file
from graph.rdf.build_events import add_events
from graph.rdf.iri import doc_iri, entity_iri, evidence_iri, statement_iri
from graph.rdf.vocab import ID_URI, NG, NG_URI, SCHEMA

_CENT = Decimal("0.01")
Triple = tuple[Node, Node, Node]


class Triples:
    """An article's triples, each once, in the order added: what the build functions fill.

    An rdflib Graph indexes every triple three ways as it is added, more than half the cost of building, and
    nothing reads the triples back while building; build_graph turns them into a Graph for those who query it.
    """

    __slots__ = ("_triples",)

    def __init__(self) -> None:
        self._triples: dict[Triple, None] = {}

    def add(self, triple: Triple) -> None:
        self._triples[triple] = None

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples


def _bind(graph: Graph) -> Graph:
    # Only our three prefixes: rdflib's default set binds some thirty namespaces per Graph, which was a
    # tenth of the build time of a short article.
    graph.bind("ng", NG_URI, replace=True)
    graph.bind("id", ID_URI, replace=True)
    graph.bind("skos", str(SKOS), replace=True)
    graph.bind("schema", str(SCHEMA), replace=True)
    return graph


def entity_node(entity: Entity) -> URIRef:
    """The IRI of an entity: its knowledge-base IRI when linked, else minted from its canonical name."""
    return URIRef(entity.kb_id) if entity.kb_id else entity_iri(entity.name)


# An article's evidence records repeat their sentences, offsets, rule names and confidences many times over, and
# an rdflib Literal costs microseconds to make: the same value gives the same (immutable) Literal from here.
@lru_cache(maxsize=4096)
def _text_literal(text: str) -> Literal:
    return Literal(text)


@lru_cache(maxsize=4096)
def _integer_literal(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


@lru_cache(maxsize=1024)
def confidence_literal(value: float) -> Literal:
    """A confidence as xsd:decimal rounded to two places, so 0.8 and 0.80000001 are the same literal.

    The lexical form has no trailing zeros but keeps one fractional digit ("0.9", "1.0"): Oxigraph stores
    "0.90" as "0.9", and rdflib writes a decimal "1" to Turtle as 1.0, so this form survives both unchanged.
    """
    # Going through repr avoids binary float artefacts (0.805 must round to 0.81, not 0.80).
    rounded = Decimal(repr(float(value))).quantize(_CENT, rounding=ROUND_HALF_UP)
    text = format(rounded, "f").rstrip("0")
    return Literal(f"{text}0" if text.endswith(".") else text, datatype=XSD.decimal)


def date_literal(value: PartialDate) -> Literal:
    """xsd:date when the day is known, xsd:gYearMonth when only the month is."""
    datatype = XSD.gYearMonth if value.day is None else XSD.date
    return Literal(value.iso(), datatype=datatype)


def _object_key(obj: str | PartialDate) -> str:
    return obj.iso() if isinstance(obj, PartialDate) else obj


def _add_document(graph: Triples, ex: Extraction, doc: URIRef) -> None:
    article = ex.article
    graph.add((doc, RDF.type, NG.Document))
    graph.add((doc, NG.articleId, Literal(article.id)))
    graph.add((doc, NG.sourcePath, Literal(article.source)))
    graph.add((doc, NG.contentHash, Literal(hashlib.sha256(article.text.encode("utf-8")).hexdigest())))
    # The title, URL and date also as schema.org says them (ng:title, ng:url and ng:publishedOn are its
    # sub-properties), so that a query or a tool that knows schema.org and not us finds them without inference.
    if article.title:
        title = Literal(article.title)
        graph.add((doc, NG.title, title))
        graph.add((doc, SCHEMA.headline, title))
    if article.url:
        url = Literal(article.url, datatype=XSD.anyURI)
        graph.add((doc, NG.url, url))
        graph.add((doc, SCHEMA.url, url))
    if article.date is not None:
        published = Literal(article.date.isoformat(), datatype=XSD.date)
        graph.add((doc, NG.publishedOn, published))
        graph.add((doc, SCHEMA.datePublished, published))


def _add_entity(graph: Triples, entity: Entity, node: URIRef, doc: URIRef) -> None:
    graph.add((node, RDF.type, NG[entity.cls]))
    graph.add((node, RDFS.label, Literal(entity.name)))
    for label in sorted(entity.labels - {entity.name}):
        graph.add((node, SKOS.altLabel, Literal(label)))
    graph.add((node, NG.mentionedIn, doc))


def _add_evidence(
    graph: Triples, ex: Extraction, key: tuple[str, str, str], triple: tuple[URIRef, URIRef, URIRef | Literal],
    evidence: Evidence,
) -> URIRef:
    """Reify `triple` as an ng:Evidence node named after `key` (subject name, predicate, object key)."""
    node = evidence_iri(ex.article.id, *key, evidence.start, evidence.rule)
    doc = doc_iri(ex.article.id)
    subject, predicate, obj = triple
    graph.add((node, RDF.type, NG.Evidence))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, predicate))
    graph.add((node, RDF.object, obj))
    graph.add((node, NG.sentence, _text_literal(evidence.sentence)))
    graph.add((node, NG.startChar, _integer_literal(evidence.start)))
    graph.add((node, NG.endChar, _integer_literal(evidence.end)))
    graph.add((node, NG.rule, _text_literal(evidence.rule)))
    graph.add((node, NG.confidence, confidence_literal(evidence.confidence)))
    graph.add((node, NG.source, doc))
    return node


def _add_relation(graph: Triples, ex: Extraction, rel: Relation, nodes: dict[str, URIRef]) -> None:
    subject = nodes.get(rel.subject)
    if subject is None:
        return
    obj: URIRef | Literal | None
    obj = date_literal(rel.object) if isinstance(rel.object, PartialDate) else nodes.get(rel.object)
    if obj is None:
        return
    predicate: URIRef = NG[rel.predicate]  # type: ignore[type-arg, name-defined]
    graph.add((subject, predicate, obj))
    key = (rel.subject, rel.predicate, _object_key(rel.object))
    _add_evidence(graph, ex, key, (subject, predicate, obj), rel.evidence)


def _add_quote(graph: Triples, ex: Extraction, quote: Quote, nodes: dict[str, URIRef], doc: URIRef) -> None:
    speaker = nodes.get(quote.speaker)
    if speaker is None:
        return
    statement = statement_iri(ex.article.id, quote.speaker, quote.text)
    graph.add((speaker, NG.issuesStatement, statement))
    graph.add((statement, RDF.type, NG.Statement))
    graph.add((statement, NG.quoteText, Literal(quote.text)))
    graph.add((statement, NG.speaker, speaker))
    graph.add((statement, NG.source, doc))
    if ex.article.date is not None:
        graph.add((statement, NG.statedOn, Literal(ex.article.date.isoformat(), datatype=XSD.date)))
    key = (quote.speaker, "issuesStatement", str(statement))
    ev = _add_evidence(graph, ex, key, (speaker, NG.issuesStatement, statement), quote.evidence)
    graph.add((statement, NG.evidence, ev))


def build_graph(ex: Extraction) -> Graph:
    """build_triples as an rdflib Graph (with our prefixes bound), to query, validate or serialise."""
    graph = _bind(Graph(bind_namespaces="core"))
    for triple in build_triples(ex):
        graph.add(triple)
    return graph


def build_triples(ex: Extraction) -> Triples:
    """The triples of one article: document, entities, relations with evidence, statements with evidence, and
    the disputes and dispute events the relations back (graph.rdf.build_events).

    Relations and quotes whose subject, object or speaker is not an entity of the extraction are skipped:
    without a class and a label such a node would be a dangling IRI the SHACL shapes reject.
    """
    graph = Triples()
    doc = doc_iri(ex.article.id)
    _add_document(graph, ex, doc)
    nodes: dict[str, URIRef] = {}
    for entity in ex.entities:
        node = entity_node(entity)
        nodes[entity.name] = node
        _add_entity(graph, entity, node, doc)
    for rel in ex.relations:
        _add_relation(graph, ex, rel, nodes)
    for quote in ex.quotes:
        _add_quote(graph, ex, quote, nodes, doc)
    add_events(graph, ex, nodes, doc, lambda key, triple, found: _add_evidence(graph, ex, key, triple, found))
    return graph


def load_turtle(path: Path, what: str) -> Graph:
    """Parse one of the project's Turtle files; `what` names it in the one-line InputError."""
    if not path.is_file():
        raise InputError(f"{what} not found: {path}")
    try:
        return Graph().parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for a malformed file
        raise InputError(f"{what} {path} is not valid Turtle: {type(exc).__name__}") from exc


def ontology_graph(path: Path | None = None) -> Graph:
    """The ng: ontology (graph.paths.ontology_file() unless `path` is given). Raises InputError."""
    return load_turtle(ontology_file() if path is None else Path(path), "ontology")


def serialize_sorted(graph: Graph, fmt: str = "turtle") -> str:
    """Serialise byte-identically across runs and hash seeds.

    rdflib's Turtle writer sorts subjects, predicates and objects, which is stable for a graph without blank
    nodes; N-Triples and N-Quads come out in set order, so their lines are sorted here.
    """
    if fmt in ("nt", "ntriples", "nt11", "nquads"):
        text = graph.serialize(format=fmt)
        lines = sorted(line for line in text.splitlines() if line.strip())
        return "".join(f"{line}\n" for line in lines)
    if fmt in ("turtle", "ttl"):
        return graph.serialize(format="turtle")
    raise InputError(f"unsupported serialisation format for sorted output: {fmt}")
