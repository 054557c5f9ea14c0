"""The graph as a property graph, for the tools people already use: networkx (and through it GraphML for
Gephi and yEd) and Neo4j's bulk importer (`neo4j-admin database import full`, which reads CSV).

RDF spreads one fact over several triples (a relation, its ng:Evidence records, the labels of both ends); a
property graph wants one node per thing and one edge per fact. So: one node per entity (its classes, canonical
name, aliases, strike dates) and per statement (the quotation, its date); one edge per distinct relation
between two nodes, carrying how many evidence records support it, their highest confidence, the first
sentence (by document and offset) and the documents. Everything is read with SPARQL over the union of the
articles and sorted, so the same store gives byte-identical files.
"""
from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from graph.atomic import write_atomic
from graph.errors import NewsgraphError, StoreError, one_line
from graph.model import DATE_PREDICATES, ENTITY_CLASSES, ENTITY_PREDICATES
from graph.rdf.vocab import NG_URI
from graph.store.embedded import StoreHandle

NODE_FILE = "nodes.csv"
RELATIONSHIP_FILE = "relationships.csv"
# Neo4j's header contract: a name:type per column; :ID, :LABEL, :START_ID, :END_ID, :TYPE are the importer's own.
NODE_HEADER = ("id:ID", ":LABEL", "name", "aliases:string[]", "onStrikeSince:string[]", "strikeEndedOn:string[]",
               "statedOn")
RELATIONSHIP_HEADER = (":START_ID", ":END_ID", ":TYPE", "evidence:int", "confidence:float", "sentence",
                       "documents:string[]")
ARRAY_DELIMITER = ";"  # the importer's default, so no option is needed
_PREFIX = (f"PREFIX ng: <{NG_URI}>\nPREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
           "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")
_CLASSES = " ".join(f"ng:{cls}" for cls in ENTITY_CLASSES)
_RELATIONS = " ".join(f"ng:{name}" for name in (*ENTITY_PREDICATES, "issuesStatement"))
_DATES = " ".join(f"ng:{name}" for name in DATE_PREDICATES)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


class ExportError(NewsgraphError):
    """A property-graph export cannot be written."""


@dataclass(frozen=True)
class Node:
    """An entity or a statement. `labels` are its kinds ("Entity" and its ng: classes, or "Statement")."""

    id: str
    labels: tuple[str, ...]
    name: str
    aliases: tuple[str, ...] = ()
    strike_since: tuple[str, ...] = ()
    strike_ended: tuple[str, ...] = ()
    stated_on: str = ""


@dataclass(frozen=True)
class Edge:
    """One distinct relation `source -predicate-> target` and the evidence behind it."""

    source: str
    target: str
    predicate: str  # the ng: local name
    evidence: int
    confidence: float
    sentence: str
    documents: tuple[str, ...]


@dataclass(frozen=True)
class PropertyGraph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def _rows(store: StoreHandle, sparql: str) -> list[dict[str, str]]:
    try:
        solutions = store.ox.query(_PREFIX + sparql, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        return [{n: s[n].value if s[n] is not None else "" for n in names} for s in solutions]  # type: ignore
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot read the graph of {store.path}: {one_line(str(exc))}") from None


def property_graph(store: StoreHandle) -> PropertyGraph:
    """Entities, statements and the relations between them (see the module docstring)."""
    classes: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, f"SELECT DISTINCT ?e ?c WHERE {{ VALUES ?c {{ {_CLASSES} }} ?e a ?c }}"):
        classes[row["e"]].add(row["c"][len(NG_URI):])
    labels: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, "SELECT DISTINCT ?e ?l WHERE { ?e rdfs:label ?l }"):
        labels[row["e"]].add(row["l"])
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, "SELECT DISTINCT ?e ?a WHERE { ?e skos:altLabel ?a }"):
        aliases[row["e"]].add(row["a"])
    dates: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _rows(store, f"SELECT DISTINCT ?e ?p ?d WHERE {{ VALUES ?p {{ {_DATES} }} ?e ?p ?d }}"):
        dates[row["e"], row["p"][len(NG_URI):]].add(row["d"])
    nodes = {
        iri: Node(iri, ("Entity", *sorted(cls)), min(labels.get(iri, {iri})), tuple(sorted(aliases[iri] - labels[iri])),
                  tuple(sorted(dates[iri, "onStrikeSince"])), tuple(sorted(dates[iri, "strikeEndedOn"])))
        for iri, cls in classes.items()
    }
    statements = "SELECT DISTINCT ?s ?t ?d WHERE { ?s a ng:Statement ; ng:quoteText ?t OPTIONAL { ?s ng:statedOn ?d } }"
    for row in _rows(store, statements):
        if row["s"] not in nodes:  # one quotation has one text; a second date (never built) would not add a node
            nodes[row["s"]] = Node(row["s"], ("Statement",), row["t"], stated_on=row["d"])
    return PropertyGraph(tuple(nodes[iri] for iri in sorted(nodes)), _edges(store, nodes.keys()))


