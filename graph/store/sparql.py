"""A SPARQL lexer and the checks every query and update passes before an engine sees it.

Oxigraph 0.5.13 (the newest release here) parses and evaluates queries recursively, so one request can
overflow its stack: 5,000 nested `{` kill the embedded engine (a segmentation fault) and 400 nested function
calls or 700 chained OPTIONALs abort the server. Nothing upstream limits that, so we do, on the query's
tokens: a query is lexed once, left to right, by the SPARQL 1.1 terminals (comments, the four string forms,
IRIs, variables, prefixed names, keywords, numbers, punctuation), and then

- its length is at most MAX_QUERY_CHARS (MAX_UPDATE_CHARS for an update, which carries data);
- its brackets `{ ( [` nest at most MAX_DEPTH deep;
- it has at most MAX_TERMS tokens outside VALUES, INSERT DATA and DELETE DATA blocks (a chain of N operators,
  UNIONs, OPTIONALs or triple patterns is an N-deep tree to the engine; data blocks are flat tables);
- a SERVICE keyword anywhere (a SERVICE clause, even SILENT) or a LOAD operation, which make the engine fetch
  from the network, is refused unless allowed.

Because the lexer reads strings, IRIs and comments the way the grammar does, triple quotes inside a `#` comment or
`SERVICE` inside a string cannot hide or fake a clause: the check is on tokens, never on text patterns. The
limits are about eight times what the queries we ship and benchmark use (at most 8 levels, 135 terms) and at most
half of where the server was measured to crash (400 nested calls, 700 chained OPTIONALs, 2,000 chained sums).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graph.errors import QueryError

MAX_QUERY_CHARS = 200_000
MAX_UPDATE_CHARS = 256 * 1024 * 1024  # an update carries data: a build writes a batch of articles in one
MAX_DEPTH = 64
MAX_TERMS = 1_000
NETWORK_KEYWORDS = frozenset({"SERVICE", "LOAD"})

# One alternative per terminal, tried in this order at each position. A string that is never closed is an `open`
# token running to the end of its line (of the text, for a long string): a syntax error, reported as such.
_NAME_CHARS = r"\w\u00b7\u0300-\u036f\u203f\u2040"
_TERMINALS = (
    ("ws", r"\s+"),
    ("comment", r"#[^\n\r]*"),
    ("string", r'"{3}(?:[^"\\]|\\[\s\S]|"(?!""))*"{3}'
               r"|'{3}(?:[^'\\]|\\[\s\S]|'(?!''))*'{3}"
               r'|"(?:[^"\\\n\r]|\\[^\n\r])*"'
               r"|'(?:[^'\\\n\r]|\\[^\n\r])*'"),
    ("open", r'"{3}[\s\S]*|' r"'{3}[\s\S]*|" r'"[^\n\r]*|' r"'[^\n\r]*"),
    ("iri", r'<[^<>"{}|^`\\\x00-\x20]*>'),
    ("var", rf"[?$][{_NAME_CHARS}]+"),
    ("bnode", rf"_:[{_NAME_CHARS}.-]*"),
    ("pname", rf"(?:[^\W\d_][{_NAME_CHARS}.-]*)?:(?:[{_NAME_CHARS}:%.-]|\\.)*"),
    ("word", r"[^\W\d_]\w*"),
    ("number", r"\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?"),
    ("langtag", r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*"),
    ("punct", r"\^\^|\|\||&&|!=|<=|>=|[\s\S]"),
)
_TOKEN = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _TERMINALS))
_OPEN = frozenset("{([")
_CLOSE = frozenset("})]")


@dataclass(frozen=True)
class Token:
    kind: str  # ws, comment, string, open (a string never closed), iri, var, bnode, pname, word, number, langtag, punct
    text: str
    start: int


@dataclass(frozen=True)
class Shape:
    """What the checks need to know of a query or update."""

    chars: int
    depth: int  # deepest nesting of { ( [
    terms: int  # tokens outside VALUES / INSERT DATA / DELETE DATA blocks
    network: tuple[str, ...]  # SERVICE and LOAD keywords found, upper-cased, in order
    unterminated: int | None  # offset of a string that is never closed


def tokens(sparql: str) -> Iterator[Token]:
    """Every token of `sparql`, whitespace and comments included, in order."""
    position = 0
    while position < len(sparql):
        match = _TOKEN.match(sparql, position)
        assert match is not None  # the last alternative matches any character
        kind = match.lastgroup or "punct"
        text = match.group()
        if kind == "pname" and text.endswith(".") and not text.endswith("\\."):
            text = text.rstrip(".")  # a prefixed name never ends with '.': that is the triple's full stop
        yield Token(kind, text, position)
        position += len(text)


def code(sparql: str) -> str:
    """`sparql` with strings as `""`, IRIs as `<>` and comments as a space, so only keywords and names remain."""
    parts = []
    for token in tokens(sparql):
        parts.append({"string": '""', "open": '""', "iri": "<>", "comment": " "}.get(token.kind, token.text))
    return "".join(parts)


def shape(sparql: str) -> Shape:
    """Measure `sparql` for the checks (see the module docstring)."""
    depth = deepest = terms = 0
    data_depth: int | None = None  # the depth of the data block being read, when inside one
    pending_data = False  # a VALUES or INSERT/DELETE DATA keyword was seen: its next `{` opens data
    previous = ""
    network: list[str] = []
    unterminated = None
    for token in tokens(sparql):
        if token.kind in ("ws", "comment"):
            continue
        text = token.text
        upper = text.upper() if token.kind == "word" else ""
        if token.kind == "open" and unterminated is None:
            unterminated = token.start
        if upper in NETWORK_KEYWORDS:
            network.append(upper)
        if upper == "VALUES" or (upper == "DATA" and previous in ("INSERT", "DELETE")):
            pending_data = True
        if data_depth is None:
            terms += 1
        if text in _OPEN and token.kind == "punct":
            depth += 1
            deepest = max(deepest, depth)
            if text == "{" and pending_data and data_depth is None:
                data_depth, pending_data = depth, False
        elif text in _CLOSE and token.kind == "punct":
            if data_depth is not None and depth == data_depth and text == "}":
                data_depth = None
            depth = max(depth - 1, 0)
        previous = upper
    return Shape(len(sparql), deepest, terms, tuple(network), unterminated)


def check_shape(sparql: str, *, update: bool = False, allow_network: bool = False) -> Shape:
    """Refuse (QueryError) a query or update that breaks a limit or reaches the network; returns its shape."""
    what = "update" if update else "query"
    limit = MAX_UPDATE_CHARS if update else MAX_QUERY_CHARS
    if len(sparql) > limit:
        raise QueryError(f"SPARQL: the {what} is {len(sparql):,} characters long; at most {limit:,} are accepted")
    found = shape(sparql)
    if found.unterminated is not None:
        line, column = _position(sparql, found.unterminated)
        raise QueryError(f"SPARQL syntax error at line {line}, column {column}: a string is never closed")
    if found.depth > MAX_DEPTH:
        raise QueryError(f"SPARQL: brackets nest {found.depth} deep in the {what}; at most {MAX_DEPTH} levels are "
                         "accepted")
    if found.terms > MAX_TERMS:
        raise QueryError(f"SPARQL: the {what} has {found.terms:,} terms outside VALUES and DATA blocks; at most "
                         f"{MAX_TERMS:,} are accepted")
    if found.network and not allow_network:
        keyword = found.network[0]
        if keyword == "LOAD":
            raise QueryError("LOAD fetches data from the network and is refused")
        raise QueryError("SERVICE clauses fetch data from the network and are refused; pass --allow-service")
    return found


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
