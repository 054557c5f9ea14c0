"""Where the project's data files live: the ontologies/ folder and the package resources."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES = PACKAGE_DIR / "resources"


def ontologies_dir() -> Path:
    """The folder holding newsgraph.ttl, shapes.ttl and kb.ttl (NEWSGRAPH_ONTOLOGIES overrides)."""
    env = os.environ.get("NEWSGRAPH_ONTOLOGIES")
    if env:
        return Path(env)
    return PACKAGE_DIR.parent / "ontologies"


def ontology_file() -> Path:
    return ontologies_dir() / "newsgraph.ttl"


def shapes_file() -> Path:
    return ontologies_dir() / "shapes.ttl"


def kb_file() -> Path:
    return ontologies_dir() / "kb.ttl"


# The fine-tuned statistical NER (newsgraph train-ner) and the marked sentences it is trained on.
NER_DIR = RESOURCES / "ner"
NER_TRAINING_DIR = PACKAGE_DIR.parent / "training" / "ner"
