"""Repairs of candidate name spans before they become entities: what the small NER and the knowledge-base ruler
get wrong in the same ways on most news.

- Numbered branches are one name with the union before them: "SEIU Local 73", "IAM District 751", "AFSCME
  District Council 33", "OPEIU Local 29", "Machinists Local S6", "SEIU 121RN" (the NER stops at the number, the
  ruler takes only the known acronym).
- A known company followed by a region or unit is another company: "AT&T Southeast", "Mount Sinai West".
- People by the titles around them, and title words that are no part of their names ("COO Jeff McElfresh" is
  Jeff McElfresh): graph.extract.person_spans.
- Words that are never names of ours ("AI", "COVID-19", time zones, awards) are dropped.
- A headline in Title Case makes the NER see names in every capitalised run ("Hollywood Actors Join Writers on
  Picket Lines"): a span found only in such a line is kept when the knowledge base knows it or the body names it.
  Datelines and headlines are read in graph.extract.page_spans, labels the words around a span overrule in
  graph.extract.span_labels.

Spans are (start, end, label, kb iri or '') tuples, as graph.extract.entities makes them.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from graph.extract.doccache import doc_lowers, doc_pos, doc_text, doc_tokens, tokens_with
from graph.extract.governments import government_spans
from graph.extract.lexicon import Lexicon
from graph.extract.page_spans import Item, dateline_outlets, headline_only
from graph.extract.person_spans import (
    people_after_a_title,
    people_after_a_title_and_comma,
    people_before_a_title_apposition,
    people_named_with_and,
    person_titles,
)
from graph.extract.span_joins import (
    acronyms_joined_by_hyphens,
    coalitions_before_their_members,
    companies_before_an_officer_title,
    join_split_names,
    names_listed_after_a_plural_noun,
    names_listed_before_a_plural_noun,
    names_of_a_place,
    names_over_foreign_connectors,
    places_listed_after_a_place_noun,
    split_at_verbs,
)
from graph.extract.span_labels import (
    first_names_read_as_nationalities,
    is_not_name,
    places_listed_with_places,
    relabel,
    title_vocabulary,
)

# Labels of organisations as the knowledge-base ruler gives them
ENTITY_LABELS = frozenset({"LaborUnion", "EmployerAssociation", "Company", "GovernmentOrganization", "MediaOutlet",
                           "Committee"})
_HAS_DIGIT = re.compile(r"\d")
_CODE = re.compile(r"^(?=.*\d)(?=.*[A-Z])[A-Z0-9]{2,8}$")  # "121RN", "S6"
_NUMBER_SIGNS = frozenset({"no.", "no", "nº", "n°"})  # "Mining Union No. 1"


def repair_spans(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    items = [it for it in items if not is_not_name(doc, it, lex)]
    items = split_at_verbs(doc, items)
    items = relabel(doc, items, lex)
    items = first_names_read_as_nationalities(doc, items, lex)
    items = places_listed_with_places(doc, items)
    items = people_after_a_title(doc, items, lex)
    items = people_after_a_title_and_comma(doc, items, lex)
    items = people_before_a_title_apposition(doc, items, lex)
    items = people_named_with_and(doc, items, lex)
    items = person_titles(doc, items, lex)
    items = _trailing_titles(doc, items, lex)
    items = _minister_of_names(doc, items, lex)
    items = companies_before_an_officer_title(doc, items, lex)
    items = _missed_names(doc, items, lex)
    items = acronyms_joined_by_hyphens(doc, items)
    items = names_listed_after_a_plural_noun(doc, items, lex)
    items = names_listed_before_a_plural_noun(doc, items, lex)
    items = places_listed_after_a_place_noun(doc, items, lex)
    items = _join_branches(doc, items, lex)
    items = join_split_names(doc, items, lex)
    items = coalitions_before_their_members(doc, items, lex)
    items = names_of_a_place(doc, items, lex)  # after the joins: 'A of Ghana and B' is no name of 'of' and 'and'
    items = names_over_foreign_connectors(doc, items, lex)
    items = dateline_outlets(doc, items)
    items = _known_company_units(doc, items, lex)
    items = government_spans(doc, items, lex)
    return headline_only(doc, items, lex)



def _missed_names(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """Names the NER left out: a run of capitalised proper nouns ending in a word that names an organisation
    ('Blackridge Coal', 'Epic Games', 'Ferry Crews Union'), and an acronym listed beside a name ('the TWU, the
    PNA and the GCU')."""
    toks = doc_tokens(doc)
    lowers, pos = doc_lowers(doc), doc_pos(doc)
    taken = {i for s, e, _, _ in items for i in range(s, e)}
    cues = lex.union(("typing", "company_suffixes"), ("typing", "union_words"),
                     ("typing", "employer_association_words"), ("typing", "government_words"),
                     ("typing", "company_name_ends_before_union"))
    found: list[Item] = []
    i = 0
    while i < len(doc):
        j = i
        while j < len(doc) and j not in taken and pos[j] == "PROPN" and toks[j].text[:1].isupper() \
                and toks[j].is_alpha:
            j += 1
        if j - i >= 2 and lowers[j - 1] in cues and not toks[i].is_sent_start \
                and not is_not_name(doc, (i, j, "ORG", ""), lex) and not (  # not "Labour Secretary Ana Keel"
                    lowers[j - 1] in lex.words("titles", "ministerial") and j < len(doc)
                    and pos[j] == "PROPN"):  # "Health Secretary Steve Barclay"
            found.append((i, j, "ORG", ""))
        i = max(j, i + 1)
    # "Milwaukee Public Schools": the place right before opens the organisation's name
    places = {e: s for s, e, lab, iri in items if lab == "GPE" and not iri and e - s <= 3}
    for n, (a, b, _, _) in enumerate(found):
        if a in places:
            items = [it for it in items if it[:2] != (places[a], a)]
            found[n] = (places[a], b, "ORG", "")
    naming = lex.words("typing", "naming_nouns")
    # "the country's top grocer Valemart", "freight transport body Haulage North": a one-word 'person' or a
    # 'place' right after such a noun is an organisation
    items = [(s, e, "ORG" if (lab == "PERSON" and e - s == 1 or lab in ("GPE", "LOC")) and s > 0 and not iri
              and lowers[s - 1] in naming and pos[s - 1] == "NOUN" else lab, iri) for s, e, lab, iri in items]
    titles = title_vocabulary(lex)
    for i in range(1, len(doc)):
        # "the shipping giant Maersk", "the union Unite": a name right after a noun that says what it is (not
        # "union President X": a title)
        if lowers[i - 1] in naming and pos[i - 1] == "NOUN" and pos[i] == "PROPN" and lowers[i] not in titles \
                and toks[i].text[:1].isupper() and i not in taken and not any(s <= i < e for s, e, _, _ in found):
            tok = toks[i]
            j = tok.i
            while j < len(doc) and pos[j] == "PROPN" and toks[j].text[:1].isupper() and j not in taken:
                j += 1
            found.append((tok.i, j, "ORG", ""))
    # "Geir Karlsen, CEO of Norwegian": a nationality after a leader's title and 'of' is an organisation's name
    leaders = lex.words("titles", "leader")
    # (not "the CEO of Japanese carmaker X": there the nationality modifies what follows)
    items = [(s, e, "ORG" if lab == "NORP" and not iri and s > 1 and lowers[s - 1] == "of" and lowers[s - 2] in leaders
              and (e == len(doc) or pos[e] not in ("NOUN", "PROPN", "ADJ")) else lab, iri) for s, e, lab, iri in items]
    taken2 = {i for s, e, _, _ in items + found for i in range(s, e)}
    for s, e, lab, _ in items:
        # "the new boss of the CGT Sophie Binet": two or three proper nouns after 'TITLE of ORG' are a person
        k = s - 1 - (s > 1 and lowers[s - 1] == "the")
        if lab in ("ORG", "LaborUnion") or lab in ENTITY_LABELS:
            if k > 0 and lowers[k] == "of" and lowers[k - 1] in titles:
                j = e
                while j < len(doc) and j - e < 3 and pos[j] == "PROPN" and toks[j].text[:1].isupper() \
                        and j not in taken2:
                    j += 1
                if 2 <= j - e <= 3:
                    found.append((e, j, "PERSON", ""))
    listed = {i for s, e, _, _ in items + found for i in range(s, e)}
    nominals = lex.nominal_classes()
    not_names = lex.words("typing", "not_names")
    for tok in doc_tokens(doc)[2:-1]:
        # "the oil workers' federation (FUP)": an acronym in brackets after the noun that says what it is
        if tok.i not in listed and toks[tok.i - 1].text == "(" and toks[tok.i + 1].text == ")" and tok.is_upper \
                and 2 <= len(tok.text.replace("-", "")) <= 8 and (nominals.get(toks[tok.i - 2].lower_) or nominals.get(
                    toks[tok.i - 2].lemma_.lower())) and tok.lower_ not in not_names:
            found.append((tok.i, tok.i + 1, "ORG", ""))
            listed.add(tok.i)
    leaders = lex.words("titles", "leader")
    modifiers = lex.words("typing", "union_modifiers")
    for tok in doc_tokens(doc)[:-1]:
        # "the FTVX union", "the CGTP federation", "their SPF labour union": an acronym right before the noun that
        # says what it is
        k = tok.i + 1
        if k + 1 < len(doc) and lowers[k] in modifiers and pos[k + 1] == "NOUN":
            k += 1
        if pos[k] != "NOUN" and not (pos[k] == "PROPN" and lowers[k] in leaders):  # "PAL President X"
            continue
        nxt = toks[k]
        if tok.i not in listed and tok.is_alpha and tok.is_upper and 2 <= len(tok) <= 8 and tok.lower_ not in titles \
                and (nominals.get(nxt.lower_) or nominals.get(nxt.lemma_.lower()) or nxt.lower_ in leaders) \
                and tok.lower_ not in not_names:  # and "FSLI president X": one before a leader's title
            found.append((tok.i, tok.i + 1, "ORG", ""))
            listed.add(tok.i)
    for i in range(2, len(doc) - 2):
        # "The CGT's Laurent Brun said": two or three proper nouns after a name's possessive are a person
        if lowers[i] in ("'s", "’s") and i - 1 in listed and i + 1 not in listed and pos[i + 1] == "PROPN":
            j = i + 1
            while j < len(doc) and j - i <= 3 and pos[j] == "PROPN" and toks[j].text[:1].isupper() \
                    and j not in listed and lowers[j] not in titles and lowers[j] not in cues:
                j += 1
            if 2 <= j - i - 1 <= 3 and j < len(doc) and (pos[j] in ("VERB", "AUX") or toks[j].text == ","):
                found.append((i + 1, j, "PERSON", ""))  # who then speaks or acts: not "X's Rapid Response Mechanism."
                listed.update(range(i + 1, j))
    for tok in doc_tokens(doc):
        if pos[tok.i] != "PROPN" or tok.i in listed or not (tok.is_alpha and tok.is_upper and 2 <= len(tok) <= 6) \
                or tok.lower_ in not_names or tok.lower_ in titles:
            continue
        kin = [tok.head] + [c for c in tok.children if c.dep_ in ("conj", "appos")]
        if tok.dep_ in ("conj", "appos") and any(k.i in listed for k in kin):
            found.append((tok.i, tok.i + 1, "ORG", ""))
        elif tok.dep_ == "compound" and (cls := nominals.get(tok.head.lemma_.lower())) in ENTITY_LABELS and \
                tok.head.i > tok.i and all(t.pos_ in ("ADJ", "NOUN") for t in doc[tok.i + 1:tok.head.i]):
            found.append((tok.i, tok.i + 1, cls, ""))  # "the AMYTS medical union": the acronym names the union
            listed.add(tok.i)
    return sorted(items + found)


def _trailing_titles(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'CWU General Secretary', 'Acme Corp CEO': a title after an organisation's name is not part of it."""
    titles = title_vocabulary(lex)
    out = []
    people = {s for s, _, lab, _ in items if lab == "PERSON"}
    for start, end, label, iri in items:
        if label == "PERSON" and not iri and end - start >= 2 and end in people \
                and doc[end - 1].lower_ in lex.words("titles", "leader"):
            # "Verdi boss" + "Frank Werneke": a name, a leader's title, then the leader; the name is whose
            label, end = "ORG", end - 1
        elif label == "PERSON" and not iri and end - start == 1 and end + 1 in people \
                and doc[end].lower_ in lex.words("titles", "leader"):
            label = "ORG"  # "Dorma" + "boss" + "Frank Werneke"
        if label == "ORG" and not iri:
            e = end
            while e - start > 1 and doc[e - 1].lower_ in titles:
                e -= 1
            if e < end and any(doc[k].lower_ in lex.words("titles", "leader") or " ".join(
                    t.lower_ for t in doc[k:end]) in lex.words("titles", "leader") for k in range(e, end)):
                end = e
            elif end - start > 1 and doc[end - 1].lower_ in lex.words("titles", "joiners") and end < len(doc) \
                    and doc[end].lower_ in titles and doc[end].text[:1].isupper():
                end -= 1  # "NAS National Manager": the NER left the title's first word on the name
        out.append((start, end, label, iri))
    return out


def _minister_of_names(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'Minister of Education Jan Holt': the NER's 'Education Jan Holt' is a field and a person's name."""
    ministerial = lex.words("titles", "ministerial")
    out = []
    for start, end, label, iri in items:
        if not iri and end - start >= 3 and start >= 2 and doc[start - 1].lower_ == "of" \
                and doc[start - 2].lower_ in ministerial and all(t.pos_ == "PROPN" for t in doc[end - 2:end]):
            out.append((end - 2, end, "PERSON", ""))
            continue
        out.append((start, end, label, iri))
    return out


def _branch_end(doc: Doc, i: int, lex: Lexicon, lower: bool = False) -> int | None:
    """The end of a numbered branch phrase starting at token i ('Local 73', 'District Council 33', 'No. 1'; with
    `lower`, right after a union's name, also 'local 401'), else None."""
    toks = doc_tokens(doc)
    words = lex.words("typing", "union_branch_words")
    if toks[i].lower_ in _NUMBER_SIGNS and toks[i].text[:1].isupper() and i > 0 \
            and toks[i - 1].lower_ in lex.words("typing", "union_words"):
        k = i + 1 + (i + 1 < len(doc) and toks[i + 1].text == ".")  # "No" "." "1" as the tokenizer splits it
        if k < len(doc) and toks[k].like_num:
            return k + 1  # "Escondida Mining Union No. 1"
    j = i
    while j < len(doc) and j - i < 2 and toks[j].lower_ in words and (toks[j].text[:1].isupper() or lower):
        j += 1
    if j > i and j < len(doc) and (toks[j].like_num or _CODE.match(toks[j].text)) and _HAS_DIGIT.search(toks[j].text):
        return j + 1
    return None


def _is_union_word(tok: Token) -> bool:
    """An acronym or capitalised word that can open a branch's name ('OPEIU', 'Teamsters', 'Machinists')."""
    return tok.is_alpha and (tok.is_upper and len(tok) >= 2 or tok.text[:1].isupper() and tok.pos_ == "PROPN") \
        and not tok.is_sent_start


def _join_branches(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    if not _HAS_DIGIT.search(doc_text(doc)):
        return items
    by_end = {it[1]: it for it in items}
    joined: list[tuple[int, int]] = []
    # A branch phrase opens with a branch word or "No."; only those tokens need _branch_end's look
    openers = lex.derived("branch_openers", lambda: lex.words("typing", "union_branch_words") | _NUMBER_SIGNS)
    lowers = doc_lowers(doc)
    toks = doc_tokens(doc)
    # only a branch word, or the token right after a name, can open a branch
    for i in sorted({t.i for t in tokens_with(doc, openers)} | {e for e in by_end if e < len(doc)}):
        tok = toks[i]
        # "UFCW local 401": a branch word in lower case right after a union's name
        prev = by_end.get(i)
        lower = prev is not None and (prev[2] == "LaborUnion" or prev[2] == "ORG" and doc[prev[0]:i].text.isupper())
        end = _branch_end(doc, i, lex, lower=lower) if lowers[i] in openers else None
        if end is None and i > 0 and prev and prev[2] == "LaborUnion" and _CODE.match(tok.text):
            end = i + 1  # "SEIU 121RN"
        if end is None:
            continue
        start = i
        touching = [it[0] for it in items if it[0] < i < it[1] or it[1] == i]
        if touching:
            start = min(touching)  # "ILA" + "Local 333", the NER's "Rivermouth Hotel Workers Local" + "19"
        else:
            while start > 0 and i - start < 4 and _is_union_word(doc[start - 1]):
                start -= 1  # "OPEIU Local 29"
        if start < i or any(it[0] == i and it[1] >= end - 1 for it in items):
            joined.append((start, end))
    if not joined:
        return items
    kept = [it for it in items if not any(s < it[1] and it[0] < e for s, e in joined)]
    return sorted(kept + [(s, e, "LaborUnion", "") for s, e in joined])


def _known_company_units(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'AT&T Southeast', 'Mount Sinai West': a region or unit word after a known company names another one."""
    units = lex.words("typing", "unit_suffixes")
    out = []
    for start, end, label, iri in items:
        if iri and label == "Company" and end < len(doc) and doc[end].lower_ in units \
                and doc[end].text[:1].isupper() and doc[end].ent_type_ not in ("DATE", "TIME"):
            out.append((start, end + 1, "ORG", ""))
            continue
        out.append((start, end, label, iri))
    return out
