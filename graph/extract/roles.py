"""Who leads what (ng:leads): titles before a name, appositions, possessives and the verbs 'lead' and 'head'.

"Union president Ann Roe", "Springfield Mayor Ana Ruiz", "Lena Hart, the alliance's president",
"Zenith Freight's chief executive, Paul Greer", "X, chief executive of Y", "Acme's Jane Roe".
A title qualified by a word like 'vice', 'deputy' or 'negotiator' is not a leader's.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator

from spacy.tokens import Doc, Token

from graph.extract.context import Ctx
from graph.extract.doccache import tokens_with
from graph.extract.entities import POSSESSIVES, Mention, norm_key
from graph.extract.story_owners import country_of_story, only_of_class, place_of_story, subject_before
from graph.model import ORGANIZATION_CLASSES, Relation

LEADABLE = (ORGANIZATION_CLASSES | {"Place", "Group"}) - {"MediaOutlet"}


def _title_words(ctx: Ctx) -> frozenset[str]:
    return ctx.lex.derived("roles.title_words", lambda: ctx.lex.split_words(("titles", "leader")) | ctx.lex.union(
        ("titles", "not_leader"), ("titles", "joiners")))


def is_leader_title(ctx: Ctx, words: list[str]) -> bool:
    """'chief executive' yes; 'chief negotiator', 'vice president' no; 'chief executive officer' yes."""
    leader = ctx.lex.words("titles", "leader")
    if " ".join(words).replace(" - ", "-") in leader:
        return True
    if not words or set(words) & ctx.lex.words("titles", "not_leader"):
        return False
    # "Director-General" comes as three tokens: 'director', '-', 'general'
    return any(" ".join(words[i:]).replace(" - ", "-") in leader for i in range(len(words)))


def _owner_left_of(ctx: Ctx, i: int) -> str | None:
    """The organisation or place written right before token i: 'Netflix', 'the union's', 'Union'."""
    if i < 0:
        return None
    doc = ctx.doc
    if doc[i].lower_ in POSSESSIVES:
        i -= 1
    i = _before_short_form(doc, i)  # "the Transport Board (TB) chairman X"
    if i < 0:
        return None
    name = ctx.entity_of(doc[i])
    if name is None and doc[i].lower_ in ctx.lex.nominal_classes():
        name = ctx.table.resolve_nominal(doc[i].lower_, i)  # "association chair Helen Park"
    return name if ctx.cls(name) in LEADABLE else None


def _before_short_form(doc: Doc, i: int) -> int:
    """Token i, or the last token of the name before it when token i closes a bracketed short form ('the Transport
    Board (TB)')."""
    return i - 3 if i >= 3 and doc[i].text == ")" and doc[i - 2].text == "(" else i


def _title_before(ctx: Ctx, start: int) -> tuple[list[str], int]:
    """Title words right before token `start` and the index of the first one; titles joined by 'and' count
    ('National Executive Director and Chief Negotiator Duncan Roe'), honorifics are left out ('CEO Dr. Ann')."""
    words: list[str] = []
    j = start - 1
    vocab = _title_words(ctx) | ctx.lex.words("titles", "honorifics")
    doc = ctx.doc
    while j >= 0 and j not in ctx.table.tok2mention and (
            doc[j].lower_ in vocab or doc[j].lower_ == "and" and j > 0 and words and doc[j - 1].lower_ in vocab):
        words.insert(0, doc[j].lower_)
        j -= 1
    while words and not words[0][:1].isalpha():  # "CHICAGO (AP) - Gov. X": a dateline's dash opens no title
        words.pop(0)
        j += 1
    # honorifics that are no words of a title ('Dr.', 'Ms.'); 'secretary' of 'Secretary General' stays
    honorifics = ctx.lex.words("titles", "honorifics") - _title_words(ctx)
    return [w for w in words if w not in honorifics], j + 1


def _runs_of(words: list[str]) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    for w in words:
        if w == "and":
            runs.append([])
        else:
            runs[-1].append(w)
    return [r for r in runs if r]


