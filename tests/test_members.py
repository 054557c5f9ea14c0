"""Lists of members: an organisation or group named with the organisations or people that make it up."""
from __future__ import annotations

import pytest

ASSOC = "Glassmakers Employers Association"


@pytest.mark.parametrize("text, members, group", [
    (f"{ASSOC} member companies include Clearview Industries and Brightline Glass.",
     {"Clearview Industries", "Brightline Glass"}, ASSOC),
    (f"{ASSOC} member companies include the largest producers (including Clearview Industries and Brightline "
     "Glass) and distributors like Optima Supply Co.",
     {"Clearview Industries", "Brightline Glass", "Optima Supply Co."}, ASSOC),
    (f"The {ASSOC}, which includes Clearview Industries, made a new offer.", {"Clearview Industries"}, ASSOC),
    ("The Transit Unions Coalition (the Bus Drivers Union, the Rail Workers Union and the Ferry Crews Union) "
     "called a strike.", {"Bus Drivers Union", "Rail Workers Union", "Ferry Crews Union"},
     "Transit Unions Coalition"),
    ("Clearview Industries is the last of the Big Four glassmakers to settle with the union.",
     {"Clearview Industries"}, "Big Four"),
    ("The Harbor Unions Coalition, which includes the Bus Drivers Union, GWU Local 29, GWU Local 30, and the Ferry "
     "Crews Union, called a strike.",
     {"Bus Drivers Union", "GWU Local 29", "GWU Local 30", "Ferry Crews Union"}, "Harbor Unions Coalition"),
    ("Those attending included leaders of the Metro Federation-affiliated Glass Workers Union.",
     {"Glass Workers Union"}, "Metro Federation"),
    ("The pseudo-left Workers Socialist Party affiliated Glass Workers Union called a strike.",
     {"Glass Workers Union"}, "Workers Socialist Party"),
    (f"{ASSOC} members Clearview Industries and Brightline Glass made an offer.",
     {"Clearview Industries", "Brightline Glass"}, ASSOC),
    ("The Joint Transport Unions — the Dock Workers Union, the Pilots Union and the Drivers Union — called off the "
     "strike on Monday.", {"Dock Workers Union", "Pilots Union", "Drivers Union"}, "Joint Transport Unions"),
    ("The Joint Transport Unions, an umbrella body for the Dock Workers Union, the Pilots Union and the Drivers "
     "Union, called off the strike.", {"Dock Workers Union", "Pilots Union", "Drivers Union"},
     "Joint Transport Unions"),
    ("The Trades Congress, the umbrella body for unions including the Steel Workers Union, backed the strike.",
     {"Steel Workers Union"}, "Trades Congress"),
    ("The Dock Workers Union and the Pilots Union, which are members of the Joint Transport Unions, called off the "
     "strike.", {"Dock Workers Union", "Pilots Union"}, "Joint Transport Unions"),
    ("The United Aviation Unions APA, APLA, APTA and UPSA announced a deal on Monday.",
     {"APA", "APLA", "APTA", "UPSA"}, "United Aviation Unions"),
    (f"{ASSOC} members such as Clearview Industries and Brightline Glass made an offer.",
     {"Clearview Industries", "Brightline Glass"}, ASSOC),
    (f"Clearview Industries and other members of the {ASSOC} said they would not negotiate.",
     {"Clearview Industries"}, ASSOC),
    (f"The union met Clearview Industries, Brightline Glass and other members of the {ASSOC}.",
     {"Clearview Industries", "Brightline Glass"}, ASSOC),
    (f"The union is striking against the {ASSOC}, an industry group that includes Clearview Industries and "
     "Brightline Glass.", {"Clearview Industries", "Brightline Glass"}, ASSOC),
    ("The Harbor Trade Union Group includes representatives of the Dock Workers Union and the Pilots Union.",
     {"Dock Workers Union", "Pilots Union"}, "Harbor Trade Union Group"),
    (f"The {ASSOC} and its members, Clearview Industries and Brightline Glass, rejected the demands.",
     {"Clearview Industries", "Brightline Glass"}, ASSOC),
    ("The Bus Drivers Union is one of 11 unions in the Harbor Unions Coalition.", {"Bus Drivers Union"},
     "Harbor Unions Coalition"),
    (f"Clearview Industries, one of the companies in the {ASSOC}, made an offer.", {"Clearview Industries"}, ASSOC),
    # names listed after a dash, which the parser hangs on the group, and groups under an umbrella
    ("Four unions affiliated to the CGT – UDA, SADOP, AMET and CEA – announced a strike.",
     {"UDA", "SADOP", "AMET", "CEA"}, "CGT"),
    ("Four teachers' unions grouped under the CGT (General Confederation of Labour) umbrella union group – UDA, "
     "SADOP, AMET and CEA – on Wednesday announced a strike.", {"UDA", "SADOP", "AMET", "CEA"},
     "General Confederation of Labour"),
    ("The Bus Drivers Union and the Ferry Crews Union, grouped under the Harbor Unions Coalition umbrella, called a "
     "strike.", {"Bus Drivers Union", "Ferry Crews Union"}, "Harbor Unions Coalition"),
    # a list of three the parser cut after its first name; 'groups', 'brings together'
    ("The Harbor Alliance is made up of the Dockers Union, the Crane Operators Union and the Pilots Guild.",
     {"Dockers Union", "Crane Operators Union", "Pilots Guild"}, "Harbor Alliance"),
    ("The Harbor Alliance, which groups the Dockers Union, the Crane Operators Union and the Pilots Guild, called a "
     "strike.", {"Dockers Union", "Crane Operators Union", "Pilots Guild"}, "Harbor Alliance"),
    ("The Harbor Alliance, which brings together the Dockers Union and the Pilots Guild, called a strike.",
     {"Dockers Union", "Pilots Guild"}, "Harbor Alliance"),
    # a union's branch, named as one
    ("Cassa, a branch of the Harbor Workers Union, voted to strike.", {"Cassa"}, "Harbor Workers Union"),
    ("Woodley has called a gathering of representatives of Cassa, the Harbor Workers Union cabin crew branch, this "
     "afternoon.", {"Cassa"}, "Harbor Workers Union"),
])
def test_members_listed_with_their_group(facts, text: str, members: set[str], group: str) -> None:
    found = facts(text)
    assert {(m, "memberOf", group) for m in members} <= found, found


