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
_LOWERS = "newsgraph.lowers"
_POS = "newsgraph.pos"
_TEXTS = "newsgraph.texts"
_DATES = "newsgraph.dates"


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


def doc_lowers(doc: Doc) -> list[str]:
    """Each token's `lower_`, by index: rules that test every token against a word list read this list instead
    of asking spaCy for the string each time."""
    lowers = doc.user_data.get(_LOWERS)
    if lowers is None:
        lowers = doc.user_data[_LOWERS] = [t.lower_ for t in doc_tokens(doc)]
    return lowers


def doc_pos(doc: Doc) -> list[str]:
    """Each token's `pos_`, by index (see doc_lowers)."""
    pos = doc.user_data.get(_POS)
    if pos is None:
        pos = doc.user_data[_POS] = [t.pos_ for t in doc_tokens(doc)]
    return pos


def doc_texts(doc: Doc) -> list[str]:
    """Each token's `text`, by index (see doc_lowers)."""
    texts = doc.user_data.get(_TEXTS)
    if texts is None:
        texts = doc.user_data[_TEXTS] = [t.text for t in doc_tokens(doc)]
    return texts


def doc_dates(doc: Doc) -> tuple[tuple[Span, Token], ...]:
    """The DATE and TIME entities with their root tokens (`Span.root` walks the whole span on each access, and
    the date rules ask it for every date of the document at every strike word)."""
    dates = doc.user_data.get(_DATES)
    if dates is None:
        dates = doc.user_data[_DATES] = tuple((e, e.root) for e in doc_ents(doc) if e.label_ in ("DATE", "TIME"))
    return dates
