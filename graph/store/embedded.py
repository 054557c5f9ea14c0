"""The embedded Oxigraph store: open it, read and query the union of its article graphs, export it.

Every article lives in its own named graph (its document IRI), so rebuilding an article replaces exactly
its triples and building it twice adds nothing. Queries run with the default graph set to the union of all
named graphs; a triple asserted by two articles then comes back once per graph, so exports and counts
deduplicate it. Writing article graphs lives in graph.store.writes, serialisation (the exports, sorted
CONSTRUCT answers) in graph.store.serialize.

A store is a folder (embedded pyoxigraph) or the http(s) URL of a SPARQL 1.1 server (graph.store.remote): the
functions here take either handle, since both backends answer the same few calls (graph.store.remote.Backend).
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import cast

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from graph.errors import NewsgraphError, QueryError, StoreError, StoreLockedError, one_line
from graph.rdf.vocab import NG
from graph.store.engine import exit_description
from graph.store.queries import (
    PREFIXES,
    format_table,
    query_form,
    read_only_violation,
    syntax_error_message,
    with_prefixes,
)
from graph.store.remote import Backend, is_remote, open_remote
from graph.store.serialize import (  # noqa: F401 -- export, the format names and the helpers tests use, from here too
    DATASET_FORMATS,
    EXPORT_FORMATS,
    FORMAT_ALIASES,
    _line_ended,
    _prefixes,
    _sorted_graph,
    _xml_safe,
    export,
    format_name,
)
from graph.store.sparql import check_shape
from graph.store.writes import write_articles  # noqa: F401 -- from here too, as before the split

DEFAULT_STORE = "newsgraph.store"
STORE_ENV = "NEWSGRAPH_STORE"
MAX_TIMEOUT = 7 * 24 * 3600.0  # seconds: a longer --timeout is a typo (and 1e300 would overflow the wait)

RESULT_FORMATS: dict[str, ox.QueryResultsFormat | None] = {
    "table": None,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
# What a CONSTRUCT or DESCRIBE gives, triples, by the same --format names ("table": Turtle, the default).
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "table": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
QUERY_FORMATS = (*RESULT_FORMATS, *(name for name in GRAPH_FORMATS if name not in RESULT_FORMATS))
_XSD_STRING = str(XSD.string)
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class StoreHandle:
    """An open store: `path` is its folder or its server's query URL, `ox` the pyoxigraph Store or the
    graph.store.remote.RemoteStore. Dropping the last reference releases a folder's lock (pyoxigraph has no close())."""

    path: Path | str
    ox: Backend
    read_only: bool


def default_store_path() -> Path | str:
    location = os.environ.get(STORE_ENV) or DEFAULT_STORE
    return location if is_remote(location) else Path(location)


def open_store(path: str | Path | None = None, read_only: bool = False, update_url: str | None = None,
               timeout: float | None = None) -> StoreHandle:
    """Open (read-write: create) the store at `path`, a folder or a SPARQL server's URL (graph.store.remote).

    Read-only opening never creates anything and works while a build holds the write lock. `update_url`
    and `timeout` (seconds per request) apply to a server only.
    """
    location = path if path is not None else default_store_path()
    if not str(location).strip():
        raise StoreError("the store location is empty; give a store folder or a SPARQL server's URL")
    if is_remote(location):
        url = str(location)
        remote = open_remote(url, update_url, timeout=timeout)
        return StoreHandle(path=remote.query_url, ox=remote, read_only=read_only)
    where = Path(location)
    if read_only and not (where / "CURRENT").is_file():
        raise StoreError(f"no store at {where}; run newsgraph build")
    try:
        store = ox.Store.read_only(str(where)) if read_only else ox.Store(str(where))
    except OSError as exc:
        message = one_line(str(exc))
        # RocksDB reports its LOCK file: "While lock file: ... Resource temporarily unavailable" from another
        # process, "lock hold by current process" from this one.
        if "lock" in message.lower():
            raise StoreLockedError(f"store {where} is in use by another process (a running build, or newsgraph "
                                   f"serve: stop it first) ({message})") from None
        raise StoreError(f"cannot open store {where}: {message}") from None
    except RuntimeError as exc:
        # RocksDB "Corruption": a read-only open raced the writer's file changes, or the store is damaged.
        raise StoreError(f"cannot read store {where} (is it being written?): {one_line(str(exc))}") from None
    return StoreHandle(path=where, ox=store, read_only=read_only)


