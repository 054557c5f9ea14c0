"""Hardening: each attack of the adversarial run (issue 13, items 1, 3, 5-7, 9-10) gets a clear one-line error or
the documented behaviour. The served endpoint's cases are in test_guard.py, the remote store's in test_remote.py.
"""
from __future__ import annotations

import gc
import io
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from graph.cli import main
from graph.errors import InputError, StoreError
from graph.pipeline import build as pipeline
from graph.pipeline import extraction
from graph.rdf.iri import doc_iri
from graph.sources.readers import read_sources
from graph.store.embedded import open_store
from graph.store.sparql import MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS, check_shape, shape

NEWSGRAPH = str(Path(sys.executable).parent / "newsgraph")


def _cli(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def _one_error(result: Result | subprocess.CompletedProcess, code: int = 1) -> str:
    returncode = result.exit_code if isinstance(result, Result) else result.returncode
    assert returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# --- 1. and 5. queries through the command line ------------------------------------------------------------


@pytest.mark.parametrize(("sparql", "message"), [
    ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, f"brackets nest 5000 deep in the query; at most {MAX_DEPTH}"),
    ("SELECT * WHERE { BIND(" + "STR(" * 400 + "1" + ")" * 400 + " AS ?x) }", "brackets nest 402 deep"),
    ("SELECT * WHERE { BIND(" + "1+" * 5000 + "1 AS ?x) }", f"DATA blocks; at most {MAX_TERMS:,}"),
    ("SELECT * WHERE { " + "OPTIONAL { ?a ?b ?c } " * 1000 + "}", "terms outside VALUES and DATA blocks"),
    ("SELECT * WHERE { ?s ?p '" + "x" * MAX_QUERY_CHARS + "' }", f"at most {MAX_QUERY_CHARS:,} are accepted"),
])
def test_hardening_a_query_that_would_crash_the_engine_is_one_error_line(harbor_store_path: Path, tmp_path: Path,
                                                                        sparql: str, message: str) -> None:
    # A real process: the engine segfaulted on the first of these (rc 139) before the checks existed.
    query_file = tmp_path / "attack.rq"
    query_file.write_text(sparql, encoding="utf-8")
    result = subprocess.run([NEWSGRAPH, "query", str(query_file), "--store", str(harbor_store_path)],
                            capture_output=True, text=True, timeout=120)
    assert message in _one_error(result)


def test_hardening_values_data_is_not_counted_as_terms(harbor_store_path: Path) -> None:
    rows = " ".join(f"<urn:x:{i}>" for i in range(5000))
    result = _cli("query", f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {rows} }} }}", "--store",
                  str(harbor_store_path), "--format", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines() == ["n", "5000"]


@pytest.mark.parametrize("sparql", [
    'SELECT * WHERE { ?s ?p ?o } # """\nSERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } # """',
    "SELECT * WHERE { ?s ?p ?o } # '''\nSERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } # '''",
    'SELECT * WHERE { ?s ?p "a\\"" SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }',
    "SELECT * WHERE { ?s <urn:a#b> ?o . service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
])
def test_hardening_no_comment_or_string_hides_a_service_clause(harbor_store_path: Path, sparql: str) -> None:
    result = _cli("query", sparql, "--store", str(harbor_store_path))
    assert _one_error(result) == ("error: SERVICE clauses fetch data from the network and are refused; pass "
                                  "--allow-service")


def test_hardening_an_unclosed_string_is_a_syntax_error(harbor_store_path: Path) -> None:
    result = _cli("query", "SELECT * WHERE { ?s ?p \"open\n}", "--store", str(harbor_store_path))
    assert _one_error(result) == "error: SPARQL syntax error at line 1, column 24: a string is never closed"


def test_hardening_shape_counts_tokens_not_text() -> None:
    found = shape('PREFIX ex: <urn:x#> SELECT * WHERE { ?s ex:SERVICE "SERVICE { {" } # SERVICE {')
    assert (found.depth, found.network) == (1, ())
    assert check_shape("SELECT * WHERE { ?s ?p ?o }").terms == 8


# --- 3. memory: a long article is parsed one chunk at a time (the peak is benchmark row 7) -----------------------


