"""Each extraction rule on sentences written for the test, with the negative cases that must assert nothing."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.extract.extractor import extract_doc
from graph.extract.nlp import domain_labeller
from graph.model import Article


def run(nlp, kb_index, text: str, pub: date | None = date(2025, 6, 13)):
    article = Article(id="t", text=text, date=pub)
    return extract_doc(nlp(text), article, kb_index, domain_labeller(nlp))


def triples(ex) -> set[tuple[str, str, str]]:
    out = set()
    for r in ex.relations:
        obj = r.object if isinstance(r.object, str) else r.object.iso()
        if r.predicate in ("negotiatesWith", "reachesAgreementWith"):
            a, b = sorted((r.subject, obj))
            out.add((a, r.predicate, b))
        else:
            out.add((r.subject, r.predicate, obj))
    return out


def speakers(ex) -> set[str]:
    return {q.speaker for q in ex.quotes}


POSITIVE = [
    # leads
    ("Harbor Pilots Union president Rosa Vance spoke to reporters on Tuesday.",
     ("Rosa Vance", "leads", "Harbor Pilots Union")),
    ("Dockside Logistics chief executive Owen Marsh declined to comment.",
     ("Owen Marsh", "leads", "Dockside Logistics")),
    ("Lena Hart, the union's president, met the members. The Valley Teachers Union backs her.",
     None),
    ("The Valley Teachers Union met on Monday. Lena Hart, the union's president, addressed the crowd.",
     ("Lena Hart", "leads", "Valley Teachers Union")),
    ("Summit Airways' chief executive, Paul Greer, said flights would continue.",
     ("Paul Greer", "leads", "Summit Airways")),
    ("Springfield Mayor Ana Ruiz called for calm.", ("Ana Ruiz", "leads", "Springfield")),
    ("Omar Diaz, president of the Metro Transit Workers Union, led the march.",
     ("Omar Diaz", "leads", "Metro Transit Workers Union")),
    # memberOf
    ("The Bay Drivers Union is an affiliate of the Federation of Transport Workers.",
     ("Bay Drivers Union", "memberOf", "Federation of Transport Workers")),
    ("Bosses of the companies known as the Big Four: Apex Motors' Jane Holt, Crest Motors' Ray Lin and "
     "Delta Motors' Ken Obi.", ("Jane Holt", "memberOf", "Big Four")),
    ("The Harbor Drivers Union joined the Allied Transport Federation, whose president, Kim Soto, spoke.",
     ("Kim Soto", "leads", "Allied Transport Federation")),
    ("Riverton City Council member Ada Lowe urged a deal.", ("Ada Lowe", "memberOf", "Riverton City Council")),
    ("The Bay Drivers Union is affiliated with the Federation of Transport Workers.",
     ("Bay Drivers Union", "memberOf", "Federation of Transport Workers")),
    ("The Metro Labor Coalition includes the Bay Drivers Union and the Glass Workers Union.",
     ("Glass Workers Union", "memberOf", "Metro Labor Coalition")),
    ("Local 88, the federation's largest affiliate, voted on Monday. The Federation of Transport Workers met.",
     None),
    ("The Federation of Transport Workers met. Local 88, the federation's largest affiliate, voted on Monday.",
     ("Local 88", "memberOf", "Federation of Transport Workers")),
    ("Talks between the Harbor and Dock Workers Union and the Gulf Port Employers Group broke down.",
     ("Gulf Port Employers Group", "negotiatesWith", "Harbor and Dock Workers Union")),
    # represents
    ("The employer group in the forum, the Pacific Shipping Association, represents firms including Harbor Lines "
     "and Ocean Crest Freight.", ("Pacific Shipping Association", "represents", "Ocean Crest Freight")),
    # talks resumed in a clause of their own, by a union and a name beside it that is a union too
    ("The Glass Workers Union is preparing for a strike, while the Miners Association and Solidarity will resume "
     "talks with Clearview Industries tomorrow.", ("Clearview Industries", "negotiatesWith", "Solidarity")),
    ("The employers' group, which negotiates on behalf of terminal operators Bluefin Terminals and Castle "
     "Shipping, made an offer. The Gulf Port Employers Group said so.", None),
    ("The Pacific Shipping Association, which negotiates on behalf of Harbor Lines and Ocean Crest Freight, "
     "made an offer.", ("Pacific Shipping Association", "represents", "Harbor Lines")),
    # negotiatesWith
    ("The Metro Transit Workers Union and the Regional Transit Authority resumed talks on Thursday.",
     ("Metro Transit Workers Union", "negotiatesWith", "Regional Transit Authority")),
    ("Talks between the Glass Workers Union and Clearview Industries continued into the night.",
     ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("The Glass Workers Union returned to the bargaining table with Clearview Industries on Monday.",
     ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("The Glass Workers Union sat down with Clearview Industries on Monday.",
     ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("The Glass Workers Union met Clearview Industries on Monday.",
     ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("The Bus Drivers Union and the Glass Workers Union are discussing the details of the offer put forward by "
     "Clearview Industries.", ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("The Glass Workers Union rejected the offer put forward by Clearview Industries.",
     ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("The Glass Workers Union continued its strike after meeting Clearview Industries chief executive Tara Boyd.",
     ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("They will return to the bargaining table to settle all other issues, the Glass Workers Union and Clearview "
     "Industries said in a joint statement.", ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("The Glass Workers Union is negotiating a new contract with Clearview Industries.",
     ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("The Glass Workers Union said the process of renegotiating the collective agreement with Clearview Industries "
     "is slow.", ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("Talks between the Glass Workers Union and Clearview Industries are set to resume on Monday.",
     ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("The Glass Workers Union and Clearview Industries will resume talks on Monday.",
     ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    # reachesAgreementWith
    ("The Glass Workers Union reached a tentative agreement with Clearview Industries on Sunday.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("According to the Daily Ledger, the Glass Workers Union and Clearview Industries reached an agreement on "
     "Thursday.", ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("The more moderate BDU and GWU unions found a deal with Clearview Industries.",
     ("Clearview Industries", "reachesAgreementWith", "GWU")),
    ("Clearview Industries said it had signed a two-year wage deal with the GWU and Solidarity union.",
     ("Clearview Industries", "reachesAgreementWith", "Solidarity")),
    ("The Glass Workers Union lifted the strike following an understanding with Clearview Industries.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("The strike ended after the unions SITRAGLAS and SITRAPBI signed an agreement with the Extended Board of "
     "Directors of the National Assembly.", ("Extended Board of Directors", "reachesAgreementWith", "SITRAPBI")),
    ("The Glass Workers Union reached separate agreements on Sunday with Acme Corp and with Clearview Industries.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("The Glass Workers Union reached separate agreements on Sunday night with Acme Corp and with Clearview "
     "Industries.", ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("The Glass Workers Union reached agreement with Clearview Industries on Monday on a new contract.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("Members of the Glass Workers Union rallied over deadlocked bargaining at Penguin Random House.",
     ("Glass Workers Union", "negotiatesWith", "Penguin Random House")),
    ("The Glass Workers Union held talks on Monday with Acme Corp and with Clearview Industries.",
     ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
    ("Clearview Industries and the Glass Workers Union settled on a tentative agreement late Wednesday night.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("Clearview Industries has made a deal with the Glass Workers Union to end the go-slow.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("The Glass Workers Union announced Sunday that tentative agreements had been reached with Clearview "
     "Industries and Acme Corp on a new contract.", ("Acme Corp", "reachesAgreementWith", "Glass Workers Union")),
    ("Members of the Glass Workers Union voted to accept the latest pay offer from Clearview Industries.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("The Glass Workers Union agreed to a revised offer from Clearview Industries of a 13% wage hike.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("Members of the Glass Workers Union employed at Clearview Industries have suspended their strike action "
     "following agreement on the implementation of a recommendation.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("Clearview Industries and the Glass Workers Union came to terms on a new deal.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("The Glass Workers Union came to an agreement with Clearview Industries late Sunday.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("About 60 per cent of members of the Glass Workers Union voted in favour of Clearview Industries' latest "
     "offer, ending the dispute.", ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("Members of the Rail, Maritime, and Transport union (RMT) at Clearview Industries voted to accept a pay "
     "offer. The RMT said so.",
     ("Clearview Industries", "reachesAgreementWith", "Rail, Maritime, and Transport union")),
    ("Employers want costs in line with the collective agreement reached between the Glass Workers Union and "
     "Clearview Industries.", ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("In a statement, Clearview Industries confirmed the agreement with the Glass Workers Union.",
     ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union")),
    ("Steel employers in north-western Varnia and the Harbor Union have reached a collective bargaining agreement. "
     "Ann Roe, chairman of the Steel Employers Federation, said it was costly.",
     ("Harbor Union", "reachesAgreementWith", "Steel Employers Federation")),
    # strikes
    ("Members of the Glass Workers Union walked off the job on Monday.",
     ("Glass Workers Union", "onStrikeSince", "2025-06-09")),
    ("The Valley Teachers Union went on strike in mid-March.",
     ("Valley Teachers Union", "onStrikeSince", "2025-03")),
    ("The Valley Teachers Union has been on strike since May 2.",
     ("Valley Teachers Union", "onStrikeSince", "2025-05-02")),
    ("The Valley Teachers Union ended its strike on Wednesday after a vote.",
     ("Valley Teachers Union", "strikeEndedOn", "2025-06-11")),
    ("The Valley Teachers Union on Wednesday withdrew its five day school workers strike.",
     ("Valley Teachers Union", "strikeEndedOn", "2025-06-11")),
    ("About 10 percent of the 7,000 offshore workers, members of the HAFE and Industri Varna trade unions, have "
     "been on strike since May 24.", ("Industri Varna", "onStrikeSince", "2025-05-24")),
    ("Train drivers have backed a pay deal, the Valley Teachers Union has announced, putting an end to two years "
     "of strikes.", ("Valley Teachers Union", "strikeEndedOn", "2025-06-13")),
    ("Clearview Industries says the Valley Teachers Union has agreed to immediately end its industrial action.",
     ("Valley Teachers Union", "strikeEndedOn", "2025-06-13")),
    ("The Federated Transport Workers backs the Harbor and Dock Laborers Union. Dock workers walked out on Monday.",
     ("Harbor and Dock Laborers Union", "onStrikeSince", "2025-06-09")),
    ("Ann Roe, president of the Valley Teachers Union, announced the withdrawal of the strike on Wednesday.",
     ("Valley Teachers Union", "strikeEndedOn", "2025-06-11")),
    # a government named in lower case by its level, or as 'the government of' a place, is a party of its own
    ("The Glass Workers Union held talks with the state government on Monday.",
     ("Glass Workers Union", "negotiatesWith", "state government")),
    ("The Ontario Glass Workers Union held talks with the government of Ontario on Monday.",
     ("Ontario Glass Workers Union", "negotiatesWith", "government of Ontario")),
    # an adjunct of a past decision states a fact of its own: the talks took place
    ("The Glass Workers Union called the strike after the collapse of negotiations with Clearview Industries.",
     ("Clearview Industries", "negotiatesWith", "Glass Workers Union")),
]


@pytest.mark.parametrize("text,expected", [c for c in POSITIVE if c[1]])
def test_extract_rule_finds_relation(nlp, kb_index, text, expected):
    assert expected in triples(run(nlp, kb_index, text))


NEGATIVE = [
    ("The Glass Workers Union threatened to strike on Monday.", "onStrikeSince"),
    ("The Glass Workers Union plans to strike after talks with Clearview Industries next week.", "negotiatesWith"),
    ("The Glass Workers Union planned to strike after talks with Clearview Industries next week.", "negotiatesWith"),
    ("The Glass Workers Union will walk off the job on Monday unless talks resume.", "onStrikeSince"),
    ("The Glass Workers Union voted to authorize a strike on Monday.", "onStrikeSince"),
    ("The Glass Workers Union struck a deal with Clearview Industries on Monday.", "onStrikeSince"),
    ("There have been no talks between the Glass Workers Union and Clearview Industries since May.",
     "negotiatesWith"),
    ("The Glass Workers Union could reach a deal with Clearview Industries within days.", "reachesAgreementWith"),
    ("The Glass Workers Union rejected the offer from Clearview Industries.", "reachesAgreementWith"),
    ("The agreement came at the end of a 14-hour session at the Glass Workers Union hall. Clearview Industries said "
     "so.", "reachesAgreementWith"),
    ("The Glass Workers Union will vote on whether to accept the offer from Clearview Industries.",
     "reachesAgreementWith"),
    ("Members of the Glass Workers Union voted to accept the Labour Court proposals.", "negotiatesWith"),
    ("The Glass Workers Union said it was only $38 million away from reaching a deal with Clearview Industries.",
     "reachesAgreementWith"),
    ("The Glass Workers Union said the only way out of the strike is through a fair agreement between workers and "
     "Clearview Industries.", "reachesAgreementWith"),
    ("The two sides reached agreement on several issues, the Glass Workers Union and Clearview Industries said.",
     "reachesAgreementWith"),
    ("The Glass Workers Union and Clearview Industries reached agreement on Sunday on working hours but not on pay.",
     "reachesAgreementWith"),
    ("SANTIAGO (Reuters) -Union leaders at Clearview Industries reached an agreement with the company on Thursday.",
     "reachesAgreementWith"),
    ("Clearview Industries vice president Tara Boyd attended the session.", "leads"),
    ("Lena Hart is a former president of the Valley Teachers Union.", "leads"),
    ("Rosa Vance, Clearview Industries president Tara Boyd and others attended.", None),
    ("The mayor urged the Glass Workers Union and Clearview Industries to return to the bargaining table.",
     "negotiatesWith"),
    ("The Harbor Council's chief negotiator, Sam Reyes, left early.", "leads"),
    ("The Glass Workers Union failed to meet the deadline set by Clearview Industries.", "negotiatesWith"),
    ("Ann Roe, president of the Valley Teachers Union, walked off the job on Wednesday.", "onStrikeSince"),
    ("The Valley Teachers Union on Sunday called off its planned strike.", "strikeEndedOn"),
    ("A planned strike on Tuesday by members of the Valley Teachers Union has been suspended.", "strikeEndedOn"),
    ("The Valley Teachers Union called off its ballot to take industrial action at Clearview Industries on "
     "Thursday.", "onStrikeSince"),
    ("The Glass Workers Union and Clearview Industries will hold talks on Monday.", "negotiatesWith"),
    ("The Valley Teachers Union will immediately end its strike if the offer is improved.", "strikeEndedOn"),
    ("Members of the Valley Teachers Union striking over pay ignored a court order on Friday.", "onStrikeSince"),
    ("The Valley Teachers Union called off a strike threatened for Monday after a deal on Sunday.", "strikeEndedOn"),
]


def test_extract_who_calls_on_others_to_reopen_talks_talks_with_nobody(nlp, kb_index):
    ex = run(nlp, kb_index, "The Glass Workers Union struck at Clearview Industries on Monday. The National Union "
                            "of Students said in a statement that it backs staff and called on employers to reopen "
                            "talks.")
    assert not [t for t in triples(ex) if t[1] == "negotiatesWith" and "National Union of Students" in t]


def test_extract_an_agreement_reached_between_two_parties_is_theirs_not_the_welcomers(nlp, kb_index):
    ex = run(nlp, kb_index, "The Bus Drivers Union welcomed the agreement reached between the Glass Workers Union "
                            "and Clearview Industries.")
    assert {(s, o) for s, p, o in triples(ex) if p == "reachesAgreementWith"} == {
        ("Clearview Industries", "Glass Workers Union")}


@pytest.mark.parametrize("text,predicate", [c for c in NEGATIVE if c[1]])
def test_extract_rule_asserts_nothing_on_negative_case(nlp, kb_index, text, predicate):
    assert not [t for t in triples(run(nlp, kb_index, text)) if t[1] == predicate]


def test_extract_title_before_the_next_name_is_not_an_apposition(nlp, kb_index):
    got = triples(run(nlp, kb_index, "Rosa Vance, Clearview Industries president Tara Boyd and others attended."))
    assert ("Tara Boyd", "leads", "Clearview Industries") in got
    assert ("Rosa Vance", "leads", "Clearview Industries") not in got


QUOTES = [
    ('"We will not back down," said Rosa Vance, president of the Harbor Pilots Union.', "Rosa Vance"),
    ('Rosa Vance said the offer was "an insult to every pilot on the water."', "Rosa Vance"),
    ('"The offer is fair and final for every port," according to the Pacific Shipping Association.',
     "Pacific Shipping Association"),
    ('The Pacific Shipping Association issued a statement saying it was "ready to talk at any hour."',
     "Pacific Shipping Association"),
    ('"Our crews deserve better than this," a statement from the Harbor Pilots Union said.',
     "Harbor Pilots Union"),
    ('“Clearview Industries is pleased to have negotiated these agreements,” reads a statement from CEO Rosa Vance.',
     "Rosa Vance"),
    ('"We are disappointed with the result of the ballot," a spokesperson for the Daily Ledger said.',
     "Daily Ledger"),
]


@pytest.mark.parametrize("text,speaker", QUOTES)
def test_extract_quote_attributed(nlp, kb_index, text, speaker):
    assert speaker in speakers(run(nlp, kb_index, text))


@pytest.mark.parametrize("text", [
    'The Harbor Gazette reported that a deal was "very close now."',
    'Pickets carried signs reading "fair pay" outside the Dockside Logistics offices.',
])
def test_extract_quote_not_attributed(nlp, kb_index, text):
    assert speakers(run(nlp, kb_index, text)) == set()


def test_extract_resolves_surname_and_acronym(nlp, kb_index):
    ex = run(nlp, kb_index, "The Metro Transit Workers Union (MTWU) is led by Omar Diaz. "
             '"We are ready," Diaz said. The MTWU walked out on Friday.')
    names = {e.name for e in ex.entities}
    assert "Omar Diaz" in names and "Diaz" not in names
    assert "MTWU" not in names
    assert ("Metro Transit Workers Union", "onStrikeSince", "2025-06-13") in triples(ex)
    assert "Omar Diaz" in speakers(ex)


def test_extract_known_name_inside_a_longer_name(nlp, kb_index):
    ex = run(nlp, kb_index, "The Coalition of Netflix Unions said talks would resume.")
    assert {e.name: e.cls for e in ex.entities}.get("Coalition of Netflix Unions") == "LaborUnion"


@pytest.mark.parametrize("name,cls", [
    ("Harbor Pilots Union", "LaborUnion"),
    ("Coastal Nurses Alliance", "LaborUnion"),
    ("Pacific Shipping Association", "EmployerAssociation"),
    ("Clearview Industries", "Company"),
    ("Regional Transit Authority", "GovernmentOrganization"),
])
def test_extract_types_unknown_organisations(nlp, kb_index, name, cls):
    ex = run(nlp, kb_index, f"Officials of the {name} spoke on Monday about the dispute.")
    assert {e.name: e.cls for e in ex.entities}.get(name) == cls


def test_extract_every_relation_has_evidence(nlp, kb_index):
    text = "The Glass Workers Union reached a tentative agreement with Clearview Industries on Sunday."
    ex = run(nlp, kb_index, text)
    assert ex.relations
    for r in ex.relations:
        assert r.evidence.rule and 0 < r.evidence.confidence <= 1
        assert text[r.evidence.start:r.evidence.end].strip() == r.evidence.sentence


WORDS = ["the", "union", "Union", "said", '"', "“", "”", "'s", ",", ".", "strike", "on", "Monday", "talks", "with",
         "between", "and", "Guild", "Alliance", "Workers", "president", "Mayor", "Ana", "Ruiz", "(", ")", "MTWU",
         "reached", "a", "deal", "walked", "out", "--", ":", "Big", "Three", "members", "its", "of", "\n\n", "AMPTP",
         "WGA", "SAG-AFTRA", "behalf", "represents", "affiliate", "is", "an", "so-called", "May", "2", "since"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join) | st.text(max_size=200))
def test_extract_never_raises_on_any_text(nlp, kb_index, text):
    ex = run(nlp, kb_index, text)
    names = {e.name for e in ex.entities}
    for r in ex.relations:
        assert r.subject in names
        assert not isinstance(r.object, str) or r.object in names
    for q in ex.quotes:
        assert q.speaker in names and q.text


def test_extract_the_union_is_the_salient_union(nlp, kb_index):
    text = ("The Harbor Pilots Union's board voted on Thursday to walk out, joining the Glass Workers Union. "
            "Rosa Vance, the union's president, spoke to reporters.")
    assert ("Rosa Vance", "leads", "Harbor Pilots Union") in triples(run(nlp, kb_index, text))


def test_extract_names_stop_at_line_breaks_and_short_names_merge(nlp, kb_index):
    text = ("Hotel workers strike in Marlow\n\n"
            "Cooks at Zephyr Hotels walked off the job on Monday. Zephyr said it would keep its hotels open.")
    ex = run(nlp, kb_index, text)
    names = {e.name: e.cls for e in ex.entities}
    assert all("\n" not in n for n in names)
    assert names.get("Zephyr Hotels") == "Company" and "Zephyr" not in names


def test_extract_agreement_with_listed_examples(nlp, kb_index):
    text = ("The Valley Nurses Union reached tentative deals with three hospitals, including Cedar Hill Hospital "
            "and Lakeview Medical Center, on Sunday.")
    got = triples(run(nlp, kb_index, text))
    assert ("Cedar Hill Hospital", "reachesAgreementWith", "Valley Nurses Union") in got
    assert ("Lakeview Medical Center", "reachesAgreementWith", "Valley Nurses Union") in got


def rules_for(ex, triple) -> set[str]:
    out = set()
    for r in ex.relations:
        obj = r.object if isinstance(r.object, str) else r.object.iso()
        key = (r.subject, r.predicate, obj)
        if key == triple or (r.predicate in ("negotiatesWith", "reachesAgreementWith")
                             and {r.subject, obj} == {triple[0], triple[2]} and r.predicate == triple[1]):
            out.add(r.evidence.rule)
    return out


RULES = [
    ("Rosa Vance, who leads the Harbor Pilots Union, spoke on Monday.",
     ("Rosa Vance", "leads", "Harbor Pilots Union"), "leads_verb"),
    ("The Glass Workers Union, led by Rosa Vance, rejected the offer.",
     ("Rosa Vance", "leads", "Glass Workers Union"), "leads_verb"),
    ("Lena Hart serves as president of the Valley Teachers Union.",
     ("Lena Hart", "leads", "Valley Teachers Union"), "leader_predicate"),
    ("The Valley Teachers Union elected Omar Diaz as its president in March.",
     ("Omar Diaz", "leads", "Valley Teachers Union"), "leader_predicate"),
    ("The Pacific Shipping Association met on Monday. Three of its members, Harbor Lines and Ocean Crest Freight, "
     "left early.", ("Harbor Lines", "memberOf", "Pacific Shipping Association"), "members_listed"),
    ("The Pacific Shipping Association represents Harbor Lines and Ocean Crest Freight.",
     ("Pacific Shipping Association", "represents", "Ocean Crest Freight"), "represents_verb"),
    ("The Pacific Shipping Association, the trade group that bargains for Harbor Lines, made an offer.",
     ("Pacific Shipping Association", "represents", "Harbor Lines"), "bargains_for"),
    ("The Glass Workers Union walked out after talks with Clearview Industries collapsed on Monday.",
     ("Glass Workers Union", "negotiatesWith", "Clearview Industries"), "talks_with"),
    ("The Glass Workers Union announced that the deal between the Glass Workers Union and Clearview Industries "
     "was approved by the board.", ("Glass Workers Union", "reachesAgreementWith", "Clearview Industries"),
     "agreement_between"),
    ("Members will vote next week on the Glass Workers Union's tentative agreement with Clearview Industries.",
     ("Glass Workers Union", "reachesAgreementWith", "Clearview Industries"), "tentative_agreement_with"),
    ("The Glass Workers Union went on strike on Monday.", ("Glass Workers Union", "onStrikeSince", "2025-06-09"),
     "strike_start"),
    ("The Glass Workers Union's board voted on Tuesday to approve the deal, and the strike ended at 12:01 a.m. "
     "Wednesday.", ("Glass Workers Union", "strikeEndedOn", "2025-06-11"), "strike_end"),
    ("Clearview Industries' Jane Roe attended the talks.", ("Jane Roe", "leads", "Clearview Industries"),
     "possessive_affiliation"),
    # added with the second blind set: each sentence is new, written for the rule
    ("Talks between the Orchard Growers Council and Local 77 of the United Fruit Packers Guild stalled.",
     ("Local 77", "memberOf", "United Fruit Packers Guild"), "local_of"),
    ("The Northfield Nurses Union called the vote. Mara Pell, a nurse who sits on the union's bargaining "
     "committee, spoke first.", ("Mara Pell", "memberOf", "Northfield Nurses Union Negotiating Committee"),
     "sits_on"),
    ("Maria Gonzalez, a former welder who has headed the Steel Trades Union since 2020, addressed the crowd.",
     ("Maria Gonzalez", "leads", "Steel Trades Union"), "leads_verb"),
    ("The Cable Splicers Union struck. Most of the strikers belong to Local 12, the Dayton affiliate of the "
     "Cable Splicers Union.", ("Local 12", "memberOf", "Cable Splicers Union"), "appositive_member"),
    ("Members approved the contract, which the Quarry Workers Union reached with Granite Ridge Holdings in May.",
     ("Granite Ridge Holdings", "reachesAgreementWith", "Quarry Workers Union"), "agreement_reached_in_clause"),
]


@pytest.mark.parametrize("text,triple,rule", RULES)
def test_extract_relation_traces_to_its_rule(nlp, kb_index, text, triple, rule):
    assert rule in rules_for(run(nlp, kb_index, text), triple)


def test_extract_quote_continuation_keeps_the_speaker(nlp, kb_index):
    text = ('"We will hold the line," Rosa Vance said. "Nobody goes back without a contract."\n\n'
            '"Every member knows what is at stake here," she told the crowd.')
    ex = run(nlp, kb_index, text)
    rules = {q.evidence.rule for q in ex.quotes if q.speaker == "Rosa Vance"}
    assert "quote_continuation" in rules and len([q for q in ex.quotes if q.speaker == "Rosa Vance"]) == 3


@pytest.mark.parametrize("text,name,cls", [
    # the acronym fixes the start of a name the NER cuts at 'and'
    ("The Guild of Stage and Screen Riggers (GSSR) voted on Monday. The GSSR has 900 members.",
     "Guild of Stage and Screen Riggers", "LaborUnion"),
    # a short form written before its long name in brackets
    ("The dockers' union HBV (Hafenbetriebsverband) called a strike. HBV members stayed out.",
     "Hafenbetriebsverband", "LaborUnion"),
    # a common noun in apposition says what an organisation is
    ("Talks with the Marlin Tile Group (MTG), the employers' association that negotiates for the plants, "
     "resumed.", "Marlin Tile Group", "EmployerAssociation"),
    # a numbered local the NER cut short, and a name of another language with its connectors
    ("Rivermouth Hotel Workers Local 19 voted to strike.", "Rivermouth Hotel Workers Local 19", "LaborUnion"),
    ("The Federacion de Mineros del Sur (FMS) backed the strike.", "Federacion de Mineros del Sur", None),
])
def test_extract_names_and_types_from_their_context(nlp, kb_index, text, name, cls):
    classes = {e.name: e.cls for e in run(nlp, kb_index, text).entities}
    assert name in classes and (cls is None or classes[name] == cls)  # None: the name matters, not its class


def test_extract_acronym_stands_for_the_name_it_spells(nlp, kb_index):
    ex = run(nlp, kb_index, "The Guild of Stage and Screen Riggers (GSSR) voted on Monday. The GSSR has 900 members.")
    labels = next(e.labels for e in ex.entities if e.name == "Guild of Stage and Screen Riggers")
    assert "GSSR" in labels and not any(e.name == "GSSR" for e in ex.entities)


@pytest.mark.parametrize("text,speaker", [
    ('A Calder Mills spokesperson, Tom Reyes, said the offer "stands as written."', "Tom Reyes"),
    ('Ohio\'s governor, Lena Marsh, said the strike was "hurting every family in the valley."', "Lena Marsh"),
])
def test_extract_person_beside_a_title_or_spokesperson_speaks(nlp, kb_index, text, speaker):
    assert speaker in speakers(run(nlp, kb_index, text))


def test_extract_the_district_is_not_guessed(nlp, kb_index):
    text = ("The Harbor Transit Authority and the Bus Drivers Union met on Monday. "
            '"We cannot replace a bus system," the district said in a statement.')
    assert "Harbor Transit Authority" not in speakers(run(nlp, kb_index, text))


def test_extract_strike_date_takes_the_year_the_sentence_names(nlp, kb_index):
    text = "In the spring of 2019, the Quarry Workers Union went on strike on April 3."
    assert ("Quarry Workers Union", "onStrikeSince", "2019-04-03") in triples(run(nlp, kb_index, text))


def test_extract_the_two_sides_are_the_first_parties_named(nlp, kb_index):
    text = ("The Canal Pilots Union struck against the Lock Operators Council on Monday. "
            "The Harbor Workers Union, which is not involved, said it supports the pilots. "
            "The Harbor Workers Union and the Harbor Workers Union's members rallied. "
            "The two sides met again on Wednesday.")
    found = triples(run(nlp, kb_index, text))
    assert ("Canal Pilots Union", "negotiatesWith", "Lock Operators Council") in found
    assert not any(t[1] == "negotiatesWith" and "Harbor Workers Union" in t for t in found)


@pytest.mark.parametrize("dateline", [
    "HALVERN, Ore. — ", "PORT MERRIT, Maine (AP) - ", "OSLO, March 5 (Reuters) - ", "(Reuters) - ", ""])
def test_extract_dateline_is_not_the_subject(nlp, kb_index, dateline):
    text = f"Headline\n\n{dateline}Members of the Tidewater Ferry Workers Union walked off the job on Monday."
    doc = nlp(text)
    assert next(t for t in doc if t.text == "Members").is_sent_start  # "" is the control: a paragraph start
    found = triples(run(nlp, kb_index, text))
    assert ("Tidewater Ferry Workers Union", "onStrikeSince", "2025-06-09") in found


def test_extract_local_number_is_the_full_union_name(nlp, kb_index):
    text = ("The Harbor Hotel Workers Local 88 struck on Monday. Local 88 said its members would stay out, "
            "and Local 88 is an affiliate of the National Hotel Workers Federation.")
    ex = run(nlp, kb_index, text)
    assert not any(e.name == "Local 88" for e in ex.entities)
    assert ("Harbor Hotel Workers Local 88", "memberOf", "National Hotel Workers Federation") in triples(ex)


def test_extract_a_federation_unions_belong_to_is_a_union(nlp, kb_index):
    ex = run(nlp, kb_index, "The Pacific Ferry Workers, an affiliate of the National Maritime Federation, met.")
    assert {e.name: e.cls for e in ex.entities}.get("National Maritime Federation") == "LaborUnion"


def test_extract_triggered_rule_skips_sentences_without_its_words(nlp) -> None:
    from graph.extract.context import Ctx, triggered
    from graph.extract.lexicon import load_lexicon
    from graph.extract.table import EntityTable

    seen: list[str] = []

    @triggered(("events", "agreement_nouns"))
    def rule(ctx: Ctx, sent):  # records the sentences it is run on
        seen.append(sent.text)
        return iter(())

    text = "The union and the studios reached a deal on Friday. The strike continued. Talks resumed with agreements."
    doc = nlp(text)
    lex = load_lexicon()
    ctx = Ctx(doc=doc, article=Article(id="t", text=text), lex=lex, table=EntityTable(lex, doc), quotes=[],
              in_quote=frozenset())
    for sent in ctx.sentences():
        assert list(rule(ctx, sent)) == []
    # "deal" as written, "agreements" by its lemma; the strike sentence holds no agreement noun
    assert seen == ["The union and the studios reached a deal on Friday.", "Talks resumed with agreements."]
    assert rule.__name__ == "rule"


@pytest.mark.parametrize("keys", [
    (("typing", "union_words"),),
    (("typing", "union_words"), ("typing", "company_suffixes"), ("typing", "government_words")),
    (("titles", "leader"), ("titles", "honorifics")),
])
def test_extract_lexicon_union_and_split_words_equal_their_lists(keys) -> None:
    from graph.extract.lexicon import load_lexicon

    lex = load_lexicon()
    joined = frozenset().union(*(lex.words(*key) for key in keys))
    assert lex.union(*keys) == joined and lex.union(*keys) is lex.union(*keys)  # built once
    assert lex.split_words(*keys) == {word for entry in joined for word in entry.split()}
    assert sorted(lex.prefixes(*keys[0])) == sorted(lex.words(*keys[0]))


def test_extract_doc_word_lists_match_the_tokens(nlp) -> None:
    from graph.extract.doccache import doc_lowers, doc_pos

    doc = nlp("The Harbor Pilots Union walked out on Monday.")
    assert doc_lowers(doc) == [t.lower_ for t in doc] and doc_pos(doc) == [t.pos_ for t in doc]
    assert doc_lowers(doc) is doc_lowers(doc)


@pytest.mark.parametrize("words, lemma, within, expected", [
    (frozenset({"union", "monday"}), False, None, ["Union", "Monday"]),
    (frozenset({"walk", "strike"}), True, None, ["walked", "strike"]),
    (frozenset({"walk", "strike"}), False, None, ["strike"]),  # 'walked' is not the word 'walk'
    (frozenset({"union", "monday", "strike"}), False, (9, 20), ["strike"]),  # only the second sentence
    (frozenset({"workers"}), False, None, []),
])
def test_extract_tokens_with_finds_the_words_of_a_list_in_text_order(nlp, words, lemma, within, expected) -> None:
    from graph.extract.doccache import tokens_with

    doc = nlp("The Harbor Pilots Union walked out on Monday. Their strike goes on.")
    span = doc[within[0]:min(within[1], len(doc))] if within else None
    found = tokens_with(doc, words, span, lemma=lemma)
    assert [t.text for t in found] == expected
    every = [t for t in (span if span is not None else doc) if (t.lemma_ if lemma else t.lower_).lower() in words]
    assert [t.i for t in found] == [t.i for t in every]  # the same tokens a walk over every token finds


def test_extract_person_named_with_and_without_middle_name_is_one(nlp, kb_index) -> None:
    ex = run(nlp, kb_index, "Robert Kline is the president of the Harbor Pilots Union. The talks stalled, said "
             "Robert James Kline, who also chairs the Coastal Workers Federation.")
    people = {e.name for e in ex.entities if e.cls == "Person"}
    assert people == {"Robert James Kline"}
    assert ("Robert James Kline", "leads", "Harbor Pilots Union") in triples(ex)


def test_extract_acronym_after_a_place_names_the_whole_name(nlp, kb_index) -> None:
    ex = run(nlp, kb_index, "Officials of the Ghana Trades Union Congress (TUC) met on Monday. The TUC said talks "
             "would go on.")
    orgs = {e.name for e in ex.entities if e.cls == "LaborUnion"}
    assert orgs == {"Ghana Trades Union Congress"}


def test_extract_the_one_spoken_to_does_not_share_the_quote(nlp, kb_index) -> None:
    ex = run(nlp, kb_index, 'Speaking to BirGün, Atar said, "When we sat down at the table, our goal was the '
             'poverty line."')
    assert "BirGün" not in {q.speaker for q in ex.quotes}


def test_extract_first_name_read_as_a_nationality_starts_the_person(nlp, kb_index) -> None:
    ex = run(nlp, kb_index, "Özkan Atar, President of United Metal-İş, spoke on Monday. Turkish Airlines said "
             "nothing.")
    assert ("Özkan Atar", "leads", "United Metal-İş") in triples(ex)
    assert {e.name: e.cls for e in ex.entities}.get("Turkish Airlines") == "Company"


@pytest.mark.parametrize("text, name, cls", [
    ("Its members in Central Luzon, Bukidnon, Sultan Kudarat, and the Davao Region will join the strike.",
     "Sultan Kudarat", "Place"),
    ("Tom Hale and Bo Li of the Harbor Pilots Union met in Boston.", "Bo Li", "Person"),  # a list of people
])
def test_extract_a_name_listed_among_places_is_a_place(nlp, kb_index, text: str, name: str, cls: str) -> None:
    assert {e.name: e.cls for e in run(nlp, kb_index, text).entities}.get(name) == cls


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_extract_a_deal_not_reached_is_no_agreement(nlp, kb_index, apostrophe: str) -> None:
    text = (f"Port workers walked off the job Saturday after a deal wasn{apostrophe}t reached between the Harbor "
            "Pilots Union and the Coastal Shipping Association.")
    assert not {t for t in triples(run(nlp, kb_index, text)) if t[1] == "reachesAgreementWith"}


@pytest.mark.parametrize("subject, obj, kept", [
    ("Samsung", "Samsung Electronics", False),  # one side under a short and a long name
    ("Samsung Electronics", "Samsung", False),
    ("United Auto Workers", "United Airlines", True),
    ("Glass Workers Union", "Brightline Glass", True),
    ("Toyota", "Toyota Motor Workers Union", True),  # a company and its workers' union are two sides
    ("Toyota Motor Workers Union", "Toyota", True),
    ("Samsung Union", "Samsung Union Local", False),  # the short form of a union
])
def test_extract_no_talks_between_a_name_and_its_longer_form(subject: str, obj: str, kept: bool) -> None:
    from graph.extract.extractor import _dedupe
    from graph.model import Evidence, Relation

    classes = {n: "LaborUnion" if "Union" in n or n.endswith("Workers") else "Company" for n in (subject, obj)}
    rel = Relation(subject, "negotiatesWith", obj, Evidence("s", 0, 1, "talks_with"))
    assert (_dedupe([rel], classes) == [rel]) is kept


def test_extract_talks_between_a_company_and_the_union_named_after_it(nlp, kb_index) -> None:
    text = "Toyota held talks with the Toyota Motor Workers Union on Wednesday."
    assert ("Toyota", "negotiatesWith", "Toyota Motor Workers Union") in {
        (s, p, o) for s, p, o in triples(run(nlp, kb_index, text))}


@pytest.mark.parametrize("words, cls", [
    (["frontline", "socialist", "party"], "Group"),
    (["workers'", "party"], "Group"),
    (["coastal", "media"], "MediaOutlet"),
    (["media", "workers", "union"], "LaborUnion"),
])
def test_extract_class_of_an_organisation_name(words: list[str], cls: str) -> None:
    from graph.extract.entities import classify_org_name
    from graph.extract.lexicon import load_lexicon

    assert classify_org_name(words, load_lexicon()) == cls


@pytest.mark.parametrize("text", [
    'Speaking to Vardun, Ana Ruiz said, "We reached our goals."',
    "A Brightline Glass spokesperson confirmed the agreement to Vardun on Monday.",
])
def test_extract_who_is_spoken_to_in_an_interview_is_an_outlet(nlp, kb_index, text: str) -> None:
    assert {e.name: e.cls for e in run(nlp, kb_index, text).entities}.get("Vardun") == "MediaOutlet"


def test_extract_talks_resumed_with_a_list_on_the_verb(nlp, kb_index) -> None:
    # the parser hangs "with" on the verb here
    ex = run(nlp, kb_index, "The vote ends a day before the Harbor Pilots Union resumes bargaining with Brightline "
             "Glass, Clearview Industries and other companies.")
    talks = {frozenset((r.subject, str(r.object))) for r in ex.relations if r.predicate == "negotiatesWith"}
    assert {frozenset(("Harbor Pilots Union", c)) for c in ("Brightline Glass", "Clearview Industries")} <= talks


@pytest.mark.parametrize("text, leader, country", [
    ("Israeli Prime Minister Benjamin Netanyahu said the strike was political.", "Benjamin Netanyahu", "Israel"),
    ("Sri Lankan Prime Minister Mahinda Rajapakse met teacher union officials.", "Mahinda Rajapakse", "Sri Lanka"),
    ("French President Emmanuel Macron said the strike was unfair.", "Emmanuel Macron", "France"),
])
def test_extract_a_nationality_before_a_head_of_government_names_the_country(nlp, kb_index, text: str, leader: str,
                                                                              country: str) -> None:
    ex = run(nlp, kb_index, text)
    assert (leader, "leads", country) in triples(ex)
    assert {e.name: e.cls for e in ex.entities}[country] == "Place"


@pytest.mark.parametrize("text, expected", [
    ("President Ana Ruiz of the Harbor Pilots Union said talks failed.", {("Ana Ruiz", "Harbor Pilots Union")}),
    ("Presidents Ana Ruiz of the Harbor Pilots Union and Tom Hale of the Dock Clerks Union spoke on Monday.",
     {("Ana Ruiz", "Harbor Pilots Union"), ("Tom Hale", "Dock Clerks Union")}),
    ("Acme hired Ana Ruiz of the Harbor Pilots Union on Monday.", set()),  # no title: no leader
    ("Co-chairs of the Harbor Doctors Union negotiating committee Dr Robert Lane and Dr Vivek Tran called the "
     "minister a delayer.", {("Robert Lane", "Harbor Doctors Union Negotiating Committee"),
                             ("Vivek Tran", "Harbor Doctors Union Negotiating Committee")}),
    ("Robert Lane and Vivek Tran, co-chairs of the Harbor Doctors Union's negotiating committee, spoke.",
     {("Robert Lane", "Harbor Doctors Union Negotiating Committee"),
      ("Vivek Tran", "Harbor Doctors Union Negotiating Committee")}),
    ("Robert Lane and Vivek Tran, members of the Harbor Doctors Union's negotiating committee, spoke.", set()),
])
def test_extract_leader_titled_before_a_name_of_a_body(nlp, kb_index, text: str, expected: set) -> None:
    assert {(s, o) for s, p, o in triples(run(nlp, kb_index, text)) if p == "leads"} == expected


def test_extract_a_title_word_inside_a_union_name_is_no_person(nlp, kb_index) -> None:
    ex = run(nlp, kb_index, "The National Samsung Electronics Union called a strike on Monday.")
    assert {e.name: e.cls for e in ex.entities}.get("National Samsung Electronics Union") == "LaborUnion"


@pytest.mark.parametrize("text, name", [
    ('Freight transport body Logistics UK said it was "not expecting massive disruption" from the walkout.',
     "Logistics UK"),
    ("Transport group Manibela is holding its strike from Wednesday.", "Manibela"),
])
def test_extract_a_place_named_right_after_an_organisation_noun_is_an_organisation(nlp, kb_index, text: str,
                                                                                  name: str) -> None:
    assert {e.name: e.cls for e in run(nlp, kb_index, text).entities}.get(name) not in (None, "Place", "Person")


@pytest.mark.parametrize("text, talks", [
    ("The strike began last month, but Brightline Glass failed to reach an agreement with the Harbor Pilots Union "
     "over wages.", True),
    ("The Harbor Pilots Union did not reach a deal with Brightline Glass.", True),
    ("The Harbor Pilots Union was not able to reach a deal with Brightline Glass.", True),
    ("The Harbor Pilots Union was unable to reach a deal with Brightline Glass.", True),
    ("The Harbor Pilots Union reached a deal with Brightline Glass.", True),
    ("The Harbor Pilots Union failed to reach its goals, Brightline Glass said.", False),
])
def test_extract_a_deal_not_reached_still_means_talks(nlp, kb_index, text: str, talks: bool) -> None:
    found = {(s, p, o) for s, p, o in triples(run(nlp, kb_index, text))
             if {s, o} == {"Harbor Pilots Union", "Brightline Glass"}}
    assert any(p in ("negotiatesWith", "reachesAgreementWith") for _, p, _ in found) is talks
    assert ("reachesAgreementWith" in {p for _, p, _ in found}) is ("reached a deal" in text)


@pytest.mark.parametrize("text, speaker", [
    ("The Harbor Pilots Union rejected the offer. Union General Secretary Ana Ruiz said:\n\n“We will not accept a "
     "deal that cuts our members’ pay.”", "Ana Ruiz"),
    ('In a statement, the Harbor Pilots Union said:\n"We will not accept a deal that cuts our members pay."',
     "Harbor Pilots Union"),
])
def test_extract_a_quotation_after_a_colon_is_the_speakers_of_the_sentence_before(nlp, kb_index, text: str,
                                                                                   speaker: str) -> None:
    assert {q.speaker for q in run(nlp, kb_index, text).quotes} == {speaker}


def test_extract_family_name_first_before_a_hyphenated_given_name_is_one_person(nlp, kb_index) -> None:
    ex = run(nlp, kb_index, "Choi Min-jun, Chairperson of the Harbor Pilots Union, spoke on Monday. Choi said the "
             "strike would end.")
    assert "Choi" not in {e.name for e in ex.entities}
    assert {e.name for e in ex.entities if e.cls == "Person"} == {"Choi Min-jun"}


@pytest.mark.parametrize("text", [
    "The Harbor Pilots Union under the Coastal Confederation of Trade Unions (CCTU) ended its strike.",
    "The talks brought together the Harbor Pilots Union, affiliated with the Coastal Confederation of Trade "
    "Unions, and the Gulf Port Employers Group.",
    "The Coastal Confederation of Trade Unions (CCTU) called a strike. The CCTU's Harbor Pilots Union joined it.",
    "The Coastal Confederation of Trade Unions expressed full support for its Greek affiliate the Harbor Pilots "
    "Union.",
])
def test_extract_union_under_or_affiliated_with_a_confederation_belongs_to_it(nlp, kb_index, text) -> None:
    assert ("Harbor Pilots Union", "memberOf", "Coastal Confederation of Trade Unions") in triples(
        run(nlp, kb_index, text))


@pytest.mark.parametrize("text", [
    "The Harbor Pilots Union under pressure from the Coastal Workers Federation ended its strike.",
    "The Harbor Pilots Union's Dana Roe said the Coastal Workers Federation would join the strike.",
])
def test_extract_a_union_under_pressure_belongs_to_nothing(nlp, kb_index, text: str) -> None:
    assert not [t for t in triples(run(nlp, kb_index, text)) if t[1] == "memberOf"]


def test_extract_the_government_alone_is_no_name_but_stands_for_the_named_one(nlp, kb_index) -> None:
    ex = run(nlp, kb_index, "The Brazilian government plans to sell the ports. The Harbor Pilots Union reached an "
             "agreement with the government on Friday.")
    assert "government" not in {e.name.lower() for e in ex.entities}
    assert ("Brazilian government", "reachesAgreementWith", "Harbor Pilots Union") in triples(ex)


def test_extract_an_acronym_the_article_spells_out_beats_the_knowledge_base(nlp, kb_index) -> None:
    # the knowledge base knows 'BMA' as the British Medical Association
    ex = run(nlp, kb_index, "The union says the agreement for Bryce Benton-Mayfield Alliance (BMA) workers was "
             "voted through. Members voted in favour of BMA's latest offer.")
    names = {e.name for e in ex.entities}
    assert "Benton-Mayfield Alliance" in names and "British Medical Association" not in names, names


def test_extract_titles_all_through_are_no_person_and_no_name(nlp, kb_index) -> None:
    ex = run(nlp, kb_index, 'The Harbor Advocacy Service (HAS) said so. "Management will implement it in full," '
             'said GWU Deputy General Secretary, John King. Ann Roe, HAS National Manager, was pleased.')
    names = {e.name for e in ex.entities}
    assert not {"General Secretary", "HAS National"} & names, names
    assert "John King" in {q.speaker for q in ex.quotes}


@pytest.mark.parametrize("text, name, cls, fact", [
    # a government said with its country, state or level; a ministry named by its field
    ("The Israeli government and the Harbor Pilots Union reached an agreement on Sunday.", "Israeli government",
     "GovernmentOrganization", None),
    ("The New South Wales government met the Harbor Pilots Union on Monday.", "New South Wales government",
     "GovernmentOrganization", None),
    ("Representatives of the Harbor Nurses Union this week broke off negotiations with the health ministry, which "
     "had been going on since February.", "health ministry", "GovernmentOrganization",
     ("Harbor Nurses Union", "negotiatesWith", "health ministry")),
    # a list is no apposition, nor a modifier of the noun the parser nested it in
    ("The Israeli government and the country's largest labor union reached an agreement ending a general strike. "
     "The Histadrut said so.", "Israeli government", "GovernmentOrganization", None),
    ("The nurses are represented by the Harbor Nurses Association. The governor announced a tentative agreement "
     "early Tuesday between the nurses’ union and hospital operator Clearview Health.", "Clearview Health", "Company",
     ("Clearview Health", "reachesAgreementWith", "Harbor Nurses Association")),
    # a 'person' before a company officer's title is a company
    ("Virgil Blue has avoided a strike by engineers of the Aircraft Engineers Union after agreeing to a new "
     "enterprise agreement. Outgoing Virgil Blue chief executive Dana Moss was involved.", "Virgil Blue", "Company",
     ("Aircraft Engineers Union", "reachesAgreementWith", "Virgil Blue")),
    # a company's name before 'workers’ union' names its workers' union
    ("More than 2,000 workers of the Clearview Glass Industries (CGI) plant will march, said Suresh Gaur, president of "
     "the CGI workers’ union.", "CGI workers’ union", "LaborUnion", ("Suresh Gaur", "leads", "CGI workers’ union")),
    # a short form read before its long name takes the long name's class
    ("Clearview Airways has made a deal with CAPA to end the go-slow. The matter was resolved after talks with the "
     "Clearview Air Lines Pilots Association (CAPA).", "Clearview Air Lines Pilots Association", "LaborUnion", None),
])
def test_extract_entity_class_from_name_and_context(nlp, kb_index, text, name, cls, fact) -> None:
    ex = run(nlp, kb_index, text)
    assert {e.name: e.cls for e in ex.entities}.get(name) == cls
    assert fact is None or fact in triples(ex)


def test_extract_a_bracketed_short_form_mostly_in_capitals_is_the_name_before_it(nlp, kb_index) -> None:
    ex = run(nlp, kb_index, "The Ministry of Education (MoE) made an offer. The Glass Workers Union negotiation team "
             "met with the MoE for mediation on Friday.")
    assert any(t[1] == "negotiatesWith" and "Ministry of Education" in (t[0], t[2]) for t in triples(ex))


@pytest.mark.parametrize("text, absent", [
    # a rule that lengthens a company's name before an officer's title never shortens one the NER found
    ("Bank of Varnia CEO Dora White said the offer stood.", ("Dora White", "leads", "Varnia")),
    # withdrawing a strike notice or a planned strike ends no strike
    ("date 2025-03-04\n\nThe Harbor Workers Union announced the withdrawal of its strike notice on March 3, 2025.",
     ("Harbor Workers Union", "strikeEndedOn", "2025-03-03")),
    # a place before a job noun names no union: the Toronto nurses are the nurses' union's
    ("The Toronto Transit Union and the Ontario Nurses Union said talks failed. Toronto nurses went on strike on "
     "March 3, 2025.", ("Toronto Transit Union", "onStrikeSince", "2025-03-03")),
    # 'employers' is an employers' association of the same industry or one named before, not any named later
    ("Steel employers and the United Steel Union reached a deal, ending a strike at Acme Steel. The Ontario "
     "Chamber of Commerce welcomed the agreement.",
     ("Ontario Chamber of Commerce", "reachesAgreementWith", "United Steel Union")),
    # a person after 'and' is not one of the body's leaders
    ("Co-chairs of the Harbor Workers Union and Ana Roe, the chief executive of Acme Corp, met on Monday.",
     ("Ana Roe", "leads", "Harbor Workers Union")),
    # who wants others back at the table, or denies resuming talks, asserts no talks
    ("The minister wants Pellor Shipping to return to the bargaining table with the Harbor Workers Union.",
     ("Harbor Workers Union", "negotiatesWith", "Pellor Shipping")),
    ("Pellor Shipping said it will not resume talks with the Harbor Workers Union.",
     ("Harbor Workers Union", "negotiatesWith", "Pellor Shipping")),
])
def test_extract_rules_do_not_overreach(nlp, kb_index, text: str, absent: tuple[str, str, str]) -> None:
    pub = date(2025, 3, 4) if text.startswith("date ") else date(2025, 6, 13)
    body = text.split("\n\n", 1)[1] if text.startswith("date ") else text
    found = triples(run(nlp, kb_index, body, pub))
    assert absent not in found and tuple(reversed(absent)) not in found, found


@pytest.mark.parametrize("sentence, word, lemma", [
    ("Workers staged a strike.", "staged", "stage"),
    ("The union hoped to settle.", "hoped", "hope"),
    ("The union is hoping to settle.", "hoping", "hope"),
])
def test_extract_lemmas_the_small_model_gets_wrong_are_mended(nlp, sentence: str, word: str, lemma: str) -> None:
    assert next(t.lemma_ for t in nlp(sentence) if t.text == word) == lemma


@pytest.mark.parametrize("text", [
    "The Glass Workers Union called off its strike after reaching an agreement with Clearview Industries.",
    "Clearview Industries workers called off their strike after reaching an agreement with the company's "
    "management. This followed meetings between the Glass Workers Union and Clearview Industries management.",
])
def test_extract_calling_off_a_strike_after_a_deal_keeps_the_deal(nlp, kb_index, text: str) -> None:
    assert ("Clearview Industries", "reachesAgreementWith", "Glass Workers Union") in {
        (min(s, o), p, max(s, o)) for s, p, o in triples(run(nlp, kb_index, text))}
