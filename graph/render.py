"""Render the graph as one self-contained HTML explorer (vis-network) that works from file:// with no network.

The page is our own template (graph/resources/render.*) with vis-network's minified code inlined from the
pyvis package, so no CDN, Bootstrap or lib/ folder is involved. The graph travels as JSON inside a
`<script type="application/json">` element with `<`, `>`, `&` and `/` escaped, and the page's script builds
every label, tooltip and panel with textContent: text from an article is never parsed as HTML.
No `scheme://` survives in the page: the JSON writes `/` as `\\/`, the inlined scripts get the same escape
inside their strings, and HTML text writes `:` as `&#58;`.

Small graphs are laid out by vis-network's physics, which is switched off once stable; above
`layout_threshold` nodes the layout is computed here with networkx and shipped as fixed positions, because
browser physics on thousands of nodes takes minutes.
"""
from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import networkx as nx
import numpy as np
import rdflib
from rdflib import RDF, RDFS, SKOS, Literal, URIRef

from graph.errors import NewsgraphError, QueryError
from graph.model import DATE_PREDICATES, ENTITY_CLASSES, ENTITY_PREDICATES, SYMMETRIC_PREDICATES
from graph.paths import RESOURCES
from graph.vocab import NG

DEFAULT_TITLE = "newsgraph: labor dispute knowledge graph"
LAYOUT_THRESHOLD = 300  # above this many nodes, positions are computed in Python and physics is off
STATEMENT = "Statement"  # the pseudo-class of quote nodes
SAID = "issuesStatement"
MAX_LABEL_CHARS = 60
SEED = 7


@dataclass(frozen=True)
class ClassStyle:
    """How one class is drawn: colour and shape (vis-network shape names), dashed border or not."""

    colour: str
    shape: str
    dashed: bool = False


# Colours are Tableau 10; shapes keep the label outside the node, so size still shows importance.
CLASS_STYLES: dict[str, ClassStyle] = {
    "LaborUnion": ClassStyle("#e15759", "dot"),
    "EmployerAssociation": ClassStyle("#f28e2b", "diamond"),
    "Company": ClassStyle("#4e79a7", "square"),
    "Person": ClassStyle("#59a14f", "triangle"),
    "GovernmentOrganization": ClassStyle("#76b7b2", "hexagon"),
    "Place": ClassStyle("#b07aa1", "triangleDown"),
    "MediaOutlet": ClassStyle("#edc948", "star"),
    "Group": ClassStyle("#ff9da7", "dot", dashed=True),
    "Committee": ClassStyle("#9c755f", "square", dashed=True),
    STATEMENT: ClassStyle("#fff4c2", "box"),
}
OTHER_STYLE = ClassStyle("#bab0ac", "dot")
CLASS_COLOURS = {cls: style.colour for cls, style in CLASS_STYLES.items()}
_VIS_JS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")


def render_html(
    graph: rdflib.Graph,
    out: Path,
    title: str = DEFAULT_TITLE,
    *,
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int | None = None,
    shown: rdflib.Graph | None = None,
    layout_threshold: int = LAYOUT_THRESHOLD,
) -> Path:
    """Write `graph` as an interactive page to `out` (UTF-8) and return the path.

    `focus` keeps the entities named so (any rdfs:label or skos:altLabel, case-blind) and their neighbours
    up to `hops` away; `max_nodes` keeps the most connected nodes (nearest to the focus first); `shown` (the
    result of a CONSTRUCT query) draws only its entities and triples, with names and facts from `graph`.
    """
    data = graph_data(graph, title, focus=focus, hops=hops, max_nodes=max_nodes, shown=shown,
                      layout_threshold=layout_threshold)
    page = _page(data, title)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def construct_graph(result_turtle: str) -> rdflib.Graph:
    """The graph of a CONSTRUCT query's result as graph.store.query returns it (Turtle)."""
    try:
        return rdflib.Graph().parse(data=result_turtle, format="turtle")
    except Exception as exc:  # rdflib raises many parser types; any means it was not a CONSTRUCT result
        raise QueryError(f"render --query needs a CONSTRUCT or DESCRIBE query: {exc}") from None


