"""An article's dispute events: its strikes, talks and agreements as events with sides, dates, place and workers
(spaCy only; graph.rdf.build_events writes them and names them across articles).

Events are read from the article's direct relations, which stay as they are (the strike spans of
graph.extract.strike_spans are added to them first), from its dispute frame (graph.extract.frames) and from
what their sentences say (graph.extract.event_facts):

- `strike_events`: a union's ng:onStrikeSince and ng:strikeEndedOn dates make its strikes, one per dispute
  year: every start in a year is the same strike ("the fourth stoppage since talks broke down"), an end closes
  the latest strike begun before it (up to MAX_PAIR_DAYS earlier), so "a strike began on Nov. 10, 2021" and
  "the strike that began on Feb. 24" in one story are two strikes of two disputes. The earliest start and the
  latest end are the strike's.
- `strike_mentions`: 'the strike', 'the walkout', 'the work stoppage' in other sentences are more evidence for
  the strike of their owner, or of the union the story is about at that point.
- `strike_employers`: the employer a strike sentence names ('pilots at Northstar Air'), else the employers the
  union is shown in talks or a deal with in the same dispute year, else its counterparts in the frame.
- `pair_events`: talks and agreements, one per union, employer and dispute year, with every sentence reporting
  them as evidence; an agreement is dated by its own clause when that names a day. An undated one belongs to
  the dispute of a strike reported in the same sentence, else to the union's latest strike, else to the year of
  publication.
- The contract at stake goes to its union's latest dispute in the article.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Span, Token

from graph.extract.context import Ctx, union_of
from graph.extract.event_facts import clause_date, contract_at_stake, named_employers, strike_place, workers_stated
from graph.extract.frames import Frames, find_frames
from graph.extract.parties import EMPLOYER_SIDE, SIDES, UNION_SIDE, side_of
from graph.extract.strike_spans import strike_spans
from graph.model import DisputeEvent, EventFact, Evidence, PartialDate, Relation

_YEAR = re.compile(r"^(?:19|20)\d\d$")
MAX_PAIR_DAYS = 400  # an end pairs with a start at most this many days earlier
RECENT_DAYS = 120  # undated talks belong to a strike that ended at most this many days before publication
PAIR_KINDS = {"negotiatesWith": "Negotiation", "reachesAgreementWith": "Agreement"}


@dataclass
class Strike:
    """A strike of one union in one dispute year, as the article reports it."""

    union: str
    year: int
    starts: list[Relation] = field(default_factory=list)
    ends: list[Relation] = field(default_factory=list)
    mentions: list[Evidence] = field(default_factory=list)

    def first(self) -> Relation:
        return min(self.starts + self.ends, key=lambda r: r.evidence.start)


def _day(when: PartialDate, last: bool = False) -> tuple[int, int, int]:
    return when.year, when.month, when.day or (31 if last else 1)


def _days_between(a: PartialDate, b: PartialDate) -> int:
    first, second = _day(a), _day(b, last=True)
    return (date(second[0], second[1], min(second[2], 28)) - date(first[0], first[1], min(first[2], 28))).days


def _strikes_of(union: str, relations: list[Relation]) -> list[Strike]:
    starts = sorted((r for r in relations if r.subject == union and r.predicate == "onStrikeSince"),
                    key=lambda r: (_day(r.object), r.evidence.start))  # type: ignore[arg-type]
    ends = sorted((r for r in relations if r.subject == union and r.predicate == "strikeEndedOn"),
                  key=lambda r: (_day(r.object), r.evidence.start))  # type: ignore[arg-type]
    strikes: dict[int, Strike] = {}
    for rel in starts:
        assert isinstance(rel.object, PartialDate)
        strikes.setdefault(rel.object.year, Strike(union, rel.object.year)).starts.append(rel)
    for rel in ends:
        assert isinstance(rel.object, PartialDate)
        end = rel.object
        begun = [s for s in strikes.values() if s.starts and 0 <= _days_between(
            min((r.object for r in s.starts), key=_day), end) <= MAX_PAIR_DAYS]  # type: ignore[arg-type]
        year = max(begun, key=lambda s: s.year).year if begun else end.year
        strikes.setdefault(year, Strike(union, year)).ends.append(rel)
    return [strikes[year] for year in sorted(strikes)]


def _fact(prop: str, value: str, evidence: Evidence, rule: str) -> EventFact:
    return EventFact(prop, value, replace(evidence, rule=rule))


def strike_events(relations: list[Relation]) -> list[Strike]:
    """The strikes the article's strike dates make, per union and dispute year, in text order."""
    unions = sorted({r.subject for r in relations if r.predicate in ("onStrikeSince", "strikeEndedOn")})
    found = [s for union in unions for s in _strikes_of(union, relations)]
    return sorted(found, key=lambda s: (s.first().evidence.start, s.union, s.year))


