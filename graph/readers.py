"""Read input articles from files, folders and stdin into `Article`s.

Formats: `.txt` and `.md` hold one article each, with an optional leading `date YYYY-MM-DD` header (on its
own line or running into the text); `.jsonl` holds one JSON object per line (`text` required; `id`, `date`,
`title`, `url` optional); `.html`/`.htm` is a saved web page, whose article graph.web_sources finds; `-` is
stdin, read as JSONL when its first non-empty line is a JSON object (each bad line then reported), else as one
text article. From the web (graph.web_sources): `http(s)://` article URLs, a `.txt` file that holds only URLs
(one per line, `#` comments allowed: a URL list), and RSS/Atom feeds given apart (`feeds`); they are read
after the files, all fetched by one `WebReader` so that pages are fetched in parallel and at most once.

Offsets computed later point into `Article.text`, so the text is kept as found except for a removed date
header, a removed byte-order mark, line endings normalised to LF and other control characters (vertical tab,
form feed, ...) replaced by spaces, since XML and so RDF/XML cannot hold them at all.

An article's identity (`Article.id`, which names its document IRI) is its source, never its text, so an edited
article replaces its earlier version: the `id` of a JSON Lines record; else the file's path relative to the
folder given (`2024/strike.txt`), or its name when the file itself was given, with `:LINE` for a JSON Lines
record without an `id`; else the `explicit_id` the user gave for a single article. Standard input without one
has no source to name, so its text's hash (`article_id`) is its identity. Which files of a folder are read is
graph.selection's business.

A source that cannot be read is reported through `on_problem` and skipped (or raises `InputError` with
`strict=True`); so is a path that does not exist, unless no source exists at all (InputError at once).
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath
from typing import TextIO

from graph.dates import parse_iso_date
from graph.errors import InputError, printable
from graph.fetch import is_url
from graph.model import Article
from graph.selection import HTML_SUFFIXES, JSONL_SUFFIX, READABLE_SUFFIXES, TEXT_SUFFIXES, select
from graph.web_sources import WebReader, html_article
from graph.webpages import url_list

STDIN = "-"
STDIN_SOURCE = "<stdin>"

# A NUL byte this early means a binary file, not text (the same test git uses).
_BINARY_PROBE_BYTES = 8192
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
class _Context:
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


def read_sources(
    sources: Sequence[str],
    default_date: date | None = None,
    on_problem: Reporter | None = None,
    stdin: TextIO | None = None,
    strict: bool = False,
    explicit_id: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    on_left_out: Reporter | None = None,
    feeds: Sequence[str] = (),
    web: WebReader | None = None,
) -> Iterator[Article]:
    """Articles from every source in order; see the module docstring for formats, identity and problems.

    Missing paths are checked here, before the first article is read: when none of the sources exists the
    caller gets InputError at once (there is nothing to build), otherwise each missing one is reported and
    skipped. Problems go to `on_problem` as a one-line message starting with the file (and line): skipped
    sources (missing, empty, binary, unsupported, malformed JSONL line) and warnings about articles still
    yielded (invalid UTF-8, malformed date). With `strict=True` any of them raises InputError instead.
    `explicit_id` names the one article of a single text file or of standard input. Files of a folder are
    chosen by graph.selection.select with the `include` and `exclude` globs; each readable file it leaves
    out goes to `on_left_out` (its path as given), so the caller can name them. `feeds` are RSS/Atom feeds (URLs
    or files) whose entries are read as article URLs; `web` fetches every page (a default one when None), so a
    caller reading the same sources twice passes one to fetch each page once.
    """
    if explicit_id is not None:
        _check_explicit_id(sources, explicit_id)
    ctx = _Context(default_date, on_problem, strict, explicit_id, tuple(include), tuple(exclude), on_left_out)
    missing = [source for source in sources if source != STDIN and not is_url(source) and not os.path.exists(source)]
    if missing and len(missing) == len(sources) and not feeds:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    for source in missing:
        ctx.problem(f"{source}: no such file or folder, skipped")
    return _read_all([source for source in sources if source not in missing], ctx, stdin, list(feeds), web)


def article_id(text: str) -> str:
    """The identity of an article without a source (standard input): 16 hex characters of its text's SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_ID_HEX_CHARS]


def _check_explicit_id(sources: Sequence[str], explicit_id: str) -> None:
    if not explicit_id.strip():
        raise InputError("--id must not be empty")
    single = len(sources) == 1 and (sources[0] == STDIN or Path(sources[0]).suffix.lower() in TEXT_SUFFIXES)
    if not single or (sources[0] != STDIN and os.path.isdir(sources[0])):
        raise InputError("--id names one article: give a single .txt or .md file, or - for standard input")


def _read_all(sources: list[str], ctx: _Context, stdin: TextIO | None, feeds: list[str],
              web: WebReader | None) -> Iterator[Article]:
    yield from _read_local(sources, ctx, stdin)
    if ctx.urls or feeds:
        yield from (web or WebReader()).articles(ctx.urls, feeds, ctx.default_date, ctx.problem)


def _read_local(sources: list[str], ctx: _Context, stdin: TextIO | None) -> Iterator[Article]:
    for source in sources:
        if is_url(source):
            ctx.urls.append(source)
        elif source == STDIN:
            yield from _read_stdin(stdin, ctx)
        elif os.path.isdir(source):
            yield from _read_folder(Path(source), ctx)
        else:
            path = Path(source)
            if path.suffix.lower() not in READABLE_SUFFIXES:
                ctx.problem(f"{_name(path)}: unsupported file type (expected .txt, .md, .jsonl or .html), skipped")
                continue
            yield from _read_file(path, ctx.explicit_id or path.name, ctx)


