"""Read input articles from files, folders and stdin into `Article`s.

Formats: `.txt` and `.md` hold one article each, with an optional leading `date YYYY-MM-DD` header (on its
own line or running into the text); `.jsonl` holds one JSON object per line (`text` required; `id`, `date`,
`title`, `url` optional); `.html`/`.htm` is a saved web page, whose article graph.sources.web_sources finds; `-` is
stdin, read as JSONL when its first non-empty line is a JSON object (each bad line then reported), else as one
text article. From the web (graph.sources.web_sources): `http(s)://` article URLs, a `.txt` file that holds only URLs
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
graph.sources.selection's business.

A source that cannot be read is reported through `on_problem` and skipped (or raises `InputError` with
`strict=True`); so is a path that does not exist, unless no source exists at all (InputError at once).
"""
from __future__ import annotations

import dataclasses
import io
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path, PurePath
from typing import TextIO

from graph.errors import InputError
from graph.model import Article
from graph.sources.fetch import is_url
from graph.sources.formats import ReadContext, Reporter, decode, is_jsonl, jsonl_articles, text_article
from graph.sources.selection import HTML_SUFFIXES, JSONL_SUFFIX, READABLE_SUFFIXES, TEXT_SUFFIXES, select
from graph.sources.web_sources import WebReader, html_article
from graph.sources.webpages import url_list

STDIN = "-"
STDIN_SOURCE = "<stdin>"

# A NUL byte this early means a binary file, not text (the same test git uses).
_BINARY_PROBE_BYTES = 8192


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
    chosen by graph.sources.selection.select with the `include` and `exclude` globs; each readable file it leaves
    out goes to `on_left_out` (its path as given), so the caller can name them. `feeds` are RSS/Atom feeds (URLs
    or files) whose entries are read as article URLs; `web` fetches every page (a default one when None), so a
    caller reading the same sources twice passes one to fetch each page once.
    """
    if explicit_id is not None:
        _check_explicit_id(sources, explicit_id)
    ctx = ReadContext(default_date, on_problem, strict, explicit_id, tuple(include), tuple(exclude), on_left_out)
    missing = [source for source in sources if source != STDIN and not is_url(source) and not os.path.exists(source)]
    if missing and len(missing) == len(sources) and not feeds:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    for source in missing:
        ctx.problem(f"{source}: no such file or folder, skipped")
    return _read_all([source for source in sources if source not in missing], ctx, stdin, list(feeds), web)


def _check_explicit_id(sources: Sequence[str], explicit_id: str) -> None:
    if not explicit_id.strip():
        raise InputError("--id must not be empty")
    single = len(sources) == 1 and (sources[0] == STDIN or Path(sources[0]).suffix.lower() in TEXT_SUFFIXES)
    if not single or (sources[0] != STDIN and os.path.isdir(sources[0])):
        raise InputError("--id names one article: give a single .txt or .md file, or - for standard input")


def _read_all(sources: list[str], ctx: ReadContext, stdin: TextIO | None, feeds: list[str],
              web: WebReader | None) -> Iterator[Article]:
    yield from _read_local(sources, ctx, stdin)
    if ctx.urls or feeds:
        yield from (web or WebReader()).articles(ctx.urls, feeds, ctx.default_date, ctx.problem)


def _read_local(sources: list[str], ctx: ReadContext, stdin: TextIO | None) -> Iterator[Article]:
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


def _read_folder(folder: Path, ctx: ReadContext) -> Iterator[Article]:
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


def _read_file(path: Path, identity: str, ctx: ReadContext) -> Iterator[Article]:
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
    text = decode(data, name, ctx)
    urls = url_list(text) if path.suffix.lower() == ".txt" else None
    if urls is not None:
        ctx.urls.extend(urls)  # a URL list: its pages are fetched with the other web sources
        return
    article = text_article(text, name, path.suffix.lower() == ".md", ctx, identity)
    if article is not None:
        yield article


def _read_jsonl_file(path: Path, identity: str, ctx: ReadContext) -> Iterator[Article]:
    name = _name(path)
    with path.open("rb") as f:
        if b"\0" in f.read(_BINARY_PROBE_BYTES):
            ctx.problem(f"{name}: binary file, skipped")
            return
        f.seek(0)
        lines = (decode(raw, f"{name}:{number}", ctx) for number, raw in enumerate(f, start=1))
        yield from jsonl_articles(lines, name, ctx, identity)


def _read_stdin(stdin: TextIO | None, ctx: ReadContext) -> Iterator[Article]:
    stream = stdin if stdin is not None else sys.stdin
    buffer = getattr(stream, "buffer", None)
    # Read bytes when we can, so invalid UTF-8 is reported like in a file instead of failing in the decoder.
    raw = decode(buffer.read(), STDIN_SOURCE, ctx) if buffer is not None else stream.read()
    if not raw.strip():
        ctx.problem(f"{STDIN_SOURCE}: empty input, skipped")
        return
    if is_jsonl(raw):
        records = list(jsonl_articles(iter(io.StringIO(raw)), STDIN_SOURCE, ctx, None))
        if ctx.explicit_id is not None:
            if len(records) != 1:
                raise InputError(f"--id names one article, but standard input holds {len(records)} JSON records")
            records = [dataclasses.replace(records[0], id=ctx.explicit_id)]
        yield from records
        return
    if "\0" in raw[:_BINARY_PROBE_BYTES]:
        ctx.problem(f"{STDIN_SOURCE}: binary input, skipped")
        return
    article = text_article(raw, STDIN_SOURCE, False, ctx, ctx.explicit_id)
    if article is not None:
        yield article
