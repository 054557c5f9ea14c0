"""What the explorer shows, as plain JSON-ready data: nodes with their rank, facts and evidence, links, the source
articles, the timeline and fixed positions.

Every evidence record is a pair of indices, `[sentence, article]`, into `sentences` and `articles` (sorted by
date; -1 when the source is unknown), so a sentence or a title is written once however many facts cite it,
and the page can filter the graph by date range and by article: a link carries the articles its evidence
comes from (`docs`), a node the articles of its strike dates (`dateDocs`). Nodes are ranked by links, then
PageRank, so the page labels the most important first; statements rank last.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np
import rdflib
from rdflib import RDF, RDFS, SKOS, Literal, URIRef

from graph.errors import NewsgraphError
from graph.model import DATE_PREDICATES, ENTITY_CLASSES, ENTITY_PREDICATES, SYMMETRIC_PREDICATES
from graph.rdf.vocab import NG, NG_URI
from graph.views.render_layout import layout
from graph.views.render_timeline import timeline_data

DEFAULT_TITLE = "newsgraph: labor dispute knowledge graph"
STATEMENT = "Statement"  # the pseudo-class of quote nodes
SAID = "issuesStatement"
MAX_LABEL_CHARS = 60
QUIET_ABOVE = 100  # above this many nodes the page hides nodes without links until asked
STATEMENT_SIZE = 7.0
QUOTE_MARKS = ' "\u201c\u201d\u201e\u00ab\u00bb'  # stripped from both ends of a quotation: the page adds its own



@dataclass(frozen=True)
class ClassStyle:
    """How one class is drawn: colour, shape (the page's shape names), dashed border or not."""

    colour: str
    shape: str
    dashed: bool = False


# Colours are Tableau 10; a statement is a small speech bubble until it is zoomed into or selected.
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
    STATEMENT: ClassStyle("#fff4c2", "bubble"),
}
OTHER_STYLE = ClassStyle("#bab0ac", "dot")
Triple = tuple[URIRef, str, URIRef]
Records = dict[tuple, list[tuple[str, URIRef | None]]]  # (s, predicate local name, o) -> [(sentence, source)]


def graph_data(
    graph: rdflib.Graph,
    title: str = DEFAULT_TITLE,
    *,
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int | None = None,
    shown: rdflib.Graph | None = None,
) -> dict:
    """Everything the page shows, as plain JSON-ready data.

    `focus` keeps the entities named so (any rdfs:label or skos:altLabel, case-blind) and their neighbours
    up to `hops` away; `max_nodes` keeps the most connected nodes (nearest to the focus first); `shown` (the
    result of a CONSTRUCT query) draws only its entities and triples, with names and facts from `graph`.
    """
    context = graph if shown is None else graph + shown
    entities = _entities(context)
    evidence = _evidence(context)
    nodes, edges = _drawn(context, shown if shown is not None else graph, entities, shown is not None)
    net: nx.Graph[str] = nx.Graph()
    net.add_nodes_from(nodes)
    net.add_edges_from((s, o) for s, _, o in edges)
    degree: dict[URIRef, int] = defaultdict(int)  # links in the whole drawn graph, parallel ones included
    for s, _, o in edges:
        degree[s] += 1
        degree[o] += 1
    order = _keep_order(net, entities, degree, focus, hops)
    keep = set(order if max_nodes is None else order[: max(max_nodes, 0)])
    edges = [e for e in edges if e[0] in keep and e[2] in keep]
    articles, doc_index = _articles(context, keep, evidence)
    dates = [row["date"] for row in articles]

    def docs_of(s: rdflib.term.Node, rel: str, o: rdflib.term.Node) -> set[int]:
        keys = [(s, rel, o), (o, rel, s)] if rel in SYMMETRIC_PREDICATES else [(s, rel, o)]
        return {doc_index[doc] for key in keys for _, doc in evidence.get(key, []) if doc in doc_index}

    parallel: dict[frozenset, int] = defaultdict(int)
    edge_rows = []
    for index, (s, rel, o) in enumerate(edges):
        pair = frozenset((s, o))
        edge_rows.append({"id": f"e{index}", "from": str(s), "to": str(o), "rel": rel,
                          "symmetric": rel in SYMMETRIC_PREDICATES, "parallel": parallel[pair],
                          "docs": sorted(docs_of(s, rel, o))})
        parallel[pair] += 1  # the page bends the second and later links of a pair so none hides another
    rank = _rank(keep, edges, entities, degree)
    sizes = {iri: _size(entities[iri][2], degree[iri]) for iri in keep}
    positions = layout(keep, [(s, o) for s, _, o in edges], sizes)
    node_rows = []
    sentences: dict[str, int] = {}
    for iri in sorted(keep, key=str):
        label, names, cls = entities[iri]
        row = {"id": str(iri), "label": label, "names": names, "cls": cls, "degree": degree[iri],
               "rank": rank[iri], "size": sizes[iri], "x": positions[iri][0], "y": positions[iri][1],
               "facts": _facts(context, iri, entities, evidence, articles, doc_index, sentences)}
        dated = set().union(*(docs_of(iri, name, value) for name in DATE_PREDICATES
                              for value in context.objects(iri, NG[name])))
        if dated:
            row["dateDocs"] = sorted(dated)
        node_rows.append(row)
    present = {str(row["cls"]) for row in node_rows}
    labels = {iri: entities[iri][0] for iri in keep}
    return {
        "title": title,
        "shown": len(node_rows),
        "total": len(nodes),
        "quiet": len(node_rows) > QUIET_ABOVE,
        "classes": [
            {"name": cls, **_style_dict(CLASS_STYLES[cls])} for cls in CLASS_STYLES if cls in present
        ] + [{"name": cls, **_style_dict(OTHER_STYLE)} for cls in sorted(present - set(CLASS_STYLES))],
        "relations": sorted({str(row["rel"]) for row in edge_rows}),
        "nodes": node_rows,
        "edges": edge_rows,
        "articles": articles,
        "sentences": list(sentences),
        "timeline": timeline_data(context, keep, labels, edge_rows, docs_of, doc_index, dates),
    }


