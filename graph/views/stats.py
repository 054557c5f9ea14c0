"""Numbers about a store: triples, documents, statements, entities per class, relations per predicate,
and the most connected entities (degree in the entity-to-entity relation graph, via networkx).

Counts run as SPARQL over the union of the article graphs with DISTINCT, so a fact reported by several
articles counts once.
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from graph.model import DATE_PREDICATES, ENTITY_CLASSES, ENTITY_PREDICATES
from graph.rdf.vocab import NG_URI
from graph.store.embedded import StoreHandle

TOP_N = 10
RELATION_PREDICATES = (*ENTITY_PREDICATES, "issuesStatement", *DATE_PREDICATES)
_PREFIX = f"PREFIX ng: <{NG_URI}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


@dataclass(frozen=True)
class Stats:
    triples: int
    documents: int
    statements: int
    entities: dict[str, int]  # class name -> distinct entities, every class of ENTITY_CLASSES
    relations: dict[str, int]  # predicate name -> distinct triples, every predicate of RELATION_PREDICATES
    top_entities: tuple[tuple[str, str, int], ...]  # (label, class, degree), highest degree first

    @property
    def entity_total(self) -> int:
        return sum(self.entities.values())

    @property
    def relation_total(self) -> int:
        return sum(self.relations.values())


def compute_stats(store: StoreHandle) -> Stats:
    """Count what the store holds."""
    triples = _count(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    documents = _count(store, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a ng:Document }")
    statements = _count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ng:Statement }")
    entities = {
        cls: _count(store, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a ng:{cls} }}")
        for cls in ENTITY_CLASSES
    }
    relations = {
        name: _count(
            store, f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ ?s ng:{name} ?o }} }}"
        )
        for name in RELATION_PREDICATES
    }
    return Stats(triples, documents, statements, entities, relations, _top_entities(store))


def _count(store: StoreHandle, sparql: str) -> int:
    solutions = store.ox.query(_PREFIX + sparql, use_default_graph_as_union=True)
    for solution in solutions:  # type: ignore[union-attr]
        term = solution["n"]
        return int(term.value) if isinstance(term, ox.Literal) else 0
    return 0


def _top_entities(store: StoreHandle) -> tuple[tuple[str, str, int], ...]:
    """Entities by degree: each distinct relation triple touching an entity counts once."""
    values = " ".join(f"ng:{name}" for name in ENTITY_PREDICATES)
    edges = store.ox.query(
        _PREFIX + f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}",
        use_default_graph_as_union=True,
    )
    relation_graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for row in edges:  # type: ignore[union-attr]
        relation_graph.add_edge(row["s"].value, row["o"].value, key=row["p"].value)
    if relation_graph.number_of_nodes() == 0:
        return ()
    described = _labels_and_classes(store)
    ranked = sorted(
        (
            (described.get(node, (node, ""))[0], described.get(node, (node, ""))[1], int(degree))
            for node, degree in relation_graph.degree()
        ),
        key=lambda item: (-item[2], item[0], item[1]),
    )
    return tuple(ranked[:TOP_N])


def _labels_and_classes(store: StoreHandle) -> dict[str, tuple[str, str]]:
    classes = " ".join(f"ng:{cls}" for cls in ENTITY_CLASSES)
    rows = store.ox.query(
        _PREFIX
        + "SELECT ?e (MIN(STR(?l)) AS ?label) (MIN(STRAFTER(STR(?c), '#')) AS ?cls)"
        # DISTINCT sub-selects: an entity's type and label repeat in every article graph that names it, and a
        # plain join over the union would multiply those copies.
        + f" WHERE {{ {{ SELECT DISTINCT ?e ?c WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c }} }}"
        + " OPTIONAL { SELECT DISTINCT ?e ?l WHERE { ?e rdfs:label ?l } } } GROUP BY ?e",
        use_default_graph_as_union=True,
    )
    found: dict[str, tuple[str, str]] = {}
    for row in rows:  # type: ignore[union-attr]
        iri = row["e"].value
        label = row["label"]
        found[iri] = (label.value if label is not None else iri, row["cls"].value)
    return found


def format_stats(stats: Stats) -> str:
    """A plain-text report, one number per line, aligned."""
    lines: list[tuple[str, str]] = [
        ("triples", str(stats.triples)),
        ("documents", str(stats.documents)),
        ("statements", str(stats.statements)),
        ("entities", str(stats.entity_total)),
        *((f"  {cls}", str(n)) for cls, n in stats.entities.items() if n),
        ("relations", str(stats.relation_total)),
        *((f"  {name}", str(n)) for name, n in stats.relations.items() if n),
    ]
    width = max(len(name) for name, _ in lines)
    text = [f"{name.ljust(width)}  {value}" for name, value in lines]
    if stats.top_entities:
        text.append(f"top {len(stats.top_entities)} entities by degree")
        names = [(f"{label} ({cls})", degree) for label, cls, degree in stats.top_entities]
        name_width = max(len(name) for name, _ in names)
        text.extend(f"  {name.ljust(name_width)}  {degree}" for name, degree in names)
    return "\n".join(text) + "\n"
