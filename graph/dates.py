"""Resolve date expressions of news text ("on Monday", "Sept. 23", "in mid-December") to calendar dates.

News reports date events relative to the day they are published, so an expression resolves against the
publication date `pub`: "Monday" is the latest Monday on or before `pub` (or, with `future=True`, the first
one on or after it), "Dec. 28" without a year is the latest Dec. 28 on or before `pub`, and a month alone
gives a `PartialDate` with no day. Expressions that name no point in time ("last week", "the previous three
days", "hours or days") resolve to None. Choices worth knowing:

- "this month", "earlier this month", "late last month", "next month" give the month (day None) counted from
  the publication month: the month is all the expression says.
- "last Tuesday" / "last March" are strictly before the publication day/month, "next Tuesday" / "next March"
  strictly after it; a bare or "this" weekday or month may be the publication one itself.
- Without `pub` only expressions carrying a full year resolve ("May 2, 2023", "July 2023", "2023-05-02").
- A day without a year ("Dec. 28") is the latest one on or before `pub`, allowing up to 3 days after `pub`
  (datelines are often a day off); a leading weekday ("Saturday, Sept. 23") instead picks the year, next to
  `pub`'s, in which that day is that weekday.

The words (month and weekday names, prepositions, modifiers) live in resources/dates.toml.
`resolve_date` never raises: anything it cannot read is None.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from graph.model import PartialDate
from graph.paths import RESOURCES

DATES_FILE = RESOURCES / "dates.toml"

# Longer than any date expression worth reading; bounds the work done on arbitrary input.
_MAX_EXPRESSION_CHARS = 120
# Feb. 29 recurs at most every 8 years (1896 -> 1904), so looking this far always finds one.
_YEAR_SEARCH = 9
# Without a year, a day date resolves to the latest one on or before pub -- or up to this many days after it:
# "Sept. 23" in an article dated Sept. 22 is tomorrow's event or a dateline a day off, not last year's.
_PAST_GRACE_DAYS = 3
# "N days ago" beyond this is not a day anyone counts in.
_MAX_DAYS_AGO = 366

_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_YEAR_RE = re.compile(r"[0-9]{4}")
# Typographic dashes and apostrophes, as news text has them, to their ASCII forms.
_DASHES = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2019": "'"}
)

Tokens = tuple[str, ...]


@dataclass(frozen=True)
class _Lexicon:
    """The contents of dates.toml, normalised into token sequences and lookup tables."""

    months: dict[str, int]
    weekdays: dict[str, int]
    prepositions: tuple[Tokens, ...]  # longest first
    period_modifiers: tuple[Tokens, ...]
    day_parts: frozenset[str]
    past: frozenset[str]
    future: frozenset[str]
    this: frozenset[str]
    day_re: re.Pattern[str]
    ordinal_day_re: re.Pattern[str]  # "13th" alone: a day of the month, as news of some countries dates events
    relative_days: dict[Tokens, int]
    relative_months: dict[Tokens, int]
    numbers: dict[str, int]
    ago_units: frozenset[str]
    ago_words: frozenset[str]


def _tokens(text: str) -> Tokens:
    """Lowercase words of an expression: punctuation that never changes the meaning is dropped.

    "Saturday, Sept. 23" -> ("saturday", "sept", "23"); "mid-December's" -> ("mid", "december").
    """
    text = text.translate(_DASHES).lower()
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"\bmid-", "mid ", text)
    text = re.sub(r"[.,;:!?()\[\]\"']", " ", text)
    return tuple(text.split())


def _phrases(words: list[str]) -> tuple[Tokens, ...]:
    return tuple(sorted((_tokens(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    with DATES_FILE.open("rb") as f:
        data = tomllib.load(f)
    words = data["words"]
    suffixes = "|".join(re.escape(s) for s in words["ordinal_suffixes"])
    day = rf"([0-9]{{1,2}})(?:{suffixes})?"
    return _Lexicon(
        months={name: int(num) for num, names in data["months"].items() for name in names},
        weekdays={name: int(num) for num, names in data["weekdays"].items() for name in names},
        prepositions=_phrases(words["prepositions"]),
        period_modifiers=_phrases(words["period_modifiers"]),
        day_parts=frozenset(words["day_parts"]),
        past=frozenset(words["past_modifiers"]),
        future=frozenset(words["future_modifiers"]),
        this=frozenset(words["this_modifiers"]),
        # A range "Nov. 1-3" keeps its first day: for a strike start that is the day that matters.
        day_re=re.compile(rf"{day}(?:-{day})?"),
        ordinal_day_re=re.compile(rf"([0-9]{{1,2}})(?:{suffixes})"),
        relative_days={_tokens(k): int(v) for k, v in data["relative_days"].items()},
        relative_months={_tokens(k): int(v) for k, v in data["relative_months"].items()},
        numbers={k: int(v) for k, v in data["numbers"].items()},
        ago_units=frozenset(data["ago"]["units"]),
        ago_words=frozenset(data["ago"]["words"]),
    )


def month_names() -> frozenset[str]:
    """Every spelling of a month the date reader knows, lower case ('sep', 'sept', 'september')."""
    return frozenset(_lexicon().months)


def is_ordinal_day(text: str) -> bool:
    """'9th', '23rd': a day of the month said alone, as news of some countries dates events ('on the 9th')."""
    return _lexicon().ordinal_day_re.fullmatch(text.lower()) is not None


def is_weekday(text: str) -> bool:
    """'Tuesday', 'Tues.': a weekday's name alone."""
    return _tokens(text) in {(w,) for w in _lexicon().weekdays}


