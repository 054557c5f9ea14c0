"""The guard in front of `newsgraph serve`: every attack runs against a real serve process and its engine.

One request must not kill the endpoint (deep nesting), hold it past the deadline (a cross product), reach the
network (SERVICE, LOAD), or leave an engine behind (kill -9 of the wrapper); a crashed engine is restarted,
and one that cannot be restarted ends `serve` with exit 1 and the reason.
"""
from __future__ import annotations

import gc
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import free_port

from graph.store.sparql import MAX_DEPTH, MAX_TERMS, check_shape

NEWSGRAPH = Path(sys.executable).parent / "newsgraph"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CROSS_SORT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
CROSS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class Serving:
    process: subprocess.Popen[str]
    url: str
    port: int
    store: Path

    def engine_pid(self) -> int:
        """The Oxigraph child of the serve process (Linux /proc)."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
            if children:
                return int(children[0])
            time.sleep(0.05)
        raise AssertionError("serve has no engine process")


def _wide_store(path: Path, size: int = 1000) -> Path:
    """`size` triples in one graph: joined three ways they are 10^9 rows, minutes of work."""
    store = ox.Store(str(path))
    graph_name = ox.NamedNode("urn:x:g")
    store.extend(ox.Quad(ox.NamedNode(f"urn:x:s{i}"), ox.NamedNode("urn:x:p"), ox.Literal(str(i)), graph_name)
                 for i in range(size))
    store.flush()
    del store
    gc.collect()
    return path


def _serve(store: Path, *options: str, port: int | None = None) -> Serving:
    port = port or free_port()
    process = subprocess.Popen(
        [str(NEWSGRAPH), "serve", "--store", str(store), "--port", str(port), *options],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line.startswith("serving "), line + process.stderr.read()
    return Serving(process, f"http://127.0.0.1:{port}", port, store)


def _stop(serving: Serving) -> str:
    if serving.process.poll() is None:
        serving.process.send_signal(signal.SIGINT)
    try:
        _, err = serving.process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        serving.process.kill()
        _, err = serving.process.communicate()
    return err


@pytest.fixture()
def wide(tmp_path: Path) -> Iterator[Serving]:
    serving = _serve(_wide_store(tmp_path / "wide.store"), "--timeout", "1")
    try:
        yield serving
    finally:
        _stop(serving)


def http(url: str, sparql: str, method: str = "GET", timeout: float = 60, field: str = "query") -> tuple[int, bytes]:
    if method == "GET":
        request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({field: sparql})}")
    elif method == "form":
        request = urllib.request.Request(url, data=urllib.parse.urlencode({field: sparql}).encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        kind = "application/sparql-query" if field == "query" else "application/sparql-update"
        request = urllib.request.Request(url, data=sparql.encode(), headers={"Content-Type": kind})
    request.add_header("Accept", "text/csv")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _alive(serving: Serving) -> None:
    assert http(f"{serving.url}/query", COUNT) == (200, b"n\r\n1000\r\n")


def test_guard_deep_nesting_is_refused_and_the_endpoint_lives(wide: Serving) -> None:
    attack = "SELECT * WHERE " + "{" * 5000 + "}" * 5000  # 10 KB: this one request killed the Oxigraph server
    engine = wide.engine_pid()
    for method in ("GET", "form", "direct"):
        status, body = http(f"{wide.url}/query", attack, method)
        assert status == 400
        assert body == f"SPARQL: brackets nest 5000 deep in the query; at most {MAX_DEPTH} levels are accepted\n" \
            .encode()
    _alive(wide)
    assert wide.engine_pid() == engine  # never even reached the engine


# The largest queries the checks let through, of every shape that makes the engine recurse: it survives them all.
SHAPES = {
    "nested functions": lambda n: "SELECT * WHERE { BIND(" + "STR(" * n + "1" + ")" * n + " AS ?x) }",
    "nested EXISTS": lambda n: "SELECT * WHERE { FILTER(" + "EXISTS { FILTER(" * n + "true" + ")}" * n + ") }",
    "OPTIONAL chain": lambda n: "SELECT * WHERE { " + "OPTIONAL { ?a ?b ?c } " * n + " }",
    "UNION chain": lambda n: "SELECT * WHERE { {}" + " UNION {}" * n + " }",
    "sum chain": lambda n: "SELECT * WHERE { BIND(" + "1+" * n + "1 AS ?x) }",
    "or chain": lambda n: "SELECT * WHERE { FILTER(" + "?x||" * n + "true) }",
    "blank node nesting": lambda n: "SELECT * WHERE { ?s <urn:p> " + "[ <urn:p> " * n + "1" + " ]" * n + " }",
    "sub-selects": lambda n: "SELECT * WHERE " + "{ SELECT * WHERE " * n + "{}" + "}" * n,
    "MINUS chain": lambda n: "SELECT * WHERE { ?a ?b ?c " + "MINUS { ?a ?b ?c } " * n + " }",
}


def _largest(make) -> str:  # noqa: ANN001 -- int -> query text
    n = 1
    while True:
        try:
            check_shape(make(n + 1))
        except Exception:  # noqa: BLE001 -- any refusal ends the search
            return make(n)
        n += 1


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    """A store of one triple, so evaluation is instant and only the query's own shape can hurt."""
    serving = _serve(_wide_store(tmp_path_factory.mktemp("tiny") / "tiny.store", 1), "--timeout", "10")
    try:
        yield serving
    finally:
        _stop(serving)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_guard_the_largest_admitted_queries_leave_the_engine_alive(tiny: Serving, shape: str) -> None:
    sparql = _largest(SHAPES[shape])
    with pytest.raises(Exception):  # noqa: B017 -- far beyond is refused
        check_shape(SHAPES[shape](len(sparql)))
    engine = tiny.engine_pid()
    status, _ = http(f"{tiny.url}/query", sparql)
    assert status == 200
    assert http(f"{tiny.url}/query", COUNT) == (200, b"n\r\n1\r\n")
    assert tiny.engine_pid() == engine


