"""Build hook: copy the top-level ontologies/ into the package, so a wheel carries them.

ontologies/ stays the single source of truth (graph.paths reads it directly in a checkout and in an editable
install); a wheel has no checkout beside it, so build_py writes a copy to graph/resources/ontologies/ in the
build tree only. Everything else about the package is declared in pyproject.toml.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
ONTOLOGY_FILES = ("newsgraph.ttl", "shapes.ttl", "kb.ttl")  # the same list as graph.paths.ONTOLOGY_FILES


class BuildWithOntologies(build_py):
    """build_py, then the ontology files copied next to the other package resources."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads ontologies/ in place
        target = Path(self.build_lib) / "graph" / "resources" / "ontologies"
        target.mkdir(parents=True, exist_ok=True)
        for name in ONTOLOGY_FILES:
            source = ROOT / "ontologies" / name
            if not source.is_file():
                raise FileNotFoundError(f"cannot package the ontologies: {source} is missing")
            shutil.copyfile(source, target / name)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        target = Path(self.build_lib) / "graph" / "resources" / "ontologies"
        return [*outputs, *(str(target / name) for name in ONTOLOGY_FILES)]


setup(cmdclass={"build_py": BuildWithOntologies})
