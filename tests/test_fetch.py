"""The polite, bounded HTTP client (graph.sources.fetch) against a local news site (conftest.news_site)."""
from __future__ import annotations

import pytest

from graph.sources.fetch import USER_AGENT, Fetcher, FetchError, Policy, fetch_all, is_url

# No pause between requests and no retries unless a test asks: the tests would only wait.
FAST = Policy(delay=0.0, retries=0, backoff=0.0, timeout=5.0)


def test_fetch_page_names_newsgraph_as_user_agent(news_site) -> None:
    page = Fetcher(FAST).fetch(f"{news_site}/harbour-strike.html")
    assert b"Velan Dockers Union" in page.body
    assert page.content_type.startswith("text/html")
    agents = {agent for path, agent, _ in news_site.requests if path == "/harbour-strike.html"}
    assert agents == {USER_AGENT} and USER_AGENT.startswith("newsgraph/")


def test_fetch_redirect_followed_to_final_url(news_site) -> None:
    page = Fetcher(FAST).fetch(f"{news_site}/redirect")
    assert page.url == f"{news_site}/redirect"
    assert page.final_url == f"{news_site}/harbour-strike.html"


@pytest.mark.parametrize(("path", "policy", "message"), [
    ("/gone.html", FAST, "HTTP 404"),
    ("/loop", FAST, "more than 5 redirects"),
    ("/slow", Policy(delay=0.0, retries=0, timeout=0.5), "timed out"),
    ("/huge", Policy(delay=0.0, retries=0, max_bytes=300_000), "larger than the limit of 300,000 bytes"),
    ("/private/draft.html", FAST, "disallowed by the site's robots.txt"),
])
def test_fetch_failure_is_one_line_naming_url(news_site, path: str, policy: Policy, message: str) -> None:
    with pytest.raises(FetchError) as caught:
        Fetcher(policy).fetch(f"{news_site}{path}")
    text = str(caught.value)
    assert text.startswith(news_site) and message in text and "\n" not in text


def test_fetch_robots_can_be_ignored(news_site) -> None:
    policy = Policy(delay=0.0, retries=0, robots=False)
    assert b"Draft story" in Fetcher(policy).fetch(f"{news_site}/private/draft.html").body
    assert not any(path == "/robots.txt" for path, _, _ in news_site.requests)


def test_fetch_retries_with_backoff_after_503(news_site) -> None:
    waits: list[float] = []
    policy = Policy(delay=0.0, retries=2, backoff=0.25)
    page = Fetcher(policy, sleep=waits.append).fetch(f"{news_site}/flaky")
    assert b"Northbank Weavers Guild" in page.body
    assert [path for path, _, _ in news_site.requests].count("/flaky") == 2
    assert waits == [0.25]  # one failure, one backoff; the next would be 0.5


def test_fetch_offline_refuses_network(news_site) -> None:
    with pytest.raises(FetchError, match="--offline refuses network access"):
        Fetcher(Policy(offline=True)).fetch(f"{news_site}/harbour-strike.html")
    assert news_site.requests == []


@pytest.mark.parametrize("url", ["ftp://example.org/a", "http://", "http://exa mple.org/a", "http://a.org/\nb"])
def test_fetch_malformed_url_refused(url: str) -> None:
    with pytest.raises(FetchError) as caught:
        Fetcher(FAST).fetch(url)
    assert "\n" not in str(caught.value)


def test_fetch_same_host_requests_are_spaced(news_site) -> None:
    pages = [f"{news_site}/{name}" for name in ("harbour-strike.html", "mill-talks.html", "no-date.html")]
    results = fetch_all(Fetcher(Policy(delay=0.3, retries=0)), pages, jobs=3)
    assert all(not isinstance(result, FetchError) for result in results)
    times = sorted(when for path, _, when in news_site.requests if path.endswith(".html"))
    assert len(times) == 3
    assert all(later - earlier >= 0.29 for earlier, later in zip(times, times[1:], strict=False))


def test_fetch_all_keeps_order_and_reports_errors_in_place(news_site) -> None:
    urls = [f"{news_site}/gone.html", f"{news_site}/mill-talks.html", f"{news_site}/redirect"]
    results = fetch_all(Fetcher(FAST), urls, jobs=2)
    assert isinstance(results[0], FetchError)
    assert [r.url for r in results[1:] if not isinstance(r, FetchError)] == urls[1:]


@pytest.mark.parametrize(("source", "expected"), [
    ("https://example.org/a", True), ("HTTP://example.org", True), ("articles/a.txt", False), ("-", False),
])
def test_fetch_is_url(source: str, expected: bool) -> None:
    assert is_url(source) is expected
