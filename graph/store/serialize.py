"""Serialising a store: the RDF exports and the sorted graphs of CONSTRUCT answers, byte-identical for the same
content.

Serialisations are fed sorted triples so the same content gives the same bytes. The work is done on N-Triples
lines, which Oxigraph writes and parses in Rust; see `export`. graph.store.embedded re-exports `export` and the format
names, so callers keep importing them from there.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox
from rdflib.namespace import XSD

from graph.errors import StoreError, one_line
from graph.paths import ontology_file
from graph.rdf.vocab import ID_URI
from graph.store.queries import PREFIXES

if TYPE_CHECKING:
    from graph.store.embedded import StoreHandle

_XSD_STRING = str(XSD.string)
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
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

FORMAT_ALIASES = {"ttl": "turtle", "json-ld": "jsonld", "ntriples": "nt", "nquads": "nq"}

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


def format_name(fmt: str) -> str:
    """The canonical name of an output format (`ttl` is `turtle`, `json-ld` is `jsonld`)."""
    return FORMAT_ALIASES.get(fmt.lower(), fmt.lower())


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
            return cast(bytes, ox.serialize(ox.parse(data, format=ox.RdfFormat.N_QUADS, lenient=True), format=target,
                                            prefixes=prefixes))
        data = _union_ntriples(store, ontology)
        if target == ox.RdfFormat.N_TRIPLES:
            return data
        prefixes = _prefixes(_namespaces(data)) if prefixed else None
        data = cast(bytes, ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES, lenient=True), format=target,
                                        prefixes=prefixes))
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
        return results.serialize(format=ox.RdfFormat.N_TRIPLES)  # type: ignore[union-attr, arg-type, return-value]
    quads = store.ox.quads_for_pattern(None, None, None)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))


def _graph_lines(store: StoreHandle) -> dict[bytes, list[bytes]]:
    """N-Triples lines per graph, keyed by the graph's N-Triples term (b"" for the default graph)."""
    if isinstance(store.ox, ox.Store):
        names: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [*store.ox.named_graphs(), ox.DefaultGraph()]
        nt = ox.RdfFormat.N_TRIPLES
        return {_graph_key(name): cast(bytes, store.ox.dump(format=nt, from_graph=name)).splitlines() for name in names}
    grouped: dict[bytes, list[ox.Triple]] = {}
    for q in store.ox.quads_for_pattern(None, None, None):
        grouped.setdefault(_graph_key(q.graph_name), []).append(ox.Triple(q.subject, q.predicate, q.object))
    return {name: cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)).splitlines()
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
    out = cast(bytes, ox.serialize(parsed, format=target, prefixes=_prefixes(_namespaces(data)) if prefixed else None))
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
    return cast(bytes, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)).splitlines()