def leader_title_before_name(ctx: Ctx, m: Mention) -> Iterator[Relation]:
    """'Union president Ann Roe', 'Valley Health chief executive Owen Marsh', 'its executive director and chief
    negotiator Ann Roe', 'Guild president Bo Li and executive director Ann Roe' (the title of the first names
    the owner of both)."""
    words, first = _title_before(ctx, m.start)
    runs = _runs_of(words)
    if runs and runs[-1][-1:] == ["member"] and (owner := _owner_left_of(ctx, first - 1)):
        # "City Council member Ines Mwangi"
        yield ctx.relation(m.name, "memberOf", owner, ctx.doc[m.start].sent, "member_title_before_name", 0.8)
        return
    if not any(is_leader_title(ctx, run) for run in runs):
        # "GMB regional secretary X" heads a region, "RTBU secretary X" the union
        joiners = ctx.lex.words("titles", "union_leader_joiners")
        core = " ".join(w for w in runs[-1] if w not in joiners) if runs else ""
        union = _owner_left_of(ctx, first - 1) if core in ctx.lex.words("titles", "union_leader") else None
        if union is not None and ctx.cls(union) == "LaborUnion":
            yield ctx.relation(m.name, "leads", union, ctx.doc[m.start].sent, "union_leader_title", 0.8)
        return
    owner = _owner_left_of(ctx, first - 1) or _owner_of_title_before(ctx, first)
    if owner:
        yield ctx.relation(m.name, "leads", owner, ctx.doc[m.start].sent, "leader_title_before_name", 0.9)
    elif runs[-1] and ctx.doc[first].is_sent_start and " ".join(runs[-1]) in ctx.lex.words(
            "titles", "subject_heads") and not (m.end < len(ctx.doc) and ctx.doc[m.end].lower_ in (
                "of", "at", "from")) and (org := subject_before(ctx, first, " ".join(runs[-1]))):
        # "The Exporters Association says ... Chief executive John Walley says": the body the story just named
        yield ctx.relation(m.name, "leads", org, ctx.doc[m.start].sent, "leader_of_subject_before", 0.6)
    elif runs[-1] and not (m.end < len(ctx.doc) and ctx.doc[m.end].lower_ in ("of", "at", "from")) and (
            first == 0 or ctx.doc[first - 1].pos_ not in ("NOUN", "PROPN", "ADJ")) and (
            org := only_of_class(ctx, ctx.lex.value("titles", "class_heads").get(" ".join(runs[-1])))):
        # "Superintendent X" in a story about one school district, "CEO X" in one about one company
        yield ctx.relation(m.name, "leads", org, ctx.doc[m.start].sent, "class_head_of_story", 0.6)
    elif runs[-1] and " ".join(runs[-1]) in ctx.lex.words("titles", "town_leader") \
            and (place := place_of_story(ctx, m.start)):
        # "Mayor Lori Lightfoot" in a story from Chicago: the city the story is set in
        yield ctx.relation(m.name, "leads", place, ctx.doc[m.start].sent, "place_leader_of_story", 0.7)
    elif runs[-1] and " ".join(runs[-1]) in ctx.lex.words("titles", "national_leader") \
            and ctx.doc[first].text[:1].isupper() and not (first > 0 and ctx.doc[first - 1].text[:1].isupper()) \
            and (country := country_of_story(ctx)):
        # (not "Hava-Is president X", whose owner the NER missed)
        # "President Ana Roe" in a story set in a country the article names: its head of state
        yield ctx.relation(m.name, "leads", country, ctx.doc[m.start].sent, "national_leader_of_story", 0.6)


def _owner_of_title_before(ctx: Ctx, first: int) -> str | None:
    """'SAG president Bo Li and executive director Ann Roe': the owner named before the first person's title."""
    doc = ctx.doc
    if first < 2 or doc[first - 1].lower_ not in ("and", ","):
        return None
    prev = ctx.table.tok2mention.get(first - 2)
    if prev is None or ctx.cls(prev.name) != "Person":
        return None
    words, start = _title_before(ctx, prev.start)
    return _owner_left_of(ctx, start - 1) if words else None