def test_members_of_a_union_are_unions(extract_text) -> None:
    ex = extract_text("The Northern Labour Front, which represents 50,000 workers, called a strike. Its four "
                      "member organizations -- the KLU, the PNA, the GCU and the RMX -- backed it.")
    classes = {e.name: e.cls for e in ex.entities}
    assert classes["Northern Labour Front"] == "LaborUnion"
    assert {classes[n] for n in ("KLU", "PNA", "GCU", "RMX")} == {"LaborUnion"}
    assert {(r.subject, r.object) for r in ex.relations if r.predicate == "memberOf"} >= {
        (n, "Northern Labour Front") for n in ("KLU", "PNA", "GCU", "RMX")}


@pytest.mark.parametrize("text", [
    "Members of the Glass Workers Union walked out at Clearview Industries and Brightline Glass.",
    "The Glass Workers Union met Clearview Industries and Brightline Glass on Monday.",
    # "the union" stands for a body the text does not name: no listed union is a member of another
    "Reports say that the union, comprising Trade Union Congress, Nigeria Labour Congress, called off the strike.",
    "Glass Workers Union members are back on the job at Clearview Industries on Monday.",
    f"{ASSOC} members such as drivers at Clearview Industries walked out on Monday.",
])
def test_members_need_a_list_cue(facts, text: str) -> None:
    assert not {f for f in facts(text) if f[1] == "memberOf"}


def test_members_affiliated_to_a_list_the_parser_nests(extract_text) -> None:
    text = ("The glass workers’ federation (FVQ), affiliated to CNX-CUQ and IndustriALL Global Union, is in the "
            "middle of negotiations with Clearview Industries.")
    ex = extract_text(text)
    found = {(r.subject, r.predicate, str(r.object)) for r in ex.relations}
    assert {("FVQ", "memberOf", "CNX-CUQ"), ("FVQ", "memberOf", "IndustriALL Global Union")} <= found
    assert {e.name: e.cls for e in ex.entities}["CNX-CUQ"] == "LaborUnion"


def test_members_a_local_the_parser_reads_as_a_number_stays_in_the_list() -> None:
    # "..., GWU Local 29, GWU Local 30": the small parser may hang '29' (a NUM) as the apposition of the list
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from graph.extract.context import Ctx

    words = ["GWU", "121RN", ",", "GWU", "Local", "29", ",", "GWU", "Local", "30"]
    heads = [1, 1, 1, 5, 5, 1, 1, 8, 1, 8]
    deps = ["compound", "ROOT", "punct", "compound", "amod", "appos", "punct", "compound", "appos", "nummod"]
    pos = ["PROPN", "PROPN", "PUNCT", "PROPN", "ADJ", "NUM", "PUNCT", "PROPN", "PROPN", "NUM"]
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos)
    assert [t.i for t in Ctx.conjuncts(doc[1])] == [1, 5, 8]


def test_members_employed_by_a_company_are_no_list_of_it(extract_text) -> None:
    ex = extract_text("The GWU said its members, employed by Brightline, have accepted a one percent pay increase.")
    assert not [r for r in ex.relations if r.predicate == "memberOf"], ex.relations


def test_members_named_after_a_phrase_that_ends_in_a_colon(facts) -> None:
    found = facts(f"The {ASSOC}'s negotiator was joined by the heads of two of its largest members, a pair that "
                  "pickets have nicknamed the Big Two: Clearview Industries' Jo Park and Brightline Glass' Ann Roe.")
    assert {("Clearview Industries", "memberOf", ASSOC), ("Brightline Glass", "memberOf", ASSOC)} <= found, found


