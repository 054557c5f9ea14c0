"""One entity per referent within a document: how each candidate span becomes a mention of an entity.

Named spans are processed in text order, so a surname ("Bass") or an acronym ("NRWU") resolves to the full name
seen before it, and a common noun ("the union", "the alliance") to the most recent entity whose name holds the
noun or, failing that, whose class the noun names. Once every span is a mention, graph.extract.merge joins
the names of one referent and adds the mentions the NER missed, and graph.extract.retype types names by context.
"""
from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Doc, Token

from graph.extract.acronyms import acronym_spans, acronyms_in_parentheses
from graph.extract.doccache import doc_lowers, doc_text, doc_tokens, tokens_with
from graph.extract.entities import (
    CONNECTORS,
    GROUP,
    POSSESSIVES,
    _is_titlecase,
    classify_org_name,
    group_spans,
    has_class_cue,
    ner_spans,
    norm_key,
)
from graph.extract.lexicon import Lexicon
from graph.extract.merge import merge_names, propagate_names
from graph.extract.retype import retype_from_context
from graph.extract.span_labels import before_its_leader, title_vocabulary
from graph.extract.spans import repair_spans
from graph.extract.table import EntityTable
from graph.model import ENTITY_CLASSES, ORGANIZATION_CLASSES

_QUOTES = frozenset("'\"‘’“”")  # a name in quotation marks is the title of a work or a project

def _person_name(doc: Doc, start: int, end: int, lex: Lexicon) -> tuple[int, str]:
    honorifics = lex.words("titles", "honorifics")
    while end - start > 1 and doc[start].lower_ in honorifics:
        start += 1
    return start, doc[start:end].text


def _title_before(doc: Doc, start: int, lex: Lexicon) -> str:
    """The title word right before a span ('chair' in 'association chair Helen Park'), if any."""
    if start > 1 and doc[start - 1].text == ",":
        start -= 1  # "Tidewell's chief executive, Marcus Lindqvist"
    if start == 0:
        return ""
    prev = doc[start - 1].lower_
    two = f"{doc[start - 2].lower_} {prev}" if start > 1 else ""
    titles = lex.union(("titles", "leader"), ("titles", "honorifics"))
    return two if two in titles else prev if prev in titles else ""


def _title_after_comma(doc: Doc, end: int, lex: Lexicon) -> bool:
    """'Yolanda Petrakis, the association's president': a leader title within a few words after a comma."""
    if end >= len(doc) or doc[end].text != ",":
        return False
    titles = lex.words("titles", "leader")
    for tok in doc_tokens(doc)[end + 1:end + 7]:
        if tok.text in (",", ".", ";") or tok.pos_ == "VERB":
            return False
        if tok.lower_ in titles:
            return True
    return False


def _followed_by_possessive_role(doc: Doc, end: int, lex: Lexicon) -> bool:
    """'Acme's Jane Roe', 'Zenith Freight's chief executive': the span owns a person or a role."""
    if end + 1 >= len(doc) or doc[end].lower_ not in POSSESSIVES:
        return False
    nxt = doc[end + 1]
    two = f"{nxt.lower_} {doc[end + 2].lower_}" if end + 2 < len(doc) else ""
    return nxt.ent_type_ == "PERSON" or nxt.lower_ in lex.words("titles", "leader") or two in lex.words(
        "titles", "leader")


