"""Who a noun phrase stands for in a dispute: named organisations, the people and workers of one, or a side.

News names the parties of talks and deals in many ways: a list ("A, B and C"), examples ("companies including A
and B", "the studios (including A, B)"), a part ("some of the largest carriers, such as A"), the people of an
organisation ("representatives of A", "Kaiser executives", "the union's negotiators", "Lombardini" when she leads
one), its workers ("frontline healthcare workers", "members of X"), or a side without a name ("the studios",
"the company", "the two sides"). A side without a name comes out as a placeholder, UNION_SIDE or EMPLOYER_SIDE,
which the article's dispute frame fills in (graph.extract.frames).
"""
from __future__ import annotations

from spacy.tokens import Token

from graph.extract.context import Ctx, union_of
from graph.model import ORGANIZATION_CLASSES

# Placeholders for a side the sentence does not name; no entity name starts with "?".
UNION_SIDE = "?union"
EMPLOYER_SIDE = "?employer"
SIDES = (UNION_SIDE, EMPLOYER_SIDE)
PARTIES = ORGANIZATION_CLASSES - {"MediaOutlet"}
EMPLOYER_CLASSES = frozenset({"EmployerAssociation", "Company", "GovernmentOrganization"})
EXAMPLE_PREPS = ("including", "like", "as", "among")


def is_third_party(ctx: Ctx, name: str) -> bool:
    """'the Labour Court', 'the tribunal', 'the Labour Relations Commission': a body that proposes terms to both
    sides or hosts their talks is neither side."""
    head = name.rsplit(" ", 1)[-1].lower()
    if head in ctx.lex.words("events", "third_party_heads") or name.lower() in ctx.lex.words("events",
                                                                                          "third_party_names"):
        return True
    # "the Workplace Relations Commission", "the Labour Relations Board", "the Conciliation and Arbitration Service"
    words = name.lower().split()
    # (an 'Employee Relations Commission' that bargains for a government is the employer's agent, not a referee)
    return head in ctx.lex.words("events", "third_party_body_heads") and bool(
        set(words) & ctx.lex.words("events", "third_party_body_words")) and not set(words) & ctx.lex.words(
        "events", "bargaining_agent_words")


def side_of(ctx: Ctx, name: str) -> str | None:
    """UNION_SIDE for a union or its committee, EMPLOYER_SIDE for an employer, else None."""
    if name in SIDES:
        return name
    cls = ctx.cls(name)
    owner = ctx.table.entities[name].owner if cls == "Committee" else None
    if owner is not None and owner != name:
        return side_of(ctx, owner)  # "the BCMEA bargaining committee" sits on the employers' side
    if cls == "LaborUnion" or cls == "Committee" and not _is_board(ctx, name):
        return UNION_SIDE  # a committee the story does not tie to a body is most often a union's
    return EMPLOYER_SIDE if cls in EMPLOYER_CLASSES else None


def _is_board(ctx: Ctx, name: str) -> bool:
    """'the Extended Board of Directors of the National Assembly': a board sits on no side by its name."""
    return any(w in name.lower() for w in ctx.lex.words("typing", "board_words"))


def listed(ctx: Ctx, tok: Token, depth: int = 0) -> list[str]:
    """Every entity a noun phrase lists, of any class: 'A, B and C', 'studios including A and B', 'the studios
    (including A, B)', 'some of the carriers, such as A', in text order."""
    names: list[str] = _listed_inside(ctx, tok)
    for conj in ctx.conjuncts(tok):
        name = ctx.entity_of(conj)
        found = [name] if name else examples(ctx, conj, depth) or _part_of(ctx, conj, depth, listed)
        names += [n for n in found if n not in names]
    return names


def _listed_inside(ctx: Ctx, tok: Token) -> list[str]:
    """'affiliated to CNQ-CUT and IndustriALL Global Union': the parser may hang the first names of a list
    inside the phrase of the last one; read them from the words, within that phrase."""
    m = ctx.table.tok2mention.get(tok.i)
    if m is None:
        return []
    out: list[str] = []
    k, left = m.start, tok.left_edge.i
    while k - 2 >= left and ctx.doc[k - 1].lower_ in (",", "and"):
        j = k - 3 if ctx.doc[k - 1].lower_ == "and" and ctx.doc[k - 2].text == "," else k - 2
        prev = ctx.table.tok2mention.get(j)
        if prev is None or prev.start < left or prev.name in out or prev.name == m.name:
            break
        out.insert(0, prev.name)
        k = prev.start
    return out


def parties(ctx: Ctx, tok: Token) -> list[str]:
    """The parties a noun phrase and its conjuncts stand for, in text order, placeholders last."""
    if ctx.is_both_sides(tok):
        return [UNION_SIDE, EMPLOYER_SIDE]
    names: list[str] = []
    for conj in ctx.conjuncts(tok) + _lifted_from_a_place(ctx, tok):
        names += [n for n in _party(ctx, conj, 0) if n not in names]
    named = [n for n in names if n not in SIDES]
    return named + [n for n in names if n in SIDES and not any(side_of(ctx, m) == n for m in named)]


