"""Deals and offers in a sentence: agreements (ng:reachesAgreementWith) and offers between the sides
(ng:negotiatesWith; an offer accepted is also a deal, and a court's or tribunal's proposals are neither side's).

"X reached a tentative agreement with Y", "X and Y struck a deal", "a deal between X and Y", "the agreement,
which its negotiators reached with Y", "voted to approve the tentative agreement" (a deal presupposed), but not
"working to reach a deal" (a goal) nor "reached agreement on several issues" (progress); "the company's final
offer to the union"; "failed to reach an agreement with Y" (talks, no deal). Parties are read as for talks, with
the helpers of graph.extract.events; a side left unnamed is a placeholder the dispute frame fills
(graph.extract.frames).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from spacy.tokens import Span, Token

from graph.dates import resolve_date
from graph.extract.context import Ctx, triggered
from graph.extract.doccache import tokens_with
from graph.extract.events import clause_subject, lemma, owners, with_objects
from graph.extract.parties import EMPLOYER_SIDE, SIDES, UNION_SIDE, is_third_party, parties, side_of
from graph.extract.sides import FRAME_CONFIDENCE, among, other_side, pairs
from graph.model import Relation


def _is_a_day(ctx: Ctx, tok: Token) -> bool:
    """'on Sunday', 'on Sunday night', 'on the 3rd of June' (not 'on working hours', which the NER may call a
    time): the phrase says a day."""
    words = ctx.doc[tok.left_edge.i:tok.right_edge.i + 1].text
    return any(t.ent_type_ in ("DATE", "TIME") for t in tok.subtree) and resolve_date(
        words, ctx.article.date or date.today()) is not None


def _is_presupposed(ctx: Ctx, tok: Token) -> bool:
    """'voted to approve the tentative agreement', 'rejected the tentative deal': a tentative deal exists
    whatever is then done with it."""
    return any(c.lower_ in ctx.lex.words("events", "tentative_words") for c in tok.children) and \
        tok.head.lemma_.lower() in ctx.lex.words("events", "presupposing_verbs")


def _is_purpose(ctx: Ctx, verb: Token) -> bool:
    """'working to reach a deal', 'an effort to reach an agreement': an infinitive names a goal, unless its head
    says it was reached ('managed to reach')."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and verb.dep_ in (
        "xcomp", "advcl", "acl", "relcl", "ccomp") and verb.head.lemma_.lower() not in ctx.lex.words(
        "events", "achieving_heads")


