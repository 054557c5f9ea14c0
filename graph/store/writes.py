"""Writing article graphs to a store: each named graph replaced whole, in one transaction per batch.

A batch is prepared first (`prepare_write`: its triples as N-Triples terms, the Python half of a write) and then
applied (`apply_write`: Oxigraph's half, which runs with the GIL released, so graph.store.writer can apply one
batch in a thread while the next is parsed). Graphs the store does not hold yet are loaded as N-Quads, the
others replaced by a SPARQL update; either way a crash leaves the old or the new version of every graph, never
half of one. `insert_lines` and `graph_size` are how graph.pipeline.long_article writes an article too large
for one transaction, part by part. Reading the store is graph.store.embedded's business.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import StoreError, one_line

if TYPE_CHECKING:
    from graph.store.embedded import StoreHandle

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class PreparedWrite:
    """A batch of article graphs as N-Triples terms, ready for the store (prepare_write).

    Preparing is the Python half of a write; apply_write, the store's half, runs with the GIL released (Oxigraph
    parses and stores in Rust), so graph.pipeline.build applies one batch in a thread while spaCy parses the next.
    """

    graphs: tuple[tuple[ox.NamedNode, str, str], ...]  # (graph, its IRI as N-Triples, its N-Quads lines)
    triples: int


def prepare_write(graphs: Sequence[tuple[URIRef, Collection[Triple] | Graph]]) -> PreparedWrite:
    """Serialise the named graphs `graphs` (name, triples) for apply_write. Raises StoreError on an invalid IRI."""
    cache: dict[str, str] = {}
    prepared: dict[str, tuple[ox.NamedNode, str, str]] = {}  # a graph given twice: the last one wins
    written = 0
    for name, triples in graphs:
        iri = _nt_iri(str(name), cache)
        body = "".join(f"{_nt_terms(triple, cache)} {iri} .\n" for triple in triples)
        written += len(triples)
        prepared.pop(iri, None)
        prepared[iri] = (ox.NamedNode(str(name)), iri, body)
    return PreparedWrite(graphs=tuple(prepared.values()), triples=written)


def apply_write(store: StoreHandle, prepared: PreparedWrite) -> int:
    """Replace each graph of `prepared` by its triples. Returns the triples written.

    Graphs the store does not hold yet are loaded as N-Quads in one transaction, the others replaced by one
    SPARQL update (DROP + INSERT DATA per graph, one transaction): a crash leaves either the old or the new
    version of every graph, never half of one. Loading is about twice as fast as the same INSERT DATA.
    """
    if store.read_only:
        raise StoreError(f"store {store.path} is open read-only")
    fresh: list[str] = []
    operations: list[str] = []
    embedded = isinstance(store.ox, ox.Store)
    for graph, iri, body in prepared.graphs:
        if embedded and not _holds_graph(cast(ox.Store, store.ox), graph):
            fresh.append(body)
            continue
        # N-Quads lines back to triples: the graph IRI ends every line (a literal escapes its line breaks).
        cut = len(iri) + 3
        statements = " ".join(f"{line[:-cut]} ." for line in body.split("\n") if line)
        operations.append(f"DROP SILENT GRAPH {iri}")
        operations.append(f"INSERT DATA {{ GRAPH {iri} {{ {statements} }} }}")
    if any(fresh):
        _load(store, "".join(fresh))
    if operations:
        _update(store, " ;\n".join(operations))
    return prepared.triples


def write_articles(store: StoreHandle, graphs: Sequence[tuple[URIRef, Collection[Triple] | Graph]]) -> int:
    """Replace each named graph by the given triples (an rdflib Graph or graph.rdf.build's Triples). Returns the
    triples written. See apply_write for the transactions."""
    if store.read_only:
        raise StoreError(f"store {store.path} is open read-only")
    if not graphs:
        return 0
    return apply_write(store, prepare_write(graphs))


def insert_lines(store: StoreHandle, name: URIRef, lines: Sequence[str], replace: bool = False) -> None:
    """Add the triples `lines` (as `nt_triple` writes them) to the named graph `name` in one transaction,
    after dropping the graph when `replace`. graph.pipeline.long_article writes an article too large for one
    transaction this way, part by part."""
    if store.read_only:
        raise StoreError(f"store {store.path} is open read-only")
    iri = _nt_iri(str(name), {})
    drop = f"DROP SILENT GRAPH {iri} ;\n" if replace else ""
    _update(store, f"{drop}INSERT DATA {{ GRAPH {iri} {{ {' '.join(lines)} }} }}")


def graph_size(store: StoreHandle, name: URIRef) -> int:
    """The number of triples in the named graph `name`."""
    results = store.ox.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_nt_iri(str(name), {})} {{ ?s ?p ?o }} }}")
    return int(next(iter(results))["n"].value)  # type: ignore[call-overload, index, arg-type]


def nt_triple(triple: Triple, cache: dict[str, str]) -> str:
    """One rdflib triple as an N-Triples statement (`cache` keeps the IRIs already written)."""
    return f"{_nt_terms(triple, cache)} ."


def _nt_terms(triple: Triple, cache: dict[str, str]) -> str:
    subject, predicate, obj = triple
    return f"{_nt(subject, cache)} {_nt(predicate, cache)} {_nt(obj, cache)}"


def _holds_graph(store: ox.Store, graph: ox.NamedNode) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None


def _load(store: StoreHandle, nquads: str) -> None:
    assert isinstance(store.ox, ox.Store)
    try:
        store.ox.load(nquads, ox.RdfFormat.N_QUADS)  # one transaction
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot write to store {store.path}: {one_line(str(exc))}") from None


def _update(store: StoreHandle, update: str) -> None:
    try:
        store.ox.update(update)  # on a server: one request, one transaction
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot write to store {store.path}: {one_line(str(exc))}") from None


def _nt_iri(iri: str, cache: dict[str, str]) -> str:
    text = cache.get(iri)
    if text is None:
        try:
            text = cache[iri] = str(ox.NamedNode(iri))  # validates the IRI, escapes it the N-Triples way
        except ValueError as exc:
            raise StoreError(f"cannot store the invalid IRI {iri!r}: {exc}") from None
    return text


def _nt(term: object, cache: dict[str, str]) -> str:
    if isinstance(term, URIRef):
        return _nt_iri(str(term), cache)
    if isinstance(term, Literal):
        return str(_ox_literal(term))
    if isinstance(term, BNode):
        # build_graph mints no blank nodes; keep any stray one local to this write instead of failing.
        return f"_:{term}"
    raise StoreError(f"cannot store RDF term {term!r}")


def _ox_literal(term: Literal) -> ox.Literal:
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))
