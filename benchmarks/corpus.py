"""Synthetic news articles about fictional labor disputes, for the benchmarks (speed, never quality).

Every article is drawn from its own `random.Random` seeded with "seed:index", so a corpus of any size is a
deterministic function of its seed, and a smaller corpus is a prefix of a larger one with the same seed.
Names of unions, companies, people and towns are assembled from syllables, so they are invented rather than
looked up; the sentence shapes vary (talks, strikes, deals, quotations with several attribution styles,
background, numbers) so spaCy sees text shaped like real reporting.

This module measures speed. It must never be read as a source of extraction rules: the extractor's
vocabulary lives in graph/resources and is written from real reporting conventions, not from these templates.

    .venv/bin/python benchmarks/corpus.py --seed 7 --words 200000 out.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# Seeds the benchmark uses (recorded so a published table can be reproduced).
SEEDS = {"extraction": 20261126, "memory": 1126, "incremental": 99}

_FIRST = (
    "Mara", "Tomas", "Ines", "Dario", "Yusra", "Keoni", "Lidia", "Anselm", "Priya", "Oren", "Halvard", "Nadia",
    "Esteban", "Ruth", "Kofi", "Marguerite", "Bao", "Soren", "Adaeze", "Felix", "Irina", "Jonah", "Leocadia",
    "Mateo", "Wren", "Ottilie", "Rafael", "Sunniva", "Tariq", "Vesna", "Amara", "Casimir", "Delphine", "Eamon",
)
_SYLLABLE_A = ("Vel", "Mor", "Cal", "Dren", "Hal", "Ost", "Tam", "Bri", "Kel", "Lor", "Quen", "Ash", "Fen", "Gar",
               "Per", "Rad", "Sil", "Thorn", "Wex", "Yar", "Mab", "Cor", "Dun", "Ell")
_SYLLABLE_B = ("mont", "wick", "ford", "ridge", "ley", "sby", "holm", "ton", "dale", "mere", "gate", "brook",
               "stead", "worth", "by", "field", "shaw", "croft", "ing", "avar", "ovich", "enko", "ari", "ada")
_PLACE_SUFFIX = ("", " Falls", " Harbor", " Junction", " Heights", " Bay", " Valley", " Crossing")
_TRADES = (
    ("dockworkers", "Dockworkers", "port"), ("nurses", "Nurses", "hospital"), ("bus drivers", "Transit Workers",
    "transit"), ("machinists", "Machinists", "plant"), ("teachers", "Teachers", "school district"),
    ("housekeepers", "Hotel Workers", "hotel"), ("warehouse workers", "Warehouse Workers", "warehouse"),
    ("flight attendants", "Flight Attendants", "airline"), ("miners", "Mineworkers", "mine"),
    ("electricians", "Electrical Workers", "utility"), ("bakers", "Bakery Workers", "bakery"),
    ("printers", "Print Workers", "press"), ("janitors", "Building Service Workers", "office tower"),
    ("actors", "Stage Performers", "theater"), ("rail conductors", "Rail Workers", "railway"),
)
_COMPANY_SUFFIX = ("Logistics", "Health", "Freight", "Holdings", "Industries", "Manufacturing", "Hospitality",
                   "Transit", "Foods", "Media", "Energy", "Airways", "Group", "Systems")
_UNION_SHAPES = ("{place} {Trade} Union", "United {Trade} of {place}", "{Trade} Guild of {place}",
                 "International Brotherhood of {Trade}", "{place} {Trade} Federation", "Amalgamated {Trade}")
_COMPANY_SHAPES = ("{surname} {suffix}", "{place} {suffix}", "{surname} & {surname2}", "{surname}{syl} {suffix}")
_ASSOCIATION_SHAPES = ("{place} {Industry} Employers Council", "Alliance of {Industry} Operators",
                       "{place} Association of {Industry} Owners")
_DEMANDS = ("higher wages", "safer staffing levels", "an end to mandatory overtime", "affordable health coverage",
            "protections against automation", "a shorter work week", "pension increases", "paid sick leave",
            "limits on subcontracting", "predictable schedules")
_QUOTE_OPEN = ("We are", "Our members are", "Nobody here is", "The company is", "Management has been",
               "This city is", "Every worker on the line is", "Our negotiators are")
_QUOTE_MIDDLE = ("ready to stay out as long as it takes", "asking for nothing more than fairness",
                 "tired of promises that never arrive", "committed to reaching a fair contract",
                 "disappointed by the latest offer", "hopeful that talks will resume soon",
                 "proud of the solidarity on the picket line", "prepared to return to the table")
_QUOTE_CLOSE = ("", " this week", " for our families", " and the public knows it", " before the holidays",
                " no matter what the company says")
_SAY = ("said", "told reporters", "said in a statement", "wrote in an email", "said at a rally", "added")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True)
class Cast:
    """The fictional parties of one article."""

    place: str
    trade: str  # plural noun for the workers ("nurses")
    workplace: str
    union: str
    company: str
    association: str
    union_leader: str
    ceo: str
    mediator: str
    mayor: str
    published: date


def _surname(rng: random.Random) -> str:
    return rng.choice(_SYLLABLE_A) + rng.choice(_SYLLABLE_B)


def _person(rng: random.Random) -> str:
    middle = f" {rng.choice('ABCDEFGHJKLMNPRST')}." if rng.random() < 0.15 else ""
    return f"{rng.choice(_FIRST)}{middle} {_surname(rng)}"


def _place(rng: random.Random) -> str:
    return _surname(rng) + rng.choice(_PLACE_SUFFIX)


def _cast(rng: random.Random) -> Cast:
    place = _place(rng)
    trade, trade_title, workplace = rng.choice(_TRADES)
    names = {"place": place, "Trade": trade_title, "surname": _surname(rng), "surname2": _surname(rng),
             "syl": rng.choice(_SYLLABLE_B), "suffix": rng.choice(_COMPANY_SUFFIX),
             "Industry": workplace.title()}
    published = date(2030, 1, 1) + timedelta(days=rng.randrange(3650))
    return Cast(
        place=place, trade=trade, workplace=workplace,
        union=rng.choice(_UNION_SHAPES).format(**names), company=rng.choice(_COMPANY_SHAPES).format(**names),
        association=rng.choice(_ASSOCIATION_SHAPES).format(**names), union_leader=_person(rng),
        ceo=_person(rng), mediator=_person(rng), mayor=_person(rng), published=published,
    )


def _day(rng: random.Random, cast: Cast) -> str:
    """A date phrase relative to or absolute from the publication date, in several shapes."""
    back = cast.published - timedelta(days=rng.randrange(1, 60))
    shapes = (
        f"on {rng.choice(_WEEKDAYS)}", f"on {_MONTHS[back.month - 1]} {back.day}",
        f"on {_MONTHS[back.month - 1]} {back.day}, {back.year}", f"in {_MONTHS[back.month - 1]}",
        f"in early {_MONTHS[back.month - 1]}", "last week", "earlier this month", f"{back.day} days ago",
    )
    return rng.choice(shapes)


def _since(rng: random.Random, c: Cast) -> str:
    back = c.published - timedelta(days=rng.randrange(1, 90))
    month = _MONTHS[back.month - 1]
    return rng.choice((f"{month} {back.day}", f"{month} {back.day}, {back.year}", f"early {month}",
                       rng.choice(_WEEKDAYS), f"{back.day} {month}"))


def _quote(rng: random.Random) -> str:
    text = f"{rng.choice(_QUOTE_OPEN)} {rng.choice(_QUOTE_MIDDLE)}{rng.choice(_QUOTE_CLOSE)}"
    if rng.random() < 0.4:
        text += f". {rng.choice(_QUOTE_OPEN)} {rng.choice(_QUOTE_MIDDLE)}"
    return text


def _said(rng: random.Random, who: str, role: str) -> str:
    """One quotation with one of several attribution styles."""
    quote, verb = _quote(rng), rng.choice(_SAY)
    shapes = (
        f'"{quote}," {rng.choice(("said", "added"))} {who}, {role}.', f'{who}, {role}, {verb}: "{quote}."',
        f'"{quote}," {who} {verb}.', f'"{quote}," {role} {who} {verb}.',
        f'According to {who}, "{quote.lower()[0] + quote[1:]}."',
    )
    return rng.choice(shapes)


def _sentences(rng: random.Random, c: Cast) -> list[str]:
    """A pool of sentences about the dispute; the article draws a varied subset of them."""
    n = rng.randrange(40, 4000)
    demand, demand2 = rng.sample(_DEMANDS, 2)
    pct = rng.randrange(2, 19)
    return [
        f"The {c.union} and {c.company} resumed talks {_day(rng, c)} after a two-week pause.",
        f"Negotiators for {c.company} met with the {c.union} {_day(rng, c)} but reported little progress.",
        f"About {n:,} {c.trade} walked off the job {_day(rng, c)}, shutting down the {c.workplace} in {c.place}.",
        f"The {c.trade} have been on strike since {_since(rng, c)}.",
        f"{c.company} is a member of the {c.association}, which bargains on behalf of employers in the region.",
        f"The {c.association} said it represents {rng.randrange(5, 60)} employers across {c.place}.",
        f"{c.union_leader}, president of the {c.union}, led the walkout.",
        f"Union president {c.union_leader} called the latest offer an insult.",
        f"{c.company} chief executive {c.ceo} declined to comment.",
        f"In a memo to staff, {c.ceo} wrote that the company had offered a raise of {pct} percent.",
        f"The union is demanding {demand} and {demand2}.",
        f"Members voted {rng.randrange(70, 99)} percent in favor of authorizing a strike {_day(rng, c)}.",
        f"A federal mediator, {c.mediator}, has been assigned to the dispute.",
        f"Mayor {c.mayor} of {c.place} urged both sides to return to the bargaining table.",
        f"The two sides reached a tentative agreement {_day(rng, c)}, ending a strike that lasted "
        f"{rng.randrange(3, 90)} days.",
        f"The strike ended {_day(rng, c)} when members ratified the new contract.",
        f"Picket lines formed outside the {c.workplace} before dawn, and passing drivers honked in support.",
        f"Talks between the {c.union} and the {c.association} broke down {_day(rng, c)}.",
        f"The previous contract expired {_day(rng, c)}, and workers have stayed on the job without one since.",
        f"Analysts said the stoppage could cost {c.company} about ${rng.randrange(2, 90)} million a week.",
        f"{c.company} has hired temporary replacement workers, a move the {c.union} condemned.",
        f"The {c.union} represents roughly {n + rng.randrange(100, 900):,} {c.trade} in {c.place} and nearby towns.",
        "Neither side would say when negotiations might resume.",
        f"Customers in {c.place} were told to expect delays through the end of {_MONTHS[c.published.month - 1]}.",
        _said(rng, c.union_leader, f"president of the {c.union}"),
        _said(rng, c.ceo, f"chief executive of {c.company}"),
        _said(rng, c.mayor, f"the mayor of {c.place}"),
        _said(rng, c.mediator, "the mediator"),
        f"It was the first strike at the {c.workplace} since {c.published.year - rng.randrange(3, 40)}.",
        f"Some {c.trade} said they had taken second jobs to cover their bills during the walkout.",
    ]


def generate_article(seed: int, index: int, short: bool = False) -> dict[str, str]:
    """Article `index` of the corpus `seed`: {"id", "date", "text"} (a short one is a headline and one sentence)."""
    rng = random.Random(f"{seed}:{index}")
    cast = _cast(rng)
    pool = _sentences(rng, cast)
    headline = rng.choice((
        f"{cast.trade.capitalize()} strike at {cast.company} enters another week",
        f"{cast.union} and {cast.company} return to the table",
        f"Deal reached in {cast.place} {cast.workplace} dispute",
        f"{cast.place} {cast.trade} walk out over {rng.choice(_DEMANDS)}",
    ))
    if short:
        body = rng.choice(pool)
        text = f"{headline}\n\n{body}\n"
    else:
        chosen = rng.sample(pool, rng.randrange(12, len(pool) + 1))
        paragraphs, i = [], 0
        while i < len(chosen):
            size = rng.randrange(1, 4)
            paragraphs.append(" ".join(chosen[i:i + size]))
            i += size
        dateline = f"{cast.place.upper()} \u2014 " if rng.random() < 0.5 else ""
        text = f"{headline}\n\n{dateline}" + "\n\n".join(paragraphs) + "\n"
    return {"id": f"bench-{seed}-{index:07d}", "date": cast.published.isoformat(), "text": text}


def generate(seed: int, articles: int | None = None, words: int | None = None,
             short: bool = False) -> Iterator[dict[str, str]]:
    """Articles of corpus `seed` until `articles` are made or at least `words` words (whitespace-split)."""
    if articles is None and words is None:
        raise ValueError("give a number of articles or of words")
    made = total = 0
    while (articles is None or made < articles) and (words is None or total < words):
        article = generate_article(seed, made, short=short)
        total += len(article["text"].split())
        made += 1
        yield article


@dataclass(frozen=True)
class CorpusInfo:
    path: Path
    articles: int
    words: int


def write_jsonl(path: Path, seed: int, articles: int | None = None, words: int | None = None,
                short: bool = False) -> CorpusInfo:
    """Write the corpus as JSON Lines (id, date, text) and return what was written."""
    count = total = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for article in generate(seed, articles=articles, words=words, short=short):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
            count += 1
            total += len(article["text"].split())
    return CorpusInfo(path=path, articles=count, words=total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=SEEDS["extraction"])
    parser.add_argument("--articles", type=int)
    parser.add_argument("--words", type=int)
    parser.add_argument("--short", action="store_true", help="headline plus one sentence")
    args = parser.parse_args()
    info = write_jsonl(args.out, args.seed, articles=args.articles, words=args.words, short=args.short)
    print(f"{info.articles} articles, {info.words} words -> {info.path}")


if __name__ == "__main__":
    main()
