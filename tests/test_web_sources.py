"""Articles from URLs, feeds and saved pages (graph.sources.web_sources) against a local news site."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from graph.sources.fetch import Policy
from graph.sources.web_sources import WebReader, html_article

FAST = Policy(delay=0.0, retries=0, timeout=5.0)


def _read(reader: WebReader, urls: list[str] = (), feeds: list[str] = (), default: date | None = None):
    problems: list[str] = []
    articles = list(reader.articles(list(urls), list(feeds), default, problems.append))
    return articles, problems


def test_web_sources_feed_entries_become_articles(news_site) -> None:
    articles, problems = _read(WebReader(FAST), feeds=[f"{news_site}/feed.rss"], default=date(2025, 1, 1))
    assert [(a.id, a.date, a.title) for a in articles] == [
        (f"{news_site}/news/2025/dockers-walk-out", date(2025, 3, 14), "Dockers walk out at Port Velan"),
        (f"{news_site}/no-date.html", date(2025, 3, 20), "Bus drivers accept pay offer"),  # the entry's date
    ]
    assert articles[0].url == articles[0].id and articles[0].source.endswith("/harbour-strike.html?utm_source=rss")
    assert problems == [f"{news_site}/gone.html: HTTP 404, skipped"]


def test_web_sources_default_date_last(news_site) -> None:
    articles, _ = _read(WebReader(FAST), urls=[f"{news_site}/no-date.html"], default=date(2025, 1, 1))
    assert [a.date for a in articles] == [date(2025, 1, 1)]


def test_web_sources_one_article_per_canonical_url(news_site) -> None:
    urls = [f"{news_site}/harbour-strike.html", f"{news_site}/redirect",
            f"{news_site}/harbour-strike.html?utm_source=x"]
    articles, problems = _read(WebReader(FAST), urls=urls)
    assert [a.id for a in articles] == [f"{news_site}/news/2025/dockers-walk-out"] and problems == []


def test_web_sources_pages_fetched_once_per_build(news_site) -> None:
    reader = WebReader(FAST)
    first, _ = _read(reader, feeds=[f"{news_site}/feed.atom"])
    again, _ = _read(reader, feeds=[f"{news_site}/feed.atom"])
    assert first == again and len(first) == 2
    paths = [path for path, _, _ in news_site.requests if path != "/robots.txt"]
    assert sorted(paths) == ["/feed.atom", "/mill-talks.html", "/no-date.html"]


def test_web_sources_feed_from_a_file(news_site, tmp_path: Path, data_dir: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text((data_dir / "web" / "feed.rss").read_text().replace("<link>/", f"<link>{news_site}/"))
    articles, problems = _read(WebReader(FAST), feeds=[str(feed)])
    assert len(articles) == 2 and len(problems) == 1


def test_web_sources_problems_are_one_line_each(news_site, tmp_path: Path) -> None:
    not_feed = tmp_path / "notes.xml"
    not_feed.write_text("just some notes")
    urls = [f"{news_site}/menu-only.html", f"{news_site}/private/draft.html", "http://exa mple.org/x"]
    feeds = [f"{news_site}/gone.rss", str(not_feed), str(tmp_path / "missing.rss")]
    articles, problems = _read(WebReader(FAST), urls=urls, feeds=feeds)
    assert articles == []
    assert [p.split(": ", 1)[1] for p in problems] == [
        "HTTP 404, feed skipped",
        "not an RSS or Atom feed, skipped",
        "cannot read feed: No such file or directory, skipped",
        "no article text found in the page, skipped",
        "disallowed by the site's robots.txt (--ignore-robots to fetch it), skipped",
        "a URL cannot hold spaces or control characters, skipped",
    ]
    assert all("\n" not in p for p in problems)


def test_web_sources_offline_fetches_nothing(news_site) -> None:
    articles, problems = _read(WebReader(Policy(offline=True)), urls=[f"{news_site}/mill-talks.html"])
    assert articles == [] and "--offline refuses network access" in problems[0]
    assert news_site.requests == []


def test_web_sources_saved_page(data_dir: Path) -> None:
    page = data_dir / "web" / "mill-talks.html"
    article = html_article(page.read_bytes(), "web/mill-talks.html", "mill-talks.html", None)
    assert article is not None
    assert (article.id, article.date, article.url) == ("mill-talks.html", date(2025, 4, 2), None)
    assert article.text.startswith("Mill owners and weavers resume talks\nThe Northbank Weavers Guild")
    canonical = page.read_bytes().replace(b"<head>", b'<head><link rel="canonical" href="https://c.example.org/m">')
    article = html_article(canonical, "web/mill-talks.html", "mill-talks.html", None)
    assert article is not None and article.id == article.url == "https://c.example.org/m"
    assert html_article(b"<html></html>", "empty.html", "empty.html", None) is None
