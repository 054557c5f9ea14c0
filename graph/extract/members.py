"""Lists of members (ng:memberOf): an organisation or group named with the names that make it up.

"the Big Three: A's X, B's Y and C's Z", "three of its largest members: A and B", "the coalition includes A, B and
C", "ABC member companies include the studios (including A, B) and streaming services like C", "the Common Front
(A, B, C and D)", "negotiating with A, B and C under the umbrella of E", "A is the last of the Big Three".
"""
from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from graph.extract.context import Ctx, triggered
from graph.extract.doccache import tokens_with
from graph.extract.entities import POSSESSIVES
from graph.extract.parties import listed
from graph.extract.union_deeds import is_guessed
from graph.model import ORGANIZATION_CLASSES, Relation

SEPARATORS = (":", "--", "—", "–", "-")
LIST_CUES = ("including", "such", "like", "among", "are", "were", "include", "included")
EXAMPLE_CUES = ("including", "such", "like", "among")
GROUPS = ("LaborUnion", "EmployerAssociation", "Group")


def _mentions_after(ctx: Ctx, sent: Span, pos: int, classes: set[str]) -> list[str]:
    names: list[str] = []
    for m in ctx.table.mentions:
        if pos < m.start < sent.end and ctx.cls(m.name) in classes and m.name not in names \
                and m.start not in ctx.in_quote:
            names.append(m.name)
    return names


def group_members_listed(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'the so-called "Gang of Four" studio bosses -- A's W, B's X and C's Y': the people are the members."""
    for m in ctx.table.mentions:
        if not (sent.start <= m.start < sent.end) or ctx.cls(m.name) != "Group":
            continue
        sep = next((t.i for t in ctx.doc[m.end:sent.end] if t.text in SEPARATORS), None)
        if sep is None or sep - m.end > 8:
            continue
        members = _mentions_after(ctx, sent, sep, {"Person"}) or _mentions_after(ctx, sent, sep, {"Company"})
        for name in members:
            yield ctx.relation(name, "memberOf", m.name, sent, "group_members_listed", 0.8)


def _owner_of_members(ctx: Ctx, tok: Token) -> str | None:
    """'its members', 'members of the coalition', 'ABC member companies', 'the alliance's member companies'."""
    member_words = [c for c in tok.children if c.dep_ == "compound" and c.lemma_.lower() in ("member", "affiliate")]
    member_word = bool(member_words)
    for child in list(tok.children) + [g for m in member_words for g in m.children]:
        if child.dep_ == "poss" or (child.dep_ == "prep" and child.lower_ == "of") or (
                member_word and child.dep_ in ("compound", "nmod") and child.lemma_.lower() not in (
                    "member", "affiliate")):
            target = child if child.dep_ != "prep" else next((c for c in child.children if c.dep_ == "pobj"), None)
            if target is not None and (name := ctx.org(target)):
                return name
    return None


def _its_members(ctx: Ctx, tok: Token) -> str | None:
    """'the Trades Congress and its member unions, A and B': 'its' is the organisation the members are joined to."""
    if tok.dep_ != "conj" or not any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in tok.children):
        return None
    return ctx.org(tok.head)


def _has_member_modifier(tok: Token) -> bool:
    """'its four member organizations', 'member companies'."""
    return tok.pos_ == "NOUN" and any(c.dep_ in ("compound", "amod") and c.lemma_.lower() in ("member", "affiliate")
                                      for c in tok.children)


def _name_next(ctx: Ctx, i: int) -> bool:
    """A name at token i, or after a 'the' there."""
    if ctx.doc[i].lower_ == "the":
        i += 1
    return i in ctx.table.tok2mention


def _is_separator(ctx: Ctx, tok: Token) -> bool:
    """A colon or a dash standing between words, not the hyphen inside 'Ledger-Herald'."""
    if tok.text not in SEPARATORS:
        return False
    return tok.text == ":" or bool(tok.whitespace_) or (tok.i > 0 and bool(ctx.doc[tok.i - 1].whitespace_))


