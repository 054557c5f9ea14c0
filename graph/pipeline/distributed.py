"""Extraction on a Dask cluster: `newsgraph build --executor dask [--scheduler tcp://HOST:8786]`.

The client (the build) reads the articles, skips the unchanged ones and writes to the store; only the
extraction runs on the workers. Articles go out in partitions of `partition_size`; each worker loads the
spaCy pipeline once (a per-process cache: later partitions reuse it) and runs the same chunked extraction as
a local build (graph.pipeline.build.extract_chunked), so the graph is the same. Results come back in input order,
with at most a few partitions per worker in flight, so memory stays bounded however many articles there are.

Without a scheduler address a LocalCluster of `workers` processes is started for the build and stopped
after it. Dask is an optional dependency (`pip install 'newsgraph[dask]'`).
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any

from graph.errors import NewsgraphError
from graph.model import Article, Extraction

if TYPE_CHECKING:
    from spacy.language import Language

IN_FLIGHT_PER_WORKER = 2  # partitions queued per worker: enough to keep it busy while results travel back
# This worker process's loaded pipelines, by model name and loader (a test's stand-in loader gets its own).
_MODELS: dict[tuple[str | None, Any], Language] = {}
_MODELS_LOCK = threading.Lock()  # threads of one worker process share the cache; load each model once


class DaskError(NewsgraphError):
    """Dask is missing, or the cluster cannot be reached or failed."""


def worker_pipeline(model: str | None) -> Language:
    """The spaCy pipeline of this process, loaded on first use and then reused."""
    from graph.pipeline import build as pipeline  # looked up at call time, so tests can stand in a fake loader

    key = (model, pipeline.load_pipeline)
    with _MODELS_LOCK:
        nlp = _MODELS.get(key)
        if nlp is None:
            nlp = _MODELS[key] = pipeline.load_pipeline(model, pipeline.load_kb())
        return nlp


def extract_partition(articles: list[Article], model: str | None, batch_size: int) -> list[Extraction]:
    """The task run on a worker: the extractions of one partition, in order."""
    from graph.pipeline import build as pipeline

    return list(pipeline.extract_chunked(articles, worker_pipeline(model), batch_size=batch_size))


def partitions(articles: Iterable[Article], size: int, max_chars: int | None = None) -> Iterator[list[Article]]:
    """`articles` in consecutive lists of at most `size`, and (when given) of about `max_chars` of text: a
    list closes once it holds that much, so a partition of long articles stays short."""
    if size < 1:
        raise ValueError("partition size must be positive")
    stream = iter(articles)
    if max_chars is None:
        while chunk := list(islice(stream, size)):
            yield chunk
        return
    chunk, chars = [], 0
    for article in stream:
        chunk.append(article)
        chars += len(article.text)
        if len(chunk) >= size or chars >= max_chars:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


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
