"""Score the extractor's strikes (ng:Strike events) against the "events" of NAME.gold.json files.

A gold file may list its article's strikes under a top-level "events" key, one per union and dispute (the
official scorer ignores the key):

    {"type": "Strike", "union": NAME, "employer": [NAME, ...] or null, "start": DATE or null,
     "end": DATE or null, "workers": N or null, "evidence": SENTENCE}

NAME is a gold entity's name, DATE is `YYYY-MM-DD` or `YYYY-MM`; `employer` and `workers` are null when the
article does not state them (then they are not scored). An article whose gold has no "events" key is not
scored for events at all. A predicted strike is *found* when its union maps to the gold union by any of its
names (as relations are matched, graph.evaluate.scoring); each gold strike takes at most one prediction, the one that
gets most right. Then, of the strikes found:

- *sides right*: the predicted employers map exactly to the gold employers;
- *dates right*: the start and the end are the gold ones (a day matches a gold month; a missing gold end
  wants none);
- *workers right*: the number is the gold one.

`found` gives precision, recall and F1 of finding the strikes; `exact` counts a strike only when it is found
with its sides and dates right (the event F1 the test suite holds to a floor).
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, field

from rdflib import Graph
from rdflib.namespace import RDF

from graph.errors import InputError
from graph.extract.entities import norm_key
from graph.model import Extraction
from graph.rdf.build import build_graph
from graph.rdf.vocab import NG

_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


@dataclass(frozen=True)
class GoldEvent:
    union: str
    employers: tuple[str, ...] | None = None  # None: the article names no employer
    start: str | None = None
    end: str | None = None
    workers: int | None = None
    evidence: str = ""


@dataclass(frozen=True)
class PredictedStrike:
    union: str  # IRI
    employers: tuple[str, ...] = ()  # IRIs
    start: str | None = None
    end: str | None = None
    workers: int | None = None


@dataclass(frozen=True)
class EventCounts:
    """Event figures of one article or summed over a group; `errors` lists what was missed or wrong."""

    gold: int = 0
    predicted: int = 0
    found: int = 0
    exact: int = 0
    sides_scored: int = 0
    sides_right: int = 0
    dates_right: int = 0
    workers_scored: int = 0
    workers_right: int = 0
    errors: tuple[str, ...] = field(default=(), compare=False)

    def __add__(self, other: EventCounts) -> EventCounts:
        mine, theirs = astuple(self)[:-1], astuple(other)[:-1]
        return EventCounts(*(a + b for a, b in zip(mine, theirs, strict=True)),  # type: ignore[misc]
                           errors=self.errors + other.errors)


def _f1(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def found_f1(c: EventCounts) -> float:
    return _f1(c.found, c.predicted, c.gold)[2]


def exact_f1(c: EventCounts) -> float:
    return _f1(c.exact, c.predicted, c.gold)[2]


def parse_gold_events(data: object, where: str = "gold") -> tuple[GoldEvent, ...] | None:
    """The "events" of a gold annotation, or None when it has none. Raises InputError when malformed."""
    if not isinstance(data, Mapping) or "events" not in data:
        return None
    try:
        out = []
        for e in data["events"]:
            if e.get("type", "Strike") != "Strike":
                raise ValueError(f"unknown event type {e['type']!r}")
            dates = [e.get("start"), e.get("end")]
            if any(d is not None and not _DATE.fullmatch(str(d)) for d in dates):
                raise ValueError(f"a date is not YYYY-MM-DD or YYYY-MM: {dates}")
            employers = e.get("employer")
            workers = e.get("workers")
            out.append(GoldEvent(str(e["union"]),  # type: ignore[call-arg]
                                 None if employers is None else tuple(map(str, employers)),
                                 *(None if d is None else str(d) for d in dates),  # type: ignore[arg-type]
                                 None if workers is None else int(workers), str(e.get("evidence", ""))))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{where}: not a gold event annotation ({type(exc).__name__}: {exc})") from None
    return tuple(out)


def predicted_strikes(graph: Graph) -> list[PredictedStrike]:
    """The ng:Strike events of a built graph (the earliest start and latest end when it has several)."""
    out = []
    for event in sorted(graph.subjects(RDF.type, NG.Strike), key=str):
        starts = sorted(str(d) for d in graph.objects(event, NG.startDate))
        ends = sorted(str(d) for d in graph.objects(event, NG.endDate))
        workers = [int(w) for w in graph.objects(event, NG.workersInvolved)]  # type: ignore[call-overload]
        unions = sorted(str(u) for u in graph.objects(event, NG.unionSide))
        out.append(PredictedStrike(unions[0] if unions else "", tuple(sorted(str(e) for e in graph.objects(
            event, NG.employerSide))), starts[0] if starts else None, ends[-1] if ends else None,
                                   max(workers) if workers else None))
    return out


def _date_right(predicted: str | None, gold: str | None) -> bool:
    if gold is None or predicted is None:
        return gold is predicted
    return predicted == gold or (len(gold) == 7 and predicted[:7] == gold)


@dataclass(frozen=True)
class _Judged:
    sides: bool | None  # None: not scored
    dates: bool
    workers: bool | None


def _judge(gold: GoldEvent, pred: PredictedStrike, names_of) -> _Judged:  # noqa: ANN001
    sides = None
    if gold.employers is not None:
        mapped = [names_of(e) & set(gold.employers) for e in pred.employers]  # each must be a gold employer
        sides = all(mapped) and {n for m in mapped for n in m} == set(gold.employers)
    dates = _date_right(pred.start, gold.start) and _date_right(pred.end, gold.end)
    workers = None if gold.workers is None else pred.workers == gold.workers
    return _Judged(sides, dates, workers)


def score_events(gold: Sequence[GoldEvent] | None, entities: Sequence, graph: Graph,
                 labels: Mapping[str, frozenset[str]], names: Mapping[str, str], article: str = "",
                 show_errors: bool = False) -> EventCounts | None:
    """Score one article's strikes; `entities` are its gold entities (name, aliases, generic), `labels` the
    normalised labels of each predicted IRI (graph.evaluate.scoring.Predicted.labels), `names` readable names for the
    error list. None when the gold has no events."""
    if gold is None:
        return None
    alias: dict[str, str] = {}
    for e in entities:
        for form in (e.name, *e.aliases):
            alias.setdefault(norm_key(form), e.name)
    generic = {e.name for e in entities if e.generic}

    def names_of(iri: str) -> set[str]:
        return {alias[label] for label in labels.get(iri, ()) if label in alias}

    preds = [p for p in predicted_strikes(graph) if not names_of(p.union) & generic]
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(preds):
            if g.union in names_of(p.union):
                judged = _judge(g, p, names_of)
                pairs.append((-(judged.dates + bool(judged.sides)), gi, pi, judged))
    used_gold: dict[int, tuple[int, _Judged]] = {}
    used_pred: set[int] = set()
    for _, gi, pi, judged in sorted(pairs, key=lambda x: x[:3]):
        if gi not in used_gold and pi not in used_pred:
            used_gold[gi] = (pi, judged)
            used_pred.add(pi)
    errors = [f"missed   {article}: strike of {g.union} from {g.start} to {g.end}\n         | {g.evidence}"
              for gi, g in enumerate(gold) if gi not in used_gold]
    errors += [f"spurious {article}: strike of {names.get(p.union, p.union)} from {p.start} to {p.end}"
               for pi, p in enumerate(preds) if pi not in used_pred]
    for gi, (pi, judged) in sorted(used_gold.items()):
        g, p = gold[gi], preds[pi]
        if judged.sides is False:
            said = ", ".join(names.get(e, e) for e in p.employers) or "nobody"
            errors.append(f"sides    {article}: strike of {g.union} against {said}, gold {list(g.employers or [])}")
        if not judged.dates:
            errors.append(f"dates    {article}: strike of {g.union} from {p.start} to {p.end}, "
                          f"gold {g.start} to {g.end}")
    matched = [j for _, j in used_gold.values()]
    return EventCounts(
        gold=len(gold), predicted=len(preds), found=len(matched),
        exact=sum(1 for j in matched if j.dates and j.sides is not False),
        sides_scored=sum(1 for j in matched if j.sides is not None), sides_right=sum(1 for j in matched if j.sides),
        dates_right=sum(1 for j in matched if j.dates),
        workers_scored=sum(1 for j in matched if j.workers is not None),
        workers_right=sum(1 for j in matched if j.workers), errors=tuple(errors) if show_errors else ())


def article_events(gold: Sequence[GoldEvent] | None, entities: Sequence, extraction: Extraction,
                   labels: Mapping[str, frozenset[str]], names: Mapping[str, str], article: str = "",
                   show_errors: bool = False) -> EventCounts | None:
    """score_events on the graph `newsgraph build` writes for the extraction."""
    if gold is None:
        return None
    return score_events(gold, entities, build_graph(extraction), labels, names, article, show_errors)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def events_dict(c: EventCounts) -> dict:
    """The figures of report_dict's "events" entry of a group."""
    p, r, f = _f1(c.found, c.predicted, c.gold)
    ep, er, ef = _f1(c.exact, c.predicted, c.gold)
    return {"gold": c.gold, "predicted": c.predicted, "found": {"tp": c.found, "P": p, "R": r, "F1": f},
            "exact": {"tp": c.exact, "P": ep, "R": er, "F1": ef},
            "sides_right": _ratio(c.sides_right, c.sides_scored), "dates_right": _ratio(c.dates_right, c.found),
            "workers_right": _ratio(c.workers_right, c.workers_scored), **({"errors": list(c.errors)} if c.errors
                                                                             else {})}


def event_lines(c: EventCounts) -> list[str]:
    """The event figures of a group in format_report's table layout, and its errors when collected."""
    p, r, f = _f1(c.found, c.predicted, c.gold)
    ep, er, ef = _f1(c.exact, c.predicted, c.gold)
    lines = [
        f"    events (strikes): found P={p:.2f} R={r:.2f} F1={f:.2f} (gold={c.gold} predicted={c.predicted} "
        f"found={c.found})",
        f"        sides right {c.sides_right}/{c.sides_scored}, dates right {c.dates_right}/{c.found}, "
        f"workers right {c.workers_right}/{c.workers_scored}; exact P={ep:.2f} R={er:.2f} F1={ef:.2f}",
    ]
    return lines + [f"event {e}" for e in c.errors]