def leader_of_named_body(ctx: Ctx, m: Mention) -> Iterator[Relation]:
    """'head of the Federal Employment Agency Frank Weise', 'Minister of Education Jan Tinetti' (who leads the
    Ministry of Education the article names): a title of a body right before the name, or after it ('X, the health
    minister,')."""
    doc = ctx.doc
    # "The President of the Workers' Union (KSPI) Said Iqbal"
    owner = ctx.table.tok2mention.get(_before_short_form(doc, m.start - 1))
    if owner is not None and ctx.cls(owner.name) in LEADABLE:
        k = owner.start - 1
        k -= k >= 0 and doc[k].lower_ == "the"
        if k > 0 and doc[k].lower_ == "of" and is_leader_title(ctx, _title_before(ctx, k)[0]):
            yield ctx.relation(m.name, "leads", owner.name, doc[m.start].sent, "leader_of_named_body", 0.8)
        return
    # "Minister of Education Jan Tinetti": the field words between "of" and the name
    ministerial = ctx.lex.words("titles", "ministerial")
    j = m.start - 1
    while j > 1 and doc[j].text[:1].isupper() and doc[j - 1].lower_ != "of":
        j -= 1
    if j >= 2 and j < m.start and doc[j - 1].lower_ == "of" and doc[j - 2].lower_ in ministerial:
        field = norm_key(doc[j:m.start].text)
    elif m.start >= 2 and doc[m.start - 1].lower_ in ministerial and doc[m.start - 2].text[:1].isupper():
        # "Health Secretary Steve Barclay", "Labour Minister X": the field before the title
        k = m.start - 2
        while k > 0 and doc[k - 1].text[:1].isupper() and doc[k - 1].pos_ in ("PROPN", "NOUN") \
                and k - 1 not in ctx.table.tok2mention:
            k -= 1
        field = norm_key(doc[k:m.start - 1].text)
    elif m.end + 3 < len(doc) and doc[m.end].text == "," and doc[m.end + 1].lower_ == "the" \
            and doc[m.end + 3].lower_ in ministerial:
        field = doc[m.end + 2].lower_  # "Adam Niedzielski, the health minister,"
    else:
        return
    bodies = ctx.lex.words("titles", "ministry_words")
    for name, ent in ctx.table.entities.items():
        if ent.cls == "GovernmentOrganization" and any(
                norm_key(label) in {f"{b} of {field}" for b in bodies} | {f"{field} {b}" for b in bodies}
                for label in ent.labels | {name}):
            yield ctx.relation(m.name, "leads", name, doc[m.start].sent, "leader_of_named_body", 0.8)
            return


def leader_in_brackets(ctx: Ctx, m: Mention) -> Iterator[Relation]:
    """'the Hollywood bosses - Ann Roe (Acme Studios), Bo Li (Zenith)': a company in brackets after a person
    in a list of leaders or executives."""
    doc = ctx.doc
    if m.end + 2 >= len(doc) or doc[m.end].text != "(":
        return
    inner = ctx.table.tok2mention.get(m.end + 1)
    if inner is None or doc[inner.end].text != ")" or ctx.cls(inner.name) != "Company":
        return
    yield ctx.relation(m.name, "leads", inner.name, doc[m.start].sent, "leader_in_brackets", 0.6)


def _title_runs(ctx: Ctx, tokens: list[Token]) -> list[list[Token]]:
    """Runs of consecutive title words: "president" and "chief negotiator" in "president and chief negotiator"."""
    vocab = _title_words(ctx) - {"and"}
    runs: list[list[Token]] = []
    for k, t in enumerate(tokens):
        joined = t.text == "-" and k + 1 < len(tokens) and tokens[k + 1].lower_ in vocab  # "secretary-general"
        if t.lower_ not in vocab and not (joined and runs and tokens[k - 1] is runs[-1][-1]):
            continue
        if runs and tokens[k - 1] is runs[-1][-1]:
            runs[-1].append(t)
        else:
            runs.append([t])
    return runs


def _role_in(ctx: Ctx, tokens: list[Token]) -> str | None:
    """The organisation led according to a phrase like "the alliance's president" or "chief executive of Y"."""
    for run in _title_runs(ctx, tokens):
        if not is_leader_title(ctx, [t.lower_ for t in run]) or _heads_a_department(ctx, run[-1].i + 1):
            continue
        # "the PCLU's Canadian president": the owner is the title's possessive, wherever the adjectives are
        owner = next((o for t in reversed(run) if (o := _title_owner(ctx, t))), None)  # 'of' may hang on any word
        k = run[-1].i + 1
        if k + 1 < len(ctx.doc) and ctx.doc[k].lower_ == "of":  # "a lawmaker and president of the X union":
            k += 1 + (ctx.doc[k + 1].lower_ == "the")  # the parser may hang 'of' on the first noun
        after = ctx.table.tok2mention.get(k)  # "Filbert Baguma, General Secretary UNATU"
        right = after.name if after is not None and after.start == k and ctx.cls(after.name) in LEADABLE and not (
            after.end < len(ctx.doc) and ctx.doc[after.end].lower_ in POSSESSIVES) else None  # not "of X's branch"
        if right is None and after is None and k < len(ctx.doc) and ctx.doc[k - 1].lower_ == "the" \
                and ctx.doc[k].lower_ in ctx.lex.nominal_classes() and ctx.doc[k].dep_ not in ("amod", "compound") \
                and ctx.cls(ctx.entity_of(ctx.doc[k])) in LEADABLE:
            right = ctx.entity_of(ctx.doc[k])  # "leader of the council", wherever the parser hung 'of'
        return owner or _owner_left_of(ctx, run[0].i - 1) or right
    return None


