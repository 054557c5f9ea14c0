"""Dispute events in a sentence: talks (ng:negotiatesWith), and the party helpers deals share
(graph.extract.agreements: ng:reachesAgreementWith and offers).

Parties come from the parse (graph.extract.parties): coordinated subjects ("A and B resumed talks"), "talks
between A and B", "talks with B, C and D" (the other side is the phrase's owner or the clause's subject),
"representatives of A", "the two sides". A side the sentence leaves unnamed ("negotiations broke down", "the
union reached a deal", "talks between the guild and the studios") comes out as a placeholder that the article's
dispute frame fills (graph.extract.frames). Negated, modal and hypothetical clauses ("will resume talks",
"hoping to reach a deal", "no talks have taken place") assert nothing.
"""
from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from graph.extract.context import Ctx, triggered
from graph.extract.doccache import tokens_with
from graph.extract.parties import EMPLOYER_SIDE, SIDES, UNION_SIDE, is_third_party, parties
from graph.extract.sides import FRAME_CONFIDENCE, among, other_side, pairs
from graph.model import Relation

NOUN_DEPS = ("nsubj", "nsubjpass", "dobj", "pobj")


def lemma(t: Token) -> str:
    return t.lemma_.lower()


def clause_subject(ctx: Ctx, tok: Token, exclude: list[str] | tuple = ()) -> list[str]:
    """The parties of the nearest clause subject above `tok` ('X walked out after talks with Y broke down')."""
    t = tok
    for _ in range(5):
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i), None)
        if subj is not None:
            found = [p for p in parties(ctx, subj) if p not in exclude]
            if found:
                return found
        if t.head.i == t.i:
            break
        t = t.head
    return _subject_hung_on_a_phrase(ctx, t, exclude)


def _subject_hung_on_a_phrase(ctx: Ctx, verb: Token, exclude: list[str] | tuple) -> list[str]:
    """'According to VG, A and B reached a deal': with no subject, the small parser hangs 'A and B' on the
    opening phrase's noun as its conjuncts; they are the subject."""
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return []
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.i < verb.i):
        for pobj in (p for p in prep.subtree if p.dep_ == "pobj"):
            tail = [c for c in ctx.conjuncts(pobj) if c.i > pobj.i]
            if tail and ctx.doc[tail[0].i - 1].text == ",":
                return [n for c in tail for n in parties(ctx, c) if n not in exclude]
    return []


def owners(ctx: Ctx, tok: Token) -> list[str]:
    """'the guild's negotiations', 'WGA talks', 'their bargaining session': the organisation owning a noun."""
    return [n for c in tok.children if c.dep_ in ("poss", "compound", "nmod") for n in parties(ctx, c)]


def _phrase_tokens(tok: Token) -> Iterator[Token]:
    """A noun phrase's tokens without its relative clauses and other clauses hung on it."""
    yield tok
    for child in tok.children:
        if child.dep_ not in ("relcl", "acl", "advcl", "appos", "ccomp", "prep"):
            yield from _phrase_tokens(child)


def with_objects(ctx: Ctx, tok: Token, preps: tuple[str, ...] = ("with", "between")) -> list[str]:
    """Parties after 'with' or 'between' on a word, also one prepositional phrase further down ('a tentative
    agreement on the three-year contract with the Harbor Employers Alliance'), and groups after 'under the umbrella
    of'."""
    out: list[str] = []
    umbrella: list[str] = []  # "under the umbrella of E" adds E to a list of parties, never makes one
    # "with A and with B": the second preposition is a conjunct of the first
    second = [x for child in tok.children if child.dep_ == "prep" for x in child.conjuncts
              if x.i > child.i and x.dep_ == "conj" and x.pos_ == "ADP"]
    for child in [*tok.children, *second]:
        if child.dep_ != "prep" and child not in second and not (child.dep_ == "agent" and child.lower_ == "between"):
            continue  # (the parser may take "held between A and B" for a passive's agent)
        if child.lower_ not in preps:
            if child.lower_ in ("on", "for", "over", "under"):  # one level down
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    if pobj.lemma_.lower() in ctx.lex.words("events", "umbrella_nouns"):
                        umbrella += [n for n in with_objects(ctx, pobj, ("of",)) if n not in umbrella]
                    elif child.lower_ != "under":
                        out += [n for n in with_objects(ctx, pobj, preps) if n not in out and n not in SIDES]
            continue
        if not any(c.dep_ == "pobj" for c in child.children):  # a broken parse: read the list that follows
            out += [n for n in ctx.listed_after(child.i, tok.sent) if n not in out]
        for pobj in child.children:
            if pobj.dep_ != "pobj":
                continue
            found = parties(ctx, pobj)
            if child.lower_ == "between":  # "between A and B" is often parsed as one noun phrase
                found += [n for t in _phrase_tokens(pobj) if (n := ctx.org(t))]
                if len(set(found)) == 1:
                    found += _second_after_an_aside(ctx, pobj)
            out += [n for n in found if n not in out]
    return out + [n for n in umbrella if n not in out] if out else out


