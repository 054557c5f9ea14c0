"""Name spans the small NER cut in pieces or ran together, mended from the words around them: a span run across a
verb splits ('the Drivers Alliance met Transport Board'), and pieces join again across 'and' and commas ('the
Independent Municipal and Allied Trade Union', 'Chemical, Energy, ... and Allied Workers Union'), across the
connectors of other languages ('Confederação Nacional dos Trabalhadores'), and after a plural noun that says what
they are ('the unions SITRAGLAS and SITRAPBI'); the words before a company officer's title are a company's name
('Globex Media CEO X'). Spans are graph.extract.page_spans.Item tuples."""
from __future__ import annotations

from spacy.tokens import Doc

from graph.dates import is_weekday, month_names
from graph.extract.doccache import doc_lowers, doc_pos, doc_texts, doc_tokens
from graph.extract.entities import POSSESSIVES, name_cue_words
from graph.extract.lexicon import Lexicon
from graph.extract.page_spans import Item

_FINITE_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP"})


def split_at_verbs(doc: Doc, items: list[Item]) -> list[Item]:
    """'The Drivers Alliance met Transport Board': the small NER can run two names together across a verb; a
    lowercase finite verb is never part of a name, so the span splits there into the names on either side."""
    out: list[Item] = []
    for start, end, label, iri in items:
        cuts = [] if iri else [k for k in range(start + 1, end - 1)
                               if doc[k].tag_ in _FINITE_VERB_TAGS and doc[k].text.islower()]
        if not cuts:
            out.append((start, end, label, iri))
            continue
        for a, b in zip([start] + [k + 1 for k in cuts], cuts + [end], strict=True):
            if any(t.pos_ == "PROPN" for t in doc[a:b]):
                out.append((a, b, label, iri))
    return out