def graph_data(
    graph: rdflib.Graph,
    title: str = DEFAULT_TITLE,
    *,
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int | None = None,
    shown: rdflib.Graph | None = None,
    layout_threshold: int = LAYOUT_THRESHOLD,
) -> dict:
    """Everything the page shows, as plain JSON-ready data (nodes, edges, facts with evidence, legend)."""
    context = graph if shown is None else graph + shown
    entities = _entities(context)
    evidence = _evidence(context)
    nodes, edges = _drawn(context, shown if shown is not None else graph, entities, shown is not None)
    net = nx.Graph()
    net.add_nodes_from(nodes)
    net.add_edges_from((s, o) for s, _, o in edges)
    degree: dict[URIRef, int] = defaultdict(int)  # links in the whole drawn graph, parallel ones included
    for s, _, o in edges:
        degree[s] += 1
        degree[o] += 1
    total = len(nodes)
    order = _keep_order(net, entities, degree, focus, hops)
    keep = set(order if max_nodes is None else order[: max(max_nodes, 0)])
    net = net.subgraph(keep).copy()
    edges = [e for e in edges if e[0] in keep and e[2] in keep]
    positions = _layout(net) if len(keep) > layout_threshold else {}
    parallel: dict[frozenset, int] = defaultdict(int)
    edge_rows = []
    for index, (s, rel, o) in enumerate(edges):
        pair = frozenset((s, o))
        edge_rows.append({"id": f"e{index}", "from": str(s), "to": str(o), "rel": rel,
                          "symmetric": rel in SYMMETRIC_PREDICATES, "parallel": parallel[pair]})
        parallel[pair] += 1  # the page bends the second and later links of a pair so none hides another
    node_rows = [
        _node_row(context, iri, entities, evidence, degree[iri], positions.get(iri))
        for iri in sorted(keep, key=str)
    ]
    present = {row["cls"] for row in node_rows}
    return {
        "title": title,
        "fixed": bool(positions),
        "shown": len(node_rows),
        "total": total,
        "classes": [
            {"name": cls, **_style_dict(CLASS_STYLES[cls])} for cls in CLASS_STYLES if cls in present
        ] + [{"name": cls, **_style_dict(OTHER_STYLE)} for cls in sorted(present - set(CLASS_STYLES))],
        "relations": sorted({row["rel"] for row in edge_rows}),
        "nodes": node_rows,
        "edges": edge_rows,
    }


# --- what is drawn ---------------------------------------------------------------------------------------

Triple = tuple[URIRef, str, URIRef]


def _entities(graph: rdflib.Graph) -> dict[URIRef, tuple[str, list[str], str]]:
    """Entity or statement IRI -> (label, every name, class name)."""
    found: dict[URIRef, tuple[str, list[str], str]] = {}
    for cls in ENTITY_CLASSES:
        for iri in graph.subjects(RDF.type, NG[cls]):
            if isinstance(iri, URIRef) and iri not in found:
                labels = sorted({str(x) for x in graph.objects(iri, RDFS.label)})
                aliases = sorted({str(x) for x in graph.objects(iri, SKOS.altLabel)} - set(labels))
                label = labels[0] if labels else _local(iri)
                found[iri] = (label, [label, *labels[1:], *aliases], cls)
    for iri in graph.subjects(RDF.type, NG.Statement):
        if isinstance(iri, URIRef):
            quote = " ".join(sorted(str(q) for q in graph.objects(iri, NG.quoteText)))
            found[iri] = (_short(f"\u201c{quote}\u201d"), [quote], STATEMENT)
    return found


def _drawn(
    context: rdflib.Graph, view: rdflib.Graph, entities: dict, any_predicate: bool
) -> tuple[set[URIRef], list[Triple]]:
    """Nodes and edges to draw. A symmetric relation stated both ways is drawn once."""
    edges: set[Triple] = set()
    nodes: set[URIRef] = set()
    if any_predicate:  # a CONSTRUCT result: its entities, and its triples between them
        for s, p, o in view:
            for term in (s, o):
                if term in entities:
                    nodes.add(term)  # type: ignore[arg-type]
            if s in entities and o in entities and isinstance(p, URIRef) and p != RDF.type:
                edges.add(_edge(s, _local(p), o))  # type: ignore[arg-type]
    else:
        nodes = set(entities)
        for name in (*ENTITY_PREDICATES, SAID):
            for s, o in view.subject_objects(NG[name]):
                if s in entities and o in entities:
                    edges.add(_edge(s, name, o))  # type: ignore[arg-type]
        # a quote whose speaker is not an entity has nothing to hang on
        spoken = {o for _, rel, o in edges if rel == SAID}
        nodes = {n for n in nodes if entities[n][2] != STATEMENT or n in spoken}
    return nodes, sorted(edges, key=lambda e: (str(e[0]), e[1], str(e[2])))


def _edge(s: URIRef, rel: str, o: URIRef) -> Triple:
    if rel in SYMMETRIC_PREDICATES and str(o) < str(s):
        return (o, rel, s)
    return (s, rel, o)