def span_class(doc: Doc, start: int, end: int, label: str, lex: Lexicon) -> str | None:
    """The ng: class of a named span from its NER label, its words and its neighbours."""
    if label in ENTITY_CLASSES:
        return label
    if label == GROUP:
        return "Group"
    words = [t.lower_ for t in doc[start:end]]
    before = doc[start - 1].lower_ if start else ""
    after = doc[end].lower_ if end < len(doc) else ""
    parts = [t for t in doc[start:end] if t.text != "-"]  # "Klaus-Dieter Rammelt" is three parts
    looks_like_name = 2 <= len(parts) <= 3 and all(_is_titlecase(t) for t in parts)
    org_cues = (lex.union(("typing", "union_words"), ("typing", "employer_association_words"),
            ("typing", "company_suffixes"), ("typing", "government_words")))
    after_next = doc[end + 1].lower_ if end + 1 < len(doc) else ""
    if (after in lex.words("titles", "place_leader") or after in lex.words("titles", "joiners")
            and after_next in lex.words("titles", "place_leader")) and label in ("ORG", "GPE", "LOC", "PERSON", "FAC"):
        return "Place"  # "Springfield Mayor Ana Ruiz", "the Thuringia state premier"
    if _followed_by_possessive_role(doc, end, lex) and label in ("PERSON", "ORG", "FAC"):
        return classify_org_name(words, lex, before)
    if label == "PERSON" and not (set(words) & org_cues and end - start > 1):
        return "Person"
    if label == "PERSON":
        return classify_org_name(words, lex, before)
    if label in ("FAC", "ORG", "GPE") and looks_like_name and not set(words) & org_cues and (
            _title_before(doc, start, lex) or _title_after_comma(doc, end, lex)):
        return "Person"
    if label == "ORG" and end - start == 1 and before == "in" and not set(words) & org_cues:
        return "Place"  # "walked out in Calderon": an unknown town the NER took for an organisation
    if label in ("GPE", "LOC", "FAC"):
        # "Mount Sinai Hospital" is an employer, not a place; "the City of Philadelphia" a government; "Sindicato
        # dos Bancários de X" a union
        opener = " ".join(words).startswith(lex.prefixes("typing", "government_name_openers")) \
            or words[0] in lex.words("typing", "name_opening_heads")
        return classify_org_name(words, lex, before) if words[-1] in org_cues or opener else "Place"
    if label == "ORG" and doc[start:end].text[:1] in _QUOTES:
        return None  # "'Project Responsibility for Steel": a name glued to its quotation mark titles something
    if label == "ORG":
        return classify_org_name(words, lex, before)
    quoted = doc[start:end].text[:1] in _QUOTES or start > 0 and doc[start - 1].text in _QUOTES
    if label in ("WORK_OF_ART", "NORP") and len(words) > 1 and words[-1] in org_cues and looks_titled(doc, start, end) \
            and not quoted:  # but "the 'Project Responsibility for Steel'" is the title of something
        return classify_org_name(words, lex, before)  # "the Morning Star Guild" taken for a title
    return None  # NORP, WORK_OF_ART: not entities of ours unless the ruler or a cue says so


def looks_titled(doc: Doc, start: int, end: int) -> bool:
    """Every word capitalised, or a connector ('Guild of Screen Actors')."""
    return all(_is_titlecase(t) or t.lower_ in CONNECTORS for t in doc[start:end])


def titled_names(doc: Doc, lex: Lexicon, taken: set[int]) -> list[tuple[int, int, str, str]]:
    """'Mayor Ana Ruiz', 'president Omar Diaz': two or three proper nouns after a title are a person's name,
    even where the statistical NER saw nothing."""
    dtok = doc_tokens(doc)
    # plural titles open lists of names: "Presidents Ana Roe of A and Bo Li of B"
    titles = lex.derived("titled_names.titles", lambda: lex.union(
        ("titles", "leader"), ("titles", "honorifics"), ("titles", "name_prefixes"))
        | lex.with_plurals(lex.words("titles", "leader"))
        | (lex.words("titles", "not_leader") - lex.words("titles", "joiners")))
    ministerial = lex.words("titles", "ministerial")
    words_of_titles = title_vocabulary(lex)  # "the former Director General of X": no name after 'former'
    out = []
    for tok in tokens_with(doc, lex.derived("titled_names.any", lambda: titles | ministerial)):
        if tok.i >= len(doc) - 2:
            break
        j = tok.i + 1
        if tok.lower_ in ministerial and dtok[j].lower_ == "of":
            # "Minister of Education Jan Tinetti": the field's words, then the name (its last two words)
            k = j + 1
            while k < len(doc) and (_is_titlecase(dtok[k]) or dtok[k].lower_ == "and") and k not in taken:
                k += 1
            if k - (j + 1) >= 3 and dtok[k - 1].pos_ == "PROPN" and dtok[k - 2].pos_ == "PROPN":
                out.append((k - 2, k, "PERSON", ""))
            continue
        while j < len(doc) and j - tok.i <= 3 and (dtok[j].pos_ == "PROPN"
                                                   or j > tok.i + 1 and dtok[j].pos_ == "NOUN") \
                and _is_titlecase(dtok[j]) and j not in taken:
            j += 1  # "spokesperson Amanda Tshemese": the tagger may call a rare surname a noun
        # one proper noun after a personal honorific is a surname ('“...,” Dr Naikuni said'), where the NER saw none
        least = 1 if tok.lower_ in lex.words("titles", "personal_honorifics") and tok.text[:1].isupper() else 2
        if least <= j - tok.i - 1 <= 3 and (j == len(doc) or dtok[j].pos_ != "PROPN") \
                and dtok[tok.i + 1].pos_ == "PROPN" \
                and not all(t.lower_ in titles or t.lower_ in words_of_titles for t in dtok[tok.i + 1:j]):
            out.append((tok.i + 1, j, "PERSON", ""))  # not "Deputy General Secretary": titles all through
        elif tok.dep_ == "appos" and (first := _name_before_apposition(doc, tok, taken)) is not None:
            out.append((first, tok.i - 1 - (dtok[tok.i - 1].lower_ in ("the", "a", "an")), "PERSON", ""))
    return out


