"""The embedded Oxigraph store: open it, replace article graphs, query the union, export it.

Every article lives in its own named graph (its document IRI), so rebuilding an article replaces exactly
its triples and building it twice adds nothing. Queries run with the default graph set to the union of all
named graphs; a triple asserted by two articles then comes back once per graph, so exports and counts
deduplicate it. Serialisations are fed sorted triples so the same content gives the same bytes.

A store is a folder (embedded pyoxigraph) or the http(s) URL of a SPARQL 1.1 server (graph.remote): the
functions here take either handle, since both backends answer the same few calls (graph.remote.Backend).
"""
from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from graph.errors import NewsgraphError, QueryError, StoreError, StoreLockedError, one_line
from graph.paths import ontology_file
from graph.queries import (
    PREFIXES,
    format_table,
    query_form,
    read_only_violation,
    syntax_error_message,
    uses_service,
    with_prefixes,
)
from graph.remote import Backend, is_remote, open_remote
from graph.vocab import ID_URI, NG

DEFAULT_STORE = "newsgraph.store"
STORE_ENV = "NEWSGRAPH_STORE"

EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    # pyoxigraph's own JSON-LD and RDF/XML writers are streaming, so sorted input gives identical bytes;
    # rdflib's writers iterate hash-ordered sets and differ between runs (PYTHONHASHSEED).
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = frozenset({"nq", "trig"})  # JSON-LD could hold graphs too, but is exported merged
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
FORMAT_ALIASES = {"ttl": "turtle", "json-ld": "jsonld", "ntriples": "nt", "nquads": "nq"}
QUERY_FORMATS = (*RESULT_FORMATS, *(name for name in GRAPH_FORMATS if name not in RESULT_FORMATS))
_XSD_STRING = str(XSD.string)
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_PN_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_XML_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
# Namespaces (an IRI up to its last '#' or '/') of the IRIs of N-Triples lines, found in the bytes. Each line is
# one triple (literals escape their newlines) and the terms are anchored to its start or end, so an IRI quoted
# inside a literal is never taken for one. Subject and predicate from the line start; the object IRI or the
# datatype, the line's last term, from the start of the reversed line (Python's re cannot search backwards,
# and trying every '<' for a match at the line end costs three times as much).
_NT_SUBJECT_PREDICATE = re.compile(rb"^(?:<([^>]*[#/])[^>#/]*>|_:[^ ]*) <([^>]*[#/])[^>#/]*> ", re.M)
_NT_OBJECT_REVERSED = re.compile(rb"^\. >[^<>#/\n]*([#/][^<>\n]*)<", re.M)
_GRAPH_NAMESPACE = re.compile(rb"<([^>]*[#/])[^>#/]*>")
_PLAIN_LITERAL = re.compile(rb'" \.$', re.M)
_LANG_LITERAL = re.compile(rb'"@[^" ]+ \.$', re.M)


@dataclass(frozen=True)
class StoreHandle:
    """An open store: `path` is its folder or its server's query URL, `ox` the pyoxigraph Store or the
    graph.remote.RemoteStore. Dropping the last reference releases a folder's lock (pyoxigraph has no close())."""

    path: Path | str
    ox: Backend
    read_only: bool


def default_store_path() -> Path | str:
    location = os.environ.get(STORE_ENV) or DEFAULT_STORE
    return location if is_remote(location) else Path(location)


def open_store(path: str | Path | None = None, read_only: bool = False, update_url: str | None = None,
               timeout: float | None = None) -> StoreHandle:
    """Open (read-write: create) the store at `path`, a folder or a SPARQL server's URL (graph.remote).

    Read-only opening never creates anything and works while a build holds the write lock. `update_url`
    and `timeout` (seconds per request) apply to a server only.
    """
    location = path if path is not None else default_store_path()
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
            raise StoreLockedError(f"store {where} is in use by another process ({message})") from None
        raise StoreError(f"cannot open store {where}: {message}") from None
    except RuntimeError as exc:
        # RocksDB "Corruption": a read-only open raced the writer's file changes, or the store is damaged.
        raise StoreError(f"cannot read store {where} (is it being written?): {one_line(str(exc))}") from None
    return StoreHandle(path=where, ox=store, read_only=read_only)


# --- writing -------------------------------------------------------------------------------------------


