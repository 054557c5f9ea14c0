"""A store that is a SPARQL 1.1 server (Oxigraph, Apache Jena Fuseki, ...), spoken to over HTTP with urllib.

`RemoteStore` offers the few methods of pyoxigraph's Store that the rest of newsgraph calls (`query`,
`update`, `quads_for_pattern`, `flush`), with pyoxigraph terms and result objects, so graph.store.embedded, stats and
export run unchanged on either backend (`Backend` is that shared protocol). Queries go to the query endpoint
by POST (no URL length limit); updates to the update endpoint as one SPARQL Update request each, which both
Oxigraph and Fuseki apply in one transaction. The union of the article graphs is asked for with Oxigraph's
`union-default-graph` parameter, which other servers ignore: configure Fuseki's dataset with
`tdb2:unionDefaultGraph true` so `newsgraph query` sees the same data there.

Basic-auth credentials come from NEWSGRAPH_USER / NEWSGRAPH_PASSWORD only: a URL holding a user or a
password is refused, and no message ever includes the credentials (nor the URL's user part). Redirects are
never followed: the credentials go to the host configured and nowhere else, and a redirect is an error that
names where it pointed. Every request has a deadline (DEFAULT_TIMEOUT seconds, NEWSGRAPH_TIMEOUT, or the
query's --timeout) and every answer a size limit (DEFAULT_MAX_BYTES, NEWSGRAPH_MAX_ANSWER_MB), so a server that
never answers or never stops answering ends in an error, not a hang or an exhausted memory. An answer of the
wrong kind (a boolean for a SELECT) is an error too.
"""
from __future__ import annotations

import base64
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox

from graph.errors import QueryError, StoreError, one_line, printable
from graph.store.queries import query_form

USER_ENV = "NEWSGRAPH_USER"
PASSWORD_ENV = "NEWSGRAPH_PASSWORD"
UPDATE_URL_ENV = "NEWSGRAPH_UPDATE_URL"
TIMEOUT_ENV = "NEWSGRAPH_TIMEOUT"
MAX_ANSWER_ENV = "NEWSGRAPH_MAX_ANSWER_MB"
DEFAULT_TIMEOUT = 120.0  # seconds for one request, answer included
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
_USERINFO = re.compile(r"(?<=//)[^/?#]*@")
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")
# No redirect handler: a 3xx answer is an HTTPError, reported, never followed (with or without credentials).
_OPENER = urllib.request.OpenerDirector()
for _handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                 urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
    _OPENER.add_handler(_handler)
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
_FORM = "application/x-www-form-urlencoded"

Term = ox.NamedNode | ox.BlankNode | ox.Literal
QueryResult = ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]


class Backend(Protocol):
    """What graph.store.embedded needs of a store: pyoxigraph's Store has it, and so has RemoteStore."""

    def query(self, query: str, *, use_default_graph_as_union: bool = False) -> QueryResult | ox.QueryTriples: ...

    def update(self, update: str) -> None: ...

    def quads_for_pattern(self, subject: ox.NamedNode | ox.BlankNode | None, predicate: ox.NamedNode | None,
                          object: Term | None, graph_name: ox.NamedNode | ox.BlankNode | None = None
                          ) -> Iterable[ox.Quad]: ...

    def flush(self) -> None: ...


def is_remote(location: object) -> bool:
    """True for an http(s) URL (a SPARQL server), False for a store folder."""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


def endpoints(url: str, update_url: str | None = None) -> tuple[str, str]:
    """(query endpoint, update endpoint) of `url`.

    A URL ending in /query is the query endpoint and its sibling /update the update endpoint (Oxigraph,
    Fuseki's /ds/query); any other URL is a base whose /query and /update are the endpoints (Oxigraph's
    http://host:7878). `update_url`, when given, is the update endpoint and `url` the query endpoint.
    """
    for candidate in (url, update_url):
        if candidate is not None:
            _check_url(candidate)
    if update_url:
        return url, update_url
    stripped = url.rstrip("/")
    if stripped.endswith("/query"):
        return stripped, stripped[: -len("query")] + "update"
    return f"{stripped}/query", f"{stripped}/update"


