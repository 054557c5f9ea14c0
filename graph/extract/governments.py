"""Governments as parties: named by country, state or level, by 'the government of' a place, or bare.

Public-sector disputes are fought with a government far more often than with a named ministry, and the news
names it every way: 'the Israeli government', 'the New South Wales government', 'the state government', 'the
government of Ontario', 'the health ministry', or just 'the government' / 'Government' where the story is set in
one country. Each of these is a GovernmentOrganization span for graph.extract.resolve.
"""
from __future__ import annotations

from spacy.tokens import Doc

from graph.extract.doccache import doc_lowers
from graph.extract.lexicon import Lexicon
from graph.extract.page_spans import Item


def government_spans(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'the Israeli government', 'the New South Wales government', 'the Federal Government': a government said
    with the name of its country, state or level is a body of its own (a bare 'the government' is not); so is
    'the health ministry'."""
    heads = lex.words("typing", "government_heads")
    lowers = doc_lowers(doc)
    out = list(items)
    fields, ministries = lex.words("typing", "ministry_fields"), lex.words("typing", "ministry_heads")
    public = lex.words("typing", "department_fields")
    for i in (i for i, w in enumerate(lowers) if w in ministries and i > 1):
        # "broke off negotiations with the health ministry": a ministry named by its field, in lower case; a
        # department only by a public field and of no one ('the finance department of X' is a company's)
        if lowers[i - 1] in fields and lowers[i - 2] == "the" and doc[i - 1].text.islower() \
                and not any(s <= k < e for s, e, _, _ in out for k in (i - 1, i)) and (lowers[i] == "ministry" or (
                    lowers[i - 1] in public and (i + 1 >= len(doc) or lowers[i + 1] not in ("of", "at")
                                                 or _place_after_of(doc, out, i)))):  # "... of Punjab"
            out.append((i - 1, i + 1, "ORG", ""))
    levels = lex.words("typing", "government_levels")
    for i in (i for i, w in enumerate(lowers) if w in heads and i > 1):
        # "held talks with the state government", "the government of Ontario": a government by its level or place
        taken = any(s <= k < e for s, e, _, _ in out for k in (i - 1, i))
        place = _place_after_of(doc, out, i)
        if lowers[i - 1] in levels and lowers[i - 2] == "the" and doc[i - 1].text.islower() and not taken:
            # "the state government", "the provincial government of Jakarta"
            out = [it for it in out if it is not place] + [(i - 1, place[1] if place else i + 1, "ORG", "")]
        elif place is not None and lowers[i - 1] == "the" and not any(s <= i < e for s, e, _, _ in out):
            out = [it for it in out if it is not place] + [(i, place[1], "ORG", "")]
    for i in (i for i, w in enumerate(lowers) if w in heads and i > 0):
        before = doc[i - 1]
        if not before.text[:1].isupper() or before.pos_ not in ("PROPN", "ADJ") or before.ent_type_ in ("DATE",
                                                                                                        "TIME"):
            continue
        if any(s <= i < e for s, e, _, _ in out):
            continue  # the NER read it whole ('the Federal Government')
        start = next((s for s, e, _, _ in out if e == i), None)
        if start is None:  # no NER span: the run of proper nouns before the word ('New South Wales')
            start = i - 1
            while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].text[:1].isupper() \
                    and not any(s <= start - 1 < e for s, e, _, _ in out):
                start -= 1
        if lowers[start] == "the":
            start += 1
        out = [it for it in out if it[1] != i] + [(start, i + 1, "ORG", "")]
    return sorted(out)


def _place_after_of(doc: Doc, items: list[Item], i: int) -> Item | None:
    """The place the NER found after 'of' right after token i ('the government of Ontario'), if any."""
    if i + 2 >= len(doc) or doc[i + 1].lower_ != "of":
        return None
    return next((it for it in items if it[0] == i + 2 and it[2] in ("GPE", "LOC")), None)