def coalitions_before_their_members(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'The United Aviation Unions APA, APLA, APTA and UPSA': a name ending in a plural class word, run by the NER
    into the first of the acronyms listed after it, ends at that word; the acronym is a name of its own."""
    plurals = lex.words("typing", "coalition_plurals")
    out: list[Item] = []
    for start, end, label, iri in items:
        cut = next((k for k in range(start + 1, end - 1) if doc[k].lower_ in plurals and doc[k].text[:1].isupper()
                    and all(t.is_upper and t.is_alpha for t in doc[k + 1:end])), None)
        if cut is None or iri:
            out.append((start, end, label, iri))
            continue
        out += [(start, cut + 1, label, ""), (cut + 1, end, "ORG", "")]
    return out


def join_split_names(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """Names the NER cut in two: 'Ministry of Employment' + 'and' + 'Labour Relations' (a name with 'of' going
    on after 'and' without an article), 'Polish' + 'Teachers' Union' (a nationality opening a name)."""
    items = sorted(items)
    out: list[Item] = []
    cues = name_cue_words(lex)
    for it in items:
        if out and (joined := _joined_across_a_list(doc, out, it, cues, lex)) is not None:
            # "the Independent Municipal and Allied Trade Union", "Chemical, Energy, Paper, Wood and Allied
            # Workers Union": a name the NER cut at the commas and 'and' of its own list of words
            while out and out[-1][0] >= joined[0]:
                out.pop()
            out.append(joined)
            continue
        start = _allied_trades_before(doc, it, out)
        if start is not None:
            while out and out[-1][0] >= start:
                out.pop()
            it = (start, it[1], it[2], "")  # "the Harbour and Allied Workers' Union": the trade the NER left out
        if out:
            prev = out[-1]
            gap = doc[prev[1]:it[0]]
            if len(gap) == 1 and gap[0].lower_ == "and" and not prev[3] and not it[3] \
                    and any(t.lower_ == "of" for t in doc[prev[0]:prev[1]]) and it[1] - it[0] <= 3 \
                    and all(t.text[:1].isupper() for t in doc[it[0]:it[1]]) and prev[2] == "ORG":
                out[-1] = (prev[0], it[1], "ORG", "")
                continue
            if len(gap) == 1 and gap[0].lower_ == "and" and not it[3] and it[1] - it[0] == 1 and prev[2] in (
                    "ORG", "Company") and {doc[it[0]].lower_, doc[it[0]].lower_ + "s"} & lex.words(
                        "typing", "company_suffixes") \
                    and doc[it[0]].text[:1].isupper():
                # "Penn Beer Sales and Service", "Harlow Parts and Supply": a company word alone is no name
                out[-1] = (prev[0], it[1], prev[2] if not prev[3] else "ORG", "")
                continue
            if prev[1] == it[0] and prev[3] and prev[2] == "Company" and it[2] == "ORG" and not it[3] \
                    and doc[prev[0]:it[1]].text.count(" ") < 8 and doc[it[1] - 1].text[:1].isupper() \
                    and set(doc_lowers(doc)[it[0]:it[1]]) & lex.words("typing", "union_words"):
                # "the Irish Rail Trade Union Group", "the Air Kestrel Pilots Union": a known company's name opens
                # the name of its workers' union, which is no mention of the company
                out[-1] = (prev[0], it[1], "ORG", "")
                continue
            acronym = it[1] - it[0] == 1 and doc[it[0]].is_upper  # "the French CGT union": no name's part
            if prev[1] == it[0] and it[2] == "ORG" and not it[3] and not acronym and (prev[2] == "NORP" or (
                    prev[2] == "ORG" and not prev[3] and prev[1] - prev[0] == 1
                    and doc[it[1] - 1].lower_ in lex.words("typing", "union_words"))):
                # the NER may also take the nationality for a name of its own ('Polish' ORG) right before it
                out[-1] = (prev[0], it[1], "ORG", "")
                continue
        out.append(it)
    return out


def _allied_trades_before(doc: Doc, it: Item, out: list[Item]) -> int | None:
    """Where a name opening with 'Allied' really starts: 'Harbour and' + 'Allied Workers' Union' ('X and Allied' is
    how unions of several trades are named); the capitalised words before 'and' that no other name holds."""
    if doc[it[0]].text != "Allied" or it[0] < 2 or doc[it[0] - 1].lower_ != "and":
        return None
    # one word for a trade, which the NER left out or took for a name of its own ('Harbour' NORP, 'Transport' ORG);
    # not a name of its own ('Kestrel Airlines and Allied Pilots Association' are two), nor a headline's words
    # ('Talks Between Airline and Allied Pilots Association Collapse')
    k = it[0] - 2
    if out and out[-1][1] == k + 1 and (out[-1][1] - out[-1][0] > 1 or out[-1][3] or doc[k].is_upper):
        return None
    word, before = doc[k], doc[k - 1] if k > 0 else None
    if not word.is_title or before is not None and (
            before.is_title and before.lower_ != "the" or before.is_upper and before.is_alpha):
        return None
    return k


ORG_LABELS = frozenset({"ORG", "LaborUnion", "EmployerAssociation", "Company", "GovernmentOrganization"})


def names_of_a_place(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'Tertiary Education Workers Union' + 'of' + 'Ghana': an organisation's name the NER stopped before 'of' and
    the place it is of (not 'the Harbor Union of Ghana's ports')."""
    cues = name_cue_words(lex)
    by_start = {s: (e, lab) for s, e, lab, _ in items}
    out: list[Item] = []
    skip = -1
    for s, e, label, iri in sorted(items):
        if s == skip:
            continue
        if label in ORG_LABELS and not iri and doc[e - 1].lower_ in cues and e + 1 < len(doc) and \
                doc[e].lower_ == "of" and (end := _place_at(doc, e + 1, by_start, lex)) is not None and not (
                    end < len(doc) and doc[end].lower_ in POSSESSIVES):
            out.append((s, end, label, ""))
            skip = e + 1
            continue
        out.append((s, e, label, iri))
    return out


def _place_at(doc: Doc, k: int, by_start: dict[int, tuple[int, str]], lex: Lexicon) -> int | None:
    """The end of the place named at token k: a place the NER found, or a country of the lexicon it left out."""
    found = by_start.get(k)
    if found is not None:
        return found[0] if found[1] in ("GPE", "LOC") else None
    return next((k + n for n in (3, 2, 1) if k + n <= len(doc) and doc[k:k + n].text in lex.countries()), None)


def acronyms_joined_by_hyphens(doc: Doc, items: list[Item]) -> list[Item]:
    """'FILT-CGIL', 'FIT-CISL unions': a name glued by a hyphen to an acronym before it is one name (a federation of
    the confederation after the hyphen), not the name after the hyphen, however well known that one is."""
    out: list[Item] = []
    texts = doc_texts(doc)
    own = {i for s, e, label, iri in items if iri or label in ("GPE", "LOC", "NORP") for i in range(s, e)}
    # an acronym also named alone is a name of its own ('the CWA said the CWA-IBEW deal ...')
    alone = {t for j, t in enumerate(texts) if j + 1 >= len(texts) or texts[j + 1] != "-"}
    for s, e, label, iri in sorted(items):
        k = s
        if label != "LaborUnion":  # 'UK-EU', 'BMA-NHS', 'CWA-AT&T': only a union's federation is named so
            out.append((s, e, label, iri))
            continue
        while k >= 2 and texts[k - 1] == "-" and not doc[k - 1].whitespace_ and not doc[k - 2].whitespace_ \
                and doc[k - 2].is_upper and doc[k - 2].is_alpha and len(doc[k - 2]) >= 2 and k - 2 not in own \
                and texts[k - 2] not in alone:
            k -= 2
        if k < s:
            out = [it for it in out if it[1] <= k]  # the NER's 'FIT' alone goes
            out.append((k, e, label, ""))
        else:
            out.append((s, e, label, iri))
    return out


def _joined_across_a_list(doc: Doc, out: list[Item], it: Item, cues: frozenset[str], lex: Lexicon
                          ) -> Item | None:
    """The one name spans cut at 'and' and commas make, when the last span ends in a word that names an
    organisation and the words before it, back to an organisation span with no such word, are capitalised
    words, commas and one 'and' right before it."""
    start, end, label, iri = it
    if iri or label != "ORG" or doc[end - 1].lower_ not in cues or start < 2:
        return None
    k = start - 1
    if doc[k].lower_ != "and":
        k = start  # "The Independent Municipal and" (the NER took the 'and') + "Allied Trade Union"
        prev = out[-1]
        if prev[1] != start or doc[prev[1] - 1].lower_ != "and" or prev[3]:
            return None
        first = prev[0] + (doc[prev[0]].lower_ == "the")
        return (first, end, "ORG", "") if not {t.lower_ for t in doc[first:prev[1]]} & cues else None
    k -= 1
    while k >= 0 and (doc[k].text == "," or doc[k].text[:1].isupper() and doc[k].is_alpha) \
            and doc[k].lower_ != "the" and start - k <= 12:
        k -= 1
    first = k + 1
    while first < start and not doc[first].text[:1].isupper():
        first += 1
    inside = [(s, lab, i) for s, e, lab, i in out if first <= s < start]
    if first >= start - 1 or doc[start - 2].lower_ in cues or any(i or lab != "ORG" for _, lab, i in inside):
        return None  # "Ford, GM and the UAW": names of their own, listed
    if not any(s == first for s, _, _ in inside):
        return None  # the NER saw the first words as a name too
    if any(t.lower_ in lex.words("titles", "leader") for t in doc[first:start]):
        return None  # "PIA Chairman and Secretary Aviation, X": titles, not a list of a name's words
    covered = {k for s, e, _, _ in out if first <= s < start for k in range(s, e)}
    if all(k in covered for k in range(first, start - 1) if doc[k].text[:1].isupper()) and \
            doc[start].lower_ not in lex.words("typing", "name_continuations"):
        return None  # "Acme, Bolt and X Union": names the NER found, listed ("... and Allied Workers" goes on)
    return (first, end, "ORG", "")


def names_over_foreign_connectors(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'Confederação Nacional dos Trabalhadores do Ramo Financeiro': the small NER stops an organisation's name at
    the connectors of other languages; a name goes on over 'dos', 'do', 'de la' ... and the capitalised words after
    them (taking in any span the NER made of those words)."""
    connectors = lex.words("typing", "name_connectors")
    inner = connectors | lex.words("typing", "name_inner_connectors")
    toks = doc_tokens(doc)
    out: list[Item] = []
    absorbed_to = -1
    for start, end, label, iri in sorted(items):
        if start < absorbed_to:
            continue
        if label in ("ORG", "GPE", "LOC") and not iri:  # and places: 'São Bernardo do Campo'
            k, trailing = end, -1
            if end - start > 1 and toks[end - 1].text.islower() and toks[end - 1].lower_ in inner:
                # "The Nurses Guild of" + "Ostra": the NER stopped right after the connector itself; the name goes
                # on over the capitalised words after it, or, with none, ends before the connector
                k = end = trailing = end - 1
            while k + 1 < len(doc) and (toks[k].lower_ in connectors or k == trailing) and toks[k].text.islower() \
                    and not is_weekday(toks[k + 1].text) and toks[k + 1].lower_ not in month_names():
                # (not 'Nurses in Ontario do Saturday shifts')
                j = k + 1
                while j < len(doc) and toks[j].lower_ in connectors and toks[j].text.islower():
                    j += 1  # "de la"
                if j >= len(doc) or not (toks[j].text[:1].isupper() and toks[j].is_alpha):
                    break
                while j < len(doc) and toks[j].text[:1].isupper() and toks[j].is_alpha:
                    j += 1
                end = k = j
            absorbed_to = end
        out.append((start, end, label, iri))
    return out


def names_listed_after_a_plural_noun(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'the unions SITRAIBANA and SITRAPBI signed': names listed right after a plural noun that says what they
    are, which the NER missed or took for people, are organisations."""
    plurals = lex.derived("plural naming nouns", lambda: lex.with_plurals(lex.words("typing", "naming_nouns"))
                          - lex.words("typing", "naming_nouns"))
    lowers, pos, toks = doc_lowers(doc), doc_pos(doc), doc_tokens(doc)
    starts = {s: (e, lab, iri) for s, e, lab, iri in items}
    taken = {i for s, e, _, _ in items for i in range(s, e)}
    out = dict(starts)
    def name_like(k: int) -> bool:  # the tagger may call an acronym a common noun
        return (pos[k] == "PROPN" or k in starts or toks[k].is_upper and toks[k].is_alpha and len(toks[k]) > 1) \
            and toks[k].text[:1].isupper()

    for i in range(1, len(doc) - 1):
        if lowers[i] not in plurals or pos[i] != "NOUN" or not name_like(i + 1):
            continue
        k = i + 1
        while k < len(doc) and name_like(k):
            end, lab, iri = starts.get(k, (k + 1, "", ""))
            if k not in starts and k in taken:
                break  # inside a longer name
            if not iri and (k not in starts or lab == "PERSON" and end - k == 1):
                out[k] = (end, "ORG", "")
            k = end
            if k + 1 < len(doc) and lowers[k] in (",", "and") and name_like(k + 1):
                k += 1
            elif k + 2 < len(doc) and lowers[k] == "," and lowers[k + 1] == "and":
                k += 2
            else:
                break
    return sorted((s, e, lab, iri) for s, (e, lab, iri) in out.items())


def names_listed_before_a_plural_noun(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'members of the SAFE and Industri Energi trade unions': two or more names listed right before a plural noun
    that says what they are (past its modifiers, 'trade'), which the NER missed or took for people, are
    organisations."""
    plurals = lex.derived("plural naming nouns", lambda: lex.with_plurals(lex.words("typing", "naming_nouns"))
                          - lex.words("typing", "naming_nouns"))
    modifiers = lex.union(("typing", "union_modifiers"), ("typing", "employer_modifiers"))
    demonyms = lex.data["demonyms"]
    lowers, toks = doc_lowers(doc), doc_tokens(doc)
    ends = {e: (s, lab, iri) for s, e, lab, iri in items}
    taken = {i for s, e, _, _ in items for i in range(s, e)}
    found: dict[int, Item] = {}
    for i in range(2, len(doc)):
        if lowers[i] not in plurals or toks[i].pos_ != "NOUN":
            continue
        k = i
        while k > 0 and lowers[k - 1] in modifiers:
            k -= 1  # "trade unions"
        names: list[Item] = []
        lifted = False  # whether the last name listed was a 'place' taken for an organisation
        while k > 0:
            s, lab, iri = ends.get(k, (k, "", ""))
            if s == k:  # no span ends here: a run of capitalised words the NER left out
                while s > 0 and s - 1 not in taken and toks[s - 1].text[:1].isupper() and toks[s - 1].is_alpha \
                        and toks[s - 1].pos_ in ("PROPN", "NOUN") and k - s < 4:
                    s -= 1
            acronym = all(t.is_upper and t.is_alpha for t in toks[s:k])  # "the SAFO and X unions": no place
            # "the FILT-CGIL, FIT-CISL and Uiltrasporti unions": a 'place' listed last after organisations is one too
            after_orgs = not names and lab in ("GPE", "LOC") and lowers[s - 1] in ("and", ",") and \
                doc[s:k].text not in lex.countries() and \
                _org_ending_at(ends, s - 1 - (lowers[s - 2] == "," and lowers[s - 1] == "and"))
            if s == k or s < 2 or toks[s].is_sent_start or lab == "DATE" or lab in ("GPE", "LOC", "NORP") and not \
                    (acronym or after_orgs) or any(t.ent_type_ == "DATE" or t.lower_ in demonyms for t in toks[s:k]):
                break  # "the Canadian and American unions", "Ontario and Quebec unions", "On Monday, ..."
            lifted = lifted or after_orgs
            names.insert(0, (s, k, lab, iri))
            if lowers[s - 1] != "and":
                break
            k = s - 1 - (lowers[s - 2] == ",")
        if lifted and (names[0][0] < 2 or lowers[names[0][0] - 1] != ","):
            # only the last of a list of three or more ('A, B and C unions'); after one organisation ('the CGT and
            # Normandy unions') it stays a place
            names = names[:-1]
        if len(names) >= 2:
            for n, (s, e, lab, iri) in enumerate(names):
                if not iri and (lab in ("", "PERSON") or lab in ("GPE", "LOC", "NORP") and (
                        toks[s].is_upper or n == len(names) - 1)):
                    found[s] = (s, e, "ORG", "")
    out = [it for it in items if not any(f[0] <= it[0] < f[1] for f in found.values())]
    return sorted(out + list(found.values()))


def _org_ending_at(ends: dict[int, tuple[int, str, str]], end: int) -> bool:
    """Whether a name that is no place ends at token `end`."""
    found = ends.get(end)
    return found is not None and (bool(found[2]) or found[1] not in ("GPE", "LOC", "NORP", "PERSON", "DATE", ""))


def places_listed_after_a_place_noun(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'eight of its main airports (Barcelona, Palma de Mallorca, Malaga, Gran Canaria and Bilbao)', 'in three
    cities: A, B and C': names listed in brackets or after a colon right after a plural noun for places are places,
    whatever the NER took them for."""
    nouns = lex.words("typing", "place_list_nouns")
    lowers = doc_lowers(doc)
    starts = {s: k for k, (s, _, _, _) in enumerate(items)}
    out = list(items)
    for i in (i for i, w in enumerate(lowers[:-2]) if w in nouns and lowers[i + 1] in ("(", ":")):
        k = i + 2
        while k in starts:
            s, e, lab, iri = out[starts[k]]
            if not iri and lab in ("PERSON", "ORG"):
                out[starts[k]] = (s, e, "GPE", iri)
            k = e
            while k < len(doc) and lowers[k] in (",", "and"):
                k += 1
    return out


def companies_before_an_officer_title(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'Globex Media CEO Martin Hale', 'Streamflix co-CEO Dana Pratt': the capitalised words right before a
    company officer's title and a person's name are the company's name when the NER missed it or kept a piece of
    it; a name the NER found ending at the title stays as it is ('Bank of Montreal CEO X')."""
    toks, lowers = doc_tokens(doc), doc_lowers(doc)
    people = {s for s, _, lab, _ in items if lab == "PERSON"}
    titles = lex.derived("officer_title_tokens", lambda: tuple(
        tuple(w for part in title.split() for w in part.replace("-", " - ").split())
        for title in lex.words("titles", "company_officer")))
    vocab = lex.split_words(("titles", "leader"), ("titles", "not_leader"), ("titles", "joiners"))
    openers = {t[0] for t in titles}
    out = list(items)
    for k in range(1, len(doc)):
        if lowers[k] not in openers or not any(
                tuple(lowers[k:k + len(t)]) == t and k + len(t) in people for t in titles):
            continue
        first = k
        while first > 0 and k - first < 4 and toks[first - 1].pos_ == "PROPN" and toks[first - 1].is_alpha \
                and toks[first - 1].text[:1].isupper() and lowers[first - 1] not in vocab:
            first -= 1
        if first == k or any(iri and s < k and e > first or e == k and s <= first for s, e, _, iri in out):
            continue  # no name before the title, one the knowledge base knows, or one the NER found ending there
            # (whole or longer: its class is then read from the title by graph.extract.retype)
        out = [it for it in out if not (it[0] < k and it[1] > first)] + [(first, k, "Company", "")]
    return sorted(out)
