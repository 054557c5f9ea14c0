"""One entity per referent, continued: the names a document's entities are also known by, and their merging.

After graph.extract.resolve has turned the candidate spans into mentions, the same referent may still stand
under two names ("Larkspur" and "Larkspur Hotels", "Local 212" and "Boardwalk Hospitality Workers Local 212",
"MTWU" after "the Metro Transit Workers Union (MTWU)"), and names the NER missed elsewhere in the text are not
mentions yet. These steps merge the former into one entity and add the latter (one sense per discourse). (One
name that is two referents, "the KORAIL union", is graph.extract.company_unions' business.)
"""
from __future__ import annotations

from spacy.tokens import Doc

from graph.extract.company_unions import company_unions
from graph.extract.doccache import doc_texts
from graph.extract.entities import DocEntity, Mention, acronym, norm_key
from graph.extract.table import EntityTable
from graph.model import ORGANIZATION_CLASSES


def titled_surnames(doc: Doc, table: EntityTable) -> None:
    """'President Biden said': a person the article names only by title and surname is also known by that form
    (the name alone would be 'Biden')."""
    honorifics = table.lex.words("titles", "honorifics")
    for m in table.mentions:
        ent = table.entities[m.name]
        if ent.cls == "Person" and " " not in ent.name and m.start > 0 and doc[m.start - 1].lower_ in honorifics \
                and doc[m.start - 1].text[:1].isupper():
            ent.labels.add(f"{doc[m.start - 1].text} {ent.name}")


def committee_owners(table: EntityTable) -> None:
    """'HPU Negotiating Committee', 'Harbor Employers Bargaining Committee': a committee named after its
    organisation belongs to it."""
    orgs = [e for e in table.entities.values() if e.cls in ORGANIZATION_CLASSES - {"Committee"}]
    for ent in table.entities.values():
        if ent.cls != "Committee" or ent.owner:
            continue
        words = norm_key(ent.name).split()
        for org in orgs:
            if any(k and words[:len(k)] == k and len(k) < len(words)
                   for k in (norm_key(label).split() for label in org.labels | {org.name})):
                ent.owner = org.name
                break


def merge_short_company_names(table: EntityTable) -> None:
    """'Larkspur' in a headline and 'Larkspur Hotels' in the text are one company."""
    companies = [e for e in table.entities.values() if e.cls == "Company" and not e.kb_id]
    for short in companies:
        words = norm_key(short.name).split()
        longer = [e for e in companies if e is not short and e.name in table.entities
                  and len(norm_key(e.name).split()) > len(words)
                  and norm_key(e.name).split()[:len(words)] == words]
        if len(longer) != 1:
            continue
        _merge_into(table, short, longer[0])


def merge_same_names(table: EntityTable) -> None:
    """'South African Municipal Workers’ Union' in the text and the knowledge base's 'South African Municipal
    Workers' Union' (found through 'Samwu'): names that differ in punctuation only are one entity, the known
    one's."""
    by_key: dict[str, DocEntity] = {}
    for ent in sorted(table.entities.values(), key=lambda e: (not e.kb_id, e.name)):
        key = norm_key(ent.name)
        kept = by_key.get(key)
        if kept is None:
            by_key[key] = ent
        elif not ent.kb_id and ent.cls == kept.cls:
            _merge_into(table, ent, kept)


def merge_local_numbers(table: EntityTable) -> None:
    """'Local 212' after 'Boardwalk Hospitality Workers Local 212': the branch number names the same union."""
    unions = [e for e in table.entities.values() if e.cls == "LaborUnion" and not e.kb_id]
    for short in unions:
        words = short.name.split()
        if len(words) != 2 or words[0].lower() not in table.lex.words("typing", "union_branch_words") \
                or not words[1].isdigit():
            continue
        longer = [e for e in unions if e is not short and e.name in table.entities
                  and e.name.endswith(" " + short.name)]
        if len(longer) == 1:
            _merge_into(table, short, longer[0])


