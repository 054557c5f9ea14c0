"""Render the graph as one self-contained HTML explorer that works from file:// with no network, or as a PNG.

The page is our own template and scripts (graph/resources/render*): a canvas drawing of positions computed
here (graph/views/render_layout.py), so the first frame is drawn as soon as the page is read, even at thousands of
nodes; labels by level of detail; a timeline strip with date brushing and an article filter; a PNG export.
What the page shows is computed by graph/views/render_data.py and graph/views/render_timeline.py.

The graph travels as JSON inside a `<script type="application/json">` element with `<`, `>`, `&` and `/`
escaped, and the page's script builds every label, tooltip and panel with textContent or canvas text: text
from an article is never parsed as HTML. No `scheme://` survives in the page: the JSON writes `/` as `\\/`,
the scripts write it the same way inside their strings, and HTML text writes `:` as `&#58;`.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import rdflib

from graph.errors import NewsgraphError, QueryError
from graph.paths import RESOURCES
from graph.views.render_data import CLASS_STYLES, DEFAULT_TITLE, OTHER_STYLE, STATEMENT, ClassStyle, graph_data
from graph.views.render_png import CHROMIUM_ENV, RenderError, find_chromium, page_png

__all__ = [
    "CHROMIUM_ENV", "CLASS_STYLES", "DEFAULT_TITLE", "OTHER_STYLE", "STATEMENT", "ClassStyle", "RenderError",
    "construct_graph", "find_chromium", "graph_data", "page_png", "render_html", "render_png",
]
SCRIPTS = ("render_labels.js", "render_scene.js", "render_timeline.js", "render.js")  # in order, one <script>


def render_html(
    graph: rdflib.Graph,
    out: Path,
    title: str = DEFAULT_TITLE,
    *,
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int | None = None,
    shown: rdflib.Graph | None = None,
) -> Path:
    """Write `graph` as an interactive page to `out` (UTF-8) and return the path.

    `focus` keeps the entities named so (any rdfs:label or skos:altLabel, case-blind) and their neighbours
    up to `hops` away; `max_nodes` keeps the most connected nodes (nearest to the focus first); `shown` (the
    result of a CONSTRUCT query) draws only its entities and triples, with names and facts from `graph`.
    """
    data = graph_data(graph, title, focus=focus, hops=hops, max_nodes=max_nodes, shown=shown)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page_html(data), encoding="utf-8")
    return out


def render_png(page: Path, out: Path, *, width: int = 1400, height: int = 900) -> Path:
    """The page's first view (the whole graph, legend and timeline) as a PNG, drawn by headless Chromium.

    Raises RenderError when no Chromium is found (NEWSGRAPH_CHROMIUM, then chromium on the PATH) or it fails.
    """
    return page_png(Path(page), Path(out), size=(width, height))


def construct_graph(result_turtle: str) -> rdflib.Graph:
    """The graph of a CONSTRUCT query's result as graph.store.embedded.query returns it (Turtle)."""
    try:
        return rdflib.Graph().parse(data=result_turtle, format="turtle")
    except Exception as exc:  # rdflib raises many parser types; any means it was not a CONSTRUCT result
        raise QueryError(f"render --query needs a CONSTRUCT or DESCRIBE query: {exc}") from None


def page_html(data: dict) -> str:
    """The page for graph_data's result: template, style, data and scripts in one string."""
    template = (RESOURCES / "render.html").read_text(encoding="utf-8")
    parts = {
        "TITLE": _html_text(data["title"]),
        "STYLE": (RESOURCES / "render.css").read_text(encoding="utf-8"),
        "DATA": _json_for_script(data),
        "APP": "\n".join((RESOURCES / name).read_text(encoding="utf-8") for name in SCRIPTS),
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
