"""Deterministic IRI minting: valid IRIs for any text, stable, and name variants collapsing together."""
from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from graph.rdf.iri import MAX_SLUG, doc_iri, entity_iri, evidence_iri, slugify, statement_iri
from graph.rdf.vocab import ID_URI

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Text of every kind: quotes, angle brackets, spaces, control characters, emoji, right-to-left scripts.
# 2,000 characters mixing quotes, brackets, emoji and right-to-left text, always among the examples.
_MIXED = "Say \"no\" <now> \U0001f3ac \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 "
LONG_MIXED = (_MIXED * 80)[:2000]

any_text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(list("\"'<>{}|\\^` \t\n#%?&/")),
        st.sampled_from(list("\U0001f3ac\u05e9\u05dc\u05d5\u05dd\u0645\u0631\u062d\u0628\u0627\u200f\u0301")),
    ),
    max_size=2000,
)


def _round_trips(iri: URIRef) -> bool:
    graph = Graph()
    graph.add((iri, RDFS.label, Literal("x")))
    parsed = Graph().parse(data=graph.serialize(format="nt"), format="nt")
    return set(parsed.subjects()) == {iri}


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Writers Guild of America", "writers-guild-of-america"),
        ("SAG-AFTRA", "sag-aftra"),
        ("Warner Bros. Discovery", "warner-bros-discovery"),
        ("  --Hello,   World!--  ", "hello-world"),
        ("Zoë Saldaña", "zoe-saldana"),
        ("International Longshoremen's Association", "international-longshoremen-s-association"),
        ("AT&T", "at-t"),
    ],
)
def test_iri_slugify_examples(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(
    ("first", "second"),
    [("WGA", "wga."), ("Writers Guild", "writers   guild"), ("SAG-AFTRA", "SAG AFTRA"), ("Δήμος", "ΔΗΜΟΣ")],
)
def test_iri_entity_case_and_punctuation_variants_share_iri(first: str, second: str) -> None:
    assert entity_iri(first) == entity_iri(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [("", "\U0001f3ac"), ("\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627"), ("Δήμος", "Λαός"),
     ("Union Ω", "Union Ψ"), ("a" * 100 + "b", "a" * 100 + "c")],
)
def test_iri_slugify_distinct_lossy_names_do_not_collide(first: str, second: str) -> None:
    assert slugify(first) != slugify(second)
    assert SLUG.match(slugify(first)) and SLUG.match(slugify(second))


def test_iri_slugify_truncates_long_names_with_hash() -> None:
    slug = slugify("word " * 100)
    assert len(slug) <= MAX_SLUG
    assert slug.startswith("word-word-")
    assert re.search(r"-[0-9a-f]{8}$", slug)


@settings(max_examples=200, deadline=None)
@given(any_text)
@example(LONG_MIXED)
@example("")
def test_iri_slugify_any_text_is_a_nonempty_ascii_slug(name: str) -> None:
    slug = slugify(name)
    assert SLUG.match(slug), slug
    assert len(slug) <= MAX_SLUG
    assert slugify(name) == slug


@settings(max_examples=100, deadline=None)
@given(any_text)
@example(LONG_MIXED)
def test_iri_entity_and_doc_iris_round_trip_through_ntriples(name: str) -> None:
    for iri in (entity_iri(name), doc_iri(name)):
        assert _round_trips(iri)
    assert str(entity_iri(name)).startswith(f"{ID_URI}entity/")
    assert str(doc_iri(name)).startswith(f"{ID_URI}doc/")


@settings(max_examples=100, deadline=None)
@given(any_text, any_text, any_text, st.integers(min_value=0, max_value=10**9))
def test_iri_statement_and_evidence_iris_are_valid_and_stable(a: str, b: str, c: str, start: int) -> None:
    stmt = statement_iri(a, b, c)
    ev = evidence_iri(a, b, "leads", c, start, "rule")
    assert re.fullmatch(rf"{re.escape(ID_URI)}statement/[0-9a-f]{{16}}", str(stmt))
    assert re.fullmatch(rf"{re.escape(ID_URI)}evidence/[0-9a-f]{{16}}", str(ev))
    assert stmt == statement_iri(a, b, c)
    assert ev == evidence_iri(a, b, "leads", c, start, "rule")
    assert _round_trips(stmt) and _round_trips(ev)


@pytest.mark.parametrize(
    ("changed", "args"),
    [
        ("article", ("a2", "Jane", "leads", "Acme", 3, "r")),
        ("subject", ("a1", "John", "leads", "Acme", 3, "r")),
        ("predicate", ("a1", "Jane", "memberOf", "Acme", 3, "r")),
        ("object", ("a1", "Jane", "leads", "Acme Corp", 3, "r")),
        ("start", ("a1", "Jane", "leads", "Acme", 4, "r")),
        ("rule", ("a1", "Jane", "leads", "Acme", 3, "r2")),
        ("boundary", ("a1", "Janeleads", "", "Acme", 3, "r")),
    ],
)
def test_iri_evidence_differs_when_any_part_differs(changed: str, args: tuple) -> None:
    assert evidence_iri(*args) != evidence_iri("a1", "Jane", "leads", "Acme", 3, "r"), changed


@pytest.mark.parametrize(
    "args", [("a2", "Jane", "We won."), ("a1", "John", "We won."), ("a1", "Jane", "We lost.")]
)
def test_iri_statement_differs_when_any_part_differs(args: tuple[str, str, str]) -> None:
    assert statement_iri(*args) != statement_iri("a1", "Jane", "We won.")
