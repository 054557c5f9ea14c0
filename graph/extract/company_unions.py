"""The union of a company's workers, named through the company: an entity of its own, not the company.

News of disputes in Korea and Japan (and many company-level disputes elsewhere) calls a union by its employer:
'the KORAIL union', 'the Halvorsen Air System labor union', 'the labor union of Daesan Airways', 'the bank's labor
union'. Each is a LaborUnion of its own, named '<company> [labor] union' whatever form the text uses (the text's
form is kept as a further label, so either form finds it), while the company stays the other side of the dispute:
the one 'management' or 'the company' stands for where such a union talks or settles (graph.extract.frames).
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from graph.extract.doccache import doc_lowers, tokens_with
from graph.extract.lexicon import Lexicon
from graph.extract.table import EntityTable

_APOSTROPHES = ("’", "'", "'s", "’s")


def has_company_word(name: str, lex: Lexicon) -> bool:
    """Whether a name's own words say it is a company ('Halvorsen Air System', 'Pelham Bank'), so that 'the X
    union' is the union of X's workers rather than a union named X ('the Verdi union')."""
    words = name.lower().replace(",", " , ").split()
    # a company's name ends with what it makes or its legal form; a list of trades names a union ('Rail, Maritime
    # and Transport')
    ends = lex.union(("typing", "company_suffixes"), ("typing", "company_name_ends_before_union"))
    return bool(words) and words[-1] in ends and not {"and", "&", ","} & set(words)


def company_unions(doc: Doc, table: EntityTable) -> None:
    """Add the unions named through a company: its name before 'union', 'the union of' it, 'the bank's union'."""
    _name_before_union(doc, table)
    _union_of_company(doc, table)
    _union_of_a_company_noun(doc, table)


def _modifiers(lex: Lexicon) -> frozenset[str]:
    return lex.union(("typing", "union_modifiers"), ("typing", "worker_nouns"))


def _union_head(doc: Doc, k: int, lex: Lexicon) -> bool:
    """Whether token k is a lower-case 'union' that heads its phrase (not 'the Amazon union drive')."""
    return k < len(doc) and doc[k].text in lex.words("typing", "company_union_heads") and doc[k].dep_ != "compound" \
        and not (k + 1 < len(doc) and doc[k + 1].text in ("-", "–") and not doc[k].whitespace_)  # "union-busting"


def _name_before_union(doc: Doc, table: EntityTable) -> None:
    """'the KORAIL union', 'HMSI workers’ union', 'Japan Airlines’ union', 'the X Air System labor union'."""
    words = _modifiers(table.lex)
    lowers = doc_lowers(doc)
    for m in list(table.mentions):
        if table.entities[m.name].cls != "Company" or table.tok2mention.get(m.start) is not m:
            continue
        k = m.end
        while k < len(doc) and k - m.end < 3 and (lowers[k] in words or lowers[k] in _APOSTROPHES):
            k += 1
        if not _union_head(doc, k, table.lex):
            continue
        text = doc[m.start:k + 1].text
        # "Korail's union": the union's name is the company's and 'union'
        name = f"{m.name} {doc[m.end + 1:k + 1].text}" if lowers[m.end] in ("'s", "’s") else text
        _add_union(table, m.start, k + 1, name, text, m.name)


def _union_of_company(doc: Doc, table: EntityTable) -> None:
    """'the labor union of Daesan Airways', 'a union at Corvan Steel': named '<company> labor union'."""
    words = _modifiers(table.lex)
    for tok in tokens_with(doc, table.lex.words("typing", "company_union_heads")):
        if not _union_head(doc, tok.i, table.lex) or tok.i in table.tok2mention:
            continue
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "at") and c.i == tok.i + 1),
                    None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        owner = table.tok2mention.get(obj.i) if obj is not None else None
        first = _first_modifier(doc, tok, words)
        if prep is None or obj is None or owner is None or table.entities[owner.name].cls != "Company" or any(
                c.i < first and c.dep_ != "det" for c in tok.children):
            continue  # not 'the first labour union at Samsung', a kind of union rather than one
        if not _one_companys_union(doc, table, tok, prep, obj, owner.end):
            continue
        described = doc[first:tok.i + 1].text
        owned = doc[owner.start:owner.end].text
        _add_union(table, first, tok.i + 1, f"{owner.name} {described}", f"{described} {prep.text} {owned}",
                   owner.name)


def _one_companys_union(doc: Doc, table: EntityTable, union: Token, prep: Token, obj: Token, end: int) -> bool:
    """Whether 'the union of/at X' is X's workers' union: not a merger ('the union of Kestrel Bank with Pelham
    Bank', '... of A and B'), not a union to be ('a union at X would be the first'), not one named next ('the
    union at X, the United Auto Workers')."""
    joined = end + 1 < len(doc) and doc[end].lower_ in ("with", "and", "&") and _is_company(table, end + 1)
    if joined or any(c.dep_ == "conj" and _is_company(table, c.i) for c in obj.children):
        return False  # "... and the company", "... and its members" are no merger
    det = next((c.lower_ for c in union.children if c.dep_ == "det"), "")
    if det in ("any", "no", "every", "another") or det in ("a", "an") and prep.lower_ != "of":
        return False
    named = [m for k in range(end + 1, min(end + 4, len(doc))) if (m := table.tok2mention.get(k)) is not None]
    return not (end < len(doc) and doc[end].text == "," and named and table.entities[named[0].name].cls == "LaborUnion")


def _is_company(table: EntityTable, i: int) -> bool:
    m = table.tok2mention.get(i)
    return m is not None and table.entities[m.name].cls == "Company"


def _union_of_a_company_noun(doc: Doc, table: EntityTable) -> None:
    """'the bank's labor union', 'the carrier’s union': the company the noun stands for, named before."""
    words = _modifiers(table.lex)
    nominals = table.lex.nominal_classes()
    for tok in tokens_with(doc, table.lex.words("typing", "company_union_heads")):
        if not _union_head(doc, tok.i, table.lex) or tok.i in table.tok2mention:
            continue
        first = _first_modifier(doc, tok, words)
        if first < 2 or doc[first - 1].lower_ not in _APOSTROPHES:
            continue
        noun = doc[first - 2]
        if noun.pos_ != "NOUN" or nominals.get(noun.lower_) != "Company" or noun.i in table.tok2mention \
                or not any(c.lower_ in ("the", "its", "their") for c in noun.children):
            continue
        company = table.resolve_nominal(noun.lower_, noun.i)
        if company is None or table.entities[company].cls != "Company":
            continue
        described = doc[first:tok.i + 1].text
        _add_union(table, noun.i, tok.i + 1, f"{company} {described}", doc[noun.i - 1:tok.i + 1].text, company)


def _first_modifier(doc: Doc, union: Token, words: frozenset[str]) -> int:
    """The first of the words for workers or labour right before 'union' ('labor', 'workers’')."""
    first = union.i
    while first > 0 and union.i - first < 3 and (
            doc[first - 1].lower_ in words or (doc[first - 1].lower_ in ("’", "'") and first - 2 >= 0
                                               and doc[first - 2].lower_ in words)):
        first -= 1
    return first


def _add_union(table: EntityTable, start: int, end: int, name: str, text_form: str, company: str) -> None:
    added = table.add(start, end, name, "LaborUnion")
    table.entities[added].labels.add(text_form)
    table.entities[added].employer = company
