"""The build pipeline: read articles, extract, build RDF, write to the store in batches.

The store, the knowledge base and the spaCy pipeline are opened once per build. Articles whose graph
already records the same content hash are skipped before parsing, so rebuilding a folder only pays for
new or changed articles. Each batch of article graphs is written in one store transaction.
"""
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from rdflib import Graph, URIRef

from graph.build import build_graph, entity_node
from graph.extract import extract_articles
from graph.iri import doc_iri
from graph.kb import load_kb
from graph.model import Article, Extraction
from graph.nlp import load_pipeline
from graph.readers import read_sources
from graph.store import StoreHandle, has_article, open_store, write_articles


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

    def line(self) -> str:
        return (
            f"built {self.built} of {self.articles} articles ({self.skipped} unchanged): "
            f"{self.triples} triples, {self.entities} entities, {self.relations} relations -> {self.store}"
        )


@dataclass
class _Tally:
    """Running counts while the article stream is consumed."""

    articles: int = 0
    built: int = 0
    skipped: int = 0
    triples: int = 0
    relations: int = 0
    entities: set[URIRef] = field(default_factory=set)
    seen: set[URIRef] = field(default_factory=set)


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
) -> BuildSummary:
    """Build (or update) the store at `store_path` from `sources`; see the module docstring."""
    # Sources are checked before the slow model load, so a typo in a path fails at once.
    articles = read_sources(
        sources, default_date=default_date, on_problem=on_problem, stdin=stdin, strict=strict
    )
    store = open_store(store_path)
    nlp = load_pipeline(model, load_kb())
    tally = _Tally()
    fresh = _unchanged_skipped(articles, store, tally, force)
    batch: list[tuple[URIRef, Graph]] = []
    for extraction in extract_articles(fresh, nlp, batch_size=batch_size, n_process=jobs):
        kept = filter_confidence(extraction, min_confidence)
        batch.append((doc_iri(kept.article.id), build_graph(kept)))
        tally.built += 1
        tally.relations += len(kept.relations) + len(kept.quotes)
        tally.entities.update(entity_node(entity) for entity in kept.entities)
        if len(batch) >= batch_size:
            tally.triples += write_articles(store, batch)
            batch = []
    tally.triples += write_articles(store, batch)
    store.ox.flush()
    return BuildSummary(
        articles=tally.articles,
        built=tally.built,
        skipped=tally.skipped,
        triples=tally.triples,
        entities=len(tally.entities),
        relations=tally.relations,
        store=str(store.path),
    )


def filter_confidence(extraction: Extraction, min_confidence: float) -> Extraction:
    """The extraction without relations and quotations below `min_confidence`."""
    if min_confidence <= 0.0:
        return extraction
    return dataclasses.replace(
        extraction,
        relations=[r for r in extraction.relations if r.evidence.confidence >= min_confidence],
        quotes=[q for q in extraction.quotes if q.evidence.confidence >= min_confidence],
    )


def _unchanged_skipped(articles: Iterable[Article], store: StoreHandle, tally: _Tally,
                       force: bool = False) -> Iterator[Article]:
    """The articles to build: not stored already with the same text (unless `force`, e.g. after a change
    of model or rules), not seen earlier in this run."""
    for article in articles:
        tally.articles += 1
        doc = doc_iri(article.id)
        if doc in tally.seen or (not force and has_article(store, doc, content_hash(article))):
            tally.skipped += 1
            continue
        tally.seen.add(doc)
        yield article
