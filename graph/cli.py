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

import contextlib
import math
import signal
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from graph import __version__
from graph.errors import NewsgraphError, one_line, printable
from graph.ner_training import DEFAULT_MAX_STEPS, DEFAULT_SEED  # spaCy is imported only when training
from graph.paths import NER_DIR, NER_TRAINING_DIR
from graph.store import (
    DEFAULT_STORE,
    EXPORT_FORMATS,
    FORMAT_ALIASES,
    MAX_TIMEOUT,
    QUERY_FORMATS,
    STORE_ENV,
    open_store,
)

DEFAULT_SOURCES = ("seeds/",)
EXIT_ERROR = 1
EXIT_WARNINGS = 3  # 2 is click's usage error
EXIT_INTERRUPTED = 130  # the shell's code for a process ended by Ctrl-C (128 + SIGINT)


class _Group(click.Group):
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


def _store_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--store",
        "store_path",
        envvar=STORE_ENV,
        default=DEFAULT_STORE,
        show_default=True,
        # A plain string: click.Path would turn http://host into http:/host.
        type=str,
        callback=_not_empty,
        help=f"Oxigraph store directory, or the URL of a SPARQL 1.1 server (env {STORE_ENV}).",
    )(command)


def _warn(message: str) -> None:
    click.echo(f"warning: {printable(message)}", err=True)


def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """Refuse nan (FloatRange lets it through: every comparison with nan is false)."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of seconds or a fraction", ctx, param)
    return value


def _not_empty(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Refuse an empty --store: it would be the current folder."""
    if value is not None and not str(value).strip():
        raise click.BadParameter("is empty; give a store folder or a SPARQL server's URL", ctx, param)
    return value


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="newsgraph")
def main() -> None:
    """Build and explore an RDF knowledge graph of labor-dispute news.

    \b
    Exit codes: 0 success; 1 error (one "error:" line on stderr);
    2 usage error; 3 build done, but some inputs were skipped or
    repaired (one "warning: FILE[:LINE]: ..." line each);
    130 interrupted (Ctrl-C).
    """


@main.command()
@click.argument("sources", nargs=-1)
@_store_option
@click.option("--model", default=None, help="spaCy model name or path (default: en_core_web_sm).")
@click.option(
    "--date", "default_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="Publication date (YYYY-MM-DD) for articles that give none.",
)
@click.option(
    "--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True, callback=_finite,
    help="Drop relations and quotations below this confidence.",
)
@click.option("--batch-size", type=click.IntRange(min=1), default=64, show_default=True,
              help="Articles per spaCy batch and per store transaction.")
@click.option("--strict", is_flag=True,
              help="Fail (exit 1) on any input problem, before anything is written to the store.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes that parse and extract (1: in this process).")
@click.option("--force", is_flag=True, help="Re-extract articles already stored unchanged (after new rules).")
@click.option("--update-url", envvar="NEWSGRAPH_UPDATE_URL", default=None,
              help="SPARQL Update endpoint, when --store is a query endpoint not beside it (env NEWSGRAPH_UPDATE_URL).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where extraction runs: here, or on a Dask cluster (pip install 'newsgraph[dask]').")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler, e.g. tcp://host:8786 (default with --executor dask: a local cluster "
                   "of --jobs workers).")
