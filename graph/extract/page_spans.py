"""Where a candidate name stands on the page: datelines and headlines, whose words the NER misreads.

- A dateline's bracketed name is the outlet reporting ('CHICAGO (WLS) —', 'BERLIN (dpa) -') and the capitalised
  place before it a place ('JOHANNESBURG -'), whatever the NER took them for (`dateline_outlets`).
- A headline in Title Case makes the NER see names in every capitalised run ("Hollywood Actors Join Writers on
  Picket Lines"): a span found only in such a line is kept when the knowledge base knows it, it is a place, or
  the body names it as it is written (`headline_only`, `headline_lines`).
- Headlines, in whatever case, tell past news in the present tense ("Tube strike starts after talks break down"):
  `headline_end` says where the lines above the first sentence of the body end.

Spans are (start, end, label, kb iri or '') tuples, as in graph.extract.spans.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from graph.dates import month_names
from graph.extract.doccache import doc_memo, doc_text, doc_texts, doc_tokens
from graph.extract.lexicon import Lexicon

Item = tuple[int, int, str, str]

DASHES = ("—", "–", "-", "--")


def dateline_outlets(doc: Doc, items: list[Item]) -> list[Item]:
    """'CHICAGO (WLS) —', 'BERLIN (dpa) -': the name in brackets of a dateline is the outlet reporting, and
    the capitalised place before it ('JOHANNESBURG -') is a place, whatever the NER took it for."""
    out = [(s, e, "GPE", iri) if not iri and label not in ("GPE", "LOC") and _in_dateline_place(doc, s, e)
           else (s, e, label, iri) for s, e, label, iri in items]
    if "(" not in doc_text(doc):
        return out
    for tok in doc_tokens(doc)[1:]:
        if tok.text != "(" or not _opens_line(doc, tok.i):
            continue
        close = next((t.i for t in doc[tok.i + 1:tok.i + 5] if t.text == ")"), None)
        # the dash may be glued to the story's first word: "(AJP) -Seoul city buses"
        if close is None or close + 1 >= len(doc) or close == tok.i + 1 or not any(
                doc[close + 1].text.startswith(d) for d in DASHES):
            continue
        known = next((it[3] for it in out if it[:2] == (tok.i + 1, close) and it[3]), "")  # "(Reuters)": known
        out = [it for it in out if not (tok.i < it[0] < close)]
        out.append((tok.i + 1, close, "MediaOutlet", known))
    return sorted(out)


def _in_dateline_place(doc: Doc, start: int, end: int) -> bool:
    """Tokens start..end are upper-case words opening a line, followed (maybe past a dash) by a dash or a
    bracket: 'JOHANNESBURG -', 'NEW DELHI, India —'."""
    words = [t for t in doc[start:end] if t.text not in DASHES and t.text != ","]
    if not words or not all(t.text.isupper() and t.is_alpha and len(t.text) > 2 for t in words[:1]) \
            or not _opens_line(doc, start):
        return False
    k = end
    while k < len(doc) and (doc[k].text == "," or doc[k].text[:1].isupper() and doc[k].text not in DASHES) \
            and k - end < 4:
        k += 1
    if k < len(doc) and doc[k].like_num and doc[k - 1].lower_.rstrip(".") in month_names() and k - 1 >= end:
        return True  # "SAO PAULO Oct 6 Bank workers ...": a wire dateline without a dash
    return k < len(doc) and (doc[k].text in DASHES or doc[k].text == "(") or doc[end - 1].text in DASHES


def _opens_line(doc: Doc, i: int) -> bool:
    """Only capitalised place words (and commas, abbreviations) between the line start and token i."""
    j = i - 1
    while j >= 0 and "\n" not in doc[j].text_with_ws and i - j <= 6:
        t = doc[j]
        if not (t.text in (",", ".") or t.text[:1].isupper() or t.text.isdigit()):  # "SEOUL, January 15 (AJP)"
            return False
        j -= 1
    return j < 0 or "\n" in doc[j].text_with_ws


def headline_lines(doc: Doc, lex: Lexicon) -> list[tuple[int, int]]:
    """Token ranges of lines written in Title Case without a closing stop (headlines, kickers)."""
    toks = doc_tokens(doc)
    small = lex.words("typing", "title_case_small_words")
    out = []
    start = 0
    for tok in [*toks, None]:
        if tok is not None and "\n" not in tok.text:
            continue
        end = tok.i if tok is not None else len(doc)
        words = [t for t in toks[start:end] if t.is_alpha and t.lower_ not in small]
        last = next((t for t in reversed(toks[start:end]) if not t.is_space), None)
        first = next((t for t in toks[start:end] if not t.is_space), None)
        byline = first is not None and first.lower_ == "by"  # "By Fiona Marsh, Education Correspondent"
        kicker = _kicker_end(doc, start, end)
        if kicker is not None:
            out.append((start, kicker))  # "Samsung Workers' Strike: Samsung workers at ..."
        if len(words) >= 3 and last is not None and not byline and last.text not in (".", "!", "?", "”", '"', ":") and \
                sum(t.text[:1].isupper() for t in words) >= 0.75 * len(words):
            out.append((start, end))
        start = end + 1
    return out


def _kicker_end(doc: Doc, start: int, end: int) -> int | None:
    """The end of a Title Case kicker opening a paragraph and closed by a colon, or None."""
    for tok in doc_tokens(doc)[start:min(end, start + 8)]:
        if tok.text == ":":
            words = [t for t in doc[start:tok.i] if t.is_alpha]
            return tok.i if len(words) >= 2 and all(t.text[:1].isupper() for t in words) else None
    return None


def headline_only(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    lines = headline_lines(doc, lex)
    if not lines:
        return items
    inside = [it for it in items if any(a <= it[0] and it[1] <= b for a, b in lines)]
    texts = doc_texts(doc)
    body: list[str] = []
    done = 0  # the body is what lies between the lines (which may overlap)
    for a, b in sorted(lines):
        body.extend(texts[done:a])
        done = max(done, b)
    body_text = " ".join(body + texts[done:])
    # a known name or a place is a name anywhere; another capitalised run must be in the body as it is written
    keep = [it for it in inside if it[3] or it[2] in ("GPE", "LOC")
            or f" {' '.join(t.text for t in doc[it[0]:it[1]])} " in f" {body_text} "]
    return sorted([it for it in items if it not in inside] + keep)


_HEADLINE_END = "newsgraph.headline_end"
# A line of more words than this is body text, whatever its last character.
HEADLINE_MAX_WORDS = 20


def headline_end(doc: Doc) -> int:
    """The first token after the article's opening lines that end without a stop (headline, standfirst), 0 when
    the text opens with a sentence."""
    def find() -> int:
        found = 0
        for line in re.finditer(r"[^\n]+", doc_text(doc)):
            text = line.group().strip()
            if not text or text[-1] in ".!?\"”:" or len(text.split()) > HEADLINE_MAX_WORDS:
                break
            tok = doc.char_span(line.start(), line.end(), alignment_mode="expand")
            found = tok.end if tok is not None else found
        return found

    return doc_memo(doc, _HEADLINE_END, find)