# --- reading -------------------------------------------------------------------------------------------


def has_article(store: StoreHandle, doc_iri: URIRef, content_hash: str) -> bool:
    """True when the article's graph already records this content hash (so rebuilding it changes nothing)."""
    doc = ox.NamedNode(str(doc_iri))
    quads = store.ox.quads_for_pattern(doc, ox.NamedNode(str(NG.contentHash)), None, doc)
    return any(q.object.value == content_hash for q in quads)  # type: ignore[union-attr]


def stored_document(store: StoreHandle, doc_iri: URIRef) -> tuple[str | None, frozenset[str]]:
    """(identity, content hashes) the store records for the document `doc_iri`: one look-up (one request to a
    server) for both. (None, empty) when the document is not stored."""
    doc = ox.NamedNode(str(doc_iri))
    identity, hashes = None, set()
    for quad in store.ox.quads_for_pattern(doc, None, None, doc):
        if quad.predicate.value == str(NG.articleId):
            identity = quad.object.value  # type: ignore[union-attr]
        elif quad.predicate.value == str(NG.contentHash):
            hashes.add(quad.object.value)  # type: ignore[union-attr]
    return identity, frozenset(hashes)


def check_query(sparql: str, fmt: str = "table", allow_service: bool = False) -> None:
    """Refuse what `query` would refuse (unknown or mismatched format, a query too long, too deep or too large
    for the engine (graph.store.sparql), updates, SERVICE), without a store."""
    fmt = format_name(fmt)
    if fmt not in QUERY_FORMATS:
        raise QueryError(f"unknown result format {fmt!r}; use one of {', '.join(QUERY_FORMATS)}")
    found = check_shape(sparql, allow_network=True)  # the limits first: nothing else reads a hostile text
    form = query_form(sparql)
    if form in ("CONSTRUCT", "DESCRIBE") and fmt not in GRAPH_FORMATS:
        raise QueryError(f"a {form} query gives triples, not a table: use --format turtle, nt, jsonld or xml "
                         "(RDF/XML)")
    if form in ("SELECT", "ASK") and fmt not in RESULT_FORMATS:
        raise QueryError(f"a {form} query gives a table, not triples: use --format table, csv, tsv, json or xml")
    refused = read_only_violation(sparql)
    if refused:
        raise QueryError(f"read-only: {refused} updates are refused; run SELECT, ASK, CONSTRUCT or DESCRIBE")
    if not allow_service and "SERVICE" in found.network:
        raise QueryError("SERVICE clauses fetch data from the network and are refused; pass --allow-service")


