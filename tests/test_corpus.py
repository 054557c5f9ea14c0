"""The benchmark corpus generator (benchmarks/corpus.py): deterministic, sized as asked, varied, readable."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from graph.sources.readers import read_sources


@pytest.fixture(scope="module")
def corpus(root: Path) -> ModuleType:
    path = root / "benchmarks" / "corpus.py"
    spec = importlib.util.spec_from_file_location("bench_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [0, 7, 20261126])
def test_corpus_same_seed_same_articles(corpus: ModuleType, seed: int) -> None:
    first = list(corpus.generate(seed, articles=20))
    again = list(corpus.generate(seed, articles=20))
    assert first == again
    assert list(corpus.generate(seed + 1, articles=20)) != first


def test_corpus_smaller_corpus_is_a_prefix(corpus: ModuleType) -> None:
    assert list(corpus.generate(3, articles=5)) == list(corpus.generate(3, articles=40))[:5]


@pytest.mark.parametrize("articles", [1, 13, 100])
def test_corpus_requested_article_count(corpus: ModuleType, articles: int) -> None:
    made = list(corpus.generate(11, articles=articles))
    assert len(made) == articles
    assert len({a["id"] for a in made}) == articles


@pytest.mark.parametrize("words", [50, 5_000, 40_000])
def test_corpus_requested_word_count(corpus: ModuleType, words: int) -> None:
    made = list(corpus.generate(5, words=words))
    total = sum(len(a["text"].split()) for a in made)
    last = len(made[-1]["text"].split())
    assert words <= total < words + last  # stops at the first article that reaches the size


def test_corpus_needs_a_size(corpus: ModuleType) -> None:
    with pytest.raises(ValueError):
        next(corpus.generate(1))


def test_corpus_articles_are_varied(corpus: ModuleType) -> None:
    made = list(corpus.generate(2, articles=200))
    texts = [a["text"] for a in made]
    assert len(set(texts)) == 200
    openings = {t.split("\n\n")[1].split(".")[0] for t in texts}
    assert len(openings) > 150  # the body starts differently in almost every article
    sentences = {s.strip() for t in texts for s in t.replace("\n", " ").split(". ")}
    assert len(sentences) > 3_000
    assert len({a["date"] for a in made}) > 150
    assert sum('"' in t for t in texts) > 150  # quotations are common


@pytest.mark.parametrize("short", [True, False])
def test_corpus_article_length(corpus: ModuleType, short: bool) -> None:
    lengths = [len(a["text"].split()) for a in corpus.generate(9, articles=50, short=short)]
    if short:
        assert max(lengths) < 80
    else:
        assert min(lengths) > 100


def test_corpus_jsonl_is_read_by_the_readers(corpus: ModuleType, tmp_path: Path) -> None:
    info = corpus.write_jsonl(tmp_path / "c.jsonl", 4, articles=12)
    lines = (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()
    assert info.articles == len(lines) == 12
    assert info.words == sum(len(json.loads(line)["text"].split()) for line in lines)
    problems: list[str] = []
    articles = list(read_sources([str(info.path)], on_problem=problems.append))
    assert problems == []
    assert [a.id for a in articles] == [json.loads(line)["id"] for line in lines]
    assert all(a.date is not None and a.text.strip() for a in articles)
