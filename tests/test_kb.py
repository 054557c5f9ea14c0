"""The knowledge base: identities of known entities, loaded sorted, with bad files rejected."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph.errors import InputError
from graph.model import ENTITY_CLASSES, KnownEntity
from graph.paths import kb_file
from graph.rdf.iri import entity_iri
from graph.rdf.kb import load_kb
from graph.rdf.vocab import ID_URI, NG_URI

ENTITY = f"{ID_URI}entity/"

PREFIXES = """
@prefix ng:   <https://w3id.org/newsgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix e:    <https://w3id.org/newsgraph/id/entity/> .
"""


@pytest.fixture(scope="module")
def kb() -> list[KnownEntity]:
    return load_kb()


@pytest.fixture(scope="module")
def by_name(kb: list[KnownEntity]) -> dict[str, KnownEntity]:
    return {entry.name: entry for entry in kb}


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "kb.ttl"
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


def test_kb_loads_sorted_and_deterministic(kb: list[KnownEntity]) -> None:
    assert len(kb) > 80
    assert [entry.iri for entry in kb] == sorted(entry.iri for entry in kb)
    assert load_kb(kb_file()) == kb


def test_kb_iris_follow_the_slug_rule_and_are_unique(kb: list[KnownEntity]) -> None:
    for entry in kb:
        assert entry.iri == str(entity_iri(entry.name)), entry.name
    assert len({entry.iri for entry in kb}) == len(kb)


def test_kb_classes_are_entity_classes_and_aliases_exclude_name(kb: list[KnownEntity]) -> None:
    for entry in kb:
        assert entry.cls in ENTITY_CLASSES
        assert entry.name not in entry.aliases
        assert list(entry.aliases) == sorted(entry.aliases)


def test_kb_no_alias_names_two_entities(kb: list[KnownEntity]) -> None:
    owner: dict[str, str] = {}
    for entry in kb:
        for label in (entry.name, *entry.aliases):
            key = label.casefold()
            assert owner.setdefault(key, entry.iri) == entry.iri, f"{label!r} names two entities"


@pytest.mark.parametrize(
    ("name", "cls", "aliases"),
    [
        ("Writers Guild of America", "LaborUnion", {"WGA", "Writers Guild", "the Writers Guild"}),
        ("Writers Guild of America East", "LaborUnion", {"WGA East"}),
        ("Writers Guild of America West", "LaborUnion", {"WGA West"}),
        ("SAG-AFTRA", "LaborUnion", {"SAG", "Screen Actors Guild-American Federation of Television and Radio "
                                     "Artists"}),
        ("Alliance of Motion Picture and Television Producers", "EmployerAssociation", {"AMPTP"}),
        ("Directors Guild of America", "LaborUnion", {"DGA"}),
        ("IATSE", "LaborUnion", set()),
        ("Teamsters", "LaborUnion", set()),
        ("Animation Guild", "LaborUnion", set()),
        ("Netflix", "Company", set()),
        ("Disney", "Company", {"Walt Disney Co.", "The Walt Disney Company"}),
        ("Universal", "Company", {"NBCUniversal", "Universal Pictures"}),
        ("Warner Bros. Discovery", "Company", {"Warner Bros/Discovery", "Warner Bros.",
                                               "Warner Bros. Discovery Inc."}),
        ("Paramount", "Company", {"Paramount Global"}),
        ("Sony Pictures", "Company", set()),
        ("Amazon", "Company", set()),
        ("Apple", "Company", set()),
        ("Comcast", "Company", set()),
        ("Ted Sarandos", "Person", set()),
        ("Bob Iger", "Person", set()),
        ("Donna Langley", "Person", set()),
        ("David Zaslav", "Person", set()),
        ("Carol Lombardini", "Person", set()),
        ("Fran Drescher", "Person", set()),
        ("Duncan Crabtree-Ireland", "Person", set()),
        ("Meredith Stiehm", "Person", set()),
        ("Karen Bass", "Person", set()),
        ("Los Angeles", "Place", set()),
        ("Hollywood", "Place", set()),
        ("Wall Street", "Place", set()),
        ("New York", "Place", set()),
        ("California", "Place", set()),
        ("Deadline", "MediaOutlet", set()),
        ("Variety", "MediaOutlet", set()),
        ("The Hollywood Reporter", "MediaOutlet", set()),
        ("Associated Press", "MediaOutlet", {"AP"}),
        ("Detroit Free Press", "MediaOutlet", set()),
        ("TheWrap", "MediaOutlet", set()),
        ("United Auto Workers", "LaborUnion", {"UAW"}),
        ("General Motors", "Company", {"GM"}),
        ("Stellantis", "Company", set()),
        ("International Association of Machinists and Aerospace Workers", "LaborUnion", {"IAM"}),
        ("Boeing", "Company", set()),
        ("International Longshoremen's Association", "LaborUnion", {"ILA"}),
        ("United States Maritime Alliance", "EmployerAssociation", {"USMX"}),
        ("International Longshore and Warehouse Union", "LaborUnion", {"ILWU"}),
        ("Pacific Maritime Association", "EmployerAssociation", set()),
        ("National Nurses United", "LaborUnion", set()),
        ("Kaiser Permanente", "Company", set()),
        ("UPS", "Company", set()),
        ("AFL-CIO", "LaborUnion", set()),
        ("National Labor Relations Board", "GovernmentOrganization", {"NLRB"}),
        ("Federal Mediation and Conciliation Service", "GovernmentOrganization", set()),
        ("U.S. Department of Labor", "GovernmentOrganization", set()),
    ],
)
def test_kb_contains_known_entity(
    by_name: dict[str, KnownEntity], name: str, cls: str, aliases: set[str]
) -> None:
    entry = by_name[name]
    assert entry.cls == cls
    assert aliases <= set(entry.aliases)


def test_kb_file_holds_identities_only() -> None:
    graph = Graph().parse(kb_file(), format="turtle")
    assert not [p for p in graph.predicates() if str(p).startswith(NG_URI)]


def test_kb_small_file_parsed(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'e:zeta-union a ng:LaborUnion ; rdfs:label "Zeta Union" ;\n'
        '    skos:altLabel "ZU", "Zeta Union", "Zetas" .\n'
        'e:alpha-co a ng:Company ; rdfs:label "Alpha Co" .\n',
    )
    assert load_kb(path) == [
        KnownEntity(f"{ENTITY}alpha-co", "Alpha Co", "Company", ()),
        KnownEntity(f"{ENTITY}zeta-union", "Zeta Union", "LaborUnion", ("ZU", "Zetas")),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('e:x a ng:Company .\n', "rdfs:label"),
        ('e:x a ng:Company ; rdfs:label "X", "Y" .\n', "rdfs:label"),
        ('e:x a ng:Company ; rdfs:label "" .\n', "rdfs:label"),
        ('e:x a ng:Statement ; rdfs:label "X" .\n', "class"),
        ('e:x a ng:Company, ng:Person ; rdfs:label "X" .\n', "class"),
        ('e:x rdfs:label "X" .\n', "class"),
        ('e:x a ng:Company ; rdfs:label "X" ; ng:memberOf e:y .\n', "identities only"),
        ('[] a ng:Company ; rdfs:label "X" .\n', "blank node"),
        ('e:x a ng:Company ; rdfs:label "X" \n', "not valid Turtle"),
    ],
)
def test_kb_bad_file_raises_input_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        load_kb(_write(tmp_path, body))
    assert "\n" not in str(info.value)


def test_kb_missing_file_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_kb(tmp_path / "absent.ttl")


def test_kb_default_path_follows_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, 'e:solo a ng:Place ; rdfs:label "Solo" .\n')
    monkeypatch.setenv("NEWSGRAPH_ONTOLOGIES", str(tmp_path))
    assert [entry.name for entry in load_kb()] == ["Solo"]


def test_kb_an_intergovernmental_body_is_no_union(extract_text) -> None:
    ex = extract_text("The European Union said nurses' wages were low, and the Glass Workers Union agreed.")
    assert {e.name: e.cls for e in ex.entities}.get("European Union") == "GovernmentOrganization"
