"""Generated multi-article graphs of labor disputes, for the explorer's tests and benchmarks/render_bench.py.

Each dispute is about 13 nodes from two or three articles a few weeks apart: a union that strikes (from a
known day; ended on a known day, or in a known month, or still on), an employers' council and its member
companies, their leaders, one quote, and a place and an outlet (in some disputes a mediation service too)
mentioned without any relation. Every fourth union belongs to one federation (the hub) and some unions also
talk to the previous dispute's council, so the graph has one big component and many small ones, like coverage
of a sector. Everything goes through graph.rdf.build.build_graph, so the RDF has the shape a real build writes.
Names and dates are deterministic.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import rdflib

from graph.model import Article, Entity, Evidence, Extraction, PartialDate, Quote, Relation
from graph.rdf.build import build_graph

NODES_PER_DISPUTE = 13  # 12 entities and a quote (a mediation service in one dispute of six)
FEDERATION = "Federation of Allied Trade Unions"
START = date(2030, 1, 6)
TRADES = ("Dock", "Rail", "Hotel", "Nurses", "Transit", "Teachers", "Copper", "Aerospace", "Retail", "Media",
          "Bakery", "Airline", "Port", "Postal", "Steel", "Textile")
REGIONS = ("Halvern", "Calderon", "Marlow", "Tidewater", "Larkspur", "Corvane", "Alumbre", "Westhaven",
           "Bluewater", "Harrow", "Keystone", "Ledger", "Ostmark", "Pellham", "Quarry", "Redfern")
FIRST = ("Mara", "Dana", "Jo", "Anjali", "Ray", "Fiona", "Gordon", "Ximena", "Theresa", "Marcus", "Ulrike", "Dev",
         "Carla", "Warren", "Denise", "Rodrigo", "Lorraine", "Graham", "Klaus", "Maribel")
LAST = ("Quill", "Kowalczyk", "Stanway", "Brar", "Dominguez", "Whitcombe", "Pryce", "Rojas", "Wojcik", "Hale",
        "Brandstätter", "Raman", "Mendes", "Lyle", "Harlow", "Saavedra", "Tibbets", "Oduya", "Rammelt", "Ochoa")


@dataclass(frozen=True)
class StrikeFact:
    """A strike the generator wrote: its union's name and its dates as the graph writes them."""

    union: str
    start: str
    end: str | None


def _dispute(d: int, rng: random.Random) -> tuple[list[Extraction], StrikeFact]:
    trade, region = TRADES[d % len(TRADES)], REGIONS[(d // len(TRADES)) % len(REGIONS)]
    union = f"{region} {trade} Workers Local {100 + d}"
    council = f"{region} {trade} Employers Council {d}"
    companies = [f"{LAST[(d + k) % len(LAST)]} {trade} Co {d}-{k}" for k in range(3)]
    people = [f"{FIRST[(d * 3 + k) % len(FIRST)]} {LAST[(d * 7 + k) % len(LAST)]} {d}" for k in range(5)]
    place, outlet = f"{region} Harbour District {d}", f"{region} Evening Post {d}"
    base = START + timedelta(days=9 * d + rng.randrange(5))
    start = base - timedelta(days=2)
    if d % 3 == 2:
        end: PartialDate | None = None  # still on
    elif d % 4 == 1:
        month = base + timedelta(days=40)
        end = PartialDate(month.year, month.month)  # only the month is known
    else:
        day = base + timedelta(days=38)
        end = PartialDate(day.year, day.month, day.day)
    entities = [
        Entity(union, "LaborUnion"), Entity(council, "EmployerAssociation"),
        *(Entity(name, "Company") for name in companies), *(Entity(name, "Person") for name in people),
        Entity(place, "Place"), Entity(outlet, "MediaOutlet"),
    ]
    if d % 6 == 3:
        entities.append(Entity(f"{region} Labour Mediation Service {d}", "GovernmentOrganization"))  # mentioned only
    if d % 4 == 0:
        entities.append(Entity(FEDERATION, "LaborUnion"))
    if d % 5 == 1 and d > 1:
        entities.append(Entity(f"{REGIONS[((d - 1) // len(TRADES)) % len(REGIONS)]} {TRADES[(d - 1) % len(TRADES)]}"
                               f" Employers Council {d - 1}", "EmployerAssociation"))
    texts: list[list[tuple[str, str, str, str | PartialDate]]] = [[], [], []]
    texts[0] += [(f"The {union} opened talks with the {council}.", union, "negotiatesWith", council),
                 (f"{people[0]}, president of the {union}, spoke.", people[0], "leads", union),
                 (f"{people[1]} chairs the {council}.", people[1], "leads", council),
                 (f"Workers of the {union} have been on strike since {start:%B %d}.", union, "onStrikeSince",
                  PartialDate(start.year, start.month, start.day))]
    texts[0] += [(f"{company} belongs to the {council}.", company, "memberOf", council) for company in companies]
    texts[1] += [(f"{people[2 + k]} runs {company}.", people[2 + k], "leads", company)
                 for k, company in enumerate(companies)]
    texts[1] += [(f"The {council} bargains for {companies[0]}.", council, "represents", companies[0]),
                 (f"The {union} and the {council} returned to the table.", council, "negotiatesWith", union)]
    if d % 4 == 0:
        texts[1].append((f"The {union} is a member of the {FEDERATION}.", union, "memberOf", FEDERATION))
    if d % 5 == 1 and d > 1:
        texts[1].append((f"The {union} also met the neighbouring council.", union, "negotiatesWith",
                         entities[-1].name))
    if end is not None:
        texts[2] += [(f"The {union} and the {council} reached an agreement.", union, "reachesAgreementWith", council),
                     (f"The strike of the {union} ended.", union, "strikeEndedOn", end)]
    extractions = []
    for index, facts in enumerate(texts):
        if not facts:
            continue
        sentences = [sentence for sentence, *_ in facts]
        quote = f"{people[0]} said: \u201cWe will stay out until the {council} listens.\u201d"
        if index == 0:
            sentences.append(quote)
        sentences.append(f"The {place} was quiet, the {outlet} reported.")
        text = " ".join(sentences)

        def found(sentence: str, rule: str, text: str = text) -> Evidence:
            at = text.index(sentence)
            return Evidence(sentence, at, at + len(sentence), rule)

        published = base + timedelta(days=20 * index)
        extractions.append(Extraction(
            article=Article(id=f"dispute-{d}-{index}", text=text, date=published, source=f"gen/{d}-{index}.txt",
                            title=f"{trade} dispute in {region}, part {index + 1} ({d})"),
            entities=entities,
            relations=[Relation(s, p, o, found(sentence, p)) for sentence, s, p, o in facts],
            quotes=[Quote(people[0], f"We will stay out until the {council} listens.", found(quote, "said"))]
            if index == 0 else [],
        ))
    return extractions, StrikeFact(union, start.isoformat(), end.iso() if end else None)


def dispute_graph(nodes: int, seed: int = 14) -> tuple[rdflib.Graph, list[StrikeFact]]:
    """A graph of about `nodes` nodes (entities and quotes), and the strikes it holds."""
    rng = random.Random(seed)
    graph = rdflib.Graph()
    strikes = []
    for d in range(max(1, round(nodes / NODES_PER_DISPUTE))):
        extractions, strike = _dispute(d, rng)
        strikes.append(strike)
        for extraction in extractions:
            for triple in build_graph(extraction):
                graph.add(triple)
    return graph, strikes
