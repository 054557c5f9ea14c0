"""The extractor: one parsed article to an Extraction, and a stream of articles through one nlp.pipe.

- `extract_doc(doc, article, kb)`: one parsed article to an Extraction.
- `extract_articles(articles, nlp, batch_size, n_process)`: stream of Extractions, one nlp.pipe over all.

It finds the entities (graph.extract.resolve), attributes the quotations, runs the relation rules, fills the
sides a sentence leaves unnamed (graph.extract.frames) and reads the dispute events (graph.extract.disputes).
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from graph.extract.affiliation import extract_affiliations
from graph.extract.agreements import agreement_not_reached, agreements, offers
from graph.extract.context import Ctx
from graph.extract.disputes import find_events
from graph.extract.doccache import doc_text, known_text
from graph.extract.events import at_the_table, talks
from graph.extract.frames import fill_sides, note_dispute, note_lockout
from graph.extract.hints import HintRequest, Labeller, apply_hints, hint_request
from graph.extract.leader_lists import extract_listed_leads
from graph.extract.lexicon import load_lexicon
from graph.extract.members import extract_members
from graph.extract.nlp import domain_labeller, mend_marks, unwrap_lines
from graph.extract.quote_marks import dash_quote_spans, quote_spans
from graph.extract.quotes import attribute_quotes
from graph.extract.resolve import find_entities
from graph.extract.roles import extract_leads
from graph.extract.strikes import extract_strikes
from graph.extract.table import EntityTable
from graph.model import SYMMETRIC_PREDICATES, Article, Entity, Extraction, Relation

KB_META_KEY = "newsgraph_kb"  # nlp.meta[KB_META_KEY]: {iri: [canonical name, class]}


def _in_quote_tokens(doc: Doc, spans: list[tuple[int, int]]) -> frozenset[int]:
    inside: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            inside.update(range(span.start, span.end))
    return frozenset(inside)


def _relations(ctx: Ctx) -> Iterator[Relation]:
    leads = list(extract_leads(ctx)) + list(extract_listed_leads(ctx))
    for rel in leads:
        if isinstance(rel.object, str) and rel.predicate == "leads" and ctx.cls(rel.object) != "Place":
            # a mayor's talks are the city government's, but not a place's: no party stands for a place
            ctx.affiliation.setdefault(rel.subject, rel.object)
    yield from leads
    yield from extract_affiliations(ctx)
    yield from extract_members(ctx)
    yield from extract_strikes(ctx)
    for sent in ctx.sentences():
        yield from talks(ctx, sent)
        yield from at_the_table(ctx, sent)
        yield from agreements(ctx, sent)
        yield from agreement_not_reached(ctx, sent)
        yield from offers(ctx, sent)
        note_lockout(ctx, sent)
        note_dispute(ctx, sent)


def _dedupe(relations: Iterable[Relation], classes: Mapping[str, str]) -> list[Relation]:
    """One relation per (subject, predicate, object), the most confident first found; no self-loops, also none
    between a name and a longer form of it ('Brightline' and 'Brightline Glass Works' are one side of any talks),
    unless only the longer is a union ('Toyota' and the 'Toyota Motor Workers Union' are the two sides)."""
    best: dict[tuple, Relation] = {}
    for rel in relations:
        if rel.subject == rel.object or rel.predicate in SYMMETRIC_PREDICATES and _same_name(
                rel.subject, str(rel.object)) and not _union_named_after(rel.subject, str(rel.object), classes):
            continue
        key = (rel.predicate, *sorted((rel.subject, str(rel.object)))) if rel.predicate in \
            SYMMETRIC_PREDICATES else (rel.predicate, rel.subject, str(rel.object))
        if key not in best or rel.evidence.confidence > best[key].evidence.confidence:
            best[key] = rel
    return list(best.values())


def _same_name(a: str, b: str) -> bool:
    """One name is the other's first words ('Brightline', 'Brightline Glass Works')."""
    short, long = sorted((a.split(), b.split()), key=len)
    return long[:len(short)] == short


def _union_named_after(a: str, b: str, classes: Mapping[str, str]) -> bool:
    """Of a name and its longer form, the longer is a union and the shorter is not: a company and the union
    named after it ('Toyota', 'Toyota Motor Workers Union')."""
    short, long = sorted((a, b), key=lambda n: len(n.split()))
    return classes.get(long) == "LaborUnion" and classes.get(short) != "LaborUnion"


