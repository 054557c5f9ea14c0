"""Strike start and end dates, said as events, states and counts."""
from __future__ import annotations

import pytest

UNION = "Glass Workers Union"  # articles dated 2025-06-13, a Friday


@pytest.mark.parametrize("text, expected", [
    (f"The {UNION} is on strike.", (UNION, "onStrikeSince", "2025-06-13")),
    (f"Workers are on the tenth day of the strike at Clearview Industries, the {UNION} said.",
     (UNION, "onStrikeSince", "2025-06-04")),
    (f"The {UNION}'s work stoppage began on June 2.", (UNION, "onStrikeSince", "2025-06-02")),
    (f"The {UNION}, which has been picketing the plant since mid-May, wants a raise.",
     (UNION, "onStrikeSince", "2025-05")),
    (f"Members of the {UNION} voted down the offer before they walked off the job on June 2.",
     (UNION, "onStrikeSince", "2025-06-02")),
    (f"The {UNION} board voted on Tuesday to end the strike.", (UNION, "strikeEndedOn", "2025-06-10")),
    (f"The {UNION} said its strike action began on June 2.", (UNION, "onStrikeSince", "2025-06-02")),
    (f"Members of the {UNION} suspended their industrial action on June 10.", (UNION, "strikeEndedOn", "2025-06-10")),
    (f"Public servants of the {UNION} hit picket lines across the country beginning June 2nd.",
     (UNION, "onStrikeSince", "2025-06-02")),
    (f"The {UNION} said on Friday that the strike, which commenced on the 3rd of June, 2025, goes on.",
     (UNION, "onStrikeSince", "2025-06-03")),
    (f"Members of the {UNION} have gone on strike.", (UNION, "onStrikeSince", "2025-06-13")),
    (f"The eight-day {UNION} strike came to an end early Wednesday morning.", (UNION, "onStrikeSince", "2025-06-04")),
    (f"The {UNION} ended its three-week strike on Monday.", (UNION, "onStrikeSince", "2025-05")),
    (f"Members of the {UNION} are back on the job Monday, ending a 30-day strike.",
     (UNION, "onStrikeSince", "2025-05-11")),
    (f"The {UNION} rejected the offer. Pickets gathered at the gates on Monday when the walkout started.",
     (UNION, "onStrikeSince", "2025-06-09")),
    (f"Members of the {UNION} are walking out for eight days in a dispute over pay.",
     (UNION, "onStrikeSince", "2025-06-13")),
    (f"The {UNION} went on strike on June 2. The strike has ended.", (UNION, "strikeEndedOn", "2025-06-13")),
    (f"The {UNION} announced the end of its strike on Tuesday.", (UNION, "strikeEndedOn", "2025-06-10")),
    (f"Teachers of the {UNION} embarked on a nationwide strike on June 2.", (UNION, "onStrikeSince", "2025-06-02")),
    (f"Members of the {UNION} laid down their tools on June 2.", (UNION, "onStrikeSince", "2025-06-02")),
    (f"The {UNION} held a one-day strike on June 2.", (UNION, "onStrikeSince", "2025-06-02")),
    (f"A massive strike by the {UNION} roared into its third day on Wednesday.",
     (UNION, "onStrikeSince", "2025-06-09")),
    (f"The strike by the {UNION} entered its fourth day.", (UNION, "onStrikeSince", "2025-06-10")),
    (f"Stevedores and terminal workers of the {UNION} commenced their widespread strike at 6am at all ports.",
     (UNION, "onStrikeSince", "2025-06-13")),
    (f"The {UNION} said its trade union action began on June 2.", (UNION, "onStrikeSince", "2025-06-02")),
    (f"Industrial action by the {UNION} has come to an end after employers reached an agreement.",
     (UNION, "strikeEndedOn", "2025-06-13")),
    (f"Yesterday, members of the {UNION} voted to accept the latest pay offer, bringing strike action to a close.",
     (UNION, "strikeEndedOn", "2025-06-12")),
    (f"This comes one week after 31,000 members of the {UNION} (GWU) in Ohio, Indiana, and Kentucky walked off "
     "their jobs June 2 to protest cuts.", (UNION, "onStrikeSince", "2025-06-02")),
    (f"The {UNION} went on strike on June 2. The strike has been called off.",
     (UNION, "strikeEndedOn", "2025-06-13")),
    (f"The {UNION} ended its strike after members ratified the contract on Thursday.",
     (UNION, "strikeEndedOn", "2025-06-12")),
    (f"The strike by the {UNION}, which started on June 2, ended on Thursday.", (UNION, "onStrikeSince", "2025-06-02")),
    # "staged" is no stag's ('staged' and 'staging' get their lemma from the lexicon)
    (f"The {UNION} said talks hit a deadlock. Workers staged a strike on Wednesday outside the plant.",
     (UNION, "onStrikeSince", "2025-06-11")),
    (f"The {UNION} said talks failed. Bin collectors have been on strike since June 2.",
     (UNION, "onStrikeSince", "2025-06-02")),
    (f"The {UNION}'s strike, which had been scheduled to finish on June 20, was ended on Wednesday.",
     (UNION, "strikeEndedOn", "2025-06-11")),
    (f"The {UNION} called off its strike. The strike by 3,000 nurses, which began on May 20, ended on Thursday.",
     (UNION, "onStrikeSince", "2025-05-20")),
    (f"The {UNION} suspended its strike. The deal led to the end of the strike, which began on June 2.",
     (UNION, "onStrikeSince", "2025-06-02")),
    ("GWU local 401, which went on strike just after midnight on Saturday, said an agreement was reached.",
     ("GWU local 401", "onStrikeSince", "2025-06-07")),
    (f"The {UNION} has accepted a wage offer of 6%, bringing the strike in the glass sector to an end.",
     (UNION, "strikeEndedOn", "2025-06-13")),
    (f"Clearview Industries has reached an agreement with the {UNION}, ending a long period of industrial action.",
     (UNION, "strikeEndedOn", "2025-06-13")),
    (f"Clearview Industries signed a deal with the {UNION} on Tuesday to end the strike.",
     (UNION, "strikeEndedOn", "2025-06-10")),
    (f"The {UNION} ended its general strike, which began at 7 a.m. on the 9th, at 5 p.m. on the 11th.",
     (UNION, "onStrikeSince", "2025-06-09")),
    (f"The {UNION} ended its general strike, which began at 7 a.m. on the 9th, at 5 p.m. on the 11th.",
     (UNION, "strikeEndedOn", "2025-06-11")),
    (f"Members of the {UNION} initiated the city's first strike in 25 years on Monday, June 2.",
     (UNION, "onStrikeSince", "2025-06-02")),
    (f"The {UNION} announced an agreement with the automaker to end a strike launched on May 16.",
     (UNION, "onStrikeSince", "2025-05-16")),
    (f"The government and the {UNION} reached an accord ending a strike that has shut the ports since June 2.",
     (UNION, "onStrikeSince", "2025-06-02")),
    (f"The {UNION} called off the strike, which has halted production since June 2.",
     (UNION, "onStrikeSince", "2025-06-02")),
    (f"The {UNION} will begin an unlimited general strike on Friday.", (UNION, "onStrikeSince", "2025-06-13")),
    # a strike for one's own demands, or in solidarity, is one's own
    (f"Nurses of the {UNION} went on strike on Monday in support of their demand for a pay rise.",
     (UNION, "onStrikeSince", "2025-06-09")),
    (f"Members of the {UNION} walked out on Monday in solidarity with striking nurses.",
     (UNION, "onStrikeSince", "2025-06-09")),
    (f"The union said members of the {UNION} will walk off the job today.", (UNION, "onStrikeSince", "2025-06-13")),
    # an assembly of the union decides to accept an offer and end the stoppage
    (f"An assembly of the {UNION} decided on Friday to accept the proposal of the state government and end the "
     "stoppage.", (UNION, "strikeEndedOn", "2025-06-13")),
    # a lede that counts the days of picket lines before it names the union
    (f"Today marks the fifth day of picket lines across all of the colleges. Support staff are represented by the "
     f"{UNION}.", (UNION, "onStrikeSince", "2025-06-09")),
    # 'once' says when, not whether
    (f"Members of the {UNION} will walk out today once the morning shift ends.",
     (UNION, "onStrikeSince", "2025-06-13")),
    # a short form written as a word ('Kalpa'), used before the name it stands for is spelled out
    ("Kalpa launched the strike on Saturday, defying a court order. Travellers were hit by the strike of the Kenya "
     "Airline Pilots Association (Kalpa).", ("Kenya Airline Pilots Association", "onStrikeSince", "2025-06-07")),
    # workers named without their union, in a story about one union; a verb the tagger took for an adposition
    ("Thousands of engineers and call centre workers will down tools from Friday as part of a five-day strike. "
     f"The {UNION} called the strike after a ballot.", (UNION, "onStrikeSince", "2025-06-13")),
])
def test_strikes_dates(facts, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


def test_strikes_on_strike_now_only_when_nothing_else_dates_it(facts) -> None:
    found = facts(f"The {UNION} is on strike. The union walked out on June 2.")
    assert (UNION, "onStrikeSince", "2025-06-02") in found
    assert (UNION, "onStrikeSince", "2025-06-13") not in found


@pytest.mark.parametrize("text", [
    f"The {UNION} will strike on June 20.",
    f"The {UNION} will hold a strike on June 20.",
    f"The {UNION} said its strike begins on June 20.",  # after the publication date: announced
    f"The {UNION} threatened to walk off the job on Monday.",
    f"The {UNION} voted to authorize a strike on Monday.",
    f"The {UNION} described the strike on June 20 at the port as peaceful.",  # not last year's June 20: to come
    f"Members of the {UNION} are walking out on Monday.",  # the present progressive with a day: to come
    f"Members of the {UNION} said they’ll be joining the picket lines Monday.",  # typographic apostrophe
    f"Members of the {UNION} have been on strike for three weeks.",  # began before the day of publication
    f"Members of the {UNION} have already held strikes in many towns.",  # several, past
    f"The strike by the {UNION} will enter its fourth day on Friday.",
    f"The last strike took place three years ago, when members of the {UNION} stopped work for 48 hours.",
    f"The {UNION} may strike today.",
    f"The {UNION} will not strike today.",
    f"A strike threatened since March by the {UNION} was averted on Wednesday.",
    f"The {UNION} called off a strike that had been threatened since March.",
    f"The strike, which has been suspended since June 2, could resume next week, the {UNION} said.",
    f"A strike that has been brewing since February at Clearview Industries could begin on Monday, the {UNION} warned.",
    f"The {UNION} will strike on Friday if talks with Clearview Industries fail.",
    f"If talks fail, members of the {UNION} will walk out today.",
    f"Should talks fail, members of the {UNION} will walk out today.",
    f"Members of the {UNION} will go on strike today or tomorrow, depending on the talks.",
    f"The {UNION} will probably walk out today.",
    f"The {UNION} will hold a strike vote today.",
    f"The {UNION} held a strike vote on Monday.",
    f"The {UNION} will hold a rally today ahead of a strike next week.",
    f"It was the second day of picket lines by farmers outside the parliament. The {UNION} said it backed them.",
    f"The {UNION} threatened that members will walk out today.",
    f"Members of the {UNION} will join the picket lines today in support of the Dock Workers Union.",
    f"Members of the {UNION} joined the picket lines on June 2 in solidarity with the Dock Workers Union.",
])
def test_strikes_announced_or_threatened_assert_nothing(facts, text: str) -> None:
    assert not {f for f in facts(text) if f[1] == "onStrikeSince"}


def test_strikes_workers_of_a_story_about_one_union_are_its_members(facts) -> None:
    found = facts(f"Workers at the Clearview plant walked off the job on June 2. They are members of the {UNION}.")
    assert (UNION, "onStrikeSince", "2025-06-02") in found


def test_strikes_the_day_a_strike_was_launched_is_not_its_end(facts) -> None:
    found = facts(f"The {UNION} announced an agreement with the automaker to end a strike launched on May 16.")
    assert not {f for f in found if f[1] == "strikeEndedOn" and f[2] == "2025-05-16"}


def test_strikes_a_strike_that_would_shut_something_since_a_day_has_not_begun(facts) -> None:
    found = facts(f"The {UNION} threatened a strike that would shut the ports since May.")
    assert not {f for f in found if f[1] == "onStrikeSince"}


def test_strikes_until_bounds_the_end(facts) -> None:
    found = facts(f"The {UNION} agreed on Thursday to suspend its strike until July 15.")
    assert (UNION, "strikeEndedOn", "2025-07-15") not in found


@pytest.mark.parametrize("text", [
    "The Harbor Pilots Union and the Dock Clerks Union say they will not back down. The Unions on June 2, 2025, "
    "declared a nationwide strike over the failure of the port authority to meet the deadline.",
    "The Harbor Pilots Union and the Dock Clerks Union walked off the job on June 2.",
    # 'their' is every union listed with the one it stands for, through the subject of its clause
    "The two striking unions, the Harbor Pilots Union and the Dock Clerks Union, said they had reached an "
    "agreement. The unions are ending their strikes, which began on June 2, 2025.",
    "The Harbor Pilots Union and the Dock Clerks Union said their strike, which began on June 2, 2025, would go on.",
    "The Harbor Pilots Union and the Dock Clerks Union represent 4,000 port workers. They have been on strike since "
    "June 2, 2025.",
    # the leadership of the unions declares for them
    "The Harbor Pilots Union and the Dock Clerks Union met the ministry on Wednesday. The national leadership of "
    "the two unions declared strike beginning Monday, June 2, 2025.",
])
def test_strikes_several_unions_strike_together(facts, text: str) -> None:
    found = facts(text)
    assert {("Harbor Pilots Union", "onStrikeSince", "2025-06-02"),
            ("Dock Clerks Union", "onStrikeSince", "2025-06-02")} <= found
    assert not any(p == "negotiatesWith" for _, p, _ in found)  # 'meet the deadline' is no meeting


def test_strikes_a_start_stated_beats_one_counted_from_the_length(facts) -> None:
    found = facts(f"The {UNION} walked out on May 20. Members returned to work on Friday, ending an 18-day strike.")
    assert {f for f in found if f[1] == "onStrikeSince"} == {(UNION, "onStrikeSince", "2025-05-20")}


def test_strikes_striking_workers_going_back_start_nothing(facts) -> None:
    found = facts(f"Striking members of the {UNION} went back to work on Monday after the union suspended its strike.")
    assert {f[1] for f in found} == {"strikeEndedOn"}


def test_strikes_a_strike_that_halts_something_does_not_end(facts) -> None:
    found = facts(f"The {UNION} went on strike on June 2. Workers rejected the offer, meaning a strike that has "
                  "halted production at Clearview Industries will go on.")
    assert not {f for f in found if f[1] == "strikeEndedOn"}, found


def test_strikes_calling_off_strikes_to_come_ends_none(facts) -> None:
    found = facts(f"The {UNION} has called off strikes next week after a new offer was made.")
    assert not {f for f in found if f[1] == "strikeEndedOn"}, found


def test_strikes_a_strike_ended_on_a_day_did_not_begin_then(facts) -> None:
    found = facts(f"Members of the {UNION} ended a nationwide strike on Tuesday after accepting a counter-proposal.")
    assert (UNION, "strikeEndedOn", "2025-06-10") in found
    assert not {f for f in found if f[1] == "onStrikeSince"}, found


def test_strikes_a_dateline_place_is_no_striker(facts) -> None:
    found = facts(f"SAO PAULO Jun 10 Glass workers in Brazil ended a nationwide strike on Tuesday. In a statement, the "
                  f"{UNION} agreed to return to work.")
    assert (UNION, "strikeEndedOn", "2025-06-10") in found, found


def test_strikes_calling_off_a_strike_slated_to_begin_ends_none(facts) -> None:
    found = facts(f"The {UNION} has called off the teachers’ strike that was slated to begin on Monday, June 16.")
    assert not {f for f in found if f[1] == "strikeEndedOn"}, found


def test_strikes_a_deal_reached_to_end_a_strike_dates_no_end_by_itself(facts) -> None:
    # a tentative deal "to end" a strike may be ratified days later: only a date said for it dates the end
    found = facts(f"The {UNION} and Clearview Industries have reached a tentative agreement to end a strike that "
                  "has lasted over a month.")
    assert not {f for f in found if f[1] == "strikeEndedOn"}, found


def test_strikes_workers_led_by_a_union_named_by_its_acronym(facts) -> None:
    found = facts("Some 400 pilots based at Stockholm's Arlanda airport went on strike on Tuesday led by their SPF "
                  "labour union, locked for months in bitter pay negotiations with management.")
    assert ("SPF", "onStrikeSince", "2025-06-10") in found, found


def test_strikes_a_headline_tells_the_news_in_the_present(facts) -> None:
    found = facts("Glass strike starts after talks break down\n\nLast-ditch talks fail to stop walkout\n\n"
                  f"The city's glass plants were brought to a standstill this evening. Thousands of members of the "
                  f"{UNION} who walked out are not due back until Thursday.")
    assert (UNION, "onStrikeSince", "2025-06-13") in found, found


def test_strikes_members_of_a_union_named_with_its_acronym_in_brackets(extract_text) -> None:
    ex = extract_text("Thousands of members of the Rail, Glass and Transport (RGT) union walked out on Monday.")
    assert {e.name: e.cls for e in ex.entities}.get("Rail, Glass and Transport") == "LaborUnion"


def test_strikes_a_planned_strike_on_a_day_has_not_begun(facts) -> None:
    found = facts(f"The {UNION} said members would strike. The planned strike on Tuesday at all plants is shaping "
                  "up to be highly disruptive.")
    assert not {f for f in found if f[1] == "onStrikeSince"}, found


def test_strikes_a_relative_clause_the_parser_hung_on_an_earlier_noun(facts) -> None:
    found = facts(f"The {UNION} reached a deal. That is a formality now that the unions are promoting their gains "
                  "and ending their strikes, which began on June 2nd.")
    assert (UNION, "onStrikeSince", "2025-06-02") in found, found


def test_strikes_a_return_to_work_in_the_present_is_to_come(facts) -> None:
    # articles dated Friday 2025-06-13: "Wednesday" in the present tense is next Wednesday
    found = facts(f"Members of the {UNION} return to work Wednesday after reaching an agreement. Members still have "
                  "to ratify the contract after they return to work on Wednesday.")
    assert not {f for f in found if f[1] == "strikeEndedOn" and f[2] < "2025-06-13"}, found


def test_strikes_a_start_last_week_on_a_weekday(facts) -> None:
    found = facts(f"The {UNION} asked employers not to victimise its members for their part in the strike which "
                  "began last week on Tuesday.")
    assert (UNION, "onStrikeSince", "2025-06-03") in found, found


def test_strikes_withdrawing_a_strike_notice_ends_none(facts) -> None:
    found = facts(f"The {UNION} today said it has withdrawn the strike notice given to the management.")
    assert not {f for f in found if f[1] == "strikeEndedOn"}, found


def test_strikes_an_end_reported_in_the_present_dates_to_the_day_it_was_said(facts) -> None:
    found = facts("A statement on Tuesday from the Harbor Pilots Union said the pilots have accepted the offer and "
                  "are going back to work.")
    assert ("Harbor Pilots Union", "strikeEndedOn", "2025-06-10") in found, found
