"""The layers of docs/architecture.md, checked on the imports of every module under graph/.

Each module is parsed with `ast` (nothing is imported) and mapped to its layer: its subpackage (sources,
extract, rdf, store, views, pipeline, evaluate, cli), or the base (model, errors, paths, atomic, dates and the
package itself), or the API. A module may import its own layer and the layers below it (BELOW), never one
beside or above it; extraction imports no rdflib, building no spaCy, and only the CLI imports click or prints; the base
imports nothing above it and model and errors nothing of ours at all; no two modules import each other, however
indirectly (imports under `if TYPE_CHECKING:` are left out of that, since they never run). The checks are
plain functions, so the tests at the end feed them made-up import maps and see them fail.
"""
from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "graph"
MAX_LINES = 400

# What each layer may import besides itself: the layers below it, in the order data flows. Sources,
# extraction and RDF building each stand on the base alone; the store on RDF; the build (pipeline), the
# evaluation and the views on what they put together; the API on all of those, and the CLI on everything.
BELOW: Mapping[str, frozenset[str]] = {
    "base": frozenset(),
    "sources": frozenset({"base"}),
    "extract": frozenset({"base"}),
    "rdf": frozenset({"base"}),
    "store": frozenset({"base", "rdf"}),
    "views": frozenset({"base", "rdf", "store"}),
    "pipeline": frozenset({"base", "sources", "extract", "rdf", "store"}),
    "evaluate": frozenset({"base", "sources", "extract", "rdf", "store"}),
    "api": frozenset({"base", "sources", "extract", "rdf", "store", "views", "pipeline", "evaluate"}),
    "cli": frozenset({"base", "sources", "extract", "rdf", "store", "views", "pipeline", "evaluate", "api"}),
}
BASE = frozenset({"graph", "graph.model", "graph.errors", "graph.paths", "graph.atomic", "graph.dates"})
# Modules that depend on nothing of ours: every other module may import them.
STANDALONE = frozenset({"graph.model", "graph.errors"})
# Third-party packages a layer must not import (its own job is done without them).
FORBIDDEN: Mapping[str, frozenset[str]] = {
    "base": frozenset({"spacy", "thinc", "rdflib", "pyoxigraph", "pyshacl", "networkx", "click", "urllib3"}),
    "sources": frozenset({"spacy", "thinc", "rdflib", "pyoxigraph", "pyshacl"}),
    "extract": frozenset({"rdflib", "pyoxigraph", "pyshacl", "urllib3", "trafilatura"}),
    "rdf": frozenset({"spacy", "thinc", "pyoxigraph"}),
    "store": frozenset({"spacy", "thinc"}),
    "views": frozenset({"spacy", "thinc"}),
}
CLI_ONLY = frozenset({"click"})
# Modules that print although they are not the CLI, each the whole output of a process of its own.
PRINTS = {
    "graph.store.integrity": "the checking child process answers with one JSON line on stdout",
    "graph.store.guard": "the serve process logs to its stderr",
}


@dataclass(frozen=True)
class Import:
    target: str  # the imported module (graph.x.y) or the top-level name of a third-party package
    line: int
    lazy: bool = False  # inside a function: runs when called
    type_only: bool = False  # under `if TYPE_CHECKING:`: never runs


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    """The layer of a graph module; KeyError for a module no layer holds (a new top-level module must be
    placed on purpose: in a layer's package, or in BASE when every layer needs it)."""
    if module in BASE:
        return "base"
    if module == "graph.api":
        return "api"
    if module == "graph.__main__":
        return "cli"
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "graph" and parts[1] in BELOW and parts[1] not in ("base", "api"):
        return parts[1]
    raise KeyError(f"{module} belongs to no layer")


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(source: str, module: str, is_package: bool = False) -> list[Import]:
    """Every import statement of a module's source, with graph modules resolved to their full names: for
    `from graph.x import y`, graph.x.y when y is a module (it exists under graph/), else graph.x."""
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend(Import(alias.name, child.lineno, lazy, type_only) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = module.split(".") if is_package else module.split(".")[:-1]
                    anchor = package[: len(package) - child.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in child.names:
                    submodule = f"{base}.{alias.name}"
                    target = submodule if base.startswith("graph") and _exists(submodule) else base
                    found.append(Import(target, child.lineno, lazy, type_only))
            visit(child, lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)),
                  type_only or (isinstance(child, ast.If) and _is_type_checking(child.test)))

    visit(ast.parse(source), False, False)
    return found