def query(store: StoreHandle, sparql: str, fmt: str = "table", allow_service: bool = False) -> str:
    """Run a read-only SPARQL query over the union of all graphs and serialise its results.

    SELECT/ASK: table|csv|tsv|json|xml. CONSTRUCT/DESCRIBE: table (Turtle)|turtle|nt|jsonld|xml (RDF/XML), in
    sorted order. The common prefixes (graph.store.queries.PREFIXES) are bound unless the query declares them. Updates
    are refused, and so is a SERVICE clause unless `allow_service`.
    """
    check_query(sparql, fmt, allow_service)
    fmt = format_name(fmt)
    text, prologue = with_prefixes(sparql)
    try:
        results = store.ox.query(text, use_default_graph_as_union=True)
        if isinstance(results, ox.QueryTriples | list):  # a server's CONSTRUCT answer comes as a list
            nt = ox.RdfFormat.N_TRIPLES
            ntriples = cast(bytes, results.serialize(format=nt) if isinstance(results, ox.QueryTriples)
                            else ox.serialize(results, format=nt))
            return _line_ended(_sorted_graph(ntriples, GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)).decode("utf-8"))
        if fmt not in RESULT_FORMATS:  # a form query_form could not tell, answered with a table
            raise QueryError(f"the query gives a table, not triples: use --format {', '.join(RESULT_FORMATS)}")
        target = RESULT_FORMATS[fmt]
        if isinstance(results, ox.QueryBoolean):
            if target is None or target in (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV):
                return "true\n" if bool(results) else "false\n"
            return _line_ended(cast(bytes, results.serialize(format=target)).decode("utf-8"))
        if target is None:
            names = [v.value for v in results.variables]
            rows = [[solution[name] for name in names] for solution in results]
            return format_table(names, rows)
        return _line_ended(cast(bytes, results.serialize(format=target)).decode("utf-8"))
    except SyntaxError as exc:
        raise QueryError(syntax_error_message(str(exc), sparql, prologue)) from None
    except OSError as exc:
        raise QueryError(f"query failed: {one_line(str(exc))}") from None


def query_path(
    path: str | Path | None, sparql: str, fmt: str = "table", timeout: float | None = None,
    allow_service: bool = False,
) -> str:
    """`query` on the store at `path` opened read-only; with `timeout` (seconds) it runs in a child process
    that is killed when the time is up (QueryError), since Oxigraph cannot cancel a running query."""
    check_query(sparql, fmt, allow_service)  # refuse at once, without starting a process
    if timeout is not None and not 0 < timeout <= MAX_TIMEOUT:  # also false for nan
        raise QueryError(f"a timeout is a number of seconds above 0 and at most {MAX_TIMEOUT:g}, not {timeout}")
    if is_remote(path if path is not None else default_store_path()):
        # A server stops its own queries (oxigraph serve --timeout-s); here the request itself times out.
        return query(open_store(path, read_only=True, timeout=timeout), sparql, fmt, allow_service)
    if timeout is None:
        return query(open_store(path, read_only=True), sparql, fmt, allow_service)
    # spawn, not fork: the caller may hold stores and threads a forked child would inherit half-copied.
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(
        target=_query_worker, args=(sender, path, sparql, fmt, allow_service), daemon=True
    )
    worker.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryError(f"query timed out after {timeout:g} s and was stopped")
        try:
            ok, value = receiver.recv()
        except EOFError:
            worker.join(5)
            raise QueryError(f"the query engine ended without a result ({exit_description(worker.exitcode)})") \
                from None
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receiver.close()
    if not ok:
        raise QueryError(value)
    return value


def _query_worker(sender: Connection, path: str | Path | None, sparql: str, fmt: str,
                  allow_service: bool) -> None:
    """The child of query_path: sends (True, result) or (False, error message)."""
    try:
        sender.send((True, query(open_store(path, read_only=True), sparql, fmt, allow_service)))
    except NewsgraphError as exc:
        sender.send((False, str(exc)))
    finally:
        sender.close()



def store_graph(store: StoreHandle) -> rdflib.Graph:
    """The merged union of all article graphs as an rdflib Graph (for render, stats and validation)."""
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    cache: dict[str, URIRef] = {}
    for q in store.ox.quads_for_pattern(None, None, None):
        graph.add((_rdflib(q.subject, cache), _rdflib(q.predicate, cache), _rdflib(q.object, cache)))
    return graph


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, cache: dict[str, URIRef]) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        node = cache.get(term.value)
        if node is None:
            node = cache[term.value] = URIRef(term.value)
        return node
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # Plain rdflib literals stand for xsd:string; mapping back to them keeps round trips isomorphic.
        if datatype in (_XSD_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise StoreError(f"unsupported RDF term in store: {term!r}")
