"""Remote stores: `--store URL` builds into a SPARQL 1.1 server and reads back what an embedded build holds."""
from __future__ import annotations

import base64
import gc
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import free_port
from rdflib.compare import isomorphic

from graph.cli import main
from graph.errors import QueryError, StoreError
from graph.pipeline import build as pipeline
from graph.store.embedded import export, open_store, query, store_graph, write_articles
from graph.store.remote import PASSWORD_ENV, USER_ENV, endpoints, is_remote
from graph.store.serve import Server

SECRET = "s3cret-Pa55"




@pytest.fixture()
def local_store(fake_nlp, sources: Path, tmp_path: Path) -> Path:
    path = tmp_path / "local.store"
    pipeline.build([str(sources)], path)
    gc.collect()  # release the lock so the CLI can open it
    return path


@pytest.mark.parametrize(("url", "update_url", "expected"), [
    ("http://localhost:7878", None, ("http://localhost:7878/query", "http://localhost:7878/update")),
    ("http://localhost:7878/", None, ("http://localhost:7878/query", "http://localhost:7878/update")),
    ("https://db.example.org:3030/ds/query", None,
     ("https://db.example.org:3030/ds/query", "https://db.example.org:3030/ds/update")),
    ("http://h/ds/sparql", "http://h/ds/update", ("http://h/ds/sparql", "http://h/ds/update")),
])
def test_remote_endpoints(url: str, update_url: str | None, expected: tuple[str, str]) -> None:
    assert endpoints(url, update_url) == expected


@pytest.mark.parametrize(("location", "remote"), [
    ("http://localhost:7878", True), ("HTTPS://h/q", True), ("newsgraph.store", False),
    ("http.store", False), (Path("http://x"), False),
])
def test_remote_is_remote(location: object, remote: bool) -> None:
    assert is_remote(location) is remote


@pytest.mark.parametrize("url", [f"http://ann:{SECRET}@localhost:7878", f"http://{SECRET}@localhost:7878/query"])
def test_remote_credentials_in_the_url_are_refused_unechoed(url: str) -> None:
    with pytest.raises(StoreError, match=USER_ENV) as caught:
        open_store(url)
    assert SECRET not in str(caught.value)


def test_remote_build_equals_the_embedded_build(fake_nlp, sources: Path, local_store: Path,
                                                writable_server: Server) -> None:
    summary = pipeline.build([str(sources)], writable_server.url, batch_size=1)
    assert (summary.built, summary.store) == (2, f"{writable_server.url}/query")
    remote = open_store(writable_server.url, read_only=True)
    local = open_store(local_store, read_only=True)
    assert isomorphic(store_graph(remote), store_graph(local))
    assert len(store_graph(remote)) > 40
    for fmt in ("nq", "turtle"):
        assert export(remote, fmt) == export(local, fmt)


def test_remote_build_is_idempotent(fake_nlp, sources: Path, writable_server: Server) -> None:
    pipeline.build([str(sources)], writable_server.url)
    before = export(open_store(writable_server.url, read_only=True), "nq")
    again = pipeline.build([str(sources)], writable_server.url)
    assert (again.built, again.skipped) == (0, 2)
    forced = pipeline.build([str(sources)], writable_server.url, force=True)
    assert forced.built == 2
    assert export(open_store(writable_server.url, read_only=True), "nq") == before


