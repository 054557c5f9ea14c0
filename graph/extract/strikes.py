"""Strike dates: ng:onStrikeSince and ng:strikeEndedOn.

A trigger is a verb lemma plus, where needed, a word that must hang on it ("walk" + "out", "go" + "strike",
"return" + "work"), read from the lexicon. The striking union is the verb's subject (or the passive agent of
"joined by X"), resolved through the workers it names; a strike noun as subject ("The strike, which began on
Nov. 1") belongs to its owner or to the latest union (graph.extract.strikers). The date is a DATE entity in the
trigger's own clause, resolved against the publication date.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from spacy.tokens import Span, Token

from graph.extract.context import Ctx
from graph.extract.doccache import tokens_with
from graph.extract.lexicon import load_lexicon
from graph.extract.page_spans import headline_end
from graph.extract.strike_dates import after_publication, clause_dates, date_of, day_said, is_now, starting_today
from graph.extract.strike_nouns import note_opponent, noun_dates, nth_day
from graph.extract.strikers import antecedent, strikers_of
from graph.model import PartialDate, Relation

OTHER_CLAUSES = ("conj", "advcl", "ccomp", "relcl", "parataxis")
ON_STRIKE_NOW_CONFIDENCE = 0.6
NOW_RULES = {"strike_start": "on_strike_now", "strike_end": "strike_over_now"}
# Rules that date a strike only when nothing stronger does, strongest first (see _fallbacks_last)
FALLBACK_RULES = ("strike_length", "strike_nth_day", *NOW_RULES.values())

_CLOCK = re.compile(r"\d\s*(am|pm|a\.m\.|p\.m\.)|\d:\d\d|midnight|noon")
# verb lemma -> the word sets one of which must be near it (an empty set: the verb alone is enough)
TriggerIndex = dict[str, tuple[tuple[str, ...], ...]]

def _near_words(tok: Token) -> set[str]:
    """Lemmas and words of the trigger's dependents and their dependents, and of a relative clause's head."""
    words: set[str] = set()
    # Not into another clause: in "went on strike on Oct. 4 and returned to work", "work" is not the strike's.
    # but a 'clause' with a possessive is a noun the parser took for a verb: "withdrew its coal workers strike"
    lex = load_lexicon()
    events = lex.union(("events", "strike_event_nouns"), ("events", "action_nouns"))
    # A strike word that only modifies another noun is no strike ("held a strike vote", "a strike ballot"), and
    # what lies after 'ahead of' or 'before' is another event ("will hold a rally ahead of a strike").
    aside = lex.words("events", "sequence_preps")
    frontier = [c for c in tok.children if (c.dep_ not in OTHER_CLAUSES or any(
        g.dep_ == "poss" for g in c.children)) and c.lower_ not in aside]
    for _ in range(4):  # "joined on the picket line", "ending a period of industrial action": levels down
        words |= {w for c in frontier if not (c.dep_ == "compound" and c.lemma_.lower() in events
                                              and c.head.lemma_.lower() not in events)
                  for w in (c.lemma_.lower(), c.lower_)}
        # The subject counts with its compounds ("the strike began", "strike action began"), not its other
        # modifiers: "Striking members went back to work" is no strike
        frontier = [g for c in frontier for g in c.children if g.dep_ not in OTHER_CLAUSES
                    and (c.dep_ not in ("nsubj", "nsubjpass") or g.dep_ == "compound") and g.lower_ not in aside]
    if tok.dep_ == "relcl":
        head = antecedent(tok)
        words |= {head.lemma_.lower(), head.lower_}
    elif tok.dep_ == "acl" and tok.tag_ == "VBN":  # "a strike launched on September 16"
        words |= {tok.head.lemma_.lower(), tok.head.lower_}
    return words


def _matches(tok: Token, triggers: TriggerIndex) -> bool:
    needs = triggers.get(tok.lemma_.lower())
    if needs is None:
        return False
    near = None
    for needed in needs:
        if not needed:
            return True
        near = near if near is not None else _near_words(tok)
        if all(word in near for word in needed):
            return True
    return False


def _strikes_a_deal(ctx: Ctx, verb: Token) -> bool:
    """'struck a deal with', 'strike a balance': the verb 'strike' with an object that is not an employer."""
    deal = ctx.lex.words("events", "agreement_nouns") | {"balance", "tone", "chord", "blow", "note", "compromise"}
    return any(c.dep_ == "dobj" and c.lemma_.lower() in deal for c in verb.children)


def _strike_to_come(ctx: Ctx, verb: Token) -> bool:
    """'called off the strike that was slated to begin on Monday', 'withdrew the strike notice', 'called off its
    planned strike': a strike still to come does not end."""
    planned = ctx.lex.words("events", "hypothetical_for_subject")
    upcoming = ctx.lex.words("events", "upcoming_modifiers")
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    # the subject of a passive, when planned ("a planned strike ... has been suspended"; not "the strike, which had
    # been scheduled to finish on June 20, was ended": a strike that began)
    if any(c.dep_ in ("amod", "acl") and c.lower_ in upcoming for s in verb.children if s.dep_ == "nsubjpass"
           for c in s.children):
        return True
    # "announced the withdrawal of its strike notice": what is withdrawn is named after 'of'
    objects += [p for o in objects for prep in o.children if prep.dep_ == "prep" and prep.lower_ == "of"
                for p in prep.children if p.dep_ == "pobj"]
    return any(obj.lemma_.lower() in ctx.lex.words("events", "strike_plan_nouns") for obj in objects) or any(
        c.dep_ in ("relcl", "acl") and any(t.lemma_.lower() in planned for t in c.subtree)
        or c.dep_ in ("amod", "acl") and c.lower_ in upcoming for obj in objects for c in obj.children)