def _keep_order(
    net: nx.Graph, entities: dict, degree: dict[URIRef, int], focus: str | None, hops: int
) -> list[URIRef]:
    """Nodes in the order they are kept under max_nodes: nearest the focus, then most connected, then IRI."""
    distance: dict[URIRef, int] = {}
    if focus is not None:
        wanted = _name_key(focus)
        seeds = [n for n in net if any(_name_key(name) == wanted for name in entities[n][1])
                 and entities[n][2] != STATEMENT]
        if not seeds:
            raise NewsgraphError(f"no entity named {focus!r} in the graph")
        for seed in seeds:
            for node, hop in nx.single_source_shortest_path_length(net, seed, cutoff=max(hops, 0)).items():
                distance[node] = min(hop, distance.get(node, hop))
    candidates = distance if focus is not None else net.nodes
    return sorted(candidates, key=lambda n: (distance.get(n, 0), -degree[n], str(n)))


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


# --- facts and evidence ----------------------------------------------------------------------------------


def _documents(graph: rdflib.Graph) -> dict[URIRef, dict[str, str]]:
    found = {}
    for doc in graph.subjects(RDF.type, NG.Document):
        title = graph.value(doc, NG.title) or graph.value(doc, NG.sourcePath) or _local(doc)  # type: ignore[arg-type]
        found[doc] = {"article": str(title), "date": str(graph.value(doc, NG.publishedOn) or ""),
                      "url": str(graph.value(doc, NG.url) or "")}
    return found  # type: ignore[return-value]


def _evidence(graph: rdflib.Graph) -> dict[tuple, list[dict[str, str]]]:
    """(subject, predicate, object) -> evidence records: sentence, article title, date, url."""
    docs = _documents(graph)
    found: dict[tuple, list[dict[str, str]]] = defaultdict(list)
    for node in graph.subjects(RDF.type, NG.Evidence):
        key = tuple(graph.value(node, part) for part in (RDF.subject, RDF.predicate, RDF.object))
        doc = docs.get(graph.value(node, NG.source), {"article": "", "date": "", "url": ""})  # type: ignore[call-overload]
        for sentence in graph.objects(node, NG.sentence):
            found[key].append({"sentence": str(sentence), **doc})
    return found  # sorted per fact in _facts, which merges the records of both directions


def _facts(graph: rdflib.Graph, iri: URIRef, entities: dict, evidence: dict) -> list[dict]:
    """Every fact about an entity (or the speaker of a statement), each with its evidence."""
    facts: dict[tuple[str, str, str], dict] = {}

    def add(rel: str, direction: str, other: rdflib.term.Node, key: tuple) -> None:
        value = entities[other][0] if other in entities else str(other)
        if rel == SAID and other in entities:
            value = entities[other][1][0]
        fact = facts.setdefault((rel, str(other), direction), {
            "rel": rel, "dir": direction, "other": str(other) if other in entities else None, "value": value,
            "evidence": [],
        })
        for record in evidence.get(key, []):
            if record not in fact["evidence"]:
                fact["evidence"].append(record)

    if entities[iri][2] == STATEMENT:
        for speaker in graph.objects(iri, NG.speaker):
            add("speaker", "in", speaker, (speaker, NG[SAID], iri))
    for name in (*ENTITY_PREDICATES, SAID, *DATE_PREDICATES):
        predicate = NG[name]
        for other in graph.objects(iri, predicate):
            if isinstance(other, Literal) or other in entities:
                symmetric = name in SYMMETRIC_PREDICATES
                add(name, "both" if symmetric else "out", other, (iri, predicate, other))
                if symmetric:
                    add(name, "both", other, (other, predicate, iri))
        if name in ENTITY_PREDICATES:
            for other in graph.subjects(predicate, iri):
                if other in entities:
                    symmetric = name in SYMMETRIC_PREDICATES
                    add(name, "both" if symmetric else "in", other, (other, predicate, iri))
    for fact in facts.values():
        fact["evidence"].sort(key=lambda v: (v["date"], v["article"], v["sentence"]))
    return sorted(facts.values(), key=lambda f: (f["rel"], f["dir"], f["value"], f["other"] or ""))


def _node_row(graph: rdflib.Graph, iri: URIRef, entities: dict, evidence: dict, degree: int,
              position: tuple[float, float] | None) -> dict:
    label, names, cls = entities[iri]
    row = {
        "id": str(iri), "label": label, "names": names, "cls": cls, "degree": degree,
        # area grows with the number of links, so a hub stands out without swamping its neighbours
        "size": 14 if cls == STATEMENT else round(10 + 5 * math.sqrt(degree), 1),
        "facts": _facts(graph, iri, entities, evidence),
    }
    if position is not None:
        row["x"], row["y"] = position
    return row


def _style_dict(style: ClassStyle) -> dict:
    return {"colour": style.colour, "shape": style.shape, "dashed": style.dashed}


