"""A store that is a SPARQL 1.1 server (Oxigraph, Apache Jena Fuseki, ...), spoken to over HTTP with urllib.

`RemoteStore` offers the few methods of pyoxigraph's Store that the rest of newsgraph calls (`query`,
`update`, `quads_for_pattern`, `flush`), with pyoxigraph terms and result objects, so graph.store, stats and
export run unchanged on either backend (`Backend` is that shared protocol). Queries go to the query endpoint
by POST (no URL length limit); updates to the update endpoint as one SPARQL Update request each, which both
Oxigraph and Fuseki apply in one transaction. The union of the article graphs is asked for with Oxigraph's
`union-default-graph` parameter, which other servers ignore: configure Fuseki's dataset with
`tdb2:unionDefaultGraph true` so `newsgraph query` sees the same data there.

Basic-auth credentials come from NEWSGRAPH_USER / NEWSGRAPH_PASSWORD only: a URL holding a user or a
password is refused, and no message ever includes the credentials.
"""
from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import pyoxigraph as ox

from graph.errors import QueryError, StoreError, one_line

USER_ENV = "NEWSGRAPH_USER"
PASSWORD_ENV = "NEWSGRAPH_PASSWORD"
UPDATE_URL_ENV = "NEWSGRAPH_UPDATE_URL"
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
_FORM = "application/x-www-form-urlencoded"

Term = ox.NamedNode | ox.BlankNode | ox.Literal
QueryResult = ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]


class Backend(Protocol):
    """What graph.store needs of a store: pyoxigraph's Store has it, and so has RemoteStore."""

    def query(self, query: str, *, use_default_graph_as_union: bool = False) -> object: ...

    def update(self, update: str) -> None: ...

    def quads_for_pattern(self, subject: Term | None, predicate: Term | None, object: Term | None,
                          graph_name: Term | None = None) -> Iterable[ox.Quad]: ...

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
    """A SPARQL server as a store. `timeout` (seconds) bounds every request."""

    query_url: str
    update_url: str
    authorization: str | None = field(default=None, repr=False)
    timeout: float | None = None

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
                    return ox.parse_query_results(body, format=results_format)
                return parsed
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is None:
                raise QueryError(f"the SPARQL server answered with unexpected content ({media_type or 'none'})")
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=rdf_format)]
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
            quads.append(ox.Quad(terms["s"], terms["p"], terms["o"], terms["g"]))
        return quads

    def flush(self) -> None:
        """Nothing to do: every update request is committed by the server."""

    def _post(self, url: str, data: bytes, content_type: str, accept: str,
              error: type[QueryError] | type[StoreError]) -> tuple[bytes, str]:
        headers = {"Content-Type": content_type, "Accept": accept}
        if self.authorization:
            headers["Authorization"] = self.authorization
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            detail = one_line(exc.read().decode("utf-8", "replace"))[:300]
            if exc.code in (401, 403):
                hint = f"set {USER_ENV} and {PASSWORD_ENV}" if not self.authorization else "check the credentials"
                raise StoreError(f"{url} refused the request (HTTP {exc.code}: {detail or exc.reason}); {hint}") \
                    from None
            raise error(f"{url} answered HTTP {exc.code}: {detail or exc.reason}") from None
        except TimeoutError:
            raise QueryError(f"{url} did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise QueryError(f"{url} did not answer within {self.timeout:g} s") from None
            raise StoreError(f"cannot reach the SPARQL server at {url}: {reason}") from None
        except OSError as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {exc}") from None


def open_remote(url: str, update_url: str | None = None, timeout: float | None = None) -> RemoteStore:
    """A RemoteStore for `url`, checked with one ASK query (so a wrong address fails at once)."""
    query_url, update = endpoints(url, update_url or os.environ.get(UPDATE_URL_ENV) or None)
    store = RemoteStore(query_url, update, authorization=_authorization(), timeout=timeout)
    store.query("ASK { }")
    return store


def _authorization() -> str | None:
    user = os.environ.get(USER_ENV)
    if not user:
        return None
    token = f"{user}:{os.environ.get(PASSWORD_ENV, '')}".encode()
    return "Basic " + base64.b64encode(token).decode("ascii")


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise StoreError(f"not an http(s) URL of a SPARQL server: {url}")
    if parts.username or parts.password:
        # Never echo the URL here: it holds the secret.
        raise StoreError(f"credentials in a store URL are refused; set {USER_ENV} and {PASSWORD_ENV} instead")
