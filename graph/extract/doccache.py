"""The text and the tokens of a parsed document, each computed once per document.

spaCy joins every token's text on each access to `Doc.text`, and creates a new `Token` object for every token
each time a `Doc` is iterated or indexed; the rules read both, and the entities, many times per article, which made that
bookkeeping a fifth of the extraction's time. The values are kept in `Doc.user_data`, so they live and die with
the document they describe.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import TypeVar

from spacy.tokens import Doc, Span, Token

from graph.dates import is_ordinal_day, is_weekday, names_last_week

_TEXT = "newsgraph.text"
_TOKENS = "newsgraph.tokens"
_ENTS = "newsgraph.ents"
_LEMMAS = "newsgraph.lemmas"
_AT = "newsgraph.positions"
_LOWERS = "newsgraph.lowers"
_POS = "newsgraph.pos"
_TEXTS = "newsgraph.texts"
_DATES = "newsgraph.dates"
T = TypeVar("T")


def doc_memo(doc: Doc, key: str, make: Callable[[], T]) -> T:
    """The value kept under `key` in the document's user data, made the first time it is asked for (every
    per-document value of the rules is kept this way)."""
    try:
        return doc.user_data[key]  # type: ignore[no-any-return]
    except KeyError:
        value = doc.user_data[key] = make()
        return value


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once."""
    return doc_memo(doc, _TEXT, lambda: doc.text)


def known_text(doc: Doc, text: str) -> None:
    """Record `text` as the document's text when the document was made from it (its last token ends where the
    text does), so that `doc_text` need not join every token's text again."""
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(text) and doc[0].idx == 0:
        doc.user_data.setdefault(_TEXT, text)


def doc_tokens(doc: Doc) -> list[Token]:
    """The document's tokens as one list: iterate or index it instead of the Doc in rules that read every token."""
    return doc_memo(doc, _TOKENS, lambda: list(doc))


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """`doc.ents`, built once (each access makes a new Span, and its tokens, for every entity)."""
    return doc_memo(doc, _ENTS, lambda: tuple(doc.ents))


def doc_lowers(doc: Doc) -> list[str]:
    """Each token's `lower_`, by index: rules that test every token against a word list read this list instead
    of asking spaCy for the string each time."""
    return doc_memo(doc, _LOWERS, lambda: [t.lower_ for t in doc_tokens(doc)])


def doc_pos(doc: Doc) -> list[str]:
    """Each token's `pos_`, by index (see doc_lowers)."""
    return doc_memo(doc, _POS, lambda: [t.pos_ for t in doc_tokens(doc)])


def doc_texts(doc: Doc) -> list[str]:
    """Each token's `text`, by index (see doc_lowers)."""
    return doc_memo(doc, _TEXTS, lambda: [t.text for t in doc_tokens(doc)])


def doc_lemmas(doc: Doc) -> list[str]:
    """Each token's lemma, lowercased, by index (see doc_lowers)."""
    return doc_memo(doc, _LEMMAS, lambda: [t.lemma_.lower() for t in doc_tokens(doc)])


def tokens_with(doc: Doc, words: frozenset[str], within: Span | None = None, lemma: bool = False) -> list[Token]:
    """The tokens (of the span `within`, else of the document) whose word, or with `lemma` whose lemma, is one of
    `words` (lowercased), in text order. Most rules start from a trigger word most sentences lack: the positions
    of each list's words are found once per document (one pass over plain strings), which spares each rule a
    walk over every token of every sentence."""
    found_by_list: dict[frozenset[str], list[int]] = doc_memo(doc, f"{_AT}.{lemma}", dict)
    found = found_by_list.get(words)
    if found is None:
        found = found_by_list[words] = [i for i, w in enumerate(doc_lemmas(doc) if lemma else doc_lowers(doc))
                                        if w in words]
    toks = doc_tokens(doc)
    if within is None:
        return [toks[i] for i in found]
    return [toks[i] for i in found[bisect_left(found, within.start):bisect_left(found, within.end)]]


def doc_dates(doc: Doc) -> tuple[tuple[Span, Token], ...]:
    """The DATE and TIME entities with their root tokens (`Span.root` walks the whole span on each access, and
    the date rules ask it for every date of the document at every strike word). 'on the 9th', which the small
    NER may label ORDINAL or leave out, is a date too."""
    def dates() -> tuple[tuple[Span, Token], ...]:
        found = [e for e in doc_ents(doc) if e.label_ in ("DATE", "TIME")]
        covered = {i for e in found for i in range(e.start, e.end)}
        lowers = doc_lowers(doc)
        found += [Span(doc, i - 1, i + 1, label="DATE") for i, text in enumerate(doc_texts(doc))
                  if i >= 2 and i not in covered and text[:1].isdigit() and is_ordinal_day(text)
                  and lowers[i - 1] == "the" and lowers[i - 2] == "on"]
        return tuple((e, e.root) for e in _join_last_week(doc, sorted(found, key=lambda e: e.start)))

    return doc_memo(doc, _DATES, dates)


def _join_last_week(doc: Doc, dates: list[Span]) -> list[Span]:
    """'last week on Tuesday', 'Tuesday last week': one date, which the small NER cuts in two."""
    out: list[Span] = []
    for e in dates:
        prev = out[-1] if out else None
        gap = doc_lowers(doc)[prev.end:e.start] if prev is not None else None
        if prev is not None and gap is not None and set(gap) <= {"on", "of"} and len(gap) <= 1 and (
                names_last_week(prev.text) and is_weekday(e.text) or is_weekday(prev.text) and names_last_week(e.text)):
            out[-1] = Span(doc, prev.start, e.end, label="DATE")
            continue
        out.append(e)
    return out
