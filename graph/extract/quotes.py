"""Quote attribution: who said each direct quotation (ng:issuesStatement).

A quotation belongs to the subject of the speech verb next to it ("X said", "said X", "X wrote in a message"),
to the object of "according to", to the owner of a carrier noun ("a statement from the alliance said"), to the
subject of a verb that issues the carrier ("X issued a statement saying ..."), or, when it has no attribution of
its own and follows an attributed quotation, to the same speaker (a quote running on across sentences).
"""
from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from graph.extract.context import Ctx
from graph.extract.doccache import doc_text, tokens_with
from graph.extract.entities import Mention
from graph.extract.quote_marks import DASH_OPENERS, opening_mark
from graph.model import ORGANIZATION_CLASSES, Quote

SPEAKER_CLASSES = (ORGANIZATION_CLASSES | {"Person"}) - {"MediaOutlet"}
# The speakers of the statement named last ('X and Y said in a joint statement. "...," the statement added').
STATEMENT_BEFORE = "?statement"
CLIMB = ("advcl", "xcomp", "conj", "acl", "relcl", "dobj", "pobj", "prep", "ccomp", "npadvmod")


# A straight quote opens or closes by its neighbours; curly quotes say which they are.
def _carrier_owner(ctx: Ctx, tok: Token) -> str | None:
    """'a statement from the alliance', 'the union's message', 'a Disney spokesperson' -> the owner."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "of", "by", "for"):
            for pobj in child.children:
                if pobj.dep_ == "pobj" and (name := ctx.entity_of(pobj)):
                    return name
        if child.dep_ in ("poss", "compound", "nmod") and (name := ctx.entity_of(child)):
            return name
        if child.dep_ == "compound" and (cls := ctx.lex.nominal_classes().get(child.lower_)) and \
                tok.lemma_.lower() in ctx.lex.words("quotes", "spokes_nouns"):
            # "a company spokesperson", "a bank representative": the one organisation of that class, if one
            return ctx.table.the_only({cls})
    return None


def _spokesperson_before(ctx: Ctx, pron: Token) -> str | None:
    """'According to a spokesperson for the NS, ... "...," she said': the unnamed spokesperson, mentioned
    after any person named, is who 'she' is; the organisation speaks."""
    spokes = ctx.lex.words("quotes", "spokes_nouns")
    start = ctx.doc[pron.sent.start - 1].sent.start if pron.sent.start > 0 else pron.sent.start
    for t in reversed(ctx.doc[start:pron.i]):
        m = ctx.table.tok2mention.get(t.i)
        if m is not None and ctx.cls(m.name) == "Person":
            return None
        if t.lemma_.lower() in spokes and t.i not in ctx.table.tok2mention:
            named = ctx.entity_of(t.head) if t.dep_ == "appos" else _named_in_apposition(ctx, t)
            if ctx.cls(named) == "Person":
                return named  # "Katie Roe, the council's spokeswoman, said ... She added": the one named
            owner = _carrier_owner(ctx, t)
            return owner if ctx.cls(owner) in SPEAKER_CLASSES else None
    return None


def _named_in_apposition(ctx: Ctx, tok: Token) -> str | None:
    """'a Corvane spokesperson, Ryan Delacroix,': the person named beside a carrier noun speaks."""
    for child in tok.children:
        if child.dep_ == "appos" and ctx.cls(name := ctx.entity_of(child)) == "Person":
            return name
    return None


def _speaker_of(ctx: Ctx, tok: Token) -> str | None:
    if tok.lower_ in ("he", "she") and (owner := _spokesperson_before(ctx, tok)):
        return owner
    if tok.lemma_.lower() in ctx.lex.words("quotes", "carrier_nouns") and tok.i not in ctx.table.tok2mention:
        name = _named_in_apposition(ctx, tok) or _carrier_owner(ctx, tok)
        if ctx.cls(name) == "MediaOutlet" and tok.lemma_.lower() in ctx.lex.words("quotes", "spokes_nouns"):
            return name  # "a BBC spokesperson said": an outlet with a spokesperson speaks as an employer, not reports
    else:
        # "North Rhine-Westphalia's premier, Annette Kurzweil, said": the person named beside the title speaks,
        # also when the parser hangs the title and the name on the place
        name = ctx.entity_of(tok)
        if ctx.cls(name) not in SPEAKER_CLASSES:
            name = _named_in_apposition(ctx, tok) or _person_in_phrase(ctx, tok) or name
    return name if ctx.cls(name) in SPEAKER_CLASSES else None


def _person_in_phrase(ctx: Ctx, tok: Token) -> str | None:
    """'the new boss of the CGT Sophie Binet affirmed': the person named inside a title's phrase speaks."""
    titles = ctx.lex.split_words(("titles", "leader"))
    if tok.pos_ not in ("NOUN", "PROPN") or tok.lower_ not in titles:  # 'said CP President and CEO X' too
        return None
    return next((m.name for t in tok.subtree if (m := ctx.table.tok2mention.get(t.i)) is not None
                 and ctx.cls(m.name) == "Person"), None)


