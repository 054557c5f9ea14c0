"""Score the extractor against gold annotations, by exactly the rules of the official scorer (dev/score.py).

A gold folder holds NAME.gold.json files, each with its article NAME.txt beside it. Every article is
extracted with one spaCy pipeline, written to its own throwaway store and read back with the scorer's own
SPARQL queries, so what is scored is what `newsgraph build` would store. Matching mirrors score.py rule for
rule (graph.evaluate.scoring); keep the two in step, a test compares their figures on the dev set. graph.evaluate.report
formats the report.
"""
from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from spacy.language import Language

from graph.errors import InputError
from graph.evaluate.events import article_events
from graph.evaluate.scoring import (
    PREDICATES,
    ArticleScore,
    EvalReport,
    Predicted,
    PredictedTriple,
    gold_pairs,
    norm,
    score_article,
    summarise,
)
from graph.extract.extractor import extract_articles
from graph.extract.nlp import load_pipeline
from graph.model import Extraction
from graph.rdf.build import build_graph
from graph.rdf.iri import doc_iri
from graph.rdf.kb import load_kb
from graph.rdf.vocab import NG_URI
from graph.sources.readers import read_sources
from graph.store.embedded import StoreHandle, open_store, query, write_articles

# The NER an evaluation runs with: the shipped one (the model's, with domain hints), the model's alone, or the
# fine-tuned one of graph/resources/ner in its place.
NER_CHOICES = ("default", "model", "domain")

_RDFS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
_RDF = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
_NG = f"PREFIX ng: <{NG_URI}> "
# The three queries of score.py, verbatim.
_VALUES = " ".join("ng:" + p for p in PREDICATES)
Q_REL = _NG + "SELECT ?s ?p ?o WHERE { ?s ?p ?o . VALUES ?p { " + _VALUES + " } }"
Q_LAB = (_RDFS + "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
         "SELECT ?e ?l WHERE { ?e rdfs:label|skos:altLabel ?l }")
Q_TYP = "SELECT ?e ?t WHERE { ?e a ?t }"
# For the error list only: readable names and the sentence each stored triple came from.
Q_NAME = _RDFS + _NG + "SELECT ?e ?n WHERE { { ?e rdfs:label ?n } UNION { ?e ng:quoteText ?n } }"
Q_EVID = (_RDF + _NG + "SELECT ?s ?p ?o ?x ?c WHERE { ?v a ng:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; "
          "rdf:object ?o ; ng:sentence ?x ; ng:startChar ?c }")


# --- reading back what the extractor stores -------------------------------------------------------------


def _bindings(store: StoreHandle, sparql: str) -> list[dict]:
    return json.loads(query(store, sparql, "json"))["results"]["bindings"]


def stored_prediction(extraction: Extraction, where: Path) -> Predicted:
    """Write one article's graph to a fresh store at `where` and read it back with the scorer's queries."""
    store = open_store(where)
    write_articles(store, [(doc_iri(extraction.article.id), build_graph(extraction))])
    labels: dict[str, set[str]] = defaultdict(set)
    for b in _bindings(store, Q_LAB):
        labels[b["e"]["value"]].add(norm(b["l"]["value"]))
    types: dict[str, set[str]] = defaultdict(set)
    for b in _bindings(store, Q_TYP):
        if b["t"]["value"].startswith(NG_URI):
            types[b["e"]["value"]].add(b["t"]["value"][len(NG_URI):])
    names: dict[str, str] = {}
    for b in sorted(_bindings(store, Q_NAME), key=lambda b: b["n"]["value"]):
        names.setdefault(b["e"]["value"], b["n"]["value"])
    sentences: dict[tuple[str, str, str], str] = {}
    for b in sorted(_bindings(store, Q_EVID), key=lambda b: int(b["c"]["value"])):
        sentences.setdefault((b["s"]["value"], b["p"]["value"], b["o"]["value"]), b["x"]["value"])
    triples = []
    for b in _bindings(store, Q_REL):
        s, p, o = b["s"]["value"], b["p"]["value"], b["o"]["value"]
        triples.append(PredictedTriple(s, p[len(NG_URI):], o, b["o"]["type"] == "uri", names.get(s, ""),
                                       names.get(o, ""), sentences.get((s, p, o), "")))
    del store  # pyoxigraph releases the store when the last reference goes
    return Predicted(tuple(triples), {i: frozenset(v) for i, v in labels.items()},
                     {i: frozenset(v) for i, v in types.items()}, names)


def evaluate(gold_dir: Path, model: str | None = None, show_errors: bool = False,
             nlp: Language | None = None, ner: str = "default") -> EvalReport:
    """Extract and score every NAME.gold.json/NAME.txt pair of `gold_dir` (one pipeline for all of them).

    `ner` picks the entity recogniser: "default" is the shipped one (the model's NER, with the fine-tuned NER
    of graph/resources/ner asked about names nothing else typed), "model" the model's NER alone, "domain" the
    fine-tuned NER in place of the model's (the experiment of training/ner), to compare them on the same gold.
    """
    if ner not in NER_CHOICES:
        raise InputError(f"unknown NER {ner!r}: choose one of {', '.join(NER_CHOICES)}")
    if ner != "default" and nlp is not None:
        raise InputError("pass a pipeline or a NER to swap in, not both (the swap would change the pipeline given)")
    pairs = gold_pairs(Path(gold_dir))
    problems: list[str] = []  # warnings about an article still read (a malformed date header, bad UTF-8)
    articles = list(read_sources([str(path) for _, path, _ in pairs], on_problem=problems.append))
    if len(articles) != len(pairs):
        raise InputError(f"{gold_dir}: {len(pairs) - len(articles)} article(s) could not be read: {problems}")
    nlp = nlp if nlp is not None else load_pipeline(model, load_kb(), domain_hints=ner == "default")
    if ner == "domain":
        from graph.extract.ner_training import use_domain_ner  # spaCy training machinery only when asked for

        nlp = use_domain_ner(nlp)
    scores: list[tuple[str, ArticleScore]] = []
    with tempfile.TemporaryDirectory(prefix="newsgraph-eval-") as tmp:
        extractions = extract_articles(articles, nlp)
        for i, ((name, _, gold), extraction) in enumerate(zip(pairs, extractions, strict=True)):
            pred = stored_prediction(extraction, Path(tmp) / f"store-{i}")
            events = article_events(gold.events, gold.entities, extraction, pred.labels, pred.names, name, show_errors)
            scores.append((name, replace(score_article(gold, pred, name, show_errors), events=events)))
    return summarise(scores, problems)
