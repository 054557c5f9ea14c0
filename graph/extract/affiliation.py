"""Affiliation and representation: ng:memberOf between two named parties, and ng:represents.

memberOf: "X is an affiliate / a member / part of Y", "X is affiliated with Y", "Local 610 of the X union", "X
sits on the union's bargaining committee", "X's Y Union", "its affiliate X" (lists of members are
graph.extract.members).
represents: "Y bargains on behalf of A, B and C", "Y represents A", "A, represented by Y".
"""
from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from graph.dates import is_weekday
from graph.extract.context import Ctx, triggered
from graph.extract.doccache import tokens_with
from graph.extract.entities import POSSESSIVES, norm_key
from graph.extract.events import clause_subject
from graph.extract.parties import listed
from graph.extract.union_deeds import is_guessed
from graph.model import ORGANIZATION_CLASSES, Relation

AGENTS = ORGANIZATION_CLASSES | {"Person"}


@triggered(("events", "member_nouns"), ("events", "member_class_nouns"))
def affiliate_of(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'X is an affiliate of Y', 'X, a member of Y,', 'X is part of Y', 'X is one of 11 unions in Y'."""
    member_nouns = ctx.lex.words("events", "member_nouns")
    for tok in ctx.tokens(sent):
        lemma = tok.lemma_.lower()
        one_of = lemma not in member_nouns and tok.tag_ == "NNS" and lemma in ctx.lex.words(
            "events", "member_class_nouns") and tok.dep_ == "pobj" and tok.head.lower_ == "of" \
            and tok.head.head.lower_ in ("one", "another")  # "one of 11 unions in Y"
        if not (lemma in member_nouns or one_of) or tok.i in ctx.in_quote or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        if tok.dep_ == "compound" and tok.head.pos_ == "NOUN" and tok.head.lemma_.lower() in ctx.lex.nominal_classes():
            tok = tok.head  # "the VRB's member companies", not "the guild's unit chair"
        of = next((c for c in tok.children if c.dep_ == "prep" and (
            c.lower_ == "of" or c.lower_ == "in" and one_of)), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is None:  # "Local 907, the guild's largest affiliate"
            pobj = next((c for c in tok.children if c.dep_ == "poss"), None)
            if pobj is not None and pobj.lower_ in ("its", "their") and tok.dep_ == "appos":
                continue  # "IndustriALL, its affiliates A and B": the affiliates are named (affiliates_named)
        group = ctx.entity_of(pobj) if pobj is not None else None
        if ctx.cls(group) not in ORGANIZATION_CLASSES | {"Group"}:
            continue
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in ("one", "another"):
            tok = tok.head.head  # "Elbtal Express, one of the VRB's member companies,"
        if tok.dep_ == "attr":
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        elif tok.dep_ == "appos":
            subj = tok.head
        else:
            continue
        if subj is None or ctx.is_hypothetical(tok.head if tok.dep_ == "attr" else tok):
            continue
        people_only = False
        if subj.lower_ in ("which", "that", "who") and tok.head.dep_ == "relcl" and tok.tag_ == "NNS":
            # "A and B, which are members of X": the list the clause is about, from its start (a plural only: "A and
            # B, which is a member of X" is B's); 'who' is people's ("Employees of A and B, who are members of X")
            people_only = subj.lower_ == "who"
            subj = tok.head.head
            while subj.dep_ == "conj" and subj.head.i != subj.i:
                subj = subj.head
        for member in listed(ctx, subj):
            if people_only and ctx.cls(member) != "Person":
                continue
            if group is not None and member != group and ctx.cls(member) in AGENTS:
                yield ctx.relation(member, "memberOf", group, sent, "affiliate_of", 0.85)


def appositive_member(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'Local 834, the Wichita affiliate of the UAPW,' read from the words: the parser often hangs such an
    apposition on another noun of the sentence."""
    member_nouns = ctx.lex.words("events", "member_nouns")
    doc = ctx.doc
    for m in ctx.table.mentions:
        k = m.end
        if not (sent.start <= m.start and k + 2 < sent.end) or doc[k].text != "," \
                or doc[k + 1].lower_ not in ("the", "a", "an") or ctx.cls(m.name) not in AGENTS - {"Person"}:
            continue
        owner = None  # "Cassa, the Unite cabin crew branch,": the union named before the noun
        for j in range(k + 2, min(k + 9, sent.end - 2)):
            t = doc[j]
            if t.text in (",", ";") or t.pos_ in ("VERB", "AUX") or j in ctx.table.tok2mention and \
                    not _is_modifier_name(ctx, j) and not _is_union_modifier(ctx, j):
                break
            if j in ctx.table.tok2mention and ctx.cls(ctx.table.tok2mention[j].name) == "LaborUnion":
                owner = ctx.table.tok2mention[j].name
            if t.lemma_.lower() in member_nouns and doc[j + 1].lower_ == "of" and j + 2 < len(doc):
                g = j + 2 + (doc[j + 2].lower_ == "the")
                group = ctx.table.tok2mention.get(g)
                if group is not None and group.name != m.name and ctx.cls(group.name) in ORGANIZATION_CLASSES \
                        and not (group.end < len(doc) and doc[group.end].lower_ in ("'s", "’s")):  # "of X's unit"
                    yield ctx.relation(m.name, "memberOf", group.name, sent, "appositive_member", 0.8)
                break
            if t.lemma_.lower() in ctx.lex.words("events", "branch_nouns") and owner is not None and owner != m.name \
                    and t.dep_ == "appos" and (ctx.cls(m.name) == "LaborUnion" or is_guessed(
                        ctx.table.entities[m.name], ctx.lex)):  # not "X Hospital, the union's bargaining unit"
                yield ctx.relation(m.name, "memberOf", owner, sent, "appositive_member", 0.8)
                break


def _is_union_modifier(ctx: Ctx, i: int) -> bool:
    """A union's name of several words before the noun it modifies ('the Harbor Workers Union cabin crew branch')."""
    m = ctx.table.tok2mention[i]
    return ctx.cls(m.name) == "LaborUnion" and m.end < len(ctx.doc) and ctx.doc[m.end].pos_ in ("NOUN", "PROPN") \
        and ctx.doc[m.end - 1].dep_ == "compound"


def _is_modifier_name(ctx: Ctx, i: int) -> bool:
    """A name used as a modifier of the noun after it ('the Wichita affiliate')."""
    return ctx.table.tok2mention[i].end == i + 1 and ctx.doc[i].dep_ == "compound"


@triggered(("typing", "union_branch_words"))
def local_of(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'Local 610 of the Cabin Crew Union of America': a numbered branch named with its union."""
    branch_words = ctx.lex.words("typing", "union_branch_words")
    for m in ctx.table.mentions:
        if not (sent.start <= m.start < sent.end) or m.end + 1 >= sent.end or ctx.cls(m.name) != "LaborUnion":
            continue
        first = ctx.doc[m.start]
        if first.lower_ not in branch_words or not ctx.doc[m.start + 1].like_num or ctx.doc[m.end].lower_ != "of":
            continue
        k = m.end + 1 + (ctx.doc[m.end + 1].lower_ == "the")
        parent = ctx.table.tok2mention.get(k)
        if parent is not None and parent.name != m.name and ctx.cls(parent.name) == "LaborUnion":
            yield ctx.relation(m.name, "memberOf", parent.name, sent, "local_of", 0.85)


@triggered(("events", "affiliation_words"))
def affiliated_with(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'X is affiliated with Y', 'X, which belongs to Y'."""
    for tok in tokens_with(ctx.doc, ctx.lex.words("events", "affiliation_words"), sent):
        if tok.i in ctx.in_quote:
            continue
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("with", "to", "under")), None)
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        named_after = _dash_listed(ctx, pobj) if pobj is not None else []  # "affiliated to the CGT – A, B and C –"
        if pobj is not None and ctx.entity_of(pobj) is None and (
                pobj.lemma_.lower() in (umbrella := ctx.lex.words("events", "umbrella_nouns"))
                or any(c.lemma_.lower() in umbrella for c in pobj.children)):
            # "grouped under the CGT umbrella", "under the CGT (...) umbrella union group": the name the umbrella is
            pobj = next((c for c in pobj.children if c.dep_ in ("compound", "poss", "nmod") and ctx.entity_of(c)),
                        None)
        verb = tok if tok.pos_ in ("VERB", "AUX") and tok.lemma_ != "be" else tok.head
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None and verb.dep_ == "acl":
            subj = verb.head  # "the oil workers' federation, affiliated to A and B, ..."
        if subj is None and verb.tag_ == "VBN" and verb.i >= 2 and ctx.doc[verb.i - 1].text == ",":
            subj = ctx.doc[verb.i - 2]  # "brought together the X Union, affiliated with Y, and Z": hung elsewhere
        if pobj is None or subj is None or ctx.is_hypothetical(verb):
            continue
        members = listed(ctx, subj) or named_after
        for group in [g for g in listed(ctx, pobj) if ctx.cls(g) in ORGANIZATION_CLASSES and g not in named_after]:
            for member in members:
                if member != group and ctx.cls(member) in AGENTS:
                    if ctx.cls(member) == "LaborUnion" and is_guessed(ctx.table.entities[group], ctx.lex):
                        ctx.table.entities[group].cls = "LaborUnion"  # what a union is affiliated to is unions'
                    yield ctx.relation(member, "memberOf", group, sent, "affiliated_with", 0.8)


