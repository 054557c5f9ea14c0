"""Shared fixtures. Helpers append their fixtures in clearly marked sections; keep this the only conftest."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


# --- ontology, knowledge base and triple builder (tests/test_build.py, tests/test_shapes.py) ---

SMALL_TEXT = (
    "The Lamplighters Union and the Tallow Makers Alliance resumed talks on Tuesday. "
    "Union president Mira Okonkwo said: \"We will not settle for less.\" "
    "The lamplighters have been on strike since March 2031."
)


@pytest.fixture()
def small_extraction():  # -> graph.model.Extraction; imported here so other areas' sections stay independent
    from datetime import date

    from graph.model import Article, Entity, Evidence, Extraction, PartialDate, Quote, Relation

    def found(sentence: str, rule: str, confidence: float) -> Evidence:
        start = SMALL_TEXT.index(sentence)
        return Evidence(sentence, start, start + len(sentence), rule, confidence)

    talks = "The Lamplighters Union and the Tallow Makers Alliance resumed talks on Tuesday."
    said = 'Union president Mira Okonkwo said: "We will not settle for less."'
    strike = "The lamplighters have been on strike since March 2031."
    union = "Lamplighters Union"
    return Extraction(
        article=Article(
            id="small-0001",
            text=SMALL_TEXT,
            date=date(2031, 4, 8),
            title="Lamplighters resume talks",
            url="https://example.org/news/lamplighters",
            source="tests/data/small.txt",
        ),
        entities=[
            Entity("Lamplighters Union", "LaborUnion", frozenset({"Lamplighters Union", "the lamplighters"})),
            Entity("Tallow Makers Alliance", "EmployerAssociation", frozenset({"Tallow Makers Alliance"})),
            Entity(
                "Mira Okonkwo", "Person", frozenset({"Mira Okonkwo", "Okonkwo"}),
                kb_id="https://w3id.org/newsgraph/id/entity/mira-okonkwo-kb",
            ),
        ],
        relations=[
            Relation(union, "negotiatesWith", "Tallow Makers Alliance", found(talks, "talks", 0.9)),
            Relation("Mira Okonkwo", "leads", union, found(said, "title-of", 0.805)),
            Relation(union, "onStrikeSince", PartialDate(2031, 3), found(strike, "strike-since", 0.7)),
        ],
        quotes=[Quote("Mira Okonkwo", "We will not settle for less.", found(said, "said-colon", 0.95))],
    )


# --- store, queries, stats, render, pipeline and CLI (tests/test_store.py ... tests/test_cli.py) ---

HARBOR_TEXTS = (
    "The Harbor Pilots Union opened talks with Tidewater Freight on Monday. "
    'Union president Mara Quill said: "We will not accept less than a fair wage." '
    "The pilots have been on strike since May 2, 2034. "
    "Tidewater Freight belongs to the Coastal Shipping Council, which bargains for it.",
    "Tidewater Freight and the Harbor Pilots Union returned to the table on Friday. "
    "The two sides reached a tentative agreement late that night. "
    "The strike ended in June 2034.",
)


def harbor_extraction(index: int):  # -> graph.model.Extraction
    """One of two hand-made articles about a fictional port dispute (sharing two entities)."""
    from datetime import date

    from graph.model import Article, Entity, Evidence, Extraction, PartialDate, Quote, Relation

    text = HARBOR_TEXTS[index]

    def found(sentence: str, rule: str, confidence: float = 0.8) -> Evidence:
        start = text.index(sentence)
        return Evidence(sentence, start, start + len(sentence), rule, confidence)

    union = Entity("Harbor Pilots Union", "LaborUnion", frozenset({"Harbor Pilots Union", "the pilots"}))
    company = Entity("Tidewater Freight", "Company", frozenset({"Tidewater Freight"}))
    article = Article(
        id=f"harbor-{index}", text=text, date=date(2034, 5, 10 + index), title=f"Harbor talks {index}",
        source=f"tests/harbor-{index}.txt",
    )
    if index == 0:
        talks = "The Harbor Pilots Union opened talks with Tidewater Freight on Monday."
        said = 'Union president Mara Quill said: "We will not accept less than a fair wage."'
        council = "Tidewater Freight belongs to the Coastal Shipping Council, which bargains for it."
        csc = "Coastal Shipping Council"
        return Extraction(
            article=article,
            entities=[
                union, company,
                Entity("Mara Quill", "Person", frozenset({"Mara Quill"})),
                Entity(csc, "EmployerAssociation", frozenset({csc})),
            ],
            relations=[
                Relation(union.name, "negotiatesWith", company.name, found(talks, "talks", 0.9)),
                Relation("Mara Quill", "leads", union.name, found(said, "title-of", 0.6)),
                Relation(union.name, "onStrikeSince", PartialDate(2034, 5, 2),
                         found("The pilots have been on strike since May 2, 2034.", "strike-since")),
                Relation(company.name, "memberOf", csc, found(council, "belongs-to")),
                Relation(csc, "represents", company.name, found(council, "bargains-for")),
            ],
            quotes=[
                Quote("Mara Quill", "We will not accept less than a fair wage.", found(said, "said", 0.95))
            ],
        )
    table = "Tidewater Freight and the Harbor Pilots Union returned to the table on Friday."
    ended = "The strike ended in June 2034."
    return Extraction(
        article=article,
        entities=[union, company],
        relations=[
            Relation(company.name, "negotiatesWith", union.name, found(table, "table")),
            Relation(union.name, "reachesAgreementWith", company.name,
                     found("The two sides reached a tentative agreement late that night.", "agreement", 0.5)),
            Relation(union.name, "strikeEndedOn", PartialDate(2034, 6), found(ended, "end")),
        ],
    )


@pytest.fixture()
def harbor_graphs():  # -> list[tuple[URIRef, rdflib.Graph]], one per article, ready for write_articles
    from graph.rdf.build import build_graph
    from graph.rdf.iri import doc_iri

    extractions = [harbor_extraction(0), harbor_extraction(1)]
    return [(doc_iri(ex.article.id), build_graph(ex)) for ex in extractions]


@pytest.fixture()
def harbor_store(tmp_path: Path, harbor_graphs):  # -> graph.store.embedded.StoreHandle (read-write, both articles)
    from graph.store.embedded import open_store, write_articles

    store = open_store(tmp_path / "harbor.store")
    write_articles(store, harbor_graphs)
    return store


@pytest.fixture()
def harbor_store_path(tmp_path: Path, harbor_graphs) -> Path:
    """A store holding both harbor articles, closed again so other handles and processes can open it."""
    import gc

    from graph.store.embedded import open_store, write_articles

    path = tmp_path / "closed.store"
    store = open_store(path)
    write_articles(store, harbor_graphs)
    store.ox.flush()
    del store
    gc.collect()  # pyoxigraph releases the RocksDB lock when the Store object is freed
    return path


@pytest.fixture()
def fake_nlp(monkeypatch) -> list[int]:
    """The pipeline without spaCy: the harbor texts extract to the hand-made harbor extractions.

    Returns a list that grows by one per model load, so a test can check the model was loaded once.
    """
    import dataclasses

    import graph.pipeline.build as pipeline
    import graph.pipeline.extraction as extraction

    loads: list[int] = []

    def load(model, known):  # noqa: ANN001 -- stands in for graph.extract.nlp.load_pipeline
        loads.append(1)
        return object()

    def extract(articles, nlp, batch_size=32, n_process=1):  # noqa: ANN001 -- stands in for extract_articles
        for article in articles:
            made = harbor_extraction(HARBOR_TEXTS.index(article.text))
            yield dataclasses.replace(made, article=article)

    for module in (pipeline, extraction):  # a build loads here; a worker process loads in extraction
        monkeypatch.setattr(module, "load_pipeline", load)
        monkeypatch.setattr(module, "load_kb", lambda: [])
    monkeypatch.setattr(extraction, "extract_articles", extract)
    return loads


# --- extraction -------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def nlp():
    """The real trained pipeline with the knowledge base's entity ruler, loaded once per test session."""
    from graph.extract.nlp import load_pipeline
    from graph.rdf.kb import load_kb

    return load_pipeline(None, load_kb())


