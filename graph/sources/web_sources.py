"""Articles from the web: article URLs, URL lists, feeds (by URL or file) and saved HTML pages.

graph.sources.fetch brings the bytes under a polite policy, graph.sources.webpages finds the article in them; this
module puts the two together into `Article`s, as graph.sources.readers does for files, with the same reporting: a
source that cannot be used is a one-line problem naming it (a warning, exit 3, or an error under `--strict`), never a
traceback, and the other sources are still read.

Dates: the page's metadata first, else the feed entry's date, else the build's `--date`. Identity: the
canonical URL (graph.sources.webpages), which is also the document's `ng:url` (a sub-property of `schema:url`). Two
links to one canonical URL (a feed entry and the article's own address, a redirect) give one article.

Pages are fetched once per build: a `WebReader` keeps what it fetched, so a `--strict` build, which reads its
sources twice (once to check, once to build), does not ask the server twice.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graph.errors import printable
from graph.model import Article
from graph.sources.fetch import Fetcher, FetchError, Page, Policy, fetch_all, is_url
from graph.sources.webpages import FeedEntry, WebText, feed_entries, page_text

Reporter = Callable[[str], None]


@dataclass
class WebReader:
    """Reads web sources for one build: the fetch policy, how many fetches at once, and what was fetched."""

    policy: Policy = field(default_factory=Policy)
    jobs: int = 1
    fetcher: Fetcher | None = None
    _pages: dict[str, Page | FetchError] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.fetcher is None:
            self.fetcher = Fetcher(self.policy)

    def fetched(self, urls: Sequence[str]) -> list[Page | FetchError]:
        """The page (or error) of each URL, fetching only those not fetched before in this build."""
        assert self.fetcher is not None
        todo = [url for url in dict.fromkeys(urls) if url not in self._pages]
        for url, got in zip(todo, fetch_all(self.fetcher, todo, self.jobs), strict=True):
            self._pages[url] = got
        return [self._pages[url] for url in urls]

    def articles(self, urls: Sequence[str], feeds: Sequence[str], default_date: date | None,
                 problem: Reporter) -> Iterator[Article]:
        """The articles of the feeds' entries, then of `urls`, in order, each canonical URL once."""
        links: list[tuple[str, FeedEntry | None]] = []
        for feed in feeds:
            links += [(entry.link, entry) for entry in self._feed(feed, problem)]
        links += [(url, None) for url in urls]
        seen: set[str] = set()
        pages = self.fetched([link for link, _ in links])
        for (link, entry), page in zip(links, pages, strict=True):
            if isinstance(page, FetchError):
                problem(f"{printable(str(page))}, skipped")
                continue
            article = _article(page_text(page.body, page.final_url), link, entry, default_date, page.final_url)
            if article is None:
                problem(f"{printable(link)}: no article text found in the page, skipped")
            elif article.id not in seen:
                seen.add(article.id)
                yield article

    def _feed(self, feed: str, problem: Reporter) -> list[FeedEntry]:
        """A feed's entries, read from its URL or file; [] after reporting when it cannot be read."""
        if is_url(feed):
            page = self.fetched([feed])[0]
            if isinstance(page, FetchError):
                problem(f"{printable(str(page))}, feed skipped")
                return []
            data, base = page.body, page.final_url
        else:
            try:
                data, base = Path(feed).read_bytes(), None
            except OSError as exc:
                problem(f"{printable(feed)}: cannot read feed: {exc.strerror or exc}, skipped")
                return []
        entries = feed_entries(data, base)
        if entries is None:
            problem(f"{printable(feed)}: not an RSS or Atom feed, skipped")
            return []
        if not entries:
            problem(f"{printable(feed)}: feed without entries")
        return entries


def html_article(data: bytes, name: str, identity: str, default_date: date | None) -> Article | None:
    """The article of a saved page (a `.html` file); known by the canonical URL it names, else `identity`."""
    found = page_text(data)
    if found is None:
        return None
    return Article(id=found.url or identity, text=found.text, date=found.date or default_date, title=found.title,
                   url=found.url, source=name)


def _article(found: WebText | None, link: str, entry: FeedEntry | None, default_date: date | None,
             final_url: str) -> Article | None:
    if found is None:
        return None
    url = found.url or final_url
    when = found.date or (entry.date if entry else None) or default_date
    title = found.title or (entry.title if entry else None)
    return Article(id=url, text=found.text, date=when, title=title, url=url, source=link)
