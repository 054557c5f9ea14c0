"""Dates of strike events: the DATE entities of a trigger's own clause, resolved against the publication date,
in the year the sentence names, and whether a date lies after publication (an announced strike); and the day a
sentence without a date means: 'X is on strike', 'the strike is over' (is_now), a strike that 'will begin today'
(starting_today), the day of the statement that reports an end (day_said)."""
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


def starting_today(ctx: Ctx, verb: Token) -> PartialDate | None:
    """'Teachers will begin an unlimited strike on Thursday', published that Thursday: a strike that the report
    says starts on its own day is under way for its readers. Only a plain future ('will'), said by the reporter
    or reported by a speech verb; not 'will strike on Monday' of a later day, nor 'may', 'if' or 'threatened to'."""
    pub = ctx.article.date
    if pub is None or not any(c.dep_ == "aux" and c.lower_ in ctx.lex.words("events", "future_auxiliaries")
                              for c in verb.children):
        return None
    if any(c.dep_ in ("neg", "mark") or c.dep_ == "advmod" and c.lower_ in ctx.lex.words("events", "hedges")
           for c in verb.children):
        return None  # "will not", "will probably walk out today"
    if any(c.dep_ == "advcl" and any(m.lower_ in ctx.lex.words("events", "conditional_marks") for m in c.children)
           for c in verb.children):
        return None  # "will strike on Friday if talks fail", "Should talks fail, members will walk out today"
    if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in ctx.lex.words("quotes", "speech_verbs"):
        if ctx.is_hypothetical(verb.head):
            return None
    elif verb.dep_ != "ROOT":
        return None
    today = PartialDate(pub.year, pub.month, pub.day)
    days = [d for ent in clause_dates(ctx, verb) if isinstance(d := date_of(ent, pub, True), PartialDate)]
    # every day the clause names is today ("will strike today or tomorrow" is not yet a strike)
    return today if days and all(d == today for d in days) and "or" not in {
        t.lower_ for ent in clause_dates(ctx, verb) for t in ent} else None


def day_said(ctx: Ctx, verb: Token, pub: date) -> PartialDate | None:
    """The day of the speech verb a present-tense clause is reported by, when its clause names one."""
    t = verb
    while t.dep_ in ("ccomp", "conj") and t.head.i != t.i:
        t = t.head
    if t.i == verb.i or t.lemma_.lower() not in ctx.lex.words("quotes", "speech_verbs"):
        return None
    days = [when for ent in clause_dates(ctx, t) if isinstance(when := date_of(ent, pub), PartialDate) and when.day
            and not after_publication(when, pub, ent)]
    return days[0] if days else None


def is_now(verb: Token, word: str) -> bool:
    """'X is on strike', 'the strike is over' (not 'has been on strike', 'were on strike', 'the strike is over' for
    a start); and, with no date, a strike begun or ended just now: 'have gone on strike', 'are walking out', 'the
    strike has ended', 'has been called off' ('have been on strike for weeks' began earlier)."""
    if verb.tag_ == "VBN" and any(c.dep_ == "dobj" and c.tag_ == "NNS" for c in verb.children):
        return False  # "have already held strikes", "has called off strikes": several, past or still to come
    if verb.lemma_ != "be" and (verb.tag_ == "VBN" or word == "on" and verb.tag_ == "VBG"):
        aux = [c for c in verb.children if c.dep_ == "aux"]
        want = "have" if verb.tag_ == "VBN" else "be"
        return len(aux) == 1 and aux[0].lemma_ == want and aux[0].tag_ in ("VBZ", "VBP")
    if verb.lemma_ != "be" or verb.tag_ not in ("VBZ", "VBP") or any(c.dep_ == "aux" for c in verb.children):
        return False
    if word == "over":
        return any(c.lower_ == "over" for c in verb.children)
    return any(c.dep_ == "prep" and c.lower_ == "on" and any(p.lemma_.lower() in ("strike", "picket")
                                                               for p in c.children) for c in verb.children)