@dataclass(frozen=True)
class RemoteStore:
    """A SPARQL server as a store. `timeout` (seconds) bounds every request, `max_bytes` every answer."""

    query_url: str
    update_url: str
    authorization: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES

    def query(self, query: str, *, use_default_graph_as_union: bool = False) -> QueryResult:
        """Run `query`: QuerySolutions or QueryBoolean for SELECT/ASK, a list of triples for CONSTRUCT/DESCRIBE."""
        fields = {"query": query}
        if use_default_graph_as_union:
            fields["union-default-graph"] = ""
        body, media_type = self._post(self.query_url, urllib.parse.urlencode(fields).encode("utf-8"), _FORM,
                                      _ACCEPT, QueryError)
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        try:
            if results_format is not None:
                # Parsing is lazy, and a server that stops a query mid-answer (Oxigraph's timeout) leaves the body
                # cut off: read it all once here, so that shows as an error now and not halfway through output.
                parsed = ox.parse_query_results(body, format=results_format)
                if isinstance(parsed, ox.QuerySolutions):
                    for _ in parsed:
                        pass
                    parsed = ox.parse_query_results(body, format=results_format)
                return _expected(query, parsed)
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is None:
                raise QueryError(f"the SPARQL server answered with unexpected content ({media_type or 'none'})")
            return _expected(query, [ox.Triple(q.subject, q.predicate, q.object)
                                     for q in ox.parse(body, format=rdf_format)])
        except (SyntaxError, ValueError) as exc:
            tail = one_line(body[-200:].decode("utf-8", "replace"))
            raise QueryError(f"the SPARQL server's answer is broken ({one_line(str(exc))}); it ends: {tail}") \
                from None

    def update(self, update: str) -> None:
        """Run a SPARQL Update (one request, so one transaction on Oxigraph and Fuseki)."""
        self._post(self.update_url, update.encode("utf-8"), "application/sparql-update", "*/*", StoreError)

    def quads_for_pattern(self, subject: Term | None, predicate: Term | None, object: Term | None,
                          graph_name: Term | None = None) -> list[ox.Quad]:
        """The quads of the named graphs matching the pattern (None matches anything)."""
        bound = {"s": subject, "p": predicate, "o": object, "g": graph_name}
        slots = {name: (str(term) if term is not None else f"?{name}") for name, term in bound.items()}
        pattern = f"GRAPH {slots['g']} {{ {slots['s']} {slots['p']} {slots['o']} }}"
        free = [name for name, term in bound.items() if term is None]
        if not free:
            found = self.query(f"ASK {{ {pattern} }}")
            return [ox.Quad(subject, predicate, object, graph_name)] if found else []  # type: ignore[arg-type]
        sparql = f"SELECT {' '.join(f'?{name}' for name in free)} WHERE {{ {pattern} }}"
        solutions = self.query(sparql)
        if not isinstance(solutions, ox.QuerySolutions):
            raise StoreError("the SPARQL server did not answer a SELECT query with solutions")
        quads = []
        for row in solutions:
            terms = {name: (row[name] if term is None else term) for name, term in bound.items()}
            quads.append(ox.Quad(terms["s"], terms["p"], terms["o"], terms["g"]))  # type: ignore[arg-type]
        return quads

    def flush(self) -> None:
        """Nothing to do: every update request is committed by the server."""

    def _post(self, url: str, data: bytes, content_type: str, accept: str,
              error: type[QueryError] | type[StoreError]) -> tuple[bytes, str]:
        headers = {"Content-Type": content_type, "Accept": accept}
        if self.authorization:
            headers["Authorization"] = self.authorization
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        deadline = time.monotonic() + self.timeout
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                return self._read(response, url, deadline), response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            raise self._refusal(exc, url, error) from None
        except TimeoutError:
            raise QueryError(f"{url} did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise QueryError(f"{url} did not answer within {self.timeout:g} s") from None
            raise StoreError(f"cannot reach the SPARQL server at {url}: {reason}") from None
        except (OSError, ValueError) as exc:  # ValueError: http.client's InvalidURL and the like
            raise StoreError(f"cannot reach the SPARQL server at {url}: {one_line(str(exc))}") from None

    def _read(self, response: object, url: str, deadline: float) -> bytes:
        """The whole answer, refused once it is over max_bytes or still coming at the deadline."""
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(256 * 1024):  # type: ignore[attr-defined]  # one socket read at most
            size += len(chunk)
            if size > self.max_bytes:
                raise QueryError(f"{url} sent an answer over {self.max_bytes // (1024 * 1024):,} MB; ask for less "
                                 f"(LIMIT) or raise {MAX_ANSWER_ENV}")
            if time.monotonic() > deadline:
                raise QueryError(f"{url} did not finish its answer within {self.timeout:g} s")
            chunks.append(chunk)
        return b"".join(chunks)

    def _refusal(self, exc: urllib.error.HTTPError, url: str,
                 error: type[QueryError] | type[StoreError]) -> QueryError | StoreError:
        if 300 <= exc.code < 400:
            target = exc.headers.get("Location", "")
            where = urllib.parse.urljoin(url, target) if target else "nowhere"
            other = _origin(where) != _origin(url)
            why = ("redirects to another host are refused (the credentials stay with the host configured)" if other
                   else "redirects are not followed")
            return StoreError(f"{url} redirected (HTTP {exc.code}) to {redacted(where)}: {why}; give the final URL "
                              "as --store")
        detail = printable(one_line(exc.read(2000).decode("utf-8", "replace")))[:300]
        if exc.code == 401:
            hint = f"set {USER_ENV} and {PASSWORD_ENV}" if not self.authorization else "check the credentials"
            return StoreError(f"{url} refused the request (HTTP 401: {detail or exc.reason}); {hint}")
        if exc.code == 403:
            return StoreError(f"{url} forbids this request (HTTP 403: {detail or exc.reason}); is the server "
                              "read-only?")
        return error(f"{url} answered HTTP {exc.code}: {detail or exc.reason}")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        port = None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def _expected(query: str, answer: QueryResult) -> QueryResult:
    """`answer` when it is what the query's form gives; QueryError otherwise (a boolean for a SELECT, ...)."""
    form = query_form(query)
    kinds = {"SELECT": ox.QuerySolutions, "ASK": ox.QueryBoolean, "CONSTRUCT": list, "DESCRIBE": list}
    wanted = kinds.get(form or "")
    if wanted is not None and not isinstance(answer, wanted):
        got = {ox.QuerySolutions: "solutions", ox.QueryBoolean: "a boolean", list: "triples"}[type(answer)]
        raise QueryError(f"the SPARQL server answered a {form} query with {got}")
    return answer


def redacted(url: str) -> str:
    """`url` fit for a message: no user or password, control characters escaped."""
    return printable(_USERINFO.sub("***@", url))


def open_remote(url: str, update_url: str | None = None, timeout: float | None = None) -> RemoteStore:
    """A RemoteStore for `url`, checked with one ASK query (so a wrong address fails at once).

    `timeout` (seconds per request) defaults to NEWSGRAPH_TIMEOUT, else DEFAULT_TIMEOUT.
    """
    query_url, update = endpoints(url, update_url or os.environ.get(UPDATE_URL_ENV) or None)
    store = RemoteStore(query_url, update, authorization=_authorization(),
                        timeout=timeout if timeout is not None else _number_env(TIMEOUT_ENV, DEFAULT_TIMEOUT),
                        max_bytes=int(_number_env(MAX_ANSWER_ENV, DEFAULT_MAX_BYTES / 1024 / 1024) * 1024 * 1024))
    store.query("ASK { }")
    return store


def _authorization() -> str | None:
    user = os.environ.get(USER_ENV)
    if not user:
        return None
    token = f"{user}:{os.environ.get(PASSWORD_ENV, '')}".encode()
    return "Basic " + base64.b64encode(token).decode("ascii")


def _number_env(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise StoreError(f"{name} must be a positive number, not {printable(text)!r}")
    return value


def _check_url(url: str) -> None:
    if _USERINFO.search(url):
        # Never echo the URL here: it holds the secret.
        raise StoreError(f"credentials in a store URL are refused; set {USER_ENV} and {PASSWORD_ENV} instead")
    if _UNSAFE.search(url):
        raise StoreError(f"a store URL holds no spaces or control characters: {redacted(url)!r}")
    try:
        parts = urllib.parse.urlsplit(url)
        scheme, hostname, _port = parts.scheme.lower(), parts.hostname, parts.port
    except ValueError:  # an unclosed [ or a port that is no number
        scheme, hostname = "", None
    if scheme not in ("http", "https") or not hostname:
        raise StoreError(f"not an http(s) URL of a SPARQL server: {redacted(url)}")