def _retype_from_relations(table, relations: list[Relation]) -> None:
    """A union is an affiliate of unions: a federation a union belongs to is a union too, whatever its name
    suggested ('National Maritime Federation')."""
    for rel in relations:
        if rel.predicate != "memberOf" or not isinstance(rel.object, str):
            continue
        member, group = table.entities.get(rel.subject), table.entities.get(rel.object)
        if member and group and member.cls == "LaborUnion" and group.cls == "EmployerAssociation" \
                and not group.kb_id and not set(group.name.lower().split()) & table.lex.words(
                    "typing", "employer_words_in_names"):  # (not "the Federation of Transport Employers")
            group.cls = "LaborUnion"


@dataclass
class _Started:
    """An article read as far as its entities, waiting for the domain NER's answers (see extract_articles)."""

    doc: Doc
    article: Article
    table: EntityTable
    spans: list[tuple[int, int]]
    in_quote: frozenset[int]
    hints: HintRequest | None


def extract_doc(doc: Doc, article: Article, kb: Mapping[str, tuple[str, str]] | None = None,
                labeller: Labeller | None = None) -> Extraction:
    """Extract entities, relations, quotes and dispute events of one parsed article; `labeller`
    (graph.extract.nlp.domain_labeller) types the names nothing else typed."""
    started = _start(doc, article, kb, asks=labeller is not None)
    found = labeller(started.hints.words) if labeller is not None and started.hints and started.hints.words else []
    return _finish(started, found)


def _start(doc: Doc, article: Article, kb: Mapping[str, tuple[str, str]] | None, asks: bool) -> _Started:
    lex = load_lexicon()
    known_text(doc, article.text)  # (extract_articles has recorded the unwrapped text it parsed, which stays)
    marked = quote_spans(doc_text(doc))
    in_quote = _in_quote_tokens(doc, marked)
    # Speech set out by a dash line is attributed like a quotation, but its facts are read as the reporter's:
    # without quote marks the parser and the rules see plain sentences.
    spans = sorted(marked + dash_quote_spans(doc, lex, marked))
    table = find_entities(doc, lex, kb or {}, in_quote)
    return _Started(doc=doc, article=article, table=table, spans=spans, in_quote=in_quote,
                    hints=hint_request(doc, table) if asks else None)


def _finish(started: _Started, found: list[list[tuple[int, int, str]]]) -> Extraction:
    doc, article, table = started.doc, started.article, started.table
    if started.hints is not None:
        apply_hints(doc, table, started.hints, found)
    ctx = Ctx(doc=doc, article=article, lex=table.lex, table=table, quotes=started.spans, in_quote=started.in_quote)
    quotes = list(attribute_quotes(ctx))
    relations = _dedupe(fill_sides(ctx, list(_relations(ctx))), {n: e.cls for n, e in table.entities.items()})
    _retype_from_relations(table, relations)
    relations, events = find_events(ctx, relations)  # strikes, talks and agreements as events
    entities = [Entity(name=e.name, cls=e.cls, labels=frozenset(e.labels | {e.name}), kb_id=e.kb_id)
                for e in table.entities.values()]
    return Extraction(article=article, entities=entities, relations=relations, quotes=quotes, events=events)


def extract_articles(
    articles: Iterable[Article], nlp: Language, batch_size: int = 32, n_process: int = 1
) -> Iterator[Extraction]:
    """Parse articles with one nlp.pipe call and extract each, in input order.

    The domain NER is asked once per batch of `batch_size` articles, about the names of all of them: its cost per
    call is high for the few words one article asks about.
    """
    kb = {iri: tuple(v) for iri, v in nlp.meta.get(KB_META_KEY, {}).items()}
    labeller = domain_labeller(nlp)
    pairs = ((text, (a, text)) for a in articles for text in (mend_marks(unwrap_lines(a.text)),))
    parsed = nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process)
    while batch := list(itertools.islice(parsed, max(1, batch_size))):
        for doc, (_, text) in batch:
            known_text(doc, text)  # the text parsed: hard-wrapped lines unwrapped, marks mended (graph.extract.nlp)
        started = [_start(doc, article, kb, asks=labeller is not None) for doc, (article, _) in batch]
        words = [run for s in started if s.hints for run in s.hints.words]
        answers = iter(labeller(words) if labeller is not None and words else [])
        for s in started:
            found = [next(answers) for _ in s.hints.words] if s.hints else []
            yield _finish(s, found)
