"""Tests for graph.dates: resolving date expressions against a publication date."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.dates import parse_iso_date, resolve_date
from graph.model import PartialDate

FRI = date(2024, 11, 22)  # a Friday
SAT_EVE = date(2023, 9, 22)  # a Friday, the day before Saturday Sept. 23 2023
JAN = date(2024, 1, 5)  # early January: dates without a year may belong to the year before


def d(y: int, m: int, day: int | None = None) -> PartialDate:
    return PartialDate(y, m, day)


@pytest.mark.parametrize(
    ("expr", "pub", "expected"),
    [
        ("2023-05-02", None, d(2023, 5, 2)),
        ("on 2023-05-02", FRI, d(2023, 5, 2)),
        ("May 2", SAT_EVE, d(2023, 5, 2)),
        ("May 2nd", SAT_EVE, d(2023, 5, 2)),
        ("2 May", SAT_EVE, d(2023, 5, 2)),
        ("the 2nd of May", SAT_EVE, d(2023, 5, 2)),
        ("Sept. 23", date(2023, 9, 30), d(2023, 9, 23)),
        ("Sep 23", date(2023, 9, 30), d(2023, 9, 23)),
        ("Aug. 17th", SAT_EVE, d(2023, 8, 17)),
        ("May 2, 2023", None, d(2023, 5, 2)),
        ("Sept. 23, 2023", None, d(2023, 9, 23)),
        ("23 September 2023", None, d(2023, 9, 23)),
        ("since May 2", SAT_EVE, d(2023, 5, 2)),
        ("as of Nov. 1", FRI, d(2024, 11, 1)),
        ("Nov. 1-3", FRI, d(2024, 11, 1)),
        ("ON NOV. 1", FRI, d(2024, 11, 1)),
    ],
)
def test_dates_day_dates(expr: str, pub: date | None, expected: PartialDate) -> None:
    assert resolve_date(expr, pub) == expected


@pytest.mark.parametrize(
    ("expr", "pub", "future", "expected"),
    [
        # year rollover: a December date read in January is last year's
        ("Dec. 28", JAN, False, d(2023, 12, 28)),
        ("Dec. 28", JAN, True, d(2024, 12, 28)),
        ("Jan. 5", JAN, False, d(2024, 1, 5)),  # pub itself counts
        ("Jan. 5", JAN, True, d(2024, 1, 5)),
        ("Jan. 4", JAN, True, d(2025, 1, 4)),
        # a few days after pub is a near event, not last year's
        ("Jan. 7", JAN, False, d(2024, 1, 7)),
        ("Jan. 20", JAN, False, d(2023, 1, 20)),
        ("Feb. 29", date(2023, 3, 1), False, d(2020, 2, 29)),
        ("Feb. 29", date(2023, 3, 1), True, d(2024, 2, 29)),
    ],
)
def test_dates_day_without_year_picks_year(
    expr: str, pub: date, future: bool, expected: PartialDate
) -> None:
    assert resolve_date(expr, pub, future=future) == expected


@pytest.mark.parametrize(
    ("expr", "pub", "expected"),
    [
        ("Saturday, Sept. 23", SAT_EVE, d(2023, 9, 23)),  # Sept. 23 2022 was a Friday
        ("Friday, Sept. 23", SAT_EVE, d(2022, 9, 23)),
        ("Saturday, Sept. 23, 2023", None, d(2023, 9, 23)),
    ],
)
def test_dates_weekday_before_date_picks_year(expr: str, pub: date | None, expected: PartialDate) -> None:
    assert resolve_date(expr, pub) == expected


@pytest.mark.parametrize(
    ("expr", "pub", "future", "expected"),
    [
        ("July", SAT_EVE, False, d(2023, 7)),
        ("in July", SAT_EVE, False, d(2023, 7)),
        ("in mid-December", date(2026, 2, 6), False, d(2025, 12)),
        ("mid December", date(2026, 2, 6), False, d(2025, 12)),
        ("late August", SAT_EVE, False, d(2023, 8)),
        ("since early September", SAT_EVE, False, d(2023, 9)),  # pub's own month counts
        ("the end of October", SAT_EVE, False, d(2022, 10)),
        ("October", SAT_EVE, True, d(2023, 10)),
        ("August", SAT_EVE, True, d(2024, 8)),
        ("July 2023", None, False, d(2023, 7)),
        ("mid-December 2025", None, False, d(2025, 12)),
        ("July of 2021", SAT_EVE, False, d(2021, 7)),
        ("last September", SAT_EVE, False, d(2022, 9)),
        ("next September", SAT_EVE, False, d(2024, 9)),
        ("this December", SAT_EVE, False, d(2023, 12)),
    ],
)
def test_dates_months(expr: str, pub: date | None, future: bool, expected: PartialDate) -> None:
    assert resolve_date(expr, pub, future=future) == expected


@pytest.mark.parametrize(
    ("expr", "pub", "future", "expected"),
    [
        ("Monday", date(2025, 3, 14), False, d(2025, 3, 10)),
        ("on Monday", date(2025, 3, 14), False, d(2025, 3, 10)),
        ("on Friday", FRI, False, d(2024, 11, 22)),  # pub is a Friday: it counts
        ("Friday", FRI, True, d(2024, 11, 22)),
        ("late Thursday", FRI, False, d(2024, 11, 21)),
        ("Thursday night", FRI, False, d(2024, 11, 21)),
        ("early Saturday", FRI, False, d(2024, 11, 16)),
        ("Saturday", FRI, True, d(2024, 11, 23)),
        ("Wednesday's", date(2026, 2, 6), False, d(2026, 2, 4)),
        ("last Tuesday", FRI, False, d(2024, 11, 19)),
        ("last Friday", FRI, False, d(2024, 11, 15)),  # "last" is strictly before pub
        ("next Friday", FRI, False, d(2024, 11, 29)),
        ("next Monday", FRI, False, d(2024, 11, 25)),
        ("this Friday", FRI, True, d(2024, 11, 22)),
        ("Tues.", FRI, False, d(2024, 11, 19)),
        ("on Sunday", date(2024, 1, 1), False, d(2023, 12, 31)),
    ],
)
def test_dates_weekdays(expr: str, pub: date, future: bool, expected: PartialDate) -> None:
    assert resolve_date(expr, pub, future=future) == expected


@pytest.mark.parametrize("expr", ["Tuesday last week", "last week on Tuesday", "Tuesday of last week",
                                  "on Tuesday the previous week"])
def test_dates_a_weekday_of_last_week(expr: str) -> None:
    assert resolve_date(expr, date(2009, 4, 15)) == d(2009, 4, 7)  # pub a Wednesday; "Tuesday" alone is 04-14


@pytest.mark.parametrize(
    ("expr", "pub", "future", "expected"),
    [
        ("on the 13th", date(2023, 7, 16), False, d(2023, 7, 13)),
        ("the 30th", date(2023, 7, 16), False, d(2023, 6, 30)),  # later than pub: the month before
        ("the 18th", date(2023, 7, 16), False, d(2023, 7, 18)),  # a dateline a day or two off
        ("the 31st", date(2023, 3, 16), False, None),  # February has none: no guess two months back
        ("the 13th", date(2023, 7, 16), True, d(2023, 8, 13)),
        ("the 20th century", date(2023, 7, 16), False, None),
        ("13", date(2023, 7, 16), False, None),  # a bare number is no day
    ],
)
def test_dates_ordinal_day_alone_is_a_day_of_the_month(expr: str, pub: date, future: bool,
                                                       expected: PartialDate | None) -> None:
    assert resolve_date(expr, pub, future=future) == expected


@pytest.mark.parametrize(
    ("expr", "pub", "expected"),
    [
        ("today", FRI, d(2024, 11, 22)),
        ("Yesterday", date(2024, 1, 1), d(2023, 12, 31)),
        ("tomorrow", date(2023, 12, 31), d(2024, 1, 1)),
        ("late yesterday", FRI, d(2024, 11, 21)),
        ("yesterday afternoon", FRI, d(2024, 11, 21)),
        ("last night", FRI, d(2024, 11, 21)),
        ("earlier today", FRI, d(2024, 11, 22)),
        ("three days ago", FRI, d(2024, 11, 19)),
        ("2 days ago", FRI, d(2024, 11, 20)),
        # month-relative words give the month only
        ("earlier this month", FRI, d(2024, 11)),
        ("this month", FRI, d(2024, 11)),
        ("late last month", JAN, d(2023, 12)),
        ("next month", date(2024, 12, 3), d(2025, 1)),
    ],
)
def test_dates_relative_words(expr: str, pub: date, expected: PartialDate) -> None:
    assert resolve_date(expr, pub) == expected


@pytest.mark.parametrize(
    "expr",
    [
        "last week", "the previous three days", "hours or days", "a second day", "this weekend",
        "the weekend", "2023", "in 2023", "mid-2023", "recently", "", "   ", "on", "last",
        "Feb. 30, 2024", "2023-13-45", "2023-02-30", "Smarch 3", "May 32", "two weeks ago", "five days later",
    ],
)
def test_dates_not_a_point_in_time(expr: str) -> None:
    assert resolve_date(expr, FRI) is None


@pytest.mark.parametrize(
    "expr",
    ["Monday", "May 2", "July", "mid-December", "today", "yesterday", "earlier this month", "three days ago",
     "Saturday, Sept. 23", "last Friday"],
)
def test_dates_without_pub_needs_a_year(expr: str) -> None:
    assert resolve_date(expr, None) is None
    assert resolve_date(expr, None, future=True) is None


@pytest.mark.parametrize(
    ("pub", "expr"),
    [(date.max, "tomorrow"), (date.min, "yesterday"), (date.min, "Dec. 31"), (date.max, "Jan. 1"),
     (date.max, "next month"), (date.min, "last month"), (date.min, "Sunday")],
)
def test_dates_calendar_edges_give_none(pub: date, expr: str) -> None:
    assert resolve_date(expr, pub, future=expr in {"Jan. 1"}) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-05", date(2024, 1, 5)),
        (" 2024-01-05\n", date(2024, 1, 5)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2023-02-29", None),
        ("2023-13-45", None),
        ("2024-1-5", None),
        ("yesterday", None),
        ("20240105", None),
        ("2024-01-05x", None),
        ("", None),
    ],
)
def test_dates_parse_iso_date(text: str, expected: date | None) -> None:
    assert parse_iso_date(text) == expected


def _valid(result: PartialDate | None) -> bool:
    if result is None:
        return True
    if result.day is None:
        return 1 <= result.year <= 9999 and 1 <= result.month <= 12
    return result.to_date() is not None


_WORDS = st.sampled_from(
    ["on", "in", "since", "mid-", "late", "early", "last", "this", "next", "May", "Sept.", "Dec", "Monday",
     "Friday", ",", "2023", "0000", "9999", "29", "31", "2nd", "1-3", "of", "the", "today", "days", "ago",
     "month", "night", "-", "99", "2023-02-29"]
)


@settings(max_examples=400, deadline=None)
@given(expr=st.text(max_size=60), pub=st.none() | st.dates(), future=st.booleans())
def test_dates_arbitrary_text_never_raises(expr: str, pub: date | None, future: bool) -> None:
    assert _valid(resolve_date(expr, pub, future=future))


@settings(max_examples=400, deadline=None)
@given(words=st.lists(_WORDS, max_size=6), pub=st.none() | st.dates(), future=st.booleans())
def test_dates_date_like_text_never_raises(words: list[str], pub: date | None, future: bool) -> None:
    assert _valid(resolve_date(" ".join(words), pub, future=future))


@given(st.text(max_size=30))
def test_dates_parse_iso_never_raises(text: str) -> None:
    result = parse_iso_date(text)
    assert result is None or isinstance(result, date)
