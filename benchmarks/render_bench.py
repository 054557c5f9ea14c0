"""Benchmark the HTML explorer: generated multi-article dispute graphs of 150 / 1,000 / 5,000 nodes, rendered
and opened in headless Chromium (Debian's, driven by Playwright) with every request outside file: blocked.

Prints, per size: nodes and links, nodes drawn, the Python render time, the page size, and the median over
`--runs` page loads of the time from navigation to the first complete frame (`window.newsgraphFirstDraw`: graph
and timeline drawn) and to a settled page (`window.newsgraphReady` seen by the harness: no layout still moving,
the main thread free again). When the page hides nodes without links by default, a second row opens the same
page with them shown, so every node is drawn. The target is a first frame under 1.0 s at 5,000 nodes.

    .venv/bin/python benchmarks/render_bench.py [SIZES...] [--runs N] [--tree DIR]

`--tree DIR` renders with the `graph` package found in DIR instead of this checkout, to measure an older
version on the same graphs (`mkdir /tmp/old && git archive COMMIT graph | tar -x -C /tmp/old`).

Not part of the tests. The graphs come from tests/dispute_graphs.py (the browser tests use the same generator):
disputes of 13 nodes from two or three dated articles each, a union's strike, talks, an agreement, a quote,
and a place and an outlet with no relation; a federation links every fourth union, so there is one big
component and many small ones.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def measure(page_path: Path, browser: object) -> tuple[float, float, int]:
    """(ms to the first complete frame, ms to settled, nodes drawn) for one page load."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(page_path.resolve().as_uri(), wait_until="commit")
    page.wait_for_function("window.newsgraphReady === true", timeout=600_000, polling=20)
    ready = page.evaluate("performance.now()")
    first = page.evaluate("window.newsgraphFirstDraw")
    drawn = page.evaluate("""() => window.newsgraph.scene ? window.newsgraph.scene.visibleNodes().length
                                   : window.newsgraph.network.body.nodeIndices.length""")
    page.close()
    return first, ready, drawn


def main(sizes: list[int], runs: int) -> None:
    from dispute_graphs import dispute_graph  # tests/ is on sys.path (see below)
    from playwright.sync_api import sync_playwright

    from graph.views.render import render_html

    print(f"graph package: {sys.modules['graph'].__file__}; median of {runs} page loads")
    print(f"{'nodes':>6} {'links':>6} {'drawn':>6} {'render s':>9} {'page MB':>8} {'first frame ms':>15} "
          f"{'settled ms':>11}")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        measure(render_html(dispute_graph(20)[0], Path(folder) / "warm-up.html"), browser)
        for size in sizes:
            graph, _ = dispute_graph(size)
            start = time.perf_counter()
            out = render_html(graph, Path(folder) / f"graph-{size}.html", title=f"benchmark {size}")
            rendered = time.perf_counter() - start
            loads = [measure(out, browser) for _ in range(runs)]
            first = statistics.median(load[0] for load in loads)
            ready = statistics.median(load[1] for load in loads)
            found = re.search(r'id="graph-data">(.*?)</script>', out.read_text(encoding="utf-8"), re.DOTALL)
            data = json.loads(found.group(1)) if found else {"nodes": [], "edges": []}
            nodes, links = len(data["nodes"]), len(data["edges"])
            print(f"{nodes:>6} {links:>6} {loads[0][2]:>6} {rendered:>9.2f} {out.stat().st_size / 1e6:>8.2f} "
                  f"{first:>15.0f} {ready:>11.0f}")
            if data.get("quiet"):  # the same page with the nodes without links shown too: every node drawn
                everything = out.with_name(f"graph-{size}-all.html")
                everything.write_text(out.read_text(encoding="utf-8").replace('"quiet":true', '"quiet":false', 1),
                                      encoding="utf-8")
                loads = [measure(everything, browser) for _ in range(runs)]
                print(f"{nodes:>6} {links:>6} {loads[0][2]:>6} {'':>9} {'':>8} "
                      f"{statistics.median(load[0] for load in loads):>15.0f} "
                      f"{statistics.median(load[1] for load in loads):>11.0f}")
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[150, 1000, 5000])
    parser.add_argument("--runs", type=int, default=5, help="page loads per size (the median is shown)")
    parser.add_argument("--tree", type=Path, default=None, help="use the graph package in this folder")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(options.tree.resolve() if options.tree else ROOT))
    main(options.sizes, options.runs)