def _edges(store: StoreHandle, nodes: object) -> tuple[Edge, ...]:
    evidence = _rows(store, (
        "SELECT DISTINCT ?ev ?s ?p ?o ?sentence ?c ?doc ?start WHERE { "
        f"VALUES ?p {{ {_RELATIONS} }} ?ev a ng:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; "
        "ng:sentence ?sentence ; ng:confidence ?c ; ng:source ?doc ; ng:startChar ?start }"
    ))
    grouped: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for row in evidence:
        if row["s"] in nodes and row["o"] in nodes:  # type: ignore[operator]
            grouped[row["s"], row["p"][len(NG_URI):], row["o"]].append(row)
    edges = []
    for (source, predicate, target), rows in sorted(grouped.items()):
        first = min(rows, key=lambda r: (r["doc"], int(r["start"]), r["sentence"]))
        edges.append(Edge(source, target, predicate, len({r["ev"] for r in rows}),
                          max(float(r["c"]) for r in rows), first["sentence"], tuple(sorted({r["doc"] for r in rows}))))
    return tuple(edges)


def to_networkx(graph: PropertyGraph) -> nx.MultiDiGraph:
    """A networkx MultiDiGraph: nodes keyed by IRI, edges keyed by predicate, attributes that GraphML can hold."""
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in graph.nodes:
        attributes: dict[str, object] = {"label": node.name, "kind": node.labels[0].lower(),
                                         "classes": ";".join(node.labels[1:])}
        for key, values in (("aliases", node.aliases), ("onStrikeSince", node.strike_since),
                            ("strikeEndedOn", node.strike_ended)):
            if values:
                attributes[key] = ";".join(values)
        if node.stated_on:
            attributes["statedOn"] = node.stated_on
        out.add_node(node.id, **attributes)
    for edge in graph.edges:
        out.add_edge(edge.source, edge.target, key=edge.predicate, predicate=edge.predicate, evidence=edge.evidence,
                     confidence=edge.confidence, sentence=edge.sentence, documents=";".join(edge.documents))
    return out


def graphml_bytes(graph: PropertyGraph) -> bytes:
    """GraphML of `to_networkx(graph)` (UTF-8, ending in a newline)."""
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buffer, encoding="utf-8", prettyprint=True)
    data = buffer.getvalue()
    return data if data.endswith(b"\n") else data + b"\n"


def relationship_type(predicate: str) -> str:
    """Neo4j's naming of a relationship type: negotiatesWith -> NEGOTIATES_WITH."""
    return _CAMEL.sub("_", predicate).upper()


def _field(text: str) -> str:
    # The importer reads one record per line unless told otherwise: line breaks become spaces.
    return " ".join(text.split())


def _array(values: tuple[str, ...]) -> str:
    return ARRAY_DELIMITER.join(_field(v).replace(ARRAY_DELIMITER, ",") for v in values)


def neo4j_csv(graph: PropertyGraph) -> dict[str, str]:
    """{file name: CSV text} of the node and relationship files `neo4j-admin database import full` reads."""
    nodes, relationships = io.StringIO(), io.StringIO()
    node_writer = csv.writer(nodes, lineterminator="\n")
    node_writer.writerow(NODE_HEADER)
    for n in graph.nodes:
        node_writer.writerow((n.id, _array(n.labels), _field(n.name), _array(n.aliases), _array(n.strike_since),
                              _array(n.strike_ended), n.stated_on))
    relationship_writer = csv.writer(relationships, lineterminator="\n")
    relationship_writer.writerow(RELATIONSHIP_HEADER)
    for e in graph.edges:
        relationship_writer.writerow((e.source, e.target, relationship_type(e.predicate), e.evidence,
                                      repr(e.confidence), _field(e.sentence), _array(e.documents)))
    return {NODE_FILE: nodes.getvalue(), RELATIONSHIP_FILE: relationships.getvalue()}


def write_neo4j_csv(graph: PropertyGraph, folder: Path) -> list[Path]:
    """Write the node and relationship files into `folder` (created when missing); returns their paths."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in neo4j_csv(graph).items():
            written.append(write_atomic(folder / name, text.encode("utf-8")))
    except OSError as exc:
        raise ExportError(f"cannot write {folder}: {exc.strerror or exc}") from None
    return written
