"""Who leads what, in the title forms of published news."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, expected", [
    ("The Glass Workers Union said its National Executive Director and Chief Negotiator Dana Whitfield would "
     "meet the company.", ("Dana Whitfield", "leads", "Glass Workers Union")),
    # a field before a name is the organisation's kind, not a department
    ("Anna Berg, president of carmaker Voltmotors, met the union on Monday.", ("Anna Berg", "leads", "Voltmotors")),
    ("Ruth Ames, chair of nurses union Carewell, called the offer an insult.", ("Ruth Ames", "leads", "Carewell")),
    ("Members of Carewell walked out at Mercy Hospital on Monday. Nurses union leader Jane Fell said the strike "
     "would last a week.", ("Jane Fell", "leads", "Carewell")),
    ("Glass Workers Union President Rosa Vance and National Executive Director Dana Whitfield spoke on Monday.",
     ("Dana Whitfield", "leads", "Glass Workers Union")),
    ("Clearview Industries CEO Dr. Omar Haddad said the plant would reopen.",
     ("Omar Haddad", "leads", "Clearview Industries")),
    ("The glass bosses - Omar Haddad (Clearview Industries) and Lena Ortiz (Brightline Glass) - stayed away.",
     ("Lena Ortiz", "leads", "Brightline Glass")),
    ("Clearview Industries COO Mark Ebbe said the offer was final.", ("Mark Ebbe", "leads", "Clearview Industries")),
    ("The union met Labour Secretary Ana Keel at the Department of Labour on Friday.",
     ("Ana Keel", "leads", "Department of Labour")),
    ("Minister of Education Jan Holt addressed teachers. The Ministry of Education made an offer.",
     ("Jan Holt", "leads", "Ministry of Education")),
    ("KTMU Secretary General Amos Kiprono said the strike would go on.", ("Amos Kiprono", "leads", "KTMU")),
    ("The union met Harbor Transport Board (HTB) chairman Leo Pardo on Monday.",
     ("Leo Pardo", "leads", "Harbor Transport Board")),
    ("“We have signed,” said Amos Kiprono, secretary-general of the Hospital Doctors Association.",
     ("Amos Kiprono", "leads", "Hospital Doctors Association")),
    ("Doctors in Zimbabwe ended their strike. They had waited until President Ana Roe signed a pledge.",
     ("Ana Roe", "leads", "Zimbabwe")),
    ("The Kenya Teachers Union (KTMU) met the ministry. Shortly after the meeting, Amos Kiprono, General Secretary "
     "KTMU without giving details, told reporters the strike goes on.",
     ("Amos Kiprono", "leads", "Kenya Teachers Union")),
    ("Amos Kiprono, the president general of the Harbor Workers Union of Nigeria, confirmed it.",
     ("Amos Kiprono", "leads", "Harbor Workers Union of Nigeria")),
    ("The President of the Harbor Workers Union (HWU) Amos Kiprono reported that 50,000 workers will strike today.",
     ("Amos Kiprono", "leads", "Harbor Workers Union")),
    ("“The ball is in the government’s court,” said Simion Hăncescu, FSLI president.",
     ("Simion Hăncescu", "leads", "FSLI")),
    ("The leader of the Spiru Haret Federation, Marius Nistor, had said that the unions would strike.",
     ("Marius Nistor", "leads", "Spiru Haret Federation")),
    ("The strike hit the ports, Paulo Pereira da Silva, a lawmaker and president of the Glass Workers trade union, "
     "said.", ("Paulo Pereira da Silva", "leads", "Glass Workers")),
    ("“Our call for a strike stands,” Anil Varma, General Secretary, Bank Clerks Union (BCU), told reporters.",
     ("Anil Varma", "leads", "Bank Clerks Union")),
    ("The new boss of the Harbor Pilots Union Rosa Vance affirmed that the strike would go on.",
     ("Rosa Vance", "leads", "Harbor Pilots Union")),
    ("Kessler Shipbuilding makes ferries. “We will partner together,” said Dirk Olsen, the shipyard's president.",
     ("Dirk Olsen", "leads", "Kessler Shipbuilding")),
    ("The unions want the government to remove the new Director-General of the Harbor Service Authority (HSA), "
     "Dr. Eric Mensah.", ("Eric Mensah", "leads", "Harbor Service Authority")),
    ("SPRINGFIELD (WKTV) — Mayor Ana Ruiz said the City of Springfield and the Transit Workers Union reached a "
     "tentative agreement.", ("Ana Ruiz", "leads", "City of Springfield")),
    ("“We will bargain,” said Mark Davis, GWU national president in a news release.", ("Mark Davis", "leads", "GWU")),
    ("Both Clearview Air president Bo Li and the airline's chief executive officer, Ann Roe, said they were "
     "outraged.", ("Ann Roe", "leads", "Clearview Air")),
    ("Workers postponed the stir after an appeal by Haryana Chief Minister Ravinder Singh Mann.",
     ("Ravinder Singh Mann", "leads", "Haryana")),
    ("Negotiations with the Harbor Airline Union (HAU), led by union leaders Genaro Truco and Cristián Erhart, go on.",
     ("Cristián Erhart", "leads", "Harbor Airline Union")),
    ("The HAU's Luc Bran said the talks were useless.", ("Luc Bran", "leads", "HAU")),
    ("GPA President and Chief Operating Officer Jose Antonio Garza issued a return-to-work order.",
     ("Jose Antonio Garza", "leads", "GPA")),
    # 'the council' after a title, wherever the parser hung its 'of'
    ("Bin workers in Marrowby struck. Marrowby Council said the deal was fair. Cllr Hans Mundy, Leader of the "
     "Council is \"pleased\" strike action has come to an end.", ("Hans Mundy", "leads", "Marrowby Council")),
    # a union's secretary heads it (not a press secretary, nor an assistant one)
    ("The Rail Workers Union struck. Union secretary Vik Sharman said the company had agreed.",
     ("Vik Sharman", "leads", "Rail Workers Union")),
    ("The ALEA struck. ALEA federal secretary Steve Purvis said on Friday that Virgo had agreed.",
     ("Steve Purvis", "leads", "ALEA")),
    ("Minnesota Gov. Dana Holt said talks would resume.", ("Dana Holt", "leads", "Minnesota")),
    ("Governor Dana Holt of Minnesota said the strike must end.", ("Dana Holt", "leads", "Minnesota")),
    ("Hanbit Semiconductor union leader Park Min-su said 3,000 workers had walked out.",
     ("Park Min-su", "leads", "Hanbit Semiconductor")),
    ("Harbor Workers Union working president Ana Ruiz said the strike would go on.",
     ("Ana Ruiz", "leads", "Harbor Workers Union")),
    # a name the NER took for a person, before a leader's title and the leader: an organisation's
    ("“The differences could not be bridged,” said Dorma boss Frank Werneke early Thursday.",
     ("Frank Werneke", "leads", "Dorma")),
    # a nationality after a leader's title and 'of' is an organisation's name
    ("“We are pleased,” said Geir Karlsen, CEO of Norwegian.", ("Geir Karlsen", "leads", "Norwegian")),
    # an apposition without its comma
    ("The union's president was joined by Laura Walton the president of the Harbor Federation of Labour.",
     ("Laura Walton", "leads", "Harbor Federation of Labour")),
    # a title alone opening a sentence: the body the sentence before had for its subject
    ("The Harbor Employers Association says the lockout will hurt exporters. Chief executive John Walley says ships "
     "can be re-routed.", ("John Walley", "leads", "Harbor Employers Association")),
    # a union's state secretary heads the union (a state branch named by the union's short name is a union)
    ("The Australian Workers’ Union (AWU) said on Monday that members walked out at Kestrel Alumina. AWU WA State "
     "Secretary Dan Rook said talks had failed.", ("Dan Rook", "leads", "AWU WA")),
    # a title before a name inside a quotation is a title all the same
    ("Ana Ruiz said: “Clearview Industries boss Tara Boyd has provoked this strike.”",
     ("Tara Boyd", "leads", "Clearview Industries")),
])
def test_roles_titles_of_news(facts, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in facts(text)


@pytest.mark.parametrize("text, wrong", [
    ("Glass Workers Union chief negotiator Dana Whitfield met the company.",
     ("Dana Whitfield", "leads", "Glass Workers Union")),
    ("The studio CEO Big Four met on Monday.", None),  # a group, not an executive title
    ("It ended after the intervention of the permanent secretary, Ministry of Transportation, Sabiu Zakari, and "
     "managing director of the Nigerian Ports Authority, Hadiza Bala-Usman.",
     ("Sabiu Zakari", "leads", "Nigerian Ports Authority")),  # the second title is the next person's
    ("Dana Whitfield, Jakarta – The President of the Harbor Workers Union (HWU) Amos Kiprono reported a strike.",
     ("Dana Whitfield", "leads", "Harbor Workers Union")),  # a byline and its dateline, no apposition
    ("Flight attendants in Turkey may strike, Hava-Is president Atilay Aycin said.",
     ("Atilay Aycin", "leads", "Turkey")),
    ("The Glass Workers Union struck in Ohio. President Ana Roe spoke.", ("Ana Roe", "leads", "Ohio")),  # no country
    ("The Glass Workers Union struck Clearview Industries. The two sides are at an impasse, said Dana Whitfield, "
     "president of the local union in Omaha.", ("Dana Whitfield", "leads", "Glass Workers Union")),
    ("The Glass Workers Union struck. Assistant secretary Ana Roe spoke.", ("Ana Roe", "leads", "Glass Workers Union")),
    ("The Glass Workers Union struck. Glass Workers Union regional secretary Neil Derry spoke.",
     ("Neil Derry", "leads", "Glass Workers Union")),
    # the head of a department, a field in lower case after 'of', leads no organisation
    ("Clearview Industries' head of human resources, Martin Seil, was satisfied with the deal.",
     ("Martin Seil", "leads", "Clearview Industries")),
    ("Martin Seil, director of communications at Clearview Industries, spoke.",
     ("Martin Seil", "leads", "Clearview Industries")),
    ("CHICAGO (AP) - Gov. Dana Holt said Monday that the strike must end.", ("Dana Holt", "leads", "CHICAGO")),
    # a governor's or a chief minister's place is a state, not the town the story is set in
    ("Nurses in Portland walked out on Monday. Gov. Dana Holt urged both sides to return to talks.",
     ("Dana Holt", "leads", "Portland")),
    ("Workers in Portland walked out on Monday. Governor Dana Holt urged both sides to return to talks.",
     ("Dana Holt", "leads", "Portland")),
    # a governor opening a sentence heads no union the sentence before spoke of
    ("The two sides reached the deal after mediation, the Harbor Nurses Union said. Gov. Tina Kotek requested "
     "that step.", ("Tina Kotek", "leads", "Harbor Nurses Union")),
])
def test_roles_not_a_leader(facts, text: str, wrong) -> None:
    found = facts(text)
    assert wrong not in found
    assert not any(f[2] == "CEO Big Four" for f in found)


def test_roles_a_national_secretary_leads_the_union(facts) -> None:
    assert ("Tony Shelby", "leads", "GWU") in facts("GWU national secretary Tony Shelby attacked the company.")


def test_roles_a_minister_named_with_the_field_after_the_name(facts) -> None:
    found = facts("The nurses broke off talks with the health ministry. They argued that Adam Nowak, the health "
                  "minister, had nothing to offer them.")
    assert ("Adam Nowak", "leads", "health ministry") in found, found


@pytest.mark.parametrize("text, expected", [
    # a superintendent may be of the police, or of a district never named
    ("The Harbor Unified School District reached a deal with the teachers union. Superintendent Kyla Johns said it "
     "was a good day.", None),
    # an employers' association beside the one company may be whose head it is
    ("The Retail Workers Union struck Valemart on Monday, joined by the Harbor Chamber of Commerce. Chief executive "
     "Jane Mossa said the strike would hurt small shops.", None),
    ("Clearview Industries reached agreements with the union. “We are pleased,” reads a statement from CEO Martin "
     "Lander.", ("Martin Lander", "leads", "Clearview Industries")),
    # two companies, or the company named after the name: not the one company of the story
    ("Clearview Industries and Brightline Glass Inc reached deals with the union. CEO Martin Lander said it was a "
     "good day.", None),
    ("The union struck at Clearview Industries. CEO Martin Lander of Brightline Glass said it was a bad day.",
     ("Martin Lander", "leads", "Brightline Glass")),
    # a word before the title says whose it is: not the story's one organisation
    ("The Ministry of Labour met the union. Police Superintendent John Smit said the march was peaceful.", None),
    ("Clearview Industries met the union on Monday. Union CEO John Smit welcomed the deal.", None),
])
def test_roles_a_head_named_without_the_one_organisation_of_the_story(facts, text: str, expected) -> None:
    leads = {f for f in facts(text) if f[1] == "leads"}
    assert leads == ({expected} if expected else set()), leads


@pytest.mark.parametrize("text, wrong", [
    # a head of state opening a sentence heads no union the sentence before spoke of
    ("Doctors in Kenya have been on strike since Monday. The Kenya Medical Practitioners Union called the strike. "
     "President William Ruto said the government would not give in.",
     ("William Ruto", "leads", "Kenya Medical Practitioners Union")),
    # a title that opens a clause after 'told' is no apposition
    ("Ana Ruiz told Juan Perez the president of Kestrel Shipping had refused to meet the union.",
     ("Juan Perez", "leads", "Kestrel Shipping")),
    # a head of state in a speaker's words is not the story's country's
    ("TORONTO — Auto workers in Canada walked out on Monday. “President Trump's tariffs have put our jobs at risk,” "
     "said Ana Ruiz.", ("Trump", "leads", "Canada")),
])
def test_roles_near_misses_of_titles_alone_and_in_quotes(facts, text: str, wrong: tuple[str, str, str]) -> None:
    assert wrong not in facts(text)
