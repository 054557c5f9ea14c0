"""The build pipeline: batching, skipping unchanged articles, the confidence filter, early input errors."""
from __future__ import annotations

import gc
from pathlib import Path

import pytest
from conftest import HARBOR_TEXTS, harbor_extraction

import graph.pipeline as pipeline
from graph.build import build_graph
from graph.errors import InputError
from graph.iri import doc_iri
from graph.store import export, open_store
from graph.vocab import NG


@pytest.fixture()
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for index, text in enumerate(HARBOR_TEXTS):
        (folder / f"harbor-{index}.txt").write_text(text, encoding="utf-8")
    return folder


def _released(path: Path) -> Path:
    gc.collect()  # the pipeline's store handle is gone; make sure its lock is too
    return path


def test_pipeline_content_hash_matches_the_built_document() -> None:
    extraction = harbor_extraction(0)
    graph = build_graph(extraction)
    doc = doc_iri(extraction.article.id)
    assert str(graph.value(doc, NG.contentHash)) == pipeline.content_hash(extraction.article)


def test_pipeline_builds_every_article_once(fake_nlp, sources: Path, tmp_path: Path) -> None:
    summary = pipeline.build([str(sources)], tmp_path / "s.store")
    assert (summary.articles, summary.built, summary.skipped) == (2, 2, 0)
    assert summary.entities == 4
    assert summary.relations == 5 + 1 + 3  # relations and the quotation of article 0, relations of article 1
    assert summary.triples > 0
    assert fake_nlp == [1]
    assert "built 2 of 2 articles (0 unchanged)" in summary.line()


def test_pipeline_rebuild_skips_unchanged_articles(fake_nlp, sources: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "s.store"
    pipeline.build([str(sources)], store_path)
    first = export(open_store(_released(store_path), read_only=True), "nq")
    again = pipeline.build([str(sources)], store_path)
    assert (again.articles, again.built, again.skipped, again.triples) == (2, 0, 2, 0)
    assert export(open_store(_released(store_path), read_only=True), "nq") == first


def test_pipeline_same_article_twice_in_one_run_is_built_once(fake_nlp, sources: Path, tmp_path: Path) -> None:
    one = str(sources / "harbor-0.txt")
    summary = pipeline.build([one, one], tmp_path / "s.store")
    assert (summary.articles, summary.built, summary.skipped) == (2, 1, 1)


@pytest.mark.parametrize("batch_size", [1, 2, 64])
def test_pipeline_batch_size_does_not_change_the_store(fake_nlp, sources: Path, tmp_path: Path, batch_size) -> None:
    reference = tmp_path / "reference.store"
    pipeline.build([str(sources)], reference, batch_size=64)
    batched = tmp_path / f"batched-{batch_size}.store"
    pipeline.build([str(sources)], batched, batch_size=batch_size)
    assert export(open_store(_released(batched), read_only=True), "nq") == export(
        open_store(_released(reference), read_only=True), "nq"
    )


def test_pipeline_min_confidence_drops_weak_relations(fake_nlp, sources: Path, tmp_path: Path) -> None:
    summary = pipeline.build([str(sources)], tmp_path / "s.store", min_confidence=0.85)
    assert summary.relations == 2  # negotiatesWith (0.9) and the quotation (0.95)
    text = export(open_store(_released(tmp_path / "s.store"), read_only=True), "nt").decode("utf-8")
    assert "#negotiatesWith>" in text
    assert "#leads>" not in text  # 0.6
    assert "#reachesAgreementWith>" not in text  # 0.5


@pytest.mark.parametrize(("threshold", "kept"), [(0.0, 5), (0.8, 4), (0.85, 1), (0.95, 0)])
def test_pipeline_filter_confidence_keeps_relations_at_or_above(threshold: float, kept: int) -> None:
    assert len(pipeline.filter_confidence(harbor_extraction(0), threshold).relations) == kept


def test_pipeline_missing_source_fails_before_store_and_model(fake_nlp, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        pipeline.build([str(tmp_path / "absent")], tmp_path / "s.store")
    assert not (tmp_path / "s.store").exists()
    assert fake_nlp == []


def test_pipeline_reports_input_problems(fake_nlp, sources: Path, tmp_path: Path) -> None:
    (sources / "empty.txt").write_text("  \n", encoding="utf-8")
    problems: list[str] = []
    summary = pipeline.build([str(sources)], tmp_path / "s.store", on_problem=problems.append)
    assert summary.built == 2
    assert len(problems) == 1 and "empty.txt" in problems[0]


def test_pipeline_real_extractor_builds_the_seed_article(root: Path, tmp_path: Path) -> None:
    summary = pipeline.build([str(root / "seeds")], tmp_path / "seed.store")
    assert summary.built == summary.articles >= 1
    assert summary.entities > 0
    assert summary.relations > 0
