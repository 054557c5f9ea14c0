"""Finding the article in a web page, the entries of a feed, and the URLs of a URL list (graph.sources.webpages)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.sources.webpages import canonical_url, feed_entries, page_text, url_list

BOILERPLATE = ("Cheap flights", "Related stories", "Ferry timetable", "Dockside Dave", "Copyright", "Subscribe",
               "window.tracker", "Weather", "cookies", "Win a luxury", "newsletter", "Front page")


@pytest.fixture()
def web(data_dir: Path) -> Path:
    return data_dir / "web"


@pytest.mark.parametrize(("page", "first", "last", "title", "published"), [
    ("harbour-strike.html", "The Velan Dockers Union said on Friday", "lasted eleven days.",
     "Dockers walk out at Port Velan", date(2025, 3, 14)),  # JSON-LD datePublished, not dateModified
    ("mill-talks.html", "The Northbank Weavers Guild resumed", "declined to comment on the talks.",
     "Mill owners and weavers resume talks", date(2025, 4, 2)),  # article:published_time
    ("no-date.html", "Bus drivers in Ostra voted", "seven percent over two years.",
     "Bus drivers accept pay offer", None),
])
def test_webpages_main_text_without_boilerplate(web: Path, page: str, first: str, last: str, title: str,
                                                published: date | None) -> None:
    found = page_text((web / page).read_bytes(), f"https://news.example.org/{page}")
    assert found is not None
    assert first in found.text and found.text.rstrip().endswith(last)
    assert not [word for word in BOILERPLATE if word in found.text]
    assert found.title == title
    assert found.date == published


def test_webpages_no_date_from_the_text(web: Path) -> None:
    # "in 2019" and "on Friday" are in the text: only metadata gives a publication date.
    html = (web / "harbour-strike.html").read_bytes().replace(b'"datePublished": "2025-03-14T08:00:00Z",', b"")
    found = page_text(html.replace(b'"dateModified": "2025-03-16T10:30:00Z",', b""), "https://x.org/a")
    assert found is not None and found.date is None


def test_webpages_canonical_url_from_the_page(web: Path) -> None:
    found = page_text((web / "harbour-strike.html").read_bytes(), "https://news.example.org/harbour-strike.html")
    assert found is not None
    assert found.url == "https://news.example.org/news/2025/dockers-walk-out"  # relative canonical, no utm_*


def test_webpages_saved_page_without_absolute_canonical_has_no_url(web: Path) -> None:
    found = page_text((web / "harbour-strike.html").read_bytes())
    assert found is not None and found.url is None


@pytest.mark.parametrize("html", [b"", b"<html><body></body></html>", b"\x00\x01binary"])
def test_webpages_no_article_is_none(web: Path, html: bytes) -> None:
    assert page_text(html) is None
    assert page_text((web / "menu-only.html").read_bytes()) is None


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTPS://News.Example.org:443/a?utm_source=rss&id=3#top", "https://news.example.org/a?id=3"),
    ("http://example.org/story", "http://example.org/story"),
    ("not a url", "not a url"),
])
def test_webpages_canonical_url_normalised(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_webpages_rss_and_atom_entries(web: Path) -> None:
    rss = feed_entries((web / "feed.rss").read_bytes(), "https://news.example.org/feed.rss")
    assert rss is not None
    assert [(e.link, e.date) for e in rss] == [
        ("https://news.example.org/harbour-strike.html?utm_source=rss", date(2025, 3, 14)),
        ("https://news.example.org/no-date.html", date(2025, 3, 20)),
        ("https://news.example.org/gone.html", date(2025, 3, 22)),
    ]
    atom = feed_entries((web / "feed.atom").read_bytes(), "https://courier.example.org/feed.atom")
    assert atom is not None
    assert [(e.link, e.date, e.title) for e in atom] == [
        ("https://courier.example.org/mill-talks.html", date(2025, 4, 2), "Mill owners and weavers resume talks"),
        ("https://courier.example.org/no-date.html", date(2025, 3, 21), "Bus drivers accept pay offer"),
    ]


@pytest.mark.parametrize("data", [b"plain words, not a feed", b"<html><body><p>A page.</p></body></html>", b""])
def test_webpages_not_a_feed_is_none(data: bytes) -> None:
    assert feed_entries(data) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("# my list\nhttps://a.org/x\n\n  http://b.org/y  \n", ["https://a.org/x", "http://b.org/y"]),
    ("The union said https://a.org/x was wrong.\n", None),
    ("https://a.org/x\nnot a url\n", None),
    ("\n# only comments\n", None),
    ("HTTP://\n", None),  # no host: text, not a list of pages
    ("http://[\n", None),
])
def test_webpages_url_list(text: str, expected: list[str] | None) -> None:
    assert url_list(text) == expected
