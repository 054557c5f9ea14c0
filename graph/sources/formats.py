"""One article's text, or the records of JSON Lines, as `Article`s: what every reader of graph.sources.readers shares.

A text (`.txt`, `.md`, standard input) may open with a `date YYYY-MM-DD` header, removed from the text and
reported when malformed; its title is a Markdown `# heading` or a first line that reads as a headline. A JSON
Lines record needs a string `text` and may give `id`, `date`, `title` and `url`; each bad line is one problem
naming the file and line, and the other lines are still read. Texts are normalised the same way everywhere (no
byte-order mark, LF line endings, other control characters as spaces), and an article without a source has
its text's hash as identity (`article_id`).

Problems go through `ReadContext.problem`: a one-line message to the caller's reporter, or InputError under
`strict`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from graph.dates import parse_iso_date
from graph.errors import InputError, printable
from graph.model import Article

_ID_HEX_CHARS = 16
_TITLE_MAX_WORDS = 15
_BOM = "\ufeff"
# The header: "date" then a token; the token is a date when it is YYYY-MM-DD (a time part may follow).
_HEADER_RE = re.compile(r"[\s\ufeff]*date[ \t]+(\S+)[ \t]*(?:\n[ \t]*)*")
_DATE_LIKE_RE = re.compile(r"[0-9][0-9./:T-]*")
_MD_TITLE_RE = re.compile(r"#[ \t]+(.+?)[ \t#]*")
_SENTENCE_END = (".", "!", "?", ":", ";", "\u2026")
_CLOSERS = "\"')]\u201d\u2019"
# C0 controls but tab and line feed: not allowed in XML 1.0 even as character references.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FIELDS = ("text", "id", "date", "title", "url")  # what a JSON Lines record may say; other keys are ignored
# What a problem's message says happened to the input: nothing happens under strict, which fails instead.
_CONSEQUENCE = re.compile(r", (?:skipped|ignored|(?:undecodable bytes|unpaired surrogates) replaced with U\+FFFD)$")
# JSON may escape half of a surrogate pair ("\ud800"): such a string cannot be written as UTF-8 at all.
_SURROGATE = re.compile("[\ud800-\udfff]")

Reporter = Callable[[str], None]


@dataclass(frozen=True)
class ReadContext:
    """What every reader needs: where problems go and the date to fall back to."""

    default_date: date | None
    on_problem: Reporter | None
    strict: bool
    explicit_id: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    on_left_out: Reporter | None = None
    urls: list[str] = dataclasses.field(default_factory=list)  # web addresses met on the way, fetched last

    def problem(self, message: str) -> None:
        message = printable(message)  # a file name holding a newline stays on the problem's one line
        if self.strict:
            raise InputError(_CONSEQUENCE.sub("", message))
        if self.on_problem is not None:
            self.on_problem(message)


def article_id(text: str) -> str:
    """The identity of an article without a source (standard input): 16 hex characters of its text's SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_ID_HEX_CHARS]


def decode(data: bytes, where: str, ctx: ReadContext) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        ctx.problem(f"{where}: invalid UTF-8, undecodable bytes replaced with U+FFFD")
        return data.decode("utf-8", errors="replace")


def _normalise(text: str) -> str:
    if text.startswith(_BOM):
        text = text[1:]
    return _CONTROL_RE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def text_article(raw: str, name: str, markdown: bool, ctx: ReadContext, identity: str | None) -> Article | None:
    """The article of one text; `identity` None (standard input without --id) means its text's hash."""
    text = _normalise(raw)
    if not text.strip():
        ctx.problem(f"{name}: empty file, skipped")
        return None
    header_date, text = _split_header(text, name, ctx)
    if not text.strip():
        ctx.problem(f"{name}: no text after the date header, skipped")
        return None
    title = _markdown_title(text) if markdown else _text_title(text)
    return Article(
        id=identity or article_id(text), text=text, date=header_date or ctx.default_date, title=title,
        source=name,
    )


def _split_header(text: str, name: str, ctx: ReadContext) -> tuple[date | None, str]:
    """(header date, text without the header). A malformed header is reported and still removed.

    Only a lowercase `date` counts, so a text opening with the word "Date" is left alone. A token after it
    counts as a (malformed) date when it starts with a digit, or when "date TOKEN" is the whole first line.
    """
    m = _HEADER_RE.match(text)
    if m is None:
        return None, text
    token = m[1]
    found = parse_iso_date(token[:10]) if len(token) == 10 or token[10:11] == "T" else None
    if found is not None:
        return found, text[m.end():]
    first_line = text.lstrip(" \t\n" + _BOM).split("\n", 1)[0]
    if _DATE_LIKE_RE.fullmatch(token) or len(first_line.split()) == 2:
        ctx.problem(f"{name}: malformed date header {token!r}, ignored")
        return None, text[m.end():]
    return None, text


