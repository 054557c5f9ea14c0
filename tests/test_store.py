"""The Oxigraph store: opening, locking, replacing article graphs, union reads and exports."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from graph.errors import StoreError, StoreLockedError
from graph.rdf.iri import doc_iri
from graph.rdf.vocab import NG
from graph.store.embedded import (
    EXPORT_FORMATS,
    export,
    has_article,
    open_store,
    store_graph,
    write_articles,
)

RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}


def _stored_form(graph: rdflib.Graph) -> rdflib.Graph:
    """`graph` as Oxigraph stores it: xsd:decimal lexical forms are canonicalised ("0.80" -> "0.8")."""
    canonical = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == rdflib.XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=rdflib.XSD.decimal)
        canonical.add((s, p, o))
    return canonical


def _union(graphs: list[tuple[URIRef, rdflib.Graph]]) -> rdflib.Graph:
    merged = rdflib.Graph()
    for _, graph in graphs:
        for triple in _stored_form(graph):
            merged.add(triple)
    return merged


def test_store_write_two_articles_keeps_one_named_graph_each(harbor_store, harbor_graphs) -> None:
    names = sorted(str(g.value) for g in harbor_store.ox.named_graphs())
    assert names == sorted(str(name) for name, _ in harbor_graphs)
    assert len(harbor_store.ox) == sum(len(graph) for _, graph in harbor_graphs)


def test_store_rewriting_an_article_adds_nothing(harbor_store, harbor_graphs) -> None:
    before = len(harbor_store.ox)
    written = write_articles(harbor_store, harbor_graphs[:1])
    assert written == len(harbor_graphs[0][1])
    assert len(harbor_store.ox) == before


def test_store_rewriting_an_article_replaces_its_old_triples(harbor_store, harbor_graphs) -> None:
    (name, graph), (other, other_graph) = harbor_graphs
    smaller = rdflib.Graph()
    for triple in graph.triples((name, None, None)):  # only the document's own triples
        smaller.add(triple)
    write_articles(harbor_store, [(name, smaller)])
    per_graph: dict[str, int] = {}
    for quad in harbor_store.ox.quads_for_pattern(None, None, None):
        per_graph[quad.graph_name.value] = per_graph.get(quad.graph_name.value, 0) + 1
    assert per_graph == {str(name): len(smaller), str(other): len(other_graph)}


def _per_graph(store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for quad in store.ox.quads_for_pattern(None, None, None):
        out.setdefault(quad.graph_name.value, set()).add(str(ox.Triple(quad.subject, quad.predicate, quad.object)))
    return out


def test_store_write_loads_new_graphs_and_replaces_stored_ones_in_one_batch(tmp_path: Path, harbor_graphs) -> None:
    # One graph of the batch is stored already (the update path), the other is new (the N-Quads load path).
    (name, graph), (other, other_graph) = harbor_graphs
    store = open_store(tmp_path / "s")
    write_articles(store, [(name, graph)])
    smaller = rdflib.Graph()
    for triple in graph.triples((name, None, None)):
        smaller.add(triple)
    written = write_articles(store, [(name, smaller), (other, other_graph)])
    assert written == len(smaller) + len(other_graph)
    reference = open_store(tmp_path / "r")
    write_articles(reference, [(name, smaller)])
    write_articles(reference, [(other, other_graph)])
    assert _per_graph(store) == _per_graph(reference)
    assert {len(triples) for triples in _per_graph(store).values()} == {len(smaller), len(other_graph)}


def test_store_write_a_graph_given_twice_keeps_the_last(tmp_path: Path, harbor_graphs) -> None:
    (name, graph), _ = harbor_graphs
    smaller = rdflib.Graph()
    for triple in graph.triples((name, None, None)):
        smaller.add(triple)
    store = open_store(tmp_path / "s")
    write_articles(store, [(name, graph), (name, smaller)])
    assert len(_per_graph(store)[str(name)]) == len(smaller)


def test_store_write_keeps_literals_that_look_like_the_graph_name(tmp_path: Path) -> None:
    # Converting a stored graph's N-Quads back to triples for its replacement cuts the name off the line ends only.
    name = doc_iri("tricky")
    text = Literal(f"ends in <{name}> .")
    graph = [(name, NG.title, text)]
    store = open_store(tmp_path / "s")
    write_articles(store, [(name, graph)])
    write_articles(store, [(name, graph)])  # now the replacement path
    (quad,) = list(store.ox.quads_for_pattern(None, None, None))
    assert quad.object.value == str(text)


def test_store_union_query_sees_both_articles_and_repeats_shared_triples(harbor_store) -> None:
    union = "https://w3id.org/newsgraph/id/entity/harbor-pilots-union"
    plain = f"SELECT ?t WHERE {{ <{union}> a ?t }}"
    rows = list(harbor_store.ox.query(plain, use_default_graph_as_union=True))
    distinct = list(
        harbor_store.ox.query(plain.replace("SELECT", "SELECT DISTINCT"), use_default_graph_as_union=True)
    )
    # The type triple is in both article graphs: the union returns it once per graph, DISTINCT once.
    assert len(rows) == 2
    assert len(distinct) == 1


@pytest.mark.parametrize(
    ("index", "content_hash", "expected"),
    [(0, "right", True), (0, "0" * 64, False), (1, "right", True)],
)
def test_store_has_article_matches_the_content_hash(
    harbor_store, harbor_graphs, index: int, content_hash: str, expected: bool
) -> None:
    name, graph = harbor_graphs[index]
    if content_hash == "right":
        content_hash = str(graph.value(name, NG.contentHash))
    assert has_article(harbor_store, name, content_hash) is expected


def test_store_has_article_is_false_for_an_unknown_document(harbor_store) -> None:
    assert not has_article(harbor_store, doc_iri("never-built"), "0" * 64)


def test_store_read_only_handle_refuses_writes(harbor_store_path, harbor_graphs) -> None:
    store = open_store(harbor_store_path, read_only=True)
    assert len(store.ox) > 0
    with pytest.raises(StoreError, match="read-only"):
        write_articles(store, harbor_graphs)


def test_store_read_only_open_of_a_missing_store_names_the_fix(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.store"
    with pytest.raises(StoreError, match="no store at .*run newsgraph build"):
        open_store(missing, read_only=True)
    assert not missing.exists()


def test_store_open_on_a_file_is_a_store_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "plain.txt"
    not_a_dir.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open store") as caught:
        open_store(not_a_dir)
    assert "\n" not in str(caught.value)
    assert not isinstance(caught.value, StoreLockedError)


def test_store_second_writer_in_this_process_is_locked_out(harbor_store) -> None:
    with pytest.raises(StoreLockedError, match="in use"):
        open_store(harbor_store.path)


def test_store_writer_in_another_process_is_locked_out(harbor_store) -> None:
    code = (
        "import sys\nfrom graph.errors import StoreLockedError\nfrom graph.store.embedded import open_store\n"
        "try:\n    open_store(sys.argv[1])\nexcept StoreLockedError as exc:\n    print('locked', exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(harbor_store.path)], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.startswith("locked"), done.stderr


def test_store_reader_in_another_process_works_while_a_writer_holds_the_lock(harbor_store) -> None:
    harbor_store.ox.flush()
    code = "import sys\nfrom graph.store.embedded import open_store\n" \
        "print(len(open_store(sys.argv[1], read_only=True).ox))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(harbor_store.path)], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == str(len(harbor_store.ox)), done.stderr


def test_store_default_path_comes_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_STORE", str(tmp_path / "env.store"))
    store = open_store()
    assert store.path == tmp_path / "env.store"
    del store
    gc.collect()


def test_store_graph_is_the_merged_union(harbor_store, harbor_graphs) -> None:
    assert isomorphic(store_graph(harbor_store), _union(harbor_graphs))


def test_store_graph_keeps_plain_and_typed_literals_apart(harbor_store) -> None:
    graph = store_graph(harbor_store)
    labels = set(graph.objects(None, rdflib.RDFS.label))
    assert Literal("Harbor Pilots Union") in labels
    dates = set(graph.objects(None, NG.strikeEndedOn))
    assert dates == {Literal("2034-06", datatype=rdflib.XSD.gYearMonth)}


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_store_export_round_trips_to_the_union(harbor_store, harbor_graphs, fmt: str) -> None:
    data = export(harbor_store, fmt)
    parsed = rdflib.Graph().parse(data=data.decode("utf-8"), format=RDFLIB_FORMATS[fmt])
    assert isomorphic(parsed, _union(harbor_graphs))


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_store_export_is_byte_identical_across_exports(harbor_store, fmt: str) -> None:
    assert export(harbor_store, fmt) == export(harbor_store, fmt)


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_store_export_datasets_keep_one_graph_per_article(harbor_store, harbor_graphs, fmt: str) -> None:
    dataset = rdflib.Dataset()
    dataset.parse(data=export(harbor_store, fmt).decode("utf-8"), format="nquads" if fmt == "nq" else "trig")
    for name, graph in harbor_graphs:
        assert isomorphic(dataset.graph(name), _stored_form(graph))


def test_store_export_does_not_depend_on_the_hash_seed(harbor_store_path: Path) -> None:
    code = "import sys\nfrom graph.store.embedded import export, open_store\n" \
        "sys.stdout.buffer.write(export(open_store(sys.argv[1], read_only=True), sys.argv[2]))\n"
    for fmt in ("turtle", "jsonld", "xml", "trig"):
        outputs = {
            subprocess.run(
                [sys.executable, "-c", code, str(harbor_store_path), fmt],
                capture_output=True, timeout=120, check=True, env={**os.environ, "PYTHONHASHSEED": seed},
            ).stdout
            for seed in ("1", "2")
        }
        assert len(outputs) == 1, fmt


def test_store_turtle_export_uses_one_prefix_per_resource_folder(harbor_store) -> None:
    text = export(harbor_store, "turtle").decode("utf-8")
    assert "@prefix entity: <https://w3id.org/newsgraph/id/entity/> ." in text
    assert "@prefix owl:" not in text  # unused prefixes are left out
    assert "\\/" not in text
    assert "entity:harbor-pilots-union a ng:LaborUnion" in text


def test_store_export_with_ontology_adds_its_triples(harbor_store, harbor_graphs) -> None:
    from graph.rdf.build import ontology_graph

    plain = rdflib.Graph().parse(data=export(harbor_store, "nt"), format="nt")
    full = rdflib.Graph().parse(data=export(harbor_store, "nt", include_ontology=True), format="nt")
    ontology = ontology_graph()
    assert len(ontology) > 0
    assert len(full) == len(plain) + len(ontology)  # no blank nodes in either, so no overlap by relabelling


def test_store_export_refuses_an_unknown_format(harbor_store) -> None:
    with pytest.raises(StoreError, match="unknown export format"):
        export(harbor_store, "yaml")


def test_store_write_refuses_an_invalid_iri_and_keeps_the_store(harbor_store) -> None:
    before = len(harbor_store.ox)
    bad = rdflib.Graph()
    bad.add((URIRef("https://w3id.org/newsgraph/id/entity/ok"), URIRef("urn:p"), URIRef("not an iri")))
    with pytest.raises(StoreError, match="invalid IRI"):
        write_articles(harbor_store, [(doc_iri("harbor-0"), bad)])
    assert len(harbor_store.ox) == before


def test_store_xml_export_keeps_carriage_returns(tmp_path: Path) -> None:
    graph = rdflib.Graph()
    graph.add((URIRef("https://w3id.org/newsgraph/id/entity/a"), rdflib.RDFS.label, Literal("one\r\ntwo\rthree")))
    store = open_store(tmp_path / "s.store")
    write_articles(store, [(doc_iri("cr"), graph)])
    parsed = rdflib.Graph().parse(data=export(store, "xml"), format="xml")
    assert [str(o) for o in parsed.objects()] == ["one\r\ntwo\rthree"]


def test_store_xml_export_refuses_characters_xml_cannot_hold(tmp_path: Path) -> None:
    graph = rdflib.Graph()
    graph.add((URIRef("https://w3id.org/newsgraph/id/entity/a"), rdflib.RDFS.label, Literal("vertical\x0btab")))
    store = open_store(tmp_path / "s.store")
    write_articles(store, [(doc_iri("vt"), graph)])
    with pytest.raises(StoreError, match="control character"):
        export(store, "xml")
    assert b"vertical\\u000Btab" in export(store, "nt")  # the other formats escape it


# --- export: byte-identical to the reference (the triple-sorting implementation it replaced) -------------

_ID = "https://w3id.org/newsgraph/id/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ONTOLOGY_TTL = """@prefix ng: <https://w3id.org/newsgraph/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ng:LaborUnion a owl:Class ; rdfs:label "Labor union"@en .
<https://w3id.org/newsgraph/id/entity/a> rdfs:label "plain" .
"""


def _reference_export(store, fmt: str, include_ontology: bool = False) -> bytes:
    """The export as it was before it worked on N-Triples lines: ox.Triple objects, sorted by their N-Triples
    terms, prefixes collected term by term. Kept here as the specification of the bytes."""
    from graph.store.embedded import _prefixes, _xml_safe

    def prefixes(items) -> dict[str, str]:
        namespaces: set[str] = set()
        for item in items:
            for term in (item.subject, item.predicate, item.object, getattr(item, "graph_name", None)):
                term = term.datatype if isinstance(term, ox.Literal) else term
                if isinstance(term, ox.NamedNode):
                    iri = term.value
                    if iri.startswith(_ID) and "/" in iri[len(_ID):]:
                        namespaces.add(_ID + iri[len(_ID):].split("/", 1)[0] + "/")
                    else:
                        namespaces.add(iri[: max(iri.rfind("#"), iri.rfind("/")) + 1])
        return _prefixes(namespaces)  # namespaces collected term by term; the prefix names are the store's

    target = EXPORT_FORMATS[fmt]
    ontology = []
    if include_ontology:
        from graph.paths import ontology_file

        ontology = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(ontology_file()))]
    quads = list(store.ox.quads_for_pattern(None, None, None))
    if fmt in ("nq", "trig"):
        dataset = set(quads) | {ox.Quad(t.subject, t.predicate, t.object) for t in ontology}
        items = sorted(dataset, key=lambda q: ("" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name),
                                               str(q.subject), str(q.predicate), str(q.object)))
    else:
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads} | set(ontology)
        items = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    prefixed = target in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)
    data = ox.serialize(items, format=target, prefixes=prefixes(items) if prefixed else None)
    return _xml_safe(data) if target == ox.RdfFormat.RDF_XML else data


@pytest.fixture()
def awkward_store(tmp_path: Path):
    """Two article graphs sharing triples, a default-graph triple, literals with quotes, newlines, escapes,
    non-ASCII, language tags and datatypes, IRIs inside literals, a blank node, and IRIs outside every folder."""
    store = open_store(tmp_path / "awkward.store")
    n = ox.NamedNode
    docs = [n(_ID + "doc/one"), n(_ID + "doc/two")]
    objects = [
        ox.Literal('she said "no"\nthen\tleft\r\\ back'), ox.Literal("caf\u00e9 \u6f22 \U0001f600"), ox.Literal(""),
        ox.Literal("<https://example.org/not/an/iri> ."), ox.Literal("docks", language="en-GB"),
        ox.Literal("quai", language="fr"), ox.Literal("7", datatype=n(_XSD + "integer")),
        ox.Literal("0.8", datatype=n(_XSD + "decimal")), ox.Literal("2034-05", datatype=n(_XSD + "gYearMonth")),
        ox.Literal("x", datatype=n(_ID + "type/custom")), n(_ID + "entity/b"), n(_ID + "entity#hash"),
        n(_ID + "loose"), n("urn:example:plain"), n("https://example.org/\u00e9/\u00fc"),
        n("http://www.w3.org/2004/02/skos/core#Concept"),
    ]
    for i, obj in enumerate(objects):
        for doc in docs[: 1 + i % 2]:  # every other triple is in both graphs
            store.ox.add(ox.Quad(n(_ID + f"entity/e{i % 5}"), n(_LABEL if i % 3 else _ID + "p/x"), obj, doc))
    store.ox.add(ox.Quad(ox.BlankNode("b1"), n("https://schema.org/name"), ox.Literal("blank"), docs[0]))
    store.ox.add(ox.Quad(n(_ID + "entity/a"), n(_LABEL), ox.Literal("plain"), docs[1]))
    store.ox.add(ox.Quad(n("urn:default"), n(_LABEL), ox.Literal("in the default graph"), ox.DefaultGraph()))
    return store


@pytest.mark.parametrize("include_ontology", [False, True])
@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_store_export_matches_the_reference_bytes(
    awkward_store, tmp_path: Path, monkeypatch, fmt: str, include_ontology: bool
) -> None:
    # An ontology without blank nodes (the real one's are relabelled at random on every parse), overlapping
    # the data by one triple.
    (tmp_path / "newsgraph.ttl").write_text(_ONTOLOGY_TTL, encoding="utf-8")
    monkeypatch.setenv("NEWSGRAPH_ONTOLOGIES", str(tmp_path))
    expected = _reference_export(awkward_store, fmt, include_ontology)
    assert len(expected) > 500
    assert export(awkward_store, fmt, include_ontology) == expected


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_store_export_of_the_harbor_store_matches_the_reference_bytes(harbor_store, fmt: str) -> None:
    assert export(harbor_store, fmt) == _reference_export(harbor_store, fmt)


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_store_export_of_an_empty_store_matches_the_reference_bytes(tmp_path: Path, fmt: str) -> None:
    store = open_store(tmp_path / "empty.store")
    assert export(store, fmt) == _reference_export(store, fmt)


def test_store_nt_export_is_sorted_and_has_each_triple_once(awkward_store) -> None:
    lines = export(awkward_store, "nt").decode("utf-8").splitlines()
    assert lines == sorted(set(lines))
    assert len(lines) == len({(q.subject, q.predicate, q.object) for q in awkward_store.ox})


def test_store_construct_query_matches_the_reference_turtle(awkward_store) -> None:
    from graph.store.embedded import query

    sparql = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert query(awkward_store, sparql) == _reference_export(awkward_store, "turtle").decode("utf-8")


@pytest.mark.parametrize("literal", [ox.Literal("plain"), ox.Literal("tagged", language="en")])
@pytest.mark.parametrize("fmt", ["turtle", "trig", "xml"])
def test_store_export_prefixes_count_implicit_datatypes_like_the_reference(
    tmp_path: Path, fmt: str, literal: ox.Literal
) -> None:
    # xsd:string and rdf:langString are never written, but the prefixes have always counted them.
    store = open_store(tmp_path / "one.store")
    store.ox.add(ox.Quad(ox.NamedNode(_ID + "entity/a"), ox.NamedNode(_LABEL), literal, ox.NamedNode(_ID + "doc/d")))
    assert export(store, fmt) == _reference_export(store, fmt)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "trig", "jsonld"])
def test_store_export_with_ontology_is_byte_identical_across_runs(harbor_store, fmt) -> None:
    from graph.store.embedded import export

    assert export(harbor_store, fmt, include_ontology=True) == export(harbor_store, fmt, include_ontology=True)
