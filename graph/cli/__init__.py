"""The `newsgraph` command line: thin commands that convert options, call one library function, print.

Exit codes (also in the `--help` text): 0 success; 1 an error, reported as one `error: <message>` line on
stderr (every NewsgraphError, e.g. no source exists, `build --strict` on a bad input, a store in use, a
refused, malformed or timed-out query, a store failing `validate`); 2 a usage error (click); 3 `build` finished
but skipped or repaired some inputs, each reported as a `warning: <file>[:<line>]: ...` line; 130 interrupted.
Anything else is a bug and keeps its traceback. Commands that only read open the store read-only, so they
work during a build. `--store` is a folder or the http(s) URL of a SPARQL 1.1 server (credentials from
NEWSGRAPH_USER / NEWSGRAPH_PASSWORD, never from options). Heavy imports (spaCy, pyshacl, Dask) happen inside
the commands that need them, to keep `--help` fast.
"""
from __future__ import annotations

import click

from graph import __version__
from graph.cli import admin_commands, graph_commands
from graph.cli.options import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_WARNINGS, Group

__all__ = ["EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_WARNINGS", "main"]


@click.group(cls=Group)
@click.version_option(__version__, prog_name="newsgraph")
def main() -> None:
    """Build and explore an RDF knowledge graph of labor-dispute news.

    \b
    Exit codes: 0 success; 1 error (one "error:" line on stderr);
    2 usage error; 3 build done, but some inputs were skipped or
    repaired (one "warning: FILE[:LINE]: ..." line each);
    130 interrupted (Ctrl-C).
    """


for command in (graph_commands.build, graph_commands.remove, graph_commands.query, graph_commands.export,
                graph_commands.render, graph_commands.stats, admin_commands.validate, admin_commands.check,
                admin_commands.serve, admin_commands.eval_command, admin_commands.train_ner_command):
    main.add_command(command)