def _lifted_from_a_place(ctx: Ctx, tok: Token) -> list[Token]:
    """'Steel employers in north-western Germany and the IG Metall union have reached a deal': the parser may
    coordinate the second party with the place the first is in; a party is no place's conjunct."""
    out: list[Token] = []
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "from", "across")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            if ctx.cls(ctx.entity_of(pobj)) == "Place":
                out += [c for c in ctx.conjuncts(pobj) if c.i != pobj.i and (
                    c.lemma_.lower() in ctx.lex.nominal_classes() or ctx.cls(ctx.entity_of(c)) in PARTIES)]
    return out


def _listed_with(ctx: Ctx, name: str, before: int) -> list[str]:
    """`name` and the names of its side listed with it at its latest mention before token `before`."""
    m = next((m for m in reversed(ctx.table.mentions) if m.name == name and m.start < before), None)
    if m is None:
        return [name]
    root = ctx.doc[m.start:m.end].root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    side = side_of(ctx, name)
    names = [n for c in ctx.conjuncts(root) if (n := ctx.entity_of(c)) and side_of(ctx, n) == side]
    return list(dict.fromkeys(names)) if name in names else [name]


def _part_of(ctx: Ctx, tok: Token, depth: int, walk) -> list[str]:
    """'some of the largest carriers', 'two of the companies', 'each of the unions': what the part is of."""
    if depth > 3 or not (tok.lemma_.lower() in ctx.lex.words("parties", "part_words") or tok.like_num):
        return []
    return [n for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
            for p in c.children if p.dep_ == "pobj" for n in walk(ctx, p, depth + 1)]


