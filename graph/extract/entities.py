"""Entity mentions of one document: find named spans, type them, and resolve them to one entity per referent.

Sources of mentions, in order of trust: the knowledge-base entity ruler (label = ng: class, id = IRI), spaCy's
statistical NER (retyped by cues in the name and its neighbours, since the small model often calls a company a
person), nicknamed groups ("the so-called Gang of Four"), and negotiating committees ("the union's negotiating
committee"). Resolution merges surnames into full names, acronyms into the names they abbreviate, and case or
article variants ("The Valley Nurses Alliance") into one canonical name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Token

from graph.extract.doccache import doc_ents, doc_lowers, doc_tokens
from graph.extract.lexicon import Lexicon

NER_LABELS = frozenset({"ORG", "PERSON", "GPE", "LOC", "FAC", "WORK_OF_ART", "NORP"})
# A domain NER's classes, read as the small model's labels by the span rules.
DOMAIN_LABELS = {"Person": "PERSON", "Place": "GPE", "LaborUnion": "ORG", "EmployerAssociation": "ORG",
                 "Company": "ORG", "GovernmentOrganization": "ORG", "MediaOutlet": "ORG", "Committee": "ORG",
                 "Group": "ORG"}
GROUP = "GROUP"
QUOTE_CHARS = "\"“”"
# Lowercase words inside names, also of other languages ("Confederación de Trabajadores del Norte").
CONNECTORS = frozenset({"of", "for", "the", "and", "&", "de", "du", "des", "la", "le", "del", "y", "e", "und",
                        "di", "da", "do", "dos", "das", "van", "von", "der", "den", "et"})


@dataclass
class DocEntity:
    name: str
    cls: str
    labels: set[str] = field(default_factory=set)
    kb_id: str | None = None
    owner: str | None = None  # a committee's organisation ("the union's negotiating committee")
    employer: str | None = None  # a company's union's company ("the KORAIL union": KORAIL)
    confirmed: bool = False  # the class came from more than the name's words: its context, or a domain NER
    mixed: bool = False  # the NER took one mention for a person and another for a place (graph.extract.table)


@dataclass(frozen=True)
class Mention:
    start: int  # first token
    end: int  # one past the last token
    name: str  # canonical name of the entity referred to
    subject: bool = False  # the mention is (or owns) a clause subject


@lru_cache(maxsize=1 << 16)  # asked for the same few names thousands of times per article
def norm_key(text: str) -> str:
    """Key under which surface forms of one name collide: lowercase, no punctuation, no leading article."""
    s = text.lower().replace("\u2019", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return re.sub(r"^the ", "", s)


@lru_cache(maxsize=1 << 16)
def acronym(name: str) -> str:
    words = [w for w in re.split(r"[\s\-/]+", name) if w and w[0].isupper()]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and trailing possessives or punctuation from a span."""
    toks = doc_tokens(doc)
    while start < end and (toks[start].lower_ in ("the", "a", "an") or toks[start].is_space):
        start += 1
    # A name never runs across a line break, nor into an unclosed bracket ("... del Norte (CTMN").
    end = next((t.i for t in toks[start:end] if t.is_space or "\n" in t.text), end)
    opened = next((t.i for t in toks[start:end] if t.text == "("), None)
    if opened is not None and not any(t.text == ")" for t in toks[opened:end]):
        end = opened
    while end > start and (toks[end - 1].lower_ in POSSESSIVES or toks[end - 1].is_punct):
        end -= 1
    return start, end


