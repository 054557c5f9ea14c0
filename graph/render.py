"""Render the graph as one self-contained HTML page (pyvis / vis-network) that works with no network.

pyvis inlines vis-network's JS and CSS with cdn_resources="in_line", but its template still links
Bootstrap from a CDN and the vis code mentions a few URLs; we drop the remote tags and escape the
remaining `://` inside scripts (`:\\/\\/` means the same in a JS string), so the page never reaches out.
Everything from the data is HTML-escaped; tooltips are escaped HTML snippets turned into elements by a
small script, because vis-network shows string titles as plain text.
"""
from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path

import rdflib
from pyvis.network import Network
from rdflib import RDF, RDFS, SKOS, URIRef

from graph.errors import NewsgraphError
from graph.model import DATE_PREDICATES, ENTITY_CLASSES, ENTITY_PREDICATES, SYMMETRIC_PREDICATES
from graph.vocab import NG

DEFAULT_TITLE = "newsgraph: labor dispute knowledge graph"

# One colour per entity class (Tableau 10), in ENTITY_CLASSES order; unknown classes are grey.
PALETTE = ("#e15759", "#f28e2b", "#4e79a7", "#59a14f", "#76b7b2", "#b07aa1", "#edc948", "#ff9da7", "#9c755f")
CLASS_COLOURS = dict(zip(ENTITY_CLASSES, PALETTE, strict=True))
OTHER_COLOUR = "#bab0ac"
MAX_QUOTE_CHARS = 240
MAX_QUOTES = 5

_REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>|<script\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>",
    re.DOTALL,
)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")
_COMMENTED_LINKS = re.compile(r"<!--\s*<link.*?-->", re.DOTALL)  # a stale local link left in pyvis' template
_DRAW_HOOK = "network = new vis.Network(container, data, options);"
# Turn the escaped-HTML titles into elements before vis draws them (see module docstring).
_TITLES_TO_ELEMENTS = """
                  [nodes, edges].forEach(function (set) {
                    var updates = [];
                    set.forEach(function (item) {
                      if (typeof item.title === "string") {
                        var element = document.createElement("div");
                        element.innerHTML = item.title;
                        updates.push({id: item.id, title: element});
                      }
                    });
                    set.update(updates);
                  });
"""
_STYLE = """<style>
  body { font-family: sans-serif; margin: 0.5em; }
  .vis-tooltip { white-space: normal !important; max-width: 480px; }
  .legend { margin: 0.3em 0 0.6em 0; }
  .legend span { display: inline-block; margin-right: 1em; }
  .legend i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; border-radius: 50%; }
</style>"""


def render_html(graph: rdflib.Graph, out: Path, title: str = DEFAULT_TITLE) -> Path:
    """Write `graph` as an interactive page to `out` (UTF-8) and return the path."""
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line", heading="")
    entities = _entities(graph)
    statements = _statements(graph)
    dates = _dates(graph)
    for iri in sorted(entities):
        label, cls = entities[iri]
        net.add_node(
            str(iri),
            label=label,
            title=_node_tooltip(graph, iri, label, cls, dates.get(iri, []), statements.get(iri, [])),
            color=CLASS_COLOURS.get(cls, OTHER_COLOUR),
            shape="dot",
            size=12,
        )
    evidence = _evidence(graph)
    for s, p, o in _edges(graph, entities):
        name = _local(p)
        sentences = evidence.get((s, p, o), []) + evidence.get((o, p, s), [])
        net.add_edge(
            str(s),
            str(o),
            label=name,
            title=_edge_tooltip(entities[s][0], name, entities[o][0], sentences),
            arrows="to, from" if name in SYMMETRIC_PREDICATES else "to",
        )
    page = _self_contained(net.generate_html(), title, _legend(entities))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


def _entities(graph: rdflib.Graph) -> dict[URIRef, tuple[str, str]]:
    """Entity IRI -> (label, class name), for resources typed with one of our entity classes."""
    found: dict[URIRef, tuple[str, str]] = {}
    for cls in ENTITY_CLASSES:
        for iri in graph.subjects(RDF.type, NG[cls]):
            if isinstance(iri, URIRef) and iri not in found:
                found[iri] = (_label(graph, iri), cls)
    return found


def _label(graph: rdflib.Graph, iri: URIRef) -> str:
    labels = sorted(str(label) for label in graph.objects(iri, RDFS.label))
    return labels[0] if labels else _local(iri)