def test_hardening_a_long_article_is_parsed_one_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.model import Article, Extraction

    calls: list[tuple[int, int]] = []  # (batch size, texts) of each parse

    def extract_articles(articles, nlp, batch_size=32, n_process=1):  # noqa: ANN001, ANN202 -- a stand-in
        batch = list(articles)
        calls.append((batch_size, len(batch)))
        return iter([Extraction(article=a) for a in batch])

    monkeypatch.setattr(extraction, "extract_articles", extract_articles)
    short = [Article(id=f"s{i}", text="Workers struck.", date=None, source="memory") for i in range(3)]
    long = Article(id="long", text="Workers struck. " * 100, date=None, source="memory")
    chunks = len(pipeline.split_text(long.text, 100))
    assert chunks > 10
    found = list(pipeline.extract_chunked([*short[:2], long, short[2]], None, batch_size=64, limit=100))
    assert [e.article.id for e in found] == ["s0", "s1", "long", "s2"]
    assert found[2].article == long
    # The short articles are batched; the long one's chunks are parsed one by one (all of them in one batch of
    # 64 cost 3.3 GB per MB of text).
    assert calls == [(64, 2), *[(1, 1)] * chunks, (64, 1)]



def _quads(store_path: Path) -> list[str]:
    store = ox.Store.read_only(str(store_path))
    lines = sorted(store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())
    del store
    gc.collect()
    return lines


