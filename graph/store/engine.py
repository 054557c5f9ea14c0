"""The SPARQL engine behind `newsgraph serve`: the Oxigraph server binary, run on a private loopback port.

We do not write a query engine or its HTTP layer: PyPI's `oxigraph` package ships the server binary of the same
Rust engine as pyoxigraph (both pinned to the same version, so it reads the same storage format). It serves
`/query` (content negotiation for SPARQL JSON/XML/CSV/TSV results and the RDF syntaxes) and, when writable,
`/update` and the Graph Store Protocol at `/store`. Our articles live in one named graph each, so it runs with
`--union-default-graph`: queries see the union, as `newsgraph query` does.

Only graph.store.guard talks to it: the engine listens on 127.0.0.1 at a port of its own, and the guard in front of
it checks every request, enforces the deadline and restarts the engine when it crashes or overruns. The
engine is started with the parent-death signal set (Linux), so it never outlives the process that started it,
even when that process is killed with SIGKILL.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph

from graph.errors import NewsgraphError

SERVER_BINARY = "oxigraph"
STARTUP_SECONDS = 15.0
_PR_SET_PDEATHSIG = 1


class ServeError(NewsgraphError):
    """The SPARQL server cannot be started or kept running."""


@dataclass(frozen=True)
class Engine:
    """A running Oxigraph server process; `url` is its private base URL (http://127.0.0.1:PORT)."""

    process: subprocess.Popen[bytes]
    url: str
    log: IO[bytes]  # its stderr, in a file: a pipe nobody reads could fill up and stall it


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
               "--bind", f"{bracketed(host)}:{port}", "--union-default-graph"]
    if timeout is not None:
        # The server takes whole seconds; round up so a short timeout never becomes "no timeout".
        command += ["--timeout-s", str(max(1, int(-(-timeout // 1))))]
    return command


def bracketed(host: str) -> str:
    """`host` as it is written before `:port` (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host else host


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """In the child, before exec: be sent SIGKILL when the parent dies (Linux's PR_SET_PDEATHSIG)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's cleanup is all there is
        pass


def spawn_engine(binary: str, store: Path, timeout: float | None, writable: bool) -> Engine:
    """Start the Oxigraph server on a free loopback port; it is ready once `engine_ready` says so.

    Call this from the thread that lives as long as the engine should (the main thread): the parent-death
    signal fires when the thread that started the child ends.
    """
    port = free_loopback_port()
    command = server_command(binary, store, "127.0.0.1", port, timeout, writable)
    log = tempfile.TemporaryFile()  # noqa: SIM115 -- lives as long as the engine; stop_engine closes it
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                               preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    return Engine(process=process, url=f"http://127.0.0.1:{port}", log=log)


def engine_ready(engine: Engine) -> bool:
    """True once the engine accepts connections; ServeError (and the engine stopped) when it has ended."""
    if engine.process.poll() is not None:
        message = first_error(engine)
        stop_engine(engine)
        raise ServeError(f"the Oxigraph server stopped at once: {message}")
    return _listening(int(engine.url.rsplit(":", 1)[1]))


def start_engine(binary: str, store: Path, timeout: float | None, writable: bool) -> Engine:
    """spawn_engine, then wait until the engine accepts connections (ServeError after STARTUP_SECONDS)."""
    engine = spawn_engine(binary, store, timeout, writable)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if engine_ready(engine):
            return engine
        time.sleep(0.05)
    stop_engine(engine)
    raise ServeError(f"the Oxigraph server did not start listening within {STARTUP_SECONDS:g} s")


def stop_engine(engine: Engine, grace: float = 5.0) -> None:
    """Stop the engine (SIGTERM, then SIGKILL after `grace` seconds; at once with grace 0) and reap it."""
    process = engine.process
    if process.poll() is None:
        if grace <= 0:
            process.kill()
        else:
            process.terminate()
        try:
            process.wait(timeout=max(grace, 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    engine.log.close()


def exit_description(code: int | None) -> str:
    """'signal SIGSEGV' or 'exit code 3' for a process's return code."""
    if code is not None and code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def first_error(engine: Engine) -> str:
    """The first meaningful line the engine wrote to stderr, else how it ended."""
    if not engine.log.closed:
        engine.log.seek(0)
        text = engine.log.read().decode("utf-8", "replace")
        for line in text.splitlines():
            if line.strip() and not line.startswith("Stack backtrace"):
                return line.strip().removeprefix("Error: ")
    return exit_description(engine.process.returncode)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