def _exists(module: str) -> bool:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def violations(module: str, imports: Iterable[Import]) -> list[str]:
    """What is wrong with one module's imports, one message each (empty when it keeps to its layer)."""
    layer = layer_of(module)
    problems = []
    for imp in imports:
        where = f"{module}:{imp.line} imports {imp.target}"
        top = imp.target.split(".")[0]
        if top != "graph":
            if top in FORBIDDEN.get(layer, frozenset()):
                problems.append(f"{where}: the {layer} layer must not use {top}")
            if top in CLI_ONLY and layer != "cli":
                problems.append(f"{where}: only the CLI uses {top}")
            continue
        target_layer = layer_of(imp.target)
        if module in STANDALONE:
            problems.append(f"{where}: {module} imports nothing of ours")
        elif target_layer != layer and target_layer not in BELOW[layer]:
            problems.append(f"{where}: the {layer} layer may not import the {target_layer} layer")
    return problems


def import_graph(modules: Mapping[str, Iterable[Import]]) -> nx.DiGraph:
    """Module -> graph module it imports, for the imports that run (type-only ones never do)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module, imports in modules.items():
        graph.add_edges_from((module, imp.target) for imp in imports
                             if imp.target.startswith("graph") and imp.target != module and not imp.type_only)
    return graph


def cycles(graph: nx.DiGraph) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others."""
    return sorted(sorted(group) for group in nx.strongly_connected_components(graph) if len(group) > 1)


