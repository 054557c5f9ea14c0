"""Strike starts said through a strike noun rather than a verb: 'on the 13th day of the strike', 'the strike
entered its fourth day', 'last Thursday's strike', 'industrial action since November'; and what a strike verb or
noun says of the employer the union faces ('struck against the council')."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from spacy.tokens import Span, Token

from graph.extract.context import Ctx, triggered, union_of
from graph.extract.doccache import doc_dates
from graph.extract.page_spans import headline_end
from graph.extract.parties import EMPLOYER_SIDE, parties, side_of
from graph.extract.strike_dates import after_publication, clause_dates, date_of, is_bound
from graph.model import PartialDate, Relation


def is_industrial_action(ctx: Ctx, tok: Token) -> bool:
    """'strike action', 'industrial action', 'job action': a strike by another name."""
    return tok.lemma_.lower() in ctx.lex.words("events", "action_nouns") and any(
        c.lemma_.lower() in ctx.lex.words("events", "action_modifiers") for c in tok.children)


def note_opponent(ctx: Ctx, verb: Token, union: str) -> None:
    """'struck against the council', 'walked off the job at Acme': the employer the union faces."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("against", "at")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for name in parties(ctx, pobj):
                if side_of(ctx, name) == EMPLOYER_SIDE and name != EMPLOYER_SIDE:
                    ctx.frame_cues.append((union, name))


def nth_day(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'on the 113th day of the strike', 'Oil workers are on the thirteenth day of the strike at X': the strike
    began N-1 days before the publication date."""
    pub = ctx.article.date
    if pub is None:
        return
    nouns = ctx.lex.words("events", "strike_event_nouns")
    ordinals = ctx.lex.value("events", "ordinal_words")
    for tok in ctx.tokens(sent):
        if tok.lower_ != "day" or tok.i in ctx.in_quote:
            continue
        n = next((k for c in tok.children if c.dep_ in ("amod", "compound", "nummod")
                  and (k := _ordinal(c.lower_, ordinals)) is not None), None)
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        # "the tenth day of the strike", "the fifth day of picket lines"
        strike = next((c for c in of.children if c.dep_ == "pobj" and (c.lemma_.lower() in nouns or c.lemma_.lower(
            ) == "line" and any(g.lower_ == "picket" for g in c.children))), None) if of is not None else None
        today = pub
        if strike is None and n is not None and (verb := _verb_of_its_day(tok)) is not None:
            # "the strike entered its fourth day", "a teachers strike roared into its third day on Wednesday"
            strike = next((c for c in verb.children if c.dep_ == "nsubj" and c.lemma_.lower() in nouns), None)
            # "... urged X yesterday as the strike entered its seventh day": a clause of the same moment
            same = clause_dates(ctx, verb) or (clause_dates(ctx, verb.head) if verb.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in ("as", "when") for c in verb.children) else [])
            day = next((w for e in same
                        if isinstance(w := date_of(e, pub), PartialDate)
                        and w.day), None)
            today = date(day.year, day.month, day.day) if day is not None and day.day is not None else pub
        if n is None or strike is None or ctx.is_hypothetical(tok):
            continue
        union = next((u for c in strike.children if c.dep_ in ("poss", "compound") and (u := union_of(ctx, c))),
                     None)
        if union is None:
            verb = tok.head.head if tok.head.dep_ == "prep" else tok.head
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            union = union_of(ctx, subj) if subj is not None else None
        # the union of the story so far, or at all when the lede counts the days before naming it
        owned = any(t.lower_ == "by" for t in tok.subtree)  # "the second day of picket lines by farmers"
        union = union or ctx.table.most_salient(sent.end, lambda e: e.cls == "LaborUnion") or (
            ctx.table.most_salient(len(ctx.doc), lambda e: e.cls == "LaborUnion")
            if tok.i < headline_end(ctx.doc) + 60 and not owned else None)
        if union is not None:
            note_opponent(ctx, strike, union)
            start = today - timedelta(days=n - 1)
            yield ctx.relation(union, "onStrikeSince", PartialDate(start.year, start.month, start.day), sent,
                               "strike_nth_day", 0.75)


def _verb_of_its_day(day: Token) -> Token | None:
    """The verb of 'entered its fourth day' / 'went into its third day' ('its' owns the day), else None."""
    if not any(c.dep_ == "poss" and c.lower_ == "its" for c in day.children):
        return None
    if day.dep_ == "dobj":
        return day.head
    if day.dep_ == "pobj" and day.head.lower_ in ("into", "in") and day.head.head.pos_ == "VERB":
        return day.head.head
    return None


@triggered(("events", "strike_event_nouns"), ("events", "action_nouns"))
def noun_dates(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'last Thursday's strike', 'the one-day strike on March 16', 'a walkout since Monday': a strike noun with
    its own past date began on it."""
    pub = ctx.article.date
    nouns = ctx.lex.words("events", "strike_event_nouns")
    actions = ctx.lex.words("events", "action_nouns")
    bounds = ctx.lex.words("events", "bounding_words")
    for tok in ctx.tokens(sent):
        lemma = tok.lemma_.lower()
        if lemma not in nouns and not (lemma in actions and is_industrial_action(ctx, tok)) or tok.pos_ != "NOUN" \
                or tok.i in ctx.in_quote:
            continue  # "the walkout since Monday", "industrial action since November"
        if tok.dep_ == "compound" or any(
                c.dep_ == "amod" and c.lower_ in ctx.lex.words("events", "upcoming_modifiers") for c in tok.children):
            continue  # "strike action", "strike vote"; "a strike planned for March 16", "the planned strike on X"
        # "ended a nationwide strike on Monday": the day it ended, not began; "called a strike on Monday": one to
        # come. But a strike that "has shut the ports since Monday" is under way, whatever the verb above it.
        ended = tok.dep_ == "dobj" and tok.head.lemma_.lower() in _ending_verbs(ctx)
        own = not (ended or ctx.is_hypothetical(tok))
        dates = [e for e, root in doc_dates(ctx.doc) if (
            own and root.head.i == tok.i and root.dep_ in ("poss", "compound", "nmod", "npadvmod")
            or own and root.dep_ == "pobj" and root.head.head.i == tok.i and root.head.lower_ in ("on", "since")
            # (a strike called off or ended was under way; one only threatened was not)
            or (own or ended) and _since_in_its_clause(ctx, tok, root))
            and not is_bound(root, bounds)]
        if not dates:
            continue
        when = date_of(dates[0], pub)
        if not isinstance(when, PartialDate) or after_publication(when, pub, dates[0]):
            continue
        union = next((u for c in tok.children if c.dep_ in ("poss", "compound") and (u := union_of(ctx, c))), None)
        if union is None:
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None) if tok.dep_ == "dobj" else None
            union = union_of(ctx, subj) if subj is not None else None
        union = union or ctx.table.most_salient(sent.end, lambda e: e.cls == "LaborUnion")
        if union is not None:
            yield ctx.relation(union, "onStrikeSince", when, sent, "strike_noun_date", 0.7)


