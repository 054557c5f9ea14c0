"""Deterministic IRI minting: the same name, article or fact always gets the same IRI.

Entity and document IRIs are readable slugs (a document's from its article's identity, see graph.sources.readers);
statement and evidence IRIs are short hashes of the facts that identify them, since a quotation or a sentence
is too long and too free-form to be a readable path segment. Disputes and their events are hashes of what
identifies them across articles (sides and year), never of the article, so that articles about one strike
name one node.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from rdflib import URIRef

from graph.rdf.vocab import ID_URI

MAX_SLUG = 80
_HASH_LEN = 8  # hex digits of sha1 appended to a truncated or lossy slug
_DIGEST_LEN = 16  # hex digits of sha256 naming a statement or an evidence record
_SEP = "\x1f"  # unit separator: cannot occur in names, so joined parts never run into each other

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Anything that is not a letter or digit in any script, for the case- and punctuation-blind key below.
_NON_WORD = re.compile(r"[\W_]+")


def _key(name: str) -> str:
    """A case-, accent- and punctuation-blind form of `name`, so variants of one name hash alike."""
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    key = _NON_WORD.sub(" ", folded).strip()
    # A name of symbols only (emoji, dashes) has no word characters: fall back to the folded name itself
    # so that two different symbol-only names still get different hashes.
    return key or folded


def _is_lossy(decomposed: str, ascii_text: str) -> bool:
    """True when dropping non-ASCII characters lost a letter or digit (not only accents or symbols)."""
    kept = sum(1 for ch in ascii_text if ch.isalnum())
    meaningful = sum(1 for ch in decomposed if ch.isalnum())
    return kept < meaningful


@lru_cache(maxsize=1 << 16)  # entities recur across a corpus: each name is slugified once per process
def slugify(name: str) -> str:
    """Lowercase ASCII slug of `name`: only [a-z0-9-], never empty, at most MAX_SLUG characters.

    Accents are removed ("Zoë" -> "zoe"). When letters of another script are lost, when nothing is left,
    or when the slug is cut to MAX_SLUG, a short sha1 of the case- and punctuation-blind name is appended,
    so distinct names do not collide on the empty or a truncated slug while "WGA" and "wga." still do.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    slug = _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")
    too_long = len(slug) > MAX_SLUG
    if not (too_long or not slug or (not name.isascii() and _is_lossy(decomposed, ascii_text))):
        return slug
    digest = hashlib.sha1(_key(name).encode("utf-8")).hexdigest()[:_HASH_LEN]
    if not slug:
        return digest
    room = MAX_SLUG - _HASH_LEN - 1
    return f"{slug[:room].rstrip('-')}-{digest}"


def _digest(parts: tuple[object, ...]) -> str:
    joined = _SEP.join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:_DIGEST_LEN]


def entity_iri(name: str) -> URIRef:
    """IRI of an entity that is not in the knowledge base, from its canonical name."""
    return URIRef(f"{ID_URI}entity/{slugify(name)}")


def doc_iri(article_id: str) -> URIRef:
    """IRI of an article, which is also the name of the graph holding its triples, from its identity.

    An identity is exact (a path, a record id), so two identities must never share a document: when the slug
    is not the identity itself ("seeds/a.txt" -> "seeds-a-txt"), a short sha1 of the exact identity is
    appended, and "a/b.txt", "a-b.txt" and "A-B.txt" name three documents.
    """
    slug = slugify(article_id)
    if slug == article_id:
        return URIRef(f"{ID_URI}doc/{slug}")
    digest = hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:_HASH_LEN]
    ascii_text = unicodedata.normalize("NFKD", article_id).encode("ascii", "ignore").decode("ascii")
    plain = _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")[: MAX_SLUG - _HASH_LEN - 1].rstrip("-")
    return URIRef(f"{ID_URI}doc/{plain}-{digest}" if plain else f"{ID_URI}doc/{digest}")


def statement_iri(article_id: str, speaker: str, text: str) -> URIRef:
    """IRI of a quotation: the same words by the same speaker in the same article are one statement."""
    return URIRef(f"{ID_URI}statement/{_digest((article_id, speaker, text))}")


def evidence_iri(article_id: str, subject: str, predicate: str, obj: str, start: int, rule: str) -> URIRef:
    """IRI of an evidence record: one fact, found by one rule at one offset of one article."""
    return URIRef(f"{ID_URI}evidence/{_digest((article_id, subject, predicate, obj, start, rule))}")


def dispute_iri(union: str, employer: str, year: int | None) -> URIRef:
    """IRI of a labor dispute, from the IRIs of its union and employer ("" when unknown) and its year: every
    article about the same sides in the same year names the same dispute."""
    return URIRef(f"{ID_URI}dispute/{_digest(('dispute', union, employer, '' if year is None else year))}")


def event_iri(kind: str, union: str, employer: str, year: int | None) -> URIRef:
    """IRI of a strike, negotiation or agreement (`kind`, an ng: class name), from the IRIs of its union and
    (first) employer and its dispute's year: one event of each kind per union and dispute, whichever article."""
    key = (kind, union, employer, "" if year is None else year)
    return URIRef(f"{ID_URI}event/{kind.lower()}-{_digest(key)}")
