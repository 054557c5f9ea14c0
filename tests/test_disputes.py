"""Dispute events of one article (graph.extract.disputes, event_facts, strike_spans): strikes, talks and
agreements with their sides, dates, place, workers and contract, read from the direct relations and their
sentences. Articles are dated 2025-06-13 unless a test says otherwise."""
from __future__ import annotations

from datetime import date

import pytest

from graph.model import DisputeEvent

UNION = "Glass Workers Union"
COMPANY = "Clearview Industries"


def _events(extract_text, text: str, kind: str = "Strike", **kwargs) -> list[DisputeEvent]:
    return [e for e in extract_text(text, **kwargs).events if e.kind == kind]


def _span(event: DisputeEvent) -> tuple[str | None, str | None]:
    return (event.start.iso() if event.start else None, event.end.iso() if event.end else None)


@pytest.mark.parametrize(("text", "expected"), [
    (f"The {UNION}'s last strike began on Feb. 4, 2019, and did not end until March 28 of that year.",
     ("2019-02-04", "2019-03-28")),
    (f"An earlier {UNION} strike began on Nov. 10, 2021 and ended nine days later.", ("2021-11-10", "2021-11-19")),
    (f"That {UNION} strike began on July 1, 2016 and ended on Aug. 2, 2016.", ("2016-07-01", "2016-08-02")),
    (f"A 2018 strike by the {UNION} that lasted 38 days, from Feb. 9 to March 19, cost {COMPANY} $40 million.",
     ("2018-02-09", "2018-03-19")),
])
def test_disputes_strike_spans_date_both_ends(facts, extract_text, text: str, expected: tuple[str, str]) -> None:
    found = facts(text)
    assert {(UNION, "onStrikeSince", expected[0]), (UNION, "strikeEndedOn", expected[1])} <= found
    strikes = _events(extract_text, text)
    assert [(e.union, _span(e)) for e in strikes] == [(UNION, expected)]


@pytest.mark.parametrize("text", [
    f"The {UNION}'s strike began on June 2 and will end on June 20.",
    f"The {UNION}'s strike began on June 2 and did not end.",
])
def test_disputes_strike_span_end_must_be_a_past_fact(facts, text: str) -> None:
    found = facts(text)
    assert (UNION, "onStrikeSince", "2025-06-02") in found
    assert not [f for f in found if f[1] == "strikeEndedOn"]


def test_disputes_one_strike_per_union_and_dispute_year(extract_text) -> None:
    text = (f"The {UNION}'s last strike began on Feb. 4, 2019, and did not end until March 28 of that year. "
            f"The union has been on strike again since June 2.")
    strikes = _events(extract_text, text)
    assert sorted((e.year, _span(e)) for e in strikes) == [
        (2019, ("2019-02-04", "2019-03-28")), (2025, ("2025-06-02", None))]


def test_disputes_strike_has_its_employer_workers_and_place(extract_text) -> None:
    text = (f"About 6,800 members of the {UNION} walked off the job in Calderon on June 2 at {COMPANY}. "
            "The walkout has shut three plants.")
    [strike] = _events(extract_text, text)
    assert (strike.union, strike.employers, strike.workers, strike.place) == (UNION, (COMPANY,), 6800, "Calderon")
    rules = {(f.prop, f.evidence.rule) for f in strike.facts}
    assert {("workersInvolved", "workers_stated"), ("place", "strike_place"),
            ("employerSide", "strike_employers")} <= rules
    mention = [f for f in strike.facts if f.evidence.rule == "strike_mention"]
    assert [f.evidence.sentence for f in mention] == ["The walkout has shut three plants."]


@pytest.mark.parametrize("text", [
    f"The {UNION}, which represents 45,000 workers, went on strike on June 2 against {COMPANY}.",
    f"Local 417 foremen of the {UNION} went on strike on June 2 against {COMPANY}.",
])
def test_disputes_workers_are_those_on_strike_only(extract_text, text: str) -> None:
    [strike] = _events(extract_text, text)
    assert strike.workers is None and strike.employers == (COMPANY,)