def _second_after_an_aside(ctx: Ctx, first: Token) -> list[str]:
    """'between the Aviation Workers Union, representing the workers, and KQ management': the parser hangs the
    second party on the aside; it is the party right after the ', and' that closes it."""
    end = max(t.i for t in first.subtree) + 1
    sent_end = first.sent.end
    if end >= sent_end or ctx.doc[end].text != "," or any(c.dep_ == "conj" for c in first.children):
        return []
    relative = False
    for k in range(end + 1, min(sent_end - 2, end + 15)):
        relative = relative or ctx.doc[k].lower_ in ("which", "who", "that")
        if ctx.doc[k].tag_ in ("VBD", "VBZ", "VBP") and not relative:
            return []  # "between the RMT and operators, held at Acas, broke down, and Aslef said": no aside
        if ctx.doc[k].text == "," and ctx.doc[k + 1].lower_ == "and":
            j = k + 2 + (ctx.doc[k + 2].lower_ == "the")
            name = ctx.org(ctx.doc[j]) if j < sent_end else None
            return [name] if name else []
    return []


def _names_other_parties(ctx: Ctx, tok: Token) -> bool:
    """'talks between employers and unions', 'met with fans': parties, but none of the article's ('met with help
    from mediators' names none)."""
    words = ctx.lex.union(("parties", "employer_nouns"), ("parties", "people_nouns"),
            ("typing", "worker_nouns")) | {"union", "unions"}
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("with", "between"):
            if prep.lower_ == "between" or any(
                    p.pos_ == "PROPN" or p.lemma_.lower() in words or p.lower_ in words for p in prep.children):
                return True
    return False


def _is_frame_mention(ctx: Ctx, tok: Token) -> bool:
    """A talks noun that stands for the dispute's talks: 'negotiations broke down', 'the talks', 'contract
    talks', 'resumed bargaining'; not the generic 'experience in labor talks'."""
    if tok.pos_ not in ("NOUN", "PROPN") and tok.dep_ not in NOUN_DEPS:
        return False
    if tok.lower_ not in ctx.lex.words("events", "frame_talk_nouns"):
        return False
    determined = any(c.dep_ in ("det", "poss") for c in tok.children)
    modifiers = ctx.lex.words("events", "frame_talk_modifiers")
    # "reached following negotiations facilitated by X", "after talks on Monday": talks of the moment
    timed = tok.dep_ == "pobj" and tok.head.lower_ in ctx.lex.words("events", "frame_talk_time_preps")
    return determined or timed or tok.dep_ in ("nsubj", "nsubjpass", "dobj") or any(
        c.dep_ in ("compound", "amod") and c.lower_ in modifiers for c in tok.children)


def _owner_of(ctx: Ctx, name: str) -> str:
    ent = ctx.table.entities.get(name)
    return ent.owner if ent is not None and ent.owner else name


def _is_talk(ctx: Ctx, tok: Token) -> tuple[bool, bool]:
    """(is a talks noun, is a negotiating verb). 'talk shows' and 'negotiating committee' are neither."""
    nouns = ctx.lex.words("events", "talk_nouns")
    # "when contract talks with X collapsed": the tagger may call a subject 'talks' a verb
    is_noun = tok.lower_ in nouns and (tok.pos_ in ("NOUN", "PROPN") or tok.dep_ in NOUN_DEPS)
    is_verb = tok.pos_ == "VERB" and lemma(tok) in ctx.lex.words("events", "negotiate_verbs") and not is_noun
    if (is_noun or tok.tag_ == "VBG") and tok.dep_ in ("compound", "amod", "nmod") \
            and tok.head.lower_ not in nouns and lemma(tok.head) not in ctx.lex.words("events", "table_nouns"):
        return False, False
    return is_noun, is_verb


