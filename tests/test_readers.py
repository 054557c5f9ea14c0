"""Tests for graph.sources.readers: files, folders, stdin, headers, titles, ids and problem reporting."""
from __future__ import annotations

import hashlib
import io
import json
import re
import sys
from datetime import date
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.model import Article
from graph.sources.formats import article_id
from graph.sources.readers import read_sources

BODY = "The Harbor Pilots Union met the port authority on Tuesday.\nTalks went on late.\n"
DEFAULT = date(2020, 2, 2)


def read(
    sources: list[str], default_date: date | None = None, stdin: io.StringIO | None = None
) -> tuple[list[Article], list[str]]:
    problems: list[str] = []
    articles = list(read_sources(sources, default_date, problems.append, stdin=stdin))
    return articles, problems


def write(path: Path, content: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize(
    ("content", "expected_text", "expected_date"),
    [
        (f"date 2024-01-05\n\n{BODY}", BODY, date(2024, 1, 5)),
        (f"date 2024-01-05\n{BODY}", BODY, date(2024, 1, 5)),
        (f"date 2023-09-22 {BODY}", BODY, date(2023, 9, 22)),
        (f" date 2023-09-22 {BODY}", BODY, date(2023, 9, 22)),
        (f"\ufeffdate 2023-09-22 {BODY}", BODY, date(2023, 9, 22)),
        (f"\n\ndate 2023-09-22\n\n{BODY}", BODY, date(2023, 9, 22)),
        (f"date 2023-09-22T08:00:00Z\n\n{BODY}", BODY, date(2023, 9, 22)),
        (BODY, BODY, DEFAULT),
        (f"\ufeff{BODY}", BODY, DEFAULT),
        # only a lowercase "date" plus a date-like token (or alone on its line) is a header
        ("Date night at the union hall was full.\n", "Date night at the union hall was full.\n", DEFAULT),
        ("date nights are back, organizers said.\n", "date nights are back, organizers said.\n", DEFAULT),
    ],
)
def test_readers_date_header(tmp_path: Path, content: str, expected_text: str, expected_date: date) -> None:
    (article,), problems = read([write(tmp_path / "a.txt", content)], DEFAULT)
    assert article.text == expected_text
    assert article.date == expected_date
    assert problems == []


@pytest.mark.parametrize(
    "content",
    [
        f"date 2023-13-45\n\n{BODY}", f"date yesterday\n\n{BODY}", f"date 2023-13-45 {BODY}",
        f"date 05/01/2023 {BODY}",
    ],
)
def test_readers_malformed_date_header_warns_and_reads(tmp_path: Path, content: str) -> None:
    (article,), problems = read([write(tmp_path / "a.txt", content)], DEFAULT)
    assert article.text == BODY
    assert article.date == DEFAULT
    assert len(problems) == 1 and "a.txt" in problems[0] and "date" in problems[0]


def test_readers_no_date_and_no_default_is_none(tmp_path: Path) -> None:
    (article,), _ = read([write(tmp_path / "a.txt", BODY)])
    assert article.date is None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("date 2024-01-05\n\nNurses end strike at county hospital\n\nBody text here.\n",
         "Nurses end strike at county hospital"),
        ("  Talks resume  \n\nBody.\n", "Talks resume"),
        ("Workers walked out on Monday.\n\nBody.\n", None),  # a sentence, not a headline
        ("Is the strike over?\n\nBody.\n", None),
        ('Union says "no deal."\n\nBody.\n', None),
        ("Headline with no blank line after\nBody.\n", None),
        (" ".join(["word"] * 16) + "\n\nBody.\n", None),
        (" ".join(["word"] * 15) + "\n\nBody.\n", " ".join(["word"] * 15)),
        ("Only one line\n", None),
    ],
)
def test_readers_txt_title(tmp_path: Path, content: str, expected: str | None) -> None:
    (article,), _ = read([write(tmp_path / "a.txt", content)])
    assert article.title == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("# Dockworkers reach deal\n\nBody.\n", "Dockworkers reach deal"),
        ("date 2024-01-05\n\n# Dockworkers reach deal #\n\nBody.\n", "Dockworkers reach deal"),
        ("## Not a title\n\nBody.\n", None),
        ("Plain first line\n\nBody.\n", None),
    ],
)
def test_readers_md_title_kept_in_text(tmp_path: Path, content: str, expected: str | None) -> None:
    (article,), _ = read([write(tmp_path / "a.md", content)])
    assert article.title == expected
    assert expected is None or article.text.startswith(f"# {expected}")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"date 2024-01-05\r\n\r\nTitle\r\n\r\nLine one.\r\nLine two.\r\n",
         "Title\n\nLine one.\nLine two.\n"),
        (b"Line one.\rLine two.\r", "Line one.\nLine two.\n"),
        (b"\xef\xbb\xbfLine one.\n", "Line one.\n"),
    ],
)
def test_readers_normalises_line_endings_and_bom(tmp_path: Path, raw: bytes, expected: str) -> None:
    (article,), problems = read([write(tmp_path / "a.txt", raw)])
    assert article.text == expected
    assert problems == []