def _subject(verb: Token) -> Token | None:
    """The verb's subject; of two the parser may give ('HPU General Secretary Ana Roe said'), the nearer."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return min(subjects, key=lambda c: abs(verb.i - c.i)) if subjects else None


def _speaker_of_verb(ctx: Ctx, verb: Token) -> str | None:
    """The subject of a speech verb, climbing through participles ('issued a statement saying')."""
    t, steps = verb, 0
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as" and verb.head.head.lemma_.lower() == "quote" and (
            quoted := next((c for c in verb.head.head.children if c.dep_ == "dobj"), None)) is not None:
        return _speaker_of(ctx, quoted)  # "the release quotes Superintendent X as saying"
    while steps < 4:
        subj = _subject(t)
        if subj is not None:
            return _speaker_of(ctx, subj)
        if t.dep_ in CLIMB and t.head.i != t.i:
            if t.head.lemma_.lower() in ctx.lex.words("quotes", "carrier_nouns") and (
                    owner := _carrier_owner(ctx, t.head)):
                return owner if ctx.cls(owner) in SPEAKER_CLASSES else None
            t, steps = t.head, steps + 1
            continue
        return None
    return None


def find_speaker(ctx: Ctx, tokens: list[Token], quote_start: int) -> tuple[str | None, str]:
    """The speaker named among `tokens` (the quote's sentence outside the quote), nearest the quote first."""
    speech = ctx.lex.words("quotes", "speech_verbs")
    issue = ctx.lex.words("quotes", "issue_verbs")
    reporting = ctx.lex.words("quotes", "report_verbs")
    ordered = sorted(tokens, key=lambda t: abs(t.idx - quote_start))
    for tok in ordered:
        if tok.lower_ == "according" and (to := next((c for c in tok.children if c.lower_ == "to"), None)):
            for pobj in to.children:
                if pobj.dep_ == "pobj" and (name := _speaker_of(ctx, pobj)):
                    return name, "quote_according_to"
    for tok in ordered:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma in speech and lemma not in reporting:
            if name := _speaker_of_verb(ctx, tok):
                return name, "quote_speech_verb"
            if _subject(tok) is None and (name := _person_after(ctx, tok)):
                return name, "quote_speech_verb"  # '“...”, underlined like the others the leader of X, Ann Roe'
            if (subj := _subject(tok)) is not None and subj.lemma_.lower() in ctx.lex.words(
                    "quotes", "carrier_nouns") and any(c.lower_ in ("the", "that", "this") for c in subj.children):
                spokes = subj.lemma_.lower() in ctx.lex.words("quotes", "spokes_nouns")
                return STATEMENT_BEFORE, "quote_spokesperson_before" if spokes else "quote_statement_before"
                # '"...," the statement added.'; '"...," the spokesperson added.'

    for tok in ordered:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in issue and (subj := _subject(tok)) is not None:
            if name := _speaker_of(ctx, subj):
                return name, "quote_issued_statement"
    return None, ""


def _sentence_tokens(ctx: Ctx, start_char: int, end_char: int) -> tuple[Span | None, list[Token]]:
    """The sentences a quote touches, and their tokens outside any quotation."""
    doc = ctx.doc
    first = doc.char_span(start_char, end_char, alignment_mode="expand")
    if first is None or len(first) == 0:
        return None, []
    if first[0].i not in ctx.in_quote:  # a dash quotation: its attribution is the dash line after it
        line_end = doc_text(doc).find("\n", end_char + 1)
        after = doc.char_span(end_char, len(doc_text(doc)) if line_end < 0 else line_end, alignment_mode="expand")
        return first, [t for t in after or [] if not t.is_space]
    s0, s1 = first[0].sent, first[-1].sent
    toks = [t for t in doc[s0.start:s1.end] if t.i not in ctx.in_quote and not first.start <= t.i < first.end]
    # '"...," Bass said.' may be split off as a sentence of its own: read the next one if it is short, or if
    # it is the dash line of a quotation without quote marks.
    if s1.end < len(doc):
        nxt = doc[s1.end].sent
        if (len(nxt) <= 16 or nxt[0].text in DASH_OPENERS) and not any(t.i in ctx.in_quote for t in nxt):
            toks += list(nxt)
    return doc[s0.start:s1.end], toks


def _person_after(ctx: Ctx, verb: Token) -> str | None:
    """The first person named after a speech verb that the parser gave no subject, within its clause. A
    participle ('..., claiming that Mr X had ...') shares the subject of its clause and names no speaker, and
    a name in the clause it reports ('that X ...') is not the one speaking."""
    if verb.tag_ == "VBG" or verb.dep_ in ("advcl", "xcomp", "acl"):
        return None
    for tok in ctx.doc[verb.i + 1:min(verb.i + 14, verb.sent.end)]:
        if tok.text in ("“", '"', ";") or tok.pos_ == "VERB" or tok.dep_ == "mark" or tok.lower_ == "that":
            return None
        m = ctx.table.tok2mention.get(tok.i)
        if m is not None and ctx.cls(m.name) == "Person":
            return m.name
    return None


def _transcript_speaker(ctx: Ctx, start_char: int) -> str | None:
    """'Dana Ruiz: “We are not going back.”': a name and a colon opening the line of a quotation."""
    doc = ctx.doc
    i = opening_mark(doc, start_char)
    if i is None or doc[i - 1].text != ":":
        return None
    m = ctx.table.tok2mention.get(i - 2)
    if m is None or ctx.cls(m.name) not in SPEAKER_CLASSES:
        return None
    # at the start of a line, after title words at most ("Union spokesperson Amanda Roe: “...”")
    k = m.start
    while k > 0 and k > m.start - 4 and "\n" not in doc[k - 1].text_with_ws and doc[k - 1].is_alpha:
        k -= 1
    line_start = k == 0 or "\n" in doc[k - 1].text_with_ws
    return m.name if line_start else None


def _speaker_before_colon(ctx: Ctx, start_char: int) -> str | None:
    """'Union General Secretary Ana Roe said:' and the quotation after it, on the same line or the next: the
    speaker of the sentence the colon ends."""
    doc = ctx.doc
    i = opening_mark(doc, start_char)
    if i is None:
        return None
    while i > 1 and doc[i - 1].is_space:  # the quotation may open the next line
        i -= 1
    if doc[i - 1].text != ":":
        return None
    sent = doc[i - 1].sent
    name, _ = find_speaker(ctx, [t for t in ctx.tokens(sent) if t.i not in ctx.in_quote], start_char)
    if name is None or name == STATEMENT_BEFORE:
        return None
    # an organisation only when it is the subject itself: in "HPU General Secretary Ana Roe said:" with a
    # name the NER missed, the quotation is the person's, not the union's
    subject = any(m.name == name and doc[m.start:m.end].root.dep_ in ("nsubj", "nsubjpass")
                  for m in ctx.table.mentions if sent.start <= m.start < sent.end)
    return name if ctx.cls(name) == "Person" or subject else None


def _co_speakers(ctx: Ctx, speaker: str, toks: list[Token]) -> list[str]:
    """'the ILA and USMX said in a joint statement': everyone coordinated with the speaker speaks, people with
    people and organisations with organisations ('X, General Secretary, Acme Union, told ...' is one person
    and the union X serves)."""
    m = next((m for t in toks if (m := ctx.table.tok2mention.get(t.i)) is not None and m.name == speaker), None)
    if m is None:
        return [speaker]
    person = ctx.cls(speaker) == "Person"
    return [n for n in _coordinated(ctx, m) if n == speaker  # (an outlet speaks through its spokesperson)
            or ctx.cls(n) in SPEAKER_CLASSES and (ctx.cls(n) == "Person") == person]


def _coordinated(ctx: Ctx, m: Mention) -> list[str]:
    """The names coordinated with a mention, by the parse or, when the parser hung the list elsewhere, by the
    words ('A and B', 'A, B and C' side by side)."""
    names = [m.name]
    root = ctx.doc[m.start:m.end].root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    for conj in ctx.conjuncts(root):
        if (name := ctx.entity_of(conj)) and name not in names:
            names.append(name)
    doc, table = ctx.doc, ctx.table
    for step in (-1, 1):  # walk left from the start, then right from the end
        k = m.start - 1 if step < 0 else m.end
        while 0 <= k < len(doc) and doc[k].lower_ in (",", "and", "&"):
            other = table.tok2mention.get(k + step)
            if other is None or doc[other.start:other.end].root.dep_ in ("pobj", "dobj", "dative"):
                break  # "Speaking to Radio X, Roe said": the one spoken to is the object of a verb, not a speaker
            if other.name not in names:
                names.append(other.name)
            k = (other.start - 1) if step < 0 else other.end
    return names


def statements_made(ctx: Ctx) -> list[tuple[int, list[str]]]:
    """(token, speakers) of each 'X said in a statement', 'X and Y said in a joint statement', 'X issued a
    statement', in text order: what 'the statement added' refers to."""
    carriers = ctx.lex.words("quotes", "carrier_nouns")
    found = []
    for sent in ctx.sentences():
        for tok in tokens_with(ctx.doc, carriers, sent, lemma=True):
            if tok.i in ctx.in_quote:
                continue
            verb = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "in" else (
                tok.head if tok.dep_ == "dobj" else None)
            subj = _subject(verb) if verb is not None else None
            if subj is None and tok.dep_ == "nsubj":  # "A statement on Tuesday from the ZHDA said ...": its maker
                subj = next((p for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"
                             for p in c.children if p.dep_ == "pobj"), None)
            if subj is None:
                continue
            m = ctx.table.tok2mention.get(subj.i)
            names = [n for n in _coordinated(ctx, m) if ctx.cls(n) in SPEAKER_CLASSES] if m is not None else []
            if names:
                found.append((tok.i, names))
    return found


def attribute_quotes(ctx: Ctx) -> Iterator[Quote]:
    text = doc_text(ctx.doc)
    min_words = int(ctx.lex.value("quotes", "min_words"))
    statements = statements_made(ctx) if ctx.quotes else []
    prev_speakers: list[str] = []
    prev_end = -1
    for qs, qe in ctx.quotes:
        quote = text[qs:qe].strip().strip(",").strip()
        sent, toks = _sentence_tokens(ctx, qs, qe)
        if sent is None or not quote:
            continue
        speaker, rule = find_speaker(ctx, toks, qs)
        confidence = 0.9
        speakers = [speaker] if speaker else []
        if speaker == STATEMENT_BEFORE:
            before = [names for i, names in statements if ctx.doc[i].idx < qs]
            # '“...,” the communiqué read' after no statement of anyone's: the union the story is about (a
            # spokesperson's is whoever the story said they speak for, which it did not)
            speakers = before[-1] if before else [n for n in [ctx.table.most_salient(
                sent.start, lambda e: e.cls == "LaborUnion")] if n and rule == "quote_statement_before"]
            rule = rule if before else "quote_statement_of_story"
            confidence = 0.9 if before else 0.6
        elif speaker is not None:
            speakers = _co_speakers(ctx, speaker, toks)
        if not speakers and (name := _transcript_speaker(ctx, qs)):
            speakers, rule = [name], "quote_transcript"
        if not speakers and (name := _speaker_before_colon(ctx, qs)):
            speakers, rule = [name], "quote_after_colon"
        if not speakers and prev_speakers:
            # At most a short attribution ('," Bass said. "') between: the same speaker goes on.
            if len(text[prev_end:qs].split()) <= 12:
                speakers, rule, confidence = prev_speakers, "quote_continuation", 0.7
        if not speakers and not any(t.is_alpha for t in toks) and (name := _speaker_said_before(ctx, sent, qs)):
            # 'X said that the strike was suspended. “During the discussion ...”': the one who just spoke goes on
            # (a quotation with words of its own around it, '“...,” the strikers chanted', is someone else's)
            speakers, rule, confidence = [name], "quote_after_reported_speech", 0.7
        if not speakers:
            prev_speakers = []
            continue
        raw = text[qs:qe].rstrip()
        words = quote.split()
        # Scare quotes and names are not statements; '"We are ready," X said' and 'X said she was "extremely
        # disappointed"' are.
        needed = 2 if raw[-1:] in ",.!?" or rule in ("quote_speech_verb", "quote_transcript") else min_words
        if len(words) < needed or all(w[:1].isupper() for w in words if w.isalpha()):
            continue
        prev_speakers, prev_end = speakers, qe
        for name in speakers:
            yield Quote(speaker=name, text=quote, evidence=ctx.evidence(sent, rule, confidence))


def _speaker_said_before(ctx: Ctx, sent: Span, quote_start: int) -> str | None:
    """The speaker of the sentence right before when a quotation opens its own sentence with no attribution: the
    subject of that sentence's speech verb."""
    text = doc_text(ctx.doc)
    if sent.start == 0 or text[sent.start_char:quote_start].strip() not in ("“", '"', "``", "‘"):
        return None
    # also across a paragraph break: "X said ...¶“...”" is X going on, as news writes it
    before = ctx.doc[sent.start - 1].sent
    speech, reporting = ctx.lex.words("quotes", "speech_verbs"), ctx.lex.words("quotes", "report_verbs")
    for tok in before:
        lemma = tok.lemma_.lower()
        if tok.dep_ == "ROOT" and lemma in speech and lemma not in reporting and tok.i not in ctx.in_quote and (
                name := _speaker_of_verb(ctx, tok)):
            return name
    return None