@triggered(("events", "agreement_nouns"))
def agreements(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'X reached a tentative agreement with Y', 'X and Y struck a deal', 'a deal between X and Y'."""
    nouns = ctx.lex.words("events", "agreement_nouns")
    verbs = ctx.lex.words("events", "agreement_verbs")
    for tok in ctx.tokens(sent):
        if lemma(tok) not in nouns or tok.pos_ not in ("NOUN", "PROPN") or tok.i in ctx.in_quote:
            continue
        dets = [c for c in tok.children if c.dep_ == "det"]
        verb = tok.head
        # "suspended the strike following agreement on the terms": a deal, with or without an article
        after_event = tok.dep_ == "pobj" and verb.lower_ in ("after", "following") and verb.head.pos_ in ("VERB",
                                                                                                           "AUX")
        on_issue = [c for h in (tok, verb) for c in h.children if c.dep_ == "prep" and c.lower_ == "on" and not any(
            _is_a_day(ctx, p) or lemma(p) in ctx.lex.words("events", "agreement_nouns") | {"contract"}
            for p in c.children)]  # ('agreement on a new contract' is the deal)
        if not dets and not after_event and on_issue:
            # "reached agreement on several issues" is progress, not a deal ("agreements on Sunday" are), wherever
            # the parser hangs the issue ("reached agreement on Sunday on working hours")
            continue
        if ctx.is_negated(tok):
            continue
        others = with_objects(ctx, tok)
        # "the agreement, which its negotiators reached with Y", "the agreement reached between A and B"
        relcl = next((c for c in tok.children if c.dep_ in ("relcl", "acl") and lemma(c) in verbs), None)
        if relcl is not None and not ctx.is_hypothetical(relcl) and len(
                between := with_objects(ctx, relcl, ("between",))) >= 2:
            # "welcomed the agreement reached between A and B": the parties are those between, not who welcomed it
            yield from among(ctx, between, sent, "reachesAgreementWith", "agreement_reached_in_clause", 0.75)
            continue
        if relcl is not None and not ctx.is_hypothetical(relcl):
            # "backed the agreement, which its negotiators reached with the hospitals' parent company, Y"
            others += [n for n in with_objects(ctx, relcl) if n not in others]
            subj = next((c for c in relcl.children if c.dep_ == "nsubj" and c.lower_ not in ("which", "that")),
                        None) or next((p for c in relcl.children if c.dep_ == "agent"
                                       for p in c.children if p.dep_ == "pobj"), None)  # "agreed by A and B"
            side = (parties(ctx, subj) if subj is not None else []) or clause_subject(ctx, tok, others)
            yield from pairs(ctx, side, others, sent, "reachesAgreementWith", "agreement_reached_in_clause", 0.75)
            continue
        if after_event and not ctx.is_hypothetical(verb.head):
            # "lifted the strike following an understanding with X": a deal the clause's subject made
            side = clause_subject(ctx, verb.head, others)
            if others:
                yield from pairs(ctx, side, others, sent, "reachesAgreementWith", "agreement_before_event", 0.75)
            elif side and (other := other_side(ctx, side)):  # "suspended their strike following agreement"
                yield from pairs(ctx, side, [other], sent, "reachesAgreementWith", "frame_agreement",
                                 FRAME_CONFIDENCE)
            continue
        presupposed = _is_presupposed(ctx, tok)
        if tok.dep_ == "pobj" and verb.lower_ in ("on", "upon", "to") and (lemma(verb.head) in verbs or (
                verb.lower_ == "to" and lemma(verb.head) in ctx.lex.words("events", "arrival_verbs"))):
            verb = verb.head  # "A and B settled on a tentative agreement", "agreed to a new agreement", "came to terms"
        arrived = lemma(verb) in ctx.lex.words("events", "arrival_verbs") and tok.dep_ == "pobj"
        if verb.pos_ in ("VERB", "AUX") and (lemma(verb) in verbs or presupposed or arrived):
            if (ctx.is_hypothetical(verb) or _is_purpose(ctx, verb)) and not presupposed \
                    or _failed_attempt(ctx, verb) is not None:  # "were not able to reach a deal"
                continue
            others += [n for n in with_objects(ctx, verb) if n not in others]
            if tok.dep_ in ("dobj", "pobj"):
                subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                side = parties(ctx, subj) if subj is not None else clause_subject(ctx, verb, others)
            else:  # passive: "a deal was reached by A and B"
                by = next((c for c in verb.children if c.dep_ == "agent"), None)
                subj = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
                side = parties(ctx, subj) if subj is not None else []
                if not side and others and verb.dep_ == "ccomp":
                    # "X announced that tentative agreements had been reached with A and B": the announcer
                    side = [n for n in clause_subject(ctx, verb.head, others) if side_of(ctx, n) is not None]
            rule = "tentative_agreement" if presupposed else "reach_agreement"
            if side and others:
                yield from pairs(ctx, side, others, sent, "reachesAgreementWith", rule, 0.85)
            elif len(side) >= 2:
                yield from among(ctx, side, sent, "reachesAgreementWith", rule, 0.8)
            elif len(others) >= 2:
                yield from among(ctx, others, sent, "reachesAgreementWith", "agreement_between", 0.75)
            elif side or others:
                known = side or others
                if other := other_side(ctx, known):
                    yield from pairs(ctx, known, [other], sent, "reachesAgreementWith", "frame_agreement",
                                     FRAME_CONFIDENCE)
            elif tok.dep_ in ("nsubjpass", "nsubj") or presupposed:  # "a tentative deal was reached"
                yield from pairs(ctx, [UNION_SIDE], [EMPLOYER_SIDE], sent, "reachesAgreementWith",
                                 "frame_agreement", FRAME_CONFIDENCE)
        elif any(c.dep_ == "prep" and c.lower_ == "between" for c in tok.children) and any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children) and len(others) >= 2:
            # "The agreement between Transnet and Untu includes a 6% increase": the deal exists
            yield from among(ctx, others, sent, "reachesAgreementWith", "agreement_between", 0.7)
        elif any(c.lower_ in ctx.lex.words("events", "reached_adjectives") for c in tok.children):
            # "the union's tentative agreement with Y", "under the tentative deal with Y", "welcomed a tentative
            # deal for striking writers"
            others += [n for n in with_objects(ctx, tok, ("for",)) if n not in others]
            side = [n for n in owners(ctx, tok) if n not in others] or clause_subject(ctx, tok, others)
            if not others:
                continue
            side = side or [s for s in [other_side(ctx, others)] if s]
            yield from pairs(ctx, side, others, sent, "reachesAgreementWith", "tentative_agreement_with", 0.7)


@triggered(("events", "offer_nouns"))
def offers(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'the company's final offer to the union', 'an offer from Dockside Logistics', 'its proposal to the Pilots Guild':
    an offer or a proposal passes between the two sides of the table."""
    nouns = ctx.lex.words("events", "offer_nouns")
    for tok in tokens_with(ctx.doc, nouns, sent, lemma=True):
        if tok.pos_ != "NOUN" or tok.i in ctx.in_quote:
            continue
        # "members voted to accept the offer": a vote on an offer takes it up
        if ctx.is_hypothetical(tok, ctx.lex.words("events", "ending_heads")) or ctx.is_negated(tok):
            continue
        makers = owners(ctx, tok) + [n for n in with_objects(ctx, tok, ("from", "by")) if n not in SIDES]
        # "the offer put forward by X", "a proposal tabled by X"
        makers += [n for acl in tok.children if acl.dep_ == "acl" for agent in acl.children if agent.dep_ == "agent"
                   for p in agent.children if p.dep_ == "pobj" for n in parties(ctx, p) if n not in SIDES]
        takers = [n for n in with_objects(ctx, tok, ("to",)) if n not in SIDES]
        obj = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else tok  # "the details of the offer"
        favour = obj.lower_ in ctx.lex.words("events", "acceptance_nouns") and obj.dep_ == "pobj"
        if favour:  # "members voted in favour of X's latest offer": they accepted it
            obj = obj.head
        verb = obj.head if obj.dep_ == "dobj" or favour else (  # "the union agreed to a revised offer from X"
            obj.head.head if obj.dep_ == "pobj" and obj.head.lower_ in ("to", "on") else None)
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
        # "members voted to accept the offer": the subject of the clause above
        by_subject = [n for n in (parties(ctx, subj) if subj is not None else clause_subject(ctx, verb, makers)
                                  if verb is not None and verb.dep_ == "xcomp" else []) if n not in SIDES]
        if verb is not None and lemma(verb) in ctx.lex.words("events", "offer_response_verbs"):
            # "A and B are discussing the offer put forward by X", "A rejected X's offer"
            takers += [n for n in by_subject if n not in makers]
        elif verb is not None and obj is tok and lemma(verb) in ctx.lex.words("events", "offer_making_verbs"):
            # "X made an offer to A"
            makers += [n for n in by_subject if n not in makers]
            takers += [n for n in with_objects(ctx, verb, ("to",)) if n not in SIDES and n not in takers]
        makers = [n for n in makers if side_of(ctx, n) is not None and n not in SIDES and not is_third_party(ctx, n)]
        # "members voted to accept the offer from X", "the union agreed to a revised offer from X": a deal
        accepted = verb is not None and (favour or lemma(verb) in ctx.lex.words("events", "offer_accepting_verbs")) \
            and not ctx.is_hypothetical(verb, ctx.lex.words("events", "ending_heads"))
        if makers and takers:
            yield from pairs(ctx, makers, takers, sent, "negotiatesWith", "offer_to", FRAME_CONFIDENCE)
            if accepted:
                yield from pairs(ctx, takers, makers, sent, "reachesAgreementWith", "offer_accepted", 0.75)
        elif known := makers or takers:
            if (other := other_side(ctx, known)) and not is_third_party(ctx, other):
                yield from pairs(ctx, known, [other], sent, "negotiatesWith", "frame_offer", FRAME_CONFIDENCE)
                if accepted:
                    yield from pairs(ctx, known, [other], sent, "reachesAgreementWith", "frame_offer_accepted",
                                     FRAME_CONFIDENCE)


@triggered(("events", "agreement_nouns"))
def agreement_not_reached(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'the company failed to reach an agreement with the union', 'the city and the union weren't able to reach
    a deal', 'X did not reach a deal with Y': no agreement, but the two were in talks."""
    nouns = ctx.lex.words("events", "agreement_nouns")
    verbs = ctx.lex.words("events", "agreement_verbs")
    for tok in ctx.tokens(sent):
        if lemma(tok) not in nouns or tok.dep_ != "dobj" or lemma(tok.head) not in verbs or tok.i in ctx.in_quote:
            continue
        clause = _failed_attempt(ctx, tok.head)
        if clause is None:
            continue
        subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        side = parties(ctx, subj) if subj is not None else []
        others = [n for n in with_objects(ctx, tok) + with_objects(ctx, tok.head) if n not in side]
        if side and others:
            yield from pairs(ctx, side, list(dict.fromkeys(others)), sent, "negotiatesWith", "agreement_not_reached",
                             0.7)
        elif len(side) >= 2:
            yield from among(ctx, side, sent, "negotiatesWith", "agreement_not_reached", 0.7)


def _failed_attempt(ctx: Ctx, verb: Token) -> Token | None:
    """The clause that says the deal was not reached: the verb itself negated, 'failed to reach', 'were not able
    to reach', 'unable to reach'."""
    if ctx.is_negated(verb):
        return verb
    head = verb.head
    if verb.dep_ != "xcomp" or head.i == verb.i:
        return None
    if lemma(head) in ctx.lex.words("events", "failed_attempt_verbs") and not ctx.is_negated(head):
        return head
    if head.dep_ == "acomp" and (head.lower_ in ctx.lex.words("events", "inability_words")
                                 or head.lower_ in ctx.lex.words("events", "ability_words")
                                 and ctx.is_negated(head.head)):
        return head.head
    return None
