"""Writing batches in a thread beside the parse (graph.store.writer): everything handed over lands, in order, and a
failure reaches the caller."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import rdflib

from graph.errors import StoreError
from graph.store.embedded import open_store
from graph.store.writer import BatchWriter


def _count(store) -> int:
    return sum(1 for _ in store.ox.quads_for_pattern(None, None, None))


def test_writer_writes_every_batch_and_counts_the_triples(tmp_path: Path, harbor_graphs) -> None:
    store = open_store(tmp_path / "s")
    with BatchWriter(store) as writer:
        for graph in harbor_graphs:
            writer.write([graph])
        writer.write([])  # nothing to write is no batch
    total = sum(len(graph) for _, graph in harbor_graphs)
    assert writer.triples == total
    assert _count(store) == total


def test_writer_later_batch_of_the_same_article_wins(tmp_path: Path, harbor_graphs) -> None:
    (name, graph), _ = harbor_graphs
    smaller = rdflib.Graph()
    for triple in graph.triples((name, None, None)):
        smaller.add(triple)
    store = open_store(tmp_path / "s")
    with BatchWriter(store) as writer:
        writer.write([(name, graph)])
        writer.write([(name, smaller)])
    assert _count(store) == len(smaller)


def test_writer_failed_write_is_raised_to_the_caller(tmp_path: Path, harbor_graphs) -> None:
    store = open_store(tmp_path / "s")
    read_only = replace(store, read_only=True)
    with pytest.raises(StoreError, match="read-only"), BatchWriter(read_only) as writer:
        writer.write(harbor_graphs[:1])
    assert _count(store) == 0


def test_writer_lets_the_handed_over_batch_land_when_the_caller_fails(tmp_path: Path, harbor_graphs) -> None:
    store = open_store(tmp_path / "s")
    with pytest.raises(KeyboardInterrupt), BatchWriter(store) as writer:
        writer.write(harbor_graphs)
        raise KeyboardInterrupt  # Ctrl-C while the next batch is being parsed
    assert _count(store) == sum(len(graph) for _, graph in harbor_graphs)


@pytest.mark.parametrize(("flush_every", "flushes"), [(0, 0), (1, 2)])
def test_writer_flushes_every_so_many_triples(tmp_path: Path, harbor_graphs, flush_every: int, flushes: int) -> None:
    store = open_store(tmp_path / "s")
    calls: list[int] = []

    class Counting:  # the store's calls, counting flushes
        def __getattr__(self, name: str):
            return getattr(store.ox, name)

        def flush(self) -> None:
            calls.append(1)
            store.ox.flush()

    with BatchWriter(replace(store, ox=Counting()), flush_every=flush_every) as writer:  # type: ignore[arg-type]
        for graph in harbor_graphs:
            writer.write([graph])
    assert len(calls) == flushes
    assert _count(store) == writer.triples
