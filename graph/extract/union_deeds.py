"""Unions known by what they do, whatever their names suggested: an organisation with members among workers
('FUP members', 'members of the CSN'), one that represents workers ('the Common Front, which represents 420,000
workers') and one that strikes ('the GDL went on strike') is a union.

A class from the knowledge base or confirmed by the context is never changed; one that only the name's words or
the default gave is (`is_guessed`).
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from graph.extract.doccache import tokens_with
from graph.extract.entities import DocEntity, Mention, has_class_cue
from graph.extract.lexicon import Lexicon
from graph.extract.table import EntityTable


def unions_by_deeds(doc: Doc, table: EntityTable) -> None:
    _unions_by_members(doc, table)
    _unions_by_workers_represented(doc, table)
    _unions_by_strikes(doc, table)


def is_guessed(ent: DocEntity, lex: Lexicon) -> bool:
    """A Company only because nothing in its name said otherwise."""
    if ent.kb_id or ent.cls != "Company" or ent.confirmed:
        return False
    return not any(has_class_cue(re.findall(r"\w+", label.lower()), lex) for label in ent.labels | {ent.name})


def _unions_by_members(doc: Doc, table: EntityTable) -> None:
    """'FUP members', 'members of the CSN', 'the CSN's members': an organisation with members among workers is a
    union (an employers' group is known by its name or an apposition)."""
    members = table.lex.words("events", "members_words")
    for tok in tokens_with(doc, members):
        for child in tok.children:
            target = child if child.dep_ in ("poss", "compound", "nmod") else next(
                (c for c in child.children if c.dep_ == "pobj"), None) if child.dep_ == "prep" and \
                child.lower_ == "of" else None
            m = table.tok2mention.get(target.i) if target is not None else None
            if m is not None and is_guessed(table.entities[m.name], table.lex):
                table.entities[m.name].cls = "LaborUnion"


def _unions_by_workers_represented(doc: Doc, table: EntityTable) -> None:
    """'the Common Front, which represents 420,000 workers', 'X represents nurses at two hospitals': an
    organisation that represents workers is their union."""
    workers = table.lex.union(("typing", "worker_nouns"), ("events", "members_words"))
    for tok in tokens_with(doc, table.lex.words("events", "represent_verbs"), lemma=True):
        if tok.pos_ != "VERB":
            continue
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        # "represents 45,000 teachers", "represents more than 45,000 kindergarten and primary teachers"
        nouns = [obj] + [c for c in obj.subtree if c.dep_ in ("conj", "pobj", "appos")] if obj is not None else []
        if not any(n.lower_ in workers or n.lemma_.lower() in workers for n in nouns):
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        relative = subj is not None and subj.lower_ in ("which", "that", "who") and tok.dep_ == "relcl"
        if relative or subj is None and tok.dep_ == "acl":  # "the Common Front, representing 420,000 workers"
            subj = _last_conjunct_before(doc, tok.head, subj.i if relative and subj is not None else tok.i)
        m = table.tok2mention.get(subj.i) if subj is not None else None
        if m is not None and (is_guessed(table.entities[m.name], table.lex) or _ambiguous_association(
                table.entities[m.name], table.lex) and _only_workers(obj, table.lex)):
            # "the Transport Federation, who represents 4 million employees" (not "40 hospitals and their staff")
            table.entities[m.name].cls = "LaborUnion"
    for tok in tokens_with(doc, table.lex.words("events", "belong_verbs"), lemma=True):
        # "doctors who belong to the Intern and Resident Association": workers belong to their union
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        to = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if subj is not None and tok.dep_ == "relcl" and subj.lower_ in ("who", "that"):
            subj = tok.head
        m = table.tok2mention.get(pobj.i) if pobj is not None else None
        job_nouns = table.lex.words("typing", "worker_nouns")  # not "members", who may be firms
        if m is not None and subj is not None and (subj.lower_ in job_nouns or subj.lemma_.lower() in job_nouns) and (
                is_guessed(table.entities[m.name], table.lex) or _ambiguous_association(table.entities[m.name],
                                                                                        table.lex)):
            table.entities[m.name].cls = "LaborUnion"


def _only_workers(obj: Token | None, lex: Lexicon) -> bool:
    """Whether what is represented is workers, not employers of them: 'four million transport employees', not '40
    hospitals and their 60,000 employees' nor 'employers of 200,000 care workers' (the workers of those it
    represents)."""
    if obj is None:
        return False
    employers = lex.words("events", "represented_employers")
    nominals = lex.nominal_classes()
    return not any(h.lower_ in employers or h.lemma_.lower() in employers or h.lemma_.lower() in nominals
                   for h in [obj, *obj.conjuncts])


def _last_conjunct_before(doc: Doc, head: Token, clause_start: int) -> Token:
    """What a clause after a list is about: 'Deutsche Bahn and EVG, which represents 160,000 rail workers' is
    about EVG, the name right before it, though the parser hangs the clause on the list's head."""
    k = clause_start - 1 - (clause_start > 0 and doc[clause_start - 1].text == ",")
    before = doc[k] if k >= 0 else head
    return before if before.dep_ == "conj" and before.head.i == head.i else head


def _ambiguous_association(ent: DocEntity, lex: Lexicon) -> bool:
    """'Medical Association of Tanzania': an association only by a word that both sides' bodies use, nothing in
    its name saying it is employers'."""
    words = set(re.findall(r"\w+", ent.name.lower()))
    return ent.cls == "EmployerAssociation" and not ent.kb_id and not ent.confirmed and not words & lex.union(
        ("typing", "employer_modifiers"), ("typing", "employer_name_words"))


def _striker_of(table: EntityTable, subj: Token) -> Mention | None:
    """The name a strike's subject gives: the name itself, or whose members strike ('members of the MAT')."""
    members = table.lex.words("events", "members_words")
    if (m := table.tok2mention.get(subj.i)) is not None or subj.lower_ not in members:
        return m
    of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return table.tok2mention.get(pobj.i) if pobj is not None else None


_DEED_VERBS = frozenset({"strike", "walk", "call", "stage", "launch", "hold", "go", "stop"})  # the verbs read below


def _unions_by_strikes(doc: Doc, table: EntityTable) -> None:
    """'the GDL went on strike', 'FNV called a strike', 'Unifor walked out', 'members of the Medical Association
    of Tanzania have stopped work': who strikes is a union, also one whose name read like an employers' body."""
    strike = table.lex.words("events", "strike_event_nouns")
    for tok in tokens_with(doc, _DEED_VERBS, lemma=True):
        lemma = tok.lemma_.lower()
        struck = lemma == "strike" and tok.pos_ == "VERB" and not any(
            c.dep_ == "dobj" and c.lemma_.lower() not in strike for c in tok.children)  # not "struck a deal"
        walked = lemma == "walk" and any(c.lower_ in ("out", "off") for c in tok.children)
        called = lemma in ("call", "stage", "launch", "hold") and any(
            c.dep_ == "dobj" and c.lemma_.lower() in strike for c in tok.children)
        went = lemma == "go" and any(c.dep_ == "prep" and any(p.lemma_.lower() == "strike" for p in c.children)
                                     for c in tok.children)
        # "members of X stopped work" (not "the builder stopped work on the terminal")
        stopped = lemma == "stop" and any(c.dep_ == "dobj" and c.lower_ == "work" for c in tok.children) and any(
            c.dep_ == "nsubj" and c.lower_ in table.lex.words("events", "members_words") for c in tok.children)
        if not (struck or walked or called or went or stopped):
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        m = _striker_of(table, subj) if subj is not None else None
        if m is not None and (is_guessed(ent := table.entities[m.name], table.lex) or _ambiguous_association(
                ent, table.lex)):
            ent.cls = "LaborUnion"