def _sentence_of(ctx: Ctx, frames: Frames, evidence: Evidence) -> Span:
    return ctx.doc[frames.token_at(evidence.start)].sent


def strike_mentions(ctx: Ctx, strikes: list[Strike]) -> None:
    """'the strike', 'the walkout' in sentences that gave no date: more evidence for the strike of the union
    that owns the noun or that the story is about at that point (its dispute of the year the sentence names,
    else its latest one)."""
    nouns = ctx.lex.words("events", "strike_event_nouns")
    by_union: dict[str, list[Strike]] = defaultdict(list)
    for strike in strikes:
        by_union[strike.union].append(strike)
    if not by_union:
        return
    dated = {r.evidence.start for s in strikes for r in s.starts + s.ends}
    for sent in ctx.sentences():
        for tok in ctx.tokens(sent):
            if tok.pos_ != "NOUN" or _lemma(tok) not in nouns or tok.dep_ == "compound" or tok.i in ctx.in_quote \
                    or ctx.is_hypothetical(tok):
                continue
            evidence = ctx.evidence(sent, "strike_mention", 0.6)
            if evidence.start in dated:
                break
            owner = next((u for c in tok.children if c.dep_ in ("poss", "compound") and (u := union_of(ctx, c))),
                         None)
            union = owner or ctx.table.most_salient(tok.i, lambda e: e.name in by_union)
            if union not in by_union:
                continue
            years = {int(y) for t in ctx.tokens(sent) if t.ent_type_ == "DATE" for y in _YEAR.findall(t.text)}
            chosen = [s for s in by_union[union] if s.year in years] or [_current(ctx, by_union[union])]  # type: ignore[list-item]
            chosen[0].mentions.append(evidence)  # type: ignore[union-attr]
            break


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _is_framed(rel: Relation) -> bool:
    """A relation whose other side the article's frame filled in, not its sentence."""
    return rel.evidence.rule.startswith("frame_") or rel.evidence.rule.endswith("_frame")


def explicit_partners(ctx: Ctx, frames: Frames, relations: list[Relation], strikes: list[Strike]
                      ) -> dict[tuple[str, int | None], list[tuple[str, Evidence]]]:
    """(union, dispute year) -> the employers its sentences show it in talks or a deal with, in text order."""
    out: dict[tuple[str, int | None], list[tuple[str, Evidence]]] = defaultdict(list)
    for rel in sorted(relations, key=lambda r: r.evidence.start):
        if rel.predicate not in PAIR_KINDS or not isinstance(rel.object, str) or _is_framed(rel):
            continue
        union, employer = _sides(ctx, rel.subject, rel.object)
        if side_of(ctx, employer) != EMPLOYER_SIDE:
            continue
        key = (union, _year(ctx, union, rel.evidence, None, strikes))
        if employer not in [e for e, _ in out[key]]:
            out[key].append((employer, rel.evidence))
    return out


