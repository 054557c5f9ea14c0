"""Quote attribution in the forms of published news: joint statements, transcripts, a statement that adds."""
from __future__ import annotations

import pytest


def _speakers(extract_text, text: str) -> set[str]:
    return {q.speaker for q in extract_text(text).quotes}


def test_quotes_joint_statement_and_what_it_adds(extract_text) -> None:
    text = ("The Glass Workers Union and Clearview Industries said in a joint statement on Thursday that talks "
            "would resume. “All current job actions will cease on Friday,” the statement added.")
    assert _speakers(extract_text, text) == {"Glass Workers Union", "Clearview Industries"}


def test_quotes_coordinated_speakers(extract_text) -> None:
    text = "“We have a deal that works for everyone,” Clearview Industries and the Glass Workers Union said."
    assert _speakers(extract_text, text) == {"Glass Workers Union", "Clearview Industries"}


def test_quotes_transcript_line(extract_text) -> None:
    text = ("Union president Rosa Vance spoke to reporters on Sunday.\n\nRosa Vance: “We asked for a fair raise "
            "and we will not go back without it.”")
    quotes = extract_text(text).quotes
    assert [(q.speaker, q.evidence.rule) for q in quotes] == [("Rosa Vance", "quote_transcript")]


def test_quotes_a_colon_mid_sentence_is_no_transcript(extract_text) -> None:
    text = "The sign said one thing: “We will not go back without a fair raise for every worker.”"
    assert _speakers(extract_text, text) == set()


def test_quotes_person_named_after_a_verb_or_inside_a_title(extract_text) -> None:
    text = ("The unions met the minister. “We refuse to give in”, stressed like the others the leader of the "
            "Harbor Pilots Union Rosa Vance while the new boss of the Glass Workers Union Dana Whitfield affirmed "
            "that “the strikes will go on as long as it takes”.")
    assert _speakers(extract_text, text) >= {"Rosa Vance", "Dana Whitfield"}


def test_quotes_title_then_name_in_a_transcript(extract_text) -> None:
    text = "The talks failed.\n\nUnion spokesperson Amanda Tshemese: “We remain on our picket lines for now.”"
    assert _speakers(extract_text, text) == {"Amanda Tshemese"}


def test_quotes_a_participle_names_no_speaker(extract_text) -> None:
    text = ("The Harbor Pilots Union said that talks with the minister were “just a show”, claiming that Mr Dorran "
            "had no mandate to negotiate.")
    assert _speakers(extract_text, text) == {"Harbor Pilots Union"}


def test_quotes_he_goes_on_with_the_person_the_last_sentence_was_about(extract_text) -> None:
    text = ("Union chair Dr Mara Lindqvist said: “We came with a mandate.” He claimed that Health Secretary Tom "
            "Dorran did not offer a time frame. She added: “They are not taking us seriously.”")
    quotes = extract_text(text).quotes
    assert {q.speaker for q in quotes} == {"Mara Lindqvist"}


def test_quotes_speech_set_out_by_a_dash_line(extract_text) -> None:
    text = ("We are suspending the strike, but the protest goes on until our demands are met\n"
            "— said Marta Wilk, the chair of the Teachers' Union, on Thursday.\n"
            "The ministry did not comment on the decision.\n")
    quotes = extract_text(text).quotes
    assert [(q.speaker, q.text[:10]) for q in quotes] == [("Marta Wilk", "We are sus")]


def test_quotes_a_dash_line_without_a_speech_verb_is_no_attribution(extract_text) -> None:
    text = "We are suspending the strike, but the protest goes on\n— Marta Wilk, the chair of the union.\n"
    assert extract_text(text).quotes == []


def test_quotes_she_after_an_unnamed_spokesperson_is_the_organisation(extract_text) -> None:
    text = ("According to a spokesperson for Clearview Industries, the company is still sorting out the impact. "
            "“Of course we will try to inform customers as quickly as possible,” she said.")
    assert _speakers(extract_text, text) == {"Clearview Industries"}


def test_quotes_the_union_beside_its_officer_is_no_co_speaker(extract_text) -> None:
    text = ("“Our call for a strike on August 22 stands,” C.H. Venkatesan, General Secretary, All India Glass "
            "Employees Association (AIGEA), told reporters.")
    assert _speakers(extract_text, text) == {"C.H. Venkatesan"}


def test_quotes_a_long_name_the_ner_cut_short(extract_text) -> None:
    text = ("“Hence the strike call stands,” D. Thomas Franco Rajendra Nair, General Secretary of the All India "
            "Glass Officers Confederation, said.")
    assert _speakers(extract_text, text) == {"D. Thomas Franco Rajendra Nair"}


