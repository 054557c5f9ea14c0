"""Leaders named in lists under one title (ng:leads): 'Chairpersons Ana Roe of A and Bo Li of B', 'Co-chairs of the
X committee Dr A and Dr B', 'A and B, co-chairs of the X committee'. A plural title gives each listed person the
same post."""
from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from graph.extract.context import Ctx
from graph.extract.entities import POSSESSIVES, Mention
from graph.extract.roles import LEADABLE, is_leader_title
from graph.model import Relation

_LIST_WORDS = frozenset({",", "and", "of", "the", "(", ")"})  # the words between the names of a list


def singular(word: str) -> str:
    """'presidents' -> 'president', 'secretaries' -> 'secretary': titles before a list of names are plural."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def leader_named_of_body(ctx: Ctx, m: Mention) -> Iterator[Relation]:
    """'President Ana Roe of the Harbor Union', 'Chairpersons Ana Roe of A, Bo Li of B (BU) and Cy Ho of C': a
    leader's title before a name, or before the list the name is in, and the body after 'of'."""
    doc, table = ctx.doc, ctx.table
    k = m.end + (m.end + 1 < len(doc) and doc[m.end].lower_ == "of" and doc[m.end + 1].lower_ == "the")
    if m.end >= len(doc) or doc[m.end].lower_ != "of" or k + 1 >= len(doc):
        return
    body = table.tok2mention.get(k + 1)
    if body is None or ctx.cls(body.name) not in LEADABLE:
        return
    j, steps = m.start - 1, 0
    # back over the names listed before ("Ana Roe of A, Bo Li of B (BU) and"), to the title that opens the list
    while j >= 0 and steps < 40 and (j in table.tok2mention or doc[j].lower_ in _LIST_WORDS):
        j, steps = j - 1, steps + 1
    # a place only after the title of its head ("Governor X of Minnesota"; "President Ana Roe of Springfield" may
    # lead something else and come from there)
    if j >= 0 and is_leader_title(ctx, [singular(doc[j].lower_)]) and (
            ctx.cls(body.name) != "Place" or singular(doc[j].lower_) in ctx.lex.words("titles", "place_leader")):
        yield ctx.relation(m.name, "leads", body.name, doc[m.start].sent, "leader_named_of_body", 0.8)


def _is_plural_title(ctx: Ctx, tok: Token) -> bool:
    """'co-chairs', 'presidents', 'secretaries'."""
    word = tok.lower_
    return word != singular(word) and is_leader_title(ctx, [singular(word)])


def _listed_people(ctx: Ctx, i: int, step: int) -> list[str]:
    """The people named one after another from token i on, forwards (step 1) or backwards (step -1), over
    commas, 'and' and honorifics ('Dr Ana Roe and Dr Bo Li')."""
    doc, table = ctx.doc, ctx.table
    honorifics = ctx.lex.words("titles", "personal_honorifics")
    people: list[str] = []
    while 0 <= i < len(doc):
        m = table.tok2mention.get(i)
        if m is not None and ctx.cls(m.name) == "Person":
            people.append(m.name)
            i = (m.end if step > 0 else m.start - 1)
        elif doc[i].lower_ in ("and", ",") and (people or step < 0) or doc[i].lower_.rstrip(".") in honorifics:
            i += step  # forwards, the first person comes right after the body ('of the X union and Ana Roe' no)
        else:
            break
    return people


def leaders_listed_with_a_plural_title(ctx: Ctx, body: Mention) -> Iterator[Relation]:
    """'Co-chairs of the X committee Dr A and Dr B' and 'A and B, co-chairs of the X committee': each person
    listed next to a plural leader's title 'of' the body leads it."""
    doc = ctx.doc
    k = body.start - 1 - (body.start > 0 and doc[body.start - 1].lower_ == "the")
    if k < 1 or doc[k].lower_ != "of" or not _is_plural_title(ctx, doc[k - 1]) or ctx.cls(body.name) not in LEADABLE:
        return
    led = body.name
    if body.end + 1 < len(doc) and doc[body.end].lower_ in POSSESSIVES:
        owned = ctx.table.tok2mention.get(body.end + 1)  # "co-chairs of the X union's negotiating committee"
        if owned is None or ctx.cls(owned.name) not in LEADABLE:
            return
        led = owned.name
    first = k - 1
    while first > 0 and doc[first - 1].lower_ in ("co", "-"):
        first -= 1
    j = first - 1 - (first > 0 and doc[first - 1].lower_ == "the")
    people = _listed_people(ctx, j - 1, -1) if j > 0 and doc[j].text == "," else []
    if not people:
        people = _listed_people(ctx, body.end, 1)
    sent = doc[body.start].sent
    for person in people:
        yield ctx.relation(person, "leads", led, sent, "leaders_listed_with_a_plural_title", 0.75)


def extract_listed_leads(ctx: Ctx) -> Iterator[Relation]:
    for m in ctx.table.mentions:
        if m.start in ctx.in_quote:
            continue
        if ctx.cls(m.name) == "Person":
            yield from leader_named_of_body(ctx, m)
        else:
            yield from leaders_listed_with_a_plural_title(ctx, m)