def _in_support(ctx: Ctx, verb: Token) -> bool:
    """'joined the picket lines in support of the teachers' union': another union's strike, not one of their own
    (but 'went on strike in support of their pay claim', 'walked out in solidarity with the nurses' are theirs)."""
    nouns = ctx.lex.words("events", "solidarity_nouns")
    return verb.lemma_.lower() == "join" and any(
        c.dep_ == "prep" and c.lower_ == "in" and any(p.lemma_.lower() in nouns for p in c.children)
        for c in verb.children)


def _strike_acts(ctx: Ctx, verb: Token) -> bool:
    """'a strike that has halted production': the strike is the one acting on something, not what ends."""
    nouns = ctx.lex.words("events", "strike_event_nouns")
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is not None and subj.lower_ in ("that", "which") and verb.dep_ == "relcl":
        subj = verb.head
    return subj is not None and subj.lemma_.lower() in nouns and any(c.dep_ == "dobj" for c in verb.children)


def _triggers(ctx: Ctx, key: str) -> TriggerIndex:
    """The lexicon's trigger pairs, and each verb of `<key>_verbs` with each strike noun ("the work stoppage
    began", "suspended the walkout"), by verb: built once, as every verb of every sentence is looked up."""
    def index() -> TriggerIndex:
        nouns = ctx.lex.words("events", "strike_event_nouns")
        pairs = ctx.lex.pairs("events", key) + tuple((v, n) for v in ctx.lex.words("events", f"{key}_verbs")
                                                     for n in sorted(nouns))
        needs: dict[str, list[tuple[str, ...]]] = {}
        for verb, needed in pairs:
            needs.setdefault(verb, []).append(tuple(needed.split("+")) if needed else ())
        return {verb: tuple(words) for verb, words in needs.items()}

    return ctx.lex.derived(f"strike triggers {key}", index)


