"""Entity classes from context, where the words of a name say nothing or say it wrong.

The small NER labels most organisations ORG, and a name without a cue ("CSN", "FUP", "Bayline") becomes a
Company by default. The text around a name often says better: an apposition ("FUP, the oil workers'
federation"; "the dockers' union HBV"), a list it shares with unions ("the CSN, CSQ, APTS and FTQ" after
"its member unions"); what it does (members it has, workers it represents, strikes it makes) is read by
graph.extract.union_deeds. A class from the knowledge base is never changed.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from graph.extract.company_unions import has_company_word
from graph.extract.doccache import doc_lowers, doc_pos, doc_tokens
from graph.extract.entities import Mention, norm_key
from graph.extract.lexicon import Lexicon
from graph.extract.place_typing import conjunct_group, retype_places_and_companies
from graph.extract.table import EntityTable
from graph.extract.union_deeds import is_guessed, unions_by_deeds
from graph.model import ORGANIZATION_CLASSES

_WEB_NAME = re.compile(r"^[A-Za-z0-9-]+(\.[a-z]{2,6}){1,2}$")


def retype_from_context(doc: Doc, table: EntityTable) -> None:
    _persons_that_employ(doc, table)
    _outlets_by_reporting(doc, table)
    _appositions(doc, table)
    lists_with_unions(doc, table)
    _lists_under_a_class_noun(doc, table)
    retype_places_and_companies(doc, table)
    unions_by_deeds(doc, table)
    _branches_of_unions(table)


def _branches_of_unions(table: EntityTable) -> None:
    """'AWU WA', 'UNITE HERE Local 11': a name typed by default that opens with the short name of a union the
    article names, and goes on with one or two capitalised words, is that union's branch, a union."""
    for ent in list(table.entities.values()):
        words = ent.name.split()
        if not 2 <= len(words) <= 3 or not is_guessed(ent, table.lex) or ent.cls != "Company" \
                or not all(w[:1].isupper() for w in words[1:]):
            continue
        head = table.keys.get(norm_key(words[0]))
        if head is not None and head != ent.name and table.entities.get(head) is not None \
                and table.entities[head].cls == "LaborUnion" and words[0].isupper():
            ent.cls = "LaborUnion"


def nominal_class(tok: Token, lex: Lexicon) -> str | None:
    """The class a common noun names, read with its modifiers: 'federation' alone is an employers' word,
    'the oil workers' federation' is a union's, 'the employers' union' an employers' group."""
    cls = lex.nominal_classes().get(tok.lower_) or lex.nominal_classes().get(tok.lemma_.lower())
    if cls is None:
        return None
    # not a modifier with a conjunct: "the nurses' union and hospital operator X" is a list the parser nested
    mods = {c.lower_ for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod")
            and not any(g.dep_ == "cc" for g in c.children)}
    # "a federation of mining unions", "an association of employers"
    mods |= {p.lower_ for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
             for p in c.children if p.dep_ == "pobj"}
    if mods & {"union", "unions"} or (
            cls == "LaborUnion" and mods & lex.words("typing", "union_modifiers")):  # "the trade unions X and Y"
        return "LaborUnion"
    if mods & lex.words("typing", "worker_nouns") and cls in ("EmployerAssociation", "LaborUnion"):
        return "LaborUnion"
    if mods & lex.words("typing", "employer_modifiers"):
        return "EmployerAssociation"
    return cls


