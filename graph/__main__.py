"""`python -m graph`: the newsgraph command line."""
from __future__ import annotations

from graph.cli import main

if __name__ == "__main__":
    main(prog_name="newsgraph")