def write_articles(store: StoreHandle, graphs: Sequence[tuple[URIRef, rdflib.Graph]]) -> int:
    """Replace each named graph by the given triples, all in one transaction. Returns the triples written.

    One SPARQL update (DROP + INSERT DATA per graph) is one Oxigraph transaction: a crash leaves either the
    old or the new version of every graph of the batch, never half of one.
    """
    if store.read_only:
        raise StoreError(f"store {store.path} is open read-only")
    if not graphs:
        return 0
    cache: dict[str, str] = {}
    operations: list[str] = []
    written = 0
    for name, graph in graphs:
        iri = _nt_iri(str(name), cache)
        body = " ".join(f"{_nt(s, cache)} {_nt(p, cache)} {_nt(o, cache)} ." for s, p, o in graph)
        written += len(graph)
        operations.append(f"DROP SILENT GRAPH {iri}")
        operations.append(f"INSERT DATA {{ GRAPH {iri} {{ {body} }} }}")
    try:
        store.ox.update(" ;\n".join(operations))  # on a server: one request, one transaction
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot write to store {store.path}: {one_line(str(exc))}") from None
    return written


def has_article(store: StoreHandle, doc_iri: URIRef, content_hash: str) -> bool:
    """True when the article's graph already records this content hash (so rebuilding it changes nothing)."""
    doc = ox.NamedNode(str(doc_iri))
    quads = store.ox.quads_for_pattern(doc, ox.NamedNode(str(NG.contentHash)), None, doc)
    return any(q.object.value == content_hash for q in quads)


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


# --- reading -------------------------------------------------------------------------------------------


def format_name(fmt: str) -> str:
    """The canonical name of an output format (`ttl` is `turtle`, `json-ld` is `jsonld`)."""
    return FORMAT_ALIASES.get(fmt.lower(), fmt.lower())


def check_query(sparql: str, fmt: str = "table", allow_service: bool = False) -> None:
    """Refuse what `query` would refuse (unknown or mismatched format, updates, SERVICE), without a store."""
    fmt = format_name(fmt)
    if fmt not in QUERY_FORMATS:
        raise QueryError(f"unknown result format {fmt!r}; use one of {', '.join(QUERY_FORMATS)}")
    form = query_form(sparql)
    if form in ("CONSTRUCT", "DESCRIBE") and fmt not in GRAPH_FORMATS:
        raise QueryError(f"a {form} query gives triples, not a table: use --format turtle, nt, jsonld or xml "
                         "(RDF/XML)")
    if form in ("SELECT", "ASK") and fmt not in RESULT_FORMATS:
        raise QueryError(f"a {form} query gives a table, not triples: use --format table, csv, tsv, json or xml")
    refused = read_only_violation(sparql)
    if refused:
        raise QueryError(f"read-only: {refused} updates are refused; run SELECT, ASK, CONSTRUCT or DESCRIBE")
    if not allow_service and uses_service(sparql):
        raise QueryError("SERVICE clauses fetch data from the network and are refused; pass --allow-service")


def query(store: StoreHandle, sparql: str, fmt: str = "table", allow_service: bool = False) -> str:
    """Run a read-only SPARQL query over the union of all graphs and serialise its results.

    SELECT/ASK: table|csv|tsv|json|xml. CONSTRUCT/DESCRIBE: table (Turtle)|turtle|nt|jsonld|xml (RDF/XML), in
    sorted order. The common prefixes (graph.queries.PREFIXES) are bound unless the query declares them. Updates
    are refused, and so is a SERVICE clause unless `allow_service`.
    """
    check_query(sparql, fmt, allow_service)
    fmt = format_name(fmt)
    text, prologue = with_prefixes(sparql)
    try:
        results = store.ox.query(text, use_default_graph_as_union=True)
        if isinstance(results, ox.QueryTriples | list):  # a server's CONSTRUCT answer comes as a list
            ntriples = (results.serialize(format=ox.RdfFormat.N_TRIPLES) if isinstance(results, ox.QueryTriples)
                        else ox.serialize(results, format=ox.RdfFormat.N_TRIPLES))
            return _line_ended(_sorted_graph(ntriples, GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)).decode("utf-8"))
        if fmt not in RESULT_FORMATS:  # a form query_form could not tell, answered with a table
            raise QueryError(f"the query gives a table, not triples: use --format {', '.join(RESULT_FORMATS)}")
        target = RESULT_FORMATS[fmt]
        if isinstance(results, ox.QueryBoolean):
            if target is None or target in (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV):
                return "true\n" if bool(results) else "false\n"
            return _line_ended(results.serialize(format=target).decode("utf-8"))
        if target is None:
            names = [v.value for v in results.variables]
            rows = [[solution[name] for name in names] for solution in results]
            return format_table(names, rows)
        return _line_ended(results.serialize(format=target).decode("utf-8"))
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
            raise QueryError(f"query process ended without a result (exit code {worker.exitcode})") from None
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


