"""The triple builder: one Extraction -> the triples of one article, deterministic and blank-node free.

The golden file tests/data/golden/build_small.ttl is the graph of the conftest `small_extraction`; after a
deliberate change to the graph shape, regenerate it with
    NEWSGRAPH_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_build.py -k golden
and review the diff.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef, namespace
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SKOS, XSD, Namespace

from graph.errors import InputError
from graph.model import Article, Entity, Evidence, Extraction, PartialDate, Quote, Relation
from graph.rdf.build import build_graph, build_triples, confidence_literal, ontology_graph, serialize_sorted
from graph.rdf.iri import doc_iri, entity_iri
from graph.rdf.vocab import NG, NG_URI

GOLDEN = Path(__file__).resolve().parent / "data" / "golden" / "build_small.ttl"
ALLOWED_NAMESPACES = (NG_URI, str(RDF), str(RDFS), str(SKOS), "https://schema.org/")
KB_PERSON = URIRef("https://w3id.org/newsgraph/id/entity/mira-okonkwo-kb")


def _one(graph: Graph, subject: URIRef, predicate: URIRef) -> object:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def _evidence_of(graph: Graph, subject: URIRef, predicate: URIRef) -> URIRef:
    nodes = set(graph.subjects(RDF.subject, subject)) & set(graph.subjects(RDF.predicate, predicate))
    assert len(nodes) == 1
    return nodes.pop()


@pytest.mark.parametrize("case", [0, 1])
def test_build_triples_are_the_graph_each_once_in_a_stable_order(case: int, small_extraction: Extraction) -> None:
    from conftest import harbor_extraction

    ex = small_extraction if case == 0 else harbor_extraction(0)
    triples = build_triples(ex)
    listed = list(triples)
    assert len(listed) == len(set(listed)) == len(triples)
    assert set(listed) == set(build_graph(ex))
    assert listed == list(build_triples(ex))  # the order the rules added them, the same every time
    assert listed[0] in triples and (doc_iri("nowhere"), RDF.type, NG.Document) not in triples


def test_build_document_triples(small_extraction: Extraction) -> None:
    graph = build_graph(small_extraction)
    doc = doc_iri("small-0001")
    assert (doc, RDF.type, NG.Document) in graph
    assert _one(graph, doc, NG.title) == Literal("Lamplighters resume talks")
    url = Literal("https://example.org/news/lamplighters", datatype=namespace.XSD.anyURI)
    assert _one(graph, doc, NG.url) == url
    assert _one(graph, doc, NG.publishedOn) == Literal("2031-04-08", datatype=namespace.XSD.date)
    assert _one(graph, doc, NG.sourcePath) == Literal("tests/data/small.txt")
    expected_hash = hashlib.sha256(small_extraction.article.text.encode("utf-8")).hexdigest()
    assert _one(graph, doc, NG.contentHash) == Literal(expected_hash)


def test_build_document_without_optional_fields() -> None:
    graph = build_graph(Extraction(Article(id="bare", text="Nothing happened.")))
    doc = doc_iri("bare")
    assert set(graph.predicates(doc, None)) == {RDF.type, NG.articleId, NG.sourcePath, NG.contentHash}
    assert _one(graph, doc, NG.sourcePath) == Literal("<memory>")


def test_build_entities_labels_and_iris(small_extraction: Extraction) -> None:
    graph = build_graph(small_extraction)
    doc = doc_iri("small-0001")
    union = entity_iri("Lamplighters Union")
    assert (union, RDF.type, NG.LaborUnion) in graph
    assert _one(graph, union, RDFS.label) == Literal("Lamplighters Union")
    assert set(graph.objects(union, SKOS.altLabel)) == {Literal("the lamplighters")}
    assert (union, NG.mentionedIn, doc) in graph
    # A linked entity keeps its knowledge-base IRI, not one minted from its name.
    assert (KB_PERSON, RDF.type, NG.Person) in graph
    assert (entity_iri("Mira Okonkwo"), None, None) not in graph
    assert set(graph.objects(KB_PERSON, SKOS.altLabel)) == {Literal("Okonkwo")}
    alliance = entity_iri("Tallow Makers Alliance")
    assert list(graph.objects(alliance, SKOS.altLabel)) == []


def test_build_relation_with_entity_object_and_evidence(small_extraction: Extraction) -> None:
    graph = build_graph(small_extraction)
    union, alliance = entity_iri("Lamplighters Union"), entity_iri("Tallow Makers Alliance")
    assert (union, NG.negotiatesWith, alliance) in graph
    ev = _evidence_of(graph, union, NG.negotiatesWith)
    sentence = "The Lamplighters Union and the Tallow Makers Alliance resumed talks on Tuesday."
    assert (ev, RDF.type, NG.Evidence) in graph
    assert _one(graph, ev, RDF.object) == alliance
    assert _one(graph, ev, NG.sentence) == Literal(sentence)
    assert _one(graph, ev, NG.startChar) == Literal(0, datatype=namespace.XSD.integer)
    assert _one(graph, ev, NG.endChar) == Literal(len(sentence), datatype=namespace.XSD.integer)
    assert _one(graph, ev, NG.rule) == Literal("talks")
    assert _one(graph, ev, NG.confidence) == Literal("0.9", datatype=namespace.XSD.decimal)
    assert _one(graph, ev, NG.source) == doc_iri("small-0001")


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        (PartialDate(2031, 3), Literal("2031-03", datatype=namespace.XSD.gYearMonth)),
        (PartialDate(2031, 3, 9), Literal("2031-03-09", datatype=namespace.XSD.date)),
    ],
)
def test_build_date_relation_literal(
    small_extraction: Extraction, value: PartialDate, literal: Literal
) -> None:
    rel = replace(small_extraction.relations[2], object=value)
    graph = build_graph(replace(small_extraction, relations=[rel]))
    union = entity_iri("Lamplighters Union")
    assert list(graph.objects(union, NG.onStrikeSince)) == [literal]
    assert _one(graph, _evidence_of(graph, union, NG.onStrikeSince), RDF.object) == literal


@pytest.mark.parametrize(
    ("confidence", "lexical"),
    [(0.805, "0.81"), (0.8, "0.8"), (0.80000001, "0.8"), (1.0, "1.0"), (0.0, "0.0"), (0.3333, "0.33"),
     (0.125, "0.13"), (0.996, "1.0")],
)
def test_build_confidence_rounded_to_two_places(confidence: float, lexical: str) -> None:
    literal = confidence_literal(confidence)
    assert literal.datatype == namespace.XSD.decimal
    assert str(literal) == lexical


def test_build_quote_statement_and_evidence(small_extraction: Extraction) -> None:
    graph = build_graph(small_extraction)
    statements = list(graph.objects(KB_PERSON, NG.issuesStatement))
    assert len(statements) == 1
    st = statements[0]
    assert (st, RDF.type, NG.Statement) in graph
    assert _one(graph, st, NG.quoteText) == Literal("We will not settle for less.")
    assert _one(graph, st, NG.speaker) == KB_PERSON
    assert _one(graph, st, NG.statedOn) == Literal("2031-04-08", datatype=namespace.XSD.date)
    assert _one(graph, st, NG.source) == doc_iri("small-0001")
    ev = _one(graph, st, NG.evidence)
    assert (ev, RDF.type, NG.Evidence) in graph
    assert (ev, RDF.subject, KB_PERSON) in graph
    assert (ev, RDF.predicate, NG.issuesStatement) in graph
    assert (ev, RDF.object, st) in graph
    assert _one(graph, ev, NG.rule) == Literal("said-colon")
    assert _one(graph, ev, NG.confidence) == Literal("0.95", datatype=namespace.XSD.decimal)


def test_build_quote_without_article_date_has_no_stated_on(small_extraction: Extraction) -> None:
    ex = replace(small_extraction, article=replace(small_extraction.article, date=None))
    graph = build_graph(ex)
    assert list(graph.subject_objects(NG.statedOn)) == []
    assert list(graph.subject_objects(NG.publishedOn)) == []
    assert len(list(graph.subjects(RDF.type, NG.Statement))) == 1


@pytest.mark.parametrize(
    "bad",
    [
        Relation("Nobody Known", "leads", "Lamplighters Union", Evidence("s", 0, 1, "r")),
        Relation("Mira Okonkwo", "memberOf", "Unknown Club", Evidence("s", 0, 1, "r")),
        Quote("Nobody Known", "Hello.", Evidence("s", 0, 1, "r")),
    ],
)
def test_build_skips_facts_about_unknown_entities(
    small_extraction: Extraction, bad: Relation | Quote
) -> None:
    base = build_graph(small_extraction)
    if isinstance(bad, Quote):
        ex = replace(small_extraction, quotes=[*small_extraction.quotes, bad])
    else:
        ex = replace(small_extraction, relations=[*small_extraction.relations, bad])
    assert isomorphic(build_graph(ex), base)


def test_build_no_blank_nodes_and_only_allowed_vocabularies(small_extraction: Extraction) -> None:
    graph = build_graph(small_extraction)
    for triple in graph:
        assert not any(isinstance(term, BNode) for term in triple)
        assert str(triple[1]).startswith(ALLOWED_NAMESPACES), triple[1]
    for cls in graph.objects(None, RDF.type):
        assert str(cls).startswith(NG_URI)


def test_build_is_idempotent(small_extraction: Extraction) -> None:
    first = build_graph(small_extraction)
    store = Graph()
    for _ in range(2):
        for triple in build_graph(small_extraction):
            store.add(triple)
    assert len(store) == len(first)
    assert set(store) == set(first)


def test_build_matches_golden(small_extraction: Extraction) -> None:
    if os.environ.get("NEWSGRAPH_REGENERATE_GOLDEN"):
        GOLDEN.write_text(serialize_sorted(build_graph(small_extraction)), encoding="utf-8")
    golden = Graph().parse(GOLDEN, format="turtle")
    assert isomorphic(build_graph(small_extraction), golden)


# Runs in a fresh interpreter so that set and dict order really differ (another hash seed).
_SERIALIZE = """
import pickle, sys
from graph.rdf.build import build_graph, serialize_sorted
sys.stdout.write(serialize_sorted(build_graph(pickle.load(sys.stdin.buffer)), sys.argv[1]))
"""


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_build_serialization_is_byte_identical_across_runs(small_extraction: Extraction, fmt: str) -> None:
    outputs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _SERIALIZE, fmt],
            input=pickle.dumps(small_extraction), env=env, capture_output=True, check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].decode("utf-8") == serialize_sorted(build_graph(small_extraction), fmt)


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_build_serialization_round_trips_every_literal(small_extraction: Extraction, fmt: str) -> None:
    graph = build_graph(small_extraction)
    parsed = Graph().parse(data=serialize_sorted(graph, fmt), format=fmt)
    assert set(parsed) == set(graph)


def test_build_ntriples_lines_sorted(small_extraction: Extraction) -> None:
    lines = serialize_sorted(build_graph(small_extraction), "nt").splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(build_graph(small_extraction))


def test_build_serialize_sorted_rejects_unknown_format(small_extraction: Extraction) -> None:
    with pytest.raises(InputError, match="unsupported"):
        serialize_sorted(build_graph(small_extraction), "json-ld")


def test_build_ontology_graph_loads_and_reports_missing(tmp_path: Path) -> None:
    assert (NG.Person, RDF.type, None) in ontology_graph()
    with pytest.raises(InputError, match="not found"):
        ontology_graph(tmp_path / "absent.ttl")
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ng: <x#> .\nng:a ng:b\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid Turtle"):
        ontology_graph(broken)


def test_build_unknown_entity_class_is_an_error() -> None:
    ex = Extraction(Article(id="a", text="t"), entities=[Entity("X", "Spaceship")])
    with pytest.raises(AttributeError):
        build_graph(ex)


def test_build_document_says_title_url_and_date_as_schema_org_too(small_extraction: Extraction) -> None:
    graph = build_graph(small_extraction)
    doc = doc_iri(small_extraction.article.id)
    schema = Namespace("https://schema.org/")
    assert _one(graph, doc, schema.url) == _one(graph, doc, NG.url) == Literal(
        "https://example.org/news/lamplighters", datatype=XSD.anyURI)
    assert _one(graph, doc, schema.headline) == _one(graph, doc, NG.title)
    assert _one(graph, doc, schema.datePublished) == _one(graph, doc, NG.publishedOn)
