"""The commands that build the graph and read it: build, remove, query, export, render and stats.

Each converts its options, calls one library function and prints; heavy imports (spaCy, urllib3, the
renderer) happen inside the command that needs them, to keep `--help` and the other commands fast.
"""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, cast

import click

from graph.cli.options import DEFAULT_SOURCES, EXIT_WARNINGS, finite, print_warning, store_option
from graph.errors import NewsgraphError, printable
from graph.store.embedded import EXPORT_FORMATS, FORMAT_ALIASES, MAX_TIMEOUT, QUERY_FORMATS, open_store


@click.command()
@click.argument("sources", nargs=-1)
@store_option
@click.option("--model", default=None, help="spaCy model name or path (default: en_core_web_sm).")
@click.option(
    "--date", "default_date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="Publication date (YYYY-MM-DD) for articles that give none.",
)
@click.option(
    "--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True, callback=finite,
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
    from graph.pipeline.build import build as run_build  # imports spaCy
    from graph.sources.fetch import Policy  # urllib3: a tenth of a second no other command should pay

    problems: list[str] = []

    def warn(message: str) -> None:
        problems.append(message)
        print_warning(message)

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


@click.command()
@click.argument("ids", nargs=-1, required=True)
@store_option
def remove(ids: tuple[str, ...], store_path: str) -> None:
    """Remove the articles IDS (identities, as `build` names them, or document IRIs) from the store.

    All or nothing: when one of them is not in the store, nothing is removed (exit 1).
    """
    from graph.store.articles import remove_from_store

    removed = remove_from_store(store_path, list(ids))
    for article in removed:
        click.echo(f"removed {article.id or article.doc}", err=True)


@click.command()
@click.argument("q")
@store_option
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice([*QUERY_FORMATS, *(a for a, f in FORMAT_ALIASES.items() if f in QUERY_FORMATS)]),
              help="SELECT/ASK: table, csv, tsv, json, xml. CONSTRUCT/DESCRIBE: table (Turtle), turtle, nt, jsonld, "
                   "xml (RDF/XML).")
@click.option("--timeout", type=click.FloatRange(min=0.0, min_open=True, max=MAX_TIMEOUT), default=None,
              callback=finite, metavar="SECONDS", help="Stop the query after this many seconds (exit 1).")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE clauses, which make the engine fetch data from the network.")
def query(q: str, store_path: str, fmt: str, timeout: float | None, allow_service: bool) -> None:
    """Run Q: a bundled query name, a .rq file or SPARQL text (read-only: updates are refused).

    The prefixes ng, rdf, rdfs, xsd, owl, skos, schema, prov, org, foaf and dcterms are bound unless Q declares
    them.
    """
    from graph.store.embedded import query_path
    from graph.store.queries import resolve_query

    sparql = resolve_query(q)
    click.echo(query_path(store_path, sparql, fmt, timeout=timeout, allow_service=allow_service), nl=False)


@click.command()
@store_option
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
        stdout = cast(BinaryIO, getattr(sys.stdout, "buffer", sys.stdout))
        stdout.write(data)
        stdout.flush()
        return
    for written in api.export_to(output, store_path, fmt, with_ontology=with_ontology):
        click.echo(f"wrote {written}", err=True)


@click.command()
@store_option
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
    from graph.store.embedded import query, store_graph
    from graph.store.queries import resolve_query
    from graph.views.render import DEFAULT_TITLE, construct_graph, render_html, render_png

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


@click.command()
@store_option
def stats(store_path: str) -> None:
    """Count triples, documents, statements, entities and relations."""
    from graph.views.stats import compute_stats, format_stats

    click.echo(format_stats(compute_stats(open_store(store_path, read_only=True))), nl=False)
