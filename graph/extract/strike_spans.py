"""Strike spans the sentence rules of graph.extract.strikes leave undated: an end said after its start in one
clause, and a strike's length from one day to another (spaCy only).

- `end_after_start`: "That strike began on July 1, 2016 and ended on Aug. 2, 2016", "an ALV strike began on
  Nov. 10 and ended nine days later", "the UAPW's last strike began on Feb. 4, 2019, and did not end until
  March 28 of that year": the end verb is coordinated with the start verb whose subject is the strike.
- `lasted_from_to`: "a 2018 strike at X that lasted 38 days, from Feb. 9 to March 19", "a strike from Feb. 9
  to March 19": both ends of the span.

A day without a year takes the year the strike noun or the sentence names ("a 2018 strike", "in the autumn of
2021"), else the start's. The strike is its owner's ("the UAPW's last strike", "an ALV strike"), else the
union's the article is about at that point, as in graph.extract.strikes. Both rules yield ng:onStrikeSince and
ng:strikeEndedOn relations that graph.extract.disputes adds to the article's when they are new.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from spacy.tokens import Span, Token

from graph.dates import month_names, resolve_date
from graph.extract.context import Ctx, union_of
from graph.model import PartialDate, Relation

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
SPAN_CONFIDENCE = 0.75
PHRASE_DEPS = ("prep", "relcl", "acl", "appos", "punct", "cc", "conj", "advcl")


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _phrase(tok: Token) -> list[Token]:
    """A noun phrase's own words, without what hangs on it ('March 28 of that year' -> March 28)."""
    out = [tok]
    for child in tok.children:
        if child.dep_ not in PHRASE_DEPS:
            out += _phrase(child)
    return sorted(out, key=lambda t: t.i)


def _year_of(tokens: list[Token] | Span) -> int | None:
    years = {int(y) for t in tokens if t.ent_type_ == "DATE" for y in _YEAR.findall(t.text)}
    return years.pop() if len(years) == 1 else None


def _date_of(pobj: Token, pub: date | None, year: int | None) -> PartialDate | None:
    """The day or month a preposition's object names, in `year` when it names a month but no year."""
    words = _phrase(pobj)
    if not any(t.ent_type_ == "DATE" for t in words):
        return None
    text = " ".join(t.text for t in words)
    if year is not None and not _YEAR.search(text) and any(t.lower_.rstrip(".") in month_names() for t in words):
        return resolve_date(text, date(year, 12, 31))
    return resolve_date(text, pub)


def _pobj(prep: Token | None) -> Token | None:
    return next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None


def _prep(tok: Token, words: frozenset[str]) -> Token | None:
    return next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in words), None)


