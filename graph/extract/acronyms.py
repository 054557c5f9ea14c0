"""Acronyms: names introduced with their acronym ('the Guild of Screen and Voice Performers (GSVP)', 'ALV
(Allgemeiner Lokfuehrerverband)'), whose letters fix where the long name starts, which the small NER often gets
wrong, and a bracketed short form as a name of the same entity ('the Polish Teachers' Union (ZNP)').
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from graph.extract.doccache import doc_text, doc_tokens
from graph.extract.entities import CONNECTORS, _is_titlecase
from graph.extract.merge import _merge_into
from graph.extract.table import EntityTable
from graph.model import ORGANIZATION_CLASSES


def _initials(doc: Doc, start: int, end: int) -> str:
    """Initials of the capitalised words of a span, connectors skipped ('Guild of Screen Performers' -> GSP)."""
    return "".join(t.text[0] for t in doc[start:end] if t.text[:1].isupper() and t.is_alpha)


def _spells(initials: str, letters: str) -> bool:
    """The acronym's letters in order within the initials, first and last letters matching, one extra at most."""
    if len(initials) != len(letters) + 1 or initials[0] != letters[0] or initials[-1] != letters[-1]:
        return False
    it = iter(initials)
    return all(ch in it for ch in letters)


def acronym_spans(doc: Doc, heads: frozenset[str] = frozenset()) -> list[tuple[int, int, int]]:
    """(start, end, acronym token) of names introduced with their acronym: 'the Guild of Screen and Voice
    Performers (GSVP)'. The initials fix the name's first word, which the statistical NER often misses or cuts
    at an 'and'; the reverse form 'ALV (Allgemeiner Lokfuehrerverband)' pairs a short form with its long name.
    A class word of `heads` in lower case may end the name: 'the Rail, Maritime, and Transport union (RMT)'."""
    out: list[tuple[int, int, int]] = []
    if "(" not in doc_text(doc):
        return out  # most articles: no bracket, no walk over the tokens
    for tok in doc_tokens(doc)[2:-1]:
        i = tok.i
        if doc[i - 1].text != "(" or doc[i + 1].text != ")" or not _is_acronym(tok):
            continue
        letters = tok.text.replace("-", "").replace("&", "")
        end = i - 1
        j, found = end - 1, None
        if doc[j].lower_ in heads and doc[j].is_lower and j > 0:
            j -= 1  # a lower-case class word, not among the initials
        # Walk left over capitalised words, connectors and commas; stop where the initials spell the acronym,
        # or hold it in order with one word to spare ('Kenya Medical Practitioners, Pharmacists, and Dentists
        # Union (KMPDU)').
        while j >= 0 and end - j <= len(letters) * 2 + 4:
            t = doc[j]
            if not (_is_titlecase(t) or (t.lower_ in CONNECTORS and t.lower_ != "the") or t.text in ("&", ",")
                    or t.text == "-" and not t.whitespace_):  # "BHP Billiton-Mitsubishi Alliance (BMA)"
                break
            initials = _initials(doc, j, end).upper()
            if _is_titlecase(t) and (initials == letters.upper() or _spells(initials, letters.upper())):
                found = j
                break
            j -= 1
        if found is not None and end - found >= 2:
            out.append((found, end, i))
    # 'ALV (Allgemeiner Lokfuehrerverband)': capitalised words in brackets after an acronym.
    for tok in doc_tokens(doc)[:-3]:
        if not (_is_acronym(tok) or tok.is_title and tok.is_alpha) or doc[tok.i + 1].text != "(":
            continue
        close = next((t.i for t in doc[tok.i + 2:min(tok.i + 9, len(doc))] if t.text == ")"), None)
        inner = doc[tok.i + 2:close] if close else None
        if inner is not None and len(inner) >= 1 and all(_is_titlecase(t) or t.lower_ in CONNECTORS for t in inner) \
                and _is_titlecase(inner[0]) and not (len(inner) == 1 and inner[0].text.isupper()) and (
                    _is_acronym(tok) or len(inner) >= 2 and _short_word_of(tok.text, inner.text)):
            out.append((inner.start, inner.end, tok.i))  # (also 'Mobasco (Montevista Banana Services Cooperative)')
    return out


def _is_acronym(tok: Token) -> bool:
    text = tok.text.replace("-", "").replace("&", "")
    return 2 <= len(text) <= 8 and text.isalpha() and text.isupper()


def acronyms_in_parentheses(doc: Doc, table: EntityTable) -> None:
    """'the Metro Transit Workers Union (MTWU)': the bracketed short form is a name of the same entity, even
    when its letters are another language's ('the Polish Teachers' Union (ZNP)') and the NER took it apart."""
    for m in list(table.mentions):
        e = m.end
        if not (e + 2 < len(doc) and doc[e].text == "(" and doc[e + 2].text == ")" and doc[e + 1].is_alpha and (
                _acronym_like(doc[e + 1].text) or _short_word_of(doc[e + 1].text, doc[m.start:e].text))) \
                or m.name not in table.entities:
            continue
        if e + 1 not in table.tok2mention:
            table.add(e + 1, e + 2, doc[e + 1].text, table.entities[m.name].cls, name=m.name)
            _earlier_uses(doc, table, doc[e + 1].text, m.name)
            continue
        short = table.entities.get(table.tok2mention[e + 1].name)
        target = table.entities[m.name]
        if short is not None and short is not target and not short.kb_id and " " not in short.name \
                and {short.cls, target.cls} <= ORGANIZATION_CLASSES - {"MediaOutlet"}:
            _merge_into(table, short, target)


def _short_word_of(text: str, name: str) -> bool:
    """'the Kenya Airline Pilots Association (Kalpa)', '(Numsa)': a short form written as a word, its letters in
    order among the name's, the first the name's first."""
    letters, whole = text.upper(), "".join(w.upper() for w in name.split() if w[:1].isupper())
    if not (3 <= len(text) <= 8 and text[:1].isupper() and text[1:].islower() and whole[:1] == letters[:1]) \
            or text.lower() in name.lower().split():
        return False
    it = iter(whole)
    return all(ch in it for ch in letters)


def _earlier_uses(doc: Doc, table: EntityTable, short: str, name: str) -> None:
    """A short form used before it is spelled out ('Kalpa launched the strike ... the Kenya Airline Pilots
    Association (Kalpa)') that the NER took for a person or a place is the organisation."""
    for other in [o for o in table.mentions if o.end - o.start == 1 and o.name != name
                  and doc[o.start].text == short]:
        ent = table.entities.get(other.name)
        if ent is not None and not ent.kb_id and ent.cls in ("Person", "Place"):
            table.drop_mention(other, keys_to=name)
            table.add(other.start, other.end, short, table.entities[name].cls, name=name)


def _acronym_like(text: str) -> bool:
    """'ZNP', and 'OZZPiP' with a small letter for a small word: mostly capitals."""
    upper = sum(ch.isupper() for ch in text)
    return 2 <= len(text) <= 8 and text[:1].isupper() and upper >= 2 and upper * 3 >= len(text) * 2
