"""The build pipeline: batching, skipping unchanged articles, the confidence filter, early input errors,
worker processes (jobs > 1)."""
from __future__ import annotations

import dataclasses
import gc
import multiprocessing
from pathlib import Path

import pytest
from conftest import HARBOR_TEXTS, harbor_extraction

import graph.pipeline.build as pipeline
import graph.pipeline.extraction as extraction
from graph.errors import InputError, ModelError
from graph.model import Article
from graph.rdf.build import build_graph
from graph.rdf.iri import doc_iri
from graph.rdf.vocab import NG
from graph.sources.readers import read_sources
from graph.store.embedded import export, open_store


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


# --- worker processes (jobs > 1) ------------------------------------------------------------------------
# The fake pipeline reaches the workers only by fork (they inherit the monkeypatched module).
needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")


@needs_fork
@pytest.mark.parametrize(("count", "chunk"), [(1, 1), (7, 1), (7, 3), (12, 16)])
def test_pipeline_extract_parallel_keeps_input_order(fake_nlp, count: int, chunk: int) -> None:
    articles = [Article(id=f"a{index:02d}", text=HARBOR_TEXTS[index % 2]) for index in range(count)]
    got = list(pipeline.extract_parallel(articles, None, jobs=2, chunk=chunk))
    assert [e.article.id for e in got] == [a.id for a in articles]
    assert [len(e.relations) for e in got] == [5 if index % 2 == 0 else 3 for index in range(count)]
    assert fake_nlp == []  # the main process never loads the model: the workers do


@needs_fork
def test_pipeline_extract_parallel_reraises_a_worker_model_error(monkeypatch) -> None:
    def broken(model, known):  # noqa: ANN001 -- stands in for graph.extract.nlp.load_pipeline
        raise ModelError(f"no model {model}")

    monkeypatch.setattr(extraction, "load_pipeline", broken)
    monkeypatch.setattr(extraction, "load_kb", lambda: [])
    with pytest.raises(ModelError, match="no model absent-model"):
        list(pipeline.extract_parallel([Article(id="a", text="Some words.")], "absent-model", jobs=2))