def strike_employers(ctx: Ctx, frames: Frames, strike: Strike,
                     partners: dict[tuple[str, int | None], list[tuple[str, Evidence]]]
                     ) -> tuple[list[str], Evidence]:
    """Whom the strike is against, with the evidence: an employer its own sentences name, else those its union
    is in talks or a deal with in the same dispute year (else in any), else its counterparts in the frame."""
    for rel in sorted(strike.starts + strike.ends, key=lambda r: r.evidence.start):
        named = named_employers(ctx, _sentence_of(ctx, frames, rel.evidence))
        if named:
            return named, rel.evidence
    same = partners.get((strike.union, strike.year)) or next(
        (found for (union, _), found in sorted(partners.items(), key=lambda kv: -(kv[0][1] or 0))
         if union == strike.union), [])
    if same:
        return [e for e, _ in same], same[0][1]
    first = strike.first().evidence
    found = [n for n in frames.counterparts(strike.union, frames.token_at(first.start))
             if n not in SIDES and side_of(ctx, n) == EMPLOYER_SIDE]
    return found, first


def _strike_event(ctx: Ctx, frames: Frames, strike: Strike,
                  partners: dict[tuple[str, int | None], list[tuple[str, Evidence]]]) -> DisputeEvent:
    start = min(strike.starts, key=lambda r: _day(r.object), default=None)  # type: ignore[arg-type]
    end = max(strike.ends, key=lambda r: _day(r.object, last=True), default=None)  # type: ignore[arg-type]
    employers, side_evidence = strike_employers(ctx, frames, strike, partners)
    first = strike.first().evidence
    facts = [_fact("type", "", r.evidence, "strike_event") for r in strike.starts + strike.ends]
    facts += [_fact("type", "", e, "strike_mention") for e in strike.mentions]
    facts.append(_fact("unionSide", strike.union, first, "strike_event"))
    facts += [_fact("employerSide", e, side_evidence, "strike_employers") for e in employers]
    for rel, prop in ((start, "startDate"), (end, "endDate")):
        if rel is not None:
            facts.append(_fact(prop, rel.object.iso(), rel.evidence, "strike_event"))  # type: ignore[union-attr]
    workers = place = None
    reports = sorted((r.evidence for r in strike.starts + strike.ends), key=lambda e: e.start) + strike.mentions
    for evidence in reports:  # the sentences that date the strike first, then those that mention it
        sent = _sentence_of(ctx, frames, evidence)
        if workers is None and (workers := workers_stated(ctx, sent)) is not None:
            facts.append(_fact("workersInvolved", str(workers), evidence, "workers_stated"))
        if place is None and (place := strike_place(ctx, sent)) is not None:
            facts.append(_fact("place", place, evidence, "strike_place"))
    return DisputeEvent(
        "Strike", strike.union, tuple(employers), strike.year, start.object if start else None,  # type: ignore
        end.object if end else None, place, workers, facts=tuple(facts))  # type: ignore[arg-type]


def _sides(ctx: Ctx, a: str, b: str) -> tuple[str, str]:
    """(union side, employer side) of a pair: by class, else the one facing an employer is the union."""
    sa, sb = side_of(ctx, a), side_of(ctx, b)
    if sa == UNION_SIDE or sb == EMPLOYER_SIDE and sa != EMPLOYER_SIDE:
        return a, b
    if sb == UNION_SIDE or sa == EMPLOYER_SIDE:
        return b, a
    return tuple(sorted((a, b)))  # type: ignore[return-value]


def _year(ctx: Ctx, union: str, evidence: Evidence, when: PartialDate | None,
          strikes: list[Strike]) -> int | None:
    if when is not None:
        return when.year
    mine = [s for s in strikes if s.union == union]
    same = [s for s in mine if any(r.evidence.start == evidence.start for r in s.starts + s.ends)]
    if same:
        return same[0].year
    current = _current(ctx, mine, recent=True)
    return current.year if current else (ctx.article.date.year if ctx.article.date else None)


def _current(ctx: Ctx, strikes: list[Strike], recent: bool = False) -> Strike | None:
    """The strike the story is about: the latest begun by its publication year; with `recent`, only if it
    still runs or ended at most RECENT_DAYS before publication (talks 'broke down in May' in a story that
    recalls a strike of 2021 are this year's)."""
    pub = ctx.article.date
    begun = [s for s in strikes if pub is None or s.year <= pub.year] or strikes
    latest = max(begun, key=lambda s: s.year, default=None)
    if latest is None or not recent or pub is None or not latest.ends:
        return latest
    end = max((r.object for r in latest.ends), key=lambda d: _day(d, last=True))  # type: ignore[arg-type]
    published = PartialDate(pub.year, pub.month, pub.day)
    return latest if _days_between(end, published) <= RECENT_DAYS else None  # type: ignore[arg-type]