def names_last_week(text: str) -> bool:
    """'last week', 'the previous week': the calendar week before the publication's."""
    toks = _tokens(text)
    return any(a in _lexicon().past and b == "week" for a, b in zip(toks, toks[1:], strict=False))


def parse_iso_date(s: str) -> date | None:
    """`YYYY-MM-DD` (surrounding whitespace allowed) as a date; None when malformed or not a real day."""
    if not isinstance(s, str):
        return None
    m = _ISO_RE.fullmatch(s.strip())
    return _safe_date(int(m[1]), int(m[2]), int(m[3])) if m else None


def resolve_date(expr: str, pub: date | None, future: bool = False) -> PartialDate | None:
    """The date `expr` names, read against publication date `pub`; None when it names no point in time.

    `future=True` resolves incomplete dates forward ("next Friday" style) for events still to come.
    """
    if not isinstance(expr, str) or len(expr) > _MAX_EXPRESSION_CHARS:
        return None
    try:
        toks = _tokens(expr)
        return _weekday_of_last_week(toks, pub) or _resolve(toks, pub, future)
    except (ValueError, OverflowError):  # dates beyond year 1..9999 near the calendar's ends
        return None


def _weekday_of_last_week(toks: Tokens, pub: date | None) -> PartialDate | None:
    """'Tuesday last week', 'last week on Tuesday', 'Tuesday of last week': that day of the calendar week
    (Monday to Sunday) before the publication's."""
    lex = _lexicon()
    days = [lex.weekdays[t] for t in toks if t in lex.weekdays]
    pairs = set(zip(toks, toks[1:], strict=False))
    if pub is None or len(days) != 1 or not pairs & {(word, "week") for word in lex.past}:
        return None
    return _day(pub - timedelta(days=pub.weekday() + 7 - days[0]))


def _resolve(toks: Tokens, pub: date | None, future: bool) -> PartialDate | None:
    lex = _lexicon()
    # Strip prepositions, period modifiers and day parts until nothing changes, trying the whole-expression
    # tables at every step: "last night" must be found before "night" goes, "earlier today" after "earlier".
    direction: str | None = None
    while toks:
        found = _relative(toks, pub)
        if found is not None or _is_relative(toks):
            return found
        stripped = _strip_front(toks, lex.prepositions + lex.period_modifiers)
        if stripped == toks and toks[-1] in lex.day_parts and len(toks) > 1:
            stripped = toks[:-1]
        if stripped == toks and direction is None and len(toks) > 1:
            direction = _direction(toks[0])
            if direction is not None:
                stripped = toks[1:]
        if stripped == toks:
            break
        toks = stripped
    if not toks:
        return None
    if toks[0] == "the" and len(toks) > 1:
        toks = toks[1:]
    return _absolute(toks, pub, future, direction)


def _strip_front(toks: Tokens, phrases: tuple[Tokens, ...]) -> Tokens:
    for phrase in phrases:
        if len(toks) > len(phrase) and toks[: len(phrase)] == phrase:
            return toks[len(phrase):]
    return toks


def _direction(word: str) -> str | None:
    lex = _lexicon()
    if word in lex.past:
        return "past"
    if word in lex.future:
        return "future"
    if word in lex.this:
        return "this"
    return None


def _is_relative(toks: Tokens) -> bool:
    """A relative expression that needs `pub`: when `pub` is missing it is None, not something else."""
    lex = _lexicon()
    return toks in lex.relative_days or toks in lex.relative_months or _days_ago(toks) is not None