def export(store: StoreHandle, fmt: str, include_ontology: bool = False) -> bytes:
    """Serialise the store. nq/trig keep one graph per article; the other formats merge them into one.

    The work is done on N-Triples lines, which Oxigraph writes and parses in Rust: the union's lines are
    deduplicated and sorted as bytes (a line's order is its triple's (subject, predicate, object) order, since
    every term is self-delimiting), then written as they are (nt) or parsed back in that order and handed to
    Oxigraph's writer for the other formats. A Python object per triple costs 20 times more.
    """
    fmt = format_name(fmt)
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    target = EXPORT_FORMATS[fmt]
    ontology = _ontology_lines() if include_ontology else []
    prefixed = target in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)
    try:
        if fmt in DATASET_FORMATS:
            graphs = _graph_lines(store)
            graphs[b""] = [*graphs.get(b"", []), *ontology]  # the ontology joins the default graph
            data = _nquads(graphs)
            if target == ox.RdfFormat.N_QUADS:
                return data
            triples = _joined([line for lines in graphs.values() for line in lines])
            prefixes = _prefixes(_namespaces(triples, graphs)) if prefixed else None
            return ox.serialize(ox.parse(data, format=ox.RdfFormat.N_QUADS, lenient=True), format=target,
                                prefixes=prefixes)
        data = _union_ntriples(store, ontology)
        if target == ox.RdfFormat.N_TRIPLES:
            return data
        prefixes = _prefixes(_namespaces(data)) if prefixed else None
        data = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES, lenient=True), format=target,
                            prefixes=prefixes)
    except (ValueError, OSError, SyntaxError) as exc:
        raise StoreError(f"cannot export as {fmt}: {one_line(str(exc))}") from None
    return _xml_safe(data) if target == ox.RdfFormat.RDF_XML else data


def _xml_safe(data: bytes) -> bytes:
    """RDF/XML as pyoxigraph writes it, with the carriage returns of literals kept.

    The writer leaves CR raw, and every XML parser turns CR LF into LF; as a character reference it survives.
    The other C0 controls cannot be written in XML 1.0 at all (the readers replace them in articles).
    """
    if _XML_FORBIDDEN.search(data):
        raise StoreError("cannot export as xml: a literal holds a control character XML 1.0 cannot represent")
    return data.replace(b"\r", b"&#13;")


def store_graph(store: StoreHandle) -> rdflib.Graph:
    """The merged union of all article graphs as an rdflib Graph (for render, stats and validation)."""
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    cache: dict[str, URIRef] = {}
    for q in store.ox.quads_for_pattern(None, None, None):
        graph.add((_rdflib(q.subject, cache), _rdflib(q.predicate, cache), _rdflib(q.object, cache)))
    return graph


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal, cache: dict[str, URIRef]) -> rdflib.term.Node:
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


# --- serialisation helpers -----------------------------------------------------------------------------


def _union_ntriples(store: StoreHandle, extra: Iterable[bytes] = ()) -> bytes:
    """Every triple of the union of all graphs (default graph included) and the `extra` N-Triples lines, as
    sorted N-Triples, each triple once."""
    lines = set(_unsorted_union(store).splitlines())  # the unsorted bytes are freed before sorting
    lines.update(extra)
    return _joined(sorted(lines))


def _unsorted_union(store: StoreHandle) -> bytes:
    if isinstance(store.ox, ox.Store):
        results = store.ox.query(_ALL_TRIPLES, use_default_graph_as_union=True)
        return results.serialize(format=ox.RdfFormat.N_TRIPLES)  # type: ignore[union-attr]
    quads = store.ox.quads_for_pattern(None, None, None)
    return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)


def _graph_lines(store: StoreHandle) -> dict[bytes, list[bytes]]:
    """N-Triples lines per graph, keyed by the graph's N-Triples term (b"" for the default graph)."""
    if isinstance(store.ox, ox.Store):
        names: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [*store.ox.named_graphs(), ox.DefaultGraph()]
        return {_graph_key(name): store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name).splitlines()
                for name in names}
    grouped: dict[bytes, list[ox.Triple]] = {}
    for q in store.ox.quads_for_pattern(None, None, None):
        grouped.setdefault(_graph_key(q.graph_name), []).append(ox.Triple(q.subject, q.predicate, q.object))
    return {name: ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines()
            for name, triples in grouped.items()}