def _ended_strike(union: str, evidence: Evidence, strikes: list[Strike]) -> PartialDate | None:
    """'ended nine days later after the union reached agreement with the VRB': an undated deal reported with
    the end of its union's strike, in the same sentence, came on that day."""
    ends = [r.object for s in strikes if s.union == union for r in s.ends if r.evidence.start == evidence.start]
    return ends[0] if ends else None  # type: ignore[return-value]


def pair_events(ctx: Ctx, frames: Frames, relations: list[Relation], strikes: list[Strike]) -> list[DisputeEvent]:
    """Talks and agreements, one per union, employer and dispute year, with each sentence as evidence."""
    verbs = ctx.lex.words("events", "agreement_verbs")
    found: dict[tuple[str, str, str, int | None], DisputeEvent] = {}
    for rel in relations:
        kind = PAIR_KINDS.get(rel.predicate)
        if kind is None or not isinstance(rel.object, str):
            continue
        union, employer = _sides(ctx, rel.subject, rel.object)
        sent = _sentence_of(ctx, frames, rel.evidence)
        when, date_rule = (clause_date(ctx, sent, verbs), "agreement_date") if kind == "Agreement" else (None, "")
        if when is not None and ctx.article.date is not None and _day(when) > _day(PartialDate(
                ctx.article.date.year, ctx.article.date.month, ctx.article.date.day)):
            when = None
        if when is None and kind == "Agreement":
            when, date_rule = _ended_strike(union, rel.evidence, strikes), "agreement_ends_strike"
        year = _year(ctx, union, rel.evidence, when, strikes)
        rule = kind.lower() + "_event"
        facts = (_fact("type", "", rel.evidence, rule), _fact("unionSide", union, rel.evidence, rule),
                 _fact("employerSide", employer, rel.evidence, rule))
        key = (kind, union, employer, year)
        known = found.get(key)
        if known is None:
            dated = (_fact("startDate", when.iso(), rel.evidence, date_rule),) if when else ()
            found[key] = DisputeEvent(kind, union, (employer,), year, start=when, facts=facts + dated)
        else:
            found[key] = replace(known, facts=known.facts + facts)
    return list(found.values())


def _with_contracts(events: list[DisputeEvent], contracts: dict[str, tuple[str, Evidence]]) -> list[DisputeEvent]:
    """The contract goes to its union's latest dispute of the article."""
    latest: dict[str, int] = {}
    for event in events:
        if event.year is not None and event.union in contracts:
            latest[event.union] = max(latest.get(event.union, event.year), event.year)
    out = []
    for event in events:
        if event.union in contracts and event.year == latest.get(event.union):
            words, evidence = contracts[event.union]
            event = replace(event, contract=words, facts=event.facts + (EventFact("contractAtStake", words,
                                                                                    evidence),))
        out.append(event)
    return out


def _added(relations: list[Relation], more: Iterable[Relation]) -> Iterator[Relation]:
    """The new relations of `more`: a date the article's rules already gave its union is not repeated."""
    seen = {(r.subject, r.predicate, str(r.object)) for r in relations}
    for rel in more:
        key = (rel.subject, rel.predicate, str(rel.object))
        if key not in seen:
            seen.add(key)
            yield rel


def find_events(ctx: Ctx, relations: list[Relation]) -> tuple[list[Relation], list[DisputeEvent]]:
    """The article's relations with the strike spans added (graph.extract.strike_spans), and its events."""
    relations = relations + list(_added(relations, strike_spans(ctx)))
    frames = find_frames(ctx, relations)
    strikes = strike_events(relations)
    strike_mentions(ctx, strikes)
    partners = explicit_partners(ctx, frames, relations, strikes)
    events = [_strike_event(ctx, frames, s, partners) for s in strikes] + pair_events(ctx, frames, relations, strikes)
    return relations, _with_contracts(events, contract_at_stake(ctx)) if events else []
