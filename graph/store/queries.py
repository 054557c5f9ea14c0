"""SPARQL text: the bundled queries, resolving what the user typed, refusing updates, binding the common
prefixes, rendering tables.

SPARQL users expect `ng:`, `rdfs:` and the other common prefixes to be bound, as YASGUI and most endpoints do:
`with_prefixes` declares those a query uses without declaring them, on its first line, so an error's line
numbers stay the user's (`syntax_error_message` takes the added columns off line 1 again).

Nothing here touches the store; graph.store.embedded runs the query and calls back into `format_table`.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.errors import QueryError
from graph.paths import RESOURCES
from graph.rdf.vocab import ID_URI, NG_URI, ORG, PROV, SCHEMA
from graph.store.sparql import code as _code
from graph.store.sparql import shape

QUERY_DIR = RESOURCES / "queries"

# Prefixes used to compact IRIs in tables and Turtle output. Our resources are shown as `id:entity/...`
# in tables (see `compact`), so `id` is handled apart from this table.
PREFIXES: dict[str, str] = {
    "ng": NG_URI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

MAX_CELL = 100  # characters of one table cell

# The first keyword of a SPARQL 1.1 update operation.
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)

_PROLOGUE = re.compile(r"(?i)^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<>|BASE\s+<>)\s*)*")
_WORD = re.compile(r"\s*([A-Za-z]+)")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_POSITION = re.compile(r"error at (\d+):(\d+):? ?(.*)")
_DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:")
# A prefixed name's prefix: not inside a word, a variable or an IRI (those are blanked before), and not `_:`.
_PREFIXED = re.compile(r"(?<![\w?$:.-])([A-Za-z][\w.-]*)?:(?=[\w%\\]|[\s;,.)\]}]|$)")
MAX_ERROR = 160  # characters of a syntax error's explanation (oxigraph lists every token it expected)


def bundled_queries() -> dict[str, str]:
    """Bundled query name -> SPARQL text, sorted by name."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(QUERY_DIR.glob("*.rq"))}


def resolve_query(q: str) -> str:
    """A bundled query name, a path to a .rq file, or SPARQL text -> SPARQL text."""
    text = q.strip()
    if not text:
        raise QueryError("empty query")
    bundled = bundled_queries()
    if text in bundled:
        return bundled[text]
    path = _existing_file(text)
    if path is not None:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read query file {path}: {exc}") from None
    if text.endswith(".rq"):
        raise QueryError(f"no query file {text}")
    if _NAME.fullmatch(text):
        raise QueryError(f"unknown query {text!r}; bundled queries: {', '.join(bundled)}")
    return q


def _existing_file(text: str) -> Path | None:
    """`text` as a path to an existing file, or None (SPARQL text is never a path)."""
    if "\n" in text or "{" in text or len(text) > 1024:
        return None
    try:
        path = Path(text).expanduser()
        return path if path.is_file() else None
    except OSError:
        return None


def read_only_violation(sparql: str) -> str | None:
    """The update keyword `sparql` starts with (after its prologue), or None for a query."""
    text = _PROLOGUE.sub("", _code(sparql), count=1)
    match = _WORD.match(text)
    if match and match.group(1).upper() in UPDATE_KEYWORDS:
        return match.group(1).upper()
    return None


def uses_service(sparql: str) -> bool:
    """True when `sparql` has a SERVICE clause (which makes the engine fetch from the network).

    Found on the query's tokens (graph.store.sparql): variables (?service), prefixed names (service:x, ex:SERVICE) and
    words in strings, IRIs or comments are not one, and no comment or string can hide one.
    """
    return "SERVICE" in shape(sparql).network


def declared_prefixes(sparql: str) -> set[str]:
    """The prefixes `sparql` declares itself ("" for the empty prefix)."""
    return {m.group(1) or "" for m in _DECLARED.finditer(_code(sparql))}


def used_prefixes(sparql: str) -> set[str]:
    """The prefixes of the prefixed names `sparql` uses ("" for `:name`), declarations included."""
    code = _DECLARED.sub(" ", _code(sparql))
    return {m.group(1) or "" for m in _PREFIXED.finditer(code)}


def with_prefixes(sparql: str) -> tuple[str, str]:
    """(`sparql` with the common prefixes it uses but does not declare bound on its first line, that prologue).

    Declarations the query makes itself win, so `PREFIX ng: <...>` of another namespace is kept as written.
    """
    missing = sorted((used_prefixes(sparql) - declared_prefixes(sparql)) & PREFIXES.keys())
    prologue = "".join(f"PREFIX {name}: <{PREFIXES[name]}> " for name in missing)
    return prologue + sparql, prologue


def unknown_prefixes(sparql: str) -> list[str]:
    """The prefixes `sparql` uses that it does not declare and that are not bound by default."""
    return sorted(used_prefixes(sparql) - declared_prefixes(sparql) - PREFIXES.keys())


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of the query (None when it is none of them)."""
    code = re.sub(r"(?i)\b(?:PREFIX\s+[^\s:]*:\s*<>|BASE\s+<>)", " ", _code(sparql))
    match = _WORD.match(code)
    form = match.group(1).upper() if match else None
    return form if form in QUERY_FORMS else None


def syntax_error_message(message: str, sparql: str = "", prologue: str = "") -> str:
    """Oxigraph's "error at LINE:COLUMN: expected ..." as one readable line, the expected list cut short.

    `prologue` is what `with_prefixes` put before the user's first line: its columns are taken off again. An
    unknown prefix is named (Oxigraph only says "Prefix not found" among the tokens it expected).
    """
    text = " ".join(message.split())
    unknown = unknown_prefixes(sparql) if "Prefix not found" in text else []
    if unknown:
        names = ", ".join(f"{name}:" for name in unknown)
        bound = ", ".join(PREFIXES)
        return (f"SPARQL: unknown prefix {names}; declare it (PREFIX {unknown[0]}: <...>) or use one bound by "
                f"default: {bound}")
    m = _POSITION.match(text)
    if m is None:
        return f"SPARQL syntax error: {_cut_to(text, MAX_ERROR)}"
    column = int(m[2]) - len(prologue) if m[1] == "1" else int(m[2])
    return f"SPARQL syntax error at line {m[1]}, column {max(column, 1)}: {_cut_to(m[3], MAX_ERROR)}"


def _cut_to(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "\u2026"


def compact(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """A short, readable form of a result term for tables: prefixed names, bare literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        if iri.startswith(ID_URI):
            return "id:" + iri[len(ID_URI):]
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and _NAME.fullmatch(iri[len(namespace):] or "-"):
                return f"{prefix}:{iri[len(namespace):]}"
        return f"<{iri}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return " ".join(term.value.split())  # one row per line, whatever the literal holds
    return str(term)


def format_table(names: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Aligned text columns: a header, a rule, one line per row.

    Cells longer than MAX_CELL are cut with an ellipsis so one long quotation does not push every other
    column off screen; csv, tsv, json and xml carry the full values.
    """
    cells = [[_cut(compact(term)) for term in row] for row in rows]  # type: ignore[arg-type]
    widths = [len(name) for name in names]
    for row in cells:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
    lines = [names, ["-" * width for width in widths], *cells]
    padded = ("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines)
    return "".join(line.rstrip() + "\n" for line in padded)