@pytest.fixture(scope="session")
def kb_index(nlp):
    return {iri: tuple(v) for iri, v in nlp.meta.get("newsgraph_kb", {}).items()}


@pytest.fixture(scope="session")
def extract_text(nlp, kb_index):
    """text (and a publication date, 2025-06-13 unless given) -> the Extraction of that one article."""
    from datetime import date

    from graph.extract.extractor import extract_doc
    from graph.extract.nlp import domain_labeller
    from graph.model import Article

    labeller = domain_labeller(nlp)  # as extract_articles does: the shipped extractor, domain hints included

    def run(text: str, pub: date | None = date(2025, 6, 13)):
        return extract_doc(nlp(text), Article(id="t", text=text, date=pub), kb_index, labeller)

    return run


@pytest.fixture(scope="session")
def facts(extract_text):
    """text -> {(subject, predicate, object)}: symmetric relations in name order, dates as ISO strings."""

    def run(text: str, **kwargs) -> set[tuple[str, str, str]]:
        out = set()
        for r in extract_text(text, **kwargs).relations:
            obj = r.object if isinstance(r.object, str) else r.object.iso()
            if r.predicate in ("negotiatesWith", "reachesAgreementWith"):
                a, b = sorted((r.subject, obj))
                out.add((a, r.predicate, b))
            else:
                out.add((r.subject, r.predicate, obj))
        return out

    return run


