"""`newsgraph serve`: the Oxigraph server over our store folder answers SPARQL protocol clients as `query` does."""
from __future__ import annotations

import gc
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import free_port
from rdflib.compare import isomorphic

from graph.errors import QueryError, StoreError, StoreLockedError
from graph.store.embedded import query_path
from graph.store.serve import ServeError, Server, server_command, start_server, stop_server

NEWSGRAPH = Path(sys.executable).parent / "newsgraph"
LEADERS = (
    "PREFIX ng: <https://w3id.org/newsgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?person ?name ?org WHERE { ?person ng:leads ?org ; rdfs:label ?name }"
)
CONSTRUCT = "PREFIX ng: <https://w3id.org/newsgraph/ontology#> CONSTRUCT { ?s ng:negotiatesWith ?o } WHERE " \
            "{ ?s ng:negotiatesWith ?o }"
ASK = "PREFIX ng: <https://w3id.org/newsgraph/ontology#> ASK { ?s ng:memberOf ?o }"
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


@pytest.fixture()
def served(harbor_store_path: Path) -> Iterator[Server]:
    server = start_server(harbor_store_path, port=free_port(), timeout=10)
    try:
        yield server
    finally:
        stop_server(server)


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read()


def rows(fmt: str, body: bytes) -> list[tuple[str, ...]]:
    """SPARQL results in any of the four formats as their header and sorted rows (order is not promised)."""
    if fmt == "csv":  # lossy, so pyoxigraph does not parse it: compare the lines
        header, *lines = body.decode().splitlines()
        return [tuple(header.split(",")), *sorted(tuple(line.split(",")) for line in lines)]
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.from_media_type(MEDIA[fmt]))
    names = [v.value for v in parsed.variables]
    return [tuple(names), *sorted(tuple(str(solution[name]) for name in names) for solution in parsed)]


@pytest.mark.parametrize("fmt", sorted(MEDIA))
@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
def test_serve_answers_like_query(served: Server, harbor_store_path: Path, fmt: str, method: str) -> None:
    accept = {"Accept": MEDIA[fmt]}
    if method == "GET":
        answer = http(f"{served.url}/query?{urllib.parse.urlencode({'query': LEADERS})}", headers=accept)
    elif method == "POST-form":
        form = urllib.parse.urlencode({"query": LEADERS}).encode()
        answer = http(f"{served.url}/query", form, {**accept, "Content-Type": "application/x-www-form-urlencoded"})
    else:
        answer = http(f"{served.url}/query", LEADERS.encode(), {**accept, "Content-Type": "application/sparql-query"})
    status, media_type, body = answer
    assert (status, media_type) == (200, MEDIA[fmt])
    expected = query_path(harbor_store_path, LEADERS, fmt).encode()
    assert rows(fmt, body) == rows(fmt, expected)
    assert len(rows(fmt, body)) == 2  # a header and Mara Quill leads the union: the union default graph is served


def test_serve_construct_as_turtle_is_the_query_graph(served: Server, harbor_store_path: Path) -> None:
    status, media_type, body = http(
        f"{served.url}/query?{urllib.parse.urlencode({'query': CONSTRUCT})}", headers={"Accept": "text/turtle"}
    )
    assert (status, media_type) == (200, "text/turtle")
    served_graph = rdflib.Graph().parse(data=body.decode(), format="turtle")
    local_graph = rdflib.Graph().parse(data=query_path(harbor_store_path, CONSTRUCT), format="turtle")
    assert len(served_graph) == 2
    assert isomorphic(served_graph, local_graph)


def test_serve_ask_as_json(served: Server) -> None:
    status, _, body = http(f"{served.url}/query?{urllib.parse.urlencode({'query': ASK})}",
                           headers={"Accept": MEDIA["json"]})
    assert status == 200
    assert json.loads(body)["boolean"] is True


def test_serve_is_read_only_by_default(served: Server, harbor_store_path: Path) -> None:
    update = b"INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    status, _, _ = http(f"{served.url}/update", update, {"Content-Type": "application/sparql-update"})
    assert status == 403
    assert query_path(harbor_store_path, "ASK { <urn:x:a> ?p ?o }", "csv") == "false\n"


