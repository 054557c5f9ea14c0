"""Dispute events: talks (ng:negotiatesWith), deals (ng:reachesAgreementWith) and strikes (ng:onStrikeSince,
ng:strikeEndedOn).

Parties come from the parse: coordinated subjects ("A and B resumed talks"), "talks between A and B", "talks with
B" (the other side is the clause's subject), "representatives from A and B met", "the two sides". A strike's
union is the subject of the verb, or the union of the workers who are ("members of X", "the guild's members",
"nurses represented by X", "writers" when a union's name holds that word). Negated, modal and hypothetical
clauses ("will strike", "threatened to strike", "no talks have taken place") assert nothing.
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from spacy.tokens import Span, Token

from graph.extract.context import Ctx, union_of
from graph.model import ORGANIZATION_CLASSES, Relation

PARTIES = ORGANIZATION_CLASSES - {"MediaOutlet", "Committee"}
CLAUSE_DEPS = ("ccomp", "advcl", "relcl", "conj", "xcomp", "acl", "parataxis")


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


def _parties(ctx: Ctx, tok: Token) -> list[str]:
    """Organisations a noun phrase stands for: names, 'the two sides', 'representatives from A and B'."""
    if ctx.is_both_sides(tok):
        pair = ctx.dispute_pair(tok.i)
        return list(pair) if pair else []
    names: list[str] = []
    for conj in ctx.conjuncts(tok):
        found = [n for n in [ctx.entity_of(conj)] if n and ctx.cls(n) in PARTIES]
        if not found:  # "five hospitals, including A and B"
            found = [n for n in ctx.examples_of(conj) if ctx.cls(n) in PARTIES]
        if not found:  # "Representatives from the ABC union and XYZ", "Negotiators for the two sides"
            for child in conj.children:
                if child.dep_ == "prep" and child.lower_ in ("from", "for", "of"):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found += _parties(ctx, pobj)
        names += [n for n in found if n not in names]
    return names


def _clause_subject(ctx: Ctx, tok: Token, exclude: list[str] | tuple = ()) -> list[str]:
    """The parties of the nearest clause subject above `tok` ('X walked out after talks with Y broke down')."""
    t = tok
    for _ in range(5):
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i), None)
        if subj is not None and subj.i != tok.i:
            parties = _parties(ctx, subj) or ([u] if (u := union_of(ctx, subj)) else [])
            parties = [p for p in parties if p not in exclude]
            if parties:
                return parties
        if t.head is t:
            break
        t = t.head
    return []


def _pairs(ctx: Ctx, left: list[str], right: list[str], sent: Span, pred: str, rule: str,
           conf: float) -> Iterator[Relation]:
    seen = set()
    for a in left:
        for b in right:
            key = tuple(sorted((a, b)))
            if a != b and key not in seen and (ctx.cls(a) == "LaborUnion" or ctx.cls(b) == "LaborUnion"
                                              or pred == "reachesAgreementWith"):
                seen.add(key)
                yield ctx.relation(key[0], pred, key[1], sent, rule, conf)


def _phrase_tokens(tok: Token) -> Iterator[Token]:
    """A noun phrase's tokens without its relative clauses and other clauses hung on it."""
    yield tok
    for child in tok.children:
        if child.dep_ not in ("relcl", "acl", "advcl", "appos", "ccomp", "prep"):
            yield from _phrase_tokens(child)


def _with_objects(ctx: Ctx, tok: Token) -> list[str]:
    out: list[str] = []
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("with", "between"):
            if not any(c.dep_ == "pobj" for c in child.children):  # a broken parse: read the list that follows
                out += [n for n in ctx.listed_after(child.i, tok.sent) if n not in out and ctx.cls(n) in PARTIES]
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                found = _parties(ctx, pobj)
                if child.lower_ == "between":  # "between A and B" is often parsed as one noun phrase
                    found += [n for t in _phrase_tokens(pobj) if (n := ctx.org(t)) and ctx.cls(n) in PARTIES]
                out += [n for n in found if n not in out]
    return out


NOUN_DEPS = ("nsubj", "nsubjpass", "dobj", "pobj")