def _is_titlecase(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.is_alpha


# The possessive endings a name may be followed by ('the union's', 'the unions'', with either apostrophe).
POSSESSIVES = ("'s", "'", "’s", "’")

OF_WORDS = frozenset({"of", "local", "de", "der", "des", "du", "del", "della", "di", "dos", "das", "do", "da", "dei",
                      "degli", "delle"})


def classify_org_name(words: list[str], lex: Lexicon, before: str = "") -> str:
    """The ng: class of an organisation from the words of its name (lowercase)."""
    ws = set(words)
    if words and words[-1] in lex.words("typing", "party_words"):
        return "Group"  # "the Workers' Party" is no union
    if " ".join(words).startswith(lex.prefixes("typing", "government_name_openers")):
        return "GovernmentOrganization"  # "City of Philadelphia" as a party
    if ws & lex.words("typing", "media_words") and not ws & lex.words("typing", "union_words"):
        return "MediaOutlet"
    joined = " ".join(words)
    if "committee" in ws or any(p in joined for p in lex.words("typing", "committee_words")):
        # "Negotiating Team", "Board of Directors" (its directors are no union's workers), a union's "National
        # Executive Council"; but a "Federal Executive Council" is a government's cabinet
        federal = ws & (lex.words("typing", "government_council_modifiers") | {"federal"}) and "council" in ws \
            and "committee" not in ws
        return "GovernmentOrganization" if federal else "Committee"
    employer_at = [i for i, w in enumerate(words) if w in lex.words("typing", "employer_words_in_names")]
    after = [w for w in words[employer_at[0] + 1:] if w not in ("'", "’")][:1] if employer_at else []
    if employer_at and "relations" not in words and not set(after) & lex.words("typing", "worker_nouns"):
        # "the Metal Employers' Union", "Teachers' Employer Bargaining Association": employers, no union (but "the
        # Public Employer Relations Board" is a government's, "the Union of Employers' Staff" its staff's)
        return "EmployerAssociation"
    if any(p in joined for p in lex.words("typing", "union_phrases")):
        return "LaborUnion"
    branches = lex.words("typing", "union_branch_words")
    if any(w in branches and any(ch.isdigit() for ch in nxt) for w, nxt in zip(words, words[1:], strict=False)):
        return "LaborUnion"  # "Local 417", "Lodge 751", "AFSCME District Council 33"
    union_words = lex.words("typing", "union_words")
    # "Union Pacific" is a railroad: a union word counts at the end of a name or before "of".
    branches = lex.words("typing", "union_branch_words")
    after_hyphen = lex.words("typing", "union_words_after_hyphen")
    for i, w in enumerate(words):
        if w in branches and i + 1 < len(words) and not any(ch.isdigit() for ch in words[i + 1]):
            continue  # "Local Government Association": only a numbered local ("Local 212") is a union's
        if w in after_hyphen and (i == 0 or words[i - 1] != "-"):
            continue  # "Birleşik Metal-İş" is a union, "Türkiye İş Bankası" a bank
        if w in union_words and (i == len(words) - 1 or words[i + 1] in OF_WORDS or i > 0
                                 or w in lex.words("typing", "name_opening_heads")):  # "Unión Obrera Metalúrgica"
            return "LaborUnion"
    if ws & lex.words("typing", "worker_nouns") and (
        ws & lex.words("typing", "organisation_words") or words[-1] in lex.words("typing", "worker_nouns")
    ):
        return "LaborUnion"
    if "council" in ws and (
        before in lex.words("typing", "government_council_modifiers")
        or ws & lex.words("typing", "government_council_modifiers")
    ):
        return "GovernmentOrganization"
    if ws & lex.words("typing", "government_words"):
        return "GovernmentOrganization"
    if ws & lex.words("typing", "employer_association_words"):
        return "EmployerAssociation"
    return "Company"


def name_cue_words(lex: Lexicon) -> frozenset[str]:
    """Words that make a name an organisation's: a union's, an association's, a company's, a body's, an outlet's."""
    return lex.union(("typing", "company_suffixes"), ("typing", "union_words"), ("typing", "organisation_words"),
                     ("typing", "government_words"), ("typing", "media_words"),
                     ("typing", "employer_association_words"))


def has_class_cue(words: list[str], lex: Lexicon) -> bool:
    """Whether the words of a name say what it is (a union, an association, a company, a body, an outlet)."""
    cues = lex.derived("class cue words", lambda: name_cue_words(lex) | lex.union(
        ("typing", "committee_words"), ("typing", "party_words")))
    joined = " ".join(words)
    return bool(set(words) & cues) or any(p in joined for p in lex.words("typing", "union_phrases")) \
        or joined.startswith(lex.prefixes("typing", "government_name_openers"))


@dataclass
class Spans:
    """Candidate spans: (start, end, label, kb iri or ''), and the class a domain NER gave each token."""

    items: list[tuple[int, int, str, str]] = field(default_factory=list)
    hints: dict[int, str] = field(default_factory=dict)

    def covered(self) -> set[int]:
        return {i for s, e, _, _ in self.items for i in range(s, e)}


def ner_spans(doc: Doc, kb_classes: frozenset[str], lex: Lexicon) -> Spans:
    spans = Spans()
    titles = lex.derived("ner_spans.titles", lambda: lex.union(("titles", "leader"), ("titles", "honorifics"))
                         | lex.split_words(("titles", "leader")))
    for ent in doc_ents(doc):
        label = ent.label_
        if label in DOMAIN_LABELS and not ent.ent_id_:
            # A domain NER (graph.extract.ner_training) names our classes: the span rules read it as the small model's
            # labels, and its class is a hint for typing (graph.extract.resolve).
            spans.hints.update({i: label for i in range(ent.start, ent.end)})
            label = DOMAIN_LABELS[label]
        elif label not in NER_LABELS and label not in kb_classes:
            continue
        start, end = _trim(doc, ent.start, ent.end)
        if start >= end or not any(t.text[:1].isupper() for t in doc[start:end]):
            continue  # "bell staff": a lowercase phrase is not a name
        start = _extend_left_compounds(doc, start, end, titles)
        if end < len(doc) and doc[end - 1].lower_ in lex.words("typing", "union_branch_words") and doc[end].like_num:
            end += 1  # "Boardwalk Hospitality Workers Local 212": the NER leaves the number out
        if label == "ORG" and not ent.ent_id_:
            start = _extend_coordinated_name(doc, start, end, lex)
            for s, e in _split_coordination(doc, start, end, lex):
                spans.items.append((s, e, "ORG", ""))
            continue
        if label == "Place" and (longer := _org_named_after_place(doc, end, lex)) > end:
            spans.items.append((start, longer, "ORG", ""))  # "California Nurses Association"
            continue
        if ent.ent_id_ and end - start == 1 and label != "Person" and _first_name_before(doc, start, lex):
            spans.items.append((start - 1, end, "PERSON", ""))  # "Chairman Bill Ford" is a person
            continue
        if ent.ent_id_ and (wider := _org_around_known_name(doc, start, end, lex)) != (start, end):
            spans.items.append((*wider, "ORG", ""))  # "the Coalition of Kaiser Permanente Unions"
            continue
        spans.items.append((start, end, label, ent.ent_id_))
    return spans


def _extend_left_compounds(doc: Doc, start: int, end: int, titles: frozenset[str]) -> int:
    """'Fraser Gateway Stevedoring': capitalised words the NER left out of a name they are compounds of,
    but not title words ('Union President John Smith')."""
    while start > 0:
        t = doc[start - 1]
        if not (_is_titlecase(t) and t.pos_ == "PROPN" and not t.ent_type_ and t.dep_ == "compound"
                and start <= t.head.i < end and t.lower_ not in titles and not t.is_sent_start):
            break
        start -= 1
    return start


def _first_name_before(doc: Doc, start: int, lex: Lexicon) -> bool:
    """A capitalised word between a title and a known one-word name: 'Chairman Bill Ford'."""
    if start < 2:
        return False
    first, title = doc[start - 1], doc[start - 2]
    titles = lex.union(("titles", "leader"), ("titles", "honorifics"))
    return _is_titlecase(first) and first.pos_ == "PROPN" and not first.ent_type_ and title.lower_ in titles


def _org_around_known_name(doc: Doc, start: int, end: int, lex: Lexicon) -> tuple[int, int]:
    """A known name inside a longer organisation's name ("Coalition of Kaiser Permanente Unions",
    "Netflix Workers Union"): the wider span when the added words name a union, association or agency."""
    cues = (lex.union(("typing", "union_words"), ("typing", "organisation_words"),
            ("typing", "government_words")) | {"unions"})
    a = start
    if a >= 2 and doc[a - 1].lower_ == "of" and _is_titlecase(doc[a - 2]) and doc[a - 2].lower_ in cues:
        a -= 2
        while a > 0 and _is_titlecase(doc[a - 1]) and doc[a - 1].pos_ == "PROPN" and not doc[a - 1].ent_type_:
            a -= 1
    b = end
    while b < len(doc) and (_is_titlecase(doc[b]) and doc[b].pos_ == "PROPN" or _plural_apostrophe(doc, b, end)) \
            and not doc[b].is_sent_start:
        b += 1
    if b > end and doc[b - 1].lower_ not in cues:
        b = end
    return (a, b) if (a, b) != (start, end) else (start, end)


def _plural_apostrophe(doc: Doc, i: int, end: int) -> bool:
    """The apostrophe of a plural possessive inside a name ('Toyota Motor Workers’ Union'), between a word ending
    in s after the known name and a capitalised word."""
    return i > end and i + 1 < len(doc) and doc[i].text in ("\u2019", "'") and doc[i - 1].lower_.endswith("s") \
        and _is_titlecase(doc[i + 1])


def _org_named_after_place(doc: Doc, end: int, lex: Lexicon) -> int:
    """The end of an organisation's name that starts with a known place ("Hollywood Ledger"), else `end`."""
    cues = lex.union(("typing", "union_words"), ("typing", "employer_association_words"), ("typing", "media_words"),
                     ("typing", "company_suffixes"), ("typing", "government_words"), ("typing", "worker_nouns"))
    j = end
    while j < len(doc) and _is_titlecase(doc[j]) and doc[j].pos_ == "PROPN" and not doc[j].is_sent_start:
        j += 1
    return j if j > end and doc[j - 1].lower_ in cues else end


def _extend_coordinated_name(doc: Doc, start: int, end: int, lex: Lexicon) -> int:
    """'the Harbor and Dock Laborers Union': the NER often drops the word before 'and' from such a name."""
    if start < 2 or doc[start - 1].lower_ != "and" or doc[start - 2].ent_type_:
        return start
    first = doc[start - 2]
    before = doc[start - 3] if start >= 3 else None
    cues = lex.union(("typing", "union_words"), ("typing", "employer_association_words"),
            ("typing", "government_words"))
    if _is_titlecase(first) and first.pos_ == "PROPN" and doc[end - 1].lower_ in cues and (
            before is None or before.lower_ == "the" or before.is_sent_start):
        return start - 2
    return start


def _split_coordination(doc: Doc, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """'Lakeshore Rail and Pacific Summit Lines' is two names; 'Alliance of X and Y Producers' is one, and so is
    'National Education and Health Workers Union' (a union named by its sectors: no word before the last part
    names an organisation)."""
    toks = doc[start:end]
    if any(t.lower_ in ("of", "for") for t in toks):
        return [(start, end)]
    parts, s = [], start
    for t in toks:
        if t.lower_ in ("and", ",", "&") and t.i > s:
            if t.lower_ == "&":
                return [(start, end)]
            parts.append((s, t.i))
            s = t.i + 1
    parts.append((s, end))
    parts = [_trim(doc, a, b) for a, b in parts]
    parts = [(a, b) for a, b in parts if a < b]
    # "the Felixstowe Dock and Railway Company", a union named by its sectors: one name when no part before the
    # last has a word that names an organisation
    last = lex.union(("typing", "union_words"), ("typing", "company_legal_forms"))
    if len(parts) > 1 and doc[end - 1].lower_ in last \
            and not any(t.lower_ in name_cue_words(lex) for a, b in parts[:-1] for t in doc[a:b]):
        return [(start, end)]
    # "Harbor and Dock Laborers Union" is one name: a one-word part cannot stand alone as a name here. But in
    # "the Negotiating Committee, Board and Council" the first part is a name of its own and the rest are words.
    if any(b - a < 2 for a, b in parts[:-1]):
        first = parts[0]
        if len(parts) >= 3 and first[1] - first[0] >= 2 and all(b - a == 1 for a, b in parts[1:]):
            return [first]
        return [(start, end)]
    return parts


def group_spans(doc: Doc, lex: Lexicon, taken: set[int]) -> list[tuple[int, int]]:
    """Nicknamed groups: a quoted or capitalised phrase after a nickname cue, or a name with a number word."""
    toks = doc_tokens(doc)
    cues = lex.words("typing", "group_nickname_cues")
    numbers = lex.words("typing", "group_number_words")
    found: list[tuple[int, int]] = []
    lowers = doc_lowers(doc)
    # A cue of two words opens with one of these: the pair is only made for them
    openers = lex.derived("group_cue_openers", lambda: frozenset(c.split()[0] for c in cues if " " in c))
    for tok in doc_tokens(doc):
        low = lowers[tok.i]
        two = f"{low} {lowers[tok.i + 1]}" if low in openers and tok.i + 1 < len(doc) else ""
        if low in cues or two in cues:
            i = tok.i + (2 if two in cues else 1)
            if i < len(doc) and toks[i].lower_ == "the":
                i += 1
            if i < len(doc) and toks[i].text in QUOTE_CHARS:
                j = i + 1
                while j < len(doc) and toks[j].text not in QUOTE_CHARS and j - i < 8:
                    j += 1
                if j < len(doc) and toks[j].text in QUOTE_CHARS and j > i + 1:
                    found.append((i + 1, j))
                continue
            j = i
            while j < len(doc) and (_is_titlecase(toks[j]) or (toks[j].lower_ == "of" and j > i)):
                j += 1
            if j > i and any(toks[k].lower_ in numbers for k in range(i, j)):
                found.append((i, j))
    # Capitalised names built on a number word ("Big Three", "Gang of Four") need no cue.
    titles = lex.derived("group_titles", lambda: lex.split_words(("titles", "leader"))
                         | lex.words("titles", "name_prefixes"))
    i = 0
    while i < len(doc):
        if _is_titlecase(toks[i]) and i not in taken:
            j = i
            while j < len(doc) and (_is_titlecase(toks[j]) or (toks[j].lower_ == "of" and j > i)):
                j += 1
            words = [toks[k].lower_ for k in range(i, j)]
            start = i
            while start < j - 2 and words[start - i] in titles:
                start += 1  # "the studio CEO Gang of Four" is the Gang of Four
            if j - start >= 2 and words[-1] in numbers and toks[j - 1].text[0].isupper():
                found.append((start, j))
            elif j - start >= 1 and j < len(doc) and toks[j].text.isdigit() and len(toks[j].text) == 1 \
                    and toks[j - 1].lower_ in lex.words("typing", "group_size_words"):
                found.append((start, j + 1))  # "the Big 3"
            i = max(j, i + 1)
        else:
            i += 1
    return sorted(set(found))