def test_quotes_she_after_a_named_spokeswoman_is_that_person(extract_text) -> None:
    text = ("Councillor Ana Roe, the Harbor Council's spokeswoman, said the offer was fair. She added: \"Council "
            "leaders value the workforce.\"")
    assert _speakers(extract_text, text) == {"Ana Roe"}


def test_quotes_he_after_said_to_a_paper_is_the_person(extract_text) -> None:
    text = ("Ismo Kokko, the chairperson at the Glass Workers Union, on Tuesday said to Helsingin Sanomat the "
            "proposals were insufficient. “We did not get too close,” he said.")
    assert _speakers(extract_text, text) == {"Ismo Kokko"}


def test_quotes_a_closing_mark_set_to_open_a_quotation(extract_text) -> None:
    ex = extract_text("The strike is over, the Glass Workers Union said on Friday.\n”It’s over … we signed an "
                      "agreement this afternoon,” union general secretary Mandla Nhlapo said.")
    assert "Mandla Nhlapo" in {q.speaker for q in ex.quotes}


def test_quotes_spans_pair_curly_and_straight_marks() -> None:
    from graph.extract.quote_marks import quote_spans

    text = '”We signed,” she said. He said "no" and “yes”.'
    assert [text[a:b] for a, b in quote_spans(text)] == ["We signed,", "no", "yes"]


def test_quotes_he_is_no_person_named_inside_the_quotation(extract_text) -> None:
    ex = extract_text("Glass Workers Union General Secretary, Dana Whitfield, said the strike would escalate.\n\n"
                      "“It is beyond belief that the company, supported by the indifference of the Minister for "
                      "Industry, Owen Marsh, refuses to talk,” he said.")
    assert {q.speaker for q in ex.quotes} == {"Dana Whitfield"}


@pytest.mark.parametrize("text, speaker", [
    ("“Today marks a sea change,” the release quotes Superintendent Dana Whitfield as saying.", "Dana Whitfield"),
    ("“We are pleased,” the statement quoted Glass Workers Union president Ana Roe as saying.", "Ana Roe"),
])
def test_quotes_quoted_as_saying(extract_text, text: str, speaker: str) -> None:
    assert {q.speaker for q in extract_text(text).quotes} == {speaker}


@pytest.mark.parametrize("text, inside", [
    ("The premier said the government had proposed a ‘fair offer’.", ["fair offer"]),
    ("‘We will not back down,’ union secretary Ana Roe said.", ["We will not back down,"]),
    ("He defended the workers’ rights and the ‘90s deals.", []),  # apostrophes, and a mark never closed
    ("“It is ‘absurd’,” she said.", ["It is ‘absurd’,"]),  # single marks inside double ones are the quote's own
    # a scare quote before a space closes where its word ends, not at the next quotation's end
    ("The union rejected the ‘final’ offer, calling it ‘disgraceful’.", ["final", "disgraceful"]),
    ("The ‘Big Three’s’ offer was poor.", ["Big Three’s"]),
    ("‘They said “take it or leave it” and we won’t,’ she said.", ["They said “take it or leave it” and we won’t,"]),
    # a plural possessive inside a quotation, a quotation opening with a number
    ("‘We will defend our members’ jobs and pay,’ said Ann Roe.", ["We will defend our members’ jobs and pay,"]),
    ("‘2,000 jobs are at risk,’ said Ann Roe.", ["2,000 jobs are at risk,"]),
])
def test_quotes_single_quotation_marks(text: str, inside: list[str]) -> None:
    from graph.extract.quote_marks import quote_spans

    assert [text[a:b] for a, b in quote_spans(text)] == inside


def test_quotes_a_quotation_in_single_marks_is_a_statement(extract_text) -> None:
    ex = extract_text("‘We will not back down,’ Glass Workers Union secretary Ana Roe said.")
    assert {(q.speaker, q.text) for q in ex.quotes} == {("Ana Roe", "We will not back down")}


def test_quotes_scare_quotes_hide_no_facts(facts) -> None:
    found = facts("The Glass Workers Union rejected Clearview Industries’ ‘final’ offer and went on strike on June 2, "
                  "calling the company’s stance ‘disgraceful’.")
    assert ("Glass Workers Union", "onStrikeSince", "2025-06-02") in found, found


def test_quotes_a_pronoun_after_a_quotation_is_no_one_named_inside_it(extract_text) -> None:
    ex = extract_text("Glass Workers Union president Joe Bloggs told members: \"Tom Hale has offered nothing.\" "
                      "According to him, \"the strike goes on.\"")
    assert {q.speaker for q in ex.quotes} == {"Joe Bloggs"}


