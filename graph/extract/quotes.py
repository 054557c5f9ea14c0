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
from graph.model import ORGANIZATION_CLASSES, Quote

SPEAKER_CLASSES = (ORGANIZATION_CLASSES | {"Person"}) - {"MediaOutlet"}
CLIMB = ("advcl", "xcomp", "conj", "acl", "relcl", "dobj", "pobj", "prep", "ccomp", "npadvmod")


def _carrier_owner(ctx: Ctx, tok: Token) -> str | None:
    """'a statement from the alliance', 'the union's message', 'a Disney spokesperson' -> the owner."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "of", "by", "for"):
            for pobj in child.children:
                if pobj.dep_ == "pobj" and (name := ctx.entity_of(pobj)):
                    return name
        if child.dep_ in ("poss", "compound", "nmod") and (name := ctx.entity_of(child)):
            return name
    return None


def _named_in_apposition(ctx: Ctx, tok: Token) -> str | None:
    """'a Corvane spokesperson, Ryan Delacroix,': the person named beside a carrier noun speaks."""
    for child in tok.children:
        if child.dep_ == "appos" and ctx.cls(name := ctx.entity_of(child)) == "Person":
            return name
    return None


def _speaker_of(ctx: Ctx, tok: Token) -> str | None:
    if tok.lemma_.lower() in ctx.lex.words("quotes", "carrier_nouns") and tok.i not in ctx.table.tok2mention:
        name = _named_in_apposition(ctx, tok) or _carrier_owner(ctx, tok)
    else:
        # "North Rhine-Westphalia's premier, Annette Kurzweil, said": the person named beside the title speaks,
        # also when the parser hangs the title and the name on the place
        name = ctx.entity_of(tok)
        if ctx.cls(name) not in SPEAKER_CLASSES:
            name = _named_in_apposition(ctx, tok) or name
    return name if ctx.cls(name) in SPEAKER_CLASSES else None


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _speaker_of_verb(ctx: Ctx, verb: Token) -> str | None:
    """The subject of a speech verb, climbing through participles ('issued a statement saying')."""
    t, steps = verb, 0
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
    s0, s1 = first[0].sent, first[-1].sent
    toks = [t for t in doc[s0.start:s1.end] if t.i not in ctx.in_quote]
    # '"...," Bass said.' may be split off as a sentence of its own: read the next one if it is short.
    if s1.end < len(doc):
        nxt = doc[s1.end].sent
        if len(nxt) <= 16 and not any(t.i in ctx.in_quote for t in nxt):
            toks += list(nxt)
    return doc[s0.start:s1.end], toks


def attribute_quotes(ctx: Ctx) -> Iterator[Quote]:
    text = ctx.doc.text
    min_words = int(ctx.lex.value("quotes", "min_words"))
    prev_speaker, prev_end = None, -1
    for qs, qe in ctx.quotes:
        quote = text[qs:qe].strip().strip(",").strip()
        sent, toks = _sentence_tokens(ctx, qs, qe)
        if sent is None or not quote:
            continue
        speaker, rule = find_speaker(ctx, toks, qs)
        confidence = 0.9
        if speaker is None and prev_speaker is not None:
            # At most a short attribution ('," Bass said. "') between: the same speaker goes on.
            if len(text[prev_end:qs].split()) <= 12:
                speaker, rule, confidence = prev_speaker, "quote_continuation", 0.7
        if speaker is None:
            prev_speaker = None
            continue
        raw = text[qs:qe].rstrip()
        words = quote.split()
        # Scare quotes and names are not statements; '"We are ready," X said' and 'X said she was "extremely
        # disappointed"' are.
        needed = 2 if raw[-1:] in ",.!?" or rule == "quote_speech_verb" else min_words
        if len(words) < needed or all(w[:1].isupper() for w in words if w.isalpha()):
            continue
        prev_speaker, prev_end = speaker, qe
        yield Quote(speaker=speaker, text=quote, evidence=ctx.evidence(sent, rule, confidence))
