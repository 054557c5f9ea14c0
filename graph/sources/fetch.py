"""A polite, bounded HTTP client for news pages and feeds.

What a build from the web needs and a bare `urlopen` lacks: a User-Agent that names newsgraph, a pause between
two requests to the same host, a timeout on every request, a cap on the bytes read (a page that never ends
stops at the cap), retries with exponential backoff for what may pass (a connection error, a timeout, 429 and
5xx), robots.txt respected, redirects followed a few hops with robots.txt asked again on each, and an offline
switch that refuses the network outright. Every failure is a `FetchError` whose one-line message names the URL.

The client is urllib3's (trafilatura depends on it), used with `preload_content=False` so that the size cap
holds while reading, and with redirects handled here so that each hop is checked. Requests to different hosts
run in parallel (`fetch_all`, threads: fetching waits on the network, not the CPU); requests to one host are
spaced by `Policy.delay` whatever the number of threads.
"""
from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3

from graph import __version__
from graph.errors import NewsgraphError, printable

USER_AGENT = f"newsgraph/{__version__} (+https://w3id.org/newsgraph)"
_CHUNK = 64 * 1024
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})


class FetchError(NewsgraphError):
    """A page or feed could not be fetched; the message names the URL and why."""


@dataclass(frozen=True)
class Policy:
    """How newsgraph behaves on the web. The defaults are those of a considerate crawler."""

    user_agent: str = USER_AGENT
    timeout: float = 20.0  # seconds to connect, and between two reads of the answer
    max_bytes: int = 20 * 1024 * 1024  # a page or feed larger than this is refused
    delay: float = 1.0  # seconds between two requests to the same host
    retries: int = 2  # further attempts after a failure that may pass
    backoff: float = 1.0  # seconds before the first retry, doubled at each further one
    max_redirects: int = 5
    robots: bool = True  # obey robots.txt
    offline: bool = False  # refuse every network access


@dataclass(frozen=True)
class Page:
    """What a fetch got: the URL asked for, the URL answered from (after redirects), and the body."""

    url: str
    final_url: str
    body: bytes
    content_type: str = ""


@dataclass
class _HostClock:
    """When a host may be asked again; the lock makes threads take turns on one host."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0


class Fetcher:
    """Fetches pages under one `Policy`, remembering each host's robots.txt and pace for the whole build."""

    def __init__(self, policy: Policy | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy or Policy()
        self._sleep = sleep
        self._pool = urllib3.PoolManager(headers={"User-Agent": self.policy.user_agent})
        self._clocks: dict[str, _HostClock] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._guard = threading.Lock()

    def fetch(self, url: str) -> Page:
        """The page at `url`, following redirects; FetchError when it cannot be had within the policy."""
        if self.policy.offline:
            raise FetchError(f"{url}: not fetched, --offline refuses network access")
        current = url
        for _ in range(self.policy.max_redirects + 1):
            _check_url(current)
            if self.policy.robots and not self._allowed(current):
                raise FetchError(f"{current}: disallowed by the site's robots.txt (--ignore-robots to fetch it)")
            response = self._request(current)
            try:
                location = response.headers.get("Location")
                if response.status in _REDIRECT_STATUS and location:
                    current = urljoin(current, location)
                    continue
                if response.status >= 400:
                    raise FetchError(f"{current}: HTTP {response.status}")
                body = self._read(current, response)
                return Page(url, current, body, response.headers.get("Content-Type", ""))
            finally:
                # Never drain what was not read (an endless body): drop the connection instead.
                response.close()
        raise FetchError(f"{url}: more than {self.policy.max_redirects} redirects")

    def _request(self, url: str) -> urllib3.BaseHTTPResponse:
        """One GET, paced for its host and retried with backoff while the failure may pass."""
        policy = self.policy
        wait = policy.backoff
        for attempt in range(policy.retries + 1):
            last = attempt == policy.retries
            self._pace(url)
            try:
                response = self._pool.request("GET", url, redirect=False, retries=False, preload_content=False,
                                              timeout=urllib3.Timeout(connect=policy.timeout, read=policy.timeout))
            except urllib3.exceptions.HTTPError as exc:
                if last:
                    raise FetchError(f"{url}: {_reason(exc)}") from None
            else:
                if response.status not in _RETRY_STATUS or last:
                    return response
                response.release_conn()
            self._sleep(wait)
            wait *= 2
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _read(self, url: str, response: urllib3.BaseHTTPResponse) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.policy.max_bytes:
            raise FetchError(f"{url}: {int(declared):,} bytes, more than the limit of {self.policy.max_bytes:,}")
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in response.stream(_CHUNK):
                size += len(chunk)
                if size > self.policy.max_bytes:
                    raise FetchError(f"{url}: larger than the limit of {self.policy.max_bytes:,} bytes")
                parts.append(chunk)
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(f"{url}: {_reason(exc)}") from None
        return b"".join(parts)

    def _pace(self, url: str) -> None:
        """Wait until the host of `url` may be asked again, and book the next turn."""
        host = _host(url)
        with self._guard:
            clock = self._clocks.setdefault(host, _HostClock())
        with clock.lock:
            now = time.monotonic()
            if clock.next_at > now:
                self._sleep(clock.next_at - now)
            clock.next_at = time.monotonic() + self.policy.delay

    def _allowed(self, url: str) -> bool:
        root = _host(url)
        with self._guard:
            known = root in self._robots
        if not known:
            rules = self._robots_txt(root)
            with self._guard:
                self._robots[root] = rules
        rules = self._robots[root]
        return rules is None or rules.can_fetch(self.policy.user_agent, url)

    def _robots_txt(self, root: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's rules; None (everything allowed) when it has no robots.txt or it cannot be read.

        As Python's own parser does, a robots.txt answered with 401 or 403 forbids the whole site.
        """
        rules = urllib.robotparser.RobotFileParser(f"{root}/robots.txt")
        try:
            response = self._request(f"{root}/robots.txt")
        except FetchError:
            return None
        try:
            if response.status in (401, 403):
                rules.disallow_all = True  # type: ignore[attr-defined]  # how the stdlib parser says it
                return rules
            if response.status >= 300:
                return None
            text = self._read(root, response).decode("utf-8", errors="replace")
        except FetchError:
            return None
        finally:
            response.release_conn()
        rules.parse(text.splitlines())
        return rules


def fetch_all(fetcher: Fetcher, urls: Sequence[str], jobs: int = 1) -> list[Page | FetchError]:
    """Each URL's page or its error, in the order given; up to `jobs` requests at once (hosts keep their pace)."""
    def one(url: str) -> Page | FetchError:
        try:
            return fetcher.fetch(url)
        except FetchError as exc:
            return exc

    if jobs <= 1 or len(urls) <= 1:
        return [one(url) for url in urls]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, urls))


def is_url(source: str) -> bool:
    """Whether a source names a web address (http or https) rather than a file."""
    return source.lower().startswith(("http://", "https://"))


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{printable(url)}: not an http(s) URL")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise FetchError(f"{printable(url)}: a URL cannot hold spaces or control characters")


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _reason(exc: Exception) -> str:
    """A short reason for a network failure (urllib3's messages repeat the pool and the URL)."""
    if isinstance(exc, urllib3.exceptions.MaxRetryError) and exc.reason is not None:
        exc = exc.reason
    if isinstance(exc, (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.ConnectTimeoutError)):
        return "timed out"
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "cannot connect"
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        return "connection broken"
    return " ".join(str(exc).split()) or type(exc).__name__