def _local(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


Triple = tuple[URIRef, URIRef, URIRef]


def _edges(graph: rdflib.Graph, entities: dict[URIRef, tuple[str, str]]) -> list[Triple]:
    """Entity-to-entity relation triples, sorted; a symmetric relation stated both ways is drawn once."""
    edges: set[Triple] = set()
    for name in ENTITY_PREDICATES:
        predicate = NG[name]
        for s, o in graph.subject_objects(predicate):
            if s not in entities or o not in entities:
                continue
            if name in SYMMETRIC_PREDICATES and str(o) < str(s):
                s, o = o, s
            edges.add((s, predicate, o))  # type: ignore[arg-type]
    return sorted(edges)


def _evidence(graph: rdflib.Graph) -> dict[Triple, list[str]]:
    found: dict[Triple, list[str]] = defaultdict(list)
    for node in graph.subjects(RDF.type, NG.Evidence):
        key = tuple(graph.value(node, part) for part in (RDF.subject, RDF.predicate, RDF.object))
        for sentence in graph.objects(node, NG.sentence):
            found[key].append(str(sentence))  # type: ignore[index]
    return {key: sorted(set(values)) for key, values in found.items()}


def _statements(graph: rdflib.Graph) -> dict[URIRef, list[tuple[str, str]]]:
    """Speaker -> sorted (date, quote) of its statements."""
    found: dict[URIRef, list[tuple[str, str]]] = defaultdict(list)
    for speaker, statement in graph.subject_objects(NG.issuesStatement):
        when = graph.value(statement, NG.statedOn)
        for quote in graph.objects(statement, NG.quoteText):
            found[speaker].append((str(when or ""), str(quote)))  # type: ignore[index]
    return {speaker: sorted(set(quotes)) for speaker, quotes in found.items()}


def _dates(graph: rdflib.Graph) -> dict[URIRef, list[tuple[str, str]]]:
    """Entity -> sorted (predicate name, date) of its strike dates."""
    found: dict[URIRef, list[tuple[str, str]]] = defaultdict(list)
    for name in DATE_PREDICATES:
        for s, o in graph.subject_objects(NG[name]):
            found[s].append((name, str(o)))  # type: ignore[index]
    return {s: sorted(set(values)) for s, values in found.items()}


def _node_tooltip(
    graph: rdflib.Graph,
    iri: URIRef,
    label: str,
    cls: str,
    dates: list[tuple[str, str]],
    quotes: list[tuple[str, str]],
) -> str:
    parts = [f"<b>{html.escape(label)}</b> <i>({html.escape(cls)})</i>"]
    aliases = sorted({str(a) for a in graph.objects(iri, SKOS.altLabel)} - {label})
    if aliases:
        parts.append("also: " + html.escape(", ".join(aliases)))
    parts.extend(f"{html.escape(name)}: {html.escape(value)}" for name, value in dates)
    for when, quote in quotes[:MAX_QUOTES]:
        text = quote if len(quote) <= MAX_QUOTE_CHARS else quote[: MAX_QUOTE_CHARS - 1] + "\u2026"
        prefix = f"{html.escape(when)}: " if when else ""
        parts.append(f"{prefix}\u201c{html.escape(text)}\u201d")
    if len(quotes) > MAX_QUOTES:
        parts.append(f"\u2026 and {len(quotes) - MAX_QUOTES} more statements")
    return "<br>".join(parts)


def _edge_tooltip(subject: str, predicate: str, obj: str, sentences: list[str]) -> str:
    head = f"<b>{html.escape(subject)}</b> {html.escape(predicate)} <b>{html.escape(obj)}</b>"
    return "<br>".join([head, *(f"\u201c{html.escape(sentence)}\u201d" for sentence in sentences)])


def _legend(entities: dict[URIRef, tuple[str, str]]) -> str:
    order = {cls: index for index, cls in enumerate(ENTITY_CLASSES)}
    present = sorted({cls for _, cls in entities.values()}, key=lambda c: (order.get(c, len(order)), c))
    items = "".join(
        f'<span><i style="background:{CLASS_COLOURS.get(cls, OTHER_COLOUR)}"></i>{html.escape(cls)}</span>'
        for cls in present
    )
    return f'<div class="legend">{items}</div>'


def _self_contained(page: str, title: str, legend: str) -> str:
    """Strip remote resources from pyvis' page, add our title, style, legend and tooltip script."""
    if _DRAW_HOOK not in page:
        raise NewsgraphError("cannot render: the pyvis page template changed (no vis.Network call found)")
    page = _REMOTE_TAG.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = _COMMENTED_LINKS.sub("", page)
    page = page.replace(_DRAW_HOOK, _TITLES_TO_ELEMENTS + "                  " + _DRAW_HOOK, 1)
    escaped = html.escape(title)
    head = f'<meta charset="utf-8">\n<title>{escaped}</title>\n{_STYLE}'
    page = page.replace('<meta charset="utf-8">', head, 1)
    page = page.replace("<body>", f"<body>\n<h1>{escaped}</h1>\n{legend}", 1)
    # What is left are URLs inside the inlined scripts (licence comments, the SVG namespace string).
    return page.replace("http://", "http:\\/\\/").replace("https://", "https:\\/\\/")
