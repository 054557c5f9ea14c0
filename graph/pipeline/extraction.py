"""Extraction of a run of articles, the same wherever it runs: in the build's process, in a pool worker process
or on a Dask worker.

`extract_chunked` is what every executor runs over its articles: runs of short articles go through one
extract_articles stream, and an article longer than CHUNK_CHARS characters is split at paragraph breaks, parsed
one chunk at a time and merged (graph.pipeline.long_article). `extract_partition` is the task of a worker
process, the same for the process pool of graph.pipeline.build (`--jobs`) and for the Dask workers of
graph.pipeline.distributed: it loads the spaCy pipeline once per process (`worker_pipeline`) and extracts one
partition of articles (`partitions`), so every executor gives the graph of a local build. Both of those modules
import this one, and neither imports the other.
"""
from __future__ import annotations

import dataclasses
import itertools
import threading
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from graph.extract.extractor import extract_articles
from graph.extract.nlp import load_pipeline
from graph.model import Article, Extraction
from graph.pipeline.long_article import CHUNK_CHARS, merge_chunks, split_text
from graph.rdf.kb import load_kb

if TYPE_CHECKING:
    from spacy.language import Language

# This worker process's loaded pipelines, by model name and loader (a test's stand-in loader gets its own).
_MODELS: dict[tuple[str | None, Any], Language] = {}
_MODELS_LOCK = threading.Lock()  # threads of one worker process share the cache; load each model once


def extract_chunked(
    articles: Iterable[Article], nlp: Language, batch_size: int = 64, jobs: int = 1, limit: int | None = None
) -> Iterator[Extraction]:
    """extract_articles over the articles, in order; an article longer than `limit` (CHUNK_CHARS) characters
    is split by `split_text` and parsed one chunk at a time, then merged (`merge_chunks`).

    Runs of short articles go through one extract_articles stream each (batched, in `jobs` processes). The
    chunks of a long article are parsed one by one, never batched together: a batch holds its documents'
    parses at once, so 64 chunks of 100,000 characters cost gigabytes, while one chunk at a time keeps a long
    article's memory that of one chunk plus its (small) extraction.
    """
    size = CHUNK_CHARS if limit is None else limit
    for long, run in itertools.groupby(articles, key=lambda article: len(article.text) > size):
        if long:
            for article in run:
                yield extract_long(article, nlp, size)
        else:
            yield from extract_articles(run, nlp, batch_size=batch_size, n_process=jobs)


def extract_long(article: Article, nlp: Language, limit: int = CHUNK_CHARS) -> Extraction:
    """The Extraction of one long article, parsed chunk by chunk (see extract_chunked)."""
    parts = []
    for offset, piece in split_text(article.text, limit):
        chunk = dataclasses.replace(article, text=piece)
        parts.append((offset, next(iter(extract_articles([chunk], nlp, batch_size=1)))))
    return merge_chunks(article, parts)


def worker_pipeline(model: str | None) -> Language:
    """The spaCy pipeline of this process, loaded on first use and then reused."""
    key = (model, load_pipeline)  # looked up at call time, so tests can stand in a fake loader
    with _MODELS_LOCK:
        nlp = _MODELS.get(key)
        if nlp is None:
            nlp = _MODELS[key] = load_pipeline(model, load_kb())
        return nlp


def extract_partition(articles: list[Article], model: str | None, batch_size: int) -> list[Extraction]:
    """The task run on a worker: the extractions of one partition, in order."""
    return list(extract_chunked(articles, worker_pipeline(model), batch_size=batch_size))


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
