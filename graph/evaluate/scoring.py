"""Scoring against gold annotations, by exactly the rules of the official scorer (dev/score.py).

A gold folder holds NAME.gold.json files, each with its article NAME.txt beside it (`gold_pairs`,
`parse_gold`). `score_article` matches what the store holds for one article (`Predicted`) against its gold
rule for rule as score.py does, and `summarise` sums the article scores per group ("seed" and "dev"); keep the
two in step, a test compares their figures on the dev set. Strikes are scored by graph.evaluate.events.
Nothing here runs the extractor or opens a store: graph.evaluate.run does, and graph.evaluate.report formats.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import InputError
from graph.evaluate.events import EventCounts, GoldEvent, parse_gold_events
from graph.extract.entities import norm_key
from graph.model import DATE_PREDICATES, ENTITY_CLASSES, SYMMETRIC_PREDICATES
from graph.rdf.vocab import NG, NG_URI

GOLD_SUFFIX = ".gold.json"
SEED_PREFIX = "000_seed"  # score.py reports these articles as group "seed", every other one as "dev"
GROUPS = ("seed", "dev")
# The scorer's predicate order (its report order); NG attributes make a typo an AttributeError.
PREDICATES = tuple(str(t)[len(NG_URI):] for t in (NG.negotiatesWith, NG.issuesStatement, NG.onStrikeSince,
                   NG.strikeEndedOn, NG.reachesAgreementWith, NG.leads, NG.memberOf, NG.represents))
STATEMENT = str(NG.issuesStatement)[len(NG_URI):]
ANY_QUOTE = "*"  # issuesStatement is scored per speaker, whatever was quoted


# score.py's name normalisation (lowercase, no possessive 's, no punctuation, no leading "the") is the same key
# the extractor merges surface forms under.
norm = norm_key


@dataclass(frozen=True)
class GoldEntity:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    generic: bool = False


@dataclass(frozen=True)
class GoldRelation:
    s: str
    p: str
    o: str
    evidence: str = ""
    generic: bool = False


@dataclass(frozen=True)
class Gold:
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]
    events: tuple[GoldEvent, ...] | None = None  # strikes, scored by graph.evaluate.events when given


@dataclass(frozen=True)
class PredictedTriple:
    """One stored relation: IRIs (or a literal's value) plus, for error lists, readable names and evidence."""

    subject: str
    predicate: str  # local name in ng:
    object: str
    object_is_iri: bool
    subject_name: str = ""
    object_name: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Predicted:
    """What the store holds for one article: relations, normalised labels and ng: classes per IRI."""

    triples: tuple[PredictedTriple, ...] = ()
    labels: Mapping[str, frozenset[str]] = field(default_factory=dict)
    types: Mapping[str, frozenset[str]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)  # readable name per IRI, for error lists


@dataclass(frozen=True)
class ErrorItem:
    article: str
    kind: str  # "missed" | "spurious" | "mistyped" (an entity found with another class)
    predicate: str  # a relation predicate, or "entity" for an entity error (object: its class)
    subject: str
    object: str
    evidence: str


@dataclass(frozen=True)
class EntityCounts:
    gold: int = 0
    found_any: int = 0
    found_typed: int = 0
    predicted_typed: int = 0
    predicted_correct: int = 0

    def __add__(self, other: EntityCounts) -> EntityCounts:
        return EntityCounts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


@dataclass(frozen=True)
class ArticleScore:
    tp: Mapping[str, int]
    fp: Mapping[str, int]
    fn: Mapping[str, int]
    entities: EntityCounts
    errors: tuple[ErrorItem, ...] = ()
    events: EventCounts | None = None


@dataclass(frozen=True)
class Score:
    """Counts and precision/recall/F1 of one predicate, or micro-averaged over all of them."""

    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class GroupReport:
    name: str
    predicates: Mapping[str, Score]
    micro: Score
    entities: EntityCounts
    events: EventCounts | None = None  # when some article's gold has events

    @property
    def recall_any(self) -> float:
        return _ratio(self.entities.found_any, self.entities.gold)

    @property
    def recall_typed(self) -> float:
        return _ratio(self.entities.found_typed, self.entities.gold)

    @property
    def entity_precision(self) -> float:
        return _ratio(self.entities.predicted_correct, self.entities.predicted_typed)


@dataclass(frozen=True)
class EvalReport:
    groups: tuple[GroupReport, ...]
    articles: tuple[str, ...]
    errors: tuple[ErrorItem, ...] = ()  # filled when show_errors
    problems: tuple[str, ...] = ()  # input warnings (score.py's "errors")

    def group(self, name: str) -> GroupReport | None:
        return next((g for g in self.groups if g.name == name), None)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def score_of(tp: int, fp: int, fn: int) -> Score:
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return Score(tp, fp, fn, p, r, 2 * p * r / (p + r) if p + r else 0.0)


def parse_gold(data: Any, where: str = "gold") -> Gold:
    """A gold annotation (the JSON of NAME.gold.json) as dataclasses. Raises InputError when malformed."""
    try:
        ents = tuple(GoldEntity(str(e["name"]), str(e["type"]), tuple(map(str, e.get("aliases", []))),
                                bool(e.get("generic", False))) for e in data["entities"])
        rels = tuple(GoldRelation(str(r["s"]), str(r["p"]), str(r["o"]), str(r.get("evidence", "")),
                                  bool(r.get("generic", False))) for r in data["relations"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{where}: not a gold annotation ({type(exc).__name__}: {exc})") from None
    return Gold(ents, rels, parse_gold_events(data, where))


def gold_pairs(gold_dir: Path) -> list[tuple[str, Path, Gold]]:
    """(name, article path, gold) for every NAME.gold.json of `gold_dir`, sorted by name."""
    if not gold_dir.is_dir():
        raise InputError(f"no such gold folder: {gold_dir}")
    pairs = []
    for path in sorted(gold_dir.glob("*" + GOLD_SUFFIX)):
        name = path.name[: -len(GOLD_SUFFIX)]
        text = path.with_name(f"{name}.txt")
        if not text.is_file():
            raise InputError(f"{path}: its article {text.name} is missing")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: cannot read gold annotation ({' '.join(str(exc).split())})") from None
        pairs.append((name, text, parse_gold(data, str(path))))
    if not pairs:
        raise InputError(f"{gold_dir}: no *{GOLD_SUFFIX} files")
    return pairs


# --- matching (score.py's score_file) -------------------------------------------------------------------


def _key(p: str, s: str, o: str) -> tuple:
    return (p, frozenset((s, o))) if p in SYMMETRIC_PREDICATES else (p, s, o)


def score_article(gold: Gold, pred: Predicted, name: str = "", show_errors: bool = False) -> ArticleScore:
    """Score one article exactly as score.py does."""
    alias: dict[str, str] = {}  # normalised surface form -> canonical gold name; the first entity wins
    for e in gold.entities:
        for form in (e.name, *e.aliases):
            alias.setdefault(norm(form), e.name)
    generic = {e.name for e in gold.entities if e.generic}

    def gold_names(iri: str) -> set[str]:
        return {alias[label] for label in pred.labels.get(iri, ()) if label in alias}

    want: dict[tuple, GoldRelation] = {}  # key -> first gold relation giving it (for its evidence)
    for r in gold.relations:
        if r.generic or r.s in generic or r.o in generic:
            continue
        want.setdefault(_key(r.p, r.s, ANY_QUOTE if r.p == STATEMENT else r.o), r)

    tp, fp, fn = (defaultdict[str, int](int) for _ in range(3))
    errors: list[ErrorItem] = []
    matched: set[tuple] = set()
    seen_wrong: set[tuple] = set()
    for t in sorted(pred.triples, key=lambda t: (t.subject, t.predicate, t.object)):
        p, subs = t.predicate, gold_names(t.subject)
        if p == STATEMENT:
            objs = {ANY_QUOTE}
        elif p in DATE_PREDICATES:
            objs = {t.object}
        else:
            objs = gold_names(t.object) if t.object_is_iri else set()
        cands = {_key(p, a, b) for a in subs for b in objs}
        if p in DATE_PREDICATES:  # a day-precise prediction matches a month-only gold date
            cands |= {_key(p, a, t.object[:7]) for a in subs}
        if subs & generic or objs & generic:
            continue  # about a generic entity: not scored either way
        hit = cands & want.keys()
        if hit:
            k = sorted(hit, key=str)[0]
            if k not in matched:  # else a duplicate of an already-counted prediction
                matched.add(k)
                tp[p] += 1
            continue
        sig = (p, frozenset(cands))
        if cands and sig in seen_wrong:
            continue
        if cands:
            seen_wrong.add(sig)
        fp[p] += 1
        if show_errors:
            errors.append(ErrorItem(name, "spurious", p, t.subject_name or t.subject,
                                    t.object_name or t.object, t.evidence))
    for k, r in want.items():
        if k not in matched:
            fn[k[0]] += 1
            if show_errors:
                errors.append(ErrorItem(name, "missed", r.p, r.s, r.o, r.evidence))
    if show_errors:
        errors += _entity_errors(gold, pred, set(alias), name)
    return ArticleScore(tp, fp, fn, _entity_counts(gold, pred, set(alias)), tuple(errors))


def _entity_counts(gold: Gold, pred: Predicted, forms_of_gold: set[str]) -> EntityCounts:
    named = [e for e in gold.entities if not e.generic]
    found_any = found_typed = 0
    for e in named:
        forms = {norm(f) for f in (e.name, *e.aliases)}
        iris = [i for i, labels in pred.labels.items() if labels & forms]
        if iris:
            found_any += 1
            found_typed += any(e.type in pred.types.get(i, ()) for i in iris)
    typed = [i for i, ts in pred.types.items() if ts & set(ENTITY_CLASSES)]
    correct = sum(1 for i in typed if pred.labels.get(i, frozenset()) & forms_of_gold)
    return EntityCounts(len(named), found_any, found_typed, len(typed), correct)


def _entity_errors(gold: Gold, pred: Predicted, forms_of_gold: set[str], article: str) -> list[ErrorItem]:
    """Named gold entities not found or found with another class, and typed entities the gold does not name."""
    out: list[ErrorItem] = []
    for e in (e for e in gold.entities if not e.generic):
        forms = {norm(f) for f in (e.name, *e.aliases)}
        iris = [i for i, labels in pred.labels.items() if labels & forms]
        if not iris:
            out.append(ErrorItem(article, "missed", "entity", e.name, e.type, ""))
        elif not any(e.type in pred.types.get(i, ()) for i in iris):
            found = sorted({t for i in iris for t in pred.types.get(i, ()) if t in ENTITY_CLASSES})
            out.append(ErrorItem(article, "mistyped", "entity", e.name, e.type,
                                 f"predicted {', '.join(found) or 'no class'}"))
    for i, types in sorted(pred.types.items()):
        classes = sorted(types & set(ENTITY_CLASSES))
        if classes and not pred.labels.get(i, frozenset()) & forms_of_gold:
            out.append(ErrorItem(article, "spurious", "entity", pred.names.get(i, i), ", ".join(classes), ""))
    return out


# --- reading back what the extractor stores -------------------------------------------------------------


def summarise(scores: Sequence[tuple[str, ArticleScore]], problems: Sequence[str] = ()) -> EvalReport:
    """Sum article scores per group; a group with no relation and no gold entity is left out (as score.py)."""
    groups = []
    for grp in GROUPS:
        mine = [s for name, s in scores if (GROUPS[0] if name.startswith(SEED_PREFIX) else GROUPS[1]) == grp]
        counts = {p: tuple(sum(getattr(s, part).get(p, 0) for s in mine) for part in ("tp", "fp", "fn"))
                  for p in PREDICATES}
        total = tuple(sum(c[i] for c in counts.values()) for i in range(3))
        entities = sum((s.entities for s in mine), EntityCounts())
        if not any(total) and not entities.gold:
            continue
        scored = [s.events for s in mine if s.events is not None]
        groups.append(GroupReport(grp, {p: score_of(*c) for p, c in counts.items()}, score_of(*total), entities,
                                  sum(scored, EventCounts()) if scored else None))
    errors = tuple(e for _, s in scores for e in s.errors)
    return EvalReport(tuple(groups), tuple(name for name, _ in scores), errors, tuple(problems))