def _dash_listed(ctx: Ctx, tok: Token) -> list[str]:
    """The names listed after a dash or colon right after `tok`, which the parser may hang on it as an apposition
    ('four unions affiliated to the CGT – UDA, SADOP, AMET and CEA –')."""
    dashes = ("–", "—", ":")
    k = next((c.i for c in tok.children if c.text in dashes and c.i > tok.i), None)
    if k is None and tok.right_edge.i + 1 < len(ctx.doc) and ctx.doc[tok.right_edge.i + 1].text in dashes:
        k = tok.right_edge.i + 1
    return ctx.listed_after(k, tok.sent) if k is not None else []


@triggered(("events", "membership_prepositions"))
def union_under(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'the Health Workers' Union under the Korean Confederation of Trade Unions': a union under a union body
    belongs to it (not 'workers under the union', nor 'the union under pressure')."""
    for tok in tokens_with(ctx.doc, ctx.lex.words("events", "membership_prepositions"), sent):
        if tok.dep_ != "prep" or tok.i in ctx.in_quote:
            continue
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        member, group = ctx.entity_of(tok.head), ctx.entity_of(pobj) if pobj is not None else None
        if member and group and member != group and ctx.cls(member) == ctx.cls(group) == "LaborUnion":
            yield ctx.relation(member, "memberOf", group, sent, "union_under", 0.75)


def _names_right_after(ctx: Ctx, i: int, sent: Span) -> list[str]:
    """The names listed from token i on, one after another ('A, B and C'), up to the first other word."""
    names: list[str] = []
    i += i < sent.end and ctx.doc[i].lower_ == "the"
    while i < sent.end and (m := ctx.table.tok2mention.get(i)) is not None and m.start == i:
        names.append(m.name)
        i = m.end + (m.end < sent.end and ctx.doc[m.end].lower_ in (",", "and"))
        i += i < sent.end and ctx.doc[i - 1].text == "," and ctx.doc[i].lower_ == "and"
        i += i < sent.end and ctx.doc[i].lower_ == "the" and ctx.doc[i - 1].lower_ in (",", "and")
    return names


@triggered(("events", "affiliate_nouns"))
def affiliates_named(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'its Greek affiliate ADEDY', 'GlobalWorks affiliates Fimo, Fiola and Uilo', 'the PSI's affiliate X': the
    names right after the noun belong to the noun's owner."""
    for tok in tokens_with(ctx.doc, ctx.lex.words("events", "affiliate_nouns"), sent):
        if tok.i in ctx.in_quote:
            continue
        named = _names_right_after(ctx, tok.i + 1, sent)
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        before = ctx.table.tok2mention.get(poss.i - 2) if poss is not None and poss.i >= 2 else None
        if poss is not None and poss.lower_ in ("its", "their") and ctx.doc[poss.i - 1].text == "," and \
                before is not None and before.end == poss.i - 1:
            owner: str | None = before.name  # "thanked IndustriALL, its affiliates FNV and SASK": its = IndustriALL
        elif poss is not None and poss.lower_ in ("its", "their"):
            owner = next(iter(clause_subject(ctx, tok, named)), None)
        elif poss is not None:
            owner = ctx.entity_of(poss)
        else:
            before = ctx.table.tok2mention.get(tok.i - 1)
            owner = before.name if before is not None and before.end == tok.i else None
        if owner is None or ctx.cls(owner) not in ORGANIZATION_CLASSES:
            continue
        countries = ctx.lex.countries()
        for member in named:
            entity = ctx.table.entities[member]
            if member in countries or is_weekday(member) or entity.cls == "Place" and any(
                    m.name == member and m.end < sent.end and ctx.doc[m.end].lower_ in POSSESSIVES
                    for m in ctx.table.mentions):
                continue  # "the ITUC affiliates Brazil's CUT", "its affiliates Tuesday urged Congress"
            if ctx.cls(owner) == "LaborUnion" and not entity.kb_id and (
                    entity.cls in ("Person", "Place") or is_guessed(entity, ctx.lex)):
                entity.cls = "LaborUnion"  # a union's affiliates are unions, whatever the NER took the name for
            if member != owner and entity.cls in ORGANIZATION_CLASSES:
                yield ctx.relation(member, "memberOf", owner, sent, "affiliates_named", 0.75)


def possessive_union(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """"PSAC's Union of Taxation Employees", "the Teamsters' Local 2291": a union named with another union's
    possessive is one of its parts."""
    mentions = ctx.table.tok2mention
    for tok in ctx.tokens(sent):
        k = tok.i
        if tok.lower_ not in POSSESSIVES or k in ctx.in_quote:
            continue
        owner, m = mentions.get(k - 1), mentions.get(k + 1)
        if owner is not None and m is not None and owner.end == k and m.start == k + 1 and owner.name != m.name \
                and ctx.cls(owner.name) == ctx.cls(m.name) == "LaborUnion":
            yield ctx.relation(m.name, "memberOf", owner.name, sent, "possessive_union", 0.75)


@triggered(("events", "affiliation_words"))
def affiliated_prefix(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'the CGT-affiliated Metal Workers Union', 'the Socialist Party affiliated Teachers Union': the name
    before 'affiliated' is what the name after it belongs to."""
    doc, mentions = ctx.doc, ctx.table.tok2mention
    for tok in ctx.tokens(sent):
        if tok.lower_ != "affiliated" or tok.i in ctx.in_quote or tok.i + 1 >= sent.end:
            continue
        j = tok.i - 1 - (doc[tok.i - 1].text == "-")
        group, member = mentions.get(j), mentions.get(tok.i + 1)
        if group is None or member is None or group.end != j + 1 or member.start != tok.i + 1:
            continue
        if ctx.cls(group.name) in ORGANIZATION_CLASSES | {"Group"} and ctx.cls(member.name) in AGENTS - {"Person"} \
                and group.name != member.name:
            _union_of_a_union(ctx, member.name, group.name)
            yield ctx.relation(member.name, "memberOf", group.name, sent, "affiliated_prefix", 0.8)


def _union_of_a_union(ctx: Ctx, member: str, group: str) -> None:
    """'the INTUC-affiliated Transport Democratic Federation': an organisation affiliated to a union known or named
    as one is a union, typed so before the strikes and talks are read (not 'Fertilizer Canada' by a union typed so
    by default, nor 'nurses at Riverside Hospital, who are members of the Nurses Union': only this phrasing)."""
    m, g = ctx.table.entities[member], ctx.table.entities[group]
    if not m.kb_id and m.cls in ("Company", "EmployerAssociation") and g.cls == "LaborUnion" and (
            g.kb_id or set(norm_key(g.name).split()) & ctx.lex.words("typing", "union_words")):
        m.cls = "LaborUnion"


@triggered(("events", "seat_verbs"))
def sits_on(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'X sits on the union's bargaining committee', 'X, who served on the guild's negotiating committee'."""
    for tok in tokens_with(ctx.doc, ctx.lex.words("events", "seat_verbs"), sent, lemma=True):
        if tok.pos_ != "VERB" \
                or tok.i in ctx.in_quote or ctx.is_hypothetical(tok):
            continue
        on = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "on"), None)
        pobj = next((c for c in on.children if c.dep_ == "pobj"), None) if on is not None else None
        body = ctx.entity_of(pobj) if pobj is not None else None
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ in ("who", "that") and tok.dep_ == "relcl":
            subj = ctx.person_of(tok.head)  # "Mara Pell, a nurse who sits on ..."
        member = ctx.entity_of(subj) if subj is not None else None
        if body is not None and member is not None and ctx.cls(body) in ("Committee", "Group") \
                and ctx.cls(member) == "Person":
            yield ctx.relation(member, "memberOf", body, sent, "sits_on", 0.8)


def _subject_of(ctx: Ctx, verb: Token) -> str | None:
    t = verb
    for _ in range(3):
        subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            return ctx.org(subj)
        if t.dep_ in ("xcomp", "conj", "advcl") and t.head.i != t.i:
            t = t.head
            continue
        break
    return None


@triggered(("events", "behalf_phrases"))
def on_behalf_of(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'The association, which bargains on behalf of A, B and C', 'negotiating for the studios'."""
    for tok in tokens_with(ctx.doc, ctx.lex.words("events", "behalf_phrases"), sent):
        if tok.i in ctx.in_quote:
            continue
        prep = tok.head
        verb = prep.head if prep.dep_ == "prep" else None
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if verb is None or pobj is None or ctx.is_hypothetical(verb):
            continue
        agent = _subject_of(ctx, verb)
        # "on behalf of terminal operators A and B": the names may sit inside the phrase
        clients = listed(ctx, pobj) or ctx.listed_after(pobj.head.i, sent)
        for client in clients:
            if agent and client != agent and ctx.cls(client) in AGENTS:
                yield ctx.relation(agent, "represents", client, sent, "on_behalf_of", 0.85)


@triggered(("events", "represent_verbs"))
def represents_verb(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'Y represents A and B'; 'A, represented by Y'."""
    for tok in tokens_with(ctx.doc, ctx.lex.words("events", "represent_verbs"), sent, lemma=True):
        if tok.pos_ != "VERB" \
                or tok.i in ctx.in_quote or ctx.is_hypothetical(tok):
            continue
        agent_tok = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        by = next((c for c in tok.children if c.dep_ == "agent"), None)
        if by is not None:
            agent_tok = next((c for c in by.children if c.dep_ == "pobj"), None)
            obj = tok.head if tok.dep_ == "acl" else next(
                (c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if agent_tok is None and tok.tag_ == "VBG" and tok.dep_ in ("acl", "advcl", "appos"):
            # "The alliance — representing A, B and C — said ...", "the union, representing 900 nurses"
            agent_tok = tok.head if tok.dep_ != "advcl" else next(
                (c for c in tok.head.children if c.dep_ == "nsubj"), None)
        agent = ctx.org(agent_tok) if agent_tok is not None else None
        if agent is None and agent_tok is not None:
            # "The employer group in the forum, the X Federation, represents A and B": the body in apposition
            agent = next((n for c in agent_tok.children if c.dep_ == "appos" and (n := ctx.org(c))), None)
        if agent is None or obj is None:
            continue
        for client in listed(ctx, obj):
            if client != agent and ctx.cls(client) in ORGANIZATION_CLASSES:
                yield ctx.relation(agent, "represents", client, sent, "represents_verb", 0.8)


@triggered(("events", "bargain_verbs"), ("events", "talk_nouns"))
def bargains_for(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'the trade group that bargains for Disney and Netflix', 'handles negotiations for the studios'."""
    bargain = ctx.lex.union(("events", "bargain_verbs"), ("events", "talk_nouns"))
    for tok in ctx.tokens(sent):
        if tok.lower_ != "for" or tok.dep_ != "prep" or tok.i in ctx.in_quote:
            continue
        head = tok.head
        if head.lemma_.lower() not in bargain and head.lower_ not in bargain:
            continue
        verb = head if head.pos_ == "VERB" else head.head
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None or verb.pos_ != "VERB" or ctx.is_hypothetical(verb):
            continue
        agent = _subject_of(ctx, verb)
        for client in listed(ctx, pobj):
            if agent and client != agent and ctx.cls(client) in ORGANIZATION_CLASSES - {"LaborUnion"} \
                    and ctx.cls(agent) in ("EmployerAssociation", "LaborUnion"):
                yield ctx.relation(agent, "represents", client, sent, "bargains_for", 0.7)


def extract_affiliations(ctx: Ctx) -> Iterator[Relation]:
    for sent in ctx.sentences():
        for rule in (affiliate_of, affiliated_with, affiliated_prefix, on_behalf_of, represents_verb, bargains_for,
                     sits_on, local_of, appositive_member, union_under, possessive_union, affiliates_named):
            yield from rule(ctx, sent)
