"""Labels of candidate name spans that the words around them overrule, before the spans become entities.

The small NER's label is a first guess: a title or a preposition before a name, the neighbours in a list and the
shape of a word say better whether it is a person, a place or an organisation ('the Groningen town of Onnen',
'Mr Barclay', 'Özkan Aydın, President of X', 'Upper Vela, Marrow Bay, Sultan Kemal and the Delta Region'),
and some spans are no names at all ('AI', 'National Executive Director', 'the Master Contract').
Spans are (start, end, label, kb iri or '') tuples (graph.extract.page_spans.Item).
"""
from __future__ import annotations

from spacy.tokens import Doc

from graph.dates import month_names
from graph.extract.doccache import doc_lowers, doc_texts, doc_tokens
from graph.extract.entities import name_cue_words
from graph.extract.lexicon import Lexicon
from graph.extract.page_spans import Item


def relabel(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """Labels the words around a name overrule: 'the Groningen town of Onnen' is a place, an upper-case
    acronym such as 'VVMC' is no person's name, 'Mr Barclay' is one, and the 'Health' of 'Health Secretary X'
    is the field of a title, no organisation (the department it stands for is found by the title's rule)."""
    places = lex.words("typing", "place_nouns")
    honorifics = lex.words("titles", "personal_honorifics")
    # whole one-word titles ("president", "chairpersons"), not the words of longer ones ("national", "general")
    titles = lex.derived("one_word_leader_titles", lambda: lex.with_plurals(frozenset(
        w for w in lex.words("titles", "leader") if " " not in w)))
    ministerial = lex.words("titles", "ministerial")
    out = []
    for start, end, label, iri in items:
        if not iri and label != "PERSON" and doc[start].lower_ in honorifics and end - start > 1:
            label = "PERSON"
        elif not iri and label == "ORG" and end - start == 1 and not doc[start].is_upper and end + 1 < len(doc) \
                and doc[end].lower_ in ministerial and doc[end + 1].pos_ == "PROPN":
            continue
        elif not iri and label == "PERSON" and start > 0 and doc[start - 1].lower_ in lex.words(
                "typing", "place_prepositions") and not (end < len(doc) and doc[end].lower_ in ("'s", "’s")):
            label = "GPE"  # "a march near Valluvar Kottam": no one is near a person in the news
        elif not iri and label in ("GPE", "LOC") and end - start > 1 and doc[end - 1].text in places:
            end -= 1  # "Gauteng province", "Chennai city": the lower-case noun is no part of the name
        elif not iri and start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].text in places:
            label = "GPE"  # lower case: "the City of Philadelphia" is a government, "the city of Onnen" a place
        elif not iri and label == "PERSON" and end - start == 1 and doc[start].is_alpha and doc[start].is_upper \
                and 2 <= len(doc[start]) <= 6:
            label = "ORG"
        elif not iri and label == "ORG" and 3 <= end - start <= 4 and doc[start].lower_ in titles \
                and all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha for t in doc[start + 1:end]):
            label = "PERSON"  # "Chairpersons Aino Virta of ...": a title and a name (the title goes below)
        elif not iri and label == "ORG" and 2 <= end - start <= 3 and start > 0 and doc[start - 1].lower_ in \
                lex.words("quotes", "spokes_nouns") and all(t.pos_ == "PROPN" and t.is_title for t in doc[start:end]):
            label = "PERSON"  # "Eskom spokesperson Khulu Phasiwe said": whoever a spokesperson's title names
        elif not iri and label == "ORG" and 2 <= end - start <= 3 and start > 3 and doc[start - 1].text == "," \
                and all(t.pos_ == "PROPN" and t.is_title for t in doc[start:end]) \
                and not {t.lower_ for t in doc[start:end]} & name_cue_words(lex) \
                and any(doc[k].lower_ == "of" and doc[k - 1].lower_ in titles
                        for k in range(max(1, start - 10), start)):
            label = "PERSON"  # "The leader of the Spiru Haret Federation, Marius Nistor, said"
        elif not iri and label == "ORG" and end - start >= 2 and doc[start].lower_ in lex.data["demonyms"] \
                and doc[start + 1].is_alpha and doc[start + 1].is_upper and 2 <= len(doc[start + 1]) <= 8:
            start += 1  # "Finnish AKT Chair": a nationality before an acronym is no part of the name
        out.append((start, end, label, iri))
    return out


