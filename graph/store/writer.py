"""Write batches of article graphs to the store in a thread, while the next batch is parsed.

Storing a batch is mostly Rust work in Oxigraph (parsing N-Quads, updating six indexes) that runs with the GIL
released, and so is most of spaCy's parse: done one after the other they add up, done side by side the write
costs almost nothing. The Python half of a write (serialising the triples) stays on the calling thread, and one
batch at most waits in the thread, so memory stays that of two batches. A failed write is raised on the calling
thread at the next call; leaving the `with` block waits for the last write, so an interrupted build loses
nothing it had handed over.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from rdflib import URIRef

from graph.store.embedded import StoreHandle
from graph.store.writes import PreparedWrite, Triple, apply_write, prepare_write


class BatchWriter:
    """`with BatchWriter(store) as writer: writer.write(graphs)`; `writer.triples` counts what was written.

    The store's memtables are flushed to disk every `flush_every` triples (0: never), which bounds RocksDB's
    memory on a long build.
    """

    def __init__(self, store: StoreHandle, flush_every: int = 0) -> None:
        self.store = store
        self.flush_every = flush_every
        self.triples = 0
        self._unflushed = 0
        self._pending: Future[int] | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsgraph-writer")

    def write(self, graphs: Sequence[tuple[URIRef, Collection[Triple]]]) -> None:
        """Hand the named graphs over to be written (after the previous batch is done)."""
        if not graphs:
            return
        prepared = prepare_write(graphs)  # while the previous batch is still being stored
        self.wait()
        self._pending = self._thread.submit(self._apply, prepared)

    def wait(self) -> None:
        """Wait for the batch being written; raise its error, if any."""
        pending, self._pending = self._pending, None
        if pending is not None:
            self.triples += pending.result()

    def _apply(self, prepared: PreparedWrite) -> int:
        written = apply_write(self.store, prepared)
        self._unflushed += written
        if self.flush_every and self._unflushed >= self.flush_every:
            self.store.ox.flush()
            self._unflushed = 0
        return written

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if kind is None:
                self.wait()
            elif self._pending is not None:
                self._pending.exception()  # let the handed-over batch land; the first error is the one raised
        finally:
            self._thread.shutdown(wait=True)
