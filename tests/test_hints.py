"""Classes from the domain NER for the names nothing else typed (graph.extract.hints)."""
from __future__ import annotations

from datetime import date

import pytest

from graph.extract.extractor import extract_articles, extract_doc
from graph.extract.hints import MENTIONS, WINDOW
from graph.extract.nlp import domain_labeller, load_pipeline
from graph.model import Article


def _labeller(labels: dict[str, str], calls: list[int] | None = None):
    """A stand-in for the domain NER: labels the words named in `labels`, counts the windows asked."""

    def run(runs):
        if calls is not None:
            calls.append(len(runs))
            calls.append(max((len(words) for words, _ in runs), default=0))
        return [[(i, i + 1, labels[w]) for i, w in enumerate(words) if w in labels] for words, _ in runs]

    return run


def _classes(nlp, kb_index, text: str, labeller) -> dict[str, str]:
    ex = extract_doc(nlp(text), Article(id="t", text=text, date=date(2025, 6, 13)), kb_index, labeller)
    return {e.name: e.cls for e in ex.entities}


def test_hints_type_a_name_nothing_else_typed(nlp, kb_index) -> None:
    text = "Sitpla said its cabin crew would walk out on June 24."
    assert _classes(nlp, kb_index, text, None)["Sitpla"] == "Company"
    assert _classes(nlp, kb_index, text, _labeller({"Sitpla": "LaborUnion"}))["Sitpla"] == "LaborUnion"


@pytest.mark.parametrize("text, name, cls", [
    ("Talks failed between the rail operator Relvo and the unions.", "Relvo", "Company"),  # context says it
    ("The Glass Workers Union called a strike at Clearview Industries.", "Glass Workers Union", "LaborUnion"),
])
def test_hints_never_overrule_a_class_with_evidence(nlp, kb_index, text: str, name: str, cls: str) -> None:
    assert _classes(nlp, kb_index, text, _labeller({w: "GovernmentOrganization" for w in text.split()}))[name] == cls


def test_hints_leave_places_to_the_rules(nlp, kb_index) -> None:
    text = "Sitpla said its cabin crew would walk out on June 24."
    assert _classes(nlp, kb_index, text, _labeller({"Sitpla": "Place"}))["Sitpla"] == "Company"


def test_hints_a_name_listed_with_a_known_company_is_left_to_the_list(nlp, kb_index) -> None:
    text = "The studios, including Netflix, FOX and NBC, sent a proposal."
    classes = _classes(nlp, kb_index, text, _labeller({"FOX": "LaborUnion", "NBC": "LaborUnion"}))
    assert classes["Netflix"] == classes["FOX"] == classes["NBC"] == "Company"


def test_hints_names_listed_together_share_their_votes(nlp, kb_index) -> None:
    text = "Its four member organizations -- the KSN, KSQ, APTQ and FTQX -- will strike on Monday."
    labels = {"KSN": "LaborUnion", "KSQ": "LaborUnion", "APTQ": "LaborUnion", "FTQX": "GovernmentOrganization"}
    classes = _classes(nlp, kb_index, text, _labeller(labels))
    assert {classes[n] for n in labels} == {"LaborUnion"}


def test_hints_ask_once_per_document_with_short_windows(nlp, kb_index) -> None:
    calls: list[int] = []
    # (no 'studios, including FOX and NBC': a class noun's list types its names without asking)
    text = ("On Friday, FOX and NBC sent a proposal late at night to the union that represents all the writers. FOX "
            "said on Monday it would not budge.")
    _classes(nlp, kb_index, text, _labeller({}, calls))
    runs, longest = calls
    # one batch: the windows of FOX and NBC in the first sentence overlap and are read as one run (the two
    # names are two tokens apart); the second mention of FOX is not asked (MENTIONS: the first one only)
    assert MENTIONS == 1
    assert runs == 1 and longest <= 2 * WINDOW + 1 + 2


def test_hints_the_pipeline_keeps_a_labeller_and_extraction_uses_it(monkeypatch) -> None:
    nlp = load_pipeline()
    assert domain_labeller(nlp) is not None and domain_labeller(load_pipeline(domain_hints=False)) is None
    calls: list[int] = []
    monkeypatch.setattr("graph.extract.extractor.domain_labeller", lambda _: _labeller({"Sitpla": "LaborUnion"}, calls))
    [ex] = extract_articles([Article(id="a", text="Sitpla said its cabin crew would walk out on June 24.")], nlp)
    assert calls and {e.name: e.cls for e in ex.entities}["Sitpla"] == "LaborUnion"


def test_hints_asked_once_per_batch_with_the_answers_of_one_article_each(monkeypatch, nlp) -> None:
    texts = ["Sitpla said its cabin crew would walk out on June 24.",
             "The studios met on Friday. Nothing was agreed.",  # no untyped name: asks nothing
             "Orvalta said on Monday that its members would strike."]
    labels = {"Sitpla": "LaborUnion", "Orvalta": "GovernmentOrganization"}
    articles = [Article(id=str(i), text=t, date=date(2025, 6, 13)) for i, t in enumerate(texts)]
    one_by_one = [extract_doc(nlp(a.text), a, None, _labeller(labels)) for a in articles]
    calls: list[int] = []
    monkeypatch.setattr("graph.extract.extractor.domain_labeller", lambda _: _labeller(labels, calls))
    batched = list(extract_articles(articles, nlp, batch_size=8))
    assert len(calls) == 2  # one call (runs, longest run) for the three articles
    assert [sorted((e.name, e.cls) for e in ex.entities) for ex in batched] == \
        [sorted((e.name, e.cls) for e in ex.entities) for ex in one_by_one]
    assert {e.name: e.cls for e in batched[0].entities}["Sitpla"] == "LaborUnion"
    assert {e.name: e.cls for e in batched[2].entities}["Orvalta"] == "GovernmentOrganization"
    calls.clear()
    list(extract_articles(articles, nlp, batch_size=1))
    assert len(calls) == 2 * 2  # a batch of one article each: the two that ask