def test_disputes_employer_from_the_talks_when_the_strike_names_none(extract_text) -> None:
    text = (f"Talks between the {UNION} and {COMPANY} broke down on May 30. "
            f"Members of the {UNION} went on strike on June 2.")
    [strike] = _events(extract_text, text)
    assert strike.employers == (COMPANY,)
    [talks] = _events(extract_text, text, "Negotiation")
    assert (talks.union, talks.employers, talks.year) == (UNION, (COMPANY,), 2025)


def test_disputes_agreement_dated_by_its_clause_and_ending_the_strike(extract_text) -> None:
    text = (f"Members of the {UNION} walked off the job on June 2. The {UNION} reached a tentative agreement "
            f"with {COMPANY} on Wednesday, ending the strike.")
    [strike] = _events(extract_text, text)
    assert _span(strike) == ("2025-06-02", "2025-06-11")
    [deal] = _events(extract_text, text, "Agreement")
    assert (deal.union, deal.employers, deal.start.iso() if deal.start else None) == (UNION, (COMPANY,),
                                                                                        "2025-06-11")


def test_disputes_undated_deal_reported_with_the_end_of_a_strike_came_that_day(extract_text) -> None:
    text = (f"An earlier {UNION} strike began on Nov. 10, 2021 and ended nine days later after the union "
            f"reached agreement with {COMPANY}.")
    [deal] = _events(extract_text, text, "Agreement")
    assert (deal.year, deal.start.iso() if deal.start else None) == (2021, "2021-11-19")


def test_disputes_undated_talks_after_an_old_strike_are_this_years(extract_text) -> None:
    text = (f"An earlier {UNION} strike began on Nov. 10, 2021 and ended nine days later. "
            f"Talks between the {UNION} and {COMPANY} broke down in May.")
    [talks] = _events(extract_text, text, "Negotiation")
    assert talks.year == 2025


def test_disputes_talks_during_a_running_strike_belong_to_it(extract_text) -> None:
    text = (f"The {UNION} has been on strike since Dec. 1, 2024. "
            f"Talks between the {UNION} and {COMPANY} resumed on Monday.")
    [talks] = _events(extract_text, text, "Negotiation", pub=date(2025, 1, 20))
    assert talks.year == 2024


@pytest.mark.parametrize(("sentence", "contract"), [
    ("The union wants a new three-year contract.", "a new three-year contract"),
    (f"The {UNION} is seeking a new contract with higher pay.", "a new contract"),
    ("Their previous four-year contract expired in May.", None),
])
def test_disputes_contract_at_stake(extract_text, sentence: str, contract: str | None) -> None:
    [strike] = _events(extract_text, f"The {UNION} went on strike on June 2 against {COMPANY}. {sentence}")
    assert strike.contract == contract


def test_disputes_direct_relations_stay_beside_the_events(facts, extract_text) -> None:
    text = (f"Talks between the {UNION} and {COMPANY} broke down on May 30. Members of the {UNION} went on "
            f"strike on June 2. The {UNION} reached a tentative agreement with {COMPANY} on Wednesday, "
            "ending the strike.")
    assert {(UNION, "onStrikeSince", "2025-06-02"), (UNION, "strikeEndedOn", "2025-06-11"),
            (COMPANY, "negotiatesWith", UNION), (COMPANY, "reachesAgreementWith", UNION)} <= facts(text)
    kinds = sorted(e.kind for e in extract_text(text).events)
    assert kinds == ["Agreement", "Negotiation", "Strike"]


def test_disputes_no_strike_no_event(extract_text) -> None:
    text = f"The {UNION} threatened to walk off the job at {COMPANY} on Monday."
    assert _events(extract_text, text) == []
