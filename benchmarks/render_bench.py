"""Benchmark the HTML explorer: generated graphs of 100 / 1,000 / 5,000 entities, rendered and opened in
headless Chromium (Debian's, driven by Playwright) with the network blocked.

Prints, per size: the Python render time, the page size, the time from navigation to vis-network's first drawn
frame (`afterDrawing`), and to a settled picture (physics stabilised, or fixed positions drawn).

    .venv/bin/python benchmarks/render_bench.py [SIZES...]      # default: 100 1000 5000

Not part of the tests. The generated graph looks like news coverage: disputes of a dozen entities (a union,
an employer association, member companies, their leaders), a third of the unions in one federation, and
neighbouring disputes linked by talks, so there is one big component and many small ones.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, Literal

from graph.render import LAYOUT_THRESHOLD, render_html
from graph.vocab import ID, NG

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DISPUTE = 12  # entities per generated dispute


def generate(size: int) -> rdflib.Graph:
    """About `size` entities in disputes of DISPUTE entities each (names are synthetic)."""
    graph = rdflib.Graph()

    def entity(key: str, cls: str, name: str) -> rdflib.URIRef:
        node = ID[f"entity/{key}"]
        graph.add((node, RDF.type, NG[cls]))
        graph.add((node, RDFS.label, Literal(name)))
        return node

    federation = entity("federation", "LaborUnion", "Federation of Generated Unions")
    for d in range(max(1, (size - 1) // DISPUTE)):
        union = entity(f"u{d}", "LaborUnion", f"Union {d}")
        council = entity(f"a{d}", "EmployerAssociation", f"Employers Council {d}")
        graph.add((union, NG.negotiatesWith, council))
        if d % 3 == 0:
            graph.add((union, NG.memberOf, federation))
        if d % 5 and d:
            graph.add((union, NG.negotiatesWith, ID[f"entity/a{d - 1}"]))
        for c in range(4):
            company = entity(f"c{d}-{c}", "Company", f"Company {d}-{c}")
            graph.add((company, NG.memberOf, council))
            chief = entity(f"p{d}-{c}", "Person", f"Chief {d}-{c}")
            graph.add((chief, NG.leads, company))
        graph.add((entity(f"p{d}-u", "Person", f"President {d}"), NG.leads, union))
        graph.add((entity(f"p{d}-a", "Person", f"Chair {d}"), NG.leads, council))
    return graph


def measure(page_path: Path, browser: object) -> tuple[float, float, int]:
    """(ms to first drawn frame, ms to settled, nodes drawn) for one page load."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(page_path.resolve().as_uri(), wait_until="commit")
    page.wait_for_function("window.newsgraphReady === true", timeout=600_000, polling=50)
    ready = page.evaluate("performance.now()")
    first = page.evaluate("window.newsgraphFirstDraw")
    drawn = page.evaluate("window.newsgraph.network.body.nodeIndices.length")
    page.close()
    return first, ready, drawn


def main(sizes: list[int]) -> None:
    from playwright.sync_api import sync_playwright

    print(f"layout in Python above {LAYOUT_THRESHOLD} nodes")
    print(f"{'nodes':>6} {'edges':>6} {'render s':>9} {'page MB':>8} {'first frame ms':>15} {'settled ms':>11}")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for size in sizes:
            graph = generate(size)
            start = time.perf_counter()
            out = render_html(graph, Path(folder) / f"graph-{size}.html", title=f"benchmark {size}")
            rendered = time.perf_counter() - start
            first, ready, drawn = measure(out, browser)
            edges = sum(1 for _ in graph.triples((None, None, None))) - 2 * drawn
            print(f"{drawn:>6} {edges:>6} {rendered:>9.2f} {out.stat().st_size / 1e6:>8.2f} {first:>15.0f} "
                  f"{ready:>11.0f}")
        browser.close()


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 1000, 5000])