def _appositions(doc: Doc, table: EntityTable) -> None:
    """'the IEBG, the employer coalition that ...': a common noun in apposition says what an organisation
    is, better than the words of its name."""
    nominals = table.lex.nominal_classes()
    for tok in doc_tokens(doc):
        if tok.dep_ not in ("compound", "nmod", "appos"):
            continue  # the three readings below start from one of these
        if tok.dep_ == "compound" and tok.pos_ == "NOUN" and tok.i not in table.tok2mention \
                and (named := table.tok2mention.get(tok.head.i)) is not None and tok.lower_ in nominals:
            # "the dockers' union HBV"
            _retype(table, named.name, nominal_class(tok, table.lex) or nominals[tok.lower_])
            continue
        if tok.dep_ in ("compound", "nmod") and (m := table.tok2mention.get(tok.i)) is not None \
                and (tok.head.pos_ == "NOUN" or tok.head.lower_ in nominals) and tok.head.i not in table.tok2mention \
                and (cls := nominal_class(tok.head, table.lex)) is not None:
            # "the CCOO union", "the USO and Sitcpla unions": the names say which, the noun says what, when the
            # last name stands right before the noun
            conjs = [c for c in tok.subtree if c.dep_ == "conj"]
            names = [m] + [o for c in conjs if (o := table.tok2mention.get(c.i))]
            last = max([m.end] + [c.i + 1 for c in conjs])
            if last + 3 <= tok.head.i and doc[last].text == "(" and doc[last + 2].text == ")":
                last += 3  # "the Rail, Maritime and Transport (RMT) union"
            if last == tok.head.i or all(t.lower_ in table.lex.words("typing", "union_modifiers")
                                         for t in doc[last:tok.head.i]):  # "their SPF labour union"
                for n in names:
                    if cls == "LaborUnion" and has_company_word(n.name, table.lex) and tok.head.dep_ != "compound":
                        continue  # "the Pelham Bank labor union" is its workers' (graph.extract.company_unions)
                    _retype(table, n.name, cls, person=True)  # "Lederne union leader X": no person's union
            continue
        if tok.dep_ != "appos":
            continue
        if tok.pos_ == "NOUN" and tok.i not in table.tok2mention:
            if any(c.dep_ == "cc" for c in tok.children) or any(
                    c.dep_ == "cc" and tok.head.i < c.i < tok.i for c in tok.head.children):
                # "a statement from Telmex, the union and the ministry", "the X government and the country's
                # largest labor union": a list, no apposition
                continue
            noun, head = tok, table.tok2mention.get(tok.head.i)  # "the IEBG, the employer coalition"
        elif tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i not in table.tok2mention:
            noun, head = tok.head, table.tok2mention.get(tok.i)  # "the train drivers' union ALV"
        else:
            continue
        cls = nominal_class(noun, table.lex)
        if cls is None or head is None:
            continue
        _retype(table, head.name, cls, person=noun is tok)
        if noun.tag_ == "NNS":  # "the trade unions FNV, CNV and VVMC": every name listed
            for conj in (c for c in tok.subtree if c.dep_ == "conj"):
                if (m := table.tok2mention.get(conj.i)) is not None:
                    _retype(table, m.name, cls)
    # "the trade unions FNV, CNV and VVMC", "Union Satawu said": a noun right before a name, however parsed,
    # says what the name is, and a plural one says it of every name listed after it.
    starts = {m.start: m for m in table.mentions}
    for tok in doc_tokens(doc):
        if tok.i + 1 not in starts or tok.i in table.tok2mention:
            continue
        key = tok.lower_ if tok.lower_ in nominals else tok.lemma_.lower()
        if key not in nominals:
            continue
        cls = nominal_class(tok, table.lex) or nominals[key]
        cur: Mention | None = starts[tok.i + 1]
        while cur is not None:
            _retype(table, cur.name, cls)
            if tok.tag_ != "NNS" or cur.end + 1 >= len(doc) or doc[cur.end].lower_ not in (",", "and"):
                break
            k = cur.end + 1
            if doc[cur.end].text == "," and doc[k].lower_ == "and":
                k += 1
            cur = starts.get(k)
    # The parser often hangs such an apposition elsewhere: read 'NAME (ACR), the employers' association that'
    # from the words, a nominal heading a noun phrase after the comma and not followed by a verb.
    for m in table.mentions:
        k = m.end
        if k + 2 < len(doc) and doc[k].text == "(" and doc[k + 2].text == ")":
            k += 3
        if k + 1 >= len(doc) or doc[k].text != "," or doc[k + 1].lower_ not in ("the", "a", "an"):
            continue
        for j in range(k + 2, min(k + 7, len(doc) - 1)):
            t = doc[j]
            if j in table.tok2mention or t.pos_ in ("VERB", "AUX", "ADP", "PRON", "SCONJ", "CCONJ") or (
                    t.pos_ == "PUNCT" and t.text not in ("'", "’")):
                break  # "X, the largest member of the association": the phrase's head is 'member'
            if t.pos_ == "NOUN" and t.lower_ not in nominals and doc[j + 1].pos_ not in ("NOUN", "PROPN", "PART"):
                break
            cls = nominal_class(t, table.lex) if t.lower_ in nominals else None
            # "a statement from Telmex, the union and the ministry": 'and' makes it a list, not an apposition
            if cls and doc[j + 1].pos_ not in ("NOUN", "PROPN", "VERB", "AUX", "PART", "CCONJ"):
                _retype(table, m.name, cls)
                break