def _strike_events(ctx: Ctx, sent: Span, key: str, pred: str, rule: str) -> Iterator[Relation]:
    triggers = _triggers(ctx, key)
    if ctx.words(sent).isdisjoint(triggers):
        return  # no trigger verb in the sentence (see graph.extract.context.triggered)
    pub = ctx.article.date
    # Ending a strike by a vote ends it; starting one by a vote only authorises it.
    allow = ctx.lex.words("events", "ending_heads") if key == "strike_end" else frozenset()
    verbs = ctx.lex.derived(f"strike trigger verbs {key}", lambda: frozenset(triggers))
    for tok in tokens_with(ctx.doc, verbs, sent, lemma=True):
        # (the tagger may miss a verb it heads a clause with: "workers will down tools", 'down' an adposition)
        verbal = tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT" and any(c.dep_ == "aux" for c in tok.children)
        if not verbal or tok.i in ctx.in_quote or not _matches(tok, triggers):
            continue
        if _strikes_a_deal(ctx, tok) or key == "strike_end" and (_strike_acts(ctx, tok) or _strike_to_come(ctx, tok)) \
                or key == "strike_start" and _in_support(ctx, tok):
            continue
        if ctx.is_hypothetical(tok, allow):
            if key == "strike_start" and (today := starting_today(ctx, tok)) is not None:
                for striker in strikers_of(ctx, tok):
                    yield ctx.relation(striker, pred, today, sent, "strike_starts_today", 0.7)
            continue
        strikers = strikers_of(ctx, tok)
        if not strikers:
            continue
        union = strikers[0]
        note_opponent(ctx, tok, union)
        dates = clause_dates(ctx, tok)
        purpose = tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
        # "A picket line formed early on Sunday as the strike began": a clause of the same moment
        meanwhile = tok.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") and c.lower_ in ("as", "when")
                                                for c in tok.children)
        timed = tok  # the verb whose tense says whether the event is of the day
        if not dates and (tok.tag_ == "VBG" and tok.dep_ in ("advcl", "xcomp", "conj") or tok.dep_ == "xcomp"
                          or tok.dep_ == "conj" and tok.head.dep_ == "xcomp"  # "decided to accept ... and end it"
                          or purpose or meanwhile or tok.dep_ == "acl" and tok.tag_ != "VBG"):
            # "joined forces last month to go on strike", "a deal to end the strike"; not "doctors striking over
            # pay ignored a court order on Friday": the main clause's day is not the strike's
            # "On Thursday they reached a deal, ending the strike"; "voted on Thursday to end the strike"
            head = tok.head if tok.dep_ != "acl" else tok.head.head  # "a deal to end the strike"
            dates = clause_dates(ctx, head)
            while not dates and head.dep_ == "xcomp" and head.head.i != head.i:
                head = head.head  # "Yesterday, members voted to accept the offer, bringing the strike to a close"
                dates = clause_dates(ctx, head)
        if not dates and key == "strike_end":
            # "ended its strike after members ratified the contract on Thursday": the vote's day is the end's
            dates = [e for c in tok.children if c.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in ctx.lex.words("events", "ending_markers") for m in c.children)
                for e in clause_dates(ctx, c)]
        if key == "strike_end" and tok.tag_ == "VBG" and tok.dep_ in ("advcl", "xcomp", "conj"):
            # "has accepted the offer, bringing the strike to an end": ended now, as the offer was accepted now
            # (not "has reached a deal to end the strike", which may be ratified days later)
            timed = tok.head
        found = False
        # "its strike begins on June 20": a start in the present tense is still to come
        # and so is one in the present progressive: "members are walking out on Monday"
        # but a headline tells the day's news in the present: "Tube strike starts after talks break down"
        headline = tok.i < headline_end(ctx.doc) and tok.tag_ in ("VBZ", "VBP") and key == "strike_start"
        # and so is an end: "employees return to work Wednesday", "after they return to work on Wednesday"
        ahead = not headline and (
            tok.tag_ in ("VBZ", "VBP") and tok.lemma_ != "be" or key == "strike_start" and tok.tag_ == "VBG" and any(
                c.dep_ == "aux" and c.lemma_ == "be" and c.tag_ in ("VBZ", "VBP") for c in tok.children))
        announced = False
        for ent in dates:
            when = date_of(ent, pub, ahead)
            if isinstance(when, PartialDate) and after_publication(when, pub, ent):
                # a start after the publication date is an announced strike, not one under way; an end after it
                # ('called off strikes next week') is of strikes still to come
                announced = True
            elif isinstance(when, PartialDate):
                found = True
                for striker in strikers:
                    yield ctx.relation(striker, pred, when, sent, rule, 0.85 if when.day else 0.8)
                if key == "strike_end" and when.day:
                    yield from _start_from_length(ctx, tok, when, strikers, sent)
                break
        # "commenced their strike at 6am" (a clock time, not a length such as "for 48 hours")
        clock_only = bool(dates) and all(e.label_ == "TIME" and _CLOCK.search(e.text.lower()) for e in dates)
        # "has agreed to immediately end its industrial action": ended on the day of the report
        immediate = not dates and key == "strike_end" and any(
            c.dep_ == "advmod" and c.lower_ in ctx.lex.words("events", "immediacy_words") for c in tok.children)
        if not found and not announced and pub is not None and (
                clock_only or headline or immediate or is_now(timed, "on" if key == "strike_start" else "over")):
            # "The Harbor Pilots Union is on strike", "the strike is over": so on the day of publication, an end
            # on the day of the saying ("A statement on Tuesday said the doctors are going back to work")
            said = day_said(ctx, timed, pub) if key == "strike_end" else None
            day = said or PartialDate(pub.year, pub.month, pub.day)
            for striker in strikers:
                yield ctx.relation(striker, pred, day, sent, NOW_RULES[key], ON_STRIKE_NOW_CONFIDENCE)


