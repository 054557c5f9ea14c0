"""Hardening: each attack of the adversarial run (issue 13, items 1, 3, 5-7, 9-10) gets a clear one-line error or
the documented behaviour. The served endpoint's cases are in test_guard.py, the remote store's in test_remote.py.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graph.cli import main
from graph.sparql import MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS, check_shape, shape

NEWSGRAPH = str(Path(sys.executable).parent / "newsgraph")


def _cli(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def _one_error(result: Result | subprocess.CompletedProcess, code: int = 1) -> str:
    returncode = result.exit_code if isinstance(result, Result) else result.returncode
    assert returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# --- 1. and 5. queries through the command line ------------------------------------------------------------


@pytest.mark.parametrize(("sparql", "message"), [
    ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, f"brackets nest 5000 deep in the query; at most {MAX_DEPTH}"),
    ("SELECT * WHERE { BIND(" + "STR(" * 400 + "1" + ")" * 400 + " AS ?x) }", "brackets nest 402 deep"),
    ("SELECT * WHERE { BIND(" + "1+" * 5000 + "1 AS ?x) }", f"DATA blocks; at most {MAX_TERMS:,}"),
    ("SELECT * WHERE { " + "OPTIONAL { ?a ?b ?c } " * 1000 + "}", "terms outside VALUES and DATA blocks"),
    ("SELECT * WHERE { ?s ?p '" + "x" * MAX_QUERY_CHARS + "' }", f"at most {MAX_QUERY_CHARS:,} are accepted"),
])
def test_hardening_a_query_that_would_crash_the_engine_is_one_error_line(harbor_store_path: Path, tmp_path: Path,
                                                                        sparql: str, message: str) -> None:
    # A real process: the engine segfaulted on the first of these (rc 139) before the checks existed.
    query_file = tmp_path / "attack.rq"
    query_file.write_text(sparql, encoding="utf-8")
    result = subprocess.run([NEWSGRAPH, "query", str(query_file), "--store", str(harbor_store_path)],
                            capture_output=True, text=True, timeout=120)
    assert message in _one_error(result)


def test_hardening_values_data_is_not_counted_as_terms(harbor_store_path: Path) -> None:
    rows = " ".join(f"<urn:x:{i}>" for i in range(5000))
    result = _cli("query", f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {rows} }} }}", "--store",
                  str(harbor_store_path), "--format", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines() == ["n", "5000"]


@pytest.mark.parametrize("sparql", [
    'SELECT * WHERE { ?s ?p ?o } # """\nSERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } # """',
    "SELECT * WHERE { ?s ?p ?o } # '''\nSERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } # '''",
    'SELECT * WHERE { ?s ?p "a\\"" SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }',
    "SELECT * WHERE { ?s <urn:a#b> ?o . service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
])
def test_hardening_no_comment_or_string_hides_a_service_clause(harbor_store_path: Path, sparql: str) -> None:
    result = _cli("query", sparql, "--store", str(harbor_store_path))
    assert _one_error(result) == ("error: SERVICE clauses fetch data from the network and are refused; pass "
                                  "--allow-service")


def test_hardening_an_unclosed_string_is_a_syntax_error(harbor_store_path: Path) -> None:
    result = _cli("query", "SELECT * WHERE { ?s ?p \"open\n}", "--store", str(harbor_store_path))
    assert _one_error(result) == "error: SPARQL syntax error at line 1, column 24: a string is never closed"


def test_hardening_shape_counts_tokens_not_text() -> None:
    found = shape('PREFIX ex: <urn:x#> SELECT * WHERE { ?s ex:SERVICE "SERVICE { {" } # SERVICE {')
    assert (found.depth, found.network) == (1, ())
    assert check_shape("SELECT * WHERE { ?s ?p ?o }").terms == 8


# --- 6. tracebacks on bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "-1"])
def test_hardening_timeouts_must_be_real_numbers_of_seconds(harbor_store_path: Path, value: str) -> None:
    for command in (["query", "negotiations", "--store", str(harbor_store_path), "--timeout", value],
                    ["serve", "--store", str(harbor_store_path), "--timeout", value]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2 and "Invalid value for '--timeout'" in result.stderr
        assert "Traceback" not in result.stderr


# --- 10. smaller ones ----------------------------------------------------------------------------------------


def test_hardening_render_query_with_a_select_is_one_error_line(harbor_store_path: Path, tmp_path: Path) -> None:
    result = _cli("render", "--store", str(harbor_store_path), "-o", str(tmp_path / "g.html"), "--query",
                  "SELECT ?s WHERE { ?s ?p ?o }")
    assert _one_error(result).startswith("error: render --query needs a CONSTRUCT or DESCRIBE query")
    assert not (tmp_path / "g.html").exists()
