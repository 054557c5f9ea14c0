"""Dispute frames: talks, deals and strikes whose sides a sentence leaves to the rest of the article."""
from __future__ import annotations

import pytest

UNION, COMPANY, OTHER = "Glass Workers Union", "Clearview Industries", "Brightline Glass"


def _talks(a: str, b: str) -> tuple[str, str, str]:
    x, y = sorted((a, b))
    return (x, "negotiatesWith", y)


def _deal(a: str, b: str) -> tuple[str, str, str]:
    x, y = sorted((a, b))
    return (x, "reachesAgreementWith", y)


@pytest.mark.parametrize("text, expected", [
    # talks without a party in their sentence belong to the article's union and employer
    (f"The {UNION} walked out at {COMPANY} on Monday. Negotiations broke down on Sunday night.",
     _talks(UNION, COMPANY)),
    (f"Workers at {COMPANY} belong to the {UNION}. Contract talks stalled in May.", _talks(UNION, COMPANY)),
    # an unnamed side: 'the companies', 'management'
    (f"Talks between the {UNION} and the companies resumed on Friday. {COMPANY} said it wanted a deal.",
     _talks(UNION, COMPANY)),
    (f"{COMPANY} makes glass in Ohio. The {UNION} and management held talks on Friday.", _talks(UNION, COMPANY)),
    # a lockout says who faces whom
    (f"{COMPANY} locked out 3,000 workers represented by the {UNION} on Monday. Talks had stalled for weeks.",
     _talks(UNION, COMPANY)),
    # talks placed in time ('following negotiations facilitated by X') are the dispute's
    (f"{COMPANY} reached an agreement with the {UNION}. It was reached following negotiations facilitated by the "
     "Fair Work Commission.", _talks(UNION, COMPANY)),
    # a deal with no party named in its sentence
    (f"The {UNION} has been on strike at {COMPANY} since May 2. A tentative agreement was reached late Sunday.",
     _deal(UNION, COMPANY)),
    (f"{COMPANY} and the {UNION} met on Friday. The union reached a tentative deal on Sunday.",
     _deal(UNION, COMPANY)),
    # offers and proposals pass between the two sides
    (f"The {UNION} rejected {COMPANY}'s final offer on Sunday.", _talks(UNION, COMPANY)),
    (f"The {UNION} struck. The union agreed to a revised offer from {COMPANY} of a 13% wage hike.",
     _talks(UNION, COMPANY)),
    (f"{COMPANY} released details of its proposal to the {UNION} on Monday.", _talks(UNION, COMPANY)),
    (f"The {UNION} is on strike. The employers' group, which bargains for {COMPANY}, said its offer was fair.",
     _talks(UNION, COMPANY)),
    # 'their' stands for the unions listed before
    ("The Bus Drivers Union and the Rail Workers Union struck on Monday. Their meeting with the Transit "
     "Authority ended without a deal.", _talks("Rail Workers Union", "Transit Authority")),
    # 'representatives of A, B and C', parties from a list
    (f"Talks resumed between the {UNION} and representatives of {COMPANY}, {OTHER} and Optima Glassworks.",
     _talks(UNION, "Optima Glassworks")),
    # 'management' of a company's union is its company, whichever the story is mostly about
    ("The Halvorsen Air System labor union went on strike Wednesday, forcing the carrier to cancel 172 flights. The "
     "union is dissatisfied with the company’s stance in negotiations on bonuses. The labor union of Daesan Airways "
     "decided late Tuesday not to go on strike because it has reached an agreement with management.",
     _deal("Daesan Airways labor union", "Daesan Airways")),
    # ... but not where the sentence names the employer it settled with
    ("The Daesan Airways labor union, which also represents ground staff at Skyport Services, said it had reached an "
     "agreement with management at Skyport Services on Friday.",
     _deal("Daesan Airways labor union", "Skyport Services")),
    # talks held at an employer are with it, whoever the parser hangs 'at' on
    (f"The {UNION} is on strike. The stakes are rising over deadlocked bargaining at {OTHER}, which rejected its "
     "claim.", _talks(UNION, OTHER)),
    (f"The {UNION} walked out on Monday after talks at {OTHER} broke down.", _talks(UNION, OTHER)),
])
def test_frames_fill_the_unnamed_side(facts, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


def test_frames_same_side_list_faces_the_other_side(facts) -> None:
    found = facts(f"The {UNION} said on Monday that {COMPANY} and {OTHER} struck deals with it last week.")
    assert {_deal(UNION, COMPANY), _deal(UNION, OTHER)} <= found
    assert _deal(COMPANY, OTHER) not in found  # co-members of a list did not settle with each other


def test_frames_committee_talks_for_its_union(extract_text) -> None:
    ex = extract_text(f"The {UNION} is on strike at {COMPANY}. The union's bargaining committee said talks "
                      "resumed on Friday.")
    rules = {(r.subject, r.object): r.evidence.rule for r in ex.relations if r.predicate == "negotiatesWith"}
    assert rules, ex.relations
    assert all(rule.startswith("frame_") or rule.endswith("_frame") for rule in rules.values())
    assert all(r.evidence.confidence <= 0.6 for r in ex.relations if r.evidence.rule.endswith("frame"))


@pytest.mark.parametrize("text", [
    f"The {UNION} held a rally outside {COMPANY} on Monday.",  # no talks at all
    f"The {UNION} is angry with {COMPANY}. Talks are scheduled to resume on Friday.",  # not yet
    f"The {UNION} is angry with {COMPANY}. Talks would resume only after a vote.",
    f"The {UNION} is angry with {COMPANY}. Its new lawyer has long experience in labor talks.",  # generic
    f"The {UNION} is angry with {COMPANY}. There have been no talks since May.",  # negated
    f"The {UNION} met with {COMPANY}. Both groups support collective bargaining between employers and unions.",
])
def test_frames_assert_no_talks_without_a_mention_of_them(facts, text: str) -> None:
    found = {f for f in facts(text) if f[1] == "negotiatesWith"}
    assert found <= {_talks(UNION, COMPANY)} and ("met with" in text) == bool(found)


def test_frames_umbrella_members_and_talks(facts) -> None:
    found = facts(f"The {UNION} negotiated with {COMPANY} and {OTHER} under the umbrella of the Glassmakers "
                  "Employers Association.")
    assert {(COMPANY, "memberOf", "Glassmakers Employers Association"),
            (OTHER, "memberOf", "Glassmakers Employers Association"),
            _talks(UNION, "Glassmakers Employers Association"), _talks(UNION, COMPANY)} <= found


def test_frames_parent_company_is_the_party(facts) -> None:
    found = facts(f"Tallis Motors and Brayford parent company Kestrel Holdings struck deals with the {UNION} "
                  "last week.")
    assert {_deal(UNION, "Tallis Motors"), _deal(UNION, "Kestrel Holdings")} <= found
    assert not any("Brayford" in f for f in found)


def test_frames_represents_in_a_participle(facts) -> None:
    found = facts("The Glassmakers Employers Association — representing Clearview Industries, Brightline Glass "
                  "and others — said it made a generous offer.")
    assert ("Glassmakers Employers Association", "represents", COMPANY) in found


def test_frames_a_dispute_says_who_faces_whom(facts) -> None:
    text = ("The Glass Workers Union said on Monday that its members would vote on the plan. Brightline Glass was "
            "named in the report, and Brightline Glass was fined. Clearview Industries had been at loggerheads "
            "with the union over pay for months. Negotiations broke down on Friday.")
    talks = {(s, o) for s, p, o in facts(text) if p == "negotiatesWith"}
    assert talks == {("Clearview Industries", "Glass Workers Union")}


@pytest.mark.parametrize("text, expected, not_expected", [
    # a party set off by an aside, and meetings 'held between' the sides
    (f"This followed meetings held on Saturday between the {UNION}, representing the workers, and {COMPANY} "
     "management.", _talks(UNION, COMPANY), None),
    # mediators are neither side of the talks they mediate
    (f"Workers at {COMPANY} ended their strike. The two groups held a press conference following the negotiations "
     f"that had been mediated by the Central Federation of Labour Unions (CFLU) and the Federation of Glass "
     f"Employers (FGE). Earlier, meetings were held between the {UNION} and {COMPANY}.", _talks(UNION, COMPANY),
     _talks("Central Federation of Labour Unions", "Federation of Glass Employers")),
])
def test_frames_parties_past_asides_and_mediators(facts, text: str, expected: tuple, not_expected: tuple | None
                                                  ) -> None:
    found = facts(text)
    assert expected in found, found
    assert not_expected not in found, found


@pytest.mark.parametrize("text, expected", [
    # an employer that convenes or chairs the talks is a side of them
    ("Talks convened by the Ministry of Education with the Kenya National Union of Teachers broke down.",
     _talks("Kenya National Union of Teachers", "Ministry of Education")),
])
def test_frames_a_convener_is_a_side(facts, text: str, expected: tuple) -> None:
    assert expected in facts(text)


def test_frames_no_aside_across_a_clause(facts) -> None:
    found = facts("Talks between the RMT and train operators, held at the offices of Acas, broke down, and Aslef "
                  "said its drivers would strike too.")
    assert not {f for f in found if f[1] == "negotiatesWith" and "Aslef" in (f[0], f[2])}, found


@pytest.mark.parametrize("host", ["Workplace Relations Commission", "Acas", "Labour Court"])
def test_frames_a_body_that_hosts_talks_is_no_side(facts, host: str) -> None:
    found = facts(f"The {UNION} walked out on Monday. Talks at the {host} failed on Friday.")
    assert not {f for f in found if f[1] == "negotiatesWith" and host in f}


@pytest.mark.parametrize("text", [
    f"The {UNION} is in a pay dispute with {COMPANY}. Talks at the Grand Plaza Hotel broke down on Monday.",
    f"The {UNION} has been in dispute with {COMPANY} since March. Talks at the Ministry of Labour broke down.",
    f"The {UNION} is in dispute with {COMPANY}. Talks at the Central Arbitration Committee resumed on Friday.",
])
def test_frames_talks_at_a_venue_or_a_host_are_with_the_employer(facts, text: str) -> None:
    found = {f for f in facts(text) if f[1] == "negotiatesWith"}
    assert found == {_talks(UNION, COMPANY)}


def test_frames_an_employers_relations_agency_is_a_side(facts) -> None:
    found = facts(f"The {UNION} rejected an offer from the Public Service Employee Relations Commission, the "
                  "government's bargaining agent.")
    assert _talks(UNION, "Public Service Employee Relations Commission") in found


def test_frames_an_organisation_named_only_in_a_quotation_is_no_side(facts) -> None:
    found = facts(f"The {UNION} has suspended its strike. “At an emergency meeting of the Health Professional "
                  "Association held on Friday, the group decided to suspend the strike,” he wrote. The government "
                  "subsequently held a meeting with the union, but the meeting proved futile.")
    assert not {f for f in found if f[1] == "negotiatesWith"}
