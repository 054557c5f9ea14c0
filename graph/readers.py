"""Read input articles from files, folders and stdin into `Article`s.

Formats: `.txt` and `.md` hold one article each, with an optional leading `date YYYY-MM-DD` header (on its
own line or running into the text); `.jsonl` holds one JSON object per line (`text` required; `id`, `date`,
`title`, `url` optional); `-` is stdin, read as JSONL when every non-empty line is a JSON object, else as one
text article.

Offsets computed later point into `Article.text`, so the text is kept as found except for a removed date
header, a removed byte-order mark, line endings normalised to LF and other control characters (vertical tab,
form feed, ...) replaced by spaces, since XML and so RDF/XML cannot hold them at all. Articles carry a
content-derived id, so the same text read twice, or from another path, gets the same id (and the same IRIs
downstream).

A source that cannot be read is reported through `on_problem` and skipped (or raises `InputError` with
`strict=True`); so is a path that does not exist, unless no source exists at all (InputError at once).
"""
from __future__ import annotations

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
from graph.errors import InputError
from graph.model import Article

TEXT_SUFFIXES = frozenset({".txt", ".md"})
JSONL_SUFFIX = ".jsonl"
READABLE_SUFFIXES = TEXT_SUFFIXES | {JSONL_SUFFIX}
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

Reporter = Callable[[str], None]


@dataclass(frozen=True)
class _Context:
    """What every reader needs: where problems go and the date to fall back to."""

    default_date: date | None
    on_problem: Reporter | None
    strict: bool

    def problem(self, message: str) -> None:
        if self.strict:
            raise InputError(message)
        if self.on_problem is not None:
            self.on_problem(message)


def read_sources(
    sources: Sequence[str],
    default_date: date | None = None,
    on_problem: Reporter | None = None,
    stdin: TextIO | None = None,
    strict: bool = False,
) -> Iterator[Article]:
    """Articles from every source in order; see the module docstring for formats and problem handling.

    Missing paths are checked here, before the first article is read: when none of the sources exists the
    caller gets InputError at once (there is nothing to build), otherwise each missing one is reported and
    skipped. Problems go to `on_problem` as a one-line message starting with the file (and line): skipped
    sources (missing, empty, binary, unsupported, malformed JSONL line) and warnings about articles still
    yielded (invalid UTF-8, malformed date). With `strict=True` any of them raises InputError instead.
    """
    ctx = _Context(default_date, on_problem, strict)
    missing = [source for source in sources if source != STDIN and not os.path.exists(source)]
    if missing and len(missing) == len(sources):
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    for source in missing:
        ctx.problem(f"{source}: no such file or folder, skipped")
    return _read_all([source for source in sources if source not in missing], ctx, stdin)


def article_id(text: str) -> str:
    """The content-derived id of an article: the first 16 hex characters of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_ID_HEX_CHARS]


def _read_all(sources: list[str], ctx: _Context, stdin: TextIO | None) -> Iterator[Article]:
    for source in sources:
        if source == STDIN:
            yield from _read_stdin(stdin, ctx)
        elif os.path.isdir(source):
            yield from _read_folder(Path(source), ctx)
        else:
            path = Path(source)
            if path.suffix.lower() not in READABLE_SUFFIXES:
                ctx.problem(f"{_name(path)}: unsupported file type (expected .txt, .md or .jsonl), skipped")
                continue
            yield from _read_file(path, ctx)


def _name(path: PurePath) -> str:
    return path.as_posix()


def _read_folder(folder: Path, ctx: _Context) -> Iterator[Article]:
    found = 0
    for path in _walk(folder):
        for article in _read_file(path, ctx):
            found += 1
            yield article
    if found == 0:
        ctx.problem(f"{_name(folder)}: no articles found in folder")


def _walk(folder: Path) -> list[Path]:
    """Readable files under `folder`, hidden files and folders left out, in path order (by component)."""
    paths: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        paths.extend(
            Path(root, f) for f in files
            if not f.startswith(".") and Path(f).suffix.lower() in READABLE_SUFFIXES
        )
    return sorted(paths, key=lambda p: p.relative_to(folder).parts)


def _read_file(path: Path, ctx: _Context) -> Iterator[Article]:
    try:
        if path.suffix.lower() == JSONL_SUFFIX:
            yield from _read_jsonl_file(path, ctx)
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
    text = _decode(data, name, ctx)
    article = _text_article(text, name, path.suffix.lower() == ".md", ctx)
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


def _text_article(raw: str, name: str, markdown: bool, ctx: _Context) -> Article | None:
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
        id=article_id(text), text=text, date=header_date or ctx.default_date, title=title, source=name
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


def _read_jsonl_file(path: Path, ctx: _Context) -> Iterator[Article]:
    name = _name(path)
    with path.open("rb") as f:
        if b"\0" in f.read(_BINARY_PROBE_BYTES):
            ctx.problem(f"{name}: binary file, skipped")
            return
        f.seek(0)
        lines = (_decode(raw, f"{name}:{number}", ctx) for number, raw in enumerate(f, start=1))
        yield from _jsonl_articles(lines, name, ctx)


def _jsonl_articles(lines: Iterator[str], name: str, ctx: _Context) -> Iterator[Article]:
    seen_content = False
    for number, line in enumerate(lines, start=1):
        line = line.lstrip(_BOM) if number == 1 else line
        if not line.strip():
            continue
        seen_content = True
        where = f"{name}:{number}"
        article = _jsonl_article(line, where, ctx)
        if article is not None:
            yield article
    if not seen_content:
        ctx.problem(f"{name}: empty file, skipped")


def _jsonl_article(line: str, where: str, ctx: _Context) -> Article | None:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        ctx.problem(f"{where}: not valid JSON ({e.msg}), skipped")
        return None
    if not isinstance(obj, dict):
        ctx.problem(f"{where}: not a JSON object, skipped")
        return None
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
        id=str(raw_id) if usable_id and str(raw_id) else article_id(text),
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
        yield from _jsonl_articles(iter(io.StringIO(raw)), STDIN_SOURCE, ctx)
        return
    if "\0" in raw[:_BINARY_PROBE_BYTES]:
        ctx.problem(f"{STDIN_SOURCE}: binary input, skipped")
        return
    article = _text_article(raw, STDIN_SOURCE, False, ctx)
    if article is not None:
        yield article


def _is_jsonl(raw: str) -> bool:
    """True when every non-empty line is a JSON object (a text article never is, line by line)."""
    lines = [line for line in raw.lstrip(_BOM).splitlines() if line.strip()]
    for line in lines:
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except json.JSONDecodeError:
            return False
    return bool(lines)
