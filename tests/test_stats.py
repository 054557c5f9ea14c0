"""Store statistics: counts that deduplicate facts reported by several articles, and degree ranking."""
from __future__ import annotations

import pytest

from graph.store.embedded import open_store, store_graph
from graph.views.stats import RELATION_PREDICATES, compute_stats, format_stats


def test_stats_counts_documents_statements_and_triples(harbor_store) -> None:
    stats = compute_stats(harbor_store)
    assert stats.documents == 2
    assert stats.statements == 1
    assert stats.triples == len(store_graph(harbor_store))  # distinct triples of the union
    assert stats.triples < len(harbor_store.ox)  # the shared entities' triples are stored twice


def test_stats_counts_entities_per_class(harbor_store) -> None:
    entities = compute_stats(harbor_store).entities
    assert {cls: n for cls, n in entities.items() if n} == {
        "LaborUnion": 1, "Company": 1, "Person": 1, "EmployerAssociation": 1,
    }
    assert compute_stats(harbor_store).entity_total == 4


@pytest.mark.parametrize(
    ("predicate", "count"),
    [
        ("negotiatesWith", 2),  # stated once in each direction, by two articles
        ("reachesAgreementWith", 1),
        ("leads", 1),
        ("memberOf", 1),
        ("represents", 1),
        ("issuesStatement", 1),
        ("onStrikeSince", 1),
        ("strikeEndedOn", 1),
    ],
)
def test_stats_counts_relations_per_predicate(harbor_store, predicate: str, count: int) -> None:
    assert compute_stats(harbor_store).relations[predicate] == count


def test_stats_relation_keys_are_every_predicate(harbor_store) -> None:
    assert tuple(compute_stats(harbor_store).relations) == RELATION_PREDICATES


def test_stats_top_entities_are_ranked_by_degree(harbor_store) -> None:
    top = compute_stats(harbor_store).top_entities
    assert top == (
        ("Tidewater Freight", "Company", 5),
        ("Harbor Pilots Union", "LaborUnion", 4),
        ("Coastal Shipping Council", "EmployerAssociation", 2),
        ("Mara Quill", "Person", 1),
    )


def test_stats_of_an_empty_store_are_zero(tmp_path) -> None:
    stats = compute_stats(open_store(tmp_path / "empty.store"))
    assert (stats.triples, stats.documents, stats.entity_total, stats.relation_total) == (0, 0, 0, 0)
    assert stats.top_entities == ()
    assert format_stats(stats).splitlines()[0].split() == ["triples", "0"]


def test_stats_format_lists_nonzero_counts_aligned(harbor_store) -> None:
    text = format_stats(compute_stats(harbor_store))
    lines = text.splitlines()
    assert lines[1].split() == ["documents", "2"]
    assert "  LaborUnion" in text
    assert "Place" not in text  # zero counts are left out
    assert "  Tidewater Freight (Company)" in text
    assert len({line.rindex(" ") for line in lines[:4]}) == 1  # the values start in one column
