"""`newsgraph serve`: a SPARQL 1.1 Protocol endpoint over a store folder.

The Oxigraph server does the SPARQL work (graph.store.engine) on a private loopback port; in front of it, on the
address the user asked for, uvicorn runs our guard (graph.store.guard), which checks every request, holds a hard
deadline and restarts the engine when it crashes or overruns. `run_guarded` is what the command runs, in
its own process; `start_server` starts that command as a child process and returns once it answers (tests,
notebooks, the writable server a build writes to).

Before anything starts we check, for a one-line error instead of a Rust backtrace, that the address is free
(as the server will bind it, so a port left in TIME-WAIT by the last run is free) and that no build holds the
store's lock. A read-only server then holds that lock itself for as long as it runs: RocksDB's read-only
mode reads a snapshot taken when it opens, so a build writing underneath would be invisible to it (and
undefined); a build is refused instead, with the reason, and runs once the server is stopped (or writes
through a `--writable` server).
"""
from __future__ import annotations

import asyncio
import errno
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from graph.errors import StoreError, StoreLockedError, one_line
from graph.store.engine import Engine, ServeError, bracketed, server_binary, server_command, start_engine, stop_engine

__all__ = ["ServeError", "Server", "run_guarded", "server_binary", "server_command", "start_server", "stop_server",
           "wait_server"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0  # seconds a query may run before the server stops it
_STARTUP_SECONDS = 60.0


@dataclass(frozen=True)
class Server:
    """A running `newsgraph serve` process: `url` is its base URL (endpoints `url/query`, `url/update`, ...)."""

    process: subprocess.Popen[bytes]
    url: str
    store: Path
    writable: bool
    log: IO[bytes]  # the process's stderr, in a file: a pipe nobody reads could fill up and stall it


def check_store(store: Path, writable: bool) -> None:
    """Raise StoreError when there is no store to serve read-only."""
    if not writable and not (store / "CURRENT").is_file():
        raise StoreError(f"no store at {store}; run newsgraph build")


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port), bound the way uvicorn binds (SO_REUSEADDR). ServeError if taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use; pick another with --port") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(False)
    return sock


def check_port_free(host: str, port: int) -> None:
    """Raise ServeError when something already listens on (host, port)."""
    bind_socket(host, port).close()


def hold_store(store: Path) -> IO[bytes] | None:
    """Take the store's RocksDB lock (the LOCK file, fcntl) and keep it while the returned file is open.

    StoreLockedError when a process (a build) holds it. A build started later gets the same refusal. Without
    a LOCK file (a new store) or on a system without fcntl there is nothing to hold.
    """
    lock = store / "LOCK"
    if not lock.is_file():
        return None
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, the engine reports what it finds
        return None
    handle = open(lock, "r+b")  # noqa: SIM115 -- held open for as long as the server runs
    try:
        fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise StoreLockedError(
            f"store {store} is in use by another process (a running build?); serve it when that has finished"
        ) from None
    return handle


def check_store_free(store: Path) -> None:
    """Raise StoreLockedError when a process (a build) holds the store's lock."""
    held = hold_store(store)
    if held is not None:
        held.close()


