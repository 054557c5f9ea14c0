"""Where the project's data files live: the ontology files and the package resources.

The top-level ontologies/ folder of a source checkout is the source of truth for the ontology, the SHACL
shapes and the knowledge base. Building a wheel copies it into the package as graph/resources/ontologies/
(setup.py), since an installed package has no checkout beside it; an editable install and a checkout read
the top-level folder itself, so editing it takes effect without a reinstall.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES = PACKAGE_DIR / "resources"
ONTOLOGIES_ENV = "NEWSGRAPH_ONTOLOGIES"
ONTOLOGY_FILES = ("newsgraph.ttl", "shapes.ttl", "kb.ttl")
# The copy a wheel carries (written by setup.py at build time, never present in a checkout).
PACKAGED_ONTOLOGIES = RESOURCES / "ontologies"
CHECKOUT_ONTOLOGIES = PACKAGE_DIR.parent / "ontologies"


def ontologies_dir() -> Path:
    """The folder holding newsgraph.ttl, shapes.ttl and kb.ttl.

    NEWSGRAPH_ONTOLOGIES overrides; else the copy inside an installed package, else the checkout's folder.
    """
    env = os.environ.get(ONTOLOGIES_ENV)
    if env:
        return Path(env)
    if (PACKAGED_ONTOLOGIES / "newsgraph.ttl").is_file():
        return PACKAGED_ONTOLOGIES
    return CHECKOUT_ONTOLOGIES


def ontology_file() -> Path:
    return ontologies_dir() / "newsgraph.ttl"


def shapes_file() -> Path:
    return ontologies_dir() / "shapes.ttl"


def kb_file() -> Path:
    return ontologies_dir() / "kb.ttl"


# The fine-tuned statistical NER (newsgraph train-ner) and the marked sentences it is trained on.
NER_DIR = RESOURCES / "ner"
NER_TRAINING_DIR = PACKAGE_DIR.parent / "training" / "ner"