def _markdown_title(text: str) -> str | None:
    for line in text.split("\n"):
        if line.strip():
            m = _MD_TITLE_RE.fullmatch(line.strip())
            return m[1] if m else None
    return None


def _text_title(text: str) -> str | None:
    """The first non-empty line when it reads as a headline: short, unpunctuated, then blank line and body."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        candidate = line.strip()
        # a blank line, then a body: a lone line is the article itself, not its title
        followed_by_blank = (
            i + 1 < len(lines) and not lines[i + 1].strip() and any(rest.strip() for rest in lines[i + 2:])
        )
        ends_sentence = candidate.rstrip(_CLOSERS).endswith(_SENTENCE_END)
        if followed_by_blank and not ends_sentence and len(candidate.split()) <= _TITLE_MAX_WORDS:
            return candidate
        return None
    return None


def jsonl_articles(lines: Iterator[str], name: str, ctx: ReadContext, identity: str | None) -> Iterator[Article]:
    """The articles of JSON Lines; a record without an `id` is `identity:LINE` (its text's hash when None)."""
    seen_content = False
    for number, line in enumerate(lines, start=1):
        line = line.lstrip(_BOM) if number == 1 else line
        if not line.strip():
            continue
        seen_content = True
        where = f"{name}:{number}"
        article = _jsonl_article(line, where, ctx, f"{identity}:{number}" if identity else None)
        if article is not None:
            yield article
    if not seen_content:
        ctx.problem(f"{name}: empty file, skipped")


def _json(line: str) -> object:
    """json.loads, with nesting too deep for the parser as a JSONDecodeError too."""
    try:
        return json.loads(line)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", line, 0) from None


def _repaired(value: object, where: str, field: str, ctx: ReadContext) -> object:
    """A string of a JSON record with unpaired surrogates replaced by U+FFFD (reported), anything else as is."""
    if isinstance(value, str) and _SURROGATE.search(value):
        ctx.problem(f"{where}: '{field}' is not valid Unicode, unpaired surrogates replaced with U+FFFD")
        return _SURROGATE.sub("\ufffd", value)
    return value


def _jsonl_article(line: str, where: str, ctx: ReadContext, fallback_id: str | None) -> Article | None:
    try:
        obj = _json(line)
    except json.JSONDecodeError as e:
        ctx.problem(f"{where}: not valid JSON ({e.msg}), skipped")
        return None
    if not isinstance(obj, dict):
        ctx.problem(f"{where}: not a JSON object, skipped")
        return None
    obj = {key: _repaired(value, where, key, ctx) for key, value in obj.items() if key in _FIELDS}
    text = obj.get("text")
    if not isinstance(text, str):
        ctx.problem(f"{where}: missing string field 'text', skipped")
        return None
    text = _normalise(text)
    if not text.strip():
        ctx.problem(f"{where}: empty 'text', skipped")
        return None
    published = ctx.default_date
    if obj.get("date") is not None:
        parsed = parse_iso_date(obj["date"]) if isinstance(obj["date"], str) else None
        if parsed is None:
            ctx.problem(f"{where}: malformed date {obj['date']!r}, ignored")
        published = parsed or published
    raw_id = obj.get("id")
    # bool is an int to Python but never a meaningful id
    usable_id = raw_id is not None and not isinstance(raw_id, bool) and isinstance(raw_id, (str, int))
    return Article(
        id=str(raw_id) if usable_id and str(raw_id) else fallback_id or article_id(text),
        text=text,
        date=published,
        title=_normalise(title) if isinstance(title := obj.get("title"), str) else None,
        url=url if isinstance(url := obj.get("url"), str) else None,
        source=where,
    )


def is_jsonl(raw: str) -> bool:
    """True when the first non-empty line is a JSON object (a text article never opens with one): its other
    lines are then records too, and a bad one is reported like in a .jsonl file."""
    for line in raw.lstrip(_BOM).splitlines():
        if line.strip():
            try:
                return isinstance(_json(line), dict)
            except json.JSONDecodeError:
                return False
    return False