def test_serve_answers_sparqlwrapper(served: Server, harbor_store_path: Path) -> None:
    sparqlwrapper = pytest.importorskip("SPARQLWrapper")
    client = sparqlwrapper.SPARQLWrapper(f"{served.url}/query")
    client.setQuery(LEADERS)
    client.setReturnFormat(sparqlwrapper.JSON)
    answer = client.query().convert()
    expected = json.loads(query_path(harbor_store_path, LEADERS, "json"))
    assert answer["head"] == expected["head"]
    key = lambda binding: json.dumps(binding, sort_keys=True)  # noqa: E731
    assert sorted(answer["results"]["bindings"], key=key) == sorted(expected["results"]["bindings"], key=key)


def test_serve_refuses_a_port_in_use(harbor_store_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=f"port {port} on 127.0.0.1 is already in use"):
            start_server(harbor_store_path, port=port)


def test_serve_refuses_a_store_held_by_a_build(harbor_store_path: Path) -> None:
    # The lock must be held by another process: POSIX record locks never block their own process.
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, pyoxigraph
            store = pyoxigraph.Store({str(harbor_store_path)!r})
            print("open", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreLockedError, match="in use by another process"):
            start_server(harbor_store_path, port=free_port())
    finally:
        holder.kill()
        holder.wait()


def test_serve_without_a_store_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        start_server(tmp_path / "missing.store", port=free_port())
    assert not (tmp_path / "missing.store").exists()


@pytest.mark.parametrize(("timeout", "writable", "expected"), [
    (30.0, False, ["serve-read-only", "--timeout-s", "30"]),
    (0.2, False, ["serve-read-only", "--timeout-s", "1"]),
    (2.5, True, ["serve", "--timeout-s", "3"]),
    (None, True, ["serve"]),
])
def test_serve_command_line(timeout: float | None, writable: bool, expected: list[str]) -> None:
    command = server_command("oxigraph", Path("s"), "127.0.0.1", 7000, timeout, writable)
    assert command[1] == expected[0]
    assert command[2:7] == ["--location", "s", "--bind", "127.0.0.1:7000", "--union-default-graph"]
    assert command[7:] == expected[1:]


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_cli_serves_until_interrupted(harbor_store_path: Path, stop_signal: signal.Signals) -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(NEWSGRAPH), "serve", "--store", str(harbor_store_path), "--port", str(port)],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert f"at http://127.0.0.1:{port}/query" in line
        status, _, body = http(f"http://127.0.0.1:{port}/query?{urllib.parse.urlencode({'query': ASK})}",
                               headers={"Accept": MEDIA["csv"]})
        assert (status, body.strip()) == (200, b"true")
    finally:
        process.send_signal(stop_signal)
        assert process.wait(timeout=20) == 0  # Ctrl-C or a service manager's stop: how a server is meant to end
    with pytest.raises(OSError):  # the Oxigraph child went with it
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_serve_cli_port_in_use_is_one_error_line(harbor_store_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(NEWSGRAPH), "serve", "--store", str(harbor_store_path), "--port", str(port)],
            capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr == f"error: port {port} on 127.0.0.1 is already in use; pick another with --port\n"


def test_serve_timeout_stops_a_runaway_query(tmp_path: Path) -> None:
    # A thousand triples joined three ways is 10^9 rows to count: minutes of work, stopped after about 1 s.
    path = tmp_path / "wide.store"
    store = ox.Store(str(path))
    graph_name = ox.NamedNode("urn:x:g")
    store.extend(ox.Quad(ox.NamedNode(f"urn:x:s{i}"), ox.NamedNode("urn:x:p"), ox.Literal(str(i)), graph_name)
                 for i in range(1000))
    store.flush()
    del store
    gc.collect()
    server = start_server(path, port=free_port(), timeout=1)
    try:
        started = time.monotonic()
        with pytest.raises(QueryError, match="cancelled"):
            query_path(server.url, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "json")
        assert time.monotonic() - started < 15
    finally:
        stop_server(server)


def test_serve_construct_without_accept_is_n_quads_as_documented(served: Server, root: Path) -> None:
    # The README says what a client gets without an Accept header; Turtle needs `Accept: text/turtle`.
    status, media_type, body = http(f"{served.url}/query?{urllib.parse.urlencode({'query': CONSTRUCT})}")
    assert (status, media_type) == (200, "application/n-quads")
    assert len(rdflib.Dataset().parse(data=body.decode(), format="nquads")) == 2
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    assert "without an `Accept` header a CONSTRUCT answers N-Quads" in readme


def test_serve_missing_server_names_the_serve_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import graph.store.engine as engine

    monkeypatch.setattr(engine.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setattr(engine.shutil, "which", lambda name: None)
    with pytest.raises(ServeError, match=r"pip install 'newsgraph\[serve\]'"):
        engine.server_binary()
