"""What a dispute sentence says about an event besides its dates (spaCy only): whom a strike is against, how
many workers struck, where, the day a deal was reached, and the contract at stake.

- `named_employers`: 'pilots at Northstar Air', 'a strike against the council' (a public body named so is more
  often a court or a mediator than the employer, and is left to the frame).
- `workers_stated`: 'About 6,800 members of the UAPW have been on strike', 'called its roughly 11,000 members
  out'; not 'the union, which represents 45,000 workers', nor the number in a name ('Local 417 foremen').
- `strike_place`: a place the strike clause puts it in ('workers at stores in central Ohio walked off').
- `clause_date`: 'reached the deal shortly before midnight on Thursday'.
- `contract_at_stake`: 'a new three-year contract' for the union the sentence is about; 'their previous
  four-year contract' is another one.
"""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from graph.dates import resolve_date
from graph.extract.context import Ctx, union_of
from graph.extract.doccache import doc_dates, tokens_with
from graph.extract.parties import EMPLOYER_SIDE, SIDES, parties, side_of
from graph.model import Evidence, PartialDate

_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_YEAR_LENGTH = re.compile(r"^\w+-year$")


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def named_employers(ctx: Ctx, sent: Span) -> list[str]:
    """Employers a strike sentence sets the strikers against: 'pilots at Northstar Air', 'struck against X'."""
    out: list[str] = []
    for tok in ctx.tokens(sent):
        if tok.dep_ != "prep" or tok.lower_ not in ctx.lex.words("disputes", "opponent_preps") or \
                tok.i in ctx.in_quote:
            continue
        for pobj in (c for c in tok.children if c.dep_ == "pobj"):
            out += [n for n in parties(ctx, pobj) if n not in SIDES and n not in out
                    and side_of(ctx, n) == EMPLOYER_SIDE and ctx.cls(n) != "GovernmentOrganization"]
    return out


def _number(ctx: Ctx, tok: Token) -> int | None:
    """'11,000', '6800', '1.2 million' as an integer; None for anything else."""
    text = tok.text
    scale = ctx.lex.value("disputes", "multipliers")
    after = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if after is not None and after.lower_ in scale and re.fullmatch(r"\d+(\.\d+)?", text):
        return int(float(text) * scale[after.lower_])
    return int(text.replace(",", "")) if _DIGITS.match(text) else None


def workers_stated(ctx: Ctx, sent: Span) -> int | None:
    """The number of workers a strike sentence gives them: 'About 2,300 workers belonging to the STMA have
    been on strike', 'called its roughly 11,000 members out' (not 'the union, which represents 45,000')."""
    nouns = ctx.lex.union(("typing", "worker_nouns"), ("events", "members_words"))
    for tok in tokens_with(ctx.doc, nouns, sent):
        if tok.i in ctx.in_quote:
            continue
        t, inside = tok, False
        while t.head.i != t.i:
            inside = inside or t.dep_ in ("relcl", "acl", "appos", "advcl", "ccomp")
            t = t.head
        count = next((c for c in tok.children if c.dep_ == "nummod" and c.i not in ctx.table.tok2mention
                      and c.ent_type_ not in ("DATE", "MONEY", "PERCENT", "TIME")), None)  # not "Local 417"
        if count is None or inside:
            continue
        n = _number(ctx, count)
        if n is not None and n > 1:
            return n
    return None


def _strike_verbs(ctx: Ctx) -> frozenset[str]:
    pairs = ctx.lex.pairs("events", "strike_start") + ctx.lex.pairs("events", "strike_end")
    return frozenset(v for v, _ in pairs) | ctx.lex.union(("events", "strike_start_verbs"),
            ("events", "strike_end_verbs"))


def _in_strike_clause(ctx: Ctx, tok: Token, verbs: frozenset[str]) -> bool:
    """Whether `tok` hangs on a strike verb of its own clause ('workers at stores in Ohio walked off')."""
    t = tok
    while t.head.i != t.i:
        if t.dep_ in ("relcl", "advcl", "ccomp", "conj", "acl", "appos", "parataxis"):
            return False
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return _lemma(t) in verbs
    return False