def _name(path: PurePath) -> str:
    return path.as_posix()


def _read_folder(folder: Path, ctx: _Context) -> Iterator[Article]:
    found = 0
    selection = select(folder, ctx.include, ctx.exclude)
    if ctx.on_left_out is not None:
        for relative in selection.left_out:
            ctx.on_left_out(_name(folder / relative))
    for relative, reason in selection.unreadable:
        ctx.problem(f"{_name(folder / relative)}: cannot read folder: {reason}, skipped")
    for relative in selection.not_regular:
        ctx.problem(f"{_name(folder / relative)}: not a regular file (a FIFO, socket or device), skipped")
    for path in selection.files:
        for article in _read_file(path, path.relative_to(folder).as_posix(), ctx):
            found += 1
            yield article
    if found == 0:
        ctx.problem(f"{_name(folder)}: no articles found in folder")


def _read_file(path: Path, identity: str, ctx: _Context) -> Iterator[Article]:
    """The article(s) of one file; `identity` is its path relative to the folder given (or its name)."""
    try:
        if path.suffix.lower() == JSONL_SUFFIX:
            yield from _read_jsonl_file(path, identity, ctx)
            return
        with path.open("rb") as f:
            # Probe before reading the rest, so a large binary file is skipped without loading it.
            data = f.read(_BINARY_PROBE_BYTES)
            if b"\0" in data:
                ctx.problem(f"{_name(path)}: binary file, skipped")
                return
            data += f.read()
    except OSError as e:
        ctx.problem(f"{_name(path)}: cannot read: {e.strerror or e}")
        return
    name = _name(path)
    if path.suffix.lower() in HTML_SUFFIXES:
        page = html_article(data, name, identity, ctx.default_date)
        if page is None:
            ctx.problem(f"{name}: no article text found in the page, skipped")
        else:
            yield page
        return
    text = _decode(data, name, ctx)
    urls = url_list(text) if path.suffix.lower() == ".txt" else None
    if urls is not None:
        ctx.urls.extend(urls)  # a URL list: its pages are fetched with the other web sources
        return
    article = _text_article(text, name, path.suffix.lower() == ".md", ctx, identity)
    if article is not None:
        yield article


def _decode(data: bytes, where: str, ctx: _Context) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        ctx.problem(f"{where}: invalid UTF-8, undecodable bytes replaced with U+FFFD")
        return data.decode("utf-8", errors="replace")


def _normalise(text: str) -> str:
    if text.startswith(_BOM):
        text = text[1:]
    return _CONTROL_RE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def _text_article(raw: str, name: str, markdown: bool, ctx: _Context, identity: str | None) -> Article | None:
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


def _split_header(text: str, name: str, ctx: _Context) -> tuple[date | None, str]:
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


def _read_jsonl_file(path: Path, identity: str, ctx: _Context) -> Iterator[Article]:
    name = _name(path)
    with path.open("rb") as f:
        if b"\0" in f.read(_BINARY_PROBE_BYTES):
            ctx.problem(f"{name}: binary file, skipped")
            return
        f.seek(0)
        lines = (_decode(raw, f"{name}:{number}", ctx) for number, raw in enumerate(f, start=1))
        yield from _jsonl_articles(lines, name, ctx, identity)


def _jsonl_articles(lines: Iterator[str], name: str, ctx: _Context, identity: str | None) -> Iterator[Article]:
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


def _repaired(value: object, where: str, field: str, ctx: _Context) -> object:
    """A string of a JSON record with unpaired surrogates replaced by U+FFFD (reported), anything else as is."""
    if isinstance(value, str) and _SURROGATE.search(value):
        ctx.problem(f"{where}: '{field}' is not valid Unicode, unpaired surrogates replaced with U+FFFD")
        return _SURROGATE.sub("\ufffd", value)
    return value


def _jsonl_article(line: str, where: str, ctx: _Context, fallback_id: str | None) -> Article | None:
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
        title=_normalise(obj["title"]) if isinstance(obj.get("title"), str) else None,
        url=obj["url"] if isinstance(obj.get("url"), str) else None,
        source=where,
    )


def _read_stdin(stdin: TextIO | None, ctx: _Context) -> Iterator[Article]:
    stream = stdin if stdin is not None else sys.stdin
    buffer = getattr(stream, "buffer", None)
    # Read bytes when we can, so invalid UTF-8 is reported like in a file instead of failing in the decoder.
    raw = _decode(buffer.read(), STDIN_SOURCE, ctx) if buffer is not None else stream.read()
    if not raw.strip():
        ctx.problem(f"{STDIN_SOURCE}: empty input, skipped")
        return
    if _is_jsonl(raw):
        records = list(_jsonl_articles(iter(io.StringIO(raw)), STDIN_SOURCE, ctx, None))
        if ctx.explicit_id is not None:
            if len(records) != 1:
                raise InputError(f"--id names one article, but standard input holds {len(records)} JSON records")
            records = [dataclasses.replace(records[0], id=ctx.explicit_id)]
        yield from records
        return
    if "\0" in raw[:_BINARY_PROBE_BYTES]:
        ctx.problem(f"{STDIN_SOURCE}: binary input, skipped")
        return
    article = _text_article(raw, STDIN_SOURCE, False, ctx, ctx.explicit_id)
    if article is not None:
        yield article


def _is_jsonl(raw: str) -> bool:
    """True when the first non-empty line is a JSON object (a text article never opens with one): its other
    lines are then records too, and a bad one is reported like in a .jsonl file."""
    for line in raw.lstrip(_BOM).splitlines():
        if line.strip():
            try:
                return isinstance(_json(line), dict)
            except json.JSONDecodeError:
                return False
    return False
