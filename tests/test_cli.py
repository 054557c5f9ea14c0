"""The command line: every command through click's CliRunner, and real processes for the entry points."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from conftest import HARBOR_TEXTS

from graph.cli import main
from graph.rdf.shapes import validate_graph
from graph.store.embedded import open_store, store_graph

ROOT = Path(__file__).resolve().parent.parent
NEWSGRAPH = Path(sys.executable).parent / "newsgraph"


def _run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def _one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_cli_build_prints_a_summary_on_stderr(fake_nlp, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(HARBOR_TEXTS[0], encoding="utf-8")
    result = _run("build", str(source), "--store", str(tmp_path / "s.store"), "--min-confidence", "0.85")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("built 1 of 1 articles (0 unchanged):")
    assert "2 relations" in result.stderr


def test_cli_build_reads_stdin_and_uses_the_date_option(fake_nlp, tmp_path: Path) -> None:
    store = tmp_path / "s.store"
    result = _run("build", "-", "--store", str(store), "--date", "2034-05-20", stdin=HARBOR_TEXTS[1])
    assert result.exit_code == 0, result.stderr
    published = set(store_graph(open_store(store, read_only=True)).objects(None, rdflib.URIRef(
        "https://w3id.org/newsgraph/ontology#publishedOn")))
    assert {str(d) for d in published} == {"2034-05-20"}


def test_cli_build_warns_about_bad_input(fake_nlp, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    result = _run("build", str(tmp_path / "empty.txt"), "--store", str(tmp_path / "s.store"))
    assert result.exit_code == 3  # done, with inputs skipped
    assert result.stderr.splitlines()[0].startswith("warning: ")


def test_cli_build_strict_turns_a_warning_into_an_error(fake_nlp, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    result = _run("build", str(tmp_path / "empty.txt"), "--store", str(tmp_path / "s.store"), "--strict")
    assert result.exit_code == 1
    assert "empty" in _one_error_line(result.stderr)


def test_cli_build_missing_source_is_one_error_line(fake_nlp, tmp_path: Path) -> None:
    result = _run("build", str(tmp_path / "nope"), "--store", str(tmp_path / "s.store"))
    assert result.exit_code == 1
    assert "no such file or folder" in _one_error_line(result.stderr)


@pytest.mark.parametrize("option", [("--date", "22-09-2023"), ("--min-confidence", "1.5"), ("--batch-size", "0")])
def test_cli_build_rejects_bad_options(tmp_path: Path, option: tuple[str, str]) -> None:
    result = _run("build", "--store", str(tmp_path / "s.store"), *option)
    assert result.exit_code == 2
    assert not (tmp_path / "s.store").exists()


def test_cli_query_bundled_name_as_json(harbor_store_path: Path) -> None:
    result = _run("query", "leaders", "--store", str(harbor_store_path), "--format", "json")
    assert result.exit_code == 0
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [(b["person"]["value"], b["role_of"]["value"]) for b in bindings] == [
        ("Mara Quill", "Harbor Pilots Union")
    ]


def test_cli_query_store_from_the_environment(harbor_store_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_STORE", str(harbor_store_path))
    result = _run("query", "strikes")
    assert result.exit_code == 0
    assert "2034-05-02" in result.stdout


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nonsense", "unknown query 'nonsense'; bundled queries:"),
        ("SELECT ?x WHERE {", "SPARQL syntax error at line 1, column 18:"),
        ("DELETE WHERE { ?s ?p ?o }", "read-only: DELETE"),
    ],
)
def test_cli_query_errors_are_one_line(harbor_store_path: Path, query: str, expected: str) -> None:
    result = _run("query", query, "--store", str(harbor_store_path))
    assert result.exit_code == 1
    assert expected in _one_error_line(result.stderr)
    assert result.stdout == ""


def test_cli_query_without_a_store_says_to_build(tmp_path: Path) -> None:
    result = _run("query", "leaders", "--store", str(tmp_path / "missing.store"))
    assert result.exit_code == 1
    assert _one_error_line(result.stderr) == f"error: no store at {tmp_path / 'missing.store'}; run newsgraph build"


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_cli_export_to_stdout_parses(harbor_store_path: Path, fmt: str, rdflib_format: str) -> None:
    result = _run("export", "--store", str(harbor_store_path), "--format", fmt)
    assert result.exit_code == 0
    assert len(rdflib.Graph().parse(data=result.stdout_bytes, format=rdflib_format)) > 50


def test_cli_export_to_a_file_with_the_ontology(harbor_store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.ttl"
    plain = _run("export", "--store", str(harbor_store_path)).stdout_bytes
    result = _run("export", "--store", str(harbor_store_path), "-o", str(out), "--with-ontology")
    assert result.exit_code == 0
    assert result.stderr == f"wrote {out}\n"
    assert len(rdflib.Graph().parse(out)) > len(rdflib.Graph().parse(data=plain, format="turtle"))


def test_cli_render_writes_the_page(harbor_store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    result = _run("render", "--store", str(harbor_store_path), "-o", str(out))
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "Tidewater Freight" in page
    assert "https://" not in page


def test_cli_stats_prints_counts(harbor_store_path: Path) -> None:
    result = _run("stats", "--store", str(harbor_store_path))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].split() == ["documents", "2"]


def test_cli_validate_exit_code_follows_the_report(harbor_store_path: Path) -> None:
    conforms, _ = validate_graph(store_graph(open_store(harbor_store_path, read_only=True)))
    result = _run("validate", "--store", str(harbor_store_path))
    assert result.exit_code == (0 if conforms else 1)
    assert result.stdout.startswith("Validation Report")


def test_cli_validate_fails_on_a_nonconforming_store(tmp_path: Path) -> None:
    from graph.store.embedded import write_articles

    doc = rdflib.URIRef("https://w3id.org/newsgraph/id/doc/broken")
    graph = rdflib.Graph()
    # a Person leading a Person breaks the shape of ng:leads (object: an organisation or a place)
    for name in ("a", "b"):
        node = rdflib.URIRef(f"https://w3id.org/newsgraph/id/entity/{name}")
        graph.add((node, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/newsgraph/ontology#Person")))
        graph.add((node, rdflib.RDFS.label, rdflib.Literal(name)))
    graph.add((rdflib.URIRef("https://w3id.org/newsgraph/id/entity/a"),
               rdflib.URIRef("https://w3id.org/newsgraph/ontology#leads"),
               rdflib.URIRef("https://w3id.org/newsgraph/id/entity/b")))
    store = open_store(tmp_path / "broken.store")
    write_articles(store, [(doc, graph)])
    del store
    import gc

    gc.collect()
    result = _run("validate", "--store", str(tmp_path / "broken.store"))
    assert result.exit_code == 1
    assert "Conforms: False" in result.stdout


def test_cli_help_lists_every_command() -> None:
    result = _run("--help")
    for command in ("build", "query", "export", "render", "stats", "validate"):
        assert command in result.stdout


def test_cli_console_script_runs_a_query(harbor_store_path: Path) -> None:
    done = subprocess.run(
        [str(NEWSGRAPH), "query", "negotiations", "--store", str(harbor_store_path), "--format", "csv"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["party,counterpart,articles", "Harbor Pilots Union,Tidewater Freight,2"]


def test_cli_module_entry_point_reports_errors_without_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph", "stats", "--store", str(tmp_path / "none.store")],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env={**os.environ, "NEWSGRAPH_STORE": ""},
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert _one_error_line(done.stderr).startswith("error: no store at")


def test_cli_render_focus_keeps_the_neighbourhood(harbor_store_path: Path, tmp_path: Path) -> None:
    whole, focused = tmp_path / "whole.html", tmp_path / "focus.html"
    assert _run("render", "--store", str(harbor_store_path), "-o", str(whole)).exit_code == 0
    result = _run("render", "--store", str(harbor_store_path), "-o", str(focused), "--focus", "Mara Quill",
                  "--hops", "1")
    assert result.exit_code == 0, result.output
    page = focused.read_text(encoding="utf-8")
    assert "Mara Quill" in page and "Harbor Pilots Union" in page
    assert len(page) < len(whole.read_text(encoding="utf-8"))


def test_cli_render_unknown_focus_is_a_one_line_error(harbor_store_path: Path, tmp_path: Path) -> None:
    result = _run("render", "--store", str(harbor_store_path), "-o", str(tmp_path / "x.html"), "--focus", "Nobody")
    assert result.exit_code == 1
    assert "no entity named 'Nobody'" in result.output and "Traceback" not in result.output


def test_cli_render_construct_query(harbor_store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "leaders.html"
    q = ("PREFIX ng: <https://w3id.org/newsgraph/ontology#> "
         "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
         "CONSTRUCT { ?a ng:leads ?b . ?a a ?t . ?b a ?u . ?a rdfs:label ?la . ?b rdfs:label ?lb } "
         "WHERE { ?a ng:leads ?b . ?a a ?t . ?b a ?u . ?a rdfs:label ?la . ?b rdfs:label ?lb }")
    result = _run("render", "--store", str(harbor_store_path), "-o", str(out), "--query", q)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Mara Quill" in page and "Coastal Shipping Council" not in page


# --- identity, pruning, removing, formats (issue: a new user's first hour) -----------------------------------
def test_cli_build_id_names_a_stdin_article_and_replaces_it(fake_nlp, tmp_path: Path) -> None:
    store = str(tmp_path / "s.store")
    assert _run("build", "-", "--id", "wire-1", "--store", store, stdin=HARBOR_TEXTS[0]).exit_code == 0
    again = _run("build", "-", "--id", "wire-1", "--store", store, stdin=HARBOR_TEXTS[1])
    assert again.exit_code == 0 and again.stderr.startswith("built 1 of 1 articles")
    from graph.store.articles import stored_articles

    assert [a.id for a in stored_articles(open_store(store, read_only=True))] == ["wire-1"]


def test_cli_build_id_with_a_folder_is_one_error_line(fake_nlp, tmp_path: Path) -> None:
    result = _run("build", str(tmp_path), "--id", "x", "--store", str(tmp_path / "s.store"))
    assert result.exit_code == 1 and "--id names one article" in _one_error_line(result.stderr)


def test_cli_build_include_exclude_and_prune(fake_nlp, sources: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "s.store")
    (sources / "README.md").write_text("# About\n\ndate YYYY-MM-DD\n", encoding="utf-8")
    first = _run("build", str(sources), "--exclude", "harbor-1.txt", "--store", store)
    assert first.exit_code == 0, first.stderr
    assert first.stderr.startswith("built 1 of 1 articles")
    assert f"not read: {sources.as_posix()}/README.md, {sources.as_posix()}/harbor-1.txt" in first.stderr
    both = _run("build", str(sources), "--include", "harbor-*", "--store", store)
    assert both.stderr.startswith("built 1 of 2 articles (1 unchanged)")
    (sources / "harbor-0.txt").unlink()
    pruned = _run("build", str(sources), "--prune", "--store", store)
    assert pruned.exit_code == 0 and "pruned 1 article(s) whose source is gone: harbor-0.txt" in pruned.stderr


def test_cli_remove_drops_articles_all_or_nothing(fake_nlp, sources: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "s.store")
    _run("build", str(sources), "--store", store)
    refused = _run("remove", "harbor-0.txt", "no-such.txt", "--store", store)
    assert refused.exit_code == 1 and "no-such.txt" in _one_error_line(refused.stderr)
    removed = _run("remove", "harbor-0.txt", "--store", store)
    assert (removed.exit_code, removed.stderr) == (0, "removed harbor-0.txt\n")
    counts = _run("stats", "--store", store).stdout
    assert "documents   1" in counts or any(line.split() == ["documents", "1"] for line in counts.splitlines())


def test_cli_remove_without_a_store_creates_none(tmp_path: Path) -> None:
    result = _run("remove", "x.txt", "--store", str(tmp_path / "absent.store"))
    assert result.exit_code == 1 and "no store at" in _one_error_line(result.stderr)
    assert not (tmp_path / "absent.store").exists()


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("json-ld", "json-ld")])
def test_cli_export_accepts_common_format_names(harbor_store_path: Path, fmt: str, rdflib_format: str) -> None:
    result = _run("export", "--store", str(harbor_store_path), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert len(rdflib.Graph().parse(data=result.stdout, format=rdflib_format)) > 0


def test_cli_query_construct_with_csv_is_refused(harbor_store_path: Path) -> None:
    result = _run("query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "--format", "csv",
                  "--store", str(harbor_store_path))
    assert result.exit_code == 1 and "gives triples, not a table" in _one_error_line(result.stderr)


def test_cli_query_binds_common_prefixes(harbor_store_path: Path) -> None:
    result = _run("query", "SELECT ?s WHERE { ?s a ng:LaborUnion }", "--store", str(harbor_store_path))
    assert result.exit_code == 0, result.stderr
    assert "id:entity/harbor-pilots-union" in result.stdout


def test_cli_commands_raise_no_deprecation_warning(harbor_store_path: Path) -> None:
    # Our own code must not use deprecated click APIs (get_binary_stream was one).
    done = subprocess.run([sys.executable, "-W", "error::DeprecationWarning:graph", "-m", "graph", "export",
                           "--store", str(harbor_store_path), "--format", "nt"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "DeprecationWarning" not in done.stderr


def test_cli_edited_article_is_replaced_in_a_real_build(tmp_path: Path) -> None:
    """The issue's case through the installed command and the real model: append a sentence, build again."""
    folder = tmp_path / "articles"
    folder.mkdir()
    seed = next((ROOT / "seeds").glob("*.txt"))
    article = folder / seed.name
    article.write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    store = str(tmp_path / "s.store")

    def documents_and_quotes() -> tuple[int, list[str]]:
        docs = subprocess.run([NEWSGRAPH, "query", "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a ng:Document }",
                               "--format", "csv", "--store", store], capture_output=True, text=True, timeout=120)
        quotes = subprocess.run([NEWSGRAPH, "query", "statements", "--format", "csv", "--store", store],
                                capture_output=True, text=True, timeout=120)
        return int(docs.stdout.splitlines()[1]), quotes.stdout.splitlines()[1:]

    first = subprocess.run([NEWSGRAPH, "build", str(folder), "--store", store], capture_output=True, text=True,
                           timeout=300)
    assert first.returncode == 0, first.stderr
    before = documents_and_quotes()
    with article.open("a", encoding="utf-8") as handle:
        handle.write("\nThe talks will continue next week.\n")
    second = subprocess.run([NEWSGRAPH, "build", str(folder), "--store", store], capture_output=True, text=True,
                            timeout=300)
    assert second.returncode == 0 and second.stderr.startswith("built 1 of 1 articles (0 unchanged)"), second.stderr
    after = documents_and_quotes()
    assert after[0] == before[0] == 1
    assert len(after[1]) == len(set(after[1])) == len(before[1]) > 0  # every quote once, not twice
