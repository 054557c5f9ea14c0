"""The guard in front of the SPARQL engine: an ASGI app (run by uvicorn) that checks, bounds and supervises.

The Oxigraph server (graph.store.engine) does the SPARQL work; this thin layer makes sure one request cannot take
it down or hold it forever:

- every query and update is read from the request the way the SPARQL 1.1 Protocol says (GET `query=`, a form
  POST, or a direct POST) and checked by graph.store.sparql before the engine sees it: length, bracket depth, size
  of the algebra, SERVICE and LOAD (network access) are refused with HTTP 400 and a one-line reason. The
  engine is then sent exactly the text that was checked, as a direct POST, so no parameter can be read one way
  here and another way there;
- a hard deadline: a query whose answer is not complete `timeout + DEADLINE_GRACE` seconds after it reached
  the engine is answered 503, and the engine process is killed and started again (Oxigraph checks its own
  timeout only between some steps: a COUNT over a cross product runs on for minutes). Queries then in flight
  get a 503 too; clients retry. Updates and Graph Store requests get WRITE_DEADLINE instead;
- the engine's answer is read into a spooled temporary file (in memory up to 1 MB, then on disk, at most
  MAX_ANSWER_BYTES) and then sent, so a slow client never keeps the engine busy;
- a crashed engine is restarted; after MAX_CRASHES crashes within CRASH_WINDOW seconds, or when it cannot be
  started again, the guard stops and `newsgraph serve` exits 1 with the reason.

At most `concurrency` requests are with the engine at once (the number of CPUs); the others wait their turn.
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import urllib.parse
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from graph.errors import NewsgraphError, one_line
from graph.store.engine import (
    Engine,
    ServeError,
    engine_ready,
    exit_description,
    first_error,
    spawn_engine,
    stop_engine,
)
from graph.store.queries import read_only_violation
from graph.store.sparql import MAX_QUERY_CHARS, MAX_UPDATE_CHARS, Shape, check_shape

DEADLINE_GRACE = 5.0  # seconds the engine gets past its own timeout before it is restarted
WRITE_DEADLINE = 600.0  # seconds an update or a Graph Store request may take
MAX_ANSWER_BYTES = 1024 * 1024 * 1024
MAX_QUERY_BODY = 4 * MAX_QUERY_CHARS + 64 * 1024  # a form-encoded query is at most about 3 bytes a character
MAX_CRASHES = 5
CRASH_WINDOW = 60.0
CANCELLED = b"The SPARQL operation has been cancelled"
_SPOOL_IN_MEMORY = 1024 * 1024
_GRAPH_PARAMETERS = {
    "/query": ("default-graph-uri", "named-graph-uri"),
    "/update": ("using-graph-uri", "using-named-graph-uri"),
}
_PASSED_THROUGH = ("/", "/store")  # the engine's own page and the Graph Store Protocol: no SPARQL in them

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class GuardSettings:
    store: Path
    binary: str
    timeout: float  # the query timeout (seconds): the engine's own, and the deadline's base
    writable: bool = False
    grace: float = DEADLINE_GRACE
    max_answer: int = MAX_ANSWER_BYTES
    concurrency: int = field(default_factory=lambda: max(2, os.cpu_count() or 2))


@dataclass
class Guard:
    """The engine being guarded and what the guard knows about it."""

    settings: GuardSettings
    engine: Engine
    ready: asyncio.Event
    slots: asyncio.Semaphore
    client: httpx.AsyncClient
    generation: int = 0
    crashes: deque[float] = field(default_factory=deque)
    failure: str | None = None
    on_failure: Callable[[], None] = lambda: None


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes | IO[bytes]
    size: int


class Refused(Exception):
    """A request the guard answers itself (status and one-line reason)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def log(message: str) -> None:
    print(f"newsgraph serve: {message}", file=sys.stderr, flush=True)


def text_answer(status: int, message: str) -> Answer:
    body = (one_line(message) + "\n").encode("utf-8")
    return Answer(status, "text/plain; charset=utf-8", body, len(body))


# --- reading requests ------------------------------------------------------------------------------------


