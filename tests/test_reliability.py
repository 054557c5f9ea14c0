"""Reliability and security: bad inputs, hostile text, refused queries, killed builds, concurrent builds.

Builds through click's CliRunner use the real spaCy pipeline, loaded once (the `nlp` fixture) and handed to
the pipeline in place of a fresh load; the crash and concurrency tests run the real `newsgraph` command.
"""
from __future__ import annotations

import gc
import json
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

import graph.pipeline.build as pipeline
import graph.pipeline.extraction as extraction
from graph.cli import EXIT_WARNINGS, main
from graph.extract.extractor import extract_articles
from graph.model import Article, Entity, Evidence, Extraction, Relation
from graph.rdf.build import build_graph
from graph.rdf.shapes import validate_graph
from graph.rdf.vocab import NG
from graph.sources.formats import article_id
from graph.store.embedded import export, open_store, store_graph
from graph.store.queries import syntax_error_message, uses_service

NEWSGRAPH = str(Path(sys.executable).parent / "newsgraph")
SUBPROCESS_TIMEOUT = 120

GOOD = (
    "The Lantern Weavers Union opened talks with Brightloom Textiles on Monday. "
    'Union president Oriel Vance said: "We want a contract that pays for the night shifts."'
)
OTHER = (
    "The Copper Kettle Guild has been on strike since March 3, 2031. "
    "Guild chair Tamsin Holt said the Kettle Works owners had refused every offer."
)


# --- helpers -------------------------------------------------------------------------------------------


@pytest.fixture()
def real_build(monkeypatch: pytest.MonkeyPatch, nlp) -> None:  # noqa: ANN001 -- the session spaCy pipeline
    """pipeline.build with the already loaded pipeline instead of loading the model again."""
    monkeypatch.setattr(pipeline, "load_pipeline", lambda model, known: nlp)
    monkeypatch.setattr(pipeline, "load_kb", lambda: [])