# --- seeing the graph: render, browser and notebook (tests/test_render.py, tests/test_browser.py) ---------
HOSTILE_NAME = '<script>alert("x")</script> Crew'
HOSTILE_IMG = "<img src=x onerror=window.__pwned=1> Dockers"
HOSTILE_SENTENCE = "The <b>crew</b> & Zoë Brandt met the harbor pilots at https://example.org/talks."


def hostile_extraction():  # -> graph.model.Extraction
    """One article with markup in names and in a sentence, quotes in a name, and a non-ASCII name."""
    from datetime import date

    from graph.model import Article, Entity, Evidence, Extraction, Relation

    evidence = Evidence(HOSTILE_SENTENCE, 0, len(HOSTILE_SENTENCE), "talks", 0.9)
    return Extraction(
        article=Article(id="hostile", text=HOSTILE_SENTENCE, date=date(2034, 7, 1), title='The "<i>hostile</i>" one',
                        url="https://example.org/hostile"),
        entities=[
            Entity(HOSTILE_NAME, "LaborUnion", frozenset({HOSTILE_NAME, "O'Brien \"Crew\""})),
            Entity(HOSTILE_IMG, "Group", frozenset({HOSTILE_IMG})),
            Entity("Zoë Brandt", "Person", frozenset({"Zoë Brandt"})),
            Entity("Harbor Pilots Union", "LaborUnion", frozenset({"Harbor Pilots Union"})),
        ],
        relations=[
            Relation(HOSTILE_NAME, "negotiatesWith", "Harbor Pilots Union", evidence),
            Relation("Zoë Brandt", "leads", HOSTILE_NAME, evidence),
            Relation(HOSTILE_IMG, "memberOf", HOSTILE_NAME, evidence),
        ],
    )


@pytest.fixture()
def hostile_graph(harbor_graphs):  # -> rdflib.Graph: both harbor articles plus the hostile one, merged
    import rdflib

    from graph.rdf.build import build_graph

    graph = rdflib.Graph()
    for part in [*(g for _, g in harbor_graphs), build_graph(hostile_extraction())]:
        for triple in part:
            graph.add(triple)
    return graph


