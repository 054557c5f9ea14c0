"""The ng: ontology terms as an rdflib DefinedNamespace, plus the namespaces we mint and align to.

`_fail = True` makes a typo in a term an AttributeError instead of a silently new IRI; a test keeps this
list equal to the terms declared in ontologies/newsgraph.ttl.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

NG_URI = "https://w3id.org/newsgraph/ontology#"
ID_URI = "https://w3id.org/newsgraph/id/"

ID = Namespace(ID_URI)
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")


class NG(DefinedNamespace):
    """newsgraph ontology terms."""

    _NS = Namespace(NG_URI)
    _fail = True

    # classes
    Agent: URIRef
    Organization: URIRef
    LaborUnion: URIRef
    EmployerAssociation: URIRef
    Company: URIRef
    GovernmentOrganization: URIRef
    MediaOutlet: URIRef
    Committee: URIRef
    Group: URIRef
    Person: URIRef
    Place: URIRef
    Statement: URIRef
    Document: URIRef
    Evidence: URIRef

    # relations between entities
    negotiatesWith: URIRef
    reachesAgreementWith: URIRef
    leads: URIRef
    memberOf: URIRef
    represents: URIRef
    issuesStatement: URIRef

    # strike dates (xsd:date or xsd:gYearMonth)
    onStrikeSince: URIRef
    strikeEndedOn: URIRef

    # disputes and their events (strikes, negotiations, agreements)
    Dispute: URIRef
    DisputeEvent: URIRef
    Strike: URIRef
    Negotiation: URIRef
    Agreement: URIRef
    partOfDispute: URIRef
    unionSide: URIRef
    employerSide: URIRef
    startDate: URIRef
    endDate: URIRef
    place: URIRef
    workersInvolved: URIRef
    contractAtStake: URIRef

    # statements
    quoteText: URIRef
    speaker: URIRef
    statedOn: URIRef

    # documents
    publishedOn: URIRef
    title: URIRef
    url: URIRef
    sourcePath: URIRef
    articleId: URIRef
    contentHash: URIRef

    # provenance of every entity, statement and relation
    mentionedIn: URIRef
    source: URIRef
    evidence: URIRef
    sentence: URIRef
    startChar: URIRef
    endChar: URIRef
    rule: URIRef
    confidence: URIRef


# The metaclass of a DefinedNamespace checks and mints a term on every attribute access (NG.Evidence scans the
# namespace each time): about 1% of a build's time. The declared terms become plain class attributes, so
# NG.Evidence is an ordinary look-up; a term not declared still goes to the metaclass and fails.
for _term in NG.__annotations__:
    setattr(NG, _term, NG._NS[_term])
del _term