def test_hardening_a_long_article_written_in_parts_is_its_whole_graph(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import harbor_event_extraction

    from graph.pipeline import long_article
    from graph.rdf.build import build_graph
    from graph.store.embedded import write_articles

    ex = harbor_event_extraction(0)  # relations, a quotation and dispute events backed by the relations
    whole = open_store(tmp_path / "whole.store")
    expected = write_articles(whole, [(doc_iri(ex.article.id), build_graph(ex))])
    whole.ox.flush()
    del whole
    monkeypatch.setattr(long_article, "ITEMS_PER_PART", 1)  # one relation, quotation or event per part
    monkeypatch.setattr(long_article, "WRITE_TRIPLES", 7)  # and many transactions
    parts = open_store(tmp_path / "parts.store")
    assert long_article.write_long(parts, ex) == expected
    parts.ox.flush()
    del parts
    assert len(list(long_article.graph_parts(ex, 1))) == 1 + len(ex.relations) + len(ex.quotes) + len(ex.events) > 4
    assert _quads(tmp_path / "parts.store") == _quads(tmp_path / "whole.store")


def test_hardening_a_long_article_cut_off_while_written_is_written_again(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import harbor_event_extraction

    from graph.pipeline import long_article
    from graph.store.embedded import stored_document

    ex = harbor_event_extraction(0)
    monkeypatch.setattr(long_article, "WRITE_TRIPLES", 10)
    store = open_store(tmp_path / "s.store")
    real = long_article.insert_lines
    calls: list[int] = []

    def failing(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the build is killed in the middle of the article
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(long_article, "insert_lines", failing)
    with pytest.raises(KeyboardInterrupt):
        long_article.write_long(store, ex)
    owner, hashes = stored_document(store, doc_iri(ex.article.id))
    assert owner == ex.article.id and hashes == frozenset()  # partly there, without its content hash
    monkeypatch.setattr(long_article, "insert_lines", real)
    total = long_article.write_long(store, ex)  # what the next build does with an article of another hash
    assert stored_document(store, doc_iri(ex.article.id))[1] == {pipeline.content_hash(ex.article)}
    assert total == sum(1 for _ in store.ox.quads_for_pattern(None, None, None, None))


# --- 6. tracebacks on bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "problem"), [
    ('{"id": "a", "text": "Caf\\ud800 workers struck."}', "'text' is not valid Unicode"),
    ('{"id": "b", "text": "Workers struck.", "title": "\\udfff"}', "'title' is not valid Unicode"),
    ('{"id": "\\ud800", "text": "Workers struck."}', "'id' is not valid Unicode"),
])
def test_hardening_lone_surrogates_are_replaced_and_reported(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    problems: list[str] = []
    articles = list(read_sources([str(path)], on_problem=problems.append))
    assert len(articles) == 1 and problems == [f"{path.as_posix()}:1: {problem}, unpaired surrogates replaced with "
                                               "U+FFFD"]
    article = articles[0]
    for text in (article.text, article.id, article.title or ""):
        text.encode("utf-8")  # what failed before: no lone surrogate is left
    assert str(doc_iri(article.id))


def test_hardening_deep_json_nesting_is_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("[" * 100_000 + "\n" + '{"text": "Workers struck."}\n', encoding="utf-8")
    problems: list[str] = []
    articles = list(read_sources([str(path)], on_problem=problems.append))
    assert [a.text for a in articles] == ["Workers struck."]
    assert problems == [f"{path.as_posix()}:1: not valid JSON (nested too deeply), skipped"]
    problems.clear()
    assert list(read_sources(["-"], on_problem=problems.append, stdin=io.StringIO("[" * 100_000))) != [] \
        or problems  # standard input: the same text is one text article or a reported problem, never a crash


@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "-1"])
def test_hardening_timeouts_must_be_real_numbers_of_seconds(harbor_store_path: Path, value: str) -> None:
    for command in (["query", "negotiations", "--store", str(harbor_store_path), "--timeout", value],
                    ["serve", "--store", str(harbor_store_path), "--timeout", value]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2 and "Invalid value for '--timeout'" in result.stderr
        assert "Traceback" not in result.stderr


# --- 7. silent or stale results ------------------------------------------------------------------------------


def test_hardening_an_unreadable_subfolder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text("Workers struck.", encoding="utf-8")
    (tmp_path / "in" / "locked" / "b.txt").write_text("Workers struck again.", encoding="utf-8")
    real = os.scandir

    def scandir(path: object = ".") -> object:  # root reads anything, so the refusal is simulated
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    problems: list[str] = []
    articles = list(read_sources([str(tmp_path / "in")], on_problem=problems.append))
    assert [a.id for a in articles] == ["a.txt"]
    assert problems == [f"{(tmp_path / 'in' / 'locked').as_posix()}: cannot read folder: Permission denied, skipped"]
    with pytest.raises(InputError, match="cannot read folder: Permission denied$"):
        list(read_sources([str(tmp_path / "in")], strict=True))


def test_hardening_a_fifo_in_a_folder_is_reported_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("The Harbor Pilots Union opened talks with Tidewater Freight.", encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    result = subprocess.run([NEWSGRAPH, "build", str(folder), "--store", str(tmp_path / "s.store")],
                            capture_output=True, text=True, timeout=300)  # it used to hang here for ever
    assert result.returncode == 3, result.stderr
    assert f"warning: {(folder / 'pipe.txt').as_posix()}: not a regular file (a FIFO, socket or device), skipped" \
        in result.stderr.splitlines()


def test_hardening_ids_never_share_a_document(fake_nlp, tmp_path: Path) -> None:
    from conftest import HARBOR_TEXTS

    assert doc_iri("Story-1") != doc_iri("story 1") != doc_iri("story-1")
    crafted = str(doc_iri("story 1")).rsplit("/", 1)[1]  # an id spelled like another id's document name
    assert doc_iri(crafted) == doc_iri("story 1")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "story 1", "text": HARBOR_TEXTS[0]}) + "\n"
                      + json.dumps({"id": crafted, "text": HARBOR_TEXTS[1]}) + "\n", encoding="utf-8")
    problems: list[str] = []
    summary = pipeline.build([str(source)], tmp_path / "s.store", on_problem=problems.append)
    assert summary.built == 1
    assert problems == [f"{source.as_posix()}:2: article id {crafted!r} has the document IRI of article 'story 1' "
                        "in this build, skipped"]
    gc.collect()
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps({"id": crafted, "text": HARBOR_TEXTS[1]}) + "\n", encoding="utf-8")
    problems.clear()
    assert pipeline.build([str(again)], tmp_path / "s.store", on_problem=problems.append).built == 0
    assert problems == [f"{again.as_posix()}:1: article id {crafted!r} has the document IRI of article 'story 1' in "
                        "the store, skipped"]


def test_hardening_an_empty_store_location_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["build", "x.txt", "--store", ""], ["stats", "--store", " "], ["serve", "--store", ""]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2 and "is empty" in result.stderr
    with pytest.raises(StoreError, match="the store location is empty"):
        open_store("")
    assert list(tmp_path.iterdir()) == []  # no store written into the current folder