def _name_before_apposition(doc: Doc, title: Token, taken: set[int]) -> int | None:
    """'Ismo Kokko, the chairperson at AKT': two or three proper nouns right before ', (the) TITLE' that the title
    is an apposition of are a person's name; the start of that name, else None."""
    dtok = doc_tokens(doc)
    comma = title.i - 1 - (dtok[title.i - 1].lower_ in ("the", "a", "an"))
    if comma < 2 or dtok[comma].text != "," or title.head.i != comma - 1:
        return None
    k = comma
    while k > 0 and dtok[k - 1].pos_ == "PROPN" and _is_titlecase(dtok[k - 1]) and k - 1 not in taken \
            and comma - k < 3:
        k -= 1
    return k if 2 <= comma - k <= 3 and not (k > 0 and dtok[k - 1].pos_ == "PROPN") else None


def numbered_locals(doc: Doc, lex: Lexicon, taken: set[int]) -> list[tuple[int, int, str, str]]:
    """'Local 907', 'Lodge 751': a numbered branch of a union."""
    dtok = doc_tokens(doc)
    words = lex.words("typing", "union_branch_words")
    out: list[tuple[int, int, str, str]] = []
    text = doc_text(doc)  # built from every token on each access: once
    if not any(w.capitalize() in text for w in words):
        return out
    for tok in doc_tokens(doc)[:-1]:
        nxt = dtok[tok.i + 1]
        if tok.lower_ in words and tok.text[:1].isupper() and nxt.like_num and not {tok.i, nxt.i} & taken:
            out.append((tok.i, tok.i + 2, "LaborUnion", ""))
    return out


def committee_spans(doc: Doc, lex: Lexicon) -> list[tuple[int, int, int]]:
    """(start, end, owner token) of phrases like "the union's negotiating committee" or "WGA negotiators"."""
    out = []
    heads, modifiers = lex.words("typing", "committee_heads"), lex.words("typing", "committee_modifiers")
    remit = lex.words("typing", "committee_remit_words")
    people = lex.words("typing", "committee_people")
    lowers = doc_lowers(doc)
    for tok in doc_tokens(doc):
        low = lowers[tok.i]
        if low in heads and tok.i > 0 and lowers[tok.i - 1] in modifiers:
            start = tok.i - 1
        elif low in people:
            start = tok.i
        else:
            continue
        owner = start - 1
        # "the WGA's contract negotiating committee", "the guild's TV, theatrical and streaming negotiating
        # committee", "X's TV/Theatrical Negotiating Committee": past the words of its remit to the owner
        k = start - 1
        while k > start - 9 and k > 0 and doc[k].lower_ not in POSSESSIVES and (
                doc[k].lower_ in remit or doc[k].pos_ == "ADJ" and doc[k].is_lower
                or doc[k].text in (",", "/", "&", "and")):
            k -= 1  # (not across a party: "Zenith Mining's management and the union negotiating committee")
        # (not when the NER ran a name on across the possessive: "Guild’s TV" is no owner of a committee)
        if k < start - 1 and doc[k].lower_ in POSSESSIVES and doc[k + 1].ent_iob_ != "I":
            start, owner = k + 1, k
        if owner >= 0 and doc[owner].lower_ in POSSESSIVES:
            owner -= 1
        if owner >= 0 and (doc[owner].is_alpha or doc[owner].ent_type_):
            out.append((start, tok.i + 1, owner))
    return out


def _class_of(table: EntityTable, name: str) -> str | None:
    """The class of an entity of the table; None for a name only announced so far ('ALV' before its long
    form is read, see find_entities)."""
    ent = table.entities.get(name)
    return ent.cls if ent is not None else None


