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