def members_listed(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'... the heads of three of its largest members ...: Acme's X, Zenith Studios' Y'."""
    members_words = ctx.lex.words("events", "members_words")
    for tok in ctx.tokens(sent):
        if tok.i in ctx.in_quote or tok.lower_ not in members_words and not _has_member_modifier(tok):
            continue
        owner = _owner_of_members(ctx, tok) or _its_members(ctx, tok)
        named_after = tok.i + 1 < sent.end and _name_next(ctx, tok.i + 1)
        # "Glassmakers Association members A and B (such as A and B)": the name before; not "Glass Workers Union
        # members are back at work at Clearview Industries"
        # (a name right after the cue: not "members such as drivers at Greyline Coaches")
        example = tok.i + 1 < sent.end and ctx.doc[tok.i + 1].lower_ in EXAMPLE_CUES and any(
            _name_next(ctx, k) for k in (tok.i + 2, tok.i + 3) if k < sent.end)
        if owner is None and (named_after or example):
            owner = next((n for c in tok.children if c.dep_ in ("compound", "nmod") and (n := ctx.org(c))), None)
        if owner is None or ctx.cls(owner) not in ("EmployerAssociation", "LaborUnion", "Group"):
            continue
        if tok.dep_ == "conj" and any(c.dep_ == "amod" and c.lower_ == "other" for c in tok.children):
            # "Kestrel Shipping and other members of the Harbor Employers Group": those before are members too
            first = tok.head
            while first.dep_ == "conj" and first.head.i != first.i:
                first = first.head  # "A, B and other members of X": from the list's first name
            for name in listed(ctx, first):
                if name != owner and ctx.cls(name) in ORGANIZATION_CLASSES:
                    yield ctx.relation(name, "memberOf", owner, sent, "members_listed", 0.75)
            continue
        # The list must be introduced ("its members: A, B", "members including A"): in "Members of Local 9
        # walked out" the members are people, and the names after them are not a list of members.
        cue = next((t.i for t in ctx.doc[tok.i + 1:min(tok.i + 8, sent.end)]
                    if _is_separator(ctx, t) or t.lower_ in LIST_CUES), None)
        if cue is None and named_after and any(c.dep_ in ("compound", "nmod") and ctx.org(c) == owner
                                               for c in tok.children):
            cue = tok.i  # "Glassmakers Association members Clearview Industries and Brightline Glass"
        if cue is None and tok.i + 2 < sent.end and ctx.doc[tok.i + 1].text == ",":
            # "three of its members, A and B, left"; "its largest members, a trio nicknamed X: A, B and C"; not
            # "its members, employed by X, have accepted"
            cue = tok.i + 1 if _name_next(ctx, tok.i + 2) else next(
                (t.i for t in ctx.doc[tok.i + 2:sent.end] if _is_separator(ctx, t)), None)
        if cue is None:
            continue
        member_cls = {"LaborUnion"} if ctx.cls(owner) == "LaborUnion" else {"Company"}
        if ctx.cls(owner) == "LaborUnion":
            # "its four member organizations: the CSN, CSQ, APTS and FTQ": a union's members are unions
            for name in _mentions_after(ctx, sent, cue, {"Company"}):
                if is_guessed(ctx.table.entities[name], ctx.lex):
                    ctx.table.entities[name].cls = "LaborUnion"
        for name in _mentions_after(ctx, sent, cue, member_cls):
            if name != owner:
                yield ctx.relation(name, "memberOf", owner, sent, "members_listed", 0.75)


@triggered(("events", "include_verbs"))
def includes_members(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'The coalition includes A and B', 'The alliance's members include A and B', 'the Offshore Alliance,
    comprising A and B', 'the union, made up of A and B', 'X consists of A, B and C'."""
    verbs = ctx.lex.words("events", "include_verbs")
    for tok in tokens_with(ctx.doc, verbs, sent, lemma=True):
        if tok.pos_ not in ("VERB", "AUX") or tok.i in ctx.in_quote \
                or ctx.is_hypothetical(tok):
            continue
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None and tok.dep_ in ("acl", "advcl", "appos"):
            # "the Offshore Alliance, comprising A and B": the name before the comma, wherever the parser hangs it
            before = ctx.table.tok2mention.get(tok.i - 2) if tok.i > 1 and ctx.doc[tok.i - 1].text == "," else None
            subj = ctx.doc[before.end - 1] if before is not None else tok.head
        if tok.lemma_.lower() in ("make", "bring") and not any(
                c.dep_ in ("prt", "advmod") and c.lower_ in ("up", "together") for c in tok.children):
            continue  # "made up of", "brings together", not any "make"
        if subj is not None and subj.lower_ in ("which", "that", "who") and tok.dep_ == "relcl":
            subj = tok.head
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "attr")), None) or next(
            (p for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "by")
             for p in c.children if p.dep_ == "pobj"), None)  # "made up of A", "consisting of A"
        if subj is None or obj is None:
            continue
        if obj.lemma_.lower() in ctx.lex.words("parties", "people_nouns") or obj.lower_ in ctx.lex.words(
                "parties", "people_nouns"):
            # "the Group includes representatives of A, B and C": the organisations they represent
            obj = next((p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                        if p.dep_ == "pobj"), obj)
        group = ctx.org(subj) or _owner_of_members(ctx, subj) or (
            ctx.org(subj.head) if subj.dep_ == "appos" else None)  # "X, an industry group that includes A"
        if group is None or ctx.cls(group) not in GROUPS and not is_guessed_group(ctx, group):
            continue
        named = listed(ctx, obj)
        # "made up of A, B and C": the parser may hang B and C elsewhere (B an apposition of the subject)
        named += [n for n in _list_goes_on(ctx, obj.i, sent) if n not in named and n != group]
        if group in named:
            continue  # "the union, comprising A and B" read as A: the noun stood for a body not named
        members = [m for m in named if ctx.cls(m) in ORGANIZATION_CLASSES]
        if ctx.cls(group) == "LaborUnion":
            for m in members:  # "the Trade Union Group includes A and B": a union's members are unions
                if ctx.cls(m) == "Company" and is_guessed(ctx.table.entities[m], ctx.lex):
                    ctx.table.entities[m].cls = "LaborUnion"
        if group is not None and members and all(ctx.cls(m) == "LaborUnion" for m in members):
            ctx.table.entities[group].cls = "LaborUnion"  # a body made up of unions is a union coalition
        for member in members:
            yield ctx.relation(member, "memberOf", group, sent, "includes_members", 0.75)