def test_hardening_min_confidence_nan_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "x.txt", "--store", str(tmp_path / "s"), "--min-confidence", "nan"])
    assert result.exit_code == 2 and "Invalid value for '--min-confidence'" in result.stderr
    with pytest.raises(InputError, match="from 0 to 1"):
        pipeline.build(["x.txt"], tmp_path / "s", min_confidence=float("nan"))


# --- 9. corruption and partial files -------------------------------------------------------------------------


@pytest.fixture()
def damaged(tmp_path: Path) -> Path:
    """A store with one 4 KB block of its largest data file zeroed, as in the adversarial run."""
    path = tmp_path / "damaged.store"
    store = ox.Store(str(path))
    store.bulk_extend(
        ox.Quad(ox.NamedNode(f"urn:x:s{i % 997}"), ox.NamedNode(f"urn:x:p{i % 13}"), ox.Literal(f"value {i}"),
                ox.NamedNode(f"urn:x:g{i % 50}"))
        for i in range(60_000))
    store.flush()
    del store
    gc.collect()
    largest = max(path.glob("*.sst"), key=lambda f: f.stat().st_size)
    with open(largest, "r+b") as data:
        data.seek(largest.stat().st_size // 2 // 4096 * 4096)
        data.write(bytes(4096))
    return path


def test_hardening_check_and_validate_report_a_damaged_store(damaged: Path) -> None:
    for command in ("check", "validate"):
        result = subprocess.run([NEWSGRAPH, command, "--store", str(damaged)], capture_output=True, text=True,
                                timeout=600)
        assert _one_error(result).startswith(f"error: store {damaged} is damaged: ")


def test_hardening_check_passes_a_sound_store(harbor_store_path: Path) -> None:
    result = _cli("check", "--store", str(harbor_store_path))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"store {harbor_store_path} is sound: ") and "read in 7 orders" in result.stdout


def _file_size_limit(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) like a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("fmt", ["turtle", "csv"])
def test_hardening_export_to_a_full_disk_leaves_the_old_file(harbor_store_path: Path, tmp_path: Path,
                                                            fmt: str) -> None:
    target = tmp_path / ("out.ttl" if fmt == "turtle" else "out")
    old = tmp_path / "out" / "nodes.csv" if fmt == "csv" else target
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text("the previous export\n", encoding="utf-8")
    result = subprocess.run([NEWSGRAPH, "export", "--store", str(harbor_store_path), "--format", fmt, "-o",
                             str(target)], capture_output=True, text=True, timeout=120,
                            preexec_fn=lambda: _file_size_limit(600))
    assert "cannot write" in _one_error(result)
    assert old.read_text(encoding="utf-8") == "the previous export\n"
    assert not [p for p in tmp_path.rglob("*.part")]


def test_hardening_render_to_a_full_disk_leaves_the_old_page(harbor_store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.html"
    target.write_text("the previous page\n", encoding="utf-8")
    result = subprocess.run([NEWSGRAPH, "render", "--store", str(harbor_store_path), "-o", str(target)],
                            capture_output=True, text=True, timeout=120, preexec_fn=lambda: _file_size_limit(4096))
    assert "cannot write" in _one_error(result)
    assert target.read_text(encoding="utf-8") == "the previous page\n"
    assert not [p for p in tmp_path.rglob("*.part")]


# --- 10. smaller ones ----------------------------------------------------------------------------------------


def test_hardening_a_file_name_with_a_newline_is_one_warning_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad\nname.txt").write_bytes(b"")
    problems: list[str] = []
    assert list(read_sources([str(folder)], on_problem=problems.append)) == []
    assert problems[0] == f"{folder.as_posix()}/bad\\nname.txt: empty file, skipped"


def test_hardening_render_query_with_a_select_is_one_error_line(harbor_store_path: Path, tmp_path: Path) -> None:
    result = _cli("render", "--store", str(harbor_store_path), "-o", str(tmp_path / "g.html"), "--query",
                  "SELECT ?s WHERE { ?s ?p ?o }")
    assert _one_error(result).startswith("error: render --query needs a CONSTRUCT or DESCRIBE query")
    assert not (tmp_path / "g.html").exists()