def _start_from_length(ctx: Ctx, verb: Token, end: PartialDate, strikers: list[str], sent: Span
                       ) -> Iterator[Relation]:
    """'The eight-day strike came to an end on Wednesday', 'ended a three-week strike': the start is the length
    back from the end (to the day for days; to the month for weeks, which news rounds)."""
    nouns = ctx.lex.words("events", "strike_event_nouns")
    units = ctx.lex.value("events", "length_units")
    cardinals = ctx.lex.value("events", "cardinal_words")
    # the strike the verb ends, or the one a participle of it ends ("are back at work Monday, ending a 30-day strike")
    clauses = [verb] + [c for c in verb.children if c.dep_ in ("advcl", "xcomp", "conj") and c.tag_ == "VBG"]
    for noun in (c for v in clauses for c in v.children
                 if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lemma_.lower() in nouns):
        # the length is said before the noun, however the parser hung it ("eight-day" on a name in between)
        for unit in (t for t in noun.subtree if t.i < noun.i and t.lemma_.lower() in units):
            count = next((int(n.text) if n.text.isdigit() else cardinals[n.lower_] for n in unit.children
                          if n.dep_ == "nummod" and (n.text.isdigit() or n.lower_ in cardinals)), None)
            if not count or end.day is None:
                continue
            days = count * units[unit.lemma_.lower()]
            start = date(end.year, end.month, end.day) - timedelta(days=days - 1)
            when = PartialDate(start.year, start.month, start.day if units[unit.lemma_.lower()] == 1 else None)
            for striker in strikers:
                yield ctx.relation(striker, "onStrikeSince", when, sent, "strike_length", 0.7)
            return


def _fallbacks_last(relations: list[Relation]) -> Iterator[Relation]:
    """A start counted back from a strike's length ('the 18-day strike ended on Friday') stands only when the
    article states no start, and 'X is on strike' ('the strike is over') gives the publication date only when the
    article dates the start (the end) in neither way: news counts a strike's days loosely."""
    # an article is most often about one strike: a date for it under any name beats the fallbacks
    tier = {rule: k for k, rule in enumerate(FALLBACK_RULES, start=1)}
    best: dict[str, int] = {}
    for r in relations:
        best[r.predicate] = min(best.get(r.predicate, 99), tier.get(r.evidence.rule, 0))
    yield from (r for r in relations if tier.get(r.evidence.rule, 0) == best[r.predicate])


def extract_strikes(ctx: Ctx) -> Iterator[Relation]:
    found: list[Relation] = []
    for sent in ctx.sentences():
        found += _strike_events(ctx, sent, "strike_start", "onStrikeSince", "strike_start")
        found += nth_day(ctx, sent)
        found += noun_dates(ctx, sent)
        found += _strike_events(ctx, sent, "strike_end", "strikeEndedOn", "strike_end")
    yield from _fallbacks_last(found)