def _talks_at(ctx: Ctx, tok: Token) -> list[str]:
    """'deadlocked bargaining at the airline', 'talks at the Department of Health broke down': the employer the
    talks are held at is a party (not a court or a conciliation service, which hosts talks between others)."""
    preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "at"]
    nxt = ctx.doc[tok.i + 1] if tok.i + 1 < tok.sent.end else None
    if not preps and nxt is not None and nxt.lower_ == "at" and nxt.dep_ == "prep":
        preps = [nxt]  # (the parser may hang 'at X' on the verb: "rising over deadlocked bargaining at X")
    venues = ctx.lex.words("events", "venue_words")
    found = [n for prep in preps for pobj in prep.children if pobj.dep_ == "pobj" for n in parties(ctx, pobj)
             if n not in SIDES and ctx.cls(n) in ("Company", "EmployerAssociation") and not is_third_party(ctx, n)]
    if not found:
        return found
    # an employer by name, not a ministry that hosts talks; nor a hotel or an airport where they are held when the
    # story names another employer (a hotel is the employer in a hotel strike)
    others = [e for e in ctx.table.entities.values() if e.cls in ("Company", "EmployerAssociation")
              and e.name not in found]
    return [n for n in found if not (set(n.lower().split()) & venues and others)]


def _meets_no_party(ctx: Ctx, verb: Token) -> bool:
    """'failed to meet the deadline', 'meet our demands': the object of 'meet' is no one to meet."""
    if lemma(verb) not in ctx.lex.words("events", "party_object_verbs"):
        return False
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return obj is not None and not parties(ctx, obj)


