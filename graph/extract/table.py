"""The entity table of one document: entities by canonical name, their mentions, and the lookups rules use.

Named spans are added in text order, so a surname ("Bass") or an acronym ("NRWU") resolves to the full name
seen before it, and a common noun ("the union", "the alliance") to the most recent entity whose name holds the
noun or, failing that, whose class the noun names.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from spacy.tokens import Doc

from graph.extract.entities import DocEntity, Mention, acronym, norm_key
from graph.extract.lexicon import Lexicon
from graph.model import ORGANIZATION_CLASSES

DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their", "our", "his", "her"})
PRONOUNS_ORG = frozenset({"it", "its", "they", "their", "them"})


FIRST_MENTION_BONUS = 3  # in mention weights (a subject mention weighs 2)


def _is_subject(doc: Doc | None, start: int, end: int) -> bool:
    """Whether a mention is a clause subject, or owns one ("the guild's board voted")."""
    if doc is None:
        return False
    root = doc[start:end].root
    while root.dep_ in ("poss", "compound") and root.head.i != root.i:
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass")


@dataclass
class EntityTable:
    lex: Lexicon
    doc_tokens: Doc | None = None
    entities: dict[str, DocEntity] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    tok2mention: dict[int, Mention] = field(default_factory=dict)

    def add(self, start: int, end: int, surface: str, cls: str, name: str | None = None,
            kb_id: str | None = None) -> str:
        """Record a mention; merge it with an entity of the same key, surname or acronym."""
        name = name or self.lookup(surface, cls) or surface
        ent = self.entities.get(name)
        if ent is None:
            ent = self.entities[name] = DocEntity(name=name, cls=cls, kb_id=kb_id)
        elif ent.cls in ("Person", "Place") and cls in ORGANIZATION_CLASSES and not ent.kb_id:
            ent.cls = cls  # "Meridian Freight's chief executive" shows the NER's person was a company
        elif {ent.cls, cls} == {"Person", "Place"} and not ent.kb_id and " " not in name.strip() \
                and norm_key(surface) == norm_key(name):
            ent.cls, ent.mixed = "Company", True  # "the strike at Petrobras", "talks with Petrobras": a place here,
            # a person there (unless a mention is where something is: graph.extract.retype)
        elif ent.cls == "Company" and cls == "Place" and not ent.kb_id and norm_key(surface) == norm_key(name):
            ent.cls = cls  # "Halvern Mayor Lucia Brandt" shows the NER's company was a town
        elif ent.cls == "Company" and cls in ORGANIZATION_CLASSES and not ent.kb_id and not ent.confirmed \
                and norm_key(surface) == norm_key(name) and all(norm_key(label) != norm_key(name)
                                                                for label in ent.labels):
            # "a deal with PALPA" before "the Pilots Association (PALPA)": the short form's guess gives way to
            # what the long name says
            ent.cls = cls
        ent.labels.add(surface)
        for form in (surface, name):
            self.keys.setdefault(norm_key(form), name)
        if cls != "Person" and acronym(name):
            self.keys.setdefault(norm_key(acronym(name)), name)
        mention = Mention(start, end, name, subject=_is_subject(self.doc_tokens, start, end))
        self.mentions.append(mention)
        for i in range(start, end):
            self.tok2mention[i] = mention
        return name

    def drop_mention(self, mention: Mention, keys_to: str | None = None) -> None:
        """Take `mention` out (another mention now covers its tokens); an entity left with no mention is forgotten,
        the keys that found it then finding `keys_to` instead (or nothing)."""
        self.mentions.remove(mention)
        if mention.name == keys_to or any(m.name == mention.name for m in self.mentions):
            return
        del self.entities[mention.name]
        for key in [k for k, v in self.keys.items() if v == mention.name]:
            if keys_to is None:
                del self.keys[key]
            else:
                self.keys[key] = keys_to

    def lookup(self, surface: str, cls: str) -> str | None:
        key = norm_key(surface)
        if key in self.keys:
            return self.keys[key]
        if cls != "Person" and key:  # "Montefiore" after "Montefiore Medical Center"
            for name, ent in self.entities.items():
                words = norm_key(name).split()
                if ent.cls == "Company" and not ent.kb_id and len(words) > len(key.split()) \
                        and words[:len(key.split())] == key.split():
                    return name
        if cls == "Person" and " " not in key:  # a surname of a person named in full before
            for name, ent in self.entities.items():
                if ent.cls == "Person" and norm_key(name).split()[-1:] == [key]:
                    return name
            # "Na Sun-ja ... Na said": a family name first, before a hyphenated given name (Korean, Chinese)
            for name, ent in self.entities.items():
                words = name.split()
                if ent.cls == "Person" and len(words) == 2 and "-" in words[1] and norm_key(words[0]) == key:
                    return name
        return None

    def before(self, pos: int) -> Iterator[DocEntity]:
        """Entities mentioned before token `pos`, most recent first."""
        seen: set[str] = set()
        for m in reversed(self.mentions):
            if m.start < pos and m.name not in seen:
                seen.add(m.name)
                yield self.entities[m.name]

    def most_recent(self, pos: int, classes: frozenset[str] | set[str]) -> str | None:
        return next((e.name for e in self.before(pos) if e.cls in classes), None)

    def the_only(self, classes: frozenset[str] | set[str]) -> str | None:
        """The one entity of the document in `classes`, if there is exactly one ('a company spokesperson')."""
        found = [e.name for e in self.entities.values() if e.cls in classes]
        return found[0] if len(found) == 1 else None

    def resolve_nominal(self, phrase: str, pos: int) -> str | None:
        """'the alliance' -> the latest entity named '... Alliance', else the latest of the class it names."""
        head = phrase.split()[-1]
        cls = self.lex.nominal_classes().get(phrase) or self.lex.nominal_classes().get(head)
        # Before `pos` first; a headline or lede may say "their union" before naming it, so then the whole text.
        whole = len(self.doc_tokens) if self.doc_tokens is not None and cls == "LaborUnion" else pos
        for limit in (pos, whole):
            named = {e.name for e in self.before(limit)
                     if e.cls != "Person" and head in norm_key(e.name).split()}
            if named:
                return self.most_salient(limit, partial(_named_in, frozenset(named)))
            # "the district", "the board", "the city" name one body each: with no name holding the word, guessing
            # another government body by class would misattribute (a school district is not a transit authority)
            if cls and cls != "GovernmentOrganization" and (
                    found := self.most_salient(limit, partial(_of_class, cls))):
                return found
        return None

    def most_salient(self, pos: int, accept: Callable[[DocEntity], bool]) -> str | None:
        """The entity of a class that the text is about so far: most mentions, subjects counting twice,
        the most recent winning ties. "the union" after "the Pilots Union's board voted to strike, joining
        the Glass Workers Union" is the Pilots Union, not the union named last."""
        score: dict[str, tuple[int, int]] = {}
        first: tuple[int, str] | None = None
        for m in self.mentions:
            if m.start >= pos or not accept(self.entities[m.name]):
                continue
            weight = 2 if m.subject else 1
            old = score.get(m.name, (0, 0))
            score[m.name] = (old[0] + weight, max(old[1], m.start))
            first = min(first, (m.start, m.name)) if first else (m.start, m.name)
        if first is not None and self.entities[first[1]].cls == "LaborUnion":
            # The union named first is what the story is about ("the Ledger-Herald Guild, a unit of the Newspaper
            # Workers Guild of America": "the guild" is the unit, however often its parent is named).
            count, last = score[first[1]]
            score[first[1]] = (count + FIRST_MENTION_BONUS, last)
        return max(score, key=lambda n: score[n]) if score else None


def _named_in(names: frozenset[str], entity: DocEntity) -> bool:
    return entity.name in names


def _of_class(cls: str, entity: DocEntity) -> bool:
    return entity.cls == cls
