"""Dates of strike events: the DATE entities of a trigger's own clause, resolved against the publication date,
in the year the sentence names, and whether a date lies after publication (an announced strike)."""
from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Span, Token

from graph.dates import resolve_date
from graph.extract.context import Ctx
from graph.extract.doccache import doc_dates
from graph.model import PartialDate

# A day date without a year resolves to the latest one on or before publication; more than this many days back
# it is the coming one ("the strike on August 22", published August 16), read as last year's.
LAST_YEAR_DAYS = 330
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def clause_dates(ctx: Ctx, verb: Token) -> list[Span]:
    """DATE entities whose path up to `verb` crosses no other clause, and that no 'until' bounds (is_bound)."""
    out = []
    sent = verb.sent
    bounds = ctx.lex.words("events", "bounding_words")
    nouns = ctx.lex.words("events", "strike_event_nouns")
    for ent, root in doc_dates(ctx.doc):
        if not (sent.start <= ent.start < sent.end) or is_bound(root, bounds):
            continue
        t, ok = root, False
        for _ in range(6):
            if t.i == verb.i:
                ok = True
                break
            transparent = t.lemma_.lower() in ("begin", "start", "effective") and t.tag_ == "VBG"
            if t.dep_ in ("ccomp", "advcl", "relcl", "xcomp", "conj") and t.pos_ in ("VERB", "AUX") and \
                    not transparent or t.head.i == t.i:  # "hit picket lines beginning April 19th"
                break
            if t.dep_ == "acl" and t.tag_ == "VBN" and t.head.i != verb.i and t.head.lemma_.lower() in nouns:
                break  # "to end a strike launched on September 16": the participle's day is the strike's start
            t = t.head
        if ok:
            out.append(ent)
    return out


def resolve_span(ent: Span, pub, future: bool = False) -> PartialDate | None:
    """The date in a DATE or TIME entity, also when a clock time surrounds it ('12:01 a.m. Thursday')."""
    words = [t.text for t in ent]
    for size in range(len(words), 0, -1):
        for i in range(len(words) - size + 1):
            if (when := resolve_date(" ".join(words[i:i + size]), pub, future)) is not None:
                return when
    return None


def date_of(ent: Span, pub, future: bool = False) -> PartialDate | None:
    """The date a DATE or TIME entity says, against the publication date and in the year its sentence names."""
    return in_year_of_sentence(ent, resolve_span(ent, pub, future), pub)


def in_year_of_sentence(ent: Span, when: PartialDate | None, pub) -> PartialDate | None:
    """'In the autumn of 2021, a strike began on Nov. 10': a day without a year takes the one year the
    sentence names, not the year before the publication date."""
    if when is None or _YEAR.search(ent.text):
        return when
    sent = ent.sent  # Span.ents builds every entity of the document: the cached dates, in the sentence
    years = {int(y) for other, _ in doc_dates(ent.doc) if sent.start <= other.start and other.end <= sent.end
             and other.label_ == "DATE" and other != ent for y in _YEAR.findall(other.text)}
    if len(years) != 1 or (year := years.pop()) == when.year:
        return when
    moved = resolve_span(ent, date(year, 12, 31))
    return moved if moved is not None and (moved.month, moved.day) == (when.month, when.day) else when


def is_bound(root: Token, words: frozenset[str]) -> bool:
    """'suspend the strike until Jan. 15': a date (its root token) after 'until' bounds the event, it is not its
    date."""
    t = root
    while t.dep_ in ("pobj", "npadvmod", "compound", "nummod") and t.head.i != t.i:
        if t.dep_ == "pobj":
            return t.head.lower_ in words
        t = t.head
    return False


def after_publication(when: PartialDate, pub: date | None, ent: Span | None = None) -> bool:
    """After the publication date, or a day of the coming weeks that a date without a year made last year's
    ('our strike on August 22 stands', published on August 16)."""
    if pub is None:
        return False
    if (when.year, when.month, when.day or 1) > (pub.year, pub.month, pub.day if when.day else 1):
        return True
    yearless = ent is not None and not _YEAR.search(ent.sent.text)
    return yearless and when.day is not None and (pub - date(when.year, when.month, when.day)).days > LAST_YEAR_DAYS