def _met(ctx: Ctx, verb: Token) -> list[str]:
    """The parties a transitive 'meet' names as its object ('met the ministry and the board'), a person standing
    for the body they lead; none when the object is no party ('met the deadline')."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return [n for n in parties(ctx, obj) if n not in SIDES] if obj is not None else []


def _talks_before(ctx: Ctx, tok: Token) -> bool:
    """'A and B will resume talks', 'talks are set to resume': to resume talks, the sides have talked before, whatever
    is said of the days to come."""
    again = ctx.lex.words("events", "talks_again_verbs")
    if tok.dep_ in ("dobj", "nsubj") and lemma(tok.head) in again:
        return _talked_before(ctx, tok.head)
    if tok.dep_ in ("nsubj", "nsubjpass"):
        verb = next((c for c in tok.head.children if c.dep_ == "xcomp" and lemma(c) in again), None)
        return verb is not None and _talked_before(ctx, verb)
    return False


def _talked_before(ctx: Ctx, verb: Token) -> bool:
    """A verb of talks resumed ('resume', 'return') says the sides talked before, unless it is denied ('will not
    resume talks') or someone only urges it ('called on employers to reopen talks': the talks may be others')."""
    if lemma(verb) not in ctx.lex.words("events", "talks_again_verbs"):
        return False
    urging = ctx.lex.words("events", "hypothetical_heads") - ctx.lex.words("events", "hypothetical_for_subject")
    t = verb
    for _ in range(5):
        if ctx.is_negated(t) or t is not verb and lemma(t) in urging:
            return False
        if t.head.i == t.i or t.dep_ in ("advcl", "conj") and any(c.dep_ in ("nsubj", "nsubjpass")
                                                                   for c in t.children):
            break  # a clause with its own subject ("..., while A and B will resume talks") says its own
        t = t.head
    return True


def _they_the_speakers(ctx: Ctx, subj: Token, verb: Token) -> list[str]:
    """'They will return to the table, A and B said': 'they' are those who say so."""
    if subj.lower_ not in ("they", "we") or verb.dep_ != "ccomp" or lemma(verb.head) not in ctx.lex.words(
            "quotes", "speech_verbs"):
        return []
    speaker = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    return parties(ctx, speaker) if speaker is not None else []


@triggered(("events", "talk_nouns"), ("events", "negotiate_verbs"))
def talks(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """Talks nouns and negotiating verbs with their parties."""
    resume = ctx.lex.words("events", "resume_verbs")
    for tok in ctx.tokens(sent):
        if tok.i in ctx.in_quote:
            continue
        is_noun, is_verb = _is_talk(ctx, tok)
        if not (is_noun or is_verb) or ctx.is_hypothetical(tok) and not _talks_before(ctx, tok) or ctx.is_negated(
                tok) or (
                is_verb and _meets_no_party(ctx, tok)):
            continue
        # "talks resumed between A and B": the parties may hang on the verb the talks are the subject of
        # and on the verb they are the object of ("A resumed bargaining with B, C and D")
        holders = [tok] + ([tok.head] + [c for c in tok.head.children if c.dep_ == "xcomp"]
                           if is_noun and tok.dep_ in ("nsubj", "nsubjpass") else
                           [tok.head] if is_noun and tok.dep_ == "dobj" and lemma(tok.head) in resume else [])
        if is_noun:  # "meetings held on Saturday between A and B"
            holders += [c for c in tok.children if c.dep_ == "acl" and c.tag_ == "VBN"]
        between = any(c.dep_ in ("prep", "agent") and c.lower_ == "between" for h in holders for c in h.children)
        others = [n for h in holders for n in with_objects(ctx, h)]
        if is_verb:  # "negotiating a new contract with X": the parser hangs 'with X' on the contract
            others += [n for c in tok.children if c.dep_ == "dobj" and lemma(c) in ctx.lex.words(
                "events", "agreement_nouns") for n in with_objects(ctx, c, ("with",))]
        if is_verb and lemma(tok) in ctx.lex.words("events", "party_object_verbs"):
            others += _met(ctx, tok)  # "the union met the ministry", "after meeting the board's chairman X"
        others = list(dict.fromkeys(others))
        if not others and is_noun:
            others = _talks_at(ctx, tok)
        if between and len(others) >= 2:
            yield from among(ctx, others, sent, "negotiatesWith", "talks_between", 0.85)
            continue
        if others:
            if is_verb:
                subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                side = parties(ctx, subj) if subj is not None else clause_subject(ctx, tok, others)
            else:
                side = owners(ctx, tok) or clause_subject(ctx, tok, others)
            side = side or [s for s in [other_side(ctx, others)] if s]
            yield from pairs(ctx, side, others, sent, "negotiatesWith", "talks_with", 0.8)
            continue
        if _names_other_parties(ctx, tok):
            continue  # the parties are named, but none of them is ours ("between employers and unions")
        # "A and B resumed negotiations", "Representatives from A and B met", "the two sides met"
        verb = tok if is_verb else (tok.head if tok.dep_ == "dobj" and lemma(tok.head) in resume else None)
        if verb is None and tok.dep_ == "pobj" and tok.head.lower_ in ("in", "into") and tok.head.head.pos_ in (
                "VERB", "AUX"):
            verb = tok.head.head  # "Local 610 and Bluewater have been in mediated negotiations since ..."
        if verb is not None and ctx.is_hypothetical(verb) and not _talks_before(ctx, tok):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
        if subj is None and verb is not None:
            subj_side = clause_subject(ctx, verb)
        else:
            subj_side = parties(ctx, subj) if subj is not None else []
        if len(subj_side) >= 2:
            yield from among(ctx, subj_side, sent, "negotiatesWith", "parties_meet", 0.8)
            continue
        if not _is_frame_mention(ctx, tok):
            continue
        # "negotiations broke down", "the guild's talks", "the union resumed talks": the article's dispute frame
        # says who talked. A committee talks for its organisation.
        side = [_owner_of(ctx, n) for n in owners(ctx, tok) or (subj_side if tok.dep_ == "dobj" else [])]
        if not side and (ctx.is_hypothetical(tok) or verb is not None and ctx.is_hypothetical(verb)):
            continue  # talks to come with no party named ("talks are scheduled to resume on Friday")
        other = other_side(ctx, side) if side else None
        if side and other:
            yield from pairs(ctx, side, [other], sent, "negotiatesWith", "frame_talks", FRAME_CONFIDENCE)
        elif not side:
            yield from pairs(ctx, [UNION_SIDE], [EMPLOYER_SIDE], sent, "negotiatesWith", "frame_talks",
                             FRAME_CONFIDENCE)


@triggered(("events", "table_nouns"))
def at_the_table(ctx: Ctx, sent: Span) -> Iterator[Relation]:
    """'The guild returned to the bargaining table with the alliance', 'A and B are back at the table'."""
    for tok in tokens_with(ctx.doc, ctx.lex.words("events", "table_nouns"), sent, lemma=True):
        if tok.i in ctx.in_quote:
            continue
        prep = tok.head
        if tok.dep_ != "pobj" or prep.lower_ not in ("to", "at") or prep.head.pos_ not in ("VERB", "AUX"):
            continue
        verb = prep.head
        if ctx.is_hypothetical(verb) and not _talked_before(ctx, verb) or ctx.is_negated(verb):
            continue  # "will return to the bargaining table": they have bargained before
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        side = (parties(ctx, subj) or _they_the_speakers(ctx, subj, verb)) if subj is not None else []
        others = [n for n in with_objects(ctx, verb) + with_objects(ctx, tok) if n not in side]
        if side and others:
            yield from pairs(ctx, side, others, sent, "negotiatesWith", "at_the_table", 0.75)
        elif len(side) >= 2:
            yield from among(ctx, side, sent, "negotiatesWith", "at_the_table", 0.75)
        elif side and (other := other_side(ctx, side)):
            yield from pairs(ctx, side, [other], sent, "negotiatesWith", "at_the_table", FRAME_CONFIDENCE)