def _party(ctx: Ctx, tok: Token, depth: int) -> list[str]:
    if depth > 3:
        return []
    if ctx.is_both_sides(tok):  # "negotiators for the two sides"
        return [UNION_SIDE, EMPLOYER_SIDE]
    if (tok.tag_ in ("NNS", "NNPS") or tok.lower_ in ctx.lex.nominal_classes()) and tok.i not in ctx.table.tok2mention:
        # "the CFDT and CFE-CGC unions", "the NUM and Solidarity union": the names a noun is modified by, each
        named = [n for c in tok.children if c.dep_ in ("nmod", "compound") and c.i in ctx.table.tok2mention
                 for cc in ctx.conjuncts(c) if (n := ctx.org(cc))]
        if len(set(named)) >= 2:
            return list(dict.fromkeys(named))
        if tok.i + 1 in ctx.table.tok2mention and tok.lemma_.lower() in ctx.lex.nominal_classes():
            # "the unions SITRAGLAS and SITRAPBI signed": the parser may make the names a second subject
            return [n for n in ctx.listed_after(tok.i, tok.sent) if ctx.cls(n) in PARTIES]
    name = ctx.entity_of(tok)
    if name is not None and ctx.cls(name) == "Committee" and any(
            c.dep_ == "prep" and c.lower_ in ("for", "from", "of") for c in tok.children) and (
            tok.lemma_.lower() in ctx.lex.union(("parties", "people_nouns"), ("typing", "committee_people"))):
        # "Negotiators for Corvane and the union": the sides, not a committee; but "the Board of Directors of
        # the National Assembly" is the board
        return _people_of(ctx, tok, depth)
    if name is not None and ctx.cls(name) in PARTIES:
        if tok.lower_ in ("their", "they", "them") and tok.pos_ == "PRON":
            return _listed_with(ctx, name, tok.i)  # "GNAT, NAGRAT and CCT-G ... their meeting with X"
        return [name]
    if name is not None and ctx.cls(name) == "Person":
        org = ctx.affiliation.get(name)  # "between Stutzman and Lombardini": the sides they lead
        return [org] if org else []
    if name is not None:
        return []
    found = [n for n in examples(ctx, tok, depth) if ctx.cls(n) in PARTIES] or _part_of(ctx, tok, depth, _party)
    if found:
        return found
    low, lemma = tok.lower_, tok.lemma_.lower()
    people = ctx.lex.union(("parties", "people_nouns"), ("typing", "committee_people")) \
        | ctx.lex.words("typing", "committee_heads")
    if low in people or lemma in people:
        return _people_of(ctx, tok, depth)
    workers = ctx.lex.union(("typing", "worker_nouns"), ("events", "members_words"))
    if low in workers or lemma in workers:
        # "members of the A and B unions", "workers, members of the A and B unions,": each union listed
        head = next((c for c in tok.children if c.dep_ in ("appos", "conj") and c.lower_ in workers), tok)
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        many = [n for c in (ctx.conjuncts(pobj) if pobj is not None else []) for n in _party(ctx, c, depth + 1)
                if ctx.cls(n) == "LaborUnion"]
        if len(set(many)) >= 2:
            return list(dict.fromkeys(many))
        union = union_of(ctx, tok)
        return [union] if union else [UNION_SIDE]
    if (agents := _represented_by(ctx, tok, depth)):
        return agents  # "the government, represented by the Council of Governors and the Ministry of Health"
    if (unions := _the_unions(ctx, tok)):
        return unions
    if tok.tag_ == "NNS" and tok.lemma_.lower() in ctx.lex.words("parties", "association_plurals") and len(
            assoc := [n for n, e in ctx.table.entities.items() if e.cls == "EmployerAssociation"]) == 1 and (
            {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")} & set(assoc[0].lower().split())
            or ctx.table.most_recent(tok.i, {"EmployerAssociation"}) == assoc[0]):
        # "steel employers and the union reached a deal": the employers' association the article names, for the
        # same industry or named before
        return assoc
    if _is_employer_side_noun(ctx, tok):
        return [EMPLOYER_SIDE]
    return []


def _represented_by(ctx: Ctx, tok: Token, depth: int) -> list[str]:
    for acl in (c for c in tok.children if c.dep_ == "acl" and c.lemma_.lower() in ctx.lex.words(
            "events", "represent_verbs")):
        for agent in (c for c in acl.children if c.dep_ == "agent"):
            return [n for p in agent.children if p.dep_ == "pobj" for c in ctx.conjuncts(p)
                    for n in _party(ctx, c, depth + 1)]
    return []


def _the_unions(ctx: Ctx, tok: Token) -> list[str]:
    """'the two teaching unions', 'the unions': the unions the story has named, as many as it says."""
    if tok.lemma_.lower() not in ("union", "unions") or tok.tag_ not in ("NNS", "NNPS") or not any(
            c.dep_ == "det" and c.lower_ in ("the", "both") for c in tok.children):
        return []
    numbers = ctx.lex.value("events", "cardinal_words")
    count = next((numbers.get(c.lower_) or (int(c.text) if c.text.isdigit() else None)
                  for c in tok.children if c.dep_ == "nummod"), None)
    named: list[str] = []
    for m in ctx.table.mentions:
        if m.start < tok.i and ctx.cls(m.name) == "LaborUnion" and m.name not in named:
            named.append(m.name)
    if count is None or len(named) < count:
        return named if count is None and len(named) >= 2 else []
    ranked = sorted(named, key=lambda n: -sum(m.name == n for m in ctx.table.mentions))
    return [n for n in named if n in ranked[:count]]


def examples(ctx: Ctx, tok: Token, depth: int = 0) -> list[str]:
    """'studios including A and B', 'companies such as A', 'the studios (including A, B)', 'carriers like A'."""
    out: list[str] = []
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in EXAMPLE_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    out += [n for n in listed(ctx, pobj, depth + 1) if n not in out]
        elif child.dep_ in ("appos", "amod", "acl", "prep") and child.lower_ == "including" and not any(
                c.dep_ == "pobj" for c in child.children):  # a broken parse of '(including A, B)'
            out += [n for n in ctx.listed_after(child.i, tok.sent) if n not in out]
    return out


def _people_of(ctx: Ctx, tok: Token, depth: int) -> list[str]:
    """'representatives of A, B and C', 'negotiators for the union', 'Kaiser executives', 'the union's lawyers'."""
    out: list[str] = []
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "from", "for", "at"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    for conj in ctx.conjuncts(pobj):
                        out += [n for n in _party(ctx, conj, depth + 1) if n not in out]
        elif child.dep_ in ("poss", "compound", "nmod") and (org := ctx.org(child)) and org not in out:
            out.append(org)
    nxt = ctx.doc[tok.i + 1] if tok.i + 1 < tok.sent.end else None
    if not out and nxt is not None and nxt.lower_ in ("of", "from", "for", "at"):
        out = ctx.listed_after(nxt.i, tok.sent)  # "the UAW and representatives of A, B": 'of' hung elsewhere
    if not out and any(c.dep_ == "compound" and c.lemma_.lower() in ctx.lex.words("parties", "employer_nouns")
                       for c in tok.children):
        out.append(EMPLOYER_SIDE)  # "studio executives"
    return out


def _is_employer_side_noun(ctx: Ctx, tok: Token) -> bool:
    """'the studios', 'Hollywood studios', 'the company', 'management': the employer side, unnamed.
    A bare plural ('talks between employers and unions') speaks of employers in general, not of a side."""
    lemma = tok.lemma_.lower()
    nouns = ctx.lex.words("parties", "employer_nouns")
    if lemma not in nouns and tok.lower_ not in nouns:
        return False
    if lemma in ctx.lex.words("parties", "sides_without_article"):
        return True
    return any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "any", "no", "some")
               or c.dep_ in ("compound", "amod") and (c.pos_ == "PROPN" or c.lower_ in ("major", "big", "other"))
               for c in tok.children)
