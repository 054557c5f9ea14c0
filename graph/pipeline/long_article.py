"""A long article: parsed chunk by chunk, merged, and written to the store part by part.

spaCy refuses texts over `nlp.max_length` and its parser's memory grows with the text, so an article longer
than CHUNK_CHARS characters is cut at paragraph breaks where possible (`split_text`) and its chunks are
parsed one at a time (graph.pipeline.extraction.extract_long), never batched together: a batch holds all its documents'
parses at once, so 64 chunks of 100,000 characters cost gigabytes. The chunks' extractions are merged with
their character offsets shifted (`merge_chunks`), so evidence still points into the article.

Its graph is too large to build or write at once: a 1 MB article has about 150,000 triples, which cost about
0.85 KB each in an rdflib Graph and more than 1.5 KB each in one Oxigraph transaction. So `write_long` builds
it in parts, with graph.rdf.build.build_triples on pieces of the extraction, and writes it in transactions of at
most WRITE_TRIPLES triples:

- every part keeps the article and all its entities; the relations and the quotations are shared out among
  parts; the dispute events go with all the relations (the relations back them, graph.rdf.build_events) and are
  shared out among parts of their own. The union of the parts' graphs is the article's graph, so the store
  ends up holding exactly what one write of the whole graph would hold;
- what the first parts wrote (the document, the entities, the relations) is not written again by the later
  parts that repeat it: the digests of those triples are kept;
- the article's content hash is written last. A build killed in between leaves the article without it, so the
  next build takes it for a changed article and writes it again, whole (its graph is dropped first).
"""
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Sequence

from graph.model import Article, Entity, Evidence, Extraction
from graph.rdf.build import build_triples
from graph.rdf.iri import doc_iri
from graph.rdf.vocab import NG
from graph.store.embedded import StoreHandle
from graph.store.writes import graph_size, insert_lines, nt_triple

# Characters of text handed to spaCy at once. spaCy's default max_length is 1,000,000 and its parser needs
# memory in proportion to the text; 100,000 keeps one chunk's parse in the low hundreds of MB.
CHUNK_CHARS = 100_000
# Where a chunk may end, best first: a paragraph break, a line break, a sentence end, any space.
_CUTS = ("\n\n", "\n", ". ", " ")
ITEMS_PER_PART = 2_000  # relations, quotations or events per part of a long article's graph
WRITE_TRIPLES = 20_000  # triples per transaction of a long article (an Oxigraph transaction holds its writes)
_TERMS_CACHED = 50_000  # IRIs kept formatted while writing (the cache is cleared when it holds more)


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """`text` as (offset, chunk) pieces of at most `limit` characters that concatenate back to `text`.

    Each cut is made after the last paragraph break of the window, else the last line break, sentence end
    or space; a window with none of them (a very long "word") is cut at the limit.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        end = limit
        for cut in _CUTS:
            found = window.rfind(cut)
            if found > 0:
                end = found + len(cut)
                break
        pieces.append((start, window[:end]))
        start += end
    pieces.append((start, text[start:]))
    return pieces


def merge_chunks(article: Article, parts: Sequence[tuple[int, Extraction]]) -> Extraction:
    """One Extraction of `article` from the extractions of its chunks (chunk offset, extraction).

    Entities with the same canonical name are one entity (first class and KB id, all labels); relation
    and quotation evidence is shifted from chunk to article offsets.
    """
    entities: dict[str, Entity] = {}
    merged = Extraction(article=article)
    for offset, part in parts:
        for entity in part.entities:
            known = entities.get(entity.name)
            entities[entity.name] = entity if known is None else dataclasses.replace(
                known, labels=known.labels | entity.labels, kb_id=known.kb_id or entity.kb_id
            )
        merged.relations.extend(
            dataclasses.replace(r, evidence=_shifted(r.evidence, offset)) for r in part.relations
        )
        merged.quotes.extend(dataclasses.replace(q, evidence=_shifted(q.evidence, offset)) for q in part.quotes)
        merged.events.extend(event.shifted(offset) for event in part.events)
    merged.entities = list(entities.values())
    return merged


def _shifted(evidence: Evidence, offset: int) -> Evidence:
    return dataclasses.replace(evidence, start=evidence.start + offset, end=evidence.end + offset)


def graph_parts(extraction: Extraction, size: int = ITEMS_PER_PART) -> Iterator[tuple[bool, Extraction]]:
    """Pieces of `extraction` whose graphs together are its graph (see the module docstring), each with
    whether later parts repeat its triples: first the relations, then the quotations, then the events (with
    all the relations). An extraction with none of them is one part: the document and its entities."""
    ex = extraction
    none = dataclasses.replace(ex, relations=[], quotes=[], events=[])
    yield True, none
    for start in range(0, len(ex.relations), size):
        yield True, dataclasses.replace(none, relations=ex.relations[start:start + size])
    for start in range(0, len(ex.quotes), size):
        yield False, dataclasses.replace(none, quotes=ex.quotes[start:start + size])
    for start in range(0, len(ex.events), size):
        yield False, dataclasses.replace(none, relations=ex.relations, events=ex.events[start:start + size])


def write_long(store: StoreHandle, extraction: Extraction, flush_every: int = 0) -> int:
    """Replace the article's graph in the store by the graph of `extraction`, part by part (see the module
    docstring); returns the number of triples the article's graph holds. Every `flush_every` triples the
    store's memtables are flushed to disk (0: never)."""
    doc = doc_iri(extraction.article.id)
    repeated: set[bytes] = set()  # digests of the triples of the parts that later parts repeat
    last: list[str] = []  # the content hash, written at the end
    pending: list[str] = []
    replace, unflushed = True, 0

    def write(lines: list[str]) -> None:
        nonlocal replace, unflushed
        insert_lines(store, doc, lines, replace=replace)
        replace, unflushed = False, unflushed + len(lines)
        if flush_every and unflushed >= flush_every:
            store.ox.flush()
            unflushed = 0

    for repeats, part in graph_parts(extraction):
        cache: dict[str, str] = {}
        for triple in build_triples(part):
            line = nt_triple(triple, cache)
            if len(cache) > _TERMS_CACHED:
                cache.clear()
            if triple[1] == NG.contentHash and triple[0] == doc:
                if line not in last:
                    last.append(line)
                continue
            digest = hashlib.blake2b(line.encode("utf-8"), digest_size=16).digest()
            if digest in repeated:
                continue
            if repeats:
                repeated.add(digest)
            pending.append(line)
            if len(pending) >= WRITE_TRIPLES:
                write(pending)
                pending = []
    write([*pending, *last])
    return graph_size(store, doc)
