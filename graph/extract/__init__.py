"""Relation and entity extraction over spaCy documents (spaCy only: no rdflib here).

Public entry points:
- `extract_doc(doc, article)`: one parsed article to an Extraction.
- `extract_articles(articles, nlp, batch_size, n_process)`: stream of Extractions, one nlp.pipe over all.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from graph.model import Article, Extraction


def extract_doc(doc: Doc, article: Article) -> Extraction:
    """Extract entities, relations and quotes of one parsed article."""
    raise NotImplementedError  # being written now


def extract_articles(
    articles: Iterable[Article], nlp: Language, batch_size: int = 32, n_process: int = 1
) -> Iterator[Extraction]:
    """Parse articles with one nlp.pipe call and extract each, in input order."""
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield extract_doc(doc, article)