def _heads_a_department(ctx: Ctx, k: int) -> bool:
    """'head of human resources', 'director of communications': a title 'of' a field in lower case, no
    organisation's word among it, heads a department, not the organisation."""
    doc = ctx.doc
    if k + 1 >= len(doc) or doc[k].lower_ != "of":
        return False
    field = list(itertools.takewhile(lambda t: t.pos_ in ("NOUN", "ADJ") and t.text.islower(), doc[k + 1:k + 5]))
    after = k + 1 + len(field)
    # the field ends the phrase ('head of human resources, X', '... of operations at Y'), no name after it
    # ('president of carmaker Voltmotors', 'chair of nurses union Carewell')
    ends = after >= len(doc) or doc[after].pos_ in ("PUNCT", "ADP", "CCONJ", "VERB", "AUX")
    return bool(field) and ends and not any(t.lower_ in ctx.lex.nominal_classes() or t.lemma_.lower() in
                                            ctx.lex.nominal_classes() for t in field)


def _role_in_words(ctx: Ctx, tokens: list[Token]) -> bool:
    """Whether the tokens are a leader's title and nothing else ('General Secretary')."""
    return all(t.lower_ in _title_words(ctx) for t in tokens) and is_leader_title(ctx, [t.lower_ for t in tokens])


def leader_apposition(ctx: Ctx, m: Mention) -> Iterator[Relation]:
    """'Maria Delgado, the alliance's president,' and 'Meridian Freight's chief executive, Alicia Moreno'."""
    doc = ctx.doc
    sent = doc[m.start].sent
    owner = None
    # (also without the comma: "joined by Laura Walton the president of the Federation of Labour")
    # (the title in apposition to the name, not the subject of a clause: "told Juan Perez the president of X had")
    bare = m.end + 1 < sent.end and doc[m.end].lower_ == "the" and doc[m.end + 1].lower_ in _title_words(ctx) \
        and doc[m.end + 1].dep_ == "appos"
    if m.end < sent.end and (doc[m.end].text == "," or bare):
        right: list[Token] = []
        for t in doc[m.end + (not bare):sent.end]:
            if ctx.is_person(t) or not right and t.lower_ == "and":
                right = []  # "A, Acme co-CEO B and ...", "A, and managing director of X, B": the title is B's
                break
            if t.text in (",", ";", "(", ")", "–", "—") or (t.pos_ == "VERB" and t.dep_ != "compound") or (
                    t.pos_ == "ADP" and t.lower_ not in ("of", "at", "for") and right):
                break  # a verb ends the phrase, but "managing" in "managing partner" is part of a title; a dash
                # ends a byline ("Ana Roe, Jakarta – The President of X ..."); so does "in a news release"
            right.append(t)
        owner = _role_in(ctx, right)
        after = m.end + (not bare) + len(right)
        if owner is None and right and after + 1 < sent.end and doc[after].text == "," and \
                _role_in_words(ctx, right) and (nxt := ctx.table.tok2mention.get(after + 1)) is not None \
                and ctx.cls(nxt.name) in LEADABLE:
            owner = nxt.name  # "C.H. Venkatachalam, General Secretary, All India Bank Employees Association"
    k = m.start - 1
    while k > sent.start and doc[k].lower_ in ctx.lex.words("titles", "personal_honorifics"):
        k -= 1  # "..., Dr. Eric Nkansah"
    if owner is None and k > sent.start and doc[k].text == ",":
        left: list[Token] = []
        stop = k
        if doc[k - 1].text == ")" and k - 3 > sent.start and doc[k - 3].text == "(":
            stop = k - 3  # "the Director-General of the Ghana Education Service (GES), Dr. Eric Nkansah"
        for t in reversed(doc[sent.start:stop]):
            if t.text in (",", ";", "(", ")") or (t.pos_ == "VERB" and t.dep_ != "compound") or ctx.is_person(t):
                break
            left.insert(0, t)
        owner = _role_in(ctx, left)
    if owner:
        yield ctx.relation(m.name, "leads", owner, sent, "leader_apposition", 0.85)


def possessive_affiliation(ctx: Ctx, m: Mention) -> Iterator[Relation]:
    """'Acme's Jane Roe': an executive named with the company's possessive."""
    i = m.start - 1
    if i > 0 and ctx.doc[i].lower_ in POSSESSIVES:
        owner = _owner_left_of(ctx, i)
        if owner and ctx.cls(owner) in ORGANIZATION_CLASSES:
            yield ctx.relation(m.name, "leads", owner, ctx.doc[m.start].sent, "possessive_affiliation", 0.7)