@pytest.mark.parametrize("text, speaker", [
    # an organisation's unnamed spokesperson or representative, named by its class noun: the organisation speaks
    ("Tension rose at Ocean Lines on Monday. “All ships will sail as usual,” said a company spokesperson.",
     "Ocean Lines"),
    ("Tension rose at Harbor Savings Bank on Monday. “All branches will open,” a bank representative said.",
     "Harbor Savings Bank"),
    # what a statement said, its maker named in 'a statement from X' before
    ("A statement on Tuesday from the Glass Workers Union said members accepted the offer. “We thank every member "
     "for standing firm,” said the statement signed by its acting general secretary.", "Glass Workers Union"),
    ("Workers at Clearview Industries went on strike. In a statement, Clearview Industries highlighted that “the "
     "discussions will be the subject of extensive negotiation with the union”.", "Clearview Industries"),
    # `` and '' as typed on ASCII keyboards by some wire services
    ("``Our operations are proceeding as normal,'' said Rosa Vance of the Glass Workers Union.", "Rosa Vance"),
    ('Rosa Vance, president of the Glass Workers Union, said: "We have made our ``final\'\' offer and we mean it."',
     "Rosa Vance"),
    ('``We will strike on Monday," Glass Workers Union leader Rosa Vance said.', "Rosa Vance"),  # mixed marks
    # a surname alone after a personal honorific written without a full stop
    ('"There are no losers or winners, what we have given is the best solution to the crisis," Dr Kamau said in a '
     "news conference at the Harbor hotel.", "Kamau"),
    # a title the tagger took for a proper noun, coordinated with another before the name
    ("“We are pleased to have reached agreement,” said CR President and CEO Keith Crane.", "Keith Crane"),
])
def test_quotes_speakers_of_wire_copy(extract_text, text: str, speaker: str) -> None:
    assert _speakers(extract_text, text) == {speaker}


@pytest.mark.parametrize("text", [
    # two organisations of the class: which one's spokesperson speaks is not said
    'Talks between Ocean Lines and Bluewater Freight broke down on Monday. "We will not move," said a company '
    "spokesperson.",
])
def test_quotes_an_unnamed_spokesperson_of_one_of_two_is_no_speaker(extract_text, text: str) -> None:
    assert _speakers(extract_text, text) == set()


def test_quotes_a_statement_from_another_is_not_what_the_statement_added(extract_text) -> None:
    text = ('The Harbor Nurses Union said in a statement that talks had failed, and rejected a statement from Mercy '
            'Hospital as misleading. "We will fight on," the statement added.')
    assert _speakers(extract_text, text) == {"Harbor Nurses Union"}


def test_quotes_the_whole_quotation_around_an_inner_ascii_one() -> None:
    from graph.extract.quote_marks import quote_spans

    text = 'Tom Reed said: "We have made our ``final\'\' offer." ``It is over,\'\' he added.'
    assert [text[a:b] for a, b in quote_spans(text)] == ["We have made our ``final'' offer.", "It is over,"]


@pytest.mark.parametrize("text, speakers", [
    ("Glass Workers Union secretary Ana Roe said that the strike was suspended after the discussions. “We will meet "
     "again next week to settle the other demands.”", {"Ana Roe"}),
    ("Glass Workers Union secretary Ana Roe said that the strike was suspended.\n\n“We will meet again next week "
     "to settle the other demands.”", {"Ana Roe"}),
    # a quotation with words of its own around it is someone else's; a speech verb in a relative clause is no
    # one's going on
    ("The labour minister, Ruth Okafor, said talks would resume on Monday. “We will not return until we are paid,” "
     "the strikers chanted outside the ministry.", set()),
    ("Joan Kerr, who said last week the strike could end soon, was not at the rally. “This is a dark day for the "
     "workers.”", set()),
    # a sentence before that reports no one's words passes on no speaker
    ("The strike was suspended after the discussions. “We will meet again next week to settle the other demands.”",
     set()),
])
def test_quotes_a_quotation_after_reported_speech_goes_on_with_its_speaker(extract_text, text: str,
                                                                          speakers: set[str]) -> None:
    assert _speakers(extract_text, text) == speakers


def test_quotes_a_communique_of_the_story_with_no_statement_before(extract_text) -> None:
    ex = extract_text("The Glass Workers Union suspended its strike on Tuesday. “We agree to allow one month for "
                      "negotiations,” the communiqué read.")
    assert [q.speaker for q in ex.quotes] == ["Glass Workers Union"]


def test_quotes_a_spokesperson_of_no_one_named_is_no_ones(extract_text) -> None:
    ex = extract_text("The Glass Workers Union suspended its strike on Tuesday. The spokesperson added: “As an "
                      "industry, we are incredibly flexible and have been working on it for a while.”")
    assert "Glass Workers Union" not in [q.speaker for q in ex.quotes]