@click.option("--id", "explicit_id", default=None, metavar="ID",
              help="The identity of the one article read from a single .txt/.md file or stdin (replaces the "
                   "article stored under it).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="Read only the files of folders matching GLOB (repeatable; a GLOB with / matches the path "
                   "relative to the folder, else the file name).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Leave out the files of folders matching GLOB (repeatable). README, LICENSE, CHANGELOG and "
                   "hidden files are always left out of folders.")
@click.option("--prune", is_flag=True,
              help="Remove the stored articles this build did not read (their source is gone).")
@click.option("--feed", "feeds", multiple=True, metavar="URL_OR_FILE",
              help="An RSS or Atom feed whose entries are fetched and built (repeatable).")
@click.option("--offline", is_flag=True, help="Refuse network access: web sources become warnings.")
@click.option("--ignore-robots", is_flag=True, help="Fetch pages that the site's robots.txt disallows.")
def build(
    sources: tuple[str, ...],
    store_path: str,
    model: str | None,
    default_date: datetime | None,
    min_confidence: float,
    batch_size: int,
    strict: bool,
    jobs: int,
    force: bool,
    update_url: str | None,
    executor: str,
    scheduler: str | None,
    explicit_id: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    prune: bool,
    feeds: tuple[str, ...],
    offline: bool,
    ignore_robots: bool,
) -> None:
    """Extract articles from SOURCES (files, folders, web addresses, `-` for stdin; default seeds/) into the store.

    A SOURCE is a .txt/.md/.jsonl file, a saved .html page, a folder of them, an http(s):// article URL, or a
    .txt file that lists URLs one per line; --feed adds the articles of an RSS/Atom feed. Pages are fetched
    politely (a newsgraph User-Agent, a second between two requests to one host, robots.txt obeyed) and read
    with trafilatura: main text, title and publication date.

    An article is known by its source: a .jsonl record's "id", else its file's path relative to the folder
    given (its name when the file is given), else --id. Building it again with another text replaces it.

    Inputs that cannot be used (missing, empty, binary, unsupported type, a bad .jsonl line, a folder
    without articles) are skipped and repairable ones (invalid UTF-8, a malformed date header) kept, each with a
    warning; every good article is still built and the exit code is then 3. With --strict they are
    errors (exit 1) and the store is left untouched. Each batch is one transaction: an interrupted build
    keeps its finished batches, and running it again completes it.
    """
    from graph.fetch import Policy  # urllib3: a tenth of a second no other command should pay
    from graph.pipeline import build as run_build  # imports spaCy

    problems: list[str] = []

    def warn(message: str) -> None:
        problems.append(message)
        _warn(message)

    summary = run_build(
        list(sources or ([] if feeds else DEFAULT_SOURCES)),
        store_path,
        model=model,
        default_date=default_date.date() if default_date else None,
        min_confidence=min_confidence,
        batch_size=batch_size,
        on_problem=warn,
        strict=strict,
        jobs=jobs,
        force=force,
        executor=executor,
        scheduler=scheduler,
        update_url=update_url,
        explicit_id=explicit_id,
        include=include,
        exclude=exclude,
        prune=prune,
        feeds=feeds,
        web=Policy(offline=offline, robots=not ignore_robots),
    )
    click.echo(printable(summary.line()), err=True)
    if problems:
        click.echo(f"{len(problems)} input problem(s), see the warnings above", err=True)
        sys.exit(EXIT_WARNINGS)


@main.command()
@click.argument("ids", nargs=-1, required=True)
@_store_option
def remove(ids: tuple[str, ...], store_path: str) -> None:
    """Remove the articles IDS (identities, as `build` names them, or document IRIs) from the store.

    All or nothing: when one of them is not in the store, nothing is removed (exit 1).
    """
    from graph.articles import remove_from_store

    removed = remove_from_store(store_path, list(ids))
    for article in removed:
        click.echo(f"removed {article.id or article.doc}", err=True)


@main.command()
@click.argument("q")
@_store_option
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice([*QUERY_FORMATS, *(a for a, f in FORMAT_ALIASES.items() if f in QUERY_FORMATS)]),
              help="SELECT/ASK: table, csv, tsv, json, xml. CONSTRUCT/DESCRIBE: table (Turtle), turtle, nt, jsonld, "
                   "xml (RDF/XML).")
@click.option("--timeout", type=click.FloatRange(min=0.0, min_open=True, max=MAX_TIMEOUT), default=None,
              callback=_finite, metavar="SECONDS", help="Stop the query after this many seconds (exit 1).")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE clauses, which make the engine fetch data from the network.")
def query(q: str, store_path: str, fmt: str, timeout: float | None, allow_service: bool) -> None:
    """Run Q: a bundled query name, a .rq file or SPARQL text (read-only: updates are refused).

    The prefixes ng, rdf, rdfs, xsd, owl, skos, schema, prov, org, foaf and dcterms are bound unless Q declares
    them.
    """
    from graph.queries import resolve_query
    from graph.store import query_path

    sparql = resolve_query(q)
    click.echo(query_path(store_path, sparql, fmt, timeout=timeout, allow_service=allow_service), nl=False)