def _retype(table: EntityTable, name: str, cls: str, person: bool = False) -> None:
    """`name` is of class `cls`, when it is an organisation the knowledge base does not know (or, with `person`,
    a 'person' the NER guessed: 'Transdev, the company which ...', 'companies such as Acme Widgets')."""
    entity = table.entities[name]
    if person and not entity.kb_id and entity.cls == "Person":
        entity.cls = cls
    if not entity.kb_id and entity.cls in ORGANIZATION_CLASSES:
        entity.cls = cls
        entity.confirmed = True  # 'the regional railway Relvo': a Company by its context, not by default


def lists_with_unions(doc: Doc, table: EntityTable) -> None:
    """'the CSN, CSQ, APTS and FTQ', 'Unifor, the CSN and the FTQ': names listed beside unions are unions."""
    seen: set[int] = set()
    for tok in doc_tokens(doc):
        if tok.dep_ != "conj" or tok.i in seen:
            continue
        group = sorted(conjunct_group(tok), key=lambda t: t.i)
        seen.update(t.i for t in group)
        nouns = [t.i for t in group if t.pos_ == "NOUN" and t.i not in table.tok2mention]
        if nouns:  # "between the NS and the trade unions FNV, CNV and VVMC": the list is the one after the noun
            group = [t for t in group if t.i > nouns[-1]]
        names = [m.name for t in group if (m := table.tok2mention.get(t.i)) is not None]
        ents = [table.entities[n] for n in dict.fromkeys(names)]
        if len(ents) < 3 or sum(e.cls == "LaborUnion" and not is_guessed(e, table.lex) for e in ents) < 2:
            continue  # "the STMA and Minera Alumbre" may be both sides; a longer list of unions is of unions
        if any(e.cls == "Company" and not is_guessed(e, table.lex) or e.cls == "EmployerAssociation"
               for e in ents):
            continue  # "the union and Acme Corp": a list of both sides
        for e in ents:
            if is_guessed(e, table.lex):
                e.cls = "LaborUnion"


def _lists_under_a_class_noun(doc: Doc, table: EntityTable) -> None:
    """'13 major unions including A (LPF), B and C', 'companies such as A and B': the names a plural class noun
    lists are of its class, whatever the parser made of the list (read from the words, up to its end)."""
    cues = table.lex.words("typing", "list_cues")
    for tok in doc_tokens(doc):
        if tok.tag_ not in ("NNS", "NNPS") or tok.i in table.tok2mention or tok.i + 2 >= len(doc):
            continue
        k = tok.i + 1 + (doc[tok.i + 1].text == ",")
        if doc[k].lower_ not in cues or (cls := nominal_class(tok, table.lex)) is None:
            continue
        k += 1 + (doc[k].lower_ == "such" and doc[k + 1].lower_ == "as")
        while k < len(doc) and (k in table.tok2mention or doc[k].text in (",", "(", ")") or doc[k].lower_ in (
                "and", "the")):
            if (m := table.tok2mention.get(k)) is not None:
                _retype(table, m.name, cls, person=True)
                k = m.end
            else:
                k += 1


def _persons_that_employ(doc: Doc, table: EntityTable) -> None:
    """'negotiations with Petrobras', 'Woolworths workers', 'the strike at Kellogg': a one-word 'person' with no
    first name anywhere in the text, in the place of an employer, is a company; so is a 'person' listed there
    with a company ('negotiating with Mount Sinai Hospital and Montefiore Bronx')."""
    workers = table.lex.words("typing", "worker_nouns")
    for name, ent in list(table.entities.items()):
        if ent.cls != "Person" or ent.kb_id:
            continue
        if any(_before_a_title(doc, table, m.end, "place_leader") for m in table.mentions if m.name == name):
            ent.cls, ent.confirmed = "Place", True  # "Haryana Chief Minister X": a place has a chief minister
            continue
        if any(_before_a_title(doc, table, m.end, "company_officer") for m in table.mentions if m.name == name):
            # "outgoing Virgin chief executive Brett Godfrey": a company, and so is the 'person' whose name it
            # opens ("Virgin Blue"), which graph.extract.merge then takes it for
            words = norm_key(name).split()
            for other in table.entities.values():
                if other.cls == "Person" and not other.kb_id and norm_key(other.name).split()[:len(words)] == words:
                    other.cls, other.confirmed = "Company", True
            continue
        if " " in name.strip():
            if any(_listed_with_employer(doc, table, doc[m.end - 1]) for m in table.mentions if m.name == name):
                ent.cls, ent.confirmed = "Company", True
            continue
        if any(e.cls == "Person" and e.name != name and e.name.split()[-1:] == [name] for e in table.entities.values()):
            continue  # the surname of someone named in full
        for m in (m for m in table.mentions if m.name == name):
            tok = doc[m.start]
            employer = (tok.dep_ == "pobj" and tok.head.lower_ in ("with", "at", "against") and tok.head.head.lemma_
                        .lower() not in ("say", "speak", "talk")) or (
                tok.dep_ in ("compound", "poss") and tok.head.lower_ in workers)
            if employer:
                ent.cls, ent.confirmed = "Company", True
                break