@needs_fork
def test_pipeline_jobs_do_not_change_the_store_fake(fake_nlp, sources: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.store", tmp_path / "two.store"
    pipeline.build([str(sources)], one, jobs=1)
    summary = pipeline.build([str(sources)], two, jobs=2)
    assert (summary.built, summary.relations) == (2, 9)
    assert export(open_store(_released(two), read_only=True), "nq") == export(
        open_store(_released(one), read_only=True), "nq"
    )


def test_pipeline_jobs_do_not_change_the_store(root: Path, data_dir: Path, tmp_path: Path) -> None:
    sources = [str(data_dir / "articles"), str(root / "seeds")]
    one, two = tmp_path / "one.store", tmp_path / "two.store"
    first = pipeline.build(sources, one, jobs=1)
    second = pipeline.build(sources, two, jobs=2)
    assert first == dataclasses.replace(second, store=first.store)
    assert first.built >= 5
    assert export(open_store(_released(two), read_only=True), "nq") == export(
        open_store(_released(one), read_only=True), "nq"
    )


@needs_fork
def test_pipeline_extract_parallel_chunks_long_texts_like_one_process(nlp, data_dir: Path, monkeypatch) -> None:
    # A tiny chunk size, inherited by the forked workers, splits every article into several chunks.
    monkeypatch.setattr(extraction, "CHUNK_CHARS", 400)
    articles = list(read_sources([str(data_dir / "articles")]))
    assert any(len(pipeline.split_text(a.text, 400)) > 2 for a in articles)
    local = list(pipeline.extract_chunked(articles, nlp))
    assert list(pipeline.extract_parallel(articles, None, jobs=2, chunk=2)) == local


# --- identity: an article is its source; pruning; what a folder build leaves out ---------------------------
def _documents(store_path: Path) -> dict[str, str]:
    """identity -> content hash of every document in the store."""
    import pyoxigraph as ox

    from graph.store.articles import stored_articles

    store = open_store(_released(store_path), read_only=True)
    out = {}
    for article in stored_articles(store):
        (quad,) = store.ox.quads_for_pattern(ox.NamedNode(article.doc), ox.NamedNode(str(NG.contentHash)), None)
        out[article.id] = quad.object.value
    return out


def test_pipeline_edited_article_replaces_its_earlier_version(fake_nlp, sources: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "s.store"
    pipeline.build([str(sources)], store_path)
    (sources / "harbor-0.txt").write_text(HARBOR_TEXTS[1], encoding="utf-8")  # the same file, another text
    again = pipeline.build([str(sources)], store_path)
    assert (again.articles, again.built, again.skipped) == (2, 1, 1)
    stored = _documents(store_path)
    assert sorted(stored) == ["harbor-0.txt", "harbor-1.txt"]  # replaced, not added
    assert stored["harbor-0.txt"] == stored["harbor-1.txt"]  # harbor-0.txt now holds the second text


def test_pipeline_identity_does_not_depend_on_how_the_folder_is_named(fake_nlp, sources: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    store_path = tmp_path / "s.store"
    pipeline.build([str(sources)], store_path)
    monkeypatch.chdir(sources.parent)
    again = pipeline.build([sources.name + "/"], store_path)
    assert (again.built, again.skipped) == (0, 2)


def test_pipeline_prune_removes_articles_whose_source_is_gone(fake_nlp, sources: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "s.store"
    pipeline.build([str(sources)], store_path)
    (sources / "harbor-1.txt").unlink()
    kept = pipeline.build([str(sources)], store_path)  # without --prune nothing is removed
    assert kept.pruned == () and sorted(_documents(store_path)) == ["harbor-0.txt", "harbor-1.txt"]
    pruned = pipeline.build([str(sources)], store_path, prune=True)
    assert pruned.pruned == ("harbor-1.txt",)
    assert "pruned 1 article(s) whose source is gone: harbor-1.txt" in pruned.line()
    assert sorted(_documents(store_path)) == ["harbor-0.txt"]


def test_pipeline_prune_is_refused_when_an_input_failed(fake_nlp, sources: Path, tmp_path: Path) -> None:
    store_path = tmp_path / "s.store"
    pipeline.build([str(sources)], store_path)
    (sources / "harbor-1.txt").write_text("  \n", encoding="utf-8")  # unreadable now, not gone
    problems: list[str] = []
    summary = pipeline.build([str(sources)], store_path, prune=True, on_problem=problems.append)
    assert summary.pruned == ()
    assert any(p.startswith("not pruned") for p in problems)
    assert sorted(_documents(store_path)) == ["harbor-0.txt", "harbor-1.txt"]


def test_pipeline_two_sources_claiming_one_identity_are_reported(fake_nlp, tmp_path: Path) -> None:
    for index, folder in enumerate(("a", "b")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(HARBOR_TEXTS[index], encoding="utf-8")
    problems: list[str] = []
    summary = pipeline.build([str(tmp_path / "a"), str(tmp_path / "b")], tmp_path / "s.store",
                             on_problem=problems.append)
    assert (summary.built, summary.skipped) == (1, 1)
    assert len(problems) == 1 and "'story.txt' was already read" in problems[0]


def test_pipeline_summary_names_the_files_a_folder_build_left_out(fake_nlp, sources: Path, tmp_path: Path) -> None:
    (sources / "README.md").write_text("# Articles\n\ndate YYYY-MM-DD, ISO dates.\n", encoding="utf-8")
    summary = pipeline.build([str(sources)], tmp_path / "s.store", exclude=["harbor-1.*"])
    assert summary.built == 1
    assert summary.left_out == (f"{sources.as_posix()}/README.md", f"{sources.as_posix()}/harbor-1.txt")
    assert summary.line().endswith(f"; not read: {sources.as_posix()}/README.md, {sources.as_posix()}/harbor-1.txt")


def test_pipeline_missing_knowledge_base_leaves_no_store(fake_nlp, sources: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def missing():  # noqa: ANN202
        raise InputError("knowledge base not found: /nowhere/kb.ttl")

    monkeypatch.setattr(pipeline, "load_kb", missing)
    with pytest.raises(InputError, match="knowledge base not found"):
        pipeline.build([str(sources)], tmp_path / "s.store")
    assert not (tmp_path / "s.store").exists()


def test_pipeline_failed_first_build_removes_the_store_it_created(fake_nlp, sources: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def unloadable(model, known):  # noqa: ANN001, ANN202
        raise ModelError("no trained spaCy model could be loaded")

    monkeypatch.setattr(pipeline, "load_pipeline", unloadable)
    with pytest.raises(ModelError):
        pipeline.build([str(sources)], tmp_path / "s.store")
    assert not (tmp_path / "s.store").exists()
    existing = tmp_path / "kept.store"
    open_store(existing)
    _released(existing)
    with pytest.raises(ModelError):
        pipeline.build([str(sources)], existing)
    assert (existing / "CURRENT").is_file()  # a store that was there before is never removed