@main.command()
@_store_option
@click.option("--format", "fmt", default="turtle", show_default=True,
              type=click.Choice([*EXPORT_FORMATS, *(a for a, f in FORMAT_ALIASES.items() if f in EXPORT_FORMATS),
                                 "graphml", "csv"]))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to this file instead of stdout (for csv: a folder).")
@click.option("--with-ontology", is_flag=True, help="Include the ng: ontology (RDF formats).")
def export(store_path: str, fmt: str, output: Path | None, with_ontology: bool) -> None:
    """Serialise the whole store (nq/trig keep one graph per article).

    graphml is a property graph for Gephi and yEd; csv writes nodes.csv and relationships.csv into the -o
    folder for `neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv`.
    """
    from graph import api

    if output is None:
        data = api.export(store_path, fmt, with_ontology=with_ontology)
        stdout = getattr(sys.stdout, "buffer", sys.stdout)
        stdout.write(data)
        stdout.flush()
        return
    for written in api.export_to(output, store_path, fmt, with_ontology=with_ontology):
        click.echo(f"wrote {written}", err=True)


@main.command()
@_store_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("graph.html"),
              show_default=True)
@click.option("--title", default=None, help="Page title.")
@click.option("--focus", default=None, help="Show only this entity (any of its names) and its neighbourhood.")
@click.option("--hops", type=click.IntRange(min=0), default=1, show_default=True,
              help="Neighbourhood size for --focus.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=None, help="Keep the most connected N nodes.")
@click.option("--query", "construct", default=None,
              help="Render the result of this CONSTRUCT query (SPARQL text, .rq file or bundled name).")
@click.option("--png", "png", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Also save the page's first view (graph, legend, timeline) as a PNG; needs Chromium.")
def render(store_path: str, output: Path, title: str | None, focus: str | None, hops: int,
           max_nodes: int | None, construct: str | None, png: Path | None) -> None:
    """Write an interactive, self-contained HTML view of the graph (or part of it)."""
    from graph.atomic import atomic_path
    from graph.queries import resolve_query
    from graph.render import DEFAULT_TITLE, construct_graph, render_html, render_png
    from graph.store import query, store_graph

    store = open_store(store_path, read_only=True)
    graph = store_graph(store)
    shown = construct_graph(query(store, resolve_query(construct), "table")) if construct else None
    try:
        with atomic_path(output) as temporary:  # whole or not at all: a full disk leaves no partial page
            render_html(graph, temporary, title or DEFAULT_TITLE, focus=focus, hops=hops, max_nodes=max_nodes,
                        shown=shown)
        written = output
    except OSError as exc:
        raise NewsgraphError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {written}", err=True)
    if png is not None:
        click.echo(f"wrote {render_png(written, png)}", err=True)


@main.command()
@_store_option
def stats(store_path: str) -> None:
    """Count triples, documents, statements, entities and relations."""
    from graph.stats import compute_stats, format_stats

    click.echo(format_stats(compute_stats(open_store(store_path, read_only=True))), nl=False)


@main.command()
@_store_option
def validate(store_path: str) -> None:
    """Check that the store is not damaged (as `check` does), then check it against the SHACL shapes; exit 0
    when it conforms, 1 otherwise."""
    from graph.integrity import ensure_sound
    from graph.remote import is_remote
    from graph.shapes import validate_graph
    from graph.store import store_graph

    if not is_remote(store_path):
        ensure_sound(store_path)
    conforms, report = validate_graph(store_graph(open_store(store_path, read_only=True)))
    click.echo(report.rstrip("\n"))
    sys.exit(0 if conforms else 1)


@main.command()
@_store_option
def check(store_path: str) -> None:
    """Check that the store folder is not damaged: read it in every index order and compare (exit 1 if damaged).

    Runs in a child process with a memory limit, so a damaged block that would make a query allocate without
    end is reported instead. A SPARQL server checks its own storage.
    """
    from graph.integrity import ensure_sound
    from graph.remote import is_remote

    if is_remote(store_path):
        raise NewsgraphError("check reads a store folder; a SPARQL server checks its own storage")
    found = ensure_sound(store_path)
    click.echo(f"store {store_path} is sound: {found.quads:,} quads in {found.graphs:,} graphs read in "
               f"{found.readings} orders, all alike")


@main.command()
@click.option("--store", "store_path", envvar=STORE_ENV, default=DEFAULT_STORE, show_default=True,
              type=click.Path(file_okay=False), callback=_not_empty,
              help=f"Store directory to serve (env {STORE_ENV}).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.0, min_open=True, max=MAX_TIMEOUT), default=30.0,
              show_default=True, callback=_finite, metavar="SECONDS",
              help="Stop a query after this many seconds (the engine restarted if it has not stopped 5 s later).")
@click.option("--writable", is_flag=True,
              help="Also serve SPARQL Update at /update and the Graph Store Protocol at /store.")
def serve(store_path: str, host: str, port: int, timeout: float, writable: bool) -> None:
    """Serve the store as a SPARQL 1.1 endpoint at http://HOST:PORT/query (read-only by default).

    The Oxigraph server answers GET and POST queries (results as JSON, XML, CSV or TSV and graphs as Turtle by
    content negotiation, the default graph being the union of all articles) behind a guard that refuses
    queries too deep, too large or reaching the network, stops any query at the deadline and restarts a crashed
    engine. A read-only server holds the store: builds wait until it stops. Ctrl-C stops it.
    """
    from graph.serve import run_guarded

    mode = "read-write" if writable else "read-only"

    def ready(url: str) -> None:
        click.echo(f"serving {store_path} ({mode}) at {url}/query; Ctrl-C stops", err=True)

    # SIGTERM/SIGHUP would end this process at once: turn them into Ctrl-C, so the engine is stopped too.
    for stop_signal in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _interrupt)
    with contextlib.suppress(KeyboardInterrupt):  # the normal way to stop a server: not an error
        run_guarded(Path(store_path), host=host, port=port, timeout=timeout, writable=writable, on_ready=ready)
    click.echo("stopped", err=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--model", default=None, help="spaCy model name or path.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--show-errors", is_flag=True,
              help="List each missed and spurious relation (with its evidence) and each entity error.")
@click.option("--ner", type=click.Choice(["default", "model", "domain"]), default="default", show_default=True,
              help="'model': the spaCy model's NER without the domain hints; 'domain': the fine-tuned NER of "
                   "graph/resources/ner instead of the model's (experiments to compare).")
def eval_command(gold_dir: Path, model: str | None, fmt: str, show_errors: bool, ner: str) -> None:
    """Score the extractor on NAME.txt + NAME.gold.json pairs in GOLD_DIR (precision, recall, F1)."""
    from graph.evaluate import evaluate, format_report  # imports spaCy

    report = evaluate(gold_dir, model=model, show_errors=show_errors, ner=ner)
    click.echo(format_report(report, fmt).rstrip("\n"))


@main.command(name="train-ner")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=NER_TRAINING_DIR,
              show_default=True, help="Folder of *.txt training sentences marked [surface](Label).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=NER_DIR, show_default=True,
              help="Folder the fine-tuned ner weights and training.json are written to.")
@click.option("--seed", type=click.IntRange(min=0), default=DEFAULT_SEED, show_default=True,
              help="Random seed ([system] seed of the training config).")
@click.option("--max-steps", type=click.IntRange(min=1), default=DEFAULT_MAX_STEPS, show_default=True,
              help="Training steps (batches of sentences).")
def train_ner_command(data_dir: Path, output: Path, seed: int, max_steps: int) -> None:
    """Fine-tune the spaCy model's NER to predict newsgraph's entity classes; print dev scores before/after.

    Only the ner weights are saved (load them with graph.ner_training.use_domain_ner); spaCy's training log goes
    to stderr, the score table to stdout.
    """
    from graph.ner_training import train_ner

    report = train_ner(data_dir, output, seed=seed, max_steps=max_steps, log=sys.stderr)
    click.echo(report.table(), nl=False)
    click.echo(f"wrote {report.output} in {report.metadata['seconds']:.0f} s", err=True)
