"""Building from the web as a user does: `newsgraph build --feed`, article URLs, URL lists and saved pages, against
the local news site of conftest.news_site (no network beyond the loopback interface)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main


@pytest.fixture()
def polite(monkeypatch):
    """The fetch policy of the CLI without its one-second pause per host (the tests would only wait)."""
    import graph.sources.fetch

    original = graph.sources.fetch.Policy

    def fast(**options):
        options.setdefault("delay", 0.0)
        options.setdefault("retries", 0)
        return original(**options)

    monkeypatch.setattr("graph.sources.fetch.Policy", fast)  # the build command imports it when it runs
    return fast


def _build(*args: str) -> object:
    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


def _query(store: Path, sparql: str) -> str:
    result = CliRunner().invoke(main, ["query", "--store", str(store), "--format", "csv", sparql])
    assert result.exit_code == 0, result.output
    return result.output


DOCS = """PREFIX ng: <https://w3id.org/newsgraph/ontology#>
SELECT ?url ?title ?date WHERE { ?d a ng:Document ; ng:url ?url ; ng:title ?title ; ng:publishedOn ?date }
ORDER BY ?url"""


def test_cli_build_from_a_feed(news_site, tmp_path: Path, polite) -> None:
    store = tmp_path / "store"
    result = _build("--feed", f"{news_site}/feed.rss", "--store", str(store))
    assert result.exit_code == 3  # one entry is gone: a warning, the others are built
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warnings == [f"warning: {news_site}/gone.html: HTTP 404, skipped"]
    rows = _query(store, DOCS).splitlines()[1:]
    assert rows == [
        f"{news_site}/news/2025/dockers-walk-out,Dockers walk out at Port Velan,2025-03-14",
        f"{news_site}/no-date.html,Bus drivers accept pay offer,2025-03-20",
    ]
    assert "Velan Dockers Union" in _query(store, "SELECT ?n WHERE { ?x rdfs:label ?n }")


def test_cli_build_same_feed_again_skips_unchanged(news_site, tmp_path: Path, polite) -> None:
    store = tmp_path / "store"
    _build("--feed", f"{news_site}/feed.atom", "--store", str(store))
    again = _build("--feed", f"{news_site}/feed.atom", "--store", str(store))
    assert again.exit_code == 0
    assert "built 0 of 2 articles (2 unchanged)" in again.output


def test_cli_build_url_list_and_urls(news_site, tmp_path: Path, polite) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# today's reading\n{news_site}/mill-talks.html\n\n{news_site}/redirect\n")
    store = tmp_path / "store"
    result = _build(str(listing), f"{news_site}/no-date.html", "--date", "2025-05-01", "--store", str(store))
    assert result.exit_code == 0, result.output
    rows = _query(store, DOCS).splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == [
        f"{news_site}/mill-talks.html", f"{news_site}/news/2025/dockers-walk-out", f"{news_site}/no-date.html"]
    assert rows[-1].endswith(",2025-05-01")  # no date in the page or a feed: --date


def test_cli_build_saved_pages_in_a_folder(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("mill-talks.html", "menu-only.html"):
        (folder / name).write_bytes((data_dir / "web" / name).read_bytes())
    store = tmp_path / "store"
    result = _build(str(folder), "--store", str(store))
    assert result.exit_code == 3
    assert f"warning: {folder.as_posix()}/menu-only.html: no article text found in the page, skipped" in result.output
    ids = _query(store, "PREFIX ng: <https://w3id.org/newsgraph/ontology#> SELECT ?i WHERE { ?d ng:articleId ?i }")
    assert ids.splitlines()[1:] == ["mill-talks.html"]
    assert "Northbank Weavers Guild" in _query(store, "SELECT ?n WHERE { ?x rdfs:label ?n }")


def test_cli_build_offline_refuses_the_network(news_site, tmp_path: Path, polite) -> None:
    result = _build(f"{news_site}/mill-talks.html", "--offline", "--store", str(tmp_path / "store"))
    assert result.exit_code == 3
    assert "--offline refuses network access" in result.output
    assert news_site.requests == []


def test_cli_build_robots_and_ignore_robots(news_site, tmp_path: Path, polite) -> None:
    page = f"{news_site}/private/draft.html"
    refused = _build(page, "--store", str(tmp_path / "a"))
    assert refused.exit_code == 3 and "disallowed by the site's robots.txt" in refused.output
    allowed = _build(page, "--ignore-robots", "--store", str(tmp_path / "b"))
    assert allowed.exit_code == 0, allowed.output


def test_cli_build_strict_fetches_each_page_once(news_site, tmp_path: Path, polite) -> None:
    result = _build("--feed", f"{news_site}/feed.atom", "--strict", "--store", str(tmp_path / "store"))
    assert result.exit_code == 0, result.output
    fetched = [path for path, _, _ in news_site.requests if path != "/robots.txt"]
    assert sorted(fetched) == ["/feed.atom", "/mill-talks.html", "/no-date.html"]


def test_cli_build_failures_are_one_line_warnings_never_tracebacks(news_site, tmp_path: Path, polite) -> None:
    sources = [f"{news_site}/slow", f"{news_site}/loop", "http://exa mple.org/x", f"{news_site}/huge"]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    done = subprocess.run([sys.executable, "-m", "graph", "build", *sources, "--store", str(tmp_path / "store")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 4 and all(news_site in w or "exa mple" in w for w in warnings)


def test_readers_saved_page_and_url_list(news_site, data_dir: Path, tmp_path: Path) -> None:
    from graph.sources.fetch import Policy
    from graph.sources.readers import read_sources
    from graph.sources.web_sources import WebReader

    (tmp_path / "page.htm").write_bytes((data_dir / "web" / "mill-talks.html").read_bytes())
    (tmp_path / "reading.txt").write_text(f"{news_site}/no-date.html\n")
    (tmp_path / "story.txt").write_text("The union said talks would resume on Monday.\n")
    problems: list[str] = []
    reader = WebReader(Policy(delay=0.0, retries=0))
    articles = list(read_sources([str(tmp_path)], on_problem=problems.append, web=reader))
    assert [a.id for a in articles] == ["page.htm", "story.txt", f"{news_site}/no-date.html"]  # the web comes last
    assert articles[0].title == "Mill owners and weavers resume talks" and problems == []


def test_readers_url_source_without_feeds_or_files(news_site) -> None:
    from graph.sources.fetch import Policy
    from graph.sources.readers import read_sources
    from graph.sources.web_sources import WebReader

    found = list(read_sources([f"{news_site}/mill-talks.html"], web=WebReader(Policy(delay=0.0, retries=0))))
    assert [a.url for a in found] == [f"{news_site}/mill-talks.html"]
