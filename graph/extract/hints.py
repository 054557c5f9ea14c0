"""Classes from the domain NER for names that nothing else typed.

After the knowledge base, the words of a name and its context have had their say, some organisations are still
a Company only by default ('FNV', 'Sitcpla', 'Cargo Haulers'). For those, and only those, the fine-tuned NER of
graph/resources/ner (see training/ner/MODEL_CARD.md) is asked what the name is, on the words around its first
mention in its sentence. It is not asked for places: the small model and the dateline rules do better there,
and a wrong place takes an organisation out of every relation.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc

from graph.extract.doccache import doc_tokens
from graph.extract.entities import DocEntity
from graph.extract.retype import lists_with_unions
from graph.extract.span_labels import before_its_leader
from graph.extract.table import EntityTable
from graph.extract.union_deeds import is_guessed

# runs of (words, spaces) -> for each run, (start, end, label) of the entities the domain NER finds in it
Labeller = Callable[[list[tuple[list[str], list[bool]]]], list[list[tuple[int, int, str]]]]
HINT_CLASSES = frozenset({"LaborUnion", "EmployerAssociation", "GovernmentOrganization", "MediaOutlet", "Person"})
WINDOW = 8  # tokens each side of a mention: the NER's convolutions see four tokens either way per layer
# Mentions asked per name: the first is enough. A second one doubled the NER's work (about 6% of a build's time
# against 3%) and changed no relation on any gold set (typed recall moved by one entity, up, on two of them).
MENTIONS = 1


@dataclass(frozen=True)
class HintRequest:
    """What one document asks the domain NER: runs of words around the first mention of each untyped name."""

    names: list[str]  # the names asked about
    asked: list[tuple[str, int, int]]  # name, mention start and end (document tokens)
    runs: list[tuple[int, int]]  # token spans read by the NER
    words: list[tuple[list[str], list[bool]]]  # the runs' (words, spaces), as the labeller takes them


def hint_request(doc: Doc, table: EntityTable) -> HintRequest:
    """The runs of words to read for the names of the document nothing else typed (see apply_hints)."""
    names = [n for n, e in table.entities.items() if is_guessed(e, table.lex)]
    wanted = set(names)
    asked: list[tuple[str, int, int]] = []
    windows: list[tuple[int, int]] = []
    counted: Counter[str] = Counter()
    for m in table.mentions:
        if m.name not in wanted or counted[m.name] >= MENTIONS:
            continue
        counted[m.name] += 1
        sent = doc[m.start].sent
        asked.append((m.name, m.start, m.end))
        windows.append((max(sent.start, m.start - WINDOW), min(sent.end, m.end + WINDOW)))
    # Windows that overlap (two names of one sentence) are read as one run: the NER's cost is per token.
    runs: list[tuple[int, int]] = []
    for a, b in sorted(windows):
        if runs and a < runs[-1][1]:
            runs[-1] = (runs[-1][0], max(b, runs[-1][1]))
        else:
            runs.append((a, b))
    tokens = doc_tokens(doc)
    words = [([t.text for t in tokens[a:b]], [bool(t.whitespace_) for t in tokens[a:b]]) for a, b in runs]
    return HintRequest(names=names, asked=asked, runs=runs, words=words)


def apply_hints(doc: Doc, table: EntityTable, request: HintRequest, found: list[list[tuple[int, int, str]]]
                ) -> None:
    """Retype the untyped names by the labels `found` in the request's runs (one list per run)."""
    votes = _votes(request, found)
    for group in _lists(doc, table):
        if any(not is_guessed(e, table.lex) and e.cls != "Person" for e in group):
            # 'ABC, CBS, FOX and NBC': a name listed beside one whose class is known is left to the list rules,
            # which know more than a statistical guess that tends to read capitals as a union
            for e in group:
                votes.pop(e.name, None)
            continue
        # names listed together are of one kind: they share their votes ('the CSN, CSQ, APTS and FTQ')
        pooled: Counter[str] = sum((votes.get(e.name, Counter()) for e in group), Counter())
        for e in group:
            if e.name in votes:
                votes[e.name] = pooled
    led = {m.name for m in table.mentions if before_its_leader(doc, m.end, table.lex)}
    for name, counts in votes.items():
        ranked = counts.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) and ranked[0][0] in HINT_CLASSES and not (
                name in led and ranked[0][0] in ("Person", "Place")):  # 'Verdi boss Frank Werneke'
            table.entities[name].cls = ranked[0][0]
    lists_with_unions(doc, table)  # a list the hints made half unions is all unions


def _votes(request: HintRequest, found: list[list[tuple[int, int, str]]]) -> dict[str, Counter[str]]:
    """The labels the domain NER gave the asked mentions of each name."""
    entities = [(a + s, a + e, label) for (a, _), ents in zip(request.runs, found, strict=True)
                for s, e, label in ents]
    votes: dict[str, Counter[str]] = {name: Counter() for name in request.names}
    for name, ms, me in request.asked:
        for s, e, label in entities:
            if s < me and e > ms:  # the entity found overlaps the mention
                votes[name][label] += 1
    return votes


def _lists(doc: Doc, table: EntityTable) -> list[list[DocEntity]]:
    """The entities of each list of two or more names ('A, B and C')."""
    out: list[list[DocEntity]] = []
    seen: set[int] = set()
    for tok in doc_tokens(doc):
        if tok.dep_ != "conj" or tok.i in seen:
            continue
        root = tok
        while root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
        group = [t for t in root.subtree if t.dep_ == "conj" or t.i == root.i]
        seen.update(t.i for t in group)
        names = list(dict.fromkeys(m.name for t in group if (m := table.tok2mention.get(t.i)) is not None))
        if len(names) >= 2:
            out.append([table.entities[n] for n in names])
    return out