def talks(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """Talks nouns and negotiating verbs with their parties."""
    talk_nouns = ctx.lex.words("events", "talk_nouns")
    verbs = ctx.lex.words("events", "negotiate_verbs")
    resume = ctx.lex.words("events", "resume_verbs")
    for tok in ctx.tokens(sent):
        if tok.i in ctx.in_quote:
            continue
        # "when contract talks with X collapsed": the tagger may call a subject 'talks' a verb
        is_noun = tok.lower_ in talk_nouns and (tok.pos_ in ("NOUN", "PROPN") or tok.dep_ in NOUN_DEPS)
        is_verb = tok.pos_ == "VERB" and _lemma(tok) in verbs and not is_noun
        if not (is_noun or is_verb) or ctx.is_hypothetical(tok) or ctx.is_negated(tok):
            continue
        between = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"]
        others = _with_objects(ctx, tok)
        if between and len(others) >= 2:
            for a, b in combinations(others, 2):
                yield from _pairs(ctx, [a], [b], sent, "negotiatesWith", "talks_between", 0.85)
            continue
        if others:
            if is_verb:
                subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                side = _parties(ctx, subj) if subj is not None else []
            else:
                side = [n for c in tok.children if c.dep_ in ("poss", "compound")
                        for n in [ctx.org(c)] if n] or _clause_subject(ctx, tok, others)
            yield from _pairs(ctx, side, others, sent, "negotiatesWith", "talks_with", 0.8)
            continue
        # "A and B resumed negotiations", "Representatives from A and B met", "the two sides met"
        verb = tok if is_verb else (tok.head if tok.dep_ == "dobj" and _lemma(tok.head) in resume else None)
        if verb is None and tok.dep_ == "pobj" and tok.head.lower_ in ("in", "into") and tok.head.head.pos_ in (
                "VERB", "AUX"):
            verb = tok.head.head  # "Local 610 and Bluewater have been in mediated negotiations since ..."
        if verb is None or ctx.is_hypothetical(verb):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        parties = _parties(ctx, subj) if subj is not None else []
        for a, b in combinations(parties, 2):
            yield from _pairs(ctx, [a], [b], sent, "negotiatesWith", "parties_meet", 0.8)


def at_the_table(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'The guild returned to the bargaining table with the alliance', 'A and B are back at the table'."""
    for tok in ctx.tokens(sent):
        if tok.lemma_.lower() not in ctx.lex.words("events", "table_nouns") or tok.i in ctx.in_quote:
            continue
        prep = tok.head
        if tok.dep_ != "pobj" or prep.lower_ not in ("to", "at") or prep.head.pos_ not in ("VERB", "AUX"):
            continue
        verb = prep.head
        if ctx.is_hypothetical(verb) or ctx.is_negated(verb):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        side = _parties(ctx, subj) if subj is not None else []
        others = [n for n in _with_objects(ctx, verb) + _with_objects(ctx, tok) if n not in side]
        if side and others:
            yield from _pairs(ctx, side, others, sent, "negotiatesWith", "at_the_table", 0.75)
        elif len(side) >= 2:
            for a, b in combinations(side, 2):
                yield from _pairs(ctx, [a], [b], sent, "negotiatesWith", "at_the_table", 0.75)


def agreements(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'X reached a tentative agreement with Y', 'X and Y struck a deal', 'a deal between X and Y'."""
    nouns = ctx.lex.words("events", "agreement_nouns")
    verbs = ctx.lex.words("events", "agreement_verbs")
    for tok in ctx.tokens(sent):
        if _lemma(tok) not in nouns or tok.pos_ not in ("NOUN", "PROPN") or tok.i in ctx.in_quote:
            continue
        dets = [c for c in tok.children if c.dep_ == "det"]
        if not dets and any(c.dep_ == "prep" and c.lower_ == "on" for c in tok.children):
            continue  # "reached agreement on several issues" is progress, not a deal
        verb = tok.head
        if ctx.is_negated(tok):
            continue
        others = _with_objects(ctx, tok)
        relcl = next((c for c in tok.children if c.dep_ == "relcl" and _lemma(c) in verbs), None)
        if relcl is not None and not ctx.is_hypothetical(relcl):
            # "backed the agreement, which its negotiators reached with the hospitals' parent company, Y"
            others += [n for n in _with_objects(ctx, relcl) if n not in others]
            subj = next((c for c in relcl.children if c.dep_ == "nsubj" and c.lower_ not in ("which", "that")),
                        None)
            side = (_parties(ctx, subj) if subj is not None else []) or _clause_subject(ctx, tok, others)
            yield from _pairs(ctx, side, others, sent, "reachesAgreementWith", "agreement_reached_in_clause", 0.75)
            continue
        if verb.pos_ in ("VERB", "AUX") and _lemma(verb) in verbs:
            if ctx.is_hypothetical(verb):
                continue
            others += [n for n in _with_objects(ctx, verb) if n not in others]
            if tok.dep_ == "dobj":
                subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            else:  # passive: "a deal was reached by A and B"
                by = next((c for c in verb.children if c.dep_ == "agent"), None)
                subj = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
            side = _parties(ctx, subj) if subj is not None else []
            if side and others:
                yield from _pairs(ctx, side, others, sent, "reachesAgreementWith", "reach_agreement", 0.85)
            elif len(side) >= 2:
                for a, b in combinations(side, 2):
                    yield from _pairs(ctx, [a], [b], sent, "reachesAgreementWith", "reach_agreement", 0.8)
            elif len(others) >= 2:
                for a, b in combinations(others, 2):
                    yield from _pairs(ctx, [a], [b], sent, "reachesAgreementWith", "agreement_between", 0.75)
        elif others and any(c.lower_ in ctx.lex.words("events", "reached_adjectives") for c in tok.children):
            # "the union's tentative agreement with Y", "under the tentative deal with Y"
            side = [n for c in tok.children if c.dep_ in ("poss", "compound") for n in [ctx.org(c)] if n] \
                or _clause_subject(ctx, tok)
            yield from _pairs(ctx, side, others, sent, "reachesAgreementWith", "tentative_agreement_with", 0.7)