# --- beyond one machine: SPARQL servers and Dask (tests/test_serve.py, test_remote.py, test_distributed.py) ---
def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def writable_server(tmp_path: Path):  # -> graph.store.serve.Server: an empty read-write Oxigraph server, stopped after
    from graph.store.serve import start_server, stop_server

    server = start_server(tmp_path / "server.store", port=free_port(), timeout=30, writable=True)
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture()
def sources(tmp_path: Path) -> Path:
    """A folder holding the harbor articles as .txt files (for builds through the pipeline and the CLI)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for index, text in enumerate(HARBOR_TEXTS):
        (folder / f"harbor-{index}.txt").write_text(text, encoding="utf-8")
    return folder


# --- news from the web (tests/test_fetch.py, test_webpages.py, test_web_sources.py) ---
@pytest.fixture()
def news_site(data_dir: Path):  # -> str: base URL of a local site serving tests/data/web, with hostile routes
    """A small news site on a local HTTP server: the pages and feeds of tests/data/web, a robots.txt, and
    routes that misbehave: /redirect (to a page), /loop (to itself), /slow (answers after 3 s), /huge (streams
    without end), /flaky (503 once, then a page). Each request is recorded in the `requests` attribute of the
    returned URL string: (path, User-Agent, monotonic time)."""
    import http.server
    import threading
    import time

    folder = data_dir / "web"
    seen: list[tuple[str, str, float]] = []
    flaky = {"left": 1}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            seen.append((self.path, self.headers.get("User-Agent", ""), time.monotonic()))
            path = self.path.split("?")[0]
            if path == "/redirect":
                return self._redirect("/harbour-strike.html")
            if path == "/loop":
                return self._redirect("/loop")
            if path == "/slow":
                time.sleep(3)
            if path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                try:
                    for _ in range(200):  # 200 MB unless the client hangs up first
                        self.wfile.write(b"<p>" + b"x" * (1024 * 1024) + b"</p>")
                except OSError:
                    pass
                return None
            if path == "/flaky":
                if flaky["left"]:
                    flaky["left"] -= 1
                    self.send_error(503)
                    return None
                path = "/mill-talks.html"
            file = (folder / path.lstrip("/")).resolve()
            if not file.is_file() or folder.resolve() not in file.parents:
                self.send_error(404)
                return None
            body = file.read_bytes()
            self.send_response(200)
            kind = {".rss": "application/rss+xml", ".atom": "application/atom+xml", ".txt": "text/plain"}
            self.send_header("Content-Type", kind.get(file.suffix, "text/html; charset=utf-8"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None

        def _redirect(self, where: str) -> None:
            self.send_response(302)
            self.send_header("Location", where)
            self.send_header("Content-Length", "0")
            self.end_headers()

    class SiteURL(str):
        requests: list[tuple[str, str, float]]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = SiteURL(f"http://127.0.0.1:{server.server_address[1]}")
    url.requests = seen
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


# --- dispute events (tests/test_build_events.py, tests/test_queries.py, tests/test_render.py) ---------------
def harbor_event_extraction(index: int):  # -> graph.model.Extraction
    """A harbor article (harbor_extraction) with the dispute events graph.extract.disputes reads from it: the
    pilots' strike against Tidewater Freight (its start in the first article, its end in the second), the talks,
    and the agreement of the second article."""
    import dataclasses

    from graph.model import DisputeEvent, EventFact

    ex = harbor_extraction(index)
    union, company = "Harbor Pilots Union", "Tidewater Freight"
    by_predicate = {r.predicate: r for r in ex.relations}
    talks = by_predicate["negotiatesWith"].evidence

    def facts(rule: str, *props: tuple[str, str, object]) -> tuple:
        return tuple(EventFact(p, v, dataclasses.replace(e, rule=rule)) for p, v, e in props)

    sides = (("unionSide", union, talks), ("employerSide", company, talks))
    events = [DisputeEvent("Negotiation", union, (company,), 2034, facts=facts(
        "negotiation_event", ("type", "", talks), *sides))]
    if index == 0:
        since = by_predicate["onStrikeSince"]
        events.append(DisputeEvent("Strike", union, (company,), 2034, start=since.object, workers=300,
                                   facts=facts("strike_event", ("type", "", since.evidence),
                                               ("startDate", since.object.iso(), since.evidence),
                                               ("workersInvolved", "300", since.evidence), *sides)))
    else:
        ended, deal = by_predicate["strikeEndedOn"], by_predicate["reachesAgreementWith"].evidence
        events.append(DisputeEvent("Strike", union, (company,), 2034, end=ended.object, facts=facts(
            "strike_event", ("type", "", ended.evidence), ("endDate", ended.object.iso(), ended.evidence), *sides)))
        events.append(DisputeEvent("Agreement", union, (company,), 2034, contract="a new contract", facts=facts(
            "agreement_event", ("type", "", deal), ("unionSide", union, deal), ("employerSide", company, deal),
            ("contractAtStake", "a new contract", deal))))
    return dataclasses.replace(ex, events=events)


@pytest.fixture()
def harbor_event_store(tmp_path: Path):  # -> graph.store.embedded.StoreHandle: both harbor articles with their events
    from graph.rdf.build import build_graph
    from graph.rdf.iri import doc_iri
    from graph.store.embedded import open_store, write_articles

    store = open_store(tmp_path / "events.store")
    extractions = [harbor_event_extraction(0), harbor_event_extraction(1)]
    write_articles(store, [(doc_iri(ex.article.id), build_graph(ex)) for ex in extractions])
    return store
