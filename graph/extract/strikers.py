"""Who strikes: the unions a strike verb's subject stands for ('the unions declared a strike', 'A and B walked
out', 'members of X', 'the walkout, which began on Wednesday', 'Thousands of engineers will down tools' in a story
about one union), and the union of a deal that ends a strike ('reached a deal with X to end the strike').
"""
from __future__ import annotations

from spacy.tokens import Token

from graph.extract.context import Ctx, counted_noun, union_of
from graph.extract.lexicon import load_lexicon
from graph.extract.parties import parties
from graph.extract.strike_nouns import is_industrial_action


def antecedent(verb: Token) -> Token:
    """What a relative clause is about: its head, or the noun right before ', which' when the parser hung the
    clause elsewhere ('ending their strikes, which began on April 13th' hung on an earlier noun)."""
    rel = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("which", "that")), None)
    if rel is None or rel.i < 2:
        return verb.head
    if verb.head.dep_ == "pobj" and verb.head.head.lower_ in ("by", "of") and verb.head.head.head.pos_ == "NOUN" \
            and verb.head.lemma_.lower() not in load_lexicon().words("events", "strike_event_nouns"):
        return verb.head.head.head  # "the strike by the X Union (by nurses), which started on June 2" (not "the end
        # of the strike, which began on July 29")
    before = rel.doc[rel.i - 2] if rel.doc[rel.i - 1].text == "," else rel.doc[rel.i - 1]
    return before if before.pos_ == "NOUN" and before.i != verb.head.i and before.i < verb.i else verb.head