def _cli(*args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def _sources(store: Path) -> set[str]:
    """The ng:sourcePath of every document in the store (opened read-only, released again)."""
    handle = open_store(store, read_only=True)
    found = {str(o) for o in store_graph(handle).objects(None, NG.sourcePath)}
    del handle
    gc.collect()
    return found


def _nq(store: Path) -> bytes:
    handle = open_store(store, read_only=True)
    data = export(handle, "nq")
    del handle
    gc.collect()
    return data


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning: ")]


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# --- 1. bad inputs through the command line ------------------------------------------------------------

# name -> (files to write, the source to name on the command line, warning text, sources built besides GOOD)
BAD_INPUTS: dict[str, tuple[dict[str, str | bytes], str, str | None, set[str]]] = {
    "empty file": ({"empty.txt": b""}, "empty.txt", "empty.txt: empty file, skipped", set()),
    "blank file": ({"blank.md": " \n\t\n"}, "blank.md", "blank.md: empty file, skipped", set()),
    "binary file": ({"photo.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))}, "photo.txt",
                    "photo.txt: binary file, skipped", set()),
    "invalid UTF-8": ({"latin1.txt": OTHER.encode("utf-8").replace(b"Holt", b"H\xf6lt")}, "latin1.txt",
                      "latin1.txt: invalid UTF-8, undecodable bytes replaced with U+FFFD", {"latin1.txt"}),
    "UTF-8 BOM": ({"bom.txt": "\ufeff" + OTHER}, "bom.txt", None, {"bom.txt"}),
    "CRLF line ends": ({"crlf.txt": "Weavers return to the table\r\n\r\n" + GOOD.replace(". ", ".\r\n")}, "crlf.txt",
                       None, {"crlf.txt"}),
    "malformed date header": ({"dated.txt": "date 2031-13-45\n\n" + OTHER}, "dated.txt",
                              "dated.txt: malformed date header '2031-13-45', ignored", {"dated.txt"}),
    "jsonl line not JSON": ({"feed.jsonl": json.dumps({"text": OTHER}) + "\n{text: 'no quotes'}\n"}, "feed.jsonl",
                            "feed.jsonl:2: not valid JSON (", {"feed.jsonl:1"}),
    "jsonl line without text": ({"feed.jsonl": json.dumps({"title": "x"}) + "\n" + json.dumps({"text": OTHER})},
                                "feed.jsonl", "feed.jsonl:1: missing string field 'text', skipped",
                                {"feed.jsonl:2"}),
    "jsonl line invalid UTF-8": ({"feed.jsonl": b'{"text": "caf\xe9"}\n' + json.dumps({"text": OTHER}).encode()},
                                 "feed.jsonl", "feed.jsonl:1: invalid UTF-8", {"feed.jsonl:1", "feed.jsonl:2"}),
    "unknown extension": ({"notes.csv": "a,b\n1,2\n"}, "notes.csv",
                          "notes.csv: unsupported file type (expected .txt, .md, .jsonl or .html), skipped", set()),
    "missing path": ({}, "absent.txt", "absent.txt: no such file or folder, skipped", set()),
    "folder without articles": ({"empty_dir/readme.csv": "x\n", "empty_dir/.hidden.txt": OTHER}, "empty_dir",
                                "empty_dir: no articles found in folder", set()),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_reliability_bad_input_is_one_warning_and_good_articles_are_built(
    real_build: None, tmp_path: Path, case: str
) -> None:
    files, source, warning, built = BAD_INPUTS[case]
    good = _write(tmp_path / "good.txt", GOOD)
    for name, content in files.items():
        _write(tmp_path / name, content)
    store = tmp_path / "s.store"
    result = _cli("build", str(good), str(tmp_path / source), "--store", str(store), "--batch-size", "1")
    expected = {good.as_posix(), *((tmp_path / name).as_posix() for name in built)}
    assert _sources(store) == expected
    if warning is None:
        assert result.exit_code == 0, result.stderr
        assert _warnings(result.stderr) == []
    else:
        assert result.exit_code == EXIT_WARNINGS == 3
        lines = _warnings(result.stderr)
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"warning: {(tmp_path / warning).as_posix()}"), lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", ["UTF-8 BOM", "CRLF line ends"])
def test_reliability_normalised_input_keeps_evidence_offsets(real_build: None, tmp_path: Path, case: str) -> None:
    files, source, _, _ = BAD_INPUTS[case]
    path = _write(tmp_path / source, files[source])
    store = tmp_path / "s.store"
    assert _cli("build", str(path), "--store", str(store)).exit_code == 0
    handle = open_store(store, read_only=True)
    graph = store_graph(handle)
    del handle
    gc.collect()
    text = str(files[source]).lstrip("\ufeff").replace("\r\n", "\n")  # what the reader hands on
    spans = [(int(graph.value(ev, NG.startChar)), int(graph.value(ev, NG.endChar)), str(graph.value(ev, NG.sentence)))
             for ev in graph.subjects(rdflib.RDF.type, NG.Evidence)]
    assert spans
    for start, end, sentence in spans:
        assert text[start:end] == sentence


def test_reliability_only_missing_sources_is_an_error_before_the_store(tmp_path: Path) -> None:
    result = _cli("build", str(tmp_path / "a.txt"), str(tmp_path / "b"), "--store", str(tmp_path / "s.store"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no such file or folder: ")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "s.store").exists()


def test_reliability_real_command_reports_each_bad_file_and_builds_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _write(folder / "a_good.txt", GOOD)
    _write(folder / "b_empty.txt", b"")
    _write(folder / "c_binary.md", b"\x00\x01\x02 not text")
    _write(folder / "d_feed.jsonl", json.dumps({"text": OTHER}) + "\n[1, 2]\n")
    done = subprocess.run(
        [NEWSGRAPH, "build", str(folder), "--store", str(tmp_path / "s.store")],
        capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT,
    )
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert [line.split(": ")[1] for line in _warnings(done.stderr)] == [
        (folder / "b_empty.txt").as_posix(), (folder / "c_binary.md").as_posix(),
        f"{(folder / 'd_feed.jsonl').as_posix()}:2",
    ]
    assert "built 2 of 2 articles" in done.stderr
    built = {(folder / "a_good.txt").as_posix(), f"{(folder / 'd_feed.jsonl').as_posix()}:1"}
    assert _sources(tmp_path / "s.store") == built


@pytest.mark.parametrize("bad", ["empty", "jsonl", "utf8", "missing"])
def test_reliability_strict_fails_before_anything_is_written(real_build: None, tmp_path: Path, bad: str) -> None:
    store = tmp_path / "s.store"
    first = _write(tmp_path / "first.txt", OTHER)
    assert _cli("build", str(first), "--store", str(store)).exit_code == 0
    before = _nq(store)
    sources = [str(_write(tmp_path / "good.txt", GOOD))]  # good articles first: strict must not write them
    bad_path = {
        "empty": lambda: _write(tmp_path / "z.txt", b""),
        "jsonl": lambda: _write(tmp_path / "z.jsonl", json.dumps({"text": GOOD + " Again."}) + "\nnot json\n"),
        "utf8": lambda: _write(tmp_path / "z.txt", b"Workers at the Tin Mill \xff walked out."),
        "missing": lambda: tmp_path / "z.txt",
    }[bad]()
    result = _cli("build", *sources, str(bad_path), "--store", str(store), "--strict", "--batch-size", "1")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"error: {bad_path.as_posix()}")
    assert _nq(store) == before


def test_reliability_strict_on_a_new_store_creates_nothing(real_build: None, tmp_path: Path) -> None:
    result = _cli("build", str(_write(tmp_path / "a.txt", GOOD)), str(_write(tmp_path / "b.txt", b"")),
                  "--store", str(tmp_path / "s.store"), "--strict")
    assert result.exit_code == 1
    assert not (tmp_path / "s.store").exists()


@pytest.mark.parametrize(("stdin", "exit_code"), [(GOOD.encode("utf-8"), 0), (b"Tin \xff Mill workers.", 1)])
def test_reliability_strict_reads_stdin_once_for_checking_and_once_for_building(
    real_build: None, tmp_path: Path, stdin: bytes, exit_code: int
) -> None:
    store = tmp_path / "s.store"
    result = _cli("build", "-", "--store", str(store), "--strict", stdin=stdin)
    assert result.exit_code == exit_code, result.stderr
    if exit_code == 0:
        assert _sources(store) == {"<stdin>"}
    else:
        assert result.stderr.startswith("error: <stdin>: invalid UTF-8")
        assert not store.exists()


# --- long inputs -----------------------------------------------------------------------------------------


def test_reliability_a_20000_character_sentence_builds_in_bounded_time(real_build: None, tmp_path: Path) -> None:
    words = ("workers", "union", "talks", "Brightloom", "wages", "and", "the", "night", "shift", "said")
    sentence = " ".join(words[(i * 7) % len(words)] for i in range(4000))[:20_000]
    assert len(sentence) == 20_000 and "." not in sentence
    path = _write(tmp_path / "long.txt", sentence)
    started = time.monotonic()
    result = _cli("build", str(path), "--store", str(tmp_path / "s.store"))
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 30
    assert _sources(tmp_path / "s.store") == {path.as_posix()}


PARTIES = (
    ("Lantern Weavers", "Brightloom Textiles", "Oriel Vance"),
    ("Copper Kettle", "Kettle Works", "Tamsin Holt"),
    ("Harbor Glaziers", "Clearpane Windows", "Ansel Moor"),
    ("Quarry Cutters", "Slatehill Stone", "Bryony Flint"),
    ("Night Bakers", "Dawnrise Breads", "Cormac Reyes"),
    ("Tram Drivers", "Citylink Transit", "Imelda Shaw"),
)


def _dispute(union: str, company: str, person: str) -> str:
    return (
        f"The {union} Union opened talks with {company} on Monday. "
        f'{union} Union president {person} said: "We want a fair contract for every shift."'
    )


def _relations(extraction: Extraction) -> set[tuple[str, str, str, int, int, str]]:
    found = {(r.subject, r.predicate, str(r.object), r.evidence.start, r.evidence.end, r.evidence.sentence)
             for r in extraction.relations}
    found |= {(q.speaker, "said", q.text, q.evidence.start, q.evidence.end, q.evidence.sentence)
              for q in extraction.quotes}
    return found


def test_reliability_chunked_extraction_equals_whole_extraction(nlp) -> None:  # noqa: ANN001
    text = "\n\n".join(_dispute(*parties) for parties in PARTIES)
    article = Article(id="chunks", text=text, date=date(2031, 5, 5), source="memory")
    whole = next(pipeline.extract_chunked([article], nlp, limit=len(text)))
    chunked = next(pipeline.extract_chunked([article], nlp, limit=250))
    assert len(pipeline.split_text(text, 250)) == len(PARTIES)  # one paragraph each
    assert chunked.article == article
    assert _relations(whole) and _relations(chunked) == _relations(whole)
    assert {e.name for e in chunked.entities} == {e.name for e in whole.entities}
    for *_, start, end, sentence in _relations(chunked):
        assert text[start:end] == sentence


@given(st.text(alphabet=st.sampled_from("ab \n.\u00e9"), max_size=300), st.integers(min_value=1, max_value=40))
@settings(max_examples=200, deadline=None)
def test_reliability_split_text_pieces_rebuild_the_text(text: str, limit: int) -> None:
    pieces = pipeline.split_text(text, limit)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= limit for _, piece in pieces)
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in pieces)
    assert all(piece for _, piece in pieces) or text == ""


def test_reliability_split_text_prefers_paragraph_breaks() -> None:
    text = "One two.\n\nThree four five. Six\nseven."
    assert pipeline.split_text(text, 30) == [(0, "One two.\n\n"), (10, "Three four five. Six\nseven.")]
    assert pipeline.split_text(text, 20) == [(0, "One two.\n\n"), (10, "Three four five. "), (27, "Six\nseven.")]
    assert pipeline.split_text("abcdefgh", 3) == [(0, "abc"), (3, "def"), (6, "gh")]


def test_reliability_a_5_mb_article_reaches_the_parser_in_bounded_chunks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    marker = "The Tin Loom Union met Weft Mills again."
    paragraph = marker + " " + "The looms stood still while both sides waited for an answer. " * 15
    text = "\n\n".join(paragraph for _ in range(5 * 1024 * 1024 // len(paragraph) + 1))
    assert len(text) > 5 * 1024 * 1024
    path = _write(tmp_path / "huge.txt", text)
    parsed: list[int] = []

    def extract(articles, nlp, batch_size=32, n_process=1) -> Iterator[Extraction]:  # noqa: ANN001
        for article in articles:
            parsed.append(len(article.text))
            start = article.text.index(marker)
            evidence = Evidence(marker, start, start + len(marker), "test", 0.9)
            yield Extraction(
                article=article,
                entities=[Entity("Tin Loom Union", "LaborUnion", frozenset({"Tin Loom Union"})),
                          Entity("Weft Mills", "Company", frozenset({"Weft Mills"}))],
                relations=[Relation("Tin Loom Union", "negotiatesWith", "Weft Mills", evidence)],
            )

    monkeypatch.setattr(pipeline, "load_pipeline", lambda model, known: None)
    monkeypatch.setattr(pipeline, "load_kb", lambda: [])
    monkeypatch.setattr(extraction, "extract_articles", extract)
    tracemalloc.start()
    try:
        summary = pipeline.build([str(path)], tmp_path / "s.store", batch_size=4)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.built == 1
    assert len(parsed) > 50 and max(parsed) <= pipeline.CHUNK_CHARS
    assert peak < 20 * len(text)  # Python-side copies of the text only; no structure grows per character
    handle = open_store(tmp_path / "s.store", read_only=True)
    graph = store_graph(handle)
    del handle
    gc.collect()
    starts = sorted(int(o) for o in graph.objects(None, NG.startChar))
    assert len(starts) == len(parsed)
    assert all(text[s:s + len(marker)] == marker for s in starts)


def test_reliability_chunks_fit_the_parser(nlp) -> None:  # noqa: ANN001
    assert nlp.max_length >= pipeline.CHUNK_CHARS


# --- 2. queries ----------------------------------------------------------------------------------------

NG_PREFIX = "PREFIX ng: <https://w3id.org/newsgraph/ontology#>\n"


def test_reliability_query_syntax_error_gives_line_and_column(harbor_store_path: Path) -> None:
    sparql = NG_PREFIX + "SELECT ?person\nWHERE {\n  ?person ng:leads ?org .\n  ?org ng:title @@ .\n}"
    result = _cli("query", sparql, "--store", str(harbor_store_path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: SPARQL syntax error at line 5, column 17: expected one of ")


@pytest.mark.parametrize(
    "message",
    ["error at 12:7: expected one of " + ", ".join(f'"{n}"' for n in range(200)), "something else\nentirely"],
)
def test_reliability_syntax_error_message_is_one_short_line(message: str) -> None:
    line = syntax_error_message(message)
    assert "\n" not in line and len(line) < 240
    assert line.startswith("SPARQL syntax error at line 12, column 7: expected") or "something else" in line


@pytest.mark.parametrize(
    "sparql",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "insert { ?s ?p ?o } where { ?s ?p ?o }",
        "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        NG_PREFIX + "# remove every leader\nDELETE { ?s ng:leads ?o } WHERE { ?s ng:leads ?o }",
        "WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?o ?p ?s } WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:g>",
        "CLEAR ALL",
        "clear silent default",
        "DROP ALL",
        "DROP GRAPH <urn:g>",
        "CREATE GRAPH <urn:g>",
        "ADD DEFAULT TO <urn:g>",
        "MOVE <urn:a> TO <urn:b>",
        "COPY <urn:a> TO DEFAULT",
        "BASE <http://example.org/>\nPREFIX x: <y#>\n  Drop All",
    ],
)
def test_reliability_query_refuses_every_update_form(harbor_store_path: Path, sparql: str) -> None:
    before = _nq(harbor_store_path)
    result = _cli("query", sparql, "--store", str(harbor_store_path))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: read-only: ") and len(result.stderr.splitlines()) == 1
    assert _nq(harbor_store_path) == before


SERVICE_QUERY = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"


def test_reliability_query_service_is_refused_by_default(harbor_store_path: Path) -> None:
    result = _cli("query", SERVICE_QUERY, "--store", str(harbor_store_path))
    assert result.exit_code == 1
    assert result.stderr == (
        "error: SERVICE clauses fetch data from the network and are refused; pass --allow-service\n"
    )


def test_reliability_query_service_runs_with_allow_service(harbor_store_path: Path) -> None:
    # Port 9 (discard) is refused by Oxigraph's HTTP client itself, so nothing leaves the machine; SILENT
    # turns the failed call into no rows. Reaching that point shows the clause went to the engine.
    result = _cli("query", SERVICE_QUERY, "--store", str(harbor_store_path), "--allow-service", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sorted(lines[0].split(",")) == ["o", "p", "s"] and lines[1:] == [",,"]  # one empty solution


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        (SERVICE_QUERY, True),
        ("select * { service <urn:x> { ?s ?p ?o } }", True),
        ("SELECT * WHERE { ?service ?p ?o }", False),
        ("PREFIX service: <urn:s#>\nSELECT * WHERE { ?s service:x ?o }", False),
        ("PREFIX ex: <urn:e#>\nSELECT * WHERE { ?s ex:SERVICE ?o }", False),
        ('SELECT * WHERE { ?s ?p "SERVICE <urn:x> {}" }', False),
        ("SELECT * WHERE { ?s <urn:SERVICE> ?o } # SERVICE <urn:x>", False),
    ],
)
def test_reliability_uses_service_finds_only_service_clauses(sparql: str, expected: bool) -> None:
    assert uses_service(sparql) is expected


SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_reliability_query_timeout_stops_a_runaway_query(harbor_store_path: Path) -> None:
    started = time.monotonic()
    result = _cli("query", SLOW_QUERY, "--store", str(harbor_store_path), "--timeout", "1")
    assert time.monotonic() - started < 15
    assert result.exit_code == 1
    assert result.stderr == "error: query timed out after 1 s and was stopped\n"


@pytest.mark.parametrize(
    ("q", "expected"),
    [("negotiations", None), ("SELECT ?x WHERE {", "error: SPARQL syntax error at line 1, column 18:")],
)
def test_reliability_query_with_timeout_gives_the_same_answer(
    harbor_store_path: Path, q: str, expected: str | None
) -> None:
    plain = _cli("query", q, "--store", str(harbor_store_path))
    bounded = _cli("query", q, "--store", str(harbor_store_path), "--timeout", "60")
    assert (bounded.exit_code, bounded.stdout, bounded.stderr) == (plain.exit_code, plain.stdout, plain.stderr)
    if expected is not None:
        assert bounded.stderr.startswith(expected)
    else:
        assert bounded.exit_code == 0 and "Tidewater Freight" in bounded.stdout


# --- 3. crash safety and concurrency with real processes -----------------------------------------------

KILL_ARTICLES = 30
KILL_BATCH = 4
TRADES = ("Lantern Weavers", "Copper Kettle", "Harbor Glaziers", "Quarry Cutters", "Night Bakers", "Tram Drivers")
FIRMS = ("Brightloom Textiles", "Kettle Works", "Clearpane Windows", "Slatehill Stone", "Dawnrise Breads")
PEOPLE = ("Oriel Vance", "Tamsin Holt", "Ansel Moor", "Bryony Flint", "Cormac Reyes", "Imelda Shaw")


def _generated_article(index: int, paragraphs: int = 8) -> str:
    trade, firm, person = TRADES[index % 6], FIRMS[index % 5], PEOPLE[(index // 2) % 6]
    return f"date 2031-04-{index % 28 + 1:02d}\n\n" + "\n\n".join(
        f"The {trade} Union opened talks with {firm} on Monday, round {index}-{k}. "
        f'{trade} Union president {person} said: "We want a fair contract for shift {k}." '
        f"The {trade} Union has been on strike since March {k + 1}, 2031. "
        "The two sides reached a tentative agreement late on Friday."
        for k in range(paragraphs)
    )


@pytest.fixture(scope="module")
def kill_inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """(a folder of generated articles, the N-Quads of a clean build of it)."""
    base = tmp_path_factory.mktemp("kill")
    folder = base / "articles"
    for index in range(KILL_ARTICLES):
        _write(folder / f"article-{index:02d}.txt", _generated_article(index))
    clean = base / "clean.store"
    done = _newsgraph("build", str(folder), "--store", str(clean), "--batch-size", str(KILL_BATCH))
    assert done.returncode == 0, done.stderr
    return folder, _nq(clean)


def _newsgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NEWSGRAPH, *args], capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)


def _start_build(folder: Path, store: Path, *more: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [NEWSGRAPH, "build", str(folder), *map(str, more), "--store", str(store), "--batch-size", str(KILL_BATCH)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _documents(store: Path) -> int | None:
    """Documents in the store, read while a build may be writing it (None: not readable yet)."""
    if not (store / "CURRENT").is_file():
        return None
    try:
        handle = open_store(store, read_only=True)
        count = sum(1 for _ in handle.ox.quads_for_pattern(
            None, _ox_node(str(rdflib.RDF.type)), _ox_node(str(NG.Document))))
    except Exception:  # noqa: BLE001 -- a secondary open can race the writer's files; try again later
        return None
    del handle
    return count


def _stored_at_least(store: Path, documents: int) -> bool:
    if documents == 0:
        return (store / "CURRENT").is_file()
    return (_documents(store) or 0) >= documents


def _ox_node(iri: str):  # noqa: ANN202 -- a pyoxigraph NamedNode
    import pyoxigraph

    return pyoxigraph.NamedNode(iri)


def _wait_for(condition, process: subprocess.Popen[str], limit: float = 60.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + limit
    while not condition() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


# kill point -> how to wait for it: seconds after the start (0.5 s: still importing), or documents stored
# (0: the store exists and the model is loading; 4: the first batch is committed; 16: half the articles).
KILL_POINTS: dict[str, float | int] = {"0.5 s": 0.5, "store created": 0, "first batch": KILL_BATCH, "half": 16}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_reliability_build_killed_mid_way_leaves_whole_batches_and_resumes(
    kill_inputs: tuple[Path, bytes], tmp_path: Path, point: str
) -> None:
    folder, clean_nq = kill_inputs
    store = tmp_path / "s.store"
    process = _start_build(folder, store)
    try:
        wait = KILL_POINTS[point]
        if isinstance(wait, float):
            time.sleep(wait)
        else:
            _wait_for(lambda: _stored_at_least(store, int(wait)), process)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=SUBPROCESS_TIMEOUT)
    gc.collect()
    handle = open_store(store)  # read-write: RocksDB recovers from its write-ahead log
    documents = _documents_of(handle)
    del handle
    gc.collect()
    assert documents % KILL_BATCH == 0 or documents == KILL_ARTICLES  # whole batches only
    if documents:
        validated = _newsgraph("validate", "--store", str(store))
        assert validated.returncode == 0, validated.stdout[-2000:]
    rebuilt = _newsgraph("build", str(folder), "--store", str(store), "--batch-size", str(KILL_BATCH))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"built {KILL_ARTICLES - documents} of {KILL_ARTICLES} articles ({documents} unchanged)" in rebuilt.stderr
    assert _nq(store) == clean_nq  # nothing lost, nothing twice


def _documents_of(handle) -> int:  # noqa: ANN001 -- a StoreHandle
    return sum(1 for _ in handle.ox.quads_for_pattern(
        None, _ox_node(str(rdflib.RDF.type)), _ox_node(str(NG.Document))))


def test_reliability_second_build_on_a_store_in_use_fails_clearly(
    kill_inputs: tuple[Path, bytes], tmp_path: Path
) -> None:
    folder, _ = kill_inputs
    more = tmp_path / "more"  # twice the work, so the first build is sure to outlast the second command
    for index in range(KILL_ARTICLES, 2 * KILL_ARTICLES):
        _write(more / f"article-{index:02d}.txt", _generated_article(index))
    store = tmp_path / "s.store"
    first = _start_build(folder, store, more)
    try:
        _wait_for(lambda: (store / "CURRENT").is_file(), first)
        second = _newsgraph("build", str(_write(tmp_path / "other.txt", GOOD)), "--store", str(store))
        reader = _newsgraph("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", str(store),
                            "--format", "csv")
        still_running = first.poll() is None
    finally:
        out, err = first.communicate(timeout=SUBPROCESS_TIMEOUT)
    assert still_running, "the first build ended before the second started; the test proves nothing"
    assert first.returncode == 0, err
    assert second.returncode == 1
    assert len(second.stderr.splitlines()) == 1
    assert second.stderr.startswith(f"error: store {store} is in use by another process")
    # A query during a build reads a consistent snapshot, or says it cannot read the store right now.
    assert "Traceback" not in reader.stderr
    if reader.returncode == 0:
        assert reader.stdout.splitlines()[0] == "n" and int(reader.stdout.splitlines()[1]) >= 0
    else:
        assert reader.stderr.startswith(f"error: cannot read store {store} (is it being written?)")


# --- 4. property-based: any text gives a valid graph that survives every export ------------------------

HOSTILE = (
    '"', "\\", "\\n", "<", ">", "{", "}", "\" } ; DROP ALL ; INSERT DATA { \"", "<script>alert(1)</script>",
    "\u202eevil\u202c", "\u05e9\u05dc\u05d5\u05dd", "\U0001f525\U0001f9d1\u200d\U0001f3ed", "\ufeff", "\u00a0",
    "\t", "\r", "\x0b", "\x1f", "'''", '"""', "#", "@prefix", "_:b0", "^^<urn:x>", "\u2028", "%20", "..",
)
NAME = st.lists(
    st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(HOSTILE)), min_size=1, max_size=8
).map("".join)
FRAGMENT = st.one_of(
    st.text(max_size=120),
    st.sampled_from(HOSTILE),
    NAME.map(lambda n: f"The {n} Union opened talks with {n} Freight on Monday."),
    NAME.map(lambda n: f'Union president Ada {n} said: "{n} will not {n}."'),
    NAME.map(lambda n: f"The {n} workers have been on strike since May 2, 2031."),
    st.builds(lambda a, b: f"{a} reached a tentative agreement with {b}.", NAME, NAME),
)
ARTICLE_TEXT = st.lists(FRAGMENT, min_size=1, max_size=6).map(" ".join).filter(lambda t: t.strip())
EXPORTS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}


# Fixed examples (derandomize) so CI runs the same cases every time; no shrinking, to bound the time of a
# failing run (the failing example is printed as found).
PROPERTY_SETTINGS = settings(
    max_examples=20, deadline=None, derandomize=True, database=None,
    phases=(Phase.explicit, Phase.generate), suppress_health_check=[HealthCheck.too_slow],
)


@given(text=ARTICLE_TEXT, published=st.none() | st.dates(date(1900, 1, 1), date(2099, 12, 31)))
@example(text=' 000002 ddeA#t said" 0 # 0 w', published=None)  # found: evidence counted a leading space
@example(text='Union president Ada \\"\n said: "<x> will not {}." \u202eevil\u202c \U0001f525', published=None)
@PROPERTY_SETTINGS
def test_reliability_any_text_builds_a_valid_graph_that_round_trips(
    nlp, text: str, published: date | None  # noqa: ANN001
) -> None:
    import tempfile

    from graph.rdf.iri import doc_iri
    from graph.store.embedded import write_articles

    article = Article(id=article_id(text), text=text, date=published, title=text[:40], source=f"<{text[:20]}>")
    extraction = next(extract_articles([article], nlp))
    for fact in [*extraction.relations, *extraction.quotes]:
        assert text[fact.evidence.start:fact.evidence.end] == fact.evidence.sentence
    with tempfile.TemporaryDirectory() as folder:
        handle = open_store(Path(folder) / "s.store")
        write_articles(handle, [(doc_iri(article.id), build_graph(extraction))])
        stored = store_graph(handle)
        exported = {fmt: export(handle, fmt) for fmt in EXPORTS}
        del handle
        gc.collect()
    conforms, report = validate_graph(stored)
    assert conforms, report
    for fmt, rdflib_format in EXPORTS.items():
        parsed = rdflib.Graph().parse(data=exported[fmt], format=rdflib_format)
        assert isomorphic(parsed, stored), fmt



# --- safe output: IRIs from any name, literals that try to break out -----------------------------------

NAMES = {
    "quotes": 'The "Real" O\'Brien Union',
    "angle brackets": "<Union> & </script>",
    "spaces": "  Harbor   Pilots  ",
    "emoji": "\U0001f525 Fire Crew \U0001f9d1\u200d\U0001f3ed",
    "right-to-left": "\u05d0\u05d9\u05d2\u05d5\u05d3 \u202eevil\u202c",
    "2000 characters": "Union " * 333 + "XY",
}


@pytest.mark.parametrize("case", list(NAMES))
def test_reliability_names_mint_valid_stable_iris(case: str) -> None:
    import pyoxigraph

    from graph.rdf.iri import entity_iri

    iri = entity_iri(NAMES[case])
    assert str(pyoxigraph.NamedNode(str(iri))) == f"<{iri}>"  # valid as is: nothing to escape
    assert not set(str(iri)) & set(' <>"{}|^`\\')
    assert entity_iri(NAMES[case]) == iri and len(str(iri)) < 200


INJECTION = '" } } ; DROP ALL ; INSERT DATA { GRAPH <urn:evil> { <urn:a> <urn:b> "x" } } #'
HOSTILE_LITERALS = (INJECTION, 'She said "no" \\ twice', "line one\nline two\r\n\tend", "'''\"\"\"", "a\\u0022b")


@pytest.mark.parametrize("fmt", ["turtle", "nt", "nq", "trig", "jsonld", "xml"])
def test_reliability_hostile_literals_round_trip_and_cannot_inject(tmp_path: Path, fmt: str) -> None:
    from graph.store.embedded import write_articles

    doc = rdflib.URIRef("https://w3id.org/newsgraph/id/doc/hostile")
    graph = rdflib.Graph()
    for index, literal in enumerate(HOSTILE_LITERALS):
        graph.add((rdflib.URIRef(f"https://w3id.org/newsgraph/id/entity/e{index}"), rdflib.RDFS.label,
                   rdflib.Literal(literal)))
    handle = open_store(tmp_path / "s.store")
    write_articles(handle, [(doc, graph)])
    graphs = {str(q.graph_name) for q in handle.ox.quads_for_pattern(None, None, None)}
    data = export(handle, fmt)
    del handle
    gc.collect()
    assert graphs == {f"<{doc}>"}  # the injected DROP and INSERT were data, not operations
    rdflib_format = {"nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld", "xml": "xml"}.get(fmt, fmt)
    if fmt in ("nq", "trig"):
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format=rdflib_format)
        parsed = rdflib.Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            parsed.add((s, p, o))
    else:
        parsed = rdflib.Graph().parse(data=data, format=rdflib_format)
    assert isomorphic(parsed, graph)
    assert {str(o) for o in parsed.objects()} == set(HOSTILE_LITERALS)


# --- fuzzing the readers: any bytes in any supported file give articles or one-line problems -----------

FILE_BYTES = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    st.lists(st.sampled_from([b"date ", b"2031-02-30", b"2031-04-05", b"\r\n", b"\n", b"\xef\xbb\xbf", b"\xff",
                              b'{"text": "x"}', b'{"text": 1}', b"[]", b"{", b"\x00", b"# Title", b"Workers struck.",
                              # lone surrogates, escaped as JSON allows, in every field; and nesting past the
                              # JSON parser's recursion limit (these crashed the readers: issue 13)
                              b'{"text": "a\\ud800b"}', b'{"text": "x", "title": "\\udfff"}',
                              b'{"id": "\\udc00", "text": "x"}', b'{"text": "x", "url": "\\ud83d"}', b'"\\ud800"',
                              b"[" * 100_000, b"{" * 3000, b'{"text": ' + b"[" * 5000]),
             max_size=12).map(b"".join),
)


@given(content=FILE_BYTES, suffix=st.sampled_from([".txt", ".md", ".jsonl"]))
@settings(max_examples=3000, deadline=None, derandomize=True, database=None)
def test_reliability_readers_never_raise_on_any_bytes(content: bytes, suffix: str) -> None:
    import tempfile

    from graph.sources.readers import read_sources

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        problems: list[str] = []
        articles = list(read_sources([str(path)], on_problem=problems.append))
    assert articles or problems  # every input gives an article or a reason
    for problem in problems:
        assert problem.startswith(path.as_posix()) and "\n" not in problem
    for article in articles:
        assert article.text.strip() and "\r" not in article.text and "\x00" not in article.text
        assert article.source.startswith(path.as_posix())
        for text in (article.text, article.id, article.title or "", article.url or ""):
            text.encode("utf-8")  # no lone surrogate survives: it would fail when hashed or stored


def test_reliability_interrupted_build_says_so_and_keeps_whole_batches(
    kill_inputs: tuple[Path, bytes], tmp_path: Path
) -> None:
    folder, _ = kill_inputs
    store = tmp_path / "s.store"
    process = _start_build(folder, store)
    try:
        _wait_for(lambda: _stored_at_least(store, KILL_BATCH), process)
        process.send_signal(signal.SIGINT)
    finally:
        _, err = process.communicate(timeout=SUBPROCESS_TIMEOUT)
    if process.returncode == 0:
        pytest.skip("the build finished before the interrupt arrived")
    assert process.returncode == 130
    assert err.splitlines()[-1] == "error: interrupted" and "Traceback" not in err
    handle = open_store(store, read_only=True)
    documents = _documents_of(handle)
    del handle
    gc.collect()
    assert documents % KILL_BATCH == 0 and documents >= KILL_BATCH