def _list_goes_on(ctx: Ctx, i: int, sent: Span) -> list[str]:
    """The names a list goes on with after the name at token i, in the shape of a list (', B, C and D'; a name
    and no possessive each time, the last after 'and'), else none: not ', and X has refused', ', X's president'."""
    doc, table = ctx.doc, ctx.table
    m = table.tok2mention.get(i)
    out: list[str] = []
    k = m.end if m is not None else sent.end
    while k + 1 < sent.end and doc[k].text in (",", "and"):
        last = doc[k].lower_ == "and" or doc[k + 1].lower_ == "and"
        j = k + 1 + (doc[k].text == "," and doc[k + 1].lower_ == "and")
        j += j < sent.end and doc[j].lower_ == "the"
        nxt = table.tok2mention.get(j) if j < sent.end else None
        if nxt is None or nxt.start != j or nxt.end < sent.end and doc[nxt.end].lower_ in POSSESSIVES:
            return []
        out.append(nxt.name)
        if last:
            return out if nxt.end >= sent.end or doc[nxt.end].pos_ not in ("NOUN", "VERB", "AUX") else []
        k = nxt.end
    return []


def is_guessed_group(ctx: Ctx, name: str | None) -> bool:
    """A name typed by default that may well be a coalition ('the Common Front', 'Organised Labour')."""
    return name is not None and is_guessed(ctx.table.entities[name], ctx.lex)


