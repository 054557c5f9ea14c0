"""The Python API: what the command line does, as functions for notebooks and scripts.

    from graph import api as ng

    ng.build(["seeds/"], store="news.store")
    rows = ng.query("negotiations", store="news.store")          # a list of dicts
    frame = ng.query("strikes", store="news.store", dataframe=True)  # a pandas DataFrame
    turtle = ng.export(store="news.store", format="turtle")      # bytes
    g = ng.to_networkx(store="news.store")                       # a networkx MultiDiGraph
    ng.render(store="news.store", output="graph.html")

Every `store` is a folder or a SPARQL server's URL (None: NEWSGRAPH_STORE, else newsgraph.store). Errors are
graph.errors.NewsgraphError with the one-line message the command line prints. docs/api.md has more examples;
a test runs them.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import rdflib

from graph.atomic import atomic_path, write_atomic
from graph.errors import NewsgraphError, QueryError, one_line
from graph.store.embedded import StoreHandle, check_query, format_name, open_store
from graph.store.embedded import export as _export_rdf
from graph.store.embedded import query as _query_text
from graph.store.queries import query_form, resolve_query, syntax_error_message, with_prefixes
from graph.views.network import ExportError, graphml_bytes, property_graph, write_neo4j_csv
from graph.views.network import to_networkx as _networkx

Store = str | Path | None
PROPERTY_GRAPH_FORMATS = ("graphml", "csv")


def _open(store: Store) -> StoreHandle:
    return open_store(store, read_only=True)


def _warn(message: str) -> None:
    warnings.warn(f"newsgraph: {message}", UserWarning, stacklevel=4)


def build(sources: Sequence[str | Path], store: Store = None, *, on_problem: Callable[[str], None] | None = None,
          **options: Any) -> Any:
    """Build (or update) `store` from files, folders or "-" and return the BuildSummary.

    `options` are those of graph.pipeline.build (model, default_date, min_confidence, batch_size, strict, jobs,
    force, explicit_id, include, exclude, prune, ...). Input problems go to `on_problem`, else are warnings.
    """
    from graph.pipeline.build import build as run_build  # imports spaCy

    return run_build([str(s) for s in sources], store, on_problem=on_problem or _warn, **options)


def _python(term: object) -> object:
    """A result term as a Python value: IRIs as str, literals as int, Decimal, date, str, ... (rdflib's mapping)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        if term.language:
            return term.value
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value)).toPython()
    return str(term)


def query(q: str, store: Store = None, *, dataframe: bool = False, allow_service: bool = False) -> Any:
    """Run `q` (a bundled query name, a .rq file or SPARQL text) over the store.

    SELECT: a list of dicts, one per row, variable -> Python value (None when unbound), or a pandas DataFrame
    with `dataframe=True`. ASK: a bool. CONSTRUCT and DESCRIBE: an rdflib Graph. Common prefixes are bound.
    """
    sparql = resolve_query(q)
    form = query_form(sparql)
    handle = _open(store)
    if form in ("CONSTRUCT", "DESCRIBE"):
        return rdflib.Graph().parse(data=_query_text(handle, sparql, "nt", allow_service), format="nt")
    check_query(sparql, "table", allow_service)
    text, prologue = with_prefixes(sparql)
    try:
        results = handle.ox.query(text, use_default_graph_as_union=True)
        if isinstance(results, ox.QueryBoolean):
            return bool(results)
        names = [v.value for v in results.variables]  # type: ignore[union-attr]
        rows = [{name: _python(solution[name]) for name in names} for solution in results]  # type: ignore
    except SyntaxError as exc:
        raise QueryError(syntax_error_message(str(exc), sparql, prologue)) from None
    except OSError as exc:
        raise QueryError(f"query failed: {one_line(str(exc))}") from None
    if not dataframe:
        return rows
    try:
        import pandas
    except ImportError:
        raise NewsgraphError("dataframe=True needs pandas: pip install 'newsgraph[pandas]'") from None
    return pandas.DataFrame(rows, columns=names)


def export(store: Store = None, format: str = "turtle", *, with_ontology: bool = False) -> bytes:
    """The whole store in `format`: turtle, nt, nq, trig, jsonld, xml (RDF/XML) or graphml. The same store
    gives the same bytes. For Neo4j's CSV files use export_to."""
    fmt = format_name(format)
    if fmt == "csv":
        raise ExportError("the csv export is two files (nodes.csv, relationships.csv): give a folder with -o")
    if fmt in PROPERTY_GRAPH_FORMATS and with_ontology:
        raise ExportError(f"--with-ontology applies to RDF formats, not {fmt}")
    handle = _open(store)
    if fmt == "graphml":
        return graphml_bytes(property_graph(handle))
    return _export_rdf(handle, fmt, include_ontology=with_ontology)


def export_to(output: str | Path, store: Store = None, format: str = "turtle", *,
              with_ontology: bool = False) -> list[Path]:
    """Write the export to `output` (a file; for csv a folder that gets nodes.csv and relationships.csv)."""
    fmt = format_name(format)
    target = Path(output)
    if fmt == "csv":
        if with_ontology:
            raise ExportError("--with-ontology applies to RDF formats, not csv")
        return write_neo4j_csv(property_graph(_open(store)), target)
    data = export(store, fmt, with_ontology=with_ontology)
    try:
        write_atomic(target, data)  # whole or not at all: a full disk leaves no partial file
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    return [target]


def to_networkx(store: Store = None) -> nx.MultiDiGraph:
    """Entities and statements as nodes (keyed by IRI), relations as edges keyed by predicate (graph.views.network)."""
    return _networkx(property_graph(_open(store)))


def render(store: Store = None, output: str | Path = "graph.html", *, title: str | None = None,
           focus: str | None = None, hops: int = 1, max_nodes: int | None = None,
           construct: str | None = None) -> Path:
    """Write the self-contained HTML explorer of the store (or of a CONSTRUCT query's result); returns its path."""
    from graph.store.embedded import store_graph
    from graph.views.render import DEFAULT_TITLE, construct_graph, render_html

    handle = _open(store)
    shown = construct_graph(_query_text(handle, resolve_query(construct), "table")) if construct else None
    try:
        with atomic_path(Path(output)) as temporary:  # whole or not at all
            render_html(store_graph(handle), temporary, title or DEFAULT_TITLE, focus=focus, hops=hops,
                        max_nodes=max_nodes, shown=shown)
        return Path(output)
    except OSError as exc:
        raise ExportError(f"cannot write {output}: {exc.strerror or exc}") from None


def remove(ids: Sequence[str], store: Store = None) -> list[str]:
    """Remove articles by identity (or document IRI), all or none; returns what was removed."""
    from graph.store.articles import remove_from_store

    return [article.id or article.doc for article in remove_from_store(store, list(ids))]


def validate(store: Store = None) -> tuple[bool, str]:
    """SHACL validation: (conforms, report text). A damaged store folder is a StoreError first
    (graph.store.integrity)."""
    from graph.rdf.shapes import validate_graph
    from graph.store.embedded import default_store_path, store_graph
    from graph.store.integrity import ensure_sound
    from graph.store.remote import is_remote

    location = store if store is not None else default_store_path()
    if not is_remote(location) and (Path(location) / "CURRENT").is_file():
        ensure_sound(location)
    return validate_graph(store_graph(_open(store)))
