"""The commands that check and serve a store and tune the extractor: validate, check, serve, eval, train-ner.

Like the other commands they convert options, call one library function and print; the SHACL engine, the
server and spaCy are imported inside the command that needs them.
"""
from __future__ import annotations

import contextlib
import signal
import sys
from pathlib import Path

import click

from graph.cli.options import finite, not_empty, store_option
from graph.errors import NewsgraphError
from graph.extract.ner_training import DEFAULT_MAX_STEPS, DEFAULT_SEED  # spaCy is imported only when training
from graph.paths import NER_DIR, NER_TRAINING_DIR
from graph.store.embedded import DEFAULT_STORE, MAX_TIMEOUT, STORE_ENV, open_store


@click.command()
@store_option
def validate(store_path: str) -> None:
    """Check that the store is not damaged (as `check` does), then check it against the SHACL shapes; exit 0
    when it conforms, 1 otherwise."""
    from graph.rdf.shapes import validate_graph
    from graph.store.embedded import store_graph
    from graph.store.integrity import ensure_sound
    from graph.store.remote import is_remote

    if not is_remote(store_path):
        ensure_sound(store_path)
    conforms, report = validate_graph(store_graph(open_store(store_path, read_only=True)))
    click.echo(report.rstrip("\n"))
    sys.exit(0 if conforms else 1)


@click.command()
@store_option
def check(store_path: str) -> None:
    """Check that the store folder is not damaged: read it in every index order and compare (exit 1 if damaged).

    Runs in a child process with a memory limit, so a damaged block that would make a query allocate without
    end is reported instead. A SPARQL server checks its own storage.
    """
    from graph.store.integrity import ensure_sound
    from graph.store.remote import is_remote

    if is_remote(store_path):
        raise NewsgraphError("check reads a store folder; a SPARQL server checks its own storage")
    found = ensure_sound(store_path)
    click.echo(f"store {store_path} is sound: {found.quads:,} quads in {found.graphs:,} graphs read in "
               f"{found.readings} orders, all alike")


@click.command()
@click.option("--store", "store_path", envvar=STORE_ENV, default=DEFAULT_STORE, show_default=True,
              type=click.Path(file_okay=False), callback=not_empty,
              help=f"Store directory to serve (env {STORE_ENV}).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.0, min_open=True, max=MAX_TIMEOUT), default=30.0,
              show_default=True, callback=finite, metavar="SECONDS",
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
    from graph.store.serve import run_guarded

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


@click.command(name="eval")
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
    from graph.evaluate.report import format_report
    from graph.evaluate.run import evaluate  # imports spaCy

    report = evaluate(gold_dir, model=model, show_errors=show_errors, ner=ner)
    click.echo(format_report(report, fmt).rstrip("\n"))


@click.command(name="train-ner")
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

    Only the ner weights are saved (load them with graph.extract.ner_training.use_domain_ner); spaCy's training log goes
    to stderr, the score table to stdout.
    """
    from graph.extract.ner_training import train_ner

    report = train_ner(data_dir, output, seed=seed, max_steps=max_steps, log=sys.stderr)
    click.echo(report.table(), nl=False)
    click.echo(f"wrote {report.output} in {report.metadata['seconds']:.0f} s", err=True)