def find_entities(doc: Doc, lex: Lexicon, kb: Mapping[str, tuple[str, str]],
                  in_quote: set[int] | frozenset[int] = frozenset()) -> EntityTable:
    """Every entity mention of the document, resolved. `kb` maps a known IRI to (canonical name, class)."""
    table = EntityTable(lex, doc)
    spans = ner_spans(doc, frozenset(c for _, c in kb.values()), lex)
    # "WGA Negotiating Committee" widened around the known "WGA" holds the NER's "Negotiating Committee"
    spans.items = [it for it in spans.items if not any(o[0] <= it[0] and it[1] <= o[1] and o[1] - o[0] > it[1] - it[0]
                                                       for o in spans.items)]
    spans.items = repair_spans(doc, spans.items, lex)
    groups = group_spans(doc, lex, {i for s, e, _, iri in spans.items if iri for i in range(s, e)})
    grouped = {i for s, e in groups for i in range(s, e)}
    items = [(s, e, lab, iri) for s, e, lab, iri in spans.items if not grouped & set(range(s, e))]
    items += [(s, e, GROUP, "") for s, e in groups]
    items, acronyms = _with_acronym_names(doc, items, lex)
    kb_names = {(s, e): kb[iri][0] for s, e, _, iri in items if iri and iri in kb}
    # "BHP Billiton-Mitsubishi Alliance (BMA)": the article's own long form beats the knowledge base's 'BMA'
    defined = {norm_key(doc[short].text) for start, end, short in acronyms if (start, end) not in kb_names}
    for start, end, short in acronyms:
        # 'the union ALV (Allgemeiner Lokfuehrerverband)': every 'ALV' is that name, also before it is spelled out
        # (the knowledge base's name when the long form is a known one)
        table.keys.setdefault(norm_key(doc[short].text), kb_names.get((start, end), doc[start:end].text))
    # a nationality or a work's title the NER saw does not keep a person's name from being read after a title
    items += titled_names(doc, lex, {i for s, e, lab, _ in items if lab not in ("NORP", "WORK_OF_ART")
                                     for i in range(s, e)})
    items += numbered_locals(doc, lex, {i for s, e, _, _ in items for i in range(s, e)})
    committees = {s: (e, owner) for s, e, owner in committee_spans(doc, lex)
                  if s not in in_quote or doc[owner].lower_ != "the"}
    # names and committees in the order of the text: (start, kind, end, index into items or committee start)
    events = sorted([(s, 0, e, k) for k, (s, e, _, _) in enumerate(items)]
                    + [(s, 1, e, s) for s, (e, _) in committees.items()])
    for start, kind, end, k in events:
        if kind == 1:
            _add_committee(doc, table, start, *committees[k])
            continue
        _, _, label, iri = items[k]
        if iri and end - start == 1 and norm_key(doc[start].text) in defined:
            iri = ""
        if iri and iri in kb:
            kb_name, kb_cls = kb[iri]
            table.add(start, end, doc[start:end].text, kb_cls, name=kb_name, kb_id=iri)
            continue
        if not iri and (country := _country_of_leader(doc, start, end, lex)):
            table.add(start, end, country, "Place", name=country)  # "Israeli Prime Minister X" leads Israel
            continue
        cls = span_class(doc, start, end, label, lex)
        hint = _hint(spans.hints, start, end)
        if hint is not None and cls != hint and not (cls in ORGANIZATION_CLASSES and (
                has_class_cue([t.lower_ for t in doc[start:end]], lex) or before_its_leader(doc, end, lex))):
            cls = hint  # the domain NER, where the name's words (or 'X boss Jane Roe') say nothing
        surface = doc[start:end].text
        if end - start == 1 and (known := table.lookup(surface, "Person")) and \
                _class_of(table, known) == "Person":
            table.add(start, end, surface, "Person", name=known)  # a surname the NER mistyped
            continue
        if cls in ("Person", "Place") and (known := table.lookup(surface, "Company")) and \
                _class_of(table, known) == "Company":
            table.add(start, end, surface, "Company", name=known)  # a company's short name the NER mistyped
            continue
        if cls is None:
            continue
        if cls == "Person":
            start, surface = _person_name(doc, start, end, lex)
        elif cls == "Place" and label == "ORG" and (prev := table.lookup(surface, cls)):
            surface = prev
        name = table.add(start, end, surface, cls)
        if hint is not None and hint == cls:
            table.entities[name].confirmed = True
    acronyms_in_parentheses(doc, table)
    for start, _end, short in acronyms:
        named = table.tok2mention.get(start)
        if named is not None and short not in table.tok2mention:
            table.add(short, short + 1, doc[short].text, table.entities[named.name].cls, name=named.name)
    propagate_names(doc, table)  # first: the context of every mention types a name ('PPTA members' where NER saw none)
    retype_from_context(doc, table)
    merge_names(doc, table)
    return table