def test_remote_build_with_a_separate_update_url(fake_nlp, sources: Path, local_store: Path,
                                                 writable_server: Server) -> None:
    result = CliRunner().invoke(main, [
        "build", str(sources), "--store", f"{writable_server.url}/query?x=1",
        "--update-url", f"{writable_server.url}/update",
    ], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    remote = open_store(writable_server.url, read_only=True)
    assert export(remote, "nq") == export(open_store(local_store, read_only=True), "nq")


@pytest.mark.parametrize("command", [
    ["query", "leaders", "--format", "json"],
    ["query", "PREFIX ng: <https://w3id.org/newsgraph/ontology#> CONSTRUCT WHERE { ?s ng:leads ?o }"],
    ["query", "ASK { ?s ?p ?o }", "--format", "csv", "--timeout", "20"],
    ["export", "--format", "trig"],
    ["stats"],
    ["validate"],
])
def test_remote_cli_reads_like_the_embedded_store(fake_nlp, sources: Path, local_store: Path,
                                                   writable_server: Server, command: list[str]) -> None:
    pipeline.build([str(sources)], writable_server.url)
    runner = CliRunner()
    from_server = runner.invoke(main, [*command, "--store", writable_server.url], catch_exceptions=False)
    from_folder = runner.invoke(main, [*command, "--store", str(local_store)], catch_exceptions=False)
    assert from_server.exit_code == from_folder.exit_code == 0, from_server.output
    assert from_server.stdout_bytes == from_folder.stdout_bytes
    assert from_server.stdout_bytes.strip()


def test_remote_render_draws_the_same_graph(fake_nlp, sources: Path, local_store: Path, writable_server: Server,
                                            tmp_path: Path) -> None:
    pipeline.build([str(sources)], writable_server.url)
    pages = []
    for store, name in ((writable_server.url, "server.html"), (str(local_store), "local.html")):
        result = CliRunner().invoke(main, ["render", "--store", store, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        pages.append((tmp_path / name).read_bytes())
    assert pages[0] == pages[1]


def test_remote_store_environment_variable(fake_nlp, sources: Path, writable_server: Server, monkeypatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_STORE", writable_server.url)
    assert CliRunner().invoke(main, ["build", str(sources)]).exit_code == 0
    result = CliRunner().invoke(main, ["query", "ASK { ?s ?p ?o }", "--format", "csv"])
    assert result.stdout == "true\n"


def test_remote_read_only_handle_refuses_writes(writable_server: Server, harbor_graphs) -> None:
    with pytest.raises(StoreError, match="read-only"):
        write_articles(open_store(writable_server.url, read_only=True), harbor_graphs)


def test_remote_unreachable_server_is_one_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match=f"cannot reach the SPARQL server at {url}/query"):
        open_store(url)


class _GuardedEndpoint(BaseHTTPRequestHandler):
    """A stand-in SPARQL server: Basic auth as ann/SECRET, answers ASK true, or a cut-off answer at /broken."""

    expected = "Basic " + base64.b64encode(f"ann:{SECRET}".encode()).decode()
    seen: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 -- the http.server interface
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.seen.append(self.headers.get("Authorization", ""))
        if self.headers.get("Authorization") != self.expected:
            self._answer(401, "text/plain", b"Unauthorized")
        elif self.path.startswith("/broken") and len(self.seen) > 1:
            self._answer(200, "application/sparql-results+json", b'{"head":{"vars":["n"]},"results":{"bindings":[')
        else:
            self._answer(200, "application/sparql-results+json", b'{"head":{},"boolean":true}')

    def _answer(self, status: int, media_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture()
def guarded() -> Iterator[str]:
    _GuardedEndpoint.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GuardedEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_remote_basic_auth_comes_from_the_environment(guarded: str, monkeypatch) -> None:
    monkeypatch.delenv(USER_ENV, raising=False)
    with pytest.raises(StoreError, match=f"HTTP 401.*set {USER_ENV} and {PASSWORD_ENV}"):
        open_store(guarded)
    monkeypatch.setenv(USER_ENV, "ann")
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    with pytest.raises(StoreError, match="check the credentials") as caught:
        open_store(guarded)
    assert "wrong" not in str(caught.value)
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    store = open_store(guarded, read_only=True)
    assert query(store, "ASK {}", "csv") == "true\n"
    assert SECRET not in repr(store)
    assert _GuardedEndpoint.seen[-1] == _GuardedEndpoint.expected


def test_remote_cut_off_answer_is_a_query_error(guarded: str, monkeypatch) -> None:
    monkeypatch.setenv(USER_ENV, "ann")
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    store = open_store(f"{guarded}/broken/query", read_only=True)
    with pytest.raises(QueryError, match="answer is broken"):
        query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "json")


# --- hardening: redirects, secrets, deadlines, answer size and kind ---------------------------------------


class _Hostile(BaseHTTPRequestHandler):
    """A stand-in server: /redirect-away and /redirect-here redirect, /silent never answers, /endless streams
    without end, /boolean answers every query with `true`. Records the Authorization headers it gets."""

    seen: list[str] = []
    away = ""

    def do_POST(self) -> None:  # noqa: N802 -- the http.server interface
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.seen.append(self.headers.get("Authorization", ""))
        if self.path.startswith("/redirect-away"):
            self._redirect(self.away + "/query")
        elif self.path.startswith("/redirect-here"):
            self._redirect("/query")
        elif self.path.startswith("/silent"):
            threading.Event().wait(30)
        elif self.path.startswith("/endless"):
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            try:
                for _ in range(100_000):
                    self.wfile.write(b" " * 65536)
            except OSError:
                pass
        else:
            body = b'{"head":{},"boolean":true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(307)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def hostile() -> Iterator[tuple[str, str]]:
    """(a hostile server's URL, another host's URL: 127.0.0.2, which records what reaches it)."""
    _Hostile.seen = []
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _Hostile), ThreadingHTTPServer(("127.0.0.2", 0), _Hostile)]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    _Hostile.away = f"http://127.0.0.2:{servers[1].server_address[1]}"
    try:
        yield f"http://127.0.0.1:{servers[0].server_address[1]}", _Hostile.away
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def test_remote_credentials_never_follow_a_redirect_to_another_host(hostile: tuple[str, str], monkeypatch) -> None:
    here, away = hostile
    monkeypatch.setenv(USER_ENV, "ann")
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    result = CliRunner().invoke(main, ["stats", "--store", f"{here}/redirect-away/query"])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {here}/redirect-away/query redirected (HTTP 307) to {away}/query: redirects to "
                             "another host are refused (the credentials stay with the host configured); give the "
                             "final URL as --store\n")
    assert len(_Hostile.seen) == 1  # the configured host only; the other host got nothing at all
    with pytest.raises(StoreError, match="redirects are not followed"):
        open_store(f"{here}/redirect-here/query")