def _title_owner(ctx: Ctx, title: Token) -> str | None:
    """The organisation of a title noun: 'president of Y', 'its president', 'the union's president',
    'the UTE, whose national president, ...'."""
    for child in title.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "at", "for"):
            for pobj in child.children:
                branches = ctx.lex.words("typing", "union_branch_words")
                if pobj.i not in ctx.table.tok2mention and (pobj.lower_ in branches or any(
                        c.lower_ in branches for c in pobj.children)):
                    continue  # "president of the local union", "of the union local": a local the story leaves unnamed
                if (name := ctx.entity_of(pobj)) and ctx.cls(name) in LEADABLE:
                    return name
        if child.dep_ == "poss" and (name := ctx.entity_of(child)) and ctx.cls(name) in LEADABLE:
            return name
    return None


def leader_predicate(ctx: Ctx) -> Iterator[Relation]:
    """'X is the president of Y', 'X serves as president of Y', 'Y elected X as its president'."""
    heads = frozenset(t.split()[-1] for t in ctx.lex.words("titles", "leader"))
    for tok in tokens_with(ctx.doc, heads):
        if tok.i in ctx.in_quote or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        words = [c.lower_ for c in tok.children if c.dep_ in ("amod", "compound")] + [tok.lower_]
        if not is_leader_title(ctx, words):
            continue
        person_tok = None
        if tok.dep_ == "attr":  # "X is the president of Y"
            person_tok = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        elif tok.dep_ == "pobj" and tok.head.lower_ == "as":  # "serves as", "elected X as"
            verb = tok.head.head
            person_tok = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None) or next(
                (c for c in verb.children if c.dep_ == "nsubj"), None)
        if person_tok is None or ctx.is_hypothetical(tok.head):
            continue
        person, owner = ctx.entity_of(person_tok), _title_owner(ctx, tok)
        if person is not None and ctx.cls(person) == "Person" and owner:
            yield ctx.relation(person, "leads", owner, tok.sent, "leader_predicate", 0.8)


def leads_verb(ctx: Ctx) -> Iterator[Relation]:
    """'X, who leads the union', 'X heads the council', 'the union, led by X'."""
    for tok in tokens_with(ctx.doc, ctx.lex.words("titles", "lead_verbs"), lemma=True):
        if tok.pos_ != "VERB" or tok.i in ctx.in_quote:
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        by = next((c for c in tok.children if c.dep_ == "agent"), None)
        if by is not None and tok.dep_ == "acl":  # "the union, led by X"
            subj, obj = next((c for c in by.children if c.dep_ == "pobj"), None), tok.head
        if subj is None or obj is None or ctx.is_hypothetical(tok):
            continue
        if subj.lower_ in ("who", "that") and tok.dep_ == "relcl":
            subj = ctx.person_of(tok.head)  # "X, a former driver who has headed the union since 2019"
        owner = ctx.entity_of(obj)
        if owner is None and by is not None and tok.i > 1 and ctx.doc[tok.i - 1].text == ",":
            # "negotiations with the X Union (XU), led by ...": the name before the comma, wherever it was hung
            owner = ctx.entity_of(ctx.doc[_before_short_form(ctx.doc, tok.i - 2)])
        people = [ctx.entity_of(subj)]
        if by is not None and ctx.cls(people[0]) != "Person":  # "led by union leaders A and B"
            people = list(dict.fromkeys(n for t in subj.subtree if ctx.cls(n := ctx.entity_of(t)) == "Person"))
        for person in people:
            if person is not None and owner is not None and ctx.cls(person) == "Person" and ctx.cls(owner) in LEADABLE:
                yield ctx.relation(person, "leads", owner, tok.sent, "leads_verb", 0.8)


def extract_leads(ctx: Ctx) -> Iterator[Relation]:
    rules = (leader_title_before_name, leader_apposition, possessive_affiliation, leader_in_brackets,
             leader_of_named_body)
    for m in (m for m in ctx.table.mentions if ctx.cls(m.name) == "Person"):
        if m.start in ctx.in_quote:
            # a speaker's "British Gas boss Chris O'Shea" names a title and its owner as the reporter's would (not
            # the story's fallbacks: "President Trump's tariffs" in a Canadian's words is no Canadian leader)
            yield from (r for r in leader_title_before_name(ctx, m) if r.evidence.rule == "leader_title_before_name")
            continue
        for rule in rules:
            yield from rule(ctx, m)
    yield from leads_verb(ctx)
    yield from leader_predicate(ctx)