def test_members_one_of_the_unions_in_a_country_is_no_membership(facts) -> None:
    found = facts("The Bus Drivers Union is one of the largest unions in Canada.")
    assert not {f for f in found if f[1] == "memberOf"}, found


@pytest.mark.parametrize("text", [
    # 'its' is the name it stands beside, not the clause's subject
    "The Ostra Metal Union thanked the Global Steel Union, its affiliates Ferro, Kalva and Mintu and all other "
    "organisations.",
    "According to Global Steel Union affiliates Ferro, Kalva and Mintu, turnout exceeded 75 per cent.",
    # a known global union, and affiliates the NER took for companies
    "I'd like to thank IndustriALL, its affiliates FKV, SASQ and CUQ and all the other organisations.",
])
def test_members_a_unions_affiliates_named_after_it_are_unions_and_members(extract_text, text: str) -> None:
    ex = extract_text(text)
    owner = "IndustriALL Global Union" if "IndustriALL" in text else "Global Steel Union"
    members = {"FKV", "SASQ", "CUQ"} if "FKV" in text else {"Ferro", "Kalva", "Mintu"}
    classes = {e.name: e.cls for e in ex.entities}
    assert {classes.get(m) for m in members} == {"LaborUnion"}, classes
    found = {(r.subject, r.object) for r in ex.relations if r.predicate == "memberOf"}
    assert found == {(m, owner) for m in members}, found


@pytest.mark.parametrize("text", [
    "The ITUC affiliates Brazil's CUT and Argentina's CGT called a general strike.",
    "The AFL-CIO and its affiliates Tuesday urged Congress to act.",
    "UNI Global and its affiliates Mexico, Colombia and Peru backed the strike.",
])
def test_members_no_country_or_day_is_an_affiliate(facts, text: str) -> None:
    assert not {f for f in facts(text) if f[1] == "memberOf" and f[0] in (
        "Brazil", "Argentina", "Tuesday", "Mexico", "Colombia", "Peru")}


def test_members_a_list_after_a_member_stops_at_the_verb(facts) -> None:
    found = facts("The Harbor Alliance, which comprises the Dockers Union, a union of 3,000 members, called a strike "
                  "against Kestrel Port.")
    assert ("Dockers Union", "memberOf", "Harbor Alliance") in found
    assert ("Kestrel Port", "memberOf", "Harbor Alliance") not in found


@pytest.mark.parametrize("text, wrong", [
    # a bargaining unit is a workplace; 'of' a union's possessive is of something of the union's
    ("Pinecrest Hospital, the largest Nurses Union bargaining unit in the state, voted to strike.",
     ("Pinecrest Hospital", "memberOf", "Nurses Union")),
    ("Delta Metals, a section of the Metalworkers Union's bargaining unit, agreed a pay deal.",
     ("Delta Metals", "memberOf", "Metalworkers Union")),
    # the names after a member that are no list of members: another clause, a possessive, a reporting clause
    ("The Employers Council comprises Kestrel Port, but the Dockers Union says talks have stalled.",
     ("Dockers Union", "memberOf", "Employers Council")),
    ("The Retail Employers Federation is made up of Fenwick Mills, Halden Foods, the Shop Workers Union's main "
     "employers, and Brightline Stores.", ("Shop Workers Union", "memberOf", "Retail Employers Federation")),
    ("The Harbor Alliance includes the Dockers Union, and Northwind Logistics has refused to meet it.",
     ("Northwind Logistics", "memberOf", "Harbor Alliance")),
    ("The Harbor Alliance includes the Dockers Union, the Pilots Guild's president told Reuters.",
     ("Pilots Guild", "memberOf", "Harbor Alliance")),
])
def test_members_near_misses_of_lists_and_branches(facts, text: str, wrong: tuple[str, str, str]) -> None:
    assert wrong not in facts(text)



@pytest.mark.parametrize("text, wrong", [
    # an employers' body stays one whatever union-named members it is the umbrella of
    ("The Federation of Transport Employers, an umbrella body for the Bus Owners Union and the Taxi Owners Union, "
     "rejected the drivers' demands.", ("Federation of Transport Employers", "LaborUnion")),
])
def test_members_an_umbrella_of_employers_is_no_union(extract_text, text: str, wrong: tuple[str, str]) -> None:
    assert (wrong[0], wrong[1]) not in {(e.name, e.cls) for e in extract_text(text).entities}


@pytest.mark.parametrize("text, wrong", [
    # 'who' is the employees', not the companies'
    ("Employees of Kelso Steel and Arden Metals, who are members of the Metalworkers Union, walked out on Monday.",
     ("Kelso Steel", "memberOf", "Metalworkers Union")),
    # a singular clause is its own noun's, not the list's
    ("The Rail Union and Acme Rail, which is a member of the Transport Employers Federation, met on Monday.",
     ("Rail Union", "memberOf", "Transport Employers Federation")),
])
def test_members_a_relative_clause_of_members_keeps_to_its_noun(facts, text: str, wrong) -> None:
    assert wrong not in facts(text)