@pytest.mark.parametrize("url", ["http://user:secret@", "http://ann:secret@localhost:1/query",
                                 "http://:secret@host/x", "https://secret@host"])
def test_remote_an_error_never_prints_the_password(url: str) -> None:
    result = CliRunner().invoke(main, ["stats", "--store", url])
    assert result.exit_code == 1 and "secret" not in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("url", ["http://host\n/query", "http://host/que ry", "http://ho\x00st/", "http://[::1/x"])
def test_remote_a_malformed_url_is_one_error_line(url: str) -> None:
    result = CliRunner().invoke(main, ["stats", "--store", url])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_remote_a_server_that_never_answers_times_out(hostile: tuple[str, str], monkeypatch) -> None:
    import time

    monkeypatch.setenv("NEWSGRAPH_TIMEOUT", "1")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["stats", "--store", f"{hostile[0]}/silent/query"])
    assert time.monotonic() - started < 10
    assert result.exit_code == 1
    assert result.stderr == f"error: {hostile[0]}/silent/query did not answer within 1 s\n"


def test_remote_an_endless_answer_is_cut_at_the_size_limit(hostile: tuple[str, str], monkeypatch) -> None:
    import resource

    monkeypatch.setenv("NEWSGRAPH_MAX_ANSWER_MB", "8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = CliRunner().invoke(main, ["stats", "--store", f"{hostile[0]}/endless/query"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {hostile[0]}/endless/query sent an answer over 8 MB")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KB: bounded, not GB


def test_remote_a_boolean_for_a_select_is_an_error(hostile: tuple[str, str]) -> None:
    result = CliRunner().invoke(main, ["stats", "--store", f"{hostile[0]}/boolean/query"])
    assert result.exit_code == 1
    assert result.stderr == "error: the SPARQL server answered a SELECT query with a boolean\n"


def test_remote_403_of_a_read_only_server_does_not_blame_the_credentials(fake_nlp, sources: Path,
                                                                        harbor_store_path: Path, monkeypatch) -> None:
    from graph.store.serve import start_server, stop_server

    monkeypatch.setenv(USER_ENV, "ann")
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    server = start_server(harbor_store_path, port=free_port())
    try:
        with pytest.raises(StoreError) as caught:
            pipeline.build([str(sources)], server.url, force=True)
    finally:
        stop_server(server)
    assert "HTTP 403" in str(caught.value) and "read-only" in str(caught.value)
    assert "credentials" not in str(caught.value)