def _country_of_leader(doc: Doc, start: int, end: int, lex: Lexicon) -> str | None:
    """The country a nationality names right before a head of government's title ('Kenyan Prime Minister'),
    whatever the small NER took the nationality for."""
    demonyms: dict[str, str] = lex.derived("demonyms", lambda: dict(lex.data["demonyms"]))
    firsts = lex.derived("demonym_first_words", lambda: frozenset(d.split()[0] for d in demonyms))
    if end >= len(doc) or doc_lowers(doc)[start] not in firsts:
        return None
    country = demonyms.get(doc[start:end].text.lower())
    if country is None:
        return None
    titles = lex.words("titles", "national_leader")
    title = doc[end:end + 2].text.lower()
    return country if doc[end].lower_ in titles or title in titles else None


def _hint(hints: dict[int, str], start: int, end: int) -> str | None:
    """The class a domain NER gave most of a span's tokens, if it gave one."""
    found = [hints[i] for i in range(start, end) if i in hints]
    return max(sorted(set(found)), key=found.count) if found else None


def _with_acronym_names(doc: Doc, items: list[tuple[int, int, str, str]], lex: Lexicon
                        ) -> tuple[list[tuple[int, int, str, str]], list[tuple[int, int, int]]]:
    """The candidate spans with names fixed by their acronyms ('United Aerospace and Precision Workers (UAPW)'):
    a name spelled out by its acronym replaces the NER's partial spans inside it, unless the knowledge base
    already knows exactly that span. Returns the spans and the (start, end, acronym token) pairs."""
    pairs = []
    for start, end, short in acronym_spans(doc, lex.words("typing", "union_words")):
        if doc[end - 1].lower_ in lex.words("typing", "document_heads"):
            # "their Collective Bargaining Agreement (CBA)": a document, no name, and neither is 'the CBA'
            items = [it for it in items if doc[it[0]:it[1]].text != doc[short].text]
            continue
        # "the Kenya Dock Workers Congress (DWC)": the letters spell the name after a place; the name the NER
        # read whole, ending where they end, is the one the acronym stands for
        wider = [s for s, e, lab, iri in items if s < start and e == end and not iri and lab == "ORG"]
        if wider:
            start = min(wider)
        if any((iri or lab in ("GPE", "LOC")) and s == start and e == end for s, e, lab, iri in items):
            pairs.append((start, end, short))  # known exactly, or a place: "New South Wales (NSW)"
            continue
        inside = range(start, end)
        if any(iri and (s in inside or e - 1 in inside) and not (start <= s and e <= end)
               for s, e, _, iri in items):
            continue  # overlaps a known name across its border: trust the knowledge base
        items = [it for it in items if not (it[0] < end and start < it[1]) and it[0] != short]
        items.append((start, end, "ORG", ""))
        pairs.append((start, end, short))
    return sorted(items), pairs


def _add_committee(doc: Doc, table: EntityTable, start: int, end: int, owner_i: int) -> None:
    owner_tok = doc[owner_i]
    m = table.tok2mention.get(owner_i)
    owner = m.name if m else None
    if owner is None and owner_tok.lower_ in table.lex.nominal_classes():
        owner = table.resolve_nominal(owner_tok.lower_, owner_i)
    if owner is None or table.entities[owner].cls not in ORGANIZATION_CLASSES - {"Committee"}:
        return
    name = f"{owner} Negotiating Committee"
    possessive = doc[start - 1].lower_ in POSSESSIVES
    if m is not None and not possessive:
        # "the WGA negotiating team": the owner's name is part of the committee's name.
        table.mentions.remove(m)
        start = m.start
    for other in [o for o in table.mentions if start <= o.start and o.end <= end and o.name != owner]:
        # "Negotiating Committee" as the NER found it is this committee, not one of its own
        table.drop_mention(other)
    table.add(start, end, doc[start:end].text, "Committee", name=name)
    ent = table.entities[name]
    ent.owner = owner
    first = m.start if m else owner_i
    ent.labels.add(doc[first:end].text if doc[first].lower_ not in ("the",) else doc[first + 1:end].text)
    for label in table.entities[owner].labels:
        if label.isupper() or len(label.split()) == 1:  # "WGA Negotiating Committee"
            ent.labels.add(f"{label} Negotiating Committee")
