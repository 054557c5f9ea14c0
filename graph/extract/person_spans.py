"""Repairs of candidate name spans for people: names the small NER left out or took for an organisation, found
by the titles around them ('led by union leaders A and B', 'Finnish AKT Chair, Ismo Kallio, said', 'Ana Ruiz, the
general secretary of X, said', 'The head of X, Ana Ruiz, said'), and title words that are no part of a name ('COO
Jeff Marsh' is Jeff Marsh). Spans are graph.extract.page_spans.Item tuples.
"""
from __future__ import annotations

from spacy.tokens import Doc

from graph.extract.doccache import doc_lowers, doc_pos, doc_tokens
from graph.extract.entities import name_cue_words
from graph.extract.lexicon import Lexicon
from graph.extract.page_spans import Item
from graph.extract.span_joins import ORG_LABELS
from graph.extract.span_labels import title_vocabulary


def people_after_a_title(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'led by union leaders Genaro Trucco and Cristián Erhardt': a name the NER took for an organisation, right
    after a title and listed with a person, is a person."""
    titles = title_vocabulary(lex)
    cues = name_cue_words(lex)
    starts = {s: lab for s, _, lab, _ in items}
    out = []
    for start, end, label, iri in items:
        if label == "ORG" and not iri and 2 <= end - start <= 3 and start > 0 and doc[start - 1].lower_ in titles \
                and end + 1 < len(doc) and doc[end].lower_ in ("and", ",") and starts.get(end + 1) == "PERSON" \
                and not any(t.lower_ in cues for t in doc[start:end]):
            label = "PERSON"
        out.append((start, end, label, iri))
    return out


def people_after_a_title_and_comma(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'Finnish AKT Chair, Ismo Kallio, said': two or three capitalised words the NER left out, set off by commas
    right after a leader's title, are the person who holds it."""
    leaders = lex.split_words(("titles", "leader"))
    titles, cues = title_vocabulary(lex), name_cue_words(lex)
    taken = {i for s, e, _, _ in items for i in range(s, e)}
    toks, lowers = doc_tokens(doc), doc_lowers(doc)
    found: list[Item] = []
    # "The head of the Harbor Workers Union, Ana Ruiz, said": the title's organisation between title and comma
    after_org = {e + 1 for s, e, lab, _ in items if lab in ORG_LABELS and s > 2 and e + 1 < len(doc)
                 and lowers[e] == "," and lowers[s - 1 - (lowers[s - 1] == "the")] == "of"
                 and lowers[s - 2 - (lowers[s - 1] == "the")] in leaders}
    for i in range(2, len(doc) - 2):
        if i not in after_org and (lowers[i - 1] != "," or lowers[i - 2] not in leaders):
            continue
        j = i
        while j < len(doc) and j - i < 3 and j not in taken and toks[j].pos_ == "PROPN" and toks[j].is_alpha \
                and toks[j].text[:1].isupper() and lowers[j] not in titles and lowers[j] not in cues:
            j += 1
        if 2 <= j - i <= 3 and j < len(doc) and lowers[j] == ",":
            found.append((i, j, "PERSON", ""))
    return sorted(items + found)



def people_before_a_title_apposition(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'Ana Ruiz, the general secretary of X, said', 'said Ana Ruiz, X's president': two or three capitalised
    words the NER left out, opening a sentence or after a speech verb, set off by a comma before a title, are the
    person who holds it."""
    # the head words of titles and roles ('secretary', 'president', 'spokesman'), not every word a title may hold
    # ('state', 'senior', 'union': "Tasman Dairies, the state's largest milk processor" is no person)
    roles = lex.derived("person role heads", lambda: frozenset(
        {t.split()[-1] for t in lex.words("titles", "leader")} | lex.words("titles", "role_heads")))
    titles, cues = title_vocabulary(lex), name_cue_words(lex)
    speech = lex.words("quotes", "speech_verbs")
    # a two- or three-word 'organisation' of the NER with no word of an organisation is open to the same reading
    guessed = {s: e for s, e, lab, iri in items if lab == "ORG" and not iri and 2 <= e - s <= 3}
    taken = {i for s, e, _, _ in items if s not in guessed for i in range(s, e)}
    toks, lowers, pos = doc_tokens(doc), doc_lowers(doc), doc_pos(doc)
    found: list[Item] = []
    closing = ("”", '"', "'", "’")
    listeners = lex.words("quotes", "listener_verbs")
    for i in range(len(doc) - 1):
        if pos[i] != "PROPN" or i in taken:
            continue  # (most tokens: no name of ours opens there)
        # after a quotation: '“...,” Ana Ruiz said', '“...”, Ana Ruiz told reporters'
        after_quote = i > 0 and (toks[i - 1].text in closing or i > 1 and lowers[i - 1] == "," and toks[
            i - 2].text in closing)
        # (after 'told' comes the listener: "Ana Ruiz told Good Morning Britain")
        after_speech = i > 0 and toks[i - 1].lemma_.lower() in speech and toks[i - 1].pos_ == "VERB" \
            and toks[i - 1].lemma_.lower() not in listeners
        if not (toks[i].is_sent_start or after_quote or after_speech
                or i > 1 and lowers[i - 1] == "to" and lowers[i - 2] == "according"):
            continue
        j = i
        while j < len(doc) and j - i < 3 and j not in taken and toks[j].pos_ == "PROPN" and toks[j].is_alpha \
                and toks[j].text[:1].isupper() and lowers[j] not in titles and lowers[j] not in cues:
            j += 1
        if not 2 <= j - i <= 3 or i in guessed and guessed[i] != j or any(s < j and i < e and s != i for s, e in
                                                                            guessed.items()):
            continue
        if (toks[i].is_sent_start or after_quote) and j < len(doc) and toks[j].lemma_.lower() in speech \
                and toks[j].pos_ == "VERB" and i not in guessed and not _speaks_as_a_body(doc, i, j):
            found.append((i, j, "PERSON", ""))  # "Ana Ruiz said the strike would continue."
            continue
        if after_speech and i not in guessed and (j == len(doc) or lowers[j] in (".", "!", "?")) and any(
                t.text in closing or t.text in ("“", '"') for t in toks[i].sent):
            found.append((i, j, "PERSON", ""))  # '“We will not back down,” said Ana Ruiz.'
            continue
        if not (j + 2 < len(doc) and lowers[j] == ","):
            continue
        if lowers[j + 1] == "who" and toks[j + 2].lemma_.lower() in lex.words("titles", "lead_verbs"):
            found.append((i, j, "PERSON", ""))  # "Ana Ruiz, who heads the union, said"
            continue
        for k in range(j + 1, min(j + 7, len(doc))):
            if lowers[k] in roles:
                found.append((i, j, "PERSON", ""))
                break
            if toks[k].pos_ in ("VERB", "AUX") or lowers[k] in (",", ".", ";"):
                break
    people = {s for s, _, _, _ in found}
    return sorted([it for it in items if it[0] not in people] + found)


def _speaks_as_a_body(doc: Doc, start: int, end: int) -> bool:
    """'Silver Fern said on Monday it would not improve its offer', 'Junior Doctors said': a plural last word, or
    'it'/'its' for the speaker in the words that follow, make the speaker no person."""
    if doc[end - 1].tag_ in ("NNS", "NNPS"):
        return True
    return any(t.lower_ in ("it", "its") for t in doc[end + 1:min(end + 8, len(doc))])


def _bare_titles(lex: Lexicon) -> frozenset[str]:
    titles = lex.union(("titles", "name_prefixes"), ("titles", "honorifics")) | lex.split_words(
        ("titles", "leader"), ("titles", "not_leader"))
    return lex.with_plurals(titles | {t.rstrip(".") for t in titles})


def person_titles(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'COO Jeff McElfresh', 'Chief Negotiator Ana Ruiz': title words at the front of a person span go."""
    bare = lex.derived("person_title_words", lambda: _bare_titles(lex))
    out = []
    for start, end, label, iri in items:
        if label == "PERSON" and not iri:
            # "COO Jeff Marsh", and "Culinary Secretary-Treasurer Ted Pappageorge": up to the last title word
            last = max((k for k in range(start, end - 2) if doc[k].lower_.rstrip(".") in bare), default=None)
            if last is not None:
                start = last + 1 + (doc[last + 1].text in ("-", ","))
            while end - start > 1 and doc[start].lower_.rstrip(".") in bare:
                start += 1
            # "D. Thomas Franco Rajendra Dev, General Secretary": the NER may stop early in a long name; go on
            # over capitalised proper nouns it gave no label, up to the comma or verb that ends the name
            taken = {i for s, e, _, _ in items if (s, e) != (start, end) for i in range(s, e)}
            k = end
            while k < len(doc) and k - end < 3 and k not in taken and doc[k].pos_ == "PROPN" and doc[k].is_alpha \
                    and doc[k].text[:1].isupper() and not doc[k].ent_type_ and doc[k].lower_ not in bare:
                k += 1
            if k > end and (k == len(doc) or doc[k].text in (",", ";", ")") or doc[k].pos_ in ("VERB", "AUX")):
                end = k
        out.append((start, end, label, iri))
    return out


def people_named_with_and(doc: Doc, items: list[Item], lex: Lexicon) -> list[Item]:
    """'Joana Bordalo e Sá', 'José Ortega y Gasset': a person's name that goes on after the 'and' of Portuguese or
    Spanish names, with one more capitalised word."""
    joiners = lex.words("titles", "person_name_connectors")
    taken = {i for s, e, _, _ in items for i in range(s, e)}
    out = []
    for start, end, label, iri in items:
        if label == "PERSON" and not iri and end + 1 < len(doc) and doc[end].lower_ in joiners \
                and doc[end].is_lower and doc[end + 1].text[:1].isupper() and doc[end + 1].is_alpha \
                and end + 1 not in taken and (end + 2 == len(doc) or not doc[end + 2].text[:1].isupper()):
            end += 2
        out.append((start, end, label, iri))
    return out
