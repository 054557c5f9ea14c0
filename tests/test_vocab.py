"""The ontology file declares exactly the terms of graph.rdf.vocab.NG, each labelled and commented."""
from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from graph.paths import ontology_file
from graph.rdf.vocab import NG, NG_URI

DECLARING_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.SymmetricProperty,
    OWL.FunctionalProperty,
    OWL.AnnotationProperty,
    RDFS.Class,
    RDF.Property,
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


def _declared(graph: Graph) -> set[str]:
    names = set()
    for kind in DECLARING_TYPES:
        for subject in graph.subjects(RDF.type, kind):
            if isinstance(subject, URIRef) and str(subject).startswith(NG_URI):
                names.add(str(subject)[len(NG_URI):])
    return names


def _vocab_terms() -> set[str]:
    return set(NG.__annotations__)


def test_vocab_declared_terms_equal_namespace_terms(ontology: Graph) -> None:
    declared = _declared(ontology)
    assert declared - _vocab_terms() == set(), "declared in newsgraph.ttl but missing from graph.rdf.vocab.NG"
    assert _vocab_terms() - declared == set(), "listed in graph.rdf.vocab.NG but not declared in newsgraph.ttl"


def test_vocab_ontology_header(ontology: Graph) -> None:
    headers = list(ontology.subjects(RDF.type, OWL.Ontology))
    assert len(headers) == 1
    for predicate in (RDFS.label, RDFS.comment, OWL.versionInfo):
        assert ontology.value(headers[0], predicate) is not None, predicate


def test_vocab_ng_subjects_are_all_declared(ontology: Graph) -> None:
    # No ng: IRI may be used as a subject without being declared (a typo would slip through otherwise).
    used = {str(s)[len(NG_URI):] for s in ontology.subjects() if str(s).startswith(NG_URI)}
    used |= {str(o)[len(NG_URI):] for o in ontology.objects() if str(o).startswith(NG_URI)}
    assert used <= _vocab_terms()


@pytest.mark.parametrize("term", sorted(_vocab_terms()))
def test_vocab_term_has_english_label_and_comment(ontology: Graph, term: str) -> None:
    for predicate in (RDFS.label, RDFS.comment):
        values = list(ontology.objects(NG[term], predicate))
        assert len(values) == 1, f"ng:{term} needs exactly one {predicate}"
        assert isinstance(values[0], Literal) and values[0].language == "en" and str(values[0]).strip()


@pytest.mark.parametrize("term", sorted(_vocab_terms()))
def test_vocab_property_has_domain_and_range(ontology: Graph, term: str) -> None:
    if (NG[term], RDF.type, OWL.Class) in ontology:
        assert (NG[term], RDFS.subClassOf, None) in ontology, f"class ng:{term} is aligned to nothing"
        return
    assert ontology.value(NG[term], RDFS.domain) is not None
    assert ontology.value(NG[term], RDFS.range) is not None


@pytest.mark.parametrize("term", ["negotiatesWith", "reachesAgreementWith"])
def test_vocab_symmetric_predicates(ontology: Graph, term: str) -> None:
    assert (NG[term], RDF.type, OWL.SymmetricProperty) in ontology


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (NG.Person, NG.Agent),
        (NG.Organization, NG.Agent),
        (NG.LaborUnion, NG.Organization),
        (NG.Group, NG.Organization),
        (NG.Person, URIRef("https://schema.org/Person")),
        (NG.Person, URIRef("http://xmlns.com/foaf/0.1/Person")),
        (NG.Organization, URIRef("http://www.w3.org/ns/org#Organization")),
        (NG.Company, URIRef("https://schema.org/Corporation")),
        (NG.LaborUnion, URIRef("https://schema.org/WorkersUnion")),
        (NG.MediaOutlet, URIRef("https://schema.org/NewsMediaOrganization")),
        (NG.Document, URIRef("https://schema.org/NewsArticle")),
        (NG.Document, URIRef("http://www.w3.org/ns/prov#Entity")),
        (NG.Statement, URIRef("https://schema.org/Quotation")),
        (NG.Evidence, RDF.Statement),
        (NG.Dispute, URIRef("https://schema.org/Event")),
        (NG.Dispute, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Event")),
        (NG.DisputeEvent, URIRef("https://schema.org/Event")),
        (NG.DisputeEvent, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Event")),
        (NG.Strike, NG.DisputeEvent),
        (NG.Negotiation, NG.DisputeEvent),
        (NG.Agreement, NG.DisputeEvent),
    ],
)
def test_vocab_class_alignment(ontology: Graph, child: URIRef, parent: URIRef) -> None:
    assert (child, RDFS.subClassOf, parent) in ontology


@pytest.mark.parametrize("term", ["onStrikeSince", "strikeEndedOn", "startDate", "endDate"])
def test_vocab_strike_dates_range_is_date_or_month(ontology: Graph, term: str) -> None:
    datatype = ontology.value(NG[term], RDFS.range)
    assert (datatype, RDF.type, RDFS.Datatype) in ontology
    members = set(ontology.items(ontology.value(datatype, OWL.unionOf)))
    assert members == {URIRef("http://www.w3.org/2001/XMLSchema#date"),
                       URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")}


@pytest.mark.parametrize(
    ("term", "parents"),
    [
        ("partOfDispute", {"https://schema.org/superEvent", "http://semanticweb.cs.vu.nl/2009/11/sem/subEventOf"}),
        ("unionSide", {"http://semanticweb.cs.vu.nl/2009/11/sem/hasActor"}),
        ("employerSide", {"http://semanticweb.cs.vu.nl/2009/11/sem/hasActor"}),
        ("startDate", {"https://schema.org/startDate", "http://semanticweb.cs.vu.nl/2009/11/sem/hasBeginTimeStamp"}),
        ("endDate", {"https://schema.org/endDate", "http://semanticweb.cs.vu.nl/2009/11/sem/hasEndTimeStamp"}),
        ("place", {"https://schema.org/location", "http://semanticweb.cs.vu.nl/2009/11/sem/hasPlace"}),
    ],
)
def test_vocab_event_properties_align_to_schema_and_sem(ontology: Graph, term: str, parents: set[str]) -> None:
    assert {str(o) for o in ontology.objects(NG[term], RDFS.subPropertyOf)} == parents


def test_vocab_event_sides_apply_to_disputes_and_events(ontology: Graph) -> None:
    for term in ("unionSide", "employerSide"):
        domain = ontology.value(ontology.value(NG[term], RDFS.domain), OWL.unionOf)
        assert set(ontology.items(domain)) == {NG.Dispute, NG.DisputeEvent}
        assert ontology.value(NG[term], RDFS.range) == NG.Organization
    assert ontology.value(NG.workersInvolved, RDFS.range) == URIRef("http://www.w3.org/2001/XMLSchema#integer")


def test_vocab_leads_range_is_organization_or_place(ontology: Graph) -> None:
    union = ontology.value(ontology.value(NG.leads, RDFS.range), OWL.unionOf)
    assert set(ontology.items(union)) == {NG.Organization, NG.Place}


@pytest.mark.parametrize("name", ["Union", "negotiates_with", "Walkout", "label"])
def test_vocab_undeclared_term_raises(name: str) -> None:
    with pytest.raises(AttributeError):
        getattr(NG, name)