def test_guard_limits_in_numbers() -> None:
    assert (MAX_DEPTH, MAX_TERMS) == (64, 1000)  # the README states them


@pytest.mark.parametrize("sparql", [CROSS_SORT, CROSS_COUNT])
def test_guard_deadline_stops_any_query_and_frees_the_engine(wide: Serving, sparql: str) -> None:
    engine = wide.engine_pid()
    started = time.monotonic()
    status, body = http(f"{wide.url}/query", sparql)
    elapsed = time.monotonic() - started
    assert status == 503 and b"cancelled" in body
    assert elapsed < 1 + 5 + 5  # timeout, grace, restart
    _alive(wide)
    if wide.engine_pid() != engine:  # the engine ignored its own timeout: it was killed, not left running
        assert not Path(f"/proc/{engine}").exists()
    stat = Path(f"/proc/{wide.engine_pid()}/stat").read_text().split()
    before = int(stat[13]) + int(stat[14])
    time.sleep(1)
    stat = Path(f"/proc/{wide.engine_pid()}/stat").read_text().split()
    assert int(stat[13]) + int(stat[14]) - before < 50  # under half a core: nothing keeps running


@pytest.mark.parametrize("method", ["GET", "form", "direct"])
@pytest.mark.parametrize("sparql", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p ?o } # """\nSERVICE SILENT <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } # """',
    "select * { { ?s ?p ?o } union { service <http://127.0.0.1:{port}/> { ?s ?p ?o } } }",
])
def test_guard_service_never_reaches_the_network(wide: Serving, method: str, sparql: str) -> None:
    received: list[bytes] = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        port = listener.getsockname()[1]

        def accept() -> None:
            try:
                connection, _ = listener.accept()
                received.append(connection.recv(1024))
                connection.close()
            except OSError:
                pass

        thread = threading.Thread(target=accept)
        thread.start()
        status, body = http(f"{wide.url}/query", sparql.replace("{port}", str(port)), method)
        thread.join()
    assert status == 400 and body.startswith(b"SERVICE clauses fetch data from the network")
    assert received == []


def test_guard_one_query_parameter_exactly(wide: Serving) -> None:
    url = f"{wide.url}/query?{urllib.parse.urlencode([('query', COUNT), ('query', COUNT)])}"
    try:
        urllib.request.urlopen(url, timeout=30)
        raise AssertionError("two query parameters were accepted")
    except urllib.error.HTTPError as exc:
        assert exc.code == 400 and exc.read() == b"give exactly one 'query' parameter (got 2)\n"