def _strike_noun(ctx: Ctx, verb: Token) -> Token | None:
    """The strike a verb is said of: its subject ('the strike began'), or the noun its relative clause hangs on
    ('a strike that lasted 38 days')."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if (subj is None or subj.tag_ in ("WDT", "WP")) and verb.dep_ in ("relcl", "acl"):
        subj = verb.head
    nouns = ctx.lex.words("events", "strike_event_nouns")
    return subj if subj is not None and _lemma(subj) in nouns else None


def _union(ctx: Ctx, noun: Token) -> str | None:
    for child in noun.children:
        if child.dep_ in ("poss", "compound") and (union := union_of(ctx, child)):
            return union
    is_union = lambda e: e.cls == "LaborUnion"  # noqa: E731
    return ctx.table.most_salient(noun.i, is_union) or ctx.table.most_salient(len(ctx.doc), is_union)


def _later(ctx: Ctx, verb: Token, start: PartialDate | None) -> PartialDate | None:
    """'ended nine days later': the start moved on by that many days."""
    if start is None or start.day is None:
        return None
    units, numbers = ctx.lex.value("disputes", "day_units"), ctx.lex.value("events", "cardinal_words")
    for tok in verb.subtree:
        if tok.lower_ not in ctx.lex.words("disputes", "later_words"):
            continue
        for unit in (c for c in tok.children if c.lower_ in units):
            count = next((c for c in unit.children if c.dep_ == "nummod"), None)
            n = int(count.text) if count is not None and count.text.isdigit() else (
                numbers.get(count.lower_) if count is not None else None)
            if n:
                day = date(start.year, start.month, start.day) + timedelta(days=n * units[unit.lower_])
                return PartialDate(day.year, day.month, day.day)
    return None


def _before(a: PartialDate, b: PartialDate) -> bool:
    return (a.year, a.month, a.day or 1) <= (b.year, b.month, b.day or 31)


def _after_publication(when: PartialDate, pub: date | None) -> bool:
    return pub is not None and (when.year, when.month, when.day or 1) > (pub.year, pub.month, pub.day)


def end_after_start(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'The strike began on July 1, 2016 and ended on Aug. 2, 2016', '... and ended nine days later', '... and
    did not end until March 28 of that year'."""
    pub = ctx.article.date
    until_words = ctx.lex.words("disputes", "until_words")
    modal = ctx.lex.words("events", "modal_words")
    end_verbs, start_verbs = ctx.lex.words("events", "strike_end_verbs"), ctx.lex.words("events", "strike_start_verbs")
    for tok in ctx.tokens(sent):
        if tok.dep_ != "conj" or tok.i in ctx.in_quote or _lemma(tok) not in end_verbs:
            continue
        begun = tok.head
        noun = _strike_noun(ctx, begun) if _lemma(begun) in start_verbs else None
        if noun is None or (union := _union(ctx, noun)) is None:
            continue
        until = _pobj(_prep(tok, until_words))
        if (until is None and ctx.is_hypothetical(tok)) or any(
                c.dep_ in ("aux", "auxpass") and c.lower_ in modal for c in tok.children):
            continue  # "did not end" unless "until"; "will end"
        year = _year_of(list(noun.subtree)) or _year_of(sent)
        on = _pobj(_prep(begun, frozenset({"on", "in"})))
        start = _date_of(on, pub, year) if on is not None else None
        year = year or (start.year if start else None)
        on_end = until or _pobj(_prep(tok, frozenset({"on", "in"})))
        end = _date_of(on_end, pub, year) if on_end is not None else _later(ctx, tok, start)
        if start is not None and not _after_publication(start, pub):
            yield ctx.relation(union, "onStrikeSince", start, sent, "end_after_start", SPAN_CONFIDENCE)
        if end is not None and (start is None or _before(start, end)) and not _after_publication(end, pub):
            yield ctx.relation(union, "strikeEndedOn", end, sent, "end_after_start", SPAN_CONFIDENCE)


def lasted_from_to(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'a 2018 strike that lasted 38 days, from Feb. 9 to March 19', 'the strike from Feb. 9 to March 19'."""
    pub = ctx.article.date
    span_from, span_to = ctx.lex.words("disputes", "span_from"), ctx.lex.words("disputes", "span_to")
    tokens = ctx.tokens(sent)
    if not any(tok.lower_ in span_from for tok in tokens):
        return  # no span without its "from"
    durations, nouns = ctx.lex.words("disputes", "duration_verbs"), ctx.lex.words("events", "strike_event_nouns")
    for tok in tokens:
        if tok.i in ctx.in_quote or tok.pos_ not in ("VERB", "AUX", "NOUN"):
            continue
        if tok.pos_ != "NOUN" and _lemma(tok) in durations:
            noun = _strike_noun(ctx, tok)
        elif tok.pos_ == "NOUN" and _lemma(tok) in nouns:
            noun = tok
        else:
            continue
        frm = _prep(tok, span_from)
        first = _pobj(frm)
        if noun is None or first is None or ctx.is_hypothetical(tok) or (union := _union(ctx, noun)) is None:
            continue
        to = next((p for holder in (frm, first, tok)  # frm is not None: first, its object, is not
                   if (p := _prep(holder, span_to)) is not None), None)  # type: ignore[arg-type]
        last = _pobj(to)
        year = _year_of(list(noun.subtree)) or _year_of(sent)
        start = _date_of(first, pub, year)
        end = _date_of(last, pub, year or (start.year if start else None)) if last is not None else None
        if start is None or end is None or _after_publication(end, pub):
            continue
        if not _before(start, end) and end.day is not None:  # "from Dec. 20 to Jan. 5"
            end = PartialDate(start.year + 1, end.month, end.day)
        yield ctx.relation(union, "onStrikeSince", start, sent, "lasted_from_to", SPAN_CONFIDENCE)
        yield ctx.relation(union, "strikeEndedOn", end, sent, "lasted_from_to", SPAN_CONFIDENCE)


def strike_spans(ctx: Ctx) -> Iterator[Relation]:
    """Every span rule over every sentence."""
    for sent in ctx.sentences():
        yield from end_after_start(ctx, sent)
        yield from lasted_from_to(ctx, sent)