def test_readers_invalid_utf8_warns_and_reads(tmp_path: Path) -> None:
    (article,), problems = read([write(tmp_path / "a.txt", b"Caf\xe9 workers strike.\n")])
    assert article.text == "Caf\ufffd workers strike.\n"
    assert len(problems) == 1 and "a.txt" in problems[0] and "UTF-8" in problems[0]


@pytest.mark.parametrize(
    ("name", "content", "word"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\t\n", "empty"),
        ("header_only.txt", b"date 2024-01-05\n\n", "header"),
        ("binary.txt", b"PK\x03\x04\x00\x00abc", "binary"),
        ("binary.jsonl", b'{"text": "a"}\n\x00\x01', "binary"),
        ("empty.jsonl", b"\n\n  \n", "empty"),
    ],
)
def test_readers_unreadable_file_skipped(tmp_path: Path, name: str, content: bytes, word: str) -> None:
    good = write(tmp_path / "good.txt", BODY)
    articles, problems = read([write(tmp_path / name, content), good])
    assert [a.text for a in articles] == [BODY]
    assert len(problems) == 1 and name in problems[0] and word in problems[0]


def test_readers_strict_raises_on_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.txt", "")
    with pytest.raises(InputError, match="empty.txt"):
        list(read_sources([path], strict=True))