async def read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refused(400, "the client went away")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise Refused(413, f"the request body is over {limit:,} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _parameters(raw: bytes) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)


def sparql_from_request(scope: Scope, body: bytes, name: str, direct_type: str) -> tuple[str, dict[str, list[str]]]:
    """The one `name` (query or update) of a SPARQL Protocol request, and all its parameters."""
    method = scope["method"]
    parameters = _parameters(scope.get("query_string", b""))
    found = list(parameters.get(name, []))
    media_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
    if method == "POST" and media_type == "application/x-www-form-urlencoded":
        form = _parameters(body)
        found += form.get(name, [])
        for key, values in form.items():
            parameters.setdefault(key, []).extend(values)
    elif method == "POST" and media_type == direct_type:
        try:
            found.append(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise Refused(400, f"the {name} is not valid UTF-8") from None
    elif method == "POST":
        raise Refused(415, f"send the {name} as {direct_type} or application/x-www-form-urlencoded")
    elif method not in ("GET", "HEAD") or name == "update":
        raise Refused(405, f"use POST{' or GET' if name == 'query' else ''} for a SPARQL {name}")
    if len(found) != 1:
        raise Refused(400, f"give exactly one '{name}' parameter (got {len(found)})")
    return found[0], parameters


def checked_query(text: str) -> str:
    """`text` when it may go to the engine as a query; Refused(400) otherwise."""
    found = _shape_checked(text, update=False)
    refused = read_only_violation(text)
    if refused:
        raise Refused(400, f"{refused} is an update: send updates to /update")
    if found.network:
        raise Refused(400, "SERVICE clauses fetch data from the network and are refused by this endpoint")
    return text


def checked_update(text: str) -> str:
    """`text` when it may go to the engine as an update; Refused(400) otherwise."""
    found = _shape_checked(text, update=True)
    if found.network:
        raise Refused(400, f"{found.network[0]} fetches data from the network and is refused by this endpoint")
    return text


def _shape_checked(text: str, update: bool) -> Shape:
    try:
        return check_shape(text, update=update, allow_network=True)
    except NewsgraphError as exc:
        raise Refused(400, str(exc)) from None


# --- talking to the engine -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """A request for the engine: `target` is its path and query string."""

    method: str
    target: str
    content: bytes
    headers: dict[str, str]


async def forward(guard: Guard, outgoing: Outgoing, deadline: float) -> Answer:
    """Send `outgoing` to the engine and read its whole answer within `deadline` seconds."""
    async with guard.slots:
        engine = await current_engine(guard)
        generation = guard.generation
        request = guard.client.build_request(outgoing.method, engine.url + outgoing.target,
                                             content=outgoing.content, headers=outgoing.headers)
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115 -- handed to the answer
        try:
            async with asyncio.timeout(deadline):
                response = await guard.client.send(request, stream=True)
                try:
                    size = 0
                    async for chunk in response.aiter_raw():
                        size += len(chunk)
                        if size > guard.settings.max_answer:
                            raise Refused(507, f"the answer is over {guard.settings.max_answer:,} bytes; "
                                               "ask for less (LIMIT)")
                        spool.write(chunk)
                finally:
                    await response.aclose()
        except TimeoutError:
            spool.close()
            await restart(guard, generation, f"a request ran past its deadline of {deadline:g} s")
            return text_answer(503, f"the query was cancelled: it ran past the deadline of {deadline:g} s "
                                    "(serve --timeout); the SPARQL engine was restarted")
        except Refused:
            spool.close()
            raise
        except httpx.HTTPError:
            spool.close()
            if guard.generation == generation and engine.process.poll() is not None:
                await restart(guard, generation, _crash_reason(engine), crashed=True)
            return text_answer(502, "the SPARQL engine stopped while answering (it crashed or was restarted); "
                                    "try again")
    media_type = response.headers.get("content-type", "application/octet-stream")
    if response.status_code == 200 and _ends_cancelled(spool, size):
        spool.close()
        return text_answer(503, f"the query was cancelled: it ran past the timeout of {guard.settings.timeout:g} s "
                                "(serve --timeout)")
    spool.seek(0)
    return Answer(response.status_code, media_type, spool, size)


def _ends_cancelled(spool: IO[bytes], size: int) -> bool:
    """True when a 200 answer ends with the engine's cancellation notice (its timeout hit mid-answer)."""
    tail = min(size, 256)
    spool.seek(size - tail)
    return CANCELLED in spool.read(tail)


async def current_engine(guard: Guard) -> Engine:
    await guard.ready.wait()
    if guard.failure is not None:
        raise Refused(503, f"the SPARQL engine is not available: {guard.failure}")
    return guard.engine


def _crash_reason(engine: Engine) -> str:
    return f"the SPARQL engine stopped ({exit_description(engine.process.returncode)}: {first_error(engine)})"


async def restart(guard: Guard, generation: int, reason: str, crashed: bool = False) -> None:
    """Kill the engine of `generation` and start a new one (nothing when another request already did)."""
    if guard.generation != generation or guard.failure is not None:
        return
    guard.generation += 1
    guard.ready.clear()
    stop_engine(guard.engine, grace=0)
    now = time.monotonic()
    if crashed:
        guard.crashes.append(now)
        while guard.crashes and now - guard.crashes[0] > CRASH_WINDOW:
            guard.crashes.popleft()
        if len(guard.crashes) >= MAX_CRASHES:
            fail(guard, f"the SPARQL engine crashed {len(guard.crashes)} times within {CRASH_WINDOW:g} s "
                        f"(last: {reason})")
            return
    log(f"{reason}; restarting the SPARQL engine")
    try:
        settings = guard.settings
        guard.engine = spawn_engine(settings.binary, settings.store, settings.timeout, settings.writable)
        started = time.monotonic()
        while not engine_ready(guard.engine):
            if time.monotonic() - started > 15:
                stop_engine(guard.engine, grace=0)
                raise ServeError("it did not start listening within 15 s")
            await asyncio.sleep(0.05)
    except ServeError as exc:
        fail(guard, f"the SPARQL engine cannot be restarted: {exc}")
        return
    guard.ready.set()


def fail(guard: Guard, message: str) -> None:
    guard.failure = message
    guard.ready.set()  # waiting requests wake up and answer 503
    log(message)
    guard.on_failure()


async def watch(guard: Guard, stopping: Callable[[], bool]) -> None:
    """Restart the engine when it ends on its own (a crash), until the guard stops."""
    while not stopping() and guard.failure is None:
        await asyncio.sleep(0.1)
        engine = guard.engine
        if guard.ready.is_set() and engine.process.poll() is not None:
            await restart(guard, guard.generation, _crash_reason(engine), crashed=True)


# --- the ASGI app ----------------------------------------------------------------------------------------


def make_app(guard: Guard) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI application of the guard."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        try:
            answer = await handle(guard, scope, receive)
        except Refused as refused:
            answer = text_answer(refused.status, str(refused))
        await respond(send, answer, head=scope["method"] == "HEAD")

    return app


async def handle(guard: Guard, scope: Scope, receive: Receive) -> Answer:
    path = scope["path"]
    accept = _header(scope, b"accept")
    headers = {"accept": accept} if accept else {}
    if path == "/query":
        body = await read_body(receive, MAX_QUERY_BODY)
        text, parameters = sparql_from_request(scope, body, "query", "application/sparql-query")
        return await forward(guard, _direct(path, checked_query(text), parameters, "application/sparql-query",
                                            headers), guard.settings.timeout + guard.settings.grace)
    if path == "/update":
        if not guard.settings.writable:
            raise Refused(403, "this server is read-only: start it with --writable to accept updates")
        body = await read_body(receive, 4 * MAX_UPDATE_CHARS)
        text, parameters = sparql_from_request(scope, body, "update", "application/sparql-update")
        return await forward(guard, _direct(path, checked_update(text), parameters, "application/sparql-update",
                                            headers), max(WRITE_DEADLINE, guard.settings.timeout))
    if path in _PASSED_THROUGH:
        body = await read_body(receive, 4 * MAX_UPDATE_CHARS if guard.settings.writable else MAX_QUERY_BODY)
        content_type = _header(scope, b"content-type")
        if content_type:
            headers["content-type"] = content_type
        url = path + ("?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else "")
        return await forward(guard, Outgoing(scope["method"], url, body, headers),
                             max(WRITE_DEADLINE, guard.settings.timeout))
    raise Refused(404, f"no such endpoint {path}; SPARQL queries go to /query")


def _direct(path: str, text: str, parameters: dict[str, list[str]], media_type: str,
            headers: dict[str, str]) -> Outgoing:
    """The request the engine gets: the checked text as a direct POST, with the graph parameters only."""
    kept = [(key, value) for key in _GRAPH_PARAMETERS[path] for value in parameters.get(key, [])]
    query = ("?" + urllib.parse.urlencode(kept)) if kept else ""
    return Outgoing("POST", path + query, text.encode("utf-8"), {**headers, "content-type": media_type})


async def respond(send: Send, answer: Answer, head: bool = False) -> None:
    headers = [(b"content-type", answer.media_type.encode("latin-1")),
               (b"content-length", str(answer.size).encode("ascii"))]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    try:
        if isinstance(answer.body, bytes | bytearray):
            await send({"type": "http.response.body", "body": b"" if head else bytes(answer.body)})
            return
        while not head and (chunk := answer.body.read(64 * 1024)):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    finally:
        if not isinstance(answer.body, bytes | bytearray):
            answer.body.close()