def _relative(toks: Tokens, pub: date | None) -> PartialDate | None:
    if pub is None:
        return None
    lex = _lexicon()
    offset = lex.relative_days.get(toks)
    if offset is None:
        offset = _days_ago(toks)
        offset = -offset if offset is not None else None
    if offset is not None:
        return _day(pub + timedelta(days=offset))
    months = lex.relative_months.get(toks)
    if months is not None:
        index = pub.year * 12 + pub.month - 1 + months
        return _month(index // 12, index % 12 + 1)
    return None


def _days_ago(toks: Tokens) -> int | None:
    lex = _lexicon()
    if len(toks) != 3 or toks[1] not in lex.ago_units or toks[2] not in lex.ago_words:
        return None
    count = int(toks[0]) if re.fullmatch(r"[0-9]{1,3}", toks[0]) else lex.numbers.get(toks[0])
    return count if count is not None and count <= _MAX_DAYS_AGO else None


def _absolute(toks: Tokens, pub: date | None, future: bool, direction: str | None) -> PartialDate | None:
    lex = _lexicon()
    if len(toks) == 1 and _ISO_RE.fullmatch(toks[0]):
        found = parse_iso_date(toks[0])
        return _day(found) if found else None
    if len(toks) == 1 and toks[0] in lex.weekdays:
        return _weekday(lex.weekdays[toks[0]], pub, future, direction)
    if len(toks) == 1 and (m := lex.ordinal_day_re.fullmatch(toks[0])):
        return _day_of_month_near(int(m[1]), pub, future)  # "on the 13th": a day of this month or the last
    weekday: int | None = None
    if len(toks) > 1 and toks[0] in lex.weekdays:
        weekday = lex.weekdays[toks[0]]  # "Saturday, Sept. 23": picks the year when none is given
        toks = toks[1:]
    year: int | None = None
    if len(toks) > 1 and _YEAR_RE.fullmatch(toks[-1]):
        year = int(toks[-1])
        toks = toks[:-1]
        if len(toks) > 1 and toks[-1] == "of":  # "July of 2023"
            toks = toks[:-1]
    month, day = _month_day(toks)
    if month is None:
        return None
    if day is None:
        if year is not None:
            return _month(year, month)
        return _month_near(month, pub, future, direction)
    if year is not None:
        found = _safe_date(year, month, day)
        return _day(found) if found else None
    if weekday is not None and pub is not None:
        by_weekday = _day_by_weekday(month, day, weekday, pub)
        if by_weekday is not None:
            return by_weekday
    return _day_near(month, day, pub, future)


def _month_day(toks: Tokens) -> tuple[int | None, int | None]:
    """(month, day) from "may", "may 2", "may 2nd", "2 may", "2nd of may"; (None, None) otherwise."""
    lex = _lexicon()
    if len(toks) == 1:
        return lex.months.get(toks[0]), None
    if len(toks) == 2 and toks[0] in lex.months:
        m = lex.day_re.fullmatch(toks[1])
        return (lex.months[toks[0]], int(m[1])) if m else (None, None)
    if toks[-1] in lex.months and (len(toks) == 2 or (len(toks) == 3 and toks[1] == "of")):
        m = lex.day_re.fullmatch(toks[0])
        return (lex.months[toks[-1]], int(m[1])) if m else (None, None)
    return None, None


def _weekday(weekday: int, pub: date | None, future: bool, direction: str | None) -> PartialDate | None:
    if pub is None:
        return None
    back = (pub.weekday() - weekday) % 7  # days since the latest such weekday, 0 when pub is one
    ahead = (weekday - pub.weekday()) % 7
    if direction == "past":
        return _day(pub - timedelta(days=back or 7))
    if direction == "future":
        return _day(pub + timedelta(days=ahead or 7))
    return _day(pub + timedelta(days=ahead) if future else pub - timedelta(days=back))


def _month_near(month: int, pub: date | None, future: bool, direction: str | None) -> PartialDate | None:
    if pub is None:
        return None
    if direction == "this":
        return _month(pub.year, month)
    if direction == "past" or (direction is None and not future):
        # latest such month on or before pub's month ("last March" strictly before it)
        before = month < pub.month or (month == pub.month and direction != "past")
        return _month(pub.year if before else pub.year - 1, month)
    after = month > pub.month or (month == pub.month and direction != "future")
    return _month(pub.year if after else pub.year + 1, month)


def _day_near(month: int, day: int, pub: date | None, future: bool) -> PartialDate | None:
    if pub is None:
        return None
    if future:
        for k in range(_YEAR_SEARCH):
            found = _safe_date(pub.year + k, month, day)
            if found is not None and found >= pub:
                return _day(found)
        return None
    # A date a few days after pub is a near event (or a dateline a day off), not one nearly a year back.
    latest = pub + timedelta(days=_PAST_GRACE_DAYS)
    for k in range(-1, _YEAR_SEARCH):
        found = _safe_date(pub.year - k, month, day)
        if found is not None and found <= latest:
            return _day(found)
    return None


def _day_of_month_near(day: int, pub: date | None, future: bool) -> PartialDate | None:
    """Day `day` of the publication month, or of the month before when that is later than pub (by more than the
    grace days); of the month after for `future` when it has passed."""
    if pub is None:
        return None
    months = (0, 1) if future else (0, -1)
    for step in months:
        index = pub.year * 12 + pub.month - 1 + step
        found = _safe_date(index // 12, index % 12 + 1, day)
        if found is not None and (found >= pub if future else found <= pub + timedelta(days=_PAST_GRACE_DAYS)):
            return _day(found)
    return None


def _day_by_weekday(month: int, day: int, weekday: int, pub: date) -> PartialDate | None:
    """The year next to pub's in which `month` `day` falls on `weekday`, the one nearest pub; None if none."""
    candidates = [_safe_date(pub.year + k, month, day) for k in (-1, 0, 1)]
    matching = [d for d in candidates if d is not None and d.weekday() == weekday]
    if not matching:
        return None
    return _day(min(matching, key=lambda d: (abs((d - pub).days), d)))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day(d: date) -> PartialDate:
    return PartialDate(d.year, d.month, d.day)


def _month(year: int, month: int) -> PartialDate | None:
    return PartialDate(year, month) if 1 <= year <= 9999 and 1 <= month <= 12 else None
