"""Pairing the sides of an event: one relation per pair of parties from opposite sides ('A and B reached deals
with C' gives A-C and B-C, never A-B), a placeholder for the side a sentence leaves unnamed (other_side), names
typed a company only by default set right by the side they stand on ('The Miners Association and Solidarity will
resume talks with X': Solidarity is a union).
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from spacy.tokens import Span

from graph.extract.context import Ctx
from graph.extract.parties import EMPLOYER_SIDE, SIDES, UNION_SIDE, side_of
from graph.extract.union_deeds import is_guessed
from graph.model import Relation

# Confidence of a relation whose other side the sentence leaves to the article's dispute frame.
FRAME_CONFIDENCE = 0.6
NO_PARTY = frozenset({"MediaOutlet", "Place"})


def other_side(ctx: Ctx, names: list[str]) -> str | None:
    """The placeholder for the side facing `names` ('talks with the Harbor Employers Alliance' -> the union side)."""
    sides = {side_of(ctx, n) for n in names} - {None}
    if sides == {UNION_SIDE}:
        return EMPLOYER_SIDE
    if sides == {EMPLOYER_SIDE}:
        return UNION_SIDE
    return None


def pairs(ctx: Ctx, left: list[str], right: list[str], sent: Span, pred: str, rule: str,
          conf: float, opposed: bool = True) -> Iterator[Relation]:
    """One relation per pair from opposite sides. Two parties on the same side ('Ford and Stellantis struck
    deals') did not bargain with each other: each faces the other side. When the sentence sets two parties
    against each other ('X broke off talks with Acme') and only one is an employer by its name or the knowledge
    base, the other, a Company only by default, is the union."""
    seen = set()
    if opposed:
        _unions_beside_unions(ctx, left, right)
    for a in left:
        for b in right:
            sa, sb = side_of(ctx, a), side_of(ctx, b)
            if a == b or (a in SIDES and b in SIDES and a == b):
                continue
            if opposed and sa == sb == EMPLOYER_SIDE and (x := _the_guessed_one(ctx, a, b)) is not None:
                ctx.table.entities[x].cls = "LaborUnion"
                sa, sb = side_of(ctx, a), side_of(ctx, b)
            if sa is not None and sa == sb:
                for x in (a, b):
                    if x not in SIDES and (other := other_side(ctx, [x])):
                        yield from pairs(ctx, [x], [other], sent, pred, rule, min(conf, FRAME_CONFIDENCE))
                continue
            if sa is None and sb is None or any(x not in SIDES and ctx.cls(x) in NO_PARTY for x in (a, b)):
                continue  # (an outlet or a place is no party: "SANTIAGO (Reuters) -Union leaders reached a deal")
            key = tuple(sorted((a, b)))
            if key not in seen:
                seen.add(key)
                c = min(conf, FRAME_CONFIDENCE) if a in SIDES or b in SIDES else conf
                yield ctx.relation(key[0], pred, key[1], sent, rule, c)


def _unions_beside_unions(ctx: Ctx, left: list[str], right: list[str]) -> None:
    """'The Miners Association and Solidarity will resume talks with the Chamber of Mines': a name typed a company
    by default beside a union, facing an employer, is a union."""
    for group, other in ((left, right), (right, left)):
        named = [x for x in group if x not in SIDES]
        if any(ctx.cls(x) == "LaborUnion" for x in named) and any(
                y not in SIDES and side_of(ctx, y) == EMPLOYER_SIDE and not is_guessed(ctx.table.entities[y], ctx.lex)
                for y in other):
            for ent in (ctx.table.entities[x] for x in named):  # (whatever the domain NER guessed)
                if ent.cls == "Company" and not ent.kb_id and not set(ent.name.lower().split()) & ctx.lex.words(
                        "typing", "company_suffixes"):
                    ent.cls = "LaborUnion"


def _the_guessed_one(ctx: Ctx, a: str, b: str) -> str | None:
    """Of two organisations, the one typed a Company only by default, when the other is an employer for sure."""
    if a in SIDES or b in SIDES:
        return None
    guessed = [x for x in (a, b) if is_guessed(ctx.table.entities[x], ctx.lex)]
    return guessed[0] if len(guessed) == 1 else None


def among(ctx: Ctx, names: list[str], sent: Span, pred: str, rule: str, conf: float) -> Iterator[Relation]:
    for a, b in combinations(names, 2):
        yield from pairs(ctx, [a], [b], sent, pred, rule, conf, opposed=False)