def test_readers_missing_path_is_a_problem_reported_before_reading(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", BODY)
    missing = str(tmp_path / "missing.txt")
    problems: list[str] = []
    stream = read_sources([good, missing], on_problem=problems.append)
    assert problems == [f"{missing}: no such file or folder, skipped"]  # before the first article
    assert [a.source for a in stream] == [Path(good).as_posix()]


def test_readers_only_missing_paths_raise_at_once(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder: .*a.txt, .*b.txt"):
        read_sources([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])


def test_readers_missing_path_with_strict_raises_at_once(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", BODY)
    with pytest.raises(InputError, match="missing.txt: no such file or folder"):
        read_sources([good, str(tmp_path / "missing.txt")], strict=True)


def test_readers_unknown_extension_named_explicitly_is_a_problem(tmp_path: Path) -> None:
    articles, problems = read([write(tmp_path / "notes.pdf", BODY)])
    assert articles == []
    assert len(problems) == 1 and "notes.pdf" in problems[0]


def test_readers_folder_recursion_order_and_filters(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "b.txt", "Second file.\n")
    write(folder / "a.md", "First file.\n")
    write(folder / "sub" / "a.txt", "Nested file.\n")
    write(folder / "c.jsonl", '{"text": "Line one."}\n{"text": "Line two."}\n')
    write(folder / "ignored.pdf", "Not read.\n")
    write(folder / ".hidden.txt", "Hidden file.\n")
    write(folder / ".git" / "x.txt", "Hidden folder.\n")
    articles, problems = read([str(folder)])
    assert [a.text for a in articles] == ["First file.\n", "Second file.\n", "Line one.", "Line two.",
                                          "Nested file.\n"]
    assert [a.source for a in articles] == [
        f"{folder.as_posix()}/a.md", f"{folder.as_posix()}/b.txt", f"{folder.as_posix()}/c.jsonl:1",
        f"{folder.as_posix()}/c.jsonl:2", f"{folder.as_posix()}/sub/a.txt",
    ]
    assert problems == []


def test_readers_folder_without_articles_is_a_problem(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "notes.pdf", "Not read.\n")
    articles, problems = read([str(folder)])
    assert articles == []
    assert len(problems) == 1 and "no articles" in problems[0]


def test_readers_jsonl_fields(tmp_path: Path) -> None:
    lines = [
        {"text": "Alpha text.", "id": "a1", "date": "2024-03-01", "title": "Alpha", "url": "https://example.org/a"},
        {"text": "Beta text.", "id": 42},
        {"text": "Gamma\r\ntext."},
    ]
    path = write(tmp_path / "in.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    articles, problems = read([path], DEFAULT)
    assert problems == []
    alpha, beta, gamma = articles
    assert alpha == Article(
        "a1", "Alpha text.", date(2024, 3, 1), "Alpha", "https://example.org/a", f"{path}:1"
    )
    assert (beta.id, beta.date, beta.source) == ("42", DEFAULT, f"{path}:2")
    assert gamma.text == "Gamma\ntext."
    assert gamma.id == "in.jsonl:3"  # no "id": the record is known by its file and line


def test_readers_jsonl_problems_name_line(tmp_path: Path) -> None:
    content = "\n".join([
        '{"text": "Good one."}',
        "",
        "not json",
        "[1, 2]",
        '{"title": "no text"}',
        '{"text": 7}',
        '{"text": "Bad date.", "date": "2024-02-30"}',
        '{"text": "   "}',
        '{"text": "Good two."}',
    ]) + "\n"
    path = write(tmp_path / "in.jsonl", content)
    articles, problems = read([path], DEFAULT)
    assert [a.text for a in articles] == ["Good one.", "Bad date.", "Good two."]
    assert articles[1].date == DEFAULT
    assert [p.split(": ")[0] for p in problems] == [f"{path}:{n}" for n in (3, 4, 5, 6, 7, 8)]


def test_readers_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    path = write(tmp_path / "in.jsonl", b'{"text": "ok"}\n{"text": "Caf\xe9"}\n')
    articles, problems = read([path])
    assert [a.text for a in articles] == ["ok", "Caf\ufffd"]
    assert len(problems) == 1 and problems[0].startswith(f"{path}:2")


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        (f"date 2024-01-05\n\nStrike ends at the mill\n\n{BODY}",
         [("Strike ends at the mill", date(2024, 1, 5), "<stdin>")]),
        (f"\ufeff{BODY}", [(None, DEFAULT, "<stdin>")]),
        ('{"text": "One.", "title": "T1"}\n\n{"text": "Two.", "date": "2024-01-05"}\n',
         [("T1", DEFAULT, "<stdin>:1"), (None, date(2024, 1, 5), "<stdin>:3")]),
        # a text article that opens like prose is one article, whatever lines follow
        ('Prose first.\n{"text": "One."}\n', [(None, DEFAULT, "<stdin>")]),
    ],
)
def test_readers_stdin(stdin: str, expected: list[tuple[str | None, date, str]]) -> None:
    articles, problems = read(["-"], DEFAULT, stdin=io.StringIO(stdin))
    assert [(a.title, a.date, a.source) for a in articles] == expected
    assert problems == []


def test_readers_stdin_jsonl_with_a_bad_line_reports_it() -> None:
    # It used to become one text article holding every line, silently.
    articles, problems = read(["-"], DEFAULT, stdin=io.StringIO('{"text": "One."}\nThen prose.\n{"text": "Two."}\n'))
    assert [(a.text, a.source) for a in articles] == [("One.", "<stdin>:1"), ("Two.", "<stdin>:3")]
    assert len(problems) == 1 and problems[0].startswith("<stdin>:2: not valid JSON")


def test_readers_stdin_empty_is_a_problem() -> None:
    articles, problems = read(["-"], stdin=io.StringIO("  \n"))
    assert articles == [] and len(problems) == 1 and "<stdin>" in problems[0]


def test_readers_stdin_bytes_invalid_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without an explicit stream the reader decodes sys.stdin's bytes itself, so bad bytes are a warning.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Caf\xe9 workers strike.\r\n")))
    problems: list[str] = []
    (article,) = read_sources(["-"], on_problem=problems.append)
    assert article.text == "Caf\ufffd workers strike.\n"
    assert len(problems) == 1 and "<stdin>" in problems[0]


@pytest.mark.parametrize("content", [b"Caf\xe9 workers strike.\n", f"date 2023-13-45\n\n{BODY}".encode()])
def test_readers_strict_raises_on_warning(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(InputError, match="a.txt"):
        list(read_sources([write(tmp_path / "a.txt", content)], strict=True))


def test_readers_text_is_stable_across_paths_and_headers(tmp_path: Path) -> None:
    # What decides whether an article changed is its text, which headers and line endings do not change.
    a = write(tmp_path / "one" / "x.txt", f"date 2024-01-05\n\n{BODY}")
    b = write(tmp_path / "two" / "y.md", f"date 2024-01-05 {BODY}")
    c = write(tmp_path / "three.txt", BODY.replace("\n", "\r\n"))
    articles, _ = read([a, b, c, a])
    assert len({x.text for x in articles}) == 1
    assert [x.id for x in articles] == ["x.txt", "y.md", "three.txt", "x.txt"]


def test_readers_identity_is_the_source_not_the_text(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    write(folder / "2024" / "strike.txt", BODY)
    write(folder / "talks.md", BODY + "More.\n")
    write(folder / "feed.jsonl", '{"text": "One.", "id": "wire-7"}\n{"text": "Two."}\n')
    articles, _ = read([str(folder)])
    assert [a.id for a in articles] == ["2024/strike.txt", "wire-7", "feed.jsonl:2", "talks.md"]
    # The same folder given by another path, and the file edited: the same identities.
    write(folder / "2024" / "strike.txt", BODY + "An added sentence.\n")
    again, _ = read([str(folder.resolve()) + "/"])
    assert [a.id for a in again] == [a.id for a in articles]
    # A file given by itself is known by its name.
    (alone,), _ = read([str(folder / "2024" / "strike.txt")])
    assert alone.id == "strike.txt"


def test_readers_stdin_without_id_is_known_by_its_text() -> None:
    (article,), _ = read(["-"], stdin=io.StringIO(BODY))
    assert article.id == article_id(BODY) == hashlib.sha256(BODY.encode("utf-8")).hexdigest()[:16]


@pytest.mark.parametrize("source", ["-", "file"])
def test_readers_explicit_id_names_the_single_article(tmp_path: Path, source: str) -> None:
    path = write(tmp_path / "a.txt", BODY)
    stdin = io.StringIO(BODY) if source == "-" else None
    (article,) = read_sources(["-" if source == "-" else path], stdin=stdin, explicit_id="wire/2024-001")
    assert article.id == "wire/2024-001"


def test_readers_explicit_id_refuses_several_articles(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "a.txt", BODY)
    for sources in ([str(folder)], [write(tmp_path / "b.jsonl", '{"text": "x"}\n')], [str(folder / "a.txt")] * 2):
        with pytest.raises(InputError, match="--id names one article"):
            list(read_sources(sources, explicit_id="x"))
    two = io.StringIO('{"text": "One."}\n{"text": "Two."}\n')
    with pytest.raises(InputError, match="2 JSON records"):
        list(read_sources(["-"], stdin=two, explicit_id="x"))


def test_readers_folder_leaves_out_project_files_and_hidden_ones(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for name in ("README.md", "LICENSE.txt", "sub/CHANGELOG.md", "readme.txt", ".draft.txt", ".git/x.txt"):
        write(folder / name, "date YYYY-MM-DD\n\nISO dates only. See the guide.\n")
    write(folder / "news.txt", BODY)
    left_out: list[str] = []
    articles = list(read_sources([str(folder)], on_left_out=left_out.append))
    assert [a.id for a in articles] == ["news.txt"]
    assert left_out == [f"{folder.as_posix()}/{name}" for name in ("LICENSE.txt", "README.md", "readme.txt",
                                                                   "sub/CHANGELOG.md")]
    # Named by itself, a README is read: naming it is asking for it.
    assert [a.id for a in read_sources([str(folder / "README.md")])] == ["README.md"]


def test_readers_include_and_exclude_globs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for name in ("2023/a.txt", "2024/b.txt", "2024/draft-c.txt", "d.md"):
        write(folder / name, BODY)

    def ids(**globs: tuple[str, ...]) -> tuple[list[str], list[str]]:
        left_out: list[str] = []
        found = [a.id for a in read_sources([str(folder)], on_left_out=left_out.append, **globs)]
        return found, [name.removeprefix(f"{folder.as_posix()}/") for name in left_out]

    assert ids(exclude=("draft-*",)) == (["2023/a.txt", "2024/b.txt", "d.md"], ["2024/draft-c.txt"])
    assert ids(include=("2024/*",)) == (["2024/b.txt", "2024/draft-c.txt"], ["2023/a.txt", "d.md"])
    assert ids(include=("*.txt",), exclude=("2023/*",)) == (
        ["2024/b.txt", "2024/draft-c.txt"], ["2023/a.txt", "d.md"])


def test_readers_strict_errors_do_not_say_skipped(tmp_path: Path) -> None:
    # Under --strict nothing is skipped or ignored: the build fails and writes nothing.
    for name, content in (("e.txt", "\n"), ("d.txt", f"date 2023-13-45\n\n{BODY}"), ("u.txt", b"Caf\xe9 talks.")):
        with pytest.raises(InputError) as caught:
            list(read_sources([write(tmp_path / name, content)], strict=True))
        assert not re.search(r"skipped|ignored|replaced", str(caught.value)), caught.value


def test_readers_large_file(tmp_path: Path) -> None:
    body = BODY * 80_000  # about 5 MB
    (article,), problems = read([write(tmp_path / "big.txt", body)])
    assert article.text == body and problems == []


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_readers_control_characters_become_spaces_in_place(tmp_path: Path, suffix: str) -> None:
    text = "Dock\x0bworkers\x0cstruck\x01 on Monday.\tThen\x1ftalks."
    content = json.dumps({"text": text, "title": "A\x0bB"}) if suffix == ".jsonl" else text
    articles, problems = read([write(tmp_path / f"a{suffix}", content)])
    assert problems == []
    assert articles[0].text == "Dock workers struck  on Monday.\tThen talks."
    assert articles[0].title in (None, "A B")