def prints(source: str) -> list[int]:
    """Lines of the source that call print()."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"]


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield module_name(path), path


MODULES = dict(_modules())
IMPORTS = {name: imports_of(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
           for name, path in MODULES.items()}


# --- the package as it is ----------------------------------------------------------------------------------


@pytest.mark.parametrize("module", sorted(MODULES))
def test_architecture_every_module_keeps_to_its_layer(module: str) -> None:
    assert violations(module, IMPORTS[module]) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_architecture_every_module_is_short_and_says_what_it_is(module: str) -> None:
    source = MODULES[module].read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_LINES, f"{module}: split it along its seams"
    assert ast.get_docstring(ast.parse(source)), f"{module}: a module docstring first"


@pytest.mark.parametrize("module", sorted(set(MODULES) - set(PRINTS) - {m for m in MODULES if layer_of(m) == "cli"}))
def test_architecture_only_the_cli_prints(module: str) -> None:
    assert prints(MODULES[module].read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("package", sorted(m for m in MODULES if MODULES[m].name == "__init__.py"
                                            and m != "graph" and layer_of(m) != "cli"))
def test_architecture_a_layer_package_imports_nothing(package: str) -> None:
    # importing one module of a layer runs its package's __init__.py first: it must not load the others
    assert [i.target for i in IMPORTS[package] if i.target != "__future__"] == []


def test_architecture_no_import_cycles() -> None:
    assert cycles(import_graph(IMPORTS)) == []


def test_architecture_the_layers_are_all_there() -> None:
    assert {layer_of(module) for module in MODULES} == set(BELOW)


# --- the checks fail on a violation ----------------------------------------------------------------------------


@pytest.mark.parametrize(("module", "target", "message"), [
    ("graph.extract.quotes", "rdflib", "the extract layer must not use rdflib"),
    ("graph.extract.quotes", "graph.rdf.vocab", "the extract layer may not import the rdf layer"),
    ("graph.extract.quotes", "graph.store.embedded", "the extract layer may not import the store layer"),
    ("graph.extract.quotes", "graph.sources.readers", "the extract layer may not import the sources layer"),
    ("graph.rdf.build", "spacy", "the rdf layer must not use spacy"),
    ("graph.rdf.build", "graph.extract.entities", "the rdf layer may not import the extract layer"),
    ("graph.store.embedded", "graph.pipeline.build", "the store layer may not import the pipeline layer"),
    ("graph.views.stats", "click", "only the CLI uses click"),
    ("graph.pipeline.build", "graph.views.render", "the pipeline layer may not import the views layer"),
    ("graph.pipeline.build", "graph.cli", "the pipeline layer may not import the cli layer"),
    ("graph.api", "click", "only the CLI uses click"),
    ("graph.dates", "graph.sources.readers", "the base layer may not import the sources layer"),
    ("graph.sources.readers", "graph.extract.nlp", "the sources layer may not import the extract layer"),
    ("graph.views.render", "graph.pipeline.build", "the views layer may not import the pipeline layer"),
    ("graph.evaluate.run", "graph.pipeline.build", "the evaluate layer may not import the pipeline layer"),
    ("graph.model", "graph.paths", "graph.model imports nothing of ours"),
    ("graph.errors", "graph.model", "graph.errors imports nothing of ours"),
])
def test_architecture_a_wrong_import_is_reported(module: str, target: str, message: str) -> None:
    for lazy, type_only in ((False, False), (True, False), (False, True)):
        found = violations(module, [Import(target, 7, lazy=lazy, type_only=type_only)])
        assert [f"{module}:7 imports {target}: {message}"] == found


@pytest.mark.parametrize(("module", "target"), [
    ("graph.cli.graph_commands", "click"),
    ("graph.cli.graph_commands", "graph.pipeline.build"),
    ("graph.cli.graph_commands", "graph.api"),
    ("graph.api", "graph.views.network"),
    ("graph.pipeline.build", "graph.store.embedded"),
    ("graph.extract.spans", "graph.dates"),
    ("graph.extract.quotes", "graph.extract.context"),
    ("graph.rdf.build", "rdflib"),
])
def test_architecture_a_right_import_passes(module: str, target: str) -> None:
    assert violations(module, [Import(target, 1)]) == []


def test_architecture_a_module_outside_the_layers_is_reported() -> None:
    with pytest.raises(KeyError, match="graph.helpers belongs to no layer"):
        layer_of("graph.helpers")


@pytest.mark.parametrize(("edges", "expected"), [
    ({"graph.a": ["graph.b"], "graph.b": ["graph.a"]}, [["graph.a", "graph.b"]]),
    ({"graph.a": ["graph.b"], "graph.b": ["graph.c"], "graph.c": ["graph.a"]}, [["graph.a", "graph.b", "graph.c"]]),
    ({"graph.a": ["graph.b"], "graph.b": ["graph.c"], "graph.c": []}, []),
])
def test_architecture_an_import_cycle_is_reported(edges: dict[str, list[str]], expected: list[list[str]]) -> None:
    modules = {name: [Import(target, 1, lazy=True) for target in targets] for name, targets in edges.items()}
    assert cycles(import_graph(modules)) == expected


def test_architecture_a_type_only_import_makes_no_cycle() -> None:
    modules = {"graph.a": [Import("graph.b", 1)], "graph.b": [Import("graph.a", 1, type_only=True)]}
    assert cycles(import_graph(modules)) == []


def test_architecture_imports_are_read_with_their_kind() -> None:
    source = '''
from typing import TYPE_CHECKING
import rdflib
from graph.rdf import vocab
from graph.rdf.iri import doc_iri
from . import spans
if TYPE_CHECKING:
    from graph.store.embedded import StoreHandle
def f():
    import click
'''
    found = imports_of(source, "graph.extract.quotes")
    assert [(i.target, i.lazy, i.type_only) for i in found] == [
        ("typing", False, False),
        ("rdflib", False, False),
        ("graph.rdf.vocab", False, False),
        ("graph.rdf.iri", False, False),
        ("graph.extract.spans", False, False),
        ("graph.store.embedded", False, True),
        ("click", True, False),
    ]
    assert len(violations("graph.extract.quotes", found)) == 5


def test_architecture_a_print_is_found() -> None:
    assert prints("import sys\n\ndef f():\n    print('x', file=sys.stderr)\n") == [4]