def strike_place(ctx: Ctx, sent: Span) -> str | None:
    """A place the strike sentence puts the strike in: 'walked off the job in Calderon', 'Members at 64
    universities across Wales began a strike'."""
    verbs = _strike_verbs(ctx)
    for tok in ctx.tokens(sent):
        if tok.dep_ != "prep" or tok.lower_ not in ctx.lex.words("disputes", "place_preps") or tok.i in ctx.in_quote \
                or not _in_strike_clause(ctx, tok, verbs):
            continue
        for pobj in (c for c in tok.children if c.dep_ == "pobj"):
            name = ctx.entity_of(pobj)
            if ctx.cls(name) == "Place":
                return name
    return None


def clause_date(ctx: Ctx, sent: Span, words: frozenset[str]) -> PartialDate | None:
    """The day a clause of an agreement verb names: 'reached the deal shortly before midnight on Thursday'."""
    for tok in ctx.tokens(sent):
        if _lemma(tok) not in words or tok.pos_ not in ("VERB", "AUX") or ctx.is_hypothetical(tok):
            continue
        for ent, root in doc_dates(ctx.doc):  # the document's dates, roots made once (not Span.ents)
            if ent.label_ != "DATE" or not (sent.start <= ent.start and ent.end <= sent.end):
                continue
            t, steps = root, 0
            while t.i != tok.i and t.head.i != t.i and steps < 4 and t.dep_ in ("pobj", "prep", "npadvmod"):
                t, steps = t.head, steps + 1
            if t.i == tok.i and (when := resolve_date(ent.text, ctx.article.date)) is not None:
                return when
    return None


def contract_at_stake(ctx: Ctx) -> dict[str, tuple[str, Evidence]]:
    """Union -> the first contract a sentence about it calls at stake ('a new three-year contract'), with the
    sentence; 'their previous four-year contract' is another one."""
    lex = ctx.lex
    nouns, stake = lex.words("disputes", "contract_nouns"), lex.words("disputes", "contract_stake_modifiers")
    past = lex.words("disputes", "contract_past_modifiers")
    heads = lex.derived("contract_heads", lambda: frozenset(n.split()[-1] for n in nouns))
    out: dict[str, tuple[str, Evidence]] = {}
    for sent in ctx.sentences():
        for tok in ctx.tokens(sent):
            if tok.pos_ != "NOUN" or tok.lower_ not in heads or tok.i in ctx.in_quote:
                continue
            compound = next((c.lower_ for c in tok.children if c.dep_ in ("compound", "amod") and c.i == tok.i - 1),
                            "")
            if tok.lower_ not in nouns and f"{compound} {tok.lower_}" not in nouns:
                continue
            mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "nummod") and c.i < tok.i]
            words = {m.lower_ for m in mods} | {w.lower_ for m in mods for w in m.subtree}
            if words & past or not (words & stake or any(_YEAR_LENGTH.match(w) for w in words)):
                continue  # a contract sought, wanted or rejected is still the one at stake
            union = sentence_union(ctx, tok)
            if union is not None and union not in out:
                left = min(t.i for t in tok.subtree if t.i <= tok.i)
                out[union] = (ctx.doc[left:tok.i + 1].text, ctx.evidence(sent, "contract_at_stake", 0.6))
    return out


def sentence_union(ctx: Ctx, tok: Token) -> str | None:
    """The union a sentence about a contract is about: its verb's subject's, else the salient one."""
    verb = tok
    while verb.head.i != verb.i and verb.pos_ not in ("VERB", "AUX"):
        verb = verb.head
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    union = union_of(ctx, subj) if subj is not None else None
    return union or ctx.table.most_salient(tok.i, lambda e: e.cls == "LaborUnion")
