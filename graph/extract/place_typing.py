"""Places and companies the small NER confuses, told apart by the lists and events a name takes part in.

A one-word name the NER calls a person at one mention and a place at another ('the strike at Petrobras', 'talks
with Petrobras') is an organisation, unless it is somewhere ('workers in Mackay'); a name listed with companies is
one, a name listed with places is one; a 'place' that faces an organisation in talks or a deal is an
organisation; the council of a place the article names is its local government.
"""
from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from graph.extract.doccache import doc_tokens
from graph.extract.entities import DocEntity, has_class_cue, norm_key
from graph.extract.table import EntityTable
from graph.extract.union_deeds import is_guessed
from graph.model import ORGANIZATION_CLASSES


def retype_places_and_companies(doc: Doc, table: EntityTable) -> None:
    _lists_with_places(doc, table)
    _lists_with_companies(doc, table)
    _places_that_bargain(doc, table)
    _councils_of_places(table)
    _mixed_places(doc, table)


def conjunct_group(tok: Token) -> list[Token]:
    root = tok
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    out, stack = [], [root]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ == "conj")
    return out


def _listed_entities(doc: Doc, table: EntityTable) -> Iterator[list[DocEntity]]:
    """The entities of each list of conjuncts in the document, once each, in the order of the text."""
    seen: set[int] = set()
    for tok in doc_tokens(doc):
        if tok.dep_ != "conj" or tok.i in seen:
            continue
        group = conjunct_group(tok)
        seen.update(t.i for t in group)
        names = [m.name for t in group if (m := table.tok2mention.get(t.i)) is not None]
        yield [table.entities[n] for n in dict.fromkeys(names)]


def _lists_with_places(doc: Doc, table: EntityTable) -> None:
    """'Cape Town and Durban', 'Victoria and New South Wales': a name listed with places, that only the NER
    took for a person (one word) or that is a company by default, is a place."""
    for ents in _listed_entities(doc, table):
        if not any(e.cls == "Place" for e in ents) or any(
                e.cls in ORGANIZATION_CLASSES and not is_guessed(e, table.lex) for e in ents):
            continue
        for e in ents:
            if not e.kb_id and (e.cls == "Person" and " " not in e.name or is_guessed(e, table.lex)):
                e.cls = "Place"


def _lists_with_companies(doc: Doc, table: EntityTable) -> None:
    """'Nutrien, Mosaic, K + S Potash and Federated Cooperatives Limited': in a list of three or more that is
    mostly companies, one at least by its name, a one-word name the NER took for a person or a place is one."""
    for ents in _listed_entities(doc, table):
        companies = [e for e in ents if e.cls == "Company"]
        if len(ents) < 3 or 2 * len(companies) < len(ents) or all(is_guessed(e, table.lex) for e in companies) \
                or any(e.cls in ORGANIZATION_CLASSES - {"Company"} for e in ents):
            continue
        for e in ents:
            if e.cls in ("Person", "Place") and not e.kb_id and " " not in e.name.strip():
                e.cls = "Company"


def _places_that_bargain(doc: Doc, table: EntityTable) -> None:
    """'a deal between the local council and Unite', 'the council held talks with Unite': a one-word 'place' the
    knowledge base does not know, not a country, that faces an organisation in talks or a deal and is never where
    something is ('in X'), is an organisation."""
    lex = table.lex
    events = lex.union(("events", "talk_nouns"), ("events", "agreement_nouns"), ("events", "negotiate_verbs"))
    where = lex.words("typing", "place_prepositions") | {"at", "from", "to"}
    countries = lex.countries()
    for name, ent in list(table.entities.items()):
        if ent.cls != "Place" or ent.kb_id or " " in name.strip() or name in countries:
            continue
        toks = [doc[m.start] for m in table.mentions if m.name == name]
        if any(t.i > 0 and doc[t.i - 1].lower_ in where or t.dep_ == "compound" for t in toks):
            continue  # "in Warrington", "the Warrington council"
        for place in toks:
            tok = place
            while tok.dep_ == "conj" and tok.head.i != tok.i:
                tok = tok.head  # "between the local council and X"
            prep = tok.head
            if tok.dep_ != "pobj" or prep.lower_ not in ("with", "between") or not (
                    prep.head.lemma_.lower() in events or prep.head.lower_ in events):
                continue
            faced = conjunct_group(tok) if prep.lower_ == "between" else [
                c for h in (prep.head, prep.head.head) for c in h.children if c.dep_ in ("nsubj", "poss")]
            if any(t.i != place.i and _is_organisation(table, t) for t in faced):
                ent.cls = "Company"  # an organisation by default: the other side may make it the union
                break


def _is_organisation(table: EntityTable, tok: Token) -> bool:
    """A token naming an organisation, or a noun that stands for one ('the council', 'management')."""
    m = table.tok2mention.get(tok.i)
    if m is not None:
        return table.entities[m.name].cls in ORGANIZATION_CLASSES
    return tok.lower_ in table.lex.nominal_classes() or tok.lower_ == "management"


def _mixed_places(doc: Doc, table: EntityTable) -> None:
    """'workers in Mackay': a name the NER took for a person and a place, which is somewhere, is a place."""
    where = table.lex.words("typing", "place_prepositions")
    for name, ent in table.entities.items():
        if ent.mixed and ent.cls == "Company" and any(
                m.start > 0 and doc[m.start - 1].lower_ in where for m in table.mentions if m.name == name):
            ent.cls = "Place"


def _councils_of_places(table: EntityTable) -> None:
    """'Warrington Council', 'Adur and Worthing Councils': the council of a place the article names is its local
    government, not an employers' council."""
    places = {norm_key(n) for n, e in table.entities.items() if e.cls == "Place"}
    doc = table.doc_tokens
    # "talks with Brent council": 'council' in lower case after a name is no part of an association's name
    business = table.lex.union(("typing", "employer_modifiers"), ("typing", "employer_name_words"))
    lower = {m.name for m in table.mentions if doc is not None and doc[m.end - 1].text in ("council", "councils")
             and m.end - m.start >= 2 and not has_class_cue([t.lower_ for t in doc[m.start:m.end - 1]], table.lex)
             and not {t.lower_ for t in doc[m.start:m.end - 1]} & business}  # not 'the Meridia Business council'
    for name, ent in table.entities.items():
        words = norm_key(name).split()
        if not ent.kb_id and ent.cls in ("EmployerAssociation", "Company") and len(words) >= 2 \
                and words[-1] in ("council", "councils") and (" ".join(words[:-1]) in places or name in lower):
            ent.cls = "GovernmentOrganization"
