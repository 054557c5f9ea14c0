"""The text and the tokens of a parsed document, each computed once per document.

spaCy joins every token's text on each access to `Doc.text`, and creates a new `Token` object for every token
each time a `Doc` is iterated or indexed; the rules read both, and the entities, many times per article, which made that
bookkeeping a fifth of the extraction's time. The values are kept in `Doc.user_data`, so they live and die with
the document they describe.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

_TEXT = "newsgraph.text"
_TOKENS = "newsgraph.tokens"
_ENTS = "newsgraph.ents"


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def doc_tokens(doc: Doc) -> list[Token]:
    """The document's tokens as one list: iterate or index it instead of the Doc in rules that read every token."""
    tokens = doc.user_data.get(_TOKENS)
    if tokens is None:
        tokens = doc.user_data[_TOKENS] = list(doc)
    return tokens


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """`doc.ents`, built once (each access makes a new Span, and its tokens, for every entity)."""
    ents = doc.user_data.get(_ENTS)
    if ents is None:
        ents = doc.user_data[_ENTS] = tuple(doc.ents)
    return ents
