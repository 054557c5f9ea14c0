"""What every extraction rule gets: the parsed document, its entities, its quotations and shared helpers.

The helpers answer the questions all rules ask: which entity does this token stand for, which tokens are
coordinated with it, is this clause negated or hypothetical, and who are "the two sides" at this point.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import wraps

from spacy.tokens import Doc, Span, Token

from graph.extract.doccache import doc_lemmas, doc_lowers, doc_text, doc_tokens
from graph.extract.lexicon import Lexicon
from graph.extract.table import DEFINITE, PRONOUNS_ORG, EntityTable
from graph.model import ORGANIZATION_CLASSES, Article, Evidence, PartialDate, Relation

# Dependencies through which a head's meaning reaches what hangs on it ("threatened to strike").
COMPLEMENTS = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "purpose", "compound", "amod"})


@dataclass
class Ctx:
    doc: Doc
    article: Article
    lex: Lexicon
    table: EntityTable
    quotes: list[tuple[int, int]]
    in_quote: frozenset[int]
    # Sentences and their tokens, made once: a dozen rules walk every sentence, and spaCy builds a new Token
    # object on each walk (a fifth of the extraction time before this cache).
    # Person -> the organisation they lead, filled once the leads rules have run: "talks between Stutzman and
    # Lombardini" are talks between their organisations.
    affiliation: dict[str, str] = field(default_factory=dict)
    # (union, employer) pairs the text sets against each other without a relation of ours: "X struck against
    # Y", "workers at Y". The dispute frames start from them and from the talks and deals found.
    frame_cues: list[tuple[str, str]] = field(default_factory=list)
    _sentences: list[Span] | None = field(default=None, repr=False)
    _tokens: dict[int, list[Token]] = field(default_factory=dict, repr=False)
    _words: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)
    _hypothetical: dict[tuple[int, frozenset[str]], bool] = field(default_factory=dict, repr=False)

    # --- entities -------------------------------------------------------------------------------------
    def cls(self, name: str | None) -> str | None:
        return self.table.entities[name].cls if name in self.table.entities else None

    def entity_of(self, tok: Token) -> str | None:
        """The entity a token stands for: part of a named mention, a definite nominal, or 'it'/'they'."""
        m = self.table.tok2mention.get(tok.i)
        if m is not None:
            return m.name
        nominals = self.lex.nominal_classes()
        if tok.lower_ in nominals and tok.dep_ == "appos" and (named := self.table.tok2mention.get(tok.head.i)):
            return named.name  # "Harrow & Stiles, a Chicago law firm that ..."
        if tok.lower_ in nominals:
            for child in tok.children:  # "the train drivers' union ALV"
                if child.dep_ == "appos" and (named := self.table.tok2mention.get(child.i)) is not None:
                    return named.name
        k = tok.i - 1
        if k > 0 and self.doc[k].lower_ in ("'", "’", "'s", "’s"):
            k -= 1  # "the employers' group"
        prev = self.doc[k].lower_ if k >= 0 else ""
        for phrase in (f"{prev} {tok.lower_}", tok.lower_, tok.lemma_.lower()):
            if phrase in nominals and not self._relational(tok) and (
                    inner := self._named_inside(tok, nominals[phrase])):
                return inner  # "the ACTA actors' union", "the Teamsters union"
            if phrase in nominals and self._is_definite(tok):
                return self.table.resolve_nominal(phrase, tok.i)
        if tok.lower_ == "whose":  # "the Federation, whose president, X, ..." -> the Federation
            t = tok
            for _ in range(4):
                if t.dep_ == "relcl" or (t.i != tok.i and t.dep_ == "appos"):
                    # the parser may hang "whose president" on the name as an apposition, not a clause
                    return self.entity_of(t.head)
                t = t.head
            return None
        if tok.pos_ == "PROPN" and (person := self.table.lookup(tok.text, "Person")):
            return person  # a surname the NER missed
        if tok.lower_ in PRONOUNS_ORG and tok.pos_ == "PRON":
            return self._subject_org(tok) or self.table.most_recent(tok.i, ORGANIZATION_CLASSES)
        if tok.lower_ in ("he", "she", "him", "her", "his") and tok.pos_ == "PRON":
            return self._previous_subject(tok) or self._person_before(tok)
        if tok.tag_ in ("WDT", "WP") and tok.head.dep_ == "relcl" or (
                tok.lower_ in ("which", "who") and tok.head.dep_ == "relcl"):
            return self.entity_of(tok.head.head)
        return None

    def _person_before(self, tok: Token) -> str | None:
        """The person named last before a pronoun outside quotations ('"... the Minister for Health, X, ...," he
        said' is the speaker named before; so is 'him' in '"X has offered nothing." According to him'); a person
        named only inside a quotation is taken when there is no other."""
        return next((m.name for m in reversed(self.table.mentions) if m.start < tok.i and self.cls(m.name) == "Person"
                     and m.start not in self.in_quote), None) or self.table.most_recent(tok.i, {"Person"})

    def _previous_subject(self, tok: Token) -> str | None:
        """'Dr Lane said: "...". He claimed that Mr Barclay had no mandate. He added: ...': a 'he' opening a
        sentence as its subject goes on with the person the sentence before was about, not with the last
        person named in it; so does the 'he' of '"...," he said' (the quotation's own subjects do not count)."""
        if tok.lower_ not in ("he", "she") or tok.dep_ != "nsubj" or tok.head.dep_ != "ROOT" \
                or any(t.dep_ in ("nsubj", "nsubjpass") for t in tok.sent if t.i < tok.i and not (
                    t.i in self.in_quote and tok.head.lemma_.lower() in self.lex.words("quotes", "speech_verbs"))):
            return None
        start = tok.sent.start
        if start == 0:
            return None
        prev = self.doc[start - 1].sent
        root = prev.root
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            return None
        m = self.table.tok2mention.get(subj.i)
        name = m.name if m is not None else (self.entity_of(subj) if subj.lower_ in ("he", "she") else None)
        return name if self.cls(name) == "Person" else None

    def _subject_org(self, tok: Token) -> str | None:
        """The organisation that is the subject of a clause above a possessive pronoun: in "KNA said its members
        backed the agreement", 'its' is KNA's, however many names come between."""
        if tok.dep_ != "poss":
            return None
        t = tok.head
        for _ in range(6):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i), None)
            if subj is not None and subj.i != tok.head.i and subj.lower_ not in PRONOUNS_ORG:
                # "the employers' group, which ..., said its offer": a named or a nominal subject
                name = self.entity_of(subj)
                if name is not None and self.cls(name) in ORGANIZATION_CLASSES:
                    return name
            if t.head.i == t.i:
                break
            t = t.head
        return None

    def _relational(self, tok: Token) -> bool:
        """'Chrysler parent company Stellantis', 'its sister union': the name inside is another organisation."""
        return any(c.lower_ in self.lex.words("typing", "relational_modifiers") for c in tok.children)

    def _named_inside(self, tok: Token, cls: str) -> str | None:
        for t in tok.subtree:
            if t.i >= tok.i:
                break
            m = self.table.tok2mention.get(t.i)
            if m is not None and self.cls(m.name) == cls:
                return m.name
        return None

    def _is_definite(self, tok: Token) -> bool:
        if tok.lower_ in ("its", "their"):
            return False
        dets = [c.lower_ for c in tok.children if c.dep_ in ("det", "poss")]
        if any(d in ("a", "an", "no", "every", "each", "any", "another", "some") for d in dets):
            return False
        if tok.tag_ in ("NNS", "NNPS") and tok.lower_ not in self.lex.words("typing", "committee_people"):
            return False  # "the unions" is more than one
        compound_ok = tok.dep_ in ("compound", "nmod") and self.lex.nominal_classes().get(tok.lower_) == "LaborUnion"
        # a possessive makes a noun phrase definite: "the employers' group", "the city's union"
        possessed = any(c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN") for c in tok.children)
        return bool(set(dets) & DEFINITE) or compound_ok or possessed or (
            tok.text[:1].isupper() and tok.is_sent_start) or (tok.i > 0 and self.doc[tok.i - 1].lower_ == "the")

    def person_of(self, tok: Token) -> Token:
        """`tok`, or the person it stands in apposition to ('Rammelt, a former driver', 'Wojcik, a nurse at
        Three Rivers who ...')."""
        t = tok
        for _ in range(4):
            if self.is_person(t):
                return t
            if t.dep_ == "appos":
                return t.head if self.is_person(t.head) else tok
            if t.dep_ not in ("pobj", "prep") or t.head.i == t.i:
                break
            t = t.head
        return tok

    def is_person(self, tok: Token) -> bool:
        m = self.table.tok2mention.get(tok.i)
        return m is not None and self.cls(m.name) == "Person"

    def org(self, tok: Token) -> str | None:
        name = self.entity_of(tok)
        return name if self.cls(name) in ORGANIZATION_CLASSES else None

    def is_both_sides(self, tok: Token) -> bool:
        phrases = self.lex.words("nominals", "both_sides")
        text = " ".join(t.lower_ for t in tok.subtree if t.dep_ != "prep" and t.i <= tok.i)
        return any(text.endswith(p) or text == p for p in phrases)

    # --- syntax ---------------------------------------------------------------------------------------
    @staticmethod
    def conjuncts(tok: Token) -> list[Token]:
        """A token and every token coordinated with it ("A, B and C")."""
        out, stack = [], [tok]
        while stack:
            t = stack.pop()
            out.append(t)
            stack.extend(c for c in t.children if c.dep_ in ("conj", "appos") and c.pos_ in ("PROPN", "NOUN", "NUM"))
        return sorted(out, key=lambda t: t.i)

    def is_negated(self, tok: Token) -> bool:
        return self._negates(list(tok.children))

    def _negates(self, children: list[Token]) -> bool:
        """A negation among a token's children ('not', 'no', 'never')."""
        negs = self.lex.words("events", "negations")
        return any(c.dep_ in ("neg", "det") and c.lower_ in negs for c in children)

    def is_hypothetical(self, tok: Token, allow: frozenset[str] = frozenset()) -> bool:
        """Negated, modal, future or under a verb like 'threaten', 'vote', 'hope' up the tree. The heads in
        `allow` do not count ('voted to end the strike' ended it)."""
        key = (tok.i, allow)  # several rules ask about the same trigger
        found = self._hypothetical.get(key)
        if found is None:
            found = self._hypothetical[key] = self._is_hypothetical(tok, allow)
        return found

    def _is_hypothetical(self, tok: Token, allow: frozenset[str]) -> bool:
        modal = self.lex.words("events", "modal_words")
        heads = self.lex.words("events", "hypothetical_heads")
        heads = heads - allow if allow else heads
        negations = self.lex.words("events", "negations")
        raising = self.lex.words("events", "hypothetical_for_subject")
        nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
        if nxt is not None and nxt.tag_ == "MD" and tok.pos_ in ("NOUN", "PROPN"):
            return True  # "announcing negotiations would resume", whatever the parser made of it
        t, steps, via = tok, 0, ""
        while steps < 6:
            kids = list(t.children)  # read six times below: each pass over Token.children makes new Tokens
            if self._negates(kids) or (t.dep_ in ("pcomp", "pobj") and t.head.lower_ in negations):
                return True  # "met without reaching a deal"
            if any(c.dep_ in ("aux", "auxpass") and c.lower_ in modal for c in kids):
                return True
            if any(c.dep_ in ("mark", "advmod") and c.lower_ in ("if", "unless", "whether") for c in kids):
                return True
            # A head's meaning reaches its complements ("threatened to strike", "authorized a strike", "a plan
            # to strike"), not a clause of its own: a coordinated clause ("voted to approve the deal, and the
            # strike ended"), a subject ("talks failed to produce a deal": the talks took place) or an adverbial
            # clause ("voted down the offer before they walked off the job").
            # "voted down", "called off the strike after reaching a deal": no longer a head of what may be (but
            # "called off its ballot to take action": what is called off is still what may have been)
            undone = any(c.dep_ == "prt" and (c.lower_ in ("down", "against") or c.lower_ == "off" and via in (
                "prep", "advcl")) for c in kids)
            if t.i != tok.i and (t.lemma_.lower() in heads and via in COMPLEMENTS and not undone
                                 or t.lemma_.lower() in raising and via in ("nsubj", "nsubjpass")):
                return True  # "talks are scheduled to resume", "a deal is expected"
            if t.dep_ == "relcl" or t.dep_ == "advcl" and any(c.dep_ in ("nsubj", "nsubjpass") for c in kids) or (
                    t.dep_ == "prep" and t.lower_ in self.lex.words("events", "adjunct_preps") and _done(t.head)):
                # a relative clause asserts on its own ("a strike by actors who walked off the job"), and so
                # does an adverbial clause with its own subject ("should they be asked as talks continue")
                break
            if t.dep_ in ("xcomp", "ccomp", "advcl", "conj", "acl", "pcomp", "pobj", "prep", "dobj", "dative",
                          "agent", "nsubj", "nsubjpass", "compound", "amod") and t.head.i != t.i:
                to = any(c.dep_ == "aux" and c.lower_ == "to" for c in kids)
                via = "purpose" if t.dep_ == "advcl" and to else t.dep_
                t, steps = t.head, steps + 1
                continue
            break
        return False

    def listed_after(self, i: int, sent: Span) -> list[str]:
        """Organisations named in the list that follows token i, up to the end of its clause (the parse of
        "on behalf of terminal operators A and B" or "talks with the Alliance of X and Y" often hangs the
        names elsewhere)."""
        names: list[str] = []
        for tok in self.doc[i + 1:sent.end]:
            nxt = self.doc[tok.i + 1] if tok.i + 1 < sent.end else None
            if tok.text in (";", ".", ":") or (tok.pos_ in ("VERB", "AUX") and tok.i not in self.table.tok2mention):
                break
            if tok.text == "," and nxt is not None and (nxt.pos_ == "VERB" or nxt.lower_ in ("which", "who")):
                break
            if (name := self.org(tok)) and name not in names:
                names.append(name)
        return names

    # --- output ---------------------------------------------------------------------------------------
    def evidence(self, sent: Span, rule: str, confidence: float) -> Evidence:
        text = doc_text(self.doc)[sent.start_char:sent.end_char]  # sent.text, without building its tokens
        lead, trail = len(text) - len(text.lstrip()), len(text) - len(text.rstrip())
        # Offsets cover exactly the stored sentence text, without the white space around it.
        return Evidence(sentence=text.strip(), start=sent.start_char + lead, end=sent.end_char - trail, rule=rule,
                        confidence=confidence)

    def relation(self, s: str, p: str, o: str | PartialDate, sent: Span, rule: str,
                 confidence: float) -> Relation:
        return Relation(s, p, o, self.evidence(sent, rule, confidence))

    def sentences(self) -> list[Span]:
        """Sentences with at least one token outside quotations (rules do not read quoted speech as fact)."""
        if self._sentences is None:
            self._sentences = [sent for sent in self.doc.sents
                               if any(t.i not in self.in_quote for t in self.tokens(sent) if not t.is_punct)]
        return self._sentences

    def tokens(self, sent: Span) -> list[Token]:
        """The tokens of a sentence, as one list per sentence for the whole extraction."""
        found = self._tokens.get(sent.start)
        if found is None:
            found = self._tokens[sent.start] = doc_tokens(self.doc)[sent.start:sent.end]
        return found

    def words(self, sent: Span) -> frozenset[str]:
        """Every word of a sentence, lowercased as written and as its lemma (see `triggered`)."""
        found = self._words.get(sent.start)
        if found is None:
            start, end = sent.start, sent.end
            found = self._words[start] = frozenset(doc_lowers(self.doc)[start:end] + doc_lemmas(self.doc)[start:end])
        return found


SentenceRule = Callable[[Ctx, Span], Iterator[Relation]]


def triggered(*lists: tuple[str, str]) -> Callable[[SentenceRule], SentenceRule]:
    """For a sentence rule that fires only on a token (or the head of one) whose word or lemma is in one of the
    lexicon's `lists` (section, key): the rule is not run on a sentence holding none of their words. A dozen
    rules each walked every token of every sentence for words most sentences lack; the output is the same."""
    def wrap(rule: SentenceRule) -> SentenceRule:
        @wraps(rule)
        def guarded(ctx: Ctx, sent: Span) -> Iterator[Relation]:
            if ctx.words(sent).isdisjoint(ctx.lex.union(*lists)):
                return iter(())
            return rule(ctx, sent)
        return guarded
    return wrap


def _done(verb: Token) -> bool:
    """Whether `verb` is in the simple past ('called a strike after the talks', not 'planned to strike after')."""
    return verb.tag_ == "VBD" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def counted_noun(tok: Token) -> Token:
    """'Thousands of dockworkers', '300 of its members': the noun a quantity counts (else the token itself)."""
    counts = tok.like_num or tok.lemma_.lower() in ("thousand", "hundred", "dozen", "million")
    return next((p for c in tok.children if counts and c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                 if p.dep_ == "pobj"), tok)


def union_of(ctx: Ctx, tok: Token) -> str | None:
    """The union a noun phrase stands for: the union itself, or the union of the workers it names.

    'the union', 'Members of X', 'the guild's members', 'X members', 'nurses represented by X', and 'painters'
    when a union named before holds that word ('Screen Painters Guild').
    """
    name = ctx.entity_of(tok)
    if ctx.cls(name) == "LaborUnion":
        return name
    if name is not None:
        return None
    if tok.tag_ in ("WDT", "WP") or tok.lower_ in ("who", "which", "that"):
        return union_of(ctx, tok.head.head) if tok.head.dep_ == "relcl" else None
    workers = ctx.lex.union(("typing", "worker_nouns"), ("events", "members_words"))
    for child in tok.children:  # "the guild's national board", "the union's leadership"
        if child.dep_ in ("poss", "compound", "nmod") and ctx.cls(u := ctx.entity_of(child)) == "LaborUnion":
            return u
    if tok.lower_ not in workers and tok.lemma_.lower() not in workers:  # "Thousands of dockworkers": the workers
        return union_of(ctx, counted) if (counted := counted_noun(tok)) is not tok else None
    for child in tok.children:
        target = None
        if child.dep_ in ("poss", "compound", "nmod"):
            target = child
        elif child.dep_ == "prep" and child.lower_ in ("of", "at", "with"):
            target = next((c for c in child.children if c.dep_ == "pobj"), None)
        elif child.dep_ in ("acl", "relcl"):  # "nurses represented by X", "workers who belong to X"
            by = next((c for c in child.children if c.dep_ == "agent"
                       or c.dep_ == "prep" and c.lower_ in ("to", "in", "with")), None)
            target = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        if target is not None and ctx.cls(u := ctx.entity_of(target)) == "LaborUnion":
            return u
    trade = {c.lower_ for c in tok.children if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN")
             and c.i not in ctx.table.tok2mention}  # not "Toronto nurses": a place names no trade
    named = [e.name for e in ctx.table.entities.values() if e.cls == "LaborUnion" and trade & norm_words(e.name)] \
        if trade else []
    if len(named) == 1:  # "Dock workers" -> the union named for the docks, not one named for 'workers'
        return named[0]
    for ent in ctx.table.before(tok.i):  # "Writers" -> the union named for writers
        if ent.cls == "LaborUnion" and tok.lower_ in norm_words(ent.name):
            return ent.name
    # "Pilots at Northstar Air have been on strike ... The Canadian Airline Pilots Guild said": named just after
    limit = tok.sent.end + 60  # Token.sent builds the sentence's span each time: once
    soon = [(m.start, m.name) for m in ctx.table.mentions if tok.i < m.start < limit
            and ctx.cls(m.name) == "LaborUnion" and tok.lower_ in norm_words(m.name)]
    if soon:
        return min(soon)[1]
    earlier = ctx.table.most_recent(tok.i, {"LaborUnion"})
    if earlier:
        return earlier
    # The union may be named later in the same sentence ("..., the first strike by the ILA in 50 years").
    sent = tok.sent
    same = next((m.name for m in ctx.table.mentions
                 if sent.start <= m.start < sent.end and ctx.cls(m.name) == "LaborUnion"), None)
    if same:
        return same
    # A lede about "machinists" before the union is named: the union named for them, or the main union.
    later = [m.name for m in ctx.table.mentions if m.start > tok.i and ctx.cls(m.name) == "LaborUnion"]
    return next((n for n in later if tok.lower_ in norm_words(n)), later[0] if later else None)


def norm_words(name: str) -> set[str]:
    return set(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())
