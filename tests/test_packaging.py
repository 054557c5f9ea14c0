"""A plain install works: the wheel carries the ontology, shapes, knowledge base and NER weights, and the
installed command builds, queries, validates, exports and renders from a folder that is not the checkout.

The wheel is built offline from a copy of the files a release holds (pyproject.toml, setup.py, MANIFEST.in,
README.md, graph/, ontologies/), so a stale build/ of the checkout cannot leak in. It is installed (--no-deps)
into a fresh venv whose only other path is the project venv's site-packages, through a .pth file: that gives
it the dependencies without a network, while a .pth line is never processed as a site dir, so the checkout's
editable install stays invisible and `graph` can only come from the wheel.
"""
from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RELEASE_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
ARTICLE = (
    "date 2034-05-10\n\nThe Harbor Pilots Union opened talks with Tidewater Freight on Monday. "
    'Union president Mara Quill said: "We will not accept less than a fair wage." '
    "The pilots have been on strike since May 2, 2034.\n"
)


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command}: {done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("release")
    for name in RELEASE_FILES:
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "graph", source / "graph", ignore=ignore)
    shutil.copytree(ROOT / "ontologies", source / "ontologies", ignore=ignore)
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", str(out), str(source)], source, _clean_env(), timeout=300)
    (built,) = out.glob("newsgraph-*.whl")
    return built


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "NEWSGRAPH_", "VIRTUAL_ENV"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def test_packaging_wheel_carries_the_data_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("newsgraph.ttl", "shapes.ttl", "kb.ttl"):
        packaged = f"graph/resources/ontologies/{name}"
        assert packaged in names
        assert zipfile.ZipFile(wheel).read(packaged) == (ROOT / "ontologies" / name).read_bytes()
    assert "graph/resources/queries/negotiations.rq" in names
    assert "graph/resources/render.js" in names
    for path in (ROOT / "graph" / "resources" / "ner").glob("*"):
        assert f"graph/resources/ner/{path.name}" in names


def test_packaging_installed_wheel_works_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, _clean_env())
    python = venv / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        tmp_path, _clean_env()).stdout.strip())
    (purelib / "project-dependencies.pth").write_text(
        f"{sysconfig.get_paths()['purelib']}\n{site.getsitepackages()[0]}\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
          str(wheel)], tmp_path, _clean_env())
    newsgraph = str(venv / "bin" / "newsgraph")
    work = tmp_path / "elsewhere"
    (work / "articles").mkdir(parents=True)
    (work / "articles" / "harbor.txt").write_text(ARTICLE, encoding="utf-8")
    env = _clean_env()
    where = _run([str(python), "-c", "import graph.paths as p; print(p.__file__); print(p.ontologies_dir())"],
                 work, env).stdout.split()
    assert all(Path(line).is_relative_to(venv) for line in where), where  # the wheel's code and data, not ours

    built = _run([newsgraph, "build", "articles"], work, env)
    assert "built 1 of 1 articles" in built.stderr
    leaders = _run([newsgraph, "query", "SELECT ?name WHERE { ?p ng:leads ?o ; rdfs:label ?name }",
                    "--format", "csv"], work, env)
    assert leaders.stdout.splitlines()[1:] == ["Mara Quill"]
    _run([newsgraph, "validate"], work, env)
    exported = _run([newsgraph, "export", "--with-ontology", "--format", "ttl", "-o", "graph.ttl"], work, env)
    assert "owl:Ontology" in (work / "graph.ttl").read_text(encoding="utf-8"), exported.stderr
    _run([newsgraph, "render", "-o", "graph.html"], work, env)
    assert "Harbor Pilots Union" in (work / "graph.html").read_text(encoding="utf-8")