def merge_middle_names(table: EntityTable) -> None:
    """'Dr Kofi Mensah' and 'Kofi Yaw Mensah' in one article are one person: the name that spells out the middle
    names is kept, when exactly one person's name has the same first and last words around more."""
    people = [e for e in table.entities.values() if e.cls == "Person" and not e.kb_id]
    for short in people:
        words = norm_key(short.name).split()
        if len(words) < 2 or short.name not in table.entities:
            continue
        longer = [e for e in people if e is not short and e.name in table.entities
                  and _spells_out(words, norm_key(e.name).split())]
        if len(longer) == 1:
            _merge_into(table, short, longer[0])


def _spells_out(short: list[str], full: list[str]) -> bool:
    """`full` has the first and last word of `short`, every word of it in order, and more."""
    if len(full) <= len(short) or full[0] != short[0] or full[-1] != short[-1]:
        return False
    rest = iter(full)
    return all(word in rest for word in short)


def _merge_into(table: EntityTable, short: DocEntity, target: DocEntity) -> None:
    """Every mention, label and key of `short` now stands for `target`."""
    target.labels |= short.labels
    for i, m in enumerate(table.mentions):
        if m.name == short.name:
            table.mentions[i] = Mention(m.start, m.end, target.name, m.subject)
    for k, m in list(table.tok2mention.items()):
        if m.name == short.name:
            table.tok2mention[k] = Mention(m.start, m.end, target.name, m.subject)
    for key, name in list(table.keys.items()):
        if name == short.name:
            table.keys[key] = target.name
    del table.entities[short.name]


def propagate_names(doc: Doc, table: EntityTable) -> None:
    """Find the names already known in this document where the NER missed them (one sense per discourse)."""
    forms: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for m in table.mentions:
        ent = table.entities[m.name]
        toks = tuple(doc_texts(doc)[m.start:m.end])
        variants = {toks}
        if ent.cls == "Person" and len(toks) > 1:
            variants.add(toks[-1:])  # the surname alone
        elif ent.cls != "Person" and len(short := acronym(ent.name)) >= 3:
            variants.add((short,))  # "UAW" for "United Auto Workers"
        for v in variants:
            if v[0][:1].isupper() and (v, m.name) not in forms.get(v[0], []):
                forms.setdefault(v[0], []).append((v, m.name))
    for cands in forms.values():
        cands.sort(key=lambda c: -len(c[0]))
    texts = doc_texts(doc)
    i = 0
    while i < len(doc):
        if texts[i] not in forms or i in table.tok2mention:
            i += 1
            continue
        for toks, name in forms[texts[i]]:
            j = i + len(toks)
            if tuple(texts[i:j]) == toks and not any(k in table.tok2mention for k in range(i, j)):
                table.add(i, j, doc[i:j].text, table.entities[name].cls, name=name)
                i = j - 1
                break
        i += 1
    table.mentions.sort(key=lambda m: m.start)


def merge_names(doc: Doc, table: EntityTable) -> None:
    """The steps after retyping, in order: a company's short name, the unions named through a company and the
    national branches of unions first (they make new names), then the names of one referent merged."""
    merge_short_company_names(table)
    company_unions(doc, table)
    national_branches(doc, table)
    merge_same_names(table)
    merge_local_numbers(table)
    merge_middle_names(table)
    titled_surnames(doc, table)
    committee_owners(table)


def national_branches(doc: Doc, table: EntityTable) -> None:
    """'Teamsters Canada', 'UFCW Canada': a union's name run on by a country's names its national branch, one
    union (not the union and a place)."""
    countries = table.lex.countries()
    starting = {m.start: m for m in table.mentions if table.tok2mention.get(m.start) is m}
    for m in list(table.mentions):
        after = starting.get(m.end)
        if after is None or table.tok2mention.get(m.start) is not m or table.tok2mention.get(m.end - 1) is not m:
            continue
        follows = doc[after.end].text if after.end < len(doc) else ""
        if table.entities[m.name].cls == "LaborUnion" and table.entities[after.name].cls == "Place" \
                and after.name in countries and doc[m.start:after.end].text.count(" ") <= 5 \
                and follows not in ("'s", "’s", "-", "–"):  # not "Unifor Canada's largest union", "Canada-wide"
            branch = table.add(m.start, after.end, doc[m.start:after.end].text, "LaborUnion")
            # the two halves are no mentions of their own any more; 'UFCW' named alone later is the branch
            table.drop_mention(m, keys_to=branch)
            table.drop_mention(after)
