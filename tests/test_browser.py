"""The rendered page in a real headless Chromium with every network request blocked.

Debian's chromium (scripts/setup-browser.sh) is driven by Playwright's Python package. Without a browser the
tests are skipped on a developer's machine and fail under CI=true, so CI can never pass by skipping them.
What the canvas draws is read from the canvas itself: every fillText call on the page's canvas is recorded
with its on-screen font size and box, so the label checks see the text as drawn, not the page's own notes.
"""
from __future__ import annotations

import json
import os
import re
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from conftest import HOSTILE_IMG, HOSTILE_NAME, HOSTILE_SENTENCE, ROOT
from dispute_graphs import dispute_graph

from graph.rdf.iri import entity_iri
from graph.views.render import find_chromium, render_html

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT_MS = 20_000
# Records every text drawn on a canvas of the page: its font size and box in CSS pixels on screen.
RECORD_TEXT = """
window.__texts = null;
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, x, y) {
  if (window.__texts && this.canvas.isConnected) {
    const m = this.getTransform(), ratio = window.devicePixelRatio || 1, size = /([0-9.]+)px/.exec(this.font);
    const px = parseFloat(size ? size[1] : "10") * Math.abs(m.a) / ratio;
    const width = this.measureText(text).width * Math.abs(m.a) / ratio;
    let left = (m.a * x + m.c * y + m.e) / ratio, top = (m.b * x + m.d * y + m.f) / ratio;
    if (this.textAlign === "center") left -= width / 2;
    else if (this.textAlign === "right" || this.textAlign === "end") left -= width;
    if (this.textBaseline === "middle") top -= px / 2;
    else if (this.textBaseline !== "top" && this.textBaseline !== "hanging") top -= px;
    window.__texts.push({text: String(text), px: px, left: left, top: top, width: width});
  }
  return fillText.apply(this, arguments);
};
"""


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests (scripts/setup-browser.sh installs chromium)")
    pytest.skip(f"{reason}; run `bash scripts/setup-browser.sh` to install it")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = find_chromium()
    if executable is None:
        unavailable("chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Page:
    """An opened page with what it logged and every request it tried outside file:."""

    def __init__(self, browser: object, path: Path) -> None:
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.route("**/*", self._route)
        # a script that got in would most likely call alert: make that visible instead of blocking
        self.page.add_init_script("window.alert = function () { window.__alerted = true; };")
        self.page.add_init_script(RECORD_TEXT)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.newsgraphReady === true")

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("file:", "data:", "about:", "blob:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.blocked.append(url)
            route.abort()  # type: ignore[attr-defined]

    def js(self, expression: str, arg: object = None) -> object:
        return self.page.evaluate(expression, arg)

    def click_node(self, node_id: str) -> None:
        point = self.node_point(node_id)
        self.page.mouse.click(point["x"], point["y"])

    def node_point(self, node_id: str) -> dict[str, float]:
        """Where the page draws the node, in page coordinates."""
        return self.js("id => window.newsgraph.scene.nodePoint(id)", node_id)  # type: ignore[return-value]

    def visible(self) -> tuple[list[str], list[str]]:
        return self.js("() => [window.newsgraph.scene.visibleNodes(), window.newsgraph.scene.visibleEdges()]")  # type: ignore[return-value]

    def drawn_text(self, fit: bool = True) -> list[dict]:
        """Every text the canvas draws in one frame (after fitting the whole graph to the screen)."""
        return self.js("""fit => { const scene = window.newsgraph.scene;
                                   if (fit) scene.fit();
                                   window.__texts = []; scene.draw();
                                   const texts = window.__texts; window.__texts = null; return texts; }""", fit)  # type: ignore[return-value]


def _data(path: Path) -> dict:
    found = re.search(r'id="graph-data">(.*?)</script>', path.read_text(encoding="utf-8"), re.DOTALL)
    assert found is not None
    return json.loads(found.group(1))


def _overlapping(texts: list[dict]) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap by more than half a pixel each way."""
    pairs = []
    for index, a in enumerate(texts):
        for b in texts[index + 1:]:
            if (min(a["left"] + a["width"], b["left"] + b["width"]) - max(a["left"], b["left"]) > 0.5
                    and min(a["top"] + a["px"], b["top"] + b["px"]) - max(a["top"], b["top"]) > 0.5):
                pairs.append((a["text"], b["text"]))
    return pairs


def _drawn_label(texts: list[dict], label: str) -> dict | None:
    for text in texts:
        if text["text"] == label or (text["text"].endswith("\u2026") and label.startswith(text["text"][:-1])):
            return text
    return None


# --- the harbor articles: two articles, a hostile one, eight nodes -------------------------------------------


@pytest.fixture(scope="module")
def harbor_page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # module-scoped, so the graph is built here rather than from the function-scoped conftest fixtures
    from conftest import harbor_extraction, hostile_extraction

    from graph.rdf.build import build_graph

    graph = rdflib.Graph()
    for extraction in (harbor_extraction(0), harbor_extraction(1), hostile_extraction()):
        for triple in build_graph(extraction):
            graph.add(triple)
    return render_html(graph, tmp_path_factory.mktemp("page") / "graph.html", title="Harbor <b>talks</b>")


@pytest.fixture()
def page(browser: object, harbor_page_path: Path) -> Iterator[Page]:
    opened = Page(browser, harbor_page_path)
    yield opened
    opened.page.close()


def test_browser_draws_every_node_and_edge(page: Page, harbor_page_path: Path) -> None:
    data = _data(harbor_page_path)
    nodes, edges = page.visible()
    assert len(nodes) == len(data["nodes"]) == 8
    assert len(edges) == len(data["edges"])
    assert page.js("typeof window.newsgraphFirstDraw") == "number"


def test_browser_logs_no_error_and_requests_nothing_remote(page: Page) -> None:
    page.page.wait_for_timeout(300)
    assert page.errors == []
    assert page.blocked == []


def test_browser_search_finds_an_entity_by_an_alias(page: Page) -> None:
    page.page.fill("#search", "the pilots")
    assert page.page.locator("#search-results li").first.inner_text().startswith("Harbor Pilots Union")
    page.page.press("#search", "Enter")
    assert page.page.locator("#panel h2").inner_text() == "Harbor Pilots Union"
    assert page.js("window.newsgraph.scene.selection()") == [str(entity_iri("Harbor Pilots Union"))]


def test_browser_click_on_a_node_opens_the_panel_with_evidence(page: Page) -> None:
    assert page.page.locator("#panel").is_hidden()
    page.click_node(str(entity_iri("Mara Quill")))
    panel = page.page.locator("#panel")
    panel.wait_for(state="visible")
    assert panel.locator("h2").inner_text() == "Mara Quill"
    text = panel.inner_text()
    assert "Union president Mara Quill said" in text
    assert "Harbor talks 0" in text and "2034-05-10" in text


def test_browser_panel_shows_quotation_marks_once(page: Page) -> None:
    page.click_node(str(entity_iri("Mara Quill")))
    panel = page.page.locator("#panel")
    panel.wait_for(state="visible")
    # the evidence sentence is shown as written; the quoted statement gets one pair of curly marks
    assert panel.locator("blockquote").first.inner_text().startswith("Union president Mara Quill said")
    assert "\u201cWe will not accept less than a fair wage.\u201d" in panel.inner_text()
    assert '\u201c"' not in panel.inner_text() and '"\u201d' not in panel.inner_text()


def test_browser_panel_links_each_fact_to_its_source_url(page: Page) -> None:
    page.click_node(str(entity_iri("Zoë Brandt")))  # her facts come from the hostile article, which has a URL
    panel = page.page.locator("#panel")
    panel.wait_for(state="visible")
    link = panel.locator("blockquote a.source-link").first
    assert link.get_attribute("href") == "https://example.org/hostile"
    assert link.get_attribute("target") == "_blank" and "noopener" in (link.get_attribute("rel") or "")
    page.click_node(str(entity_iri("Mara Quill")))  # the harbor articles have no URL: no link
    assert panel.locator("blockquote a").count() == 0


def test_browser_filters_hide_a_class_and_a_relation(page: Page) -> None:
    nodes, edges = page.visible()
    page.page.locator("#class-filter input[value=Statement]").uncheck()
    assert len(page.visible()[0]) == len(nodes) - 1
    edges = page.visible()[1]
    page.page.locator("#relation-filter input[value=negotiatesWith]").uncheck()
    assert len(page.visible()[1]) == len(edges) - 2


def test_browser_hostile_article_runs_nothing_and_reads_as_text(page: Page) -> None:
    page.page.fill("#search", "onerror")
    page.page.press("#search", "Enter")
    panel = page.page.locator("#panel")
    assert panel.locator("h2").inner_text() == HOSTILE_IMG
    page.click_node(str(entity_iri("Zoë Brandt")))
    assert HOSTILE_NAME in panel.inner_text()
    assert HOSTILE_SENTENCE in panel.inner_text()
    page.js("window.newsgraph.scene.fit()")  # every node on screen, none under the panel
    crew = page.node_point(str(entity_iri(HOSTILE_NAME)))
    page.page.mouse.move(crew["x"] - 20, crew["y"] - 20)
    page.page.mouse.move(crew["x"], crew["y"], steps=4)
    tooltip = page.page.locator("#tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().startswith(HOSTILE_NAME)
    assert HOSTILE_NAME in [text["text"] for text in page.drawn_text(fit=False)]  # drawn as canvas text
    page.page.wait_for_timeout(200)
    assert page.js("typeof window.__pwned") == "undefined"
    assert page.js("typeof window.__alerted") == "undefined"
    assert page.js("document.querySelectorAll('img, iframe, object, i').length") == 0
    assert page.js("document.scripts.length") == 2  # the data and ours: nothing injected
    assert page.errors == []


def test_browser_screenshot_is_kept_as_an_artifact(page: Page) -> None:
    page.page.fill("#search", "Harbor Pilots Union")
    page.page.press("#search", "Enter")
    page.page.wait_for_timeout(600)  # the focus animation
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / "graph.png"))
    assert (ARTIFACTS / "graph.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_browser_click_on_a_link_shows_its_evidence(page: Page) -> None:
    edge = page.js(
        """ids => window.newsgraph.data.edges.find(e => e.from === ids[0] && e.to === ids[1]).id""",
        [str(entity_iri("Zoë Brandt")), str(entity_iri(HOSTILE_NAME))],
    )
    point = page.js("id => window.newsgraph.scene.edgePoint(id, 0.5)", edge)
    page.page.mouse.click(point["x"], point["y"])  # type: ignore[index]
    panel = page.page.locator("#panel")
    panel.wait_for(state="visible")
    assert panel.locator("h2").inner_text() == f"Zoë Brandt leads {HOSTILE_NAME}"
    assert HOSTILE_SENTENCE in panel.inner_text()


def test_browser_search_results_follow_the_arrow_keys(page: Page) -> None:
    page.page.fill("#search", "er")  # Tidewater Freight and the <img ...> Dockers, at least
    names = page.page.locator("#search-results li[data-node]").all_inner_texts()
    assert len(names) >= 2
    page.page.press("#search", "ArrowDown")
    page.page.press("#search", "Enter")
    second = page.js("document.querySelectorAll('#search-results li[data-node]')[1].dataset.node")
    assert page.js("window.newsgraph.scene.selection()") == [second]


def test_browser_statement_is_a_marker_until_selected_or_zoomed(page: Page) -> None:
    quote = "\u201cWe will not accept less than a fair wage.\u201d"
    statement = page.js("window.newsgraph.data.nodes.find(n => n.cls === 'Statement').id")
    page.js("window.newsgraph.scene.zoom(0.5)")  # below the zoom that writes quotations out
    assert not any(text["text"].startswith("\u201c") for text in page.drawn_text(fit=False))
    page.js("id => window.newsgraph.focusNode(id)", statement)
    page.page.wait_for_timeout(500)
    assert " ".join(t["text"] for t in page.drawn_text(fit=False) if t["px"] >= 11).count(quote[:20]) == 1


# --- generated sectors: 150 and 1,000 nodes over many dated articles ------------------------------------------


@pytest.fixture(scope="module", params=[150, 1000], ids=["150-nodes", "1000-nodes"])
def sector(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list]:
    graph, strikes = dispute_graph(request.param)
    path = render_html(graph, tmp_path_factory.mktemp("sector") / "graph.html", title="A sector in dispute")
    return path, _data(path), strikes


@pytest.fixture()
def sector_page(browser: object, sector: tuple) -> Iterator[Page]:
    opened = Page(browser, sector[0])
    yield opened
    opened.page.close()


def test_browser_top_ten_labels_are_readable_at_fit_to_screen(sector_page: Page, sector: tuple) -> None:
    data = sector[1]
    texts = sector_page.drawn_text()
    shown = set(sector_page.visible()[0])
    top = [n for n in sorted(data["nodes"], key=lambda n: n["rank"]) if n["id"] in shown and n["cls"] != "Statement"]
    for node in top[:10]:
        drawn = _drawn_label(texts, node["label"])
        assert drawn is not None, f"{node['label']} (rank {node['rank']}) has no label at fit-to-screen"
        assert drawn["px"] >= 11
    assert min(text["px"] for text in texts) >= 11  # every label drawn can be read
    assert sector_page.errors == []


def test_browser_drawn_labels_never_overlap(sector_page: Page) -> None:
    at_fit = sector_page.drawn_text()
    assert len(at_fit) >= 10 and _overlapping(at_fit) == []
    hub = sector_page.js("window.newsgraph.data.nodes.find(n => n.rank === 0).id")
    sector_page.js("id => window.newsgraph.focusNode(id)", hub)  # zoomed in, the hub selected, its links named
    sector_page.page.wait_for_timeout(500)
    zoomed = sector_page.drawn_text(fit=False)
    assert len(zoomed) >= 10 and _overlapping(zoomed) == []


def test_browser_link_names_appear_only_when_readable(sector_page: Page) -> None:
    relations = {"said", "leads", "memberOf", "represents", "negotiatesWith", "reachesAgreementWith"}
    assert not relations & {text["text"] for text in sector_page.drawn_text()}  # at fit they would be specks
    union = sector_page.js("window.newsgraph.data.nodes.find(n => n.cls === 'LaborUnion' && n.degree > 2).id")
    sector_page.js("id => window.newsgraph.scene.focus(id, 1.2)", union)
    names = [text for text in sector_page.drawn_text(fit=False) if text["text"] in relations]
    assert names and min(text["px"] for text in names) >= 11


def test_browser_unlinked_nodes_are_hidden_and_counted(sector_page: Page, sector: tuple) -> None:
    data = sector[1]
    unlinked = [n["id"] for n in data["nodes"] if n["degree"] == 0]
    assert unlinked and data["quiet"] is True
    shown = sector_page.visible()[0]
    assert not set(unlinked) & set(shown) and len(shown) == len(data["nodes"]) - len(unlinked)
    assert f"{len(unlinked)} without links hidden" in sector_page.page.locator("#count").inner_text()
    sector_page.page.locator("#quiet").uncheck()
    assert len(sector_page.visible()[0]) == len(data["nodes"])
    assert "without links hidden" not in sector_page.page.locator("#count").inner_text()


def test_browser_class_list_shows_every_name_whole(sector_page: Page) -> None:
    layout = sector_page.js("""() => {
        const nav = document.getElementById("filters");
        const name = [...document.querySelectorAll("#class-filter label span")]
            .find(s => s.textContent === "GovernmentOrganization");
        return {scroll: nav.scrollWidth, width: nav.clientWidth, right: nav.getBoundingClientRect().right,
                nameRight: name.getBoundingClientRect().right, lines: name.getClientRects().length};
    }""")
    assert layout["scroll"] <= layout["width"]  # no horizontal scrollbar
    assert layout["nameRight"] <= layout["right"] and layout["lines"] == 1


def test_browser_timeline_has_one_bar_per_strike_from_start_to_end(sector_page: Page, sector: tuple) -> None:
    data, strikes = sector[1], sector[2]
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    bars = sector_page.js("window.newsgraph.timeline.bars()")
    assert sector_page.page.locator("#timeline rect.strike").count() == len(bars) == len(strikes)
    assert sorted((labels[b["union"]], b["start"], b["end"]) for b in bars) == sorted(
        (s.union, s.start, s.end) for s in strikes)
    for bar in bars:
        start = sector_page.js("d => window.newsgraph.timeline.x(d, false)", bar["start"])
        assert bar["x"] == pytest.approx(start, abs=0.01)
        if bar["end"]:
            end = sector_page.js("d => window.newsgraph.timeline.x(d, true)", bar["end"])
            assert bar["x"] + bar["width"] == pytest.approx(max(end, start + 3), abs=0.01)
    assert sector_page.page.locator("#timeline rect.strike.open").count() == sum(s.end is None for s in strikes)


def test_browser_click_on_a_strike_bar_selects_its_union(sector_page: Page, sector: tuple) -> None:
    labels = {n["id"]: n["label"] for n in sector[1]["nodes"]}
    bar = sector_page.page.locator("#timeline rect.strike").nth(3)
    union = bar.get_attribute("data-union")
    bar.click()
    assert sector_page.js("window.newsgraph.scene.selection()") == [union]
    assert sector_page.page.locator("#panel h2").inner_text() == labels[union]


def test_browser_brushing_dates_filters_the_graph_to_their_facts(sector_page: Page, sector: tuple) -> None:
    data = sector[1]
    nodes_before, edges_before = sector_page.visible()
    dates = sorted({a["date"] for a in data["articles"] if a["date"]})
    low, high = dates[len(dates) // 4], dates[len(dates) // 2]
    box = sector_page.js("() => { const r = window.newsgraph.timeline.element.getBoundingClientRect(); "
                         "return {left: r.left, bottom: r.bottom}; }")
    x0 = box["left"] + sector_page.js("d => window.newsgraph.timeline.x(d)", low) - 1
    x1 = box["left"] + sector_page.js("d => window.newsgraph.timeline.x(d)", high) + 1
    mouse = sector_page.page.mouse
    mouse.move(x0, box["bottom"] - 8)  # on the axis, clear of bars and marks
    mouse.down()
    mouse.move(x1, box["bottom"] - 8, steps=6)
    mouse.up()
    chosen = sector_page.js("window.newsgraph.timeline.range()")
    assert chosen[0] <= low and high <= chosen[1] < dates[-1]
    inside = {i for i, a in enumerate(data["articles"]) if a["date"] and chosen[0] <= a["date"] <= chosen[1]}
    edges = {e["id"]: e for e in data["edges"]}
    nodes, shown_edges = sector_page.visible()
    assert shown_edges and set(shown_edges) == {e for e in edges_before if set(edges[e]["docs"]) & inside}
    ends = {edges[e][side] for e in shown_edges for side in ("from", "to")}
    dated = {n["id"] for n in data["nodes"] if set(n.get("dateDocs", [])) & inside}
    assert set(nodes) == (ends | dated) & set(nodes_before) and len(nodes) < len(nodes_before)
    assert f"{len(nodes)} of " in sector_page.page.locator("#count").inner_text()
    sector_page.page.locator("#timeline .range button").click()  # every date again
    assert sector_page.visible() == [nodes_before, edges_before]


def test_browser_article_filter_keeps_the_facts_of_the_chosen_articles(sector_page: Page, sector: tuple) -> None:
    data = sector[1]
    sector_page.page.click("#articles-none")
    assert sector_page.visible() == [[], []]
    sector_page.page.locator("#article-list input").nth(2).check()
    edges = {e["id"]: e for e in data["edges"]}
    shown_edges = sector_page.visible()[1]
    assert shown_edges and all(2 in edges[e]["docs"] for e in shown_edges)
    assert len(shown_edges) == sum(2 in e["docs"] for e in data["edges"])
    sector_page.page.click("#articles-all")
    assert len(sector_page.visible()[1]) == len(data["edges"])


def test_browser_png_button_saves_the_view(sector_page: Page, tmp_path: Path) -> None:
    with sector_page.page.expect_download() as download:
        sector_page.page.click("#save-png")
    saved = tmp_path / "view.png"
    download.value.save_as(saved)
    head = saved.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    canvas = sector_page.js("() => { const c = window.newsgraph.scene.canvas; return [c.width, c.height]; }")
    assert width == canvas[0] and height == canvas[1] + 30 + 124  # legend above, timeline below
    assert sector_page.errors == []
