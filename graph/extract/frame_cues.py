"""Cues of a dispute's sides that assert no relation of their own: 'the union's dispute with Acme', 'at
loggerheads with the union', 'A and B locked out 9,300 workers represented by X'. They are noted in ctx.frame_cues
for the article's dispute frame (graph.extract.frames), which fills the sides other sentences leave unnamed.
"""
from __future__ import annotations

from spacy.tokens import Span

from graph.extract.context import Ctx
from graph.extract.doccache import tokens_with
from graph.extract.events import clause_subject, owners, with_objects
from graph.extract.parties import EMPLOYER_SIDE, SIDES, UNION_SIDE, parties, side_of

_LOCK = frozenset({"lock"})  # "locked out"


def note_dispute(ctx: Ctx, sent: Span) -> None:
    """'Network Rail had been at loggerheads with the union', 'the union's dispute with Acme': the sides of a
    dispute, noted for the frame (a dispute is no negotiation, but it says who the talks are between)."""
    nouns = ctx.lex.words("events", "dispute_nouns")
    for tok in tokens_with(ctx.doc, nouns, sent):
        if tok.i in ctx.in_quote:
            continue
        others = with_objects(ctx, tok)
        if not others:
            continue
        side = owners(ctx, tok) or clause_subject(ctx, tok, others)
        for a in side:
            for b in others:
                sa, sb = side_of(ctx, a), side_of(ctx, b)
                if a in SIDES or b in SIDES or sa is None or sb is None or sa == sb:
                    continue
                ctx.frame_cues.append((a, b) if sa == UNION_SIDE else (b, a))


def note_lockout(ctx: Ctx, sent: Span) -> None:
    """'A and B locked out 9,300 workers represented by X': no relation of ours, but the dispute's sides, noted
    in ctx.frame_cues for the frame."""
    for tok in tokens_with(ctx.doc, _LOCK, sent, lemma=True):
        if not any(c.lower_ == "out" for c in tok.children) or tok.i in ctx.in_quote:
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        employers = [n for n in parties(ctx, subj) if side_of(ctx, n) == EMPLOYER_SIDE] if subj is not None else []
        unions = [n for n in parties(ctx, obj) if side_of(ctx, n) == UNION_SIDE] if obj is not None else []
        ctx.frame_cues += [(u, e) for u in unions for e in employers if u not in SIDES and e not in SIDES]
