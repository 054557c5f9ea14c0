#!/usr/bin/env bash
# The main job on seeds/: set up, build the graph, export Turtle, render HTML, print the negotiations query.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NEWSGRAPH_STORE=${NEWSGRAPH_STORE:-newsgraph.store}
mkdir -p out
.venv/bin/newsgraph build seeds
.venv/bin/newsgraph export --format turtle -o out/graph.ttl
.venv/bin/newsgraph render -o out/graph.html
.venv/bin/newsgraph validate > /dev/null && echo "SHACL: the graph conforms"
echo "Turtle: out/graph.ttl  HTML: out/graph.html (open it in a browser)"
.venv/bin/newsgraph query negotiations
