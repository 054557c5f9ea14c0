"""SHACL validation of built graphs against ontologies/shapes.ttl.

pyshacl gets the ontology as ont_graph with RDFS inference, so the class hierarchy is known (a ng:LaborUnion
is a ng:Organization for sh:class). The ontology's rdfs:domain and rdfs:range triples are left out of that
ont_graph on purpose: RDFS inference would otherwise type the subject of ng:leads as a ng:Person because it
is the subject of ng:leads, and the shapes checking exactly that could never fail.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDFS

from graph.errors import ValidationError
from graph.paths import shapes_file
from graph.rdf.build import load_turtle, ontology_graph


def shapes_graph(path: Path | None = None) -> Graph:
    """The SHACL shapes (graph.paths.shapes_file() unless `path` is given). Raises InputError."""
    return load_turtle(shapes_file() if path is None else Path(path), "SHACL shapes")


def hierarchy_graph(ontology: Graph | None = None) -> Graph:
    """The ontology without rdfs:domain and rdfs:range: what validation may infer from."""
    source = ontology_graph() if ontology is None else ontology
    kept = Graph()
    for triple in source:
        if triple[1] not in (RDFS.domain, RDFS.range):
            kept.add(triple)
    return kept


def validate_graph(
    g: Graph, shapes: Graph | None = None, ontology: Graph | None = None
) -> tuple[bool, str]:
    """Validate `g`; return (conforms, pyshacl's text report). Raises ValidationError if pyshacl fails."""
    # pyshacl is slow to import (it pulls in owlrl); only validation needs it.
    from pyshacl import validate

    shacl = shapes_graph() if shapes is None else shapes
    ont = hierarchy_graph(ontology)
    try:
        conforms, _results, text = validate(
            g,
            shacl_graph=shacl,
            ont_graph=ont,
            inference="rdfs",
            abort_on_first=False,
            allow_warnings=False,
            advanced=False,
        )
    except Exception as exc:  # pyshacl reports its own failures with many exception types
        lines = str(exc).strip().splitlines()
        detail = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
        raise ValidationError(f"SHACL validation could not run: {detail}") from exc
    return bool(conforms), str(text)
