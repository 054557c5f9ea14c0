"""The build pipeline: read articles, extract, build RDF, write to the store in batches.

The store, the knowledge base and the spaCy pipeline are opened once per build. Articles whose graph
already records the same content hash are skipped before parsing, so rebuilding a folder only pays for
new or changed articles. Each batch of article graphs is written in one store transaction, so a build killed
at any point leaves whole batches only, and running it again completes it (unchanged articles are skipped).

An article longer than CHUNK_CHARS characters is parsed chunk by chunk and its graph written part by part, in
transactions of bounded size (graph.pipeline.long_article): its memory is that of one chunk's parse and one part of its
graph, whatever its length. A build killed while it writes such an article leaves that article without its
content hash, so the next build writes it again.

With `strict=True` every source is read once before the store is opened, so a bad input fails the build
before anything is written.

With `jobs` > 1 a pool of worker processes parses AND extracts: each worker loads the spaCy pipeline once
(graph.pipeline.extraction.worker_pipeline, shared with the Dask workers) and turns small chunks of articles into
Extractions; the main process only reads, skips, filters, builds RDF and writes. Chunks come back in input
order, so the store is byte-identical to a jobs=1 build. (Handing `n_process` to spaCy instead left
extraction, RDF and writes in the main process and its batches of 64 kept that process waiting.)

An article is replaced by the next build that reads the same identity (graph.sources.readers) with another text; with
`prune=True` a build also removes the stored articles it did not read (their source is gone), unless it met
input problems, since a source that failed to read is not a source that is gone.

The store may be a folder or a SPARQL server's URL (graph.store.embedded.open_store). With `executor="dask"` the
extraction runs on a Dask cluster (graph.pipeline.distributed); reading, skipping and writing stay here, so the
result is the same as a local build.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import io
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rdflib import URIRef

from graph.errors import InputError
from graph.extract.nlp import load_pipeline
from graph.model import Article, Extraction, KnownEntity
from graph.pipeline.extraction import extract_chunked, extract_partition, partitions
from graph.pipeline.long_article import (  # noqa: F401 -- merge_chunks and split_text from here too, as before
    CHUNK_CHARS,
    merge_chunks,
    split_text,
    write_long,
)
from graph.rdf.build import Triples, build_triples, entity_node
from graph.rdf.iri import doc_iri
from graph.rdf.kb import load_kb
from graph.sources.fetch import Policy
from graph.sources.readers import STDIN, read_sources
from graph.sources.web_sources import WebReader
from graph.store.articles import new_store_removed_on_failure, prune_articles
from graph.store.embedded import StoreHandle, open_store, stored_document
from graph.store.writer import BatchWriter

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

EXECUTORS = ("local", "dask")
# A task of a jobs > 1 build: up to PARALLEL_CHUNK articles and about PARALLEL_CHUNK_CHARS of text, parsed
# with one nlp.pipe. Small enough to keep both workers busy to the end and the main process fed (a dozen
# news articles), large enough that spaCy batches well on short texts: tasks of 12 one-sentence articles
# cost 16% more spaCy time than batches of 64.
PARALLEL_CHUNK = 256
PARALLEL_CHUNK_CHARS = 30_000
PARALLEL_BATCH = 64  # nlp.pipe batch size inside a task
PARALLEL_IN_FLIGHT = 4  # chunks queued per worker: enough to cover the main process's RDF and writes
# Oxigraph's RocksDB keeps writes in memtables until they fill, which grew a 100,000-article build past 1.5 GB.
# Flushing them every so many triples keeps memory flat (~120 MB of store instead) and even writes faster.
FLUSH_TRIPLES = 50_000


@dataclass(frozen=True)
class BuildSummary:
    """What one build did. `entities` are distinct entities of the built articles; `relations` counts
    the relations and quotations kept after the confidence filter."""

    articles: int
    built: int
    skipped: int
    triples: int
    entities: int
    relations: int
    store: str = ""
    pruned: tuple[str, ...] = ()  # identities (or document IRIs) of the articles --prune removed
    left_out: tuple[str, ...] = ()  # files of the folders given that were not read (README, --exclude, ...)

    def line(self) -> str:
        text = (
            f"built {self.built} of {self.articles} articles ({self.skipped} unchanged): "
            f"{self.triples} triples, {self.entities} entities, {self.relations} relations -> {self.store}"
        )
        if self.pruned:
            text += f"; pruned {len(self.pruned)} article(s) whose source is gone: {_listed(self.pruned)}"
        if self.left_out:
            text += f"; not read: {_listed(self.left_out)}"
        return text


def _listed(names: Sequence[str], most: int = 5) -> str:
    shown = ", ".join(names[:most])
    return shown if len(names) <= most else f"{shown} and {len(names) - most} more"


@dataclass
class _Tally:
    """Running counts while the article stream is consumed."""

    articles: int = 0
    built: int = 0
    skipped: int = 0
    triples: int = 0
    relations: int = 0
    entities: set[int] = field(default_factory=set)  # hashes of entity IRIs: only counted, and a long build
    # meets millions of them. Documents read in this run -> (identity, hash of its text): a second article of
    # the same identity is reported unless it is the same text again, and so is another identity whose IRI
    # is the same (possible only through a crafted id or an 8-hex-digit digest collision, see graph.rdf.iri).
    seen: dict[URIRef, tuple[str, int]] = field(default_factory=dict)


def content_hash(article: Article) -> str:
    """The hash build_graph records as ng:contentHash (a test keeps the two equal)."""
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()


def build(
    sources: Sequence[str],
    store_path: str | Path | None = None,
    model: str | None = None,
    default_date: date | None = None,
    min_confidence: float = 0.0,
    batch_size: int = 64,
    on_problem: Callable[[str], None] | None = None,
    stdin: TextIO | None = None,
    strict: bool = False,
    jobs: int = 1,
    force: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    update_url: str | None = None,
    explicit_id: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    prune: bool = False,
    feeds: Sequence[str] = (),
    web: Policy | None = None,
) -> BuildSummary:
    """Build (or update) the store at `store_path` from `sources`; see the module docstring.

    `executor` is "local" (`jobs` worker processes when above 1) or "dask" (a cluster at `scheduler`, else a local
    one of `jobs` workers). `update_url` is a SPARQL server's update endpoint when not beside its query URL.
    `explicit_id` is the identity of the single article read; `include` and `exclude` are globs choosing the
    files of folders (graph.sources.selection); `prune` removes the stored articles this build did not read. `feeds` are
    RSS/Atom feeds (URLs or files) whose entries are built too; `web` is how pages are fetched (graph.sources.fetch),
    up to `jobs` at once.
    """
    if executor not in EXECUTORS:
        raise InputError(f"unknown executor {executor!r}; use one of {', '.join(EXECUTORS)}")
    if not 0.0 <= min_confidence <= 1.0:  # also false for nan, which would drop every relation
        raise InputError(f"the minimum confidence is a number from 0 to 1, not {min_confidence}")
    # One reader for both passes of a strict build, so that each page is fetched once.
    reader = WebReader(web or Policy(), jobs=max(1, jobs))
    chosen: dict[str, Any] = {"explicit_id": explicit_id, "include": include, "exclude": exclude, "feeds": feeds,
                              "web": reader}
    if strict:
        # Read everything once before the store is touched: strict means all or nothing.
        stdin = _replayable(stdin) if STDIN in sources else stdin
        for _ in read_sources(sources, default_date=default_date, stdin=stdin, strict=True, **chosen):
            pass
        if stdin is not None:
            stdin.seek(0)
    problems: list[str] = []
    left_out: list[str] = []

    def problem(message: str) -> None:
        problems.append(message)
        if on_problem is not None:
            on_problem(message)

    # Sources are checked before the slow model load, so a typo in a path fails at once.
    articles = read_sources(sources, default_date=default_date, on_problem=problem, stdin=stdin, strict=strict,
                            on_left_out=left_out.append, **chosen)
    # The knowledge base is read before the store is opened: a missing file must not leave a new, empty
    # store behind.
    known = load_kb() if executor == "local" and jobs == 1 else None
    with new_store_removed_on_failure(store_path):
        return _build_into(
            store_path, articles, update_url=update_url, model=model, known=known, min_confidence=min_confidence,
            batch_size=batch_size, problems=problems, problem=problem, jobs=jobs, force=force, executor=executor,
            scheduler=scheduler, prune=prune, left_out=left_out,
        )


def _build_into(store_path: str | Path | None, articles: Iterable[Article], *, update_url: str | None,
                problems: list[str], problem: Callable[[str], None], prune: bool, left_out: list[str],
                **options: Any) -> BuildSummary:
    """Open the store, extract and write the articles, prune: the part of `build` that holds the store."""
    store = open_store(store_path, update_url=update_url)
    tally = _Tally()
    _extract_and_write(articles, store, tally, problem=problem, **options)
    pruned = []
    if prune:
        if problems:
            problem("not pruned: the build met input problems, and a source that failed to read is not gone")
        else:
            pruned = [article.id or article.doc for article in prune_articles(store, tally.seen)]
    store.ox.flush()
    return BuildSummary(
        articles=tally.articles,
        built=tally.built,
        skipped=tally.skipped,
        triples=tally.triples,
        entities=len(tally.entities),
        relations=tally.relations,
        store=str(store.path),
        pruned=tuple(pruned),
        left_out=tuple(left_out),
    )


def _extract_and_write(articles: Iterable[Article], store: StoreHandle, tally: _Tally, *, model: str | None,
                       known: Sequence[KnownEntity] | None, min_confidence: float, batch_size: int,
                       problem: Callable[[str], None], jobs: int, force: bool, executor: str,
                       scheduler: str | None) -> None:
    """Skip the unchanged articles, extract the others on the chosen executor and write their graphs."""
    fresh = _unchanged_skipped(articles, store, tally, force, problem)
    if executor == "dask":
        from graph.pipeline.distributed import dask_client, extract_distributed  # imports Dask only when asked

        with dask_client(scheduler, workers=jobs) as client:
            _write_all(extract_distributed(fresh, client, model, batch_size=batch_size), store, tally,
                       min_confidence, batch_size)
    elif jobs > 1:
        _write_all(extract_parallel(fresh, model, jobs), store, tally, min_confidence, batch_size)
    else:
        nlp = load_pipeline(model, load_kb() if known is None else known)
        # The model's few hundred thousand objects live as long as the build: out of the collector's way, its
        # full collections do not walk them again and again (which halved the time spent in collections)
        gc.freeze()
        try:
            _write_all(extract_chunked(fresh, nlp, batch_size=batch_size), store, tally, min_confidence, batch_size)
        finally:
            gc.unfreeze()


def _write_all(extractions: Iterable[Extraction], store: StoreHandle, tally: _Tally, min_confidence: float,
               batch_size: int) -> None:
    """Build each extraction's graph and write them to the store, `batch_size` articles per transaction, each
    batch in a thread while the next one is extracted (graph.store.writer)."""
    batch: list[tuple[URIRef, Triples]] = []
    with BatchWriter(store, flush_every=FLUSH_TRIPLES) as writer:
        for extraction in extractions:
            kept = filter_confidence(extraction, min_confidence)
            tally.built += 1
            tally.relations += len(kept.relations) + len(kept.quotes)
            tally.entities.update(hash(entity_node(entity)) for entity in kept.entities)
            if len(kept.article.text) > CHUNK_CHARS:  # its graph, whole, would take gigabytes: part by part
                writer.wait()  # one writer at a time
                tally.triples += write_long(store, kept, flush_every=FLUSH_TRIPLES)
                continue
            batch.append((doc_iri(kept.article.id), build_triples(kept)))
            if len(batch) >= batch_size:
                writer.write(batch)
                batch = []
        writer.write(batch)
    tally.triples += writer.triples


def filter_confidence(extraction: Extraction, min_confidence: float) -> Extraction:
    """The extraction without relations and quotations below `min_confidence`."""
    if min_confidence <= 0.0:
        return extraction
    return dataclasses.replace(
        extraction,
        relations=[r for r in extraction.relations if r.evidence.confidence >= min_confidence],
        quotes=[q for q in extraction.quotes if q.evidence.confidence >= min_confidence],
    )


def _unchanged_skipped(articles: Iterable[Article], store: StoreHandle, tally: _Tally, force: bool = False,
                       problem: Callable[[str], None] | None = None) -> Iterator[Article]:
    """The articles to build: not stored already with the same text (unless `force`, e.g. after a change
    of model or rules), not seen earlier in this run (a different text under an identity already read is
    reported to `problem`: two sources claim one article, and the first one wins)."""
    for article in articles:
        tally.articles += 1
        doc = doc_iri(article.id)
        text_hash = hash(article.text)
        earlier = tally.seen.get(doc)
        if earlier is not None:
            tally.skipped += 1
            if earlier != (article.id, text_hash) and problem is not None:
                problem(f"{article.source}: {_claimed(article.id, earlier[0])} in this build, skipped")
            continue
        tally.seen[doc] = (article.id, text_hash)
        owner, hashes = stored_document(store, doc)
        if owner is not None and owner != article.id:
            tally.skipped += 1
            if problem is not None:
                problem(f"{article.source}: {_claimed(article.id, owner)} in the store, skipped")
            continue
        if not force and content_hash(article) in hashes:
            tally.skipped += 1
            continue
        yield article


def _claimed(identity: str, owner: str) -> str:
    if identity == owner:
        return f"article id {identity!r} was already read"
    return f"article id {identity!r} has the document IRI of article {owner!r}"


def _replayable(stdin: TextIO | None) -> TextIO:
    """Standard input as a stream that can be read twice, keeping its raw bytes for the reader to decode."""
    stream = stdin if stdin is not None else sys.stdin
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        return io.StringIO(stream.read())
    return io.TextIOWrapper(io.BytesIO(buffer.read()), encoding="utf-8", errors="replace")


def extract_parallel(
    articles: Iterable[Article], model: str | None, jobs: int, chunk: int = PARALLEL_CHUNK
) -> Iterator[Extraction]:
    """extract_chunked on a pool of `jobs` worker processes, tasks of at most `chunk` articles (and about
    PARALLEL_CHUNK_CHARS of text), in input order.

    The pool forks where the platform can (workers inherit the imported modules, so only the model loads),
    else spawns. Each worker loads the pipeline on its first task, not in a Pool initializer: a failing
    initializer makes the pool restart workers forever, while a failing task re-raises its ModelError here.
    At most `jobs * PARALLEL_IN_FLIGHT` chunks are pending, so memory stays bounded on any corpus size; the
    articles are read in this thread (Pool.imap would drain the input, store look-ups included, in another).
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(jobs) as pool:
        pending: deque[AsyncResult] = deque()
        for part in partitions(articles, chunk, PARALLEL_CHUNK_CHARS):
            pending.append(pool.apply_async(extract_partition, (part, model, PARALLEL_BATCH)))
            if len(pending) >= jobs * PARALLEL_IN_FLIGHT:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
