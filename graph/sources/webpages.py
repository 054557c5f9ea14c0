"""News from the web as `Article`s: the main text of HTML pages, the entries of RSS/Atom feeds, lists of URLs.

A web page is mostly not the article: menus, adverts, related links, comments, a footer. trafilatura finds the
main text and the title, and through htmldate the publication date from the page's metadata (JSON-LD, Open
Graph, `<meta>`, `<time>`, a date in the URL), never from dates the text mentions: "on strike since March 3"
is news, not the day it was published. When the page has no date, the feed entry's date is used, then the
`--date` the user gave.

An article from the web is known by its canonical URL: the page's own `<link rel="canonical">` (or `og:url`),
else the address it was fetched from after redirects, normalised by courlan (lower-case host, no default
port, no tracking parameters such as `utm_source`, no fragment). So the same story reached through a feed,
a redirect or a saved copy is one article, and building it again replaces or skips it by its text as any
other. A saved page that names no canonical URL keeps its file identity (graph.sources.readers).

Nothing here touches the network: graph.sources.fetch brings the bytes, graph.sources.readers puts the two together.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from time import struct_time
from urllib.parse import urljoin, urlsplit

from graph.dates import parse_iso_date

# trafilatura, courlan, feedparser and lxml are imported where they are used: together they take half a second
# to import, which every build of plain text files would otherwise pay.

# Dates from metadata only (see the module docstring), and the date first published rather than updated.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_URL_LIST_COMMENT = "#"
# A main text without any sentence end is a menu or a caption trafilatura fell back to, not an article.
_SENTENCE_ENDS = (".", "!", "?", "\u201d", '"')
_CANONICAL_XPATH = '//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content'

# trafilatura and htmldate log every page they find no date or text in; the caller reports what matters.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class WebText:
    """The article of one page: main text, title, publication date and canonical URL, when found."""

    text: str
    title: str | None
    date: date | None
    url: str | None


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: the article's link, and the date and title the feed gives it."""

    link: str
    date: date | None
    title: str | None


def page_text(html: bytes | str, url: str | None = None) -> WebText | None:
    """The article of a page (`url` is where it was fetched from, for relative links and a fallback
    identity); None when the page holds no main text."""
    import trafilatura

    found = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True,
        date_extraction_params=_DATE_PARAMS,
    )
    if found is None or isinstance(found, dict):
        return None
    found = found.as_dict()
    text = (found.get("text") or "").strip()
    if not any(end in text for end in _SENTENCE_ENDS):
        return None
    canonical = _canonical_link(html, url) or found.get("url") or url
    return WebText(
        text=text,
        title=_clean(found.get("title")),
        date=parse_iso_date(found["date"]) if found.get("date") else None,
        url=canonical_url(canonical) if canonical else None,
    )


def _canonical_link(html: bytes | str, url: str | None) -> str | None:
    """The page's own address for itself, made absolute against `url` (trafilatura keeps absolute ones only)."""
    import lxml.etree  # type: ignore[import-untyped]
    import lxml.html  # type: ignore[import-untyped]

    try:
        links = lxml.html.fromstring(html).xpath(_CANONICAL_XPATH)
    except (ValueError, lxml.etree.ParserError):
        return None
    for link in links:
        link = str(link).strip()
        absolute = urljoin(url, link) if url else link
        if absolute.lower().startswith(("http://", "https://")):
            return absolute
    return None


def canonical_url(url: str) -> str:
    """`url` normalised so that one article has one address (see the module docstring)."""
    import courlan

    if not url.lower().startswith(("http://", "https://")):
        return url  # not a web address: nothing to normalise
    try:
        return str(courlan.normalize_url(url, strict=True))
    except ValueError:  # not a URL courlan can parse: keep it as given
        return url


def feed_entries(data: bytes, base_url: str | None = None) -> list[FeedEntry] | None:
    """The entries of an RSS or Atom feed, in the feed's order; None when `data` is not a feed at all."""
    import feedparser  # type: ignore[import-untyped]

    parsed = feedparser.parse(data, response_headers={"content-location": base_url} if base_url else None)
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        return None
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        entries.append(FeedEntry(urljoin(base_url, link) if base_url else link, _struct_date(when),
                                 _clean(entry.get("title"))))
    return entries


def url_list(text: str) -> list[str] | None:
    """The URLs of a URL list (one per line; blank lines and `#` comments allowed), or None when any other line
    is not an http(s) URL: then the file is an article like any other."""
    urls = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(_URL_LIST_COMMENT):
            continue
        if not line.lower().startswith(("http://", "https://")) or any(ch.isspace() for ch in line) \
                or not _has_host(line):
            return None  # "HTTP://" alone names no page: the file is text
        urls.append(line)
    return urls or None


def _has_host(url: str) -> bool:
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # "http://[" : a bracket that opens no IPv6 address
        return False


def _struct_date(value: struct_time | None) -> date | None:
    if value is None:
        return None
    try:
        return date(value.tm_year, value.tm_mon, value.tm_mday)
    except ValueError:
        return None


def _clean(title: object) -> str | None:
    if not isinstance(title, str):
        return None
    title = " ".join(title.split())
    return title or None