# --- what is drawn ---------------------------------------------------------------------------------------


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
            quote = " ".join(sorted(bare_quote(str(q)) for q in graph.objects(iri, NG.quoteText)))
            found[iri] = (_short(f"\u201c{quote}\u201d"), [quote], STATEMENT)
    return found


def bare_quote(text: str) -> str:
    """A quotation without the quote marks around it, so the page never shows them twice (\u201c"This...)."""
    return " ".join(text.split()).strip(QUOTE_MARKS)


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


def _rank(keep: set, edges: list[Triple], entities: dict, degree: dict) -> dict[URIRef, int]:
    """0 for the most important node: most links first, PageRank among equals, statements last."""
    score = _pagerank(sorted(keep, key=str), [(s, o) for s, _, o in edges])
    ordered = sorted(keep, key=lambda n: (entities[n][2] == STATEMENT, -degree[n], -round(score[n], 12),
                                          entities[n][0].casefold(), str(n)))
    return {node: index for index, node in enumerate(ordered)}


def _pagerank(nodes: list, links: list[tuple], damping: float = 0.85, rounds: int = 60) -> dict:
    """PageRank of an undirected multigraph by power iteration (numpy only: networkx's needs scipy)."""
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    count = len(nodes)
    src = np.array([index[a] for a, b in links] + [index[b] for a, b in links], dtype=int)
    dst = np.array([index[b] for a, b in links] + [index[a] for a, b in links], dtype=int)
    out = np.bincount(src, minlength=count).astype(float)
    rank = np.full(count, 1.0 / count)
    for _ in range(rounds):
        share = np.divide(rank, out, out=np.zeros(count), where=out > 0)
        spread = np.bincount(dst, weights=share[src], minlength=count) if len(src) else np.zeros(count)
        rank = (1 - damping) / count + damping * (spread + rank[out == 0].sum() / count)
    return dict(zip(nodes, rank.tolist(), strict=True))


def _size(cls: str, degree: int) -> float:
    # area grows with the number of links, so a hub stands out without swamping its neighbours
    return STATEMENT_SIZE if cls == STATEMENT else round(10 + 5 * math.sqrt(degree), 1)


# --- articles, facts and evidence --------------------------------------------------------------------------


