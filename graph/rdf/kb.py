"""The knowledge base of known entities (ontologies/kb.ttl): identities only, never relations.

Each entry is an IRI with exactly one ng: class from graph.model.ENTITY_CLASSES, exactly one rdfs:label (the
canonical name) and any number of skos:altLabel aliases. Relations between known entities must come from the
articles, so an ng: predicate in the file is an error rather than something to load.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.errors import InputError
from graph.model import ENTITY_CLASSES, KnownEntity
from graph.paths import kb_file
from graph.rdf.vocab import NG_URI


def _parse(path: Path) -> Graph:
    if not path.is_file():
        raise InputError(f"knowledge base not found: {path}")
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for a malformed file
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"knowledge base {path} is not valid Turtle: {first_line}") from exc
    return graph


def _entity_class(graph: Graph, subject: URIRef, path: Path) -> str:
    types = sorted(str(t) for t in graph.objects(subject, RDF.type))
    names = [t[len(NG_URI):] for t in types if t.startswith(NG_URI)]
    if len(types) != 1 or len(names) != 1 or names[0] not in ENTITY_CLASSES:
        allowed = ", ".join(f"ng:{cls}" for cls in ENTITY_CLASSES)
        raise InputError(
            f"knowledge base {path}: {subject} must have exactly one class among {allowed}"
            f" (has {', '.join(types) or 'none'})"
        )
    return names[0]


def _label(graph: Graph, subject: URIRef, path: Path) -> str:
    labels = [lbl for lbl in graph.objects(subject, RDFS.label) if isinstance(lbl, Literal)]
    if len(labels) != 1 or not str(labels[0]).strip():
        raise InputError(f"knowledge base {path}: {subject} must have exactly one non-empty rdfs:label")
    return str(labels[0])


def _entry(graph: Graph, subject: URIRef, path: Path) -> KnownEntity:
    cls = _entity_class(graph, subject, path)
    name = _label(graph, subject, path)
    aliases = sorted({str(alt) for alt in graph.objects(subject, SKOS.altLabel)} - {name})
    return KnownEntity(iri=str(subject), name=name, cls=cls, aliases=tuple(aliases))


def load_kb(path: Path | None = None) -> list[KnownEntity]:
    """Every known entity of the knowledge base, sorted by IRI. Raises InputError on a bad file or entry."""
    path = kb_file() if path is None else Path(path)
    graph = _parse(path)
    for _, predicate, _ in graph:
        if str(predicate).startswith(NG_URI):
            raise InputError(f"knowledge base {path} holds identities only, but uses {predicate}")
    subjects = set(graph.subjects(RDF.type, None)) | set(graph.subjects(RDFS.label, None))
    subjects |= set(graph.subjects(SKOS.altLabel, None))
    entries = []
    for subject in sorted(subjects, key=str):
        if not isinstance(subject, URIRef):
            raise InputError(f"knowledge base {path}: every entry needs an IRI, found a blank node")
        entries.append(_entry(graph, subject, path))
    return entries
