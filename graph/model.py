"""Plain data passed between the stages: articles in, entities, relations, quotes and dispute events out.

Nothing here knows about spaCy or rdflib, so every stage can import it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

# The eight relation predicates, by their local name in the ng: namespace.
ENTITY_PREDICATES = ("negotiatesWith", "reachesAgreementWith", "leads", "memberOf", "represents")
DATE_PREDICATES = ("onStrikeSince", "strikeEndedOn")
SYMMETRIC_PREDICATES = frozenset({"negotiatesWith", "reachesAgreementWith"})

# Entity classes, by their local name in the ng: namespace.
ENTITY_CLASSES = (
    "LaborUnion", "EmployerAssociation", "Company", "Person", "GovernmentOrganization",
    "Place", "MediaOutlet", "Group", "Committee",
)
ORGANIZATION_CLASSES = frozenset(
    {"LaborUnion", "EmployerAssociation", "Company", "GovernmentOrganization", "MediaOutlet", "Committee"}
)
# Events of a labor dispute, by their local name in the ng: namespace (each belongs to an ng:Dispute).
EVENT_CLASSES = ("Strike", "Negotiation", "Agreement")


@dataclass(frozen=True)
class Article:
    """One input article. `id` is stable for the same source and text."""

    id: str
    text: str
    date: date | None = None
    title: str | None = None
    url: str | None = None
    source: str = "<memory>"  # where it came from: path, path:line, or <stdin>


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the day, or only to the month (day is None)."""

    year: int
    month: int
    day: int | None = None

    def iso(self) -> str:
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def to_date(self) -> date | None:
        return date(self.year, self.month, self.day) if self.day is not None else None


@dataclass(frozen=True)
class Evidence:
    """Where an extracted fact comes from: the sentence, its character span in the article, the rule."""

    sentence: str
    start: int
    end: int
    rule: str
    confidence: float = 0.8


@dataclass(frozen=True)
class Entity:
    """An entity of one article. `name` is canonical and is the key relations refer to."""

    name: str
    cls: str  # one of ENTITY_CLASSES
    labels: frozenset[str] = frozenset()  # every surface form seen, canonical name included
    kb_id: str | None = None  # IRI from the knowledge base, when the entity is a known one


@dataclass(frozen=True)
class Relation:
    """subject --predicate--> object. Entity objects are entity names; date objects are PartialDate."""

    subject: str
    predicate: str
    object: str | PartialDate
    evidence: Evidence


@dataclass(frozen=True)
class Quote:
    """A direct quotation attributed to an entity."""

    speaker: str
    text: str
    evidence: Evidence


@dataclass(frozen=True)
class EventFact:
    """One fact of a dispute event and where it comes from: `prop` is the ng: property it gives ("startDate",
    "employerSide", "workersInvolved", ...; "type" for a mention of the event itself), `value` its value as
    written (an entity name, an ISO date, a number; "" for a mention)."""

    prop: str
    value: str
    evidence: Evidence


@dataclass(frozen=True)
class DisputeEvent:
    """A strike, talks or an agreement of one article: the union and employer sides (entity names), its first
    and last day, place and number of workers when stated, the year of the dispute it belongs to (events of
    the same sides and year are one dispute, across articles too) and the contract at stake."""

    kind: str  # one of EVENT_CLASSES
    union: str
    employers: tuple[str, ...] = ()
    year: int | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    place: str | None = None
    workers: int | None = None
    contract: str | None = None
    facts: tuple[EventFact, ...] = ()

    def shifted(self, offset: int) -> DisputeEvent:
        """The event with its evidence `offset` characters on (a chunk's extraction merged into its article's)."""
        return replace(self, facts=tuple(replace(f, evidence=replace(
            f.evidence, start=f.evidence.start + offset, end=f.evidence.end + offset)) for f in self.facts))


@dataclass
class Extraction:
    """Everything extracted from one article."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[DisputeEvent] = field(default_factory=list)


@dataclass(frozen=True)
class KnownEntity:
    """An entry of the knowledge base (ontologies/kb.ttl): an identity only, never a relation."""

    iri: str
    name: str
    cls: str  # one of ENTITY_CLASSES
    aliases: tuple[str, ...] = ()
