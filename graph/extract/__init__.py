"""Relation and entity extraction over spaCy documents (spaCy only: no rdflib here).

Public entry points:
- `extract_doc(doc, article, kb)`: one parsed article to an Extraction.
- `extract_articles(articles, nlp, batch_size, n_process)`: stream of Extractions, one nlp.pipe over all.

Every relation carries the name of the rule that produced it (Evidence.rule), so a wrong triple traces to one
small function in affiliation, events, quotes, roles or strikes.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from spacy.language import Language
from spacy.tokens import Doc

from graph.extract.affiliation import extract_affiliations
from graph.extract.context import Ctx, quote_spans
from graph.extract.disputes import find_events
from graph.extract.doccache import doc_text
from graph.extract.events import agreements, at_the_table, note_dispute, note_lockout, offers, talks
from graph.extract.frames import fill_sides
from graph.extract.hints import Labeller, apply_domain_hints
from graph.extract.lexicon import load_lexicon
from graph.extract.members import extract_members
from graph.extract.quotes import attribute_quotes, dash_quote_spans
from graph.extract.resolve import find_entities
from graph.extract.roles import extract_leads
from graph.extract.strikes import extract_strikes
from graph.model import SYMMETRIC_PREDICATES, Article, Entity, Extraction, Relation
from graph.nlp import domain_labeller

KB_META_KEY = "newsgraph_kb"  # nlp.meta[KB_META_KEY]: {iri: [canonical name, class]}


def _in_quote_tokens(doc: Doc, spans: list[tuple[int, int]]) -> frozenset[int]:
    inside: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            inside.update(range(span.start, span.end))
    return frozenset(inside)


def _relations(ctx: Ctx) -> Iterator[Relation]:
    leads = list(extract_leads(ctx))
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
        yield from offers(ctx, sent)
        note_lockout(ctx, sent)
        note_dispute(ctx, sent)


def _dedupe(relations: Iterable[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object), the most confident first found; no self-loops."""
    best: dict[tuple, Relation] = {}
    for rel in relations:
        if rel.subject == rel.object:
            continue
        key = (rel.predicate, *sorted((rel.subject, str(rel.object)))) if rel.predicate in \
            SYMMETRIC_PREDICATES else (rel.predicate, rel.subject, str(rel.object))
        if key not in best or rel.evidence.confidence > best[key].evidence.confidence:
            best[key] = rel
    return list(best.values())


def _retype_from_relations(table, relations: list[Relation]) -> None:
    """A union is an affiliate of unions: a federation a union belongs to is a union too, whatever its name
    suggested ('National Maritime Federation')."""
    for rel in relations:
        if rel.predicate != "memberOf" or not isinstance(rel.object, str):
            continue
        member, group = table.entities.get(rel.subject), table.entities.get(rel.object)
        if member and group and member.cls == "LaborUnion" and group.cls == "EmployerAssociation" \
                and not group.kb_id:
            group.cls = "LaborUnion"


def extract_doc(doc: Doc, article: Article, kb: Mapping[str, tuple[str, str]] | None = None,
                labeller: Labeller | None = None) -> Extraction:
    """Extract entities, relations, quotes and dispute events of one parsed article; `labeller`
    (graph.nlp.domain_labeller) types the names nothing else typed."""
    lex = load_lexicon()
    marked = quote_spans(doc_text(doc))
    in_quote = _in_quote_tokens(doc, marked)
    # Speech set out by a dash line is attributed like a quotation, but its facts are read as the reporter's:
    # without quote marks the parser and the rules see plain sentences.
    spans = sorted(marked + dash_quote_spans(doc, lex, marked))
    table = find_entities(doc, lex, kb or {}, in_quote)
    if labeller is not None:
        apply_domain_hints(doc, table, labeller)
    ctx = Ctx(doc=doc, article=article, lex=lex, table=table, quotes=spans, in_quote=in_quote)
    quotes = list(attribute_quotes(ctx))
    relations = _dedupe(fill_sides(ctx, list(_relations(ctx))))
    _retype_from_relations(table, relations)
    relations, events = find_events(ctx, relations)  # strikes, talks and agreements as events
    entities = [Entity(name=e.name, cls=e.cls, labels=frozenset(e.labels | {e.name}), kb_id=e.kb_id)
                for e in table.entities.values()]
    return Extraction(article=article, entities=entities, relations=relations, quotes=quotes, events=events)


def extract_articles(
    articles: Iterable[Article], nlp: Language, batch_size: int = 32, n_process: int = 1
) -> Iterator[Extraction]:
    """Parse articles with one nlp.pipe call and extract each, in input order."""
    kb = {iri: tuple(v) for iri, v in nlp.meta.get(KB_META_KEY, {}).items()}
    labeller = domain_labeller(nlp)
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield extract_doc(doc, article, kb, labeller)