def run_guarded(store: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, timeout: float = DEFAULT_TIMEOUT,
                writable: bool = False, on_ready: Callable[[str], None] = lambda url: None) -> None:
    """Serve `store` at (host, port) until SIGINT, SIGTERM or SIGHUP; ServeError when the engine fails for good.

    `on_ready` gets the base URL once the address listens. Read-only serving holds the store's lock.
    """
    try:
        import uvicorn  # the serve extra, with httpx (graph.store.guard)

        from graph.store.guard import MAX_QUERY_BODY, Guard, GuardSettings, make_app, watch
    except ImportError as exc:
        raise ServeError(f"the guard of newsgraph serve needs {exc.name}; run: pip install 'newsgraph[serve]'") \
            from None

    check_store(store, writable)
    binary = server_binary()
    sock = bind_socket(host, port)
    held = None if writable else hold_store(store)
    settings = GuardSettings(store=store, binary=binary, timeout=timeout, writable=writable)
    servers: list[uvicorn.Server] = []

    def stop(*_: object) -> None:
        for server in servers:
            server.should_exit = True

    async def main(engine: Engine) -> Guard:
        import httpx

        client = httpx.AsyncClient(timeout=None, trust_env=False,
                                   limits=httpx.Limits(max_connections=4 * settings.concurrency))
        ready = asyncio.Event()
        ready.set()
        guard = Guard(settings, engine, ready, asyncio.Semaphore(settings.concurrency), client, on_failure=stop)
        server = uvicorn.Server(uvicorn.Config(make_app(guard), log_level="warning", access_log=False,
                                               lifespan="off", limit_concurrency=256, timeout_graceful_shutdown=5,
                                               h11_max_incomplete_event_size=MAX_QUERY_BODY))
        servers.append(server)
        watcher = asyncio.create_task(watch(guard, lambda: server.should_exit))
        asyncio.get_running_loop().call_soon(on_ready, f"http://{bracketed(host)}:{port}")
        try:
            await server.serve(sockets=[sock])
        finally:
            watcher.cancel()
            await client.aclose()
        return guard

    engine = None
    previous = signal.signal(signal.SIGHUP, stop)
    try:
        engine = start_engine(binary, store, timeout, writable)
        guard = asyncio.run(main(engine))
    finally:
        signal.signal(signal.SIGHUP, previous)
        if engine is not None:
            stop_engine(engine)
        sock.close()
        if held is not None:
            held.close()
    stop_engine(guard.engine)
    if guard.failure is not None:
        raise ServeError(guard.failure)


def start_server(store: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 timeout: float | None = DEFAULT_TIMEOUT, writable: bool = False) -> Server:
    """Start `newsgraph serve` on `store` in a child process and return once it answers.

    Read-only by default (the store must exist); `writable` serves `/update` too and creates the store.
    The checks (store, lock, address, engine binary) run here first, so they raise their own errors.
    """
    where = Path(store)
    check_store(where, writable)
    server_binary()
    check_port_free(host, port)
    if not writable:
        check_store_free(where)
    command = [sys.executable, "-m", "graph", "serve", "--store", str(where), "--host", host, "--port", str(port),
               "--timeout", str(timeout if timeout is not None else DEFAULT_TIMEOUT)]
    if writable:
        command.append("--writable")
    log = tempfile.TemporaryFile()  # noqa: SIM115 -- lives as long as the server; stop_server closes it
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    server = Server(process=process, url=f"http://{bracketed(host)}:{port}", store=where, writable=writable, log=log)
    deadline = time.monotonic() + _STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            message = _error_line(server)
            stop_server(server)
            raise ServeError(f"newsgraph serve stopped at once: {message}")
        if b"serving " in _log_text(server):
            return server
        time.sleep(0.05)
    stop_server(server)
    raise ServeError(f"newsgraph serve did not start listening on {host}:{port} within {_STARTUP_SECONDS:g} s")


def stop_server(server: Server) -> None:
    """Stop the server (SIGTERM, then SIGKILL after 15 s) and reap it."""
    process = server.process
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    server.log.close()


def wait_server(server: Server) -> int:
    """Block until the server ends (Ctrl-C stops it); returns its exit code."""
    try:
        return server.process.wait()
    finally:
        stop_server(server)


def _log_text(server: Server) -> bytes:
    server.log.seek(0)
    return server.log.read()


def _error_line(server: Server) -> str:
    lines = _log_text(server).decode("utf-8", "replace").splitlines()
    for line in lines:
        if line.startswith("error: "):
            return one_line(line.removeprefix("error: "))
    return one_line(lines[-1]) if lines else f"exit code {server.process.returncode}"