def _graph_key(name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bytes:
    return b"" if isinstance(name, ox.DefaultGraph) else str(name).encode("utf-8")


def _nquads(graphs: dict[bytes, list[bytes]]) -> bytes:
    """N-Quads sorted by (graph, subject, predicate, object), the default graph first, each quad once."""
    lines: list[bytes] = []
    for name in sorted(graphs):
        ordered = sorted(set(graphs[name]))
        if name:  # "s p o ." -> "s p o <graph> ."; the default graph's lines stay triples
            lines.extend(line[:-1] + name + b" ." for line in ordered)
        else:
            lines.extend(ordered)
    return _joined(lines)


def _joined(lines: Sequence[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n" if lines else b""


def _line_ended(text: str) -> str:
    """JSON and XML results as the writers give them, ending in a newline like every other output."""
    return text if text.endswith("\n") else text + "\n"


def _sorted_graph(ntriples: bytes, target: ox.RdfFormat = ox.RdfFormat.TURTLE) -> bytes:
    """N-Triples text as `target` (Turtle by default), each triple once, in sorted order."""
    data = _joined(sorted(set(ntriples.splitlines())))
    if target == ox.RdfFormat.N_TRIPLES:
        return data
    parsed = ox.parse(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)  # our own writer's output: valid
    prefixed = target in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
    out = ox.serialize(parsed, format=target, prefixes=_prefixes(_namespaces(data)) if prefixed else None)
    return _xml_safe(out) if target == ox.RdfFormat.RDF_XML else out


def _namespaces(ntriples: bytes, graph_names: Iterable[bytes] = ()) -> set[str]:
    """The namespace of every IRI of the N-Triples text (subjects, predicates, objects, datatypes, graph names).

    A namespace is the IRI up to its last '#' or '/'; for our resources, the folder (`.../id/entity/`). Plain
    and language-tagged literals count their implicit datatypes (xsd:string, rdf:langString).
    """
    found: set[bytes] = set()
    for pair in set(_NT_SUBJECT_PREDICATE.findall(ntriples)):
        found.update(pair)
    found.discard(b"")  # a blank-node subject
    found.update(reverse[::-1] for reverse in set(_NT_OBJECT_REVERSED.findall(ntriples[::-1])))
    found.update(m.group(1) for m in map(_GRAPH_NAMESPACE.fullmatch, graph_names) if m)
    namespaces = {_folder(base.decode("utf-8")) for base in found}
    if _PLAIN_LITERAL.search(ntriples):
        namespaces.add(_XSD_STRING[: _XSD_STRING.rfind("#") + 1])
    if _LANG_LITERAL.search(ntriples):
        namespaces.add(_LANG_STRING[: _LANG_STRING.rfind("#") + 1])
    return namespaces


def _folder(namespace: str) -> str:
    """`namespace` cut to our first folder when it is one of our resource IRIs' (`.../id/entity/...`)."""
    rest = namespace[len(ID_URI):]
    if namespace.startswith(ID_URI) and "/" in rest:
        return ID_URI + rest.split("/", 1)[0] + "/"
    return namespace


def _prefixes(namespaces: set[str]) -> dict[str, str]:
    """The fixed prefixes the data uses, plus one per folder of our resource IRIs (entity:, doc:, ...).

    A single `id:` prefix would make Turtle writers escape the slash (`id:entity\\/x`); one prefix per
    folder gives plain local names. Derived from the data in sorted order, so it is deterministic.
    """
    prefixes = {prefix: ns for prefix, ns in PREFIXES.items() if ns in namespaces}
    for namespace in sorted(ns for ns in namespaces if ns.startswith(ID_URI)):
        folder = namespace[len(ID_URI):-1]
        if _PN_PREFIX.fullmatch(folder) and folder not in PREFIXES:
            prefixes[folder] = namespace
    return prefixes


def _ontology_lines() -> list[bytes]:
    path = ontology_file()
    try:
        quads = list(ox.parse(path=str(path)))
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot read ontology {path}: {one_line(str(exc))}") from None
    # The parser names blank nodes at random; name them in the order the file uses them so that an export
    # with the ontology is byte-identical from run to run.
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def stable(term):
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term, ox.BlankNode(f"ont{len(names)}"))
        return term

    triples = [ox.Triple(stable(q.subject), q.predicate, stable(q.object)) for q in quads]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines()
