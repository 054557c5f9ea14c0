"""Is a store folder damaged? A check that reads every index of the store, in a child process with limits.

Oxigraph keeps every quad in several RocksDB column families, one per access order (by subject, predicate,
object and graph; three for the default graph, six for named graphs), and the strings in another. RocksDB
checks the checksums of the blocks it is asked for, but Oxigraph does not ask for all of them: 4 KB of
zeros in one data file went unnoticed by `validate` (which reads one order only) while `query entities`,
reading another, decoded garbage and allocated 24 GB. So the check reads the store in every order:

1. all quads, once (which also names every subject, predicate, object and named graph);
2. by subject, by predicate and by object for each of those, and by graph, graph and predicate, graph and
   object for each named graph;
3. each reading must give the same quads (count and an order-independent digest); the named graphs listed
   must be those the quads use.

It runs in a child process with an address-space limit (CHECK_MEMORY_BYTES) and a time limit: a damaged
block that makes the engine abort, panic or ask for absurd memory ends that child, and is reported as damage,
instead of taking the machine's memory. `newsgraph check` runs it; `validate` runs it before the SHACL shapes.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.errors import StoreError, one_line
from graph.store.engine import exit_description

CHECK_MEMORY_BYTES = 8 * 1024 * 1024 * 1024
CHECK_SECONDS = 3600.0
_MASK = (1 << 64) - 1

Pattern = tuple[object, object, object, object]  # (subject, predicate, object, graph), None for any


@dataclass(frozen=True)
class Integrity:
    """What the check found: `damage` is None for a sound store, else the reason in one line."""

    quads: int
    graphs: int
    readings: int  # index readings compared
    damage: str | None = None


def check_integrity(path: str | Path, timeout: float = CHECK_SECONDS,
                    memory: int = CHECK_MEMORY_BYTES) -> Integrity:
    """Check the store folder `path` (see the module docstring). StoreError when there is no store to check."""
    where = Path(path)
    if not (where / "CURRENT").is_file():
        raise StoreError(f"no store at {where}; run newsgraph build")
    child = "import sys; from graph.store.integrity import _child; _child(sys.argv[1])"
    command = [sys.executable, "-c", child, str(where)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              preexec_fn=(lambda: _limit(memory)) if sys.platform.startswith("linux") else None)
    except subprocess.TimeoutExpired:
        raise StoreError(f"the check of {where} did not finish within {timeout:g} s") from None
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        found = json.loads(lines[-1])
        return Integrity(found["quads"], found["graphs"], found["readings"], found.get("damage"))
    said = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith(("Stack", " "))]
    detail = one_line(said[-1])[:300] if said else "no message"
    return Integrity(0, 0, 0, f"reading it ended the engine ({exit_description(done.returncode)}: {detail})")


def _limit(memory: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def _child(path: str) -> None:
    """In the child process: scan and print one JSON line."""
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(path)
        print(json.dumps(_scan(store)))
    except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
        print(json.dumps({"quads": 0, "graphs": 0, "readings": 0, "damage": f"RocksDB: {one_line(str(exc))}"}))
    sys.stdout.flush()
    os._exit(0)  # no interpreter teardown: a damaged store has been seen to crash it


def _scan(store: object) -> dict[str, object]:
    import pyoxigraph as ox

    subjects, predicates, objects = set(), set(), set()
    pairs: set[tuple[object, object]] = set()  # (graph, predicate)
    graph_objects: set[tuple[object, object]] = set()  # (graph, object)
    graphs: set[object] = set()
    count = total = 0
    for quad in store.quads_for_pattern(None, None, None, None):  # type: ignore[attr-defined]
        count += 1
        total = (total + hash(str(quad))) & _MASK
        subjects.add(quad.subject)
        predicates.add(quad.predicate)
        objects.add(quad.object)
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            graphs.add(quad.graph_name)
            pairs.add((quad.graph_name, quad.predicate))
            graph_objects.add((quad.graph_name, quad.object))
    expected = (count, total)
    readings: dict[str, Sequence[Pattern]] = {
        "by subject": [(s, None, None, None) for s in subjects],
        "by predicate": [(None, p, None, None) for p in predicates],
        "by object": [(None, None, o, None) for o in objects],
    }
    named = [(None, None, None, g) for g in graphs]
    by_graph: dict[str, Sequence[Pattern]] = {
        "by graph": named,
        "by graph and predicate": [(None, p, None, g) for g, p in pairs],
        "by graph and object": [(None, None, o, g) for g, o in graph_objects],
    }
    named_expected = _digest(store, named)
    damage = None
    for name, patterns in readings.items():
        found = _digest(store, patterns)
        if found != expected:
            damage = _disagree(name, found, "all quads", expected)
            break
    else:
        for name, patterns in by_graph.items():
            found = _digest(store, patterns)
            if found != named_expected:
                damage = _disagree(name, found, "by graph", named_expected)
                break
    listed = set(store.named_graphs())  # type: ignore[attr-defined]
    if damage is None and listed != graphs:
        damage = f"it lists {len(listed):,} named graphs but its quads are in {len(graphs):,}"
    result: dict[str, object] = {"quads": count, "graphs": len(graphs), "readings": 1 + len(readings) + len(by_graph)}
    if damage is not None:
        result["damage"] = damage
    return result


def _digest(store: object, patterns: Sequence[Pattern]) -> tuple[int, int]:
    """(count, digest) of the quads matching `patterns`. Quads that do not match their pattern are left out:
    Oxigraph 0.5.13 answers an xsd:integer object with its neighbours too (1023 also finds 1024)."""
    count = total = 0
    for s, p, o, g in patterns:
        for quad in store.quads_for_pattern(s, p, o, g):  # type: ignore[attr-defined]
            if (o is not None and quad.object != o) or (s is not None and quad.subject != s) or \
                    (p is not None and quad.predicate != p) or (g is not None and quad.graph_name != g):
                continue
            count += 1
            total = (total + hash(str(quad))) & _MASK
    return count, total


def _disagree(name: str, found: tuple[int, int], other: str, expected: tuple[int, int]) -> str:
    detail = f"{found[0]:,} quads against {expected[0]:,}" if found[0] != expected[0] else \
        f"{found[0]:,} quads each, but not the same ones"
    return f"its indexes disagree: reading {name} and {other} give {detail}"


def ensure_sound(path: str | Path, timeout: float = CHECK_SECONDS) -> Integrity:
    """check_integrity, with a damaged store as a StoreError ("store X is damaged: ...")."""
    found = check_integrity(path, timeout)
    if found.damage is not None:
        raise StoreError(f"store {path} is damaged: {found.damage}")
    return found