@triggered(("events", "umbrella_nouns"))
def umbrella_members(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'negotiating with A, B and C under the umbrella of E': A, B and C are members of E."""
    umbrellas = ctx.lex.words("events", "umbrella_nouns")
    for tok in tokens_with(ctx.doc, umbrellas, sent, lemma=True):
        if tok.dep_ != "pobj" or tok.i in ctx.in_quote:
            continue
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        group = next((ctx.org(c) for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        verb = tok.head.head
        if ctx.cls(group) not in GROUPS or ctx.is_hypothetical(verb):
            continue
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                for member in listed(ctx, pobj):
                    if group is not None and member != group and ctx.cls(member) in ORGANIZATION_CLASSES:
                        yield ctx.relation(member, "memberOf", group, sent, "umbrella_members", 0.7)


@triggered(("events", "one_of_words"))
def one_of_group(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'GM is the last of the Big Three automakers to settle', 'X, one of the Big Four'."""
    for tok in tokens_with(ctx.doc, ctx.lex.words("events", "one_of_words"), sent):
        if tok.i in ctx.in_quote:
            continue
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is None:
            continue
        group = next((n for t in pobj.subtree if (n := ctx.entity_of(t)) and ctx.cls(n) == "Group"), None)
        if group is None:
            continue
        if tok.dep_ == "attr":
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        elif tok.dep_ == "appos":
            subj = tok.head
        else:
            continue
        for member in listed(ctx, subj) if subj is not None else []:
            if member != group and ctx.cls(member) in ORGANIZATION_CLASSES | {"Person"}:
                yield ctx.relation(member, "memberOf", group, sent, "one_of_group", 0.75)


def bracket_members(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'the Common Front (A, B, C and D)', 'the Joint Transport Unions — A, B and C — called off': a union
    coalition, an employers' group or a group with a list of two or more organisations in brackets or dashes."""
    doc = ctx.doc
    for m in ctx.table.mentions:
        if not (sent.start <= m.start < sent.end) or m.end >= sent.end or ctx.cls(m.name) not in GROUPS \
                or m.start in ctx.in_quote:
            continue
        opening = m.end  # the list's first token: after a bracket or a dash, or right after the name
        if doc[m.end].text in ("(", "—", "–", "--"):
            closing = ")" if doc[m.end].text == "(" else doc[m.end].text
            opening, close = m.end + 1, next((t.i for t in doc[m.end + 1:sent.end] if t.text == closing), None)
        elif doc[m.end - 1].lower_ in ctx.lex.words("typing", "coalition_plurals") and m.end in ctx.table.tok2mention:
            # "The United Aviation Unions APA, APLA, APTA and UPSA announced": the list right after the name
            close = next((t.i for t in doc[m.end:sent.end] if t.i not in ctx.table.tok2mention and t.text not in (
                ",", "and", "&")), sent.end)
        else:
            continue
        if close is None:
            continue
        inner = [n.name for n in ctx.table.mentions if opening <= n.start < close]
        members = [n for n in dict.fromkeys(inner) if n != m.name and ctx.cls(n) in ORGANIZATION_CLASSES]
        if len(members) >= 2 and all(t.text in (",", "and", "&") or t.lower_ == "the" or t.i in ctx.table.tok2mention
                                     for t in doc[opening:close]):
            for member in members:
                yield ctx.relation(member, "memberOf", m.name, sent, "bracket_members", 0.7)


def umbrella_apposition(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'the Joint Transport Unions, an umbrella body for A, B and C', 'X, an umbrella group of 12 unions including
    A and B': the organisations the umbrella is for (or of) are its members."""
    umbrellas = ctx.lex.words("events", "umbrella_nouns")
    for tok in ctx.tokens(sent):
        if tok.lower_ not in umbrellas or tok.i in ctx.in_quote or tok.dep_ not in ("compound", "amod", "appos"):
            continue
        noun = tok.head if tok.dep_ != "appos" else tok
        if noun.dep_ != "appos" or (group := ctx.org(noun.head)) is None or ctx.cls(group) not in ORGANIZATION_CLASSES:
            continue
        for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("for", "of")):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                named = [n for n in listed(ctx, pobj) or [n for c in pobj.children if c.dep_ == "prep" and c.lower_ ==
                         "including" for p in c.children if p.dep_ == "pobj" for n in listed(ctx, p)]
                         if n != group and ctx.cls(n) in ORGANIZATION_CLASSES]
                ent, words = ctx.table.entities[group], set(group.lower().split())
                employers = ctx.lex.union(("typing", "employer_words_in_names"), ("typing", "company_suffixes"))
                if named and (pobj.lemma_.lower() == "union" and not any(
                        c.lemma_.lower() in employers for c in pobj.children) or all(
                        ctx.cls(n) == "LaborUnion" for n in named)) and not ent.kb_id \
                        and ent.cls in ("GovernmentOrganization", "Group") and not words & employers:
                    # an umbrella of unions is a union federation ('the Trades Congress'), not an employers' body
                    # or a holding company whatever it is the umbrella of
                    ent.cls = "LaborUnion"
                if ctx.cls(group) not in GROUPS:
                    continue
                for member in named:
                    yield ctx.relation(member, "memberOf", group, sent, "umbrella_apposition", 0.75)


def extract_members(ctx: Ctx) -> Iterator[Relation]:
    for sent in ctx.sentences():
        for rule in (group_members_listed, members_listed, includes_members, umbrella_members, one_of_group,
                     bracket_members, umbrella_apposition):
            yield from rule(ctx, sent)
