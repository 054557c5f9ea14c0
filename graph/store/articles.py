"""The articles of a store: list them by identity, remove some, prune those whose source is gone; and a new
store folder removed again when the build that created it fails before writing anything.

Each article is one named graph, named by its document IRI (graph.rdf.iri.doc_iri of its identity), so removing an
article is dropping its graph: its entities, relations and statements go with it, and what other articles say
about the same entities stays. Documents built before identities were recorded have no ng:articleId; they are
still listed (by their IRI) and can be removed or pruned.
"""
from __future__ import annotations

import gc
import shutil
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import URIRef

from graph.errors import NewsgraphError, StoreError, one_line
from graph.rdf.iri import doc_iri
from graph.rdf.vocab import NG_URI
from graph.store.embedded import StoreHandle, default_store_path, open_store
from graph.store.remote import is_remote

_DOCUMENTS = (
    f"PREFIX ng: <{NG_URI}>\n"
    "SELECT DISTINCT ?doc ?id ?path WHERE { GRAPH ?doc { ?doc a ng:Document "
    "OPTIONAL { ?doc ng:articleId ?id } OPTIONAL { ?doc ng:sourcePath ?path } } }"
)


class RemoveError(NewsgraphError):
    """An article to remove is not in the store."""


@dataclass(frozen=True, order=True)
class StoredArticle:
    """One article of the store: its document IRI, identity (None before identities) and source path."""

    doc: str
    id: str | None
    source: str | None


def stored_articles(store: StoreHandle) -> list[StoredArticle]:
    """Every article of the store, sorted by document IRI."""
    try:
        rows = store.ox.query(_DOCUMENTS)
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot list the articles of {store.path}: {one_line(str(exc))}") from None
    found = {
        StoredArticle(row["doc"].value, _value(row["id"]), _value(row["path"]))
        for row in rows  # type: ignore[union-attr]
    }
    return sorted(found)


def _value(term: ox.Literal | None) -> str | None:
    return term.value if term is not None else None


def drop_articles(store: StoreHandle, docs: Iterable[str]) -> int:
    """Drop the graphs of `docs` (document IRIs) in one transaction; returns how many were dropped."""
    names = sorted(set(docs))
    if not names:
        return 0
    if store.read_only:
        raise StoreError(f"store {store.path} is open read-only")
    operations = " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(name)}" for name in names)
    try:
        store.ox.update(operations)
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot remove articles from {store.path}: {one_line(str(exc))}") from None
    return len(names)


def remove_articles(store: StoreHandle, ids: Sequence[str]) -> list[StoredArticle]:
    """Remove the articles named by identity (or document IRI), all or none. Raises RemoveError."""
    articles = stored_articles(store)
    by_name: dict[str, StoredArticle] = {}
    for article in articles:
        by_name[article.doc] = article
        if article.id is not None:
            by_name.setdefault(article.id, article)
    chosen: dict[str, StoredArticle] = {}
    unknown: list[str] = []
    for name in ids:
        named = by_name.get(name) or by_name.get(str(doc_iri(name)))
        if named is None:
            unknown.append(name)
        else:
            chosen[named.doc] = named
    if unknown:
        raise RemoveError(f"not in the store, nothing removed: {', '.join(unknown)}")
    drop_articles(store, chosen)
    return sorted(chosen.values())


def prune_articles(store: StoreHandle, keep: Iterable[URIRef | str]) -> list[StoredArticle]:
    """Remove every article whose document is not in `keep` (the documents a build just read)."""
    kept = {str(doc) for doc in keep}
    gone = [article for article in stored_articles(store) if article.doc not in kept]
    drop_articles(store, (article.doc for article in gone))
    return gone


@contextmanager
def new_store_removed_on_failure(store_path: str | Path | None) -> Iterator[None]:
    """Remove a store folder this build created when the build fails before it wrote any article.

    A failed first build (an unloadable model, an interrupt during the model load) would otherwise leave an
    empty store behind that later commands take for a built one.
    """
    location = store_path if store_path is not None else default_store_path()
    where = None if is_remote(location) else Path(location)
    created = where is not None and not where.exists()
    try:
        yield
    except BaseException as exc:
        if created and where is not None and where.is_dir():
            # The finished frames of the failed build still hold its store handle through the traceback; clear
            # them so the handle is freed (and RocksDB's lock released) before the folder is looked at.
            traceback.clear_frames(exc.__traceback__)
            gc.collect()
            if not _holds_articles(where):
                shutil.rmtree(where, ignore_errors=True)
        raise


def _holds_articles(where: Path) -> bool:
    try:
        store = open_store(where, read_only=True)
    except NewsgraphError:
        return False
    return any(True for _ in cast(ox.Store, store.ox).named_graphs())  # a folder: the embedded store


def remove_from_store(location: str | Path | None, ids: Sequence[str]) -> list[StoredArticle]:
    """`remove_articles` on the store at `location` (a folder, which must exist, or a server's URL)."""
    where = location if location is not None else default_store_path()
    if not is_remote(where) and not (Path(where) / "CURRENT").is_file():
        raise StoreError(f"no store at {where}; run newsgraph build")
    return remove_articles(open_store(where), ids)
