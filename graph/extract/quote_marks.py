"""Where the quotations of a text are: inside double quotation marks, inside single ones ('‘We will not back
down,’ she said'), and speech set out by a dash line as in much translated news. Character spans only; who speaks
is graph.extract.quotes."""
from __future__ import annotations

import itertools
import re

from spacy.tokens import Doc

from graph.extract.doccache import doc_text
from graph.extract.lexicon import Lexicon

DASH_OPENERS = ("—", "–")
_QUOTE_MARKS = frozenset('"“”')
# `` and '' are the opening and closing marks of texts typed on ASCII keyboards (some wire services still)
_QUOTE_RE = re.compile(r"[\"“”]|``|''")
_OPENING, _CLOSING = frozenset({"“", "``"}), frozenset({"”", "''"})


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the insides of quotations, paragraph by paragraph.

    A quotation left open at the end of a paragraph ends there (news style: a quote running on into the next
    paragraph opens again there without closing first).
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        open_at, ascii_open = None, False
        for m in _QUOTE_RE.finditer(para.group()):
            pos = para.start() + m.start()
            ch = m.group()
            if open_at is None and (ch not in _CLOSING or ch == "”" and _opens(para.group(), m.start())):
                open_at, ascii_open = pos + len(ch), ch == "``"
            elif open_at is not None and ch not in _OPENING and (ascii_open or ch != "''"):
                # '' closes a quotation opened by `` only: '"We made our ``final'' offer."' is one quotation
                if pos > open_at:
                    spans.append((open_at, pos))
                open_at = None
        if open_at is not None and para.end() > open_at:
            spans.append((open_at, para.end()))
    single = _single_quote_spans(text, spans)
    # "‘... “take it or leave it” ...’": a quotation inside a quotation is the outer one's words
    return sorted([d for d in spans if not any(a <= d[0] and d[1] <= b for a, b in single)] + single)


_SINGLE_OPEN_RE = re.compile(r"(?:^|(?<=[\s(\[—–-]))‘(?=[^\W_])(?!\d\ds\b)")  # not "the ‘90s"


def _single_quote_spans(text: str, double: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """'‘We will not back down,’ she said', 'a ‘fair offer’ and': quotations in single marks, outside double
    ones. The closing mark is also the apostrophe: inside a word ('it’s', 'the Big Three’s') it closes nothing, and
    after an 's' before a small letter ('our members’ jobs') only when no other mark closes the quotation before the
    next one opens or the paragraph ends. A quotation never closed is none."""
    spans: list[tuple[int, int]] = []
    if "‘" not in text:
        return spans
    for para in re.finditer(r"[^\n]+", text):
        line, base = para.group(), para.start()
        for m in _SINGLE_OPEN_RE.finditer(line):
            start = base + m.end()
            if any(a <= start < b for a, b in double) or spans and start < spans[-1][1]:
                continue
            end = _single_close(line, m.end())
            if end is not None and base + end > start:
                spans.append((start, base + end))
    return spans


def _single_close(line: str, i: int) -> int | None:
    """Where the single quotation opened before `i` closes (see _single_quote_spans)."""
    possessive = None
    for j in range(i, len(line)):
        if line[j] == "‘":
            break  # the next quotation opens
        if line[j] != "’":
            continue
        after = line[j + 1] if j + 1 < len(line) else ""
        if after.isalnum():
            continue  # "it’s"
        if line[j - 1] == "s" and after == " " and j + 2 < len(line) and line[j + 2].islower():
            possessive = j if possessive is None else possessive  # "our members’ jobs" or "the ‘bosses’ demands"
            continue
        return j
    return possessive


def _opens(para: str, i: int) -> bool:
    """'”It’s over,” X said': a closing mark some sources also set to open a quotation, at the start of a
    paragraph or after a space, right before a word."""
    return (i == 0 or para[i - 1].isspace()) and i + 1 < len(para) and (para[i + 1].isalnum() or para[i + 1] == "[")


def dash_quote_spans(doc: Doc, lex: Lexicon, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotations set out as in much translated news, without quote marks: a line of speech, then a line
    opening with a dash and a speech verb ('— said X, the chairman of Y.', '— he added.')."""
    text = doc_text(doc)
    speech = lex.words("quotes", "speech_verbs")
    lines = list(re.finditer(r"[^\n]+", text))
    out = []
    for prev, line in itertools.pairwise(lines):
        body = line.group().lstrip()
        if body[:1] not in DASH_OPENERS or prev.group().lstrip()[:1] in DASH_OPENERS \
                or any(prev.start() <= s < prev.end() for s, _ in spans) or _QUOTE_MARKS & set(prev.group()):
            continue
        start = line.start() + len(line.group()) - len(body) + 1
        head = doc.char_span(start, min(line.end(), start + 40), alignment_mode="expand")
        if head is None or not any(t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in speech for t in head[:4]):
            continue
        out.append((prev.start() + len(prev.group()) - len(prev.group().lstrip()), prev.end()))
    return out


def opening_mark(doc: Doc, start_char: int) -> int | None:
    """The token of the quote mark that opens the quotation starting at `start_char`, when two or more tokens
    stand before it."""
    span = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
    return None if span is None or span.start < 3 else span.start - 1