def _striker(ctx: Ctx, verb: Token) -> str | None:
    strike_nouns = ctx.lex.words("events", "strike_nouns")
    by = next((c for c in verb.children if c.dep_ == "agent"), None)
    if by is not None and verb.lemma_.lower() == "join":
        pobj = next((c for c in by.children if c.dep_ == "pobj"), None)
        return union_of(ctx, pobj) if pobj is not None else None
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")] or [
        c for a in verb.children if a.dep_ == "aux" for c in a.children if c.dep_ == "nsubj"]  # (a mis-tagged verb)
    # "SAO PAULO Oct 6 Bank workers ... ended": the parser may give a dateline's place as a second subject
    subj = next((c for c in subjects if union_of(ctx, c)), subjects[0]) if len(subjects) > 1 else (
        subjects[0] if subjects else None)
    if subj is None and verb.dep_ == "acl" and verb.head.lemma_.lower() in ctx.lex.words("events", "agreement_nouns"):
        return _deal_union(ctx, verb.head.head)  # "reached a deal with X to end the strike"
    if subj is None and verb.dep_ in ("relcl", "acl"):
        subj = verb.head
    if subj is None and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
        return _striker(ctx, verb.head) or _deal_union(ctx, verb.head)
    if subj is None:
        return None
    if subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
        subj = antecedent(verb)
    person = ctx.entity_of(subj)
    if ctx.cls(person) == "Person" and verb.lemma_.lower() in ctx.lex.words("quotes", "speech_verbs"):
        # "X, general secretary of the union, announced the withdrawal of the strike": the union the leader speaks for
        led = ctx.affiliation.get(person or "")
        return led if ctx.cls(led) == "LaborUnion" else None
    if subj.lower_ in ("they", "we") and subj.pos_ == "PRON":
        # "Workers voted down the offer before they walked off the job": the subject of the clause above
        head = verb.head
        while head.head.i != head.i and not any(c.dep_ == "nsubj" for c in head.children):
            head = head.head
        above = next((c for c in head.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
        if above is not None and head.i != verb.i:
            return union_of(ctx, above)
    if subj.lemma_.lower() in strike_nouns or is_industrial_action(ctx, subj):
        for child in subj.children:
            if child.dep_ in ("poss", "compound") and (u := union_of(ctx, child)):
                return u
        # "the walkout, which began on Wednesday": the strike of the union the text is about (so far, or at all
        # when the lede speaks of the strike before naming the union)
        return ctx.table.most_salient(subj.i, lambda e: e.cls == "LaborUnion") or ctx.table.most_salient(
            len(ctx.doc), lambda e: e.cls == "LaborUnion")
    if ctx.cls(ctx.entity_of(subj)) == "Place":
        # "members of the UFCW in Massachusetts, Rhode Island, and Connecticut walked off": the parser took the
        # last place of the list for the subject; the workers named before it strike
        workers = ctx.lex.union(("typing", "worker_nouns"), ("events", "members_words"))
        return next((u for t in reversed(ctx.doc[verb.sent.start:subj.i]) if t.lemma_.lower() in workers
                     or t.lower_ in workers if (u := union_of(ctx, t))), None)
    if subj.lemma_.lower() in ctx.lex.words("parties", "people_nouns"):
        # "An assembly (the leadership) of the X Union decided to end the stoppage": the union of whom they are
        of = next((p for c in subj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                   if p.dep_ == "pobj"), None)
        if of is not None and (union := union_of(ctx, of)):
            return union
    return union_of(ctx, subj) or _the_workers_union(ctx, subj)


def _the_workers_union(ctx: Ctx, subj: Token) -> str | None:
    """'Thousands of engineers and call centre workers will down tools': workers no union is named with are, in a
    story about one union, its members."""
    workers = ctx.lex.words("typing", "worker_nouns")
    subj = counted_noun(subj)
    said = subj.lower_ in workers or subj.lemma_.lower() in workers
    return ctx.table.the_only({"LaborUnion"}) if said else None


def _deal_union(ctx: Ctx, verb: Token) -> str | None:
    """The union of a deal that ends a strike, whichever side is the subject: 'DP World has reached an agreement
    with the MUA, ending the industrial action', 'the union signed a deal with X to end the strike'."""
    if verb.lemma_.lower() not in ctx.lex.words("events", "agreement_verbs"):
        return None
    sides = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    for holder in [verb] + [c for c in verb.children if c.dep_ == "dobj"]:
        sides += [p for c in holder.children if c.dep_ == "prep" and c.lower_ == "with"
                  for p in c.children if p.dep_ == "pobj"]
    return next((u for t in sides for u in [union_of(ctx, t), *parties(ctx, t)] if u and ctx.cls(u) == "LaborUnion"),
                None)


def strikers_of(ctx: Ctx, verb: Token) -> list[str]:
    """The unions striking: 'the unions declared a strike' and 'A and B walked out' name several."""
    one = _striker(ctx, verb)
    # "Some of the workers, members of the A and B unions, ...": the parser may make the apposition a subject too
    for subj in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        if subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children) \
                or subj.lemma_.lower() in ctx.lex.words("parties", "part_words"):  # "10 percent of"
            many = _unions(ctx, subj)
            if len(many) > 1:
                return many
        if subj.lower_ == "they" and subj.pos_ == "PRON":  # "A and B ... They have been on strike since"
            many = _unions(ctx, subj)
            if len(many) > 1 and one in many:
                return many
        if one is None and subj.lemma_.lower() in ctx.lex.words("parties", "people_nouns") and any(
                c.dep_ == "prep" and c.lower_ == "of" for c in subj.children):
            # "The national leadership of the four labour unions declared strike beginning Monday"
            if many := _unions(ctx, subj):
                return many
        # "the unions ... ending their strikes, which began on April 13": 'their' is every union listed with the
        # one it stands for ("The two striking unions, A and B, said ...")
        noun = antecedent(verb) if subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl" else subj
        if noun.lemma_.lower() in ctx.lex.words("events", "strike_nouns"):
            for poss in (c for c in noun.children if c.dep_ == "poss" and c.lower_ == "their"):
                many = _unions(ctx, _owner_of_their(poss))
                if len(many) > 1 and one in many:
                    return many
    return [one] if one else []


def _unions(ctx: Ctx, tok: Token) -> list[str]:
    """The unions among the parties a noun phrase stands for."""
    return [n for n in parties(ctx, tok) if ctx.cls(n) == "LaborUnion"]


def _owner_of_their(poss: Token) -> Token:
    """What 'their' stands for: the subject of the clause it is in ('the unions are ... ending their strikes'),
    else the pronoun itself."""
    head = poss.head.head
    for _ in range(4):
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != poss.head.i), None)
        if subj is not None:
            return subj if subj.pos_ != "PRON" else poss
        if head.head.i == head.i:
            break
        head = head.head
    return poss