def test_guard_writable_refuses_service_and_load_in_updates(tmp_path: Path) -> None:
    serving = _serve(tmp_path / "w.store", "--writable")
    try:
        for update in ("LOAD <http://127.0.0.1:9/data.ttl>",
                       "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"):
            status, body = http(f"{serving.url}/update", update, "direct", field="update")
            assert status == 400 and b"fetches data from the network" in body
        status, _ = http(f"{serving.url}/update", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "direct",
                         field="update")
        assert status == 204
        assert http(f"{serving.url}/query", "ASK { <urn:a> <urn:b> <urn:c> }") == (200, b"true")
    finally:
        _stop(serving)


def test_guard_restarts_a_crashed_engine(wide: Serving) -> None:
    engine = wide.engine_pid()
    # What the guard refuses, sent to the engine's private port behind its back: the engine aborts.
    command = Path(f"/proc/{engine}/cmdline").read_bytes().decode().split("\0")
    private = command[command.index("--bind") + 1]
    try:
        answer: object = http(f"http://{private}/query", "SELECT * WHERE " + "{" * 20000 + "}" * 20000, "direct")
    except OSError as exc:  # the connection dies with the engine
        answer = exc
    assert not isinstance(answer, tuple), answer
    deadline = time.monotonic() + 20
    while wide.engine_pid() == engine and time.monotonic() < deadline:
        time.sleep(0.1)
    _alive(wide)
    assert wide.process.poll() is None
    err = _stop(wide)
    assert "the SPARQL engine stopped (signal SIGABRT" in err and "restarting the SPARQL engine" in err


def test_guard_exits_1_when_the_engine_cannot_come_back(tmp_path: Path) -> None:
    store = _wide_store(tmp_path / "gone.store", 10)
    serving = _serve(store)
    engine = serving.engine_pid()
    shutil.rmtree(store)  # the next engine has nothing to open
    os.kill(engine, signal.SIGKILL)
    assert serving.process.wait(timeout=60) == 1
    assert serving.process.stderr is not None
    last = serving.process.stderr.read().splitlines()[-1]
    assert last.startswith("error: the SPARQL engine cannot be restarted: ")
    assert "Traceback" not in last


def test_guard_engine_dies_with_a_killed_wrapper(tmp_path: Path) -> None:
    serving = _serve(_wide_store(tmp_path / "s.store", 10))
    engine = serving.engine_pid()
    serving.process.kill()  # kill -9: no cleanup runs in the wrapper
    serving.process.wait()
    deadline = time.monotonic() + 10
    while not _gone(engine) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(engine)


def _gone(pid: int) -> bool:
    """True when `pid` has ended (no process, or a zombie left for init to reap)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_guard_restart_on_the_same_port_right_after_a_stop(tmp_path: Path) -> None:
    store = _wide_store(tmp_path / "s.store", 10)
    serving = _serve(store)
    port = serving.port
    for _ in range(3):  # the server closes these connections first: its side of each waits in TIME-WAIT
        request = urllib.request.Request(f"{serving.url}/query?{urllib.parse.urlencode({'query': COUNT})}",
                                         headers={"Connection": "close", "Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.read() == b"n\r\n10\r\n"
    _stop(serving)
    again = _serve(store, port=port)
    try:
        assert http(f"{again.url}/query", COUNT) == (200, b"n\r\n10\r\n")
    finally:
        _stop(again)


def test_guard_a_build_refuses_a_served_store(tmp_path: Path, sources: Path) -> None:
    store = _wide_store(tmp_path / "s.store", 10)
    serving = _serve(store)
    try:
        result = subprocess.run([str(NEWSGRAPH), "build", str(sources), "--store", str(store)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 1
        assert result.stderr.startswith(f"error: store {store} is in use by another process (a running build, or "
                                         "newsgraph serve: stop it first)")
        assert len(result.stderr.splitlines()) == 1
        assert http(f"{serving.url}/query", COUNT) == (200, b"n\r\n10\r\n")
    finally:
        _stop(serving)