def _local(iri: rdflib.term.Node) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "\u2026"


# --- layout ----------------------------------------------------------------------------------------------


def _layout(net: nx.Graph) -> dict[URIRef, tuple[float, float]]:
    """Fixed positions in pixels: each connected component laid out alone, then packed in rows, biggest first."""
    components = sorted((sorted(c, key=str) for c in nx.connected_components(net)), key=lambda c: (-len(c), str(c[0])))
    positions: dict[URIRef, tuple[float, float]] = {}
    row_width = 120 * math.sqrt(net.number_of_nodes()) * 4
    x = y = row_height = 0.0
    for nodes in components:
        radius = 60 * math.sqrt(len(nodes))  # room grows with the component's area
        local = _component_layout(net.subgraph(nodes), nodes)
        if x > 0 and x + 2 * radius > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node in nodes:
            px, py = local[node]
            positions[node] = (round(x + radius + px * radius, 1), round(y + radius + py * radius, 1))
        x += 2 * radius + 40
        row_height = max(row_height, 2 * radius + 40)
    return positions


def _component_layout(sub: nx.Graph, nodes: list) -> dict:
    """Positions in [-1, 1]. Below 500 nodes networkx's (dense) spring layout; above, two levels: Louvain
    communities each laid out alone, placed by a spring layout of the graph of communities (no scipy needed)."""
    if len(nodes) == 1:
        return {nodes[0]: np.zeros(2)}
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_weighted_edges_from(
        sorted(((a, b, d.get("weight", 1)) for a, b, d in sub.edges(data=True)), key=lambda e: (str(e[0]), str(e[1])))
    )
    if len(nodes) < 500:
        return nx.spring_layout(ordered, seed=SEED, method="force", iterations=50)
    groups = [sorted(c, key=str) for c in nx.community.louvain_communities(ordered, seed=SEED)]
    if len(groups) == 1:  # one dense lump: no structure worth the cost of a force layout
        return nx.circular_layout(ordered)
    groups.sort(key=lambda g: (-len(g), str(g[0])))
    member = {node: index for index, group in enumerate(groups) for node in group}
    quotient = nx.Graph()
    quotient.add_nodes_from(range(len(groups)))
    for a, b in ordered.edges():
        if member[a] != member[b]:
            pair = (member[a], member[b])
            weight = quotient.get_edge_data(*pair, default={"weight": 0})["weight"]
            quotient.add_edge(*pair, weight=weight + 1)
    centres = _component_layout(quotient, list(range(len(groups))))
    radius = np.array([math.sqrt(len(g)) for g in groups])
    centre = np.array([centres[i] for i in range(len(groups))])
    # spread the centres until most neighbouring communities no longer overlap
    gaps = np.sqrt(((centre[:, None, :] - centre[None, :, :]) ** 2).sum(axis=2)) + np.eye(len(groups))
    spread = float(np.quantile((radius[:, None] + radius[None, :]) / np.maximum(gaps, 1e-3), 0.95))
    positions = {}
    for index, group in enumerate(groups):
        local = _component_layout(ordered.subgraph(group), group)
        for node in group:
            positions[node] = centre[index] * spread + np.asarray(local[node]) * radius[index] * 1.2
    scale = max(float(np.abs(np.array(list(positions.values()))).max()), 1e-9)
    return {node: pos / scale for node, pos in positions.items()}


# --- the page --------------------------------------------------------------------------------------------


def _page(data: dict, title: str) -> str:
    vis = files("pyvis").joinpath(*_VIS_JS).read_text(encoding="utf-8")
    template = (RESOURCES / "render.html").read_text(encoding="utf-8")
    parts = {
        "TITLE": _html_text(title),
        "STYLE": (RESOURCES / "render.css").read_text(encoding="utf-8"),
        # the URLs left in vis-network are inside strings and comments, where `\/` reads as `/`
        "VIS": vis.replace("://", ":\\/\\/"),
        "DATA": _json_for_script(data),
        "APP": (RESOURCES / "render.js").read_text(encoding="utf-8"),
    }
    page = re.sub(r"@@(\w+)@@", lambda m: parts[m.group(1)], template)
    if "http://" in page or "https://" in page:  # a guard on the module's promise, not user input handling
        raise NewsgraphError("cannot render: a remote URL would be left in the page")
    return page


def _html_text(text: str) -> str:
    return html.escape(text).replace(":", "&#58;")


def _json_for_script(data: dict) -> str:
    """JSON that cannot end its <script> element or form a URL: <, >, & as \\u escapes, / as \\/."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("/", "\\/")):
        text = text.replace(char, escape)
    return text