def _before_a_title(doc: Doc, table: EntityTable, end: int, titles: str) -> bool:
    """A title of the lexicon's list `titles` from token `end` on, then a person's name."""
    lowers = doc_lowers(doc)
    for title in table.lex.value("titles", titles):
        words = title.split()
        after = end + len(words)
        if lowers[end:after] == words and (m := table.tok2mention.get(after)) is not None \
                and table.entities[m.name].cls == "Person":
            return True
    return False


def _listed_with_employer(doc: Doc, table: EntityTable, tok: Token) -> bool:
    """`tok` is a conjunct of a company's name that is the object of 'with', 'at' or 'against'."""
    if tok.dep_ != "conj":
        return False
    root = tok
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    m = table.tok2mention.get(root.i)
    return m is not None and table.entities[m.name].cls == "Company" and root.dep_ == "pobj" \
        and root.head.lower_ in ("with", "at", "against")


def _outlets_by_reporting(doc: Doc, table: EntityTable) -> None:
    """'reported local media La Tercera', 'tells The Northern Miner', 'in an interview with X': who reports or is
    told is an outlet, when nothing in its name said what it is."""
    reporting = table.lex.words("quotes", "report_verbs")
    addressed = table.lex.words("quotes", "addressee_verbs")
    interviews = table.lex.words("quotes", "interview_verbs")
    media_nouns = table.lex.words("typing", "media_nouns")
    lowers, pos = doc_lowers(doc), doc_pos(doc)
    for tok in doc_tokens(doc):
        if pos[tok.i] != "VERB" and lowers[tok.i] != "interview" and lowers[tok.i] not in media_nouns:
            continue  # none of the readings below
        lemma = tok.lemma_.lower()
        target, spoken_to = None, False
        if lemma in reporting and tok.pos_ == "VERB":
            target = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        elif lemma == "tell" and tok.pos_ == "VERB":
            target = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
        elif tok.pos_ == "VERB" and (lemma in addressed or lemma in interviews and tok.tag_ == "VBG"
                                     and tok.dep_ == "advcl"):
            # "confirmed the agreement to X": the parser may hang "to X" on the object
            near = list(tok.children) + [g for c in tok.children if c.dep_ == "dobj" for g in c.children]
            to = next((c for c in near if c.dep_ in ("prep", "dative") and c.lower_ == "to"), None)
            target = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            spoken_to = True  # no one speaks to a place: the NER's place is an outlet too
        elif tok.lower_ == "interview" and (w := next((c for c in tok.children if c.lower_ == "with"), None)):
            target = next((c for c in w.children if c.dep_ == "pobj"), None)
        m = table.tok2mention.get(target.i) if target is not None else None
        if m is None and tok.lower_ in media_nouns and tok.i + 1 < len(doc):
            m = table.tok2mention.get(tok.i + 1)  # "local media La Gaceta", "the daily El Tiempo"
            target = doc[tok.i + 1]
        if m is None or target is None:
            continue
        ent = table.entities[m.name]
        if not ent.kb_id and (is_guessed(ent, table.lex) or ent.cls == "Person" and (
                target.i > 0 and doc[target.i - 1].lower_ in table.lex.words("typing", "media_nouns")
                or ent.name.split()[0].lower() in ("the", "la", "le", "el", "il", "die", "de"))
                # "INFORMATION NIGERIA reports", "confirmed the deal to Vardun"
                or ent.cls == "Place" and (lemma in reporting and " " in ent.name or spoken_to)
                # "said to Helsingin Sanomat": a 'person' news speaks to, named once, is the paper
                or ent.cls == "Person" and spoken_to and lemma == "say"
                and sum(mm.name == ent.name for mm in table.mentions) == 1):
            ent.cls = "MediaOutlet"
    for ent in table.entities.values():
        if not ent.kb_id and ent.cls != "Person" and _WEB_NAME.match(ent.name):
            ent.cls = "MediaOutlet"  # "a statement seen by TUKO.co.ke": a website in the news is an outlet
