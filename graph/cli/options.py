"""What the commands share: exit codes, one-line errors instead of tracebacks, and the common options.

A NewsgraphError ends a command with one `error: <message>` line on stderr and exit code 1, Ctrl-C with
`error: interrupted` and 130; `build` exits 3 after warnings (see graph.cli for the whole list). `--store` is a
folder or the http(s) URL of a SPARQL 1.1 server, read from NEWSGRAPH_STORE when not given.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import click

from graph.errors import NewsgraphError, one_line, printable
from graph.store.embedded import DEFAULT_STORE, STORE_ENV

DEFAULT_SOURCES = ("seeds/",)
EXIT_ERROR = 1
EXIT_WARNINGS = 3  # 2 is click's usage error
EXIT_INTERRUPTED = 130  # the shell's code for a process ended by Ctrl-C (128 + SIGINT)


class Group(click.Group):
    """A click group that reports expected failures in one line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsgraphError as exc:
            click.echo(f"error: {printable(one_line(str(exc)))}", err=True)
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            # A build's finished batches are committed; the one in progress is not written at all.
            click.echo("error: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


def store_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--store",
        "store_path",
        envvar=STORE_ENV,
        default=DEFAULT_STORE,
        show_default=True,
        # A plain string: click.Path would turn http://host into http:/host.
        type=str,
        callback=not_empty,
        help=f"Oxigraph store directory, or the URL of a SPARQL 1.1 server (env {STORE_ENV}).",
    )(command)


def print_warning(message: str) -> None:
    click.echo(f"warning: {printable(message)}", err=True)


def finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """Refuse nan (FloatRange lets it through: every comparison with nan is false)."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of seconds or a fraction", ctx, param)
    return value


def not_empty(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Refuse an empty --store: it would be the current folder."""
    if value is not None and not str(value).strip():
        raise click.BadParameter("is empty; give a store folder or a SPARQL server's URL", ctx, param)
    return value
