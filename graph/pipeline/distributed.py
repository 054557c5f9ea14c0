"""Extraction on a Dask cluster: `newsgraph build --executor dask [--scheduler tcp://HOST:8786]`.

The client (the build) reads the articles, skips the unchanged ones and writes to the store; only the
extraction runs on the workers. Articles go out in partitions of `partition_size`; each worker loads the
spaCy pipeline once (a per-process cache: later partitions reuse it) and runs the same chunked extraction as
a local build (graph.pipeline.extraction.extract_chunked), so the graph is the same. Results come back in input order,
with at most a few partitions per worker in flight, so memory stays bounded however many articles there are.

Without a scheduler address a LocalCluster of `workers` processes is started for the build and stopped
after it. Dask is an optional dependency (`pip install 'newsgraph[dask]'`).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from graph.errors import NewsgraphError
from graph.model import Article, Extraction
from graph.pipeline.extraction import extract_partition, partitions

IN_FLIGHT_PER_WORKER = 2  # partitions queued per worker: enough to keep it busy while results travel back


class DaskError(NewsgraphError):
    """Dask is missing, or the cluster cannot be reached or failed."""


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2, processes: bool = True) -> Iterator[Any]:
    """A distributed.Client on `scheduler`, or on a LocalCluster of `workers` (closed again afterwards)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DaskError("--executor dask needs Dask: pip install 'newsgraph[dask]'") from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise DaskError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            yield client
        return
    # The scheduler's HTTP server (dashboard/metrics) would take port 8787 even with the dashboard off, and warn
    # when a second build runs; a free loopback port keeps concurrent local builds quiet.
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                      dashboard_address="127.0.0.1:0") \
            as cluster, Client(cluster) as client:
        yield client


def extract_distributed(
    articles: Iterable[Article],
    client: Any,
    model: str | None = None,
    batch_size: int = 64,
    partition_size: int | None = None,
) -> Iterator[Extraction]:
    """Extract `articles` on the workers of `client` (a distributed.Client); extractions in input order."""
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    size = partition_size or batch_size
    pending: deque[Any] = deque()
    for chunk in partitions(articles, size):
        # pure=False: two equal partitions (the same article twice) are still two tasks of their own.
        pending.append(client.submit(extract_partition, chunk, model, batch_size, pure=False))
        if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
            yield from _result(pending.popleft())
    while pending:
        yield from _result(pending.popleft())


def _result(future: Any) -> list[Extraction]:
    try:
        return future.result()
    except NewsgraphError:
        raise  # e.g. the model cannot be loaded on a worker: the same message as a local build
    except (OSError, TimeoutError) as exc:
        raise DaskError(f"a Dask worker failed: {exc}") from None
