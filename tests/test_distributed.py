"""Distributed extraction on Dask: a LocalCluster of two workers builds the same store as a local build."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import HARBOR_TEXTS

import graph.pipeline.distributed
from graph.model import Article
from graph.pipeline import build as pipeline
from graph.pipeline.distributed import extract_distributed, partitions
from graph.store.embedded import export, open_store

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """Two single-threaded workers in this process (processes=False starts in about a second, and lets a test's
    stand-in extractor reach the workers); a build connects to it by address, as to a remote cluster."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address="127.0.0.1:0") as cluster:
        yield cluster.scheduler_address




def _nq(path: Path) -> bytes:
    gc.collect()  # the build's handle is gone; free the lock before reading
    return export(open_store(path, read_only=True), "nq")


@pytest.mark.parametrize(("count", "size", "expected"), [(0, 3, []), (5, 2, [2, 2, 1]), (4, 4, [4]), (3, 5, [3])])
def test_distributed_partitions(count: int, size: int, expected: list[int]) -> None:
    items = [Article(id=f"a{index}", text="x") for index in range(count)]
    chunks = list(partitions(items, size))
    assert [len(chunk) for chunk in chunks] == expected
    assert [item for chunk in chunks for item in chunk] == items


def test_distributed_build_equals_the_local_build(fake_nlp: list[int], sources: Path, tmp_path: Path,
                                                  scheduler: str) -> None:
    local = pipeline.build([str(sources)], tmp_path / "local.store", batch_size=1, jobs=1)
    loads_before = len(fake_nlp)
    remote = pipeline.build([str(sources)], tmp_path / "dask.store", batch_size=1, executor="dask",
                            scheduler=scheduler)  # batch_size 1: one partition per article
    assert (remote.built, remote.triples, remote.entities, remote.relations) == \
           (local.built, local.triples, local.entities, local.relations)
    assert remote.built == 2
    assert _nq(tmp_path / "dask.store") == _nq(tmp_path / "local.store")
    assert len(fake_nlp) - loads_before == 1  # one model load shared by the in-process workers, not one per task


_WORKERS_USED: list[str] = []  # module level: Dask pickles a module's functions by reference, closures by value
_EXTRACT_PARTITION = graph.pipeline.distributed.extract_partition


def _recorded_partition(articles: list[Article], model: str | None, batch_size: int) -> list:
    _WORKERS_USED.append(distributed.get_worker().address)
    return _EXTRACT_PARTITION(articles, model, batch_size)


def test_distributed_keeps_input_order_and_uses_both_workers(fake_nlp: list[int], scheduler: str,
                                                              monkeypatch) -> None:
    _WORKERS_USED.clear()
    monkeypatch.setattr(graph.pipeline.distributed, "extract_partition", _recorded_partition)
    articles = [Article(id=f"a{index}", text=HARBOR_TEXTS[index % 2]) for index in range(9)]
    with distributed.Client(scheduler) as client:
        extracted = list(extract_distributed(articles, client, batch_size=1))
    assert [extraction.article.id for extraction in extracted] == [article.id for article in articles]
    assert len(_WORKERS_USED) == 9
    assert len(set(_WORKERS_USED)) == 2


def test_distributed_rebuild_skips_unchanged_articles(fake_nlp: list[int], sources: Path, tmp_path: Path,
                                                      scheduler: str) -> None:
    store = tmp_path / "dask.store"
    pipeline.build([str(sources)], store, executor="dask", scheduler=scheduler)
    gc.collect()
    again = pipeline.build([str(sources)], store, executor="dask", scheduler=scheduler)
    assert (again.built, again.skipped) == (0, 2)


def test_distributed_real_extractor_equals_jobs_1(data_dir: Path, tmp_path: Path, scheduler: str) -> None:
    sources = str(data_dir / "articles")
    pipeline.build([sources], tmp_path / "local.store", batch_size=2, jobs=1)
    pipeline.build([sources], tmp_path / "dask.store", batch_size=2, executor="dask", scheduler=scheduler)
    built = _nq(tmp_path / "dask.store")
    assert built == _nq(tmp_path / "local.store")
    assert built.count(b"\n") > 100


def test_distributed_cli_starts_a_local_cluster_of_processes(data_dir: Path, tmp_path: Path) -> None:
    # The default without --scheduler: a LocalCluster of --jobs worker processes, each loading spaCy once.
    from click.testing import CliRunner

    from graph.cli import main

    sources = str(data_dir / "articles")
    result = CliRunner().invoke(main, ["build", sources, "--store", str(tmp_path / "dask.store"),
                                       "--executor", "dask", "--jobs", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "built 4 of 4 articles" in result.stderr
    pipeline.build([sources], tmp_path / "local.store", jobs=1)
    assert _nq(tmp_path / "dask.store") == _nq(tmp_path / "local.store")