def _evidence(graph: rdflib.Graph) -> Records:
    """(subject, predicate local name, object) -> [(sentence, source document)], from the ng:Evidence nodes."""
    found: Records = defaultdict(list)
    for node in graph.subjects(RDF.type, NG.Evidence):
        s, p, o = (graph.value(node, part) for part in (RDF.subject, RDF.predicate, RDF.object))
        source = graph.value(node, NG.source)
        for sentence in graph.objects(node, NG.sentence):
            found[(s, _local(p) if p is not None else "", o)].append((str(sentence), source))  # type: ignore[arg-type]
    return found


def _articles(graph: rdflib.Graph, keep: set, evidence: Records) -> tuple[list[dict], dict[URIRef, int]]:
    """The documents behind what is drawn (evidence, mentions, quotes), sorted by date (undated last)."""
    used: set[rdflib.term.Node] = {doc for (s, _, o), records in evidence.items() if s in keep or o in keep
                                   for _, doc in records if doc is not None}
    for node in keep:
        used.update(graph.objects(node, NG.mentionedIn))
        used.update(graph.objects(node, NG.source))
    rows = []
    for doc in used:
        if doc is None or (doc, RDF.type, NG.Document) not in graph:
            continue
        title = graph.value(doc, NG.title) or graph.value(doc, NG.sourcePath) or _local(doc)
        rows.append({"id": str(doc), "title": str(title), "date": str(graph.value(doc, NG.publishedOn) or ""),
                     "url": str(graph.value(doc, NG.url) or "")})
    rows.sort(key=lambda r: (r["date"] == "", r["date"], r["title"], r["id"]))
    return rows, {URIRef(row["id"]): index for index, row in enumerate(rows)}


def _facts(graph: rdflib.Graph, iri: URIRef, entities: dict, evidence: Records, articles: list[dict],
           doc_index: dict[URIRef, int], sentences: dict[str, int]) -> list[dict]:
    """Every fact about an entity (or the speaker of a statement), each with its evidence as [sentence, article]
    index pairs, oldest article first; `sentences` numbers each sentence the first time it is cited."""
    facts: dict[tuple[str, str, str], dict] = {}

    def add(rel: str, direction: str, other: rdflib.term.Node, key: tuple) -> None:
        value = entities[other][0] if other in entities else str(other)
        if rel == SAID and other in entities:
            value = entities[other][1][0]
        fact = facts.setdefault((rel, str(other), direction), {
            "rel": rel, "dir": direction, "other": str(other) if other in entities else None, "value": value,
            "evidence": [],
        })
        for sentence, doc in evidence.get(key, []):
            record = (sentence, doc_index.get(doc, -1))  # type: ignore[arg-type]
            if record not in fact["evidence"]:
                fact["evidence"].append(record)

    if entities[iri][2] == STATEMENT:
        for speaker in graph.objects(iri, NG.speaker):
            add("speaker", "in", speaker, (speaker, SAID, iri))
    for name in (*ENTITY_PREDICATES, SAID, *DATE_PREDICATES):
        predicate = URIRef(NG_URI + name)
        symmetric = name in SYMMETRIC_PREDICATES
        for other in graph.objects(iri, predicate):
            if isinstance(other, Literal) or other in entities:
                add(name, "both" if symmetric else "out", other, (iri, name, other))
                if symmetric:
                    add(name, "both", other, (other, name, iri))
        if name in ENTITY_PREDICATES:
            for other in graph.subjects(predicate, iri):
                if other in entities:
                    add(name, "both" if symmetric else "in", other, (other, name, iri))
    for fact in facts.values():
        fact["evidence"] = [
            [sentences.setdefault(sentence, len(sentences)), doc] for sentence, doc in sorted(
                fact["evidence"], key=lambda r: (*((articles[r[1]]["date"], articles[r[1]]["title"]) if r[1] >= 0
                                                   else ("", "")), r[0]))
        ]
    return sorted(facts.values(), key=lambda f: (f["rel"], f["dir"], f["value"], f["other"] or ""))


def _style_dict(style: ClassStyle) -> dict:
    return {"colour": style.colour, "shape": style.shape, "dashed": style.dashed}


def _local(iri: rdflib.term.Node) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "\u2026"