def _since_in_its_clause(ctx: Ctx, strike: Token, root: Token) -> bool:
    """'a general strike that has shut the ports since Feb. 8': a date after 'since' in the strike's own relative
    clause, where the strike acts on something, dates the strike (not 'a strike threatened since March', 'which
    has been suspended since June 2', 'a strike that has been brewing since February')."""
    if root.dep_ != "pobj" or root.head.lower_ != "since":
        return False
    verb = root.head.head
    if verb.dep_ not in ("relcl", "acl") or verb.head.i != strike.i or ctx.is_hypothetical(verb):
        return False
    # the strike is the verb's subject ('that', 'which'), the verb active and with an object it acts on
    subject = any(c.dep_ == "nsubj" and c.lower_ in ("that", "which") for c in verb.children)
    return subject and any(c.dep_ == "dobj" for c in verb.children) and not any(
        c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _ordinal(word: str, ordinals: dict) -> int | None:
    if (m := re.fullmatch(r"(\d{1,4})(st|nd|rd|th)", word)) is not None:
        return int(m.group(1))
    return ordinals.get(word)


def _ending_verbs(ctx: Ctx) -> frozenset[str]:
    """The verbs that end a strike (the lexicon's 'strike_end' pairs and 'strike_end_verbs')."""
    return ctx.lex.derived("strike ending verbs", lambda: frozenset(
        v for v, _ in ctx.lex.pairs("events", "strike_end")) | ctx.lex.words("events", "strike_end_verbs"))
