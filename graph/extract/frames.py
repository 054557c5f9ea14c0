"""Document-level dispute frames: who faces whom in the article, to fill the sides a sentence leaves unnamed.

A reader of "Negotiations broke down on Friday" knows from the rest of the story who was negotiating. The rules
of graph.extract.events say such things with placeholders (UNION_SIDE, EMPLOYER_SIDE); this module fills them:

1. Explicit pairs first: a union and an employer the article shows in talks or in a deal with each other are
   each other's counterparts ("talks between the UAW and GM, Ford and Stellantis": the UAW faces all three).
   A committee stands with the organisation it belongs to.
2. Otherwise salience: the union or the employer the article is about up to that sentence (most mentions,
   subjects counting double, the union named first favoured), an employers' association or company before a
   government body (which is more often a mediator or a regulator than the employer).

A filled relation keeps the evidence sentence of its mention, takes the rule name `<rule>_frame` (a rule named
frame_* keeps its name) and a confidence no higher than the frame's. Cues that assert no relation of their own
('the union's dispute with Acme', 'A and B locked out 9,300 workers represented by X') are noted in
ctx.frame_cues for the frame (note_dispute, note_lockout).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from graph.extract.context import Ctx
from graph.extract.doccache import doc_tokens, tokens_with
from graph.extract.events import clause_subject, owners, with_objects
from graph.extract.parties import EMPLOYER_SIDE, SIDES, UNION_SIDE, is_third_party, parties, side_of
from graph.extract.sides import FRAME_CONFIDENCE
from graph.model import Relation

FRAMED = frozenset({"negotiatesWith", "reachesAgreementWith"})
_LOCK = frozenset({"lock"})  # "locked out"
EMPLOYER_FIRST = frozenset({"EmployerAssociation", "Company"})


@dataclass
class Frames:
    """The counterparts each party of the article is shown with, and where sentences start."""

    ctx: Ctx
    partners: dict[str, list[str]]
    starts: list[int]  # character offset of each token, for finding the token of an evidence offset
    _mediators: frozenset[str] | None = None
    _quoted_only: frozenset[str] | None = None

    def token_at(self, char: int) -> int:
        return max(0, bisect_right(self.starts, char) - 1)

    def key(self, name: str) -> str:
        """A committee's partners are its organisation's."""
        ent = self.ctx.table.entities.get(name)
        return ent.owner if ent is not None and ent.owner else name

    def union_at(self, pos: int) -> str | None:
        ctx = self.ctx
        sent = ctx.doc[pos].sent
        mediators = self.mediators()
        named = [m.name for m in ctx.table.mentions if sent.start <= m.start < sent.end
                 and ctx.cls(m.name) == "LaborUnion" and m.start not in ctx.in_quote and m.name not in mediators]
        if len(set(named)) == 1:
            return named[0]
        # A union the article sets against an employer is a party; others may only be named in passing.
        framed = {n for n in self.partners if ctx.cls(n) == "LaborUnion"}
        for limit in (sent.end, len(ctx.doc)):
            found = ctx.table.most_salient(limit, lambda e: e.cls == "LaborUnion" and e.name not in mediators and (
                not framed or e.name in framed))
            if found:
                return found
        return None

    def mediators(self) -> frozenset[str]:
        """The organisations the article names only as mediators ('the negotiations mediated by X and Y')."""
        if self._mediators is None:
            ctx = self.ctx
            by_name: dict[str, list[bool]] = defaultdict(list)
            for m in ctx.table.mentions:
                by_name[m.name].append(_mediates(ctx, ctx.doc[m.start:m.end].root))
            self._mediators = frozenset(n for n, flags in by_name.items() if all(flags))
        return self._mediators

    def employer_at(self, pos: int) -> str | None:
        table = self.ctx.table
        # an organisation named only inside quotations is a speaker's aside, not a side the story sets up
        if self._quoted_only is None:
            outside = {m.name for m in table.mentions if m.start not in self.ctx.in_quote}
            self._quoted_only = frozenset(e for e in table.entities if e not in outside)
        mediators = self.mediators() | self._quoted_only
        for accept in (lambda e: e.cls in EMPLOYER_FIRST and e.name not in mediators,
                       lambda e: e.cls == "GovernmentOrganization" and e.name not in mediators
                       and not is_third_party(self.ctx, e.name)):  # "the Labour Court" is neither side
            for limit in (self.ctx.doc[pos].sent.end, len(self.ctx.doc)):
                found = table.most_salient(limit, accept)
                if found:
                    return found
        return None

    def counterparts(self, name: str, pos: int) -> list[str]:
        """A union faces every employer it is shown with (the UAW and GM, Ford and Stellantis); an employer
        faces the union the story is about at that point among those it is shown with."""
        union_side = side_of(self.ctx, name) == UNION_SIDE
        found = self.partners.get(self.key(name)) or self.partners.get(name)
        if found and not union_side and len(found) > 1:
            sent_end = self.ctx.doc[pos].sent.end
            best = self.ctx.table.most_salient(sent_end, lambda e: e.name in found) or \
                self.ctx.table.most_salient(len(self.ctx.doc), lambda e: e.name in found)
            return [best] if best else found[:1]
        if found:
            return found
        employer = self.ctx.table.entities[name].employer if name in self.ctx.table.entities else None
        if union_side and employer is not None and self._says_only_its_company(pos, employer):
            return [employer]  # "the labor union of X ... reached an agreement with management": X
        other = self.employer_at(pos) if union_side else self.union_at(pos)
        return [other] if other else []


    def _says_only_its_company(self, pos: int, employer: str) -> bool:
        """Whether the sentence at `pos` speaks of the company without a name ('management', 'the company') and
        names no other employer or government: then a company's union faces its own company."""
        ctx = self.ctx
        sent = ctx.doc[pos].sent
        if any(sent.start <= m.start < sent.end and m.name != employer and ctx.cls(m.name) in EMPLOYER_FIRST | {
                "GovernmentOrganization"} for m in ctx.table.mentions):
            return False
        nouns = ctx.lex.nominal_classes()
        return any(t.lower_ == "management" or nouns.get(t.lower_) == "Company" for t in sent)


