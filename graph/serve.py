"""`newsgraph serve`: a SPARQL 1.1 Protocol endpoint over a store folder, run by the Oxigraph server itself.

We do not write an HTTP layer: PyPI's `oxigraph` package ships the server binary of the same Rust engine as
pyoxigraph (both pinned to the same version, so it reads the same storage format). It serves `/query` (GET
and POST, content negotiation for SPARQL JSON/XML/CSV/TSV results and Turtle and the other RDF syntaxes)
and, when writable, `/update` and the Graph Store Protocol at `/store`. Our articles live in one named graph
each, so the server runs with `--union-default-graph`: queries see the union, as `newsgraph query` does.

The query timeout is the server's own (`--timeout-s`, whole seconds). Oxigraph checks it as the evaluation
proceeds, so a query stops about then, though some shapes (a sort, say) only notice it later; the answer then
ends with "The SPARQL operation has been cancelled", which graph.remote reports as a QueryError.

Before starting it we check, for a one-line error instead of a Rust backtrace, that the address is free
and that no build holds the store's lock (RocksDB's read-only mode is undefined while another process
writes, so serving read-only during a build is refused).
"""
from __future__ import annotations

import errno
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph

from graph.errors import NewsgraphError, StoreError, StoreLockedError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0  # seconds a query may run before the server stops it
SERVER_BINARY = "oxigraph"
_STARTUP_SECONDS = 15.0


class ServeError(NewsgraphError):
    """The SPARQL server cannot be started."""


@dataclass(frozen=True)
class Server:
    """A running Oxigraph server: `url` is its base URL (endpoints `url/query`, `url/update`, `url/store`)."""

    process: subprocess.Popen[bytes]
    url: str
    store: Path
    writable: bool
    log: IO[bytes]  # the server's stderr, in a file: a pipe nobody reads could fill up and stall it


def server_binary() -> str:
    """The `oxigraph` executable next to this Python (the venv's), else on PATH; checked against pyoxigraph."""
    beside = Path(sys.executable).parent / SERVER_BINARY
    found = str(beside) if beside.is_file() else shutil.which(SERVER_BINARY)
    if found is None:
        raise ServeError(f"the Oxigraph server is not installed; run: pip install 'newsgraph[serve]' "
                         f"(oxigraph=={pyoxigraph.__version__})")
    try:
        reported = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise ServeError(f"cannot run {found}: {exc}") from None
    version = reported.split()[-1] if reported.split() else "?"
    if version != pyoxigraph.__version__:
        # Different engine versions may not share a storage format; refuse rather than risk the store.
        raise ServeError(
            f"{found} is Oxigraph {version} but pyoxigraph is {pyoxigraph.__version__}; install the same version"
        )
    return found


def server_command(binary: str, store: Path, host: str, port: int, timeout: float | None,
                   writable: bool = False) -> list[str]:
    """The argument list that starts the Oxigraph server on `store`."""
    command = [binary, "serve" if writable else "serve-read-only", "--location", str(store),
               "--bind", f"{_bind_host(host)}:{port}", "--union-default-graph"]
    if timeout is not None:
        # The server takes whole seconds; round up so a short timeout never becomes "no timeout".
        command += ["--timeout-s", str(max(1, int(-(-timeout // 1))))]
    return command


def check_port_free(host: str, port: int) -> None:
    """Raise ServeError when something already listens on (host, port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(f"port {port} on {host} is already in use; pick another with --port") from None
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def check_store_free(store: Path) -> None:
    """Raise StoreLockedError when a process (a build) holds the store's RocksDB lock.

    RocksDB locks its LOCK file with fcntl; probing that lock ourselves changes nothing in the store.
    """
    lock = store / "LOCK"
    if not lock.is_file():
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: no probe, the server reports what it finds
        return
    with open(lock, "r+b") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreLockedError(
                f"store {store} is in use by another process (a running build?); serve it when that has finished"
            ) from None
        fcntl.lockf(handle, fcntl.LOCK_UN)


def start_server(store: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 timeout: float | None = DEFAULT_TIMEOUT, writable: bool = False) -> Server:
    """Start the Oxigraph server on `store` and return once it answers queries.

    Read-only by default (the store must exist); `writable` serves `/update` too and creates the store.
    """
    where = Path(store)
    if not writable and not (where / "CURRENT").is_file():
        raise StoreError(f"no store at {where}; run newsgraph build")
    binary = server_binary()
    check_port_free(host, port)
    check_store_free(where)
    command = server_command(binary, where, host, port, timeout, writable)
    log = tempfile.TemporaryFile()  # noqa: SIM115 -- lives as long as the server; stop_server closes it
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://{_url_host(host)}:{port}"
    server = Server(process=process, url=url, store=where, writable=writable, log=log)
    deadline = time.monotonic() + _STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            message = _first_error(server)
            stop_server(server)
            raise ServeError(f"the Oxigraph server stopped at once: {message}")
        if _listening(host, port):
            return server
        time.sleep(0.05)
    stop_server(server)
    raise ServeError(f"the Oxigraph server did not start listening on {host}:{port} within {_STARTUP_SECONDS:g} s")


def stop_server(server: Server) -> None:
    """Stop the server (SIGTERM, then SIGKILL after 5 s) and reap it."""
    process = server.process
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
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


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _first_error(server: Server) -> str:
    server.log.seek(0)
    text = server.log.read().decode("utf-8", "replace")
    for line in text.splitlines():
        if line.strip() and not line.startswith("Stack backtrace"):
            return line.strip().removeprefix("Error: ")
    return f"exit code {server.process.returncode}"


def _bind_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _url_host(host: str) -> str:
    return _bind_host(host)