def first_names_read_as_nationalities(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'Özkan Aydın, President of X': the small NER reads an unfamiliar first name as a nationality (NORP) and the
    surname as an organisation or nothing. A NORP word the parser made a proper noun compounded into the next
    capitalised word (a nationality adjective modifies; 'Turkish Airlines' has the name's own head word) starts a
    person's name with the proper nouns that follow."""
    toks = doc_tokens(doc)
    cues = name_cue_words(lex)
    by_start = {it[0]: it for it in items}
    out, skip = [], set()
    for start, end, label, iri in items:
        if (start, end) in skip:
            continue
        nxt = end
        if label == "NORP" and not iri and end - start == 1 and toks[start].pos_ == "PROPN" \
                and toks[start].dep_ == "compound" and nxt < len(doc) and toks[start].head.i >= nxt \
                and toks[nxt].pos_ == "PROPN" and toks[nxt].text[:1].isupper() and toks[nxt].is_alpha:
            follow = by_start.get(nxt)
            stop = follow[1] if follow is not None and not follow[3] else nxt + 1
            if (follow is None or not follow[3]) and stop - start <= 3 and toks[start].head.i < stop \
                    and not any(t.lower_ in cues for t in toks[start:stop]):
                if follow is not None:
                    skip.add((follow[0], follow[1]))
                out.append((start, stop, "PERSON", ""))
                continue
        out.append((start, end, label, iri))
    return out


def places_listed_with_places(doc: Doc, items: list[Item]) -> list[Item]:
    """'members in Upper Vela, Marrow Bay, Sultan Kemal, and the Delta Region': a name the small NER took
    for a person, listed among places and no person, is a place."""
    texts = doc_texts(doc)
    by_start = {it[0]: k for k, it in enumerate(items)}
    by_end = {it[1]: k for k, it in enumerate(items)}

    def neighbour(k: int, step: int) -> int | None:
        """The item listed right before (step -1) or after (step 1) item k: 'A, B', 'A and B', 'A, and the B'."""
        i = items[k][0] - 1 if step < 0 else items[k][1]
        seps = 0
        while 0 <= i < len(doc) and texts[i] in (",", "and", "the") and seps < 3:
            i += step
            seps += 1
        if not seps:
            return None
        return by_end.get(i + 1) if step < 0 else by_start.get(i)

    out = list(items)
    for k, (start, end, label, iri) in enumerate(items):
        if label != "PERSON" or iri:
            continue
        labels: list[str] = []
        for step in (-1, 1):
            j = neighbour(k, step)
            while j is not None and len(labels) < 4:
                labels.append(items[j][2])
                j = neighbour(j, step)
        places = sum(lab in ("GPE", "LOC") for lab in labels)
        if places >= 2 and places > labels.count("PERSON"):  # most of the list is places
            out[k] = (start, end, "GPE", iri)
    return out


def is_not_name(doc: Doc, item: Item, lex: Lexicon) -> bool:
    """'AI', 'PT', runs of title words ('National Executive Director'), documents ('Terms of Settlement') and sums
    of money ('P15', 'NIS 10,500') are no names."""
    start, end, _, iri = item
    titles = title_vocabulary(lex)
    words = doc_lowers(doc)[start:end]
    text = doc[start:end].text
    return not iri and (text.lower() in lex.words("typing", "not_names") or _glued_date(doc, start, end)
                        or _is_money(doc, start, end, lex)
                        # "the Association", "the Union": a class word alone is no name (the nominal is resolved)
                        or end - start == 1 and words[0] in lex.nominal_classes()
                        or text.count("(") != text.count(")")  # "(It)has": a bracket torn by the tokenizer
                        # (but 'First Union' is a union: a title word before an organisation's head, not one
                        # that opens titles of a level or rank, 'Senior Union officials', 'International Union
                        # President X', nor a union word before a title or a role)
                        or all(w in titles for w in words) and not (
                            len(words) > 1 and words[-1] in lex.words("typing", "union_words")
                            and doc[end - 1].text[:1].isupper()
                            and not set(words[:-1]) & lex.union(("titles", "joiners"), ("titles", "name_prefixes"))
                            and not (end < len(doc) and doc[end].lower_ in titles))
                        or len(words) > 1 and words[-1] in lex.words("typing", "non_name_heads")
                        and not set(words) & lex.words("typing", "union_words"))


def _is_money(doc: Doc, start: int, end: int, lex: Lexicon) -> bool:
    """'P15', 'LE700', 'NIS' before '10,500': a currency's sign or code with its amount."""
    if end - start != 1:  # one token: "P15", or "NIS" before "10,500"
        return False
    text = doc[start].lower_
    codes = lex.words("typing", "currency_codes")
    glued = text.rstrip("0123456789,.")
    return glued != text and glued in codes or text in codes and end < len(doc) and doc[end].like_num


def _glued_date(doc: Doc, start: int, end: int) -> bool:
    """'HeadlineSep 18, 2023': a page's label run into a date by a scraper is no name."""
    if end - start != 1 or end >= len(doc) or not doc[end].like_num:
        return False
    text = doc[start].text
    return any(text.lower().endswith(m) and len(text) > len(m) and text[-len(m)].isupper()
               and text[-len(m) - 1].islower() for m in month_names())


def title_vocabulary(lex: Lexicon) -> frozenset[str]:
    """Every word of a title, also in the plural ('General Secretaries')."""
    def words() -> frozenset[str]:
        found = lex.split_words(("titles", "leader"), ("titles", "not_leader")) | lex.union(
            ("titles", "name_prefixes"), ("titles", "joiners"))
        return found | lex.with_plurals(found - lex.words("titles", "joiners"))
    return lex.derived("title_vocabulary", words)


def before_its_leader(doc: Doc, end: int, lex: Lexicon) -> bool:
    """'Verdi boss Frank Werneke': a leader's title and a person's name right after a name make it an
    organisation's."""
    return end + 1 < len(doc) and doc[end].lower_ in lex.words("titles", "leader") and doc[end + 1].ent_type_ == \
        "PERSON"
