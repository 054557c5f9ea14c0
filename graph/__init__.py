"""newsgraph: news articles to an RDF knowledge graph of labor disputes."""
from __future__ import annotations

__version__ = "0.1.0"