def _mediates(ctx: Ctx, tok: Token) -> bool:
    """'the negotiations that had been mediated by COTU and FKE': a name after the 'by' of a verb of mediation."""
    while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:
        tok = tok.head  # "... and the Federation of Kenya Employers (FKE)"
    agent = tok.head
    return tok.dep_ == "pobj" and agent.dep_ == "agent" and agent.head.lemma_.lower() in ctx.lex.words(
        "events", "mediation_verbs")


def find_frames(ctx: Ctx, relations: Iterable[Relation]) -> Frames:
    partners: dict[str, list[str]] = defaultdict(list)
    pairs = [(r.subject, r.object) for r in relations if r.predicate in FRAMED and isinstance(r.object, str)]
    for a, b in pairs + ctx.frame_cues:
        if {a, b} & set(SIDES) or {side_of(ctx, a), side_of(ctx, b)} != {UNION_SIDE, EMPLOYER_SIDE}:
            continue
        union, employer = (a, b) if side_of(ctx, a) == UNION_SIDE else (b, a)
        frames_key = ctx.table.entities[union].owner or union
        for x, y in ((frames_key, employer), (employer, union)):
            if y not in partners[x]:
                partners[x].append(y)
    return Frames(ctx, dict(partners), [t.idx for t in doc_tokens(ctx.doc)])


def fill_sides(ctx: Ctx, relations: list[Relation]) -> list[Relation]:
    """The relations with every placeholder side replaced by the parties the article's frame gives it."""
    frames = find_frames(ctx, relations)
    out: list[Relation] = []
    for rel in relations:
        if rel.subject not in SIDES and rel.object not in SIDES:
            out.append(rel)
            continue
        pos = frames.token_at(rel.evidence.start)
        named = [x for x in (rel.subject, rel.object) if isinstance(x, str) and x not in SIDES]
        if named:
            pairs = [(named[0], c) for c in frames.counterparts(named[0], pos)]
        elif (union := frames.union_at(pos)) is not None:
            pairs = [(union, c) for c in frames.counterparts(union, pos)]
        else:
            pairs = []
        rule = rel.evidence.rule if rel.evidence.rule.startswith("frame_") else rel.evidence.rule + "_frame"
        evidence = replace(rel.evidence, rule=rule, confidence=min(rel.evidence.confidence, FRAME_CONFIDENCE))
        out += [Relation(a, rel.predicate, b, evidence) for a, b in pairs if a != b]
    return out


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
