"""Fine-tuning the NER on marked sentences: markup, silver labels, the split, a tiny training run, the loader."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import InputError, ModelError, TrainingError
from graph.extract.ner_training import (
    BASE_MODEL,
    METADATA,
    PROJECT_LABELS,
    WEIGHT_FILES,
    LabelScore,
    MarkedLine,
    annotate,
    is_dev,
    parse,
    problems,
    read_markup,
    score,
    silver_spans,
    train_ner,
    use_domain_ner,
)

UNIONS = ("Harbor Pilots Union", "Tallow Makers Alliance Local 4", "Lamplighters Union", "Amalgamated Millers Union",
          "Marine Clerks Association", "Alder Valley Nurses Association")
COMPANIES = ("Tidewater Freight", "Calloway Terminals", "Velloway Foods", "Prairie Crest Packers")
PLACES = ("Kestrel", "Harlan", "Brampton", "Guelph", "Leeds")


def _tiny_lines() -> list[str]:
    return [f"[{UNIONS[i % 6]}](LaborUnion) members at [{COMPANIES[i % 4]}](Company) in [{PLACES[i % 5]}](Place) "
            f"walked out on Monday, day {i + 1} of the dispute." for i in range(24)]


@pytest.mark.parametrize(("line", "text", "spans"), [
    ("No entity here.", "No entity here.", []),
    ("[Unite](LaborUnion) said so.", "Unite said so.", [(0, 5, "LaborUnion")]),
    ("The [BMA](LaborUnion)'s [Resident Doctors Committee](Committee) met.",
     "The BMA's Resident Doctors Committee met.", [(4, 7, "LaborUnion"), (10, 36, "Committee")]),
    ("the [Aslef union](LaborUnion) ([Aslef](LaborUnion))", "the Aslef union (Aslef)",
     [(4, 15, "LaborUnion"), (17, 22, "LaborUnion")]),
    ("[Hélène Marchetti](Person) of [Québec](Place)", "Hélène Marchetti of Québec",
     [(0, 16, "Person"), (20, 26, "Place")]),
])
def test_ner_training_parse_turns_markup_into_text_and_spans(line: str, text: str, spans: list) -> None:
    assert parse(line) == (text, spans)
    assert problems(line) == []
    assert all(f"[{text[s:e]}](" in line for s, e, _ in spans)


@pytest.mark.parametrize(("line", "problem"), [
    ("[Unite](Union) said so.", "unknown label Union"),
    ("[Unite(LaborUnion) said so.", "unbalanced or nested markup"),
    ("[Unite](LaborUnion said so.", "unbalanced or nested markup"),
    ("[[Unite](LaborUnion) members](Group) said so.", "unbalanced or nested markup"),
    ("[ Unite](LaborUnion) said so.", "entity with outer space: ' Unite'"),
])
def test_ner_training_problems_name_each_malformed_line(line: str, problem: str) -> None:
    assert problem in problems(line)


def test_ner_training_read_markup_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("# a comment [x](Nope)\n\n[Unite](LaborUnion) said so.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("[Leeds](Place) is wet.\r\n", encoding="utf-8")
    assert read_markup(tmp_path) == [
        MarkedLine("a.txt", 1, "Leeds is wet.", ((0, 5, "Place"),)),
        MarkedLine("b.txt", 3, "Unite said so.", ((0, 5, "LaborUnion"),)),
    ]


def test_ner_training_read_markup_reports_file_and_line_of_bad_markup(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("# ok\n[Leeds](Place) is wet.\n[Unite](Union) said so.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.txt:3: unknown label Union"):
        read_markup(tmp_path)
    with pytest.raises(InputError, match="no training data"):
        read_markup(tmp_path / "missing")


@pytest.mark.parametrize(("predicted", "kept"), [
    ([(30, 37, "DATE")], [(30, 37, "DATE")]),  # outside every marked span: kept
    ([(11, 15, "DATE")], []),  # inside a marked span ("1974" of "UMWA Local 1974")
    ([(10, 20, "CARDINAL")], []),  # straddling the end of a marked span
    ([(30, 37, "ORG"), (40, 45, "GPE"), (50, 55, "PERSON")], []),  # labels the project labels replace
    ([(30, 37, "TIME"), (0, 4, "ORG")], [(30, 37, "TIME")]),
])
def test_ner_training_silver_spans_keep_only_other_labels_outside_gold(predicted: list, kept: list) -> None:
    assert silver_spans([(0, 15, "LaborUnion"), (20, 25, "Place")], predicted) == kept


def test_ner_training_annotate_adds_silver_dates_without_touching_gold(nlp) -> None:
    line = "[UMWA Local 1974](LaborUnion) members in [Harlan](Place) ratified it on Tuesday, 12 March, by 212 to 48."
    text, spans = parse(line)
    before = list(nlp.pipe_names)
    (doc,) = annotate(nlp, [MarkedLine("x.txt", 1, text, tuple(spans))])
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    assert set(spans) <= set(ents)
    silver = [e for e in ents if e not in spans]
    assert any("Tuesday" in text[s:e] for s, e, label in silver if label == "DATE")
    assert all(label not in PROJECT_LABELS and not any(s < ge and gs < e for gs, ge, _ in spans)
               for s, e, label in silver)
    assert all(tok.ent_iob_ for tok in doc)  # every token annotated: in an entity or outside
    assert list(nlp.pipe_names) == before


def test_ner_training_annotate_leaves_a_span_the_tokenizer_cannot_split_unknown(nlp) -> None:
    text, spans = parse("Workers in a [Unite](LaborUnion)- and [Unison](LaborUnion)-backed strike")
    (doc,) = annotate(nlp, [MarkedLine("x.txt", 1, text, tuple(spans))])
    assert [(t.text, t.ent_iob_) for t in doc[2:6]] == [("a", "O"), ("Unite-", ""), ("and", "O"), ("Unison", "B")]
    assert [e.text for e in doc.ents] == ["Unison"]


def test_ner_training_split_is_stable_across_processes_and_about_a_tenth(root: Path) -> None:
    texts = [line.text for line in read_markup(root / "training" / "ner")]
    split = [is_dev(t) for t in texts]
    assert 0.07 < sum(split) / len(split) < 0.13
    code = "import sys; from graph.extract.ner_training import is_dev; " \
           "print(''.join('1' if is_dev(t) else '0' for t in sys.stdin.read().split('\\n')))"
    done = subprocess.run([sys.executable, "-c", code], input="\n".join(texts[:300]), capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "123"}, timeout=60, check=True)
    assert done.stdout.strip() == "".join("1" if d else "0" for d in split[:300])


def test_ner_training_score_counts_exact_span_matches() -> None:
    gold = [{(0, 5, "LaborUnion"), (10, 15, "Place"), (20, 24, "DATE")}]
    got = [{(0, 5, "LaborUnion"), (10, 16, "Place"), (20, 24, "DATE"), (30, 35, "Company")}]
    scores = score(gold, got)
    assert (scores["LaborUnion"].tp, scores["Place"].fp, scores["Place"].fn, scores["Company"].fp) == (1, 1, 1, 1)
    assert (scores["ALL"].tp, scores["ALL"].fp, scores["ALL"].fn) == (1, 2, 1)  # DATE is not a project label
    assert scores["DATE"].f1 == 1.0
    assert LabelScore(tp=1, fp=1, fn=2).as_dict() == {"p": 0.5, "r": 0.3333, "f": 0.4, "tp": 1, "fp": 1, "fn": 2}


def test_ner_training_cli_tiny_run_writes_loadable_weights(tmp_path: Path) -> None:
    import spacy

    data = tmp_path / "data"
    data.mkdir()
    (data / "tiny.txt").write_text("# tiny\n" + "\n".join(_tiny_lines()) + "\n", encoding="utf-8")
    assert any(is_dev(line.text) for line in read_markup(data))
    out, again = tmp_path / "ner", tmp_path / "again"
    for folder in (again, out):
        result = CliRunner().invoke(main, ["train-ner", "--data", str(data), "--output", str(folder),
                                           "--max-steps", "40", "--seed", "7"], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
    assert (again / "model").read_bytes() == (out / "model").read_bytes()  # same seed, same weights
    assert result.stdout.splitlines()[0].split()[:2] == ["label", "gold"]
    assert {line.split()[0] for line in result.stdout.splitlines()} >= {*PROJECT_LABELS, "ALL", "DATE"}
    assert sorted(p.name for p in out.iterdir()) == sorted([*WEIGHT_FILES, METADATA])
    meta = json.loads((out / METADATA).read_text(encoding="utf-8"))
    assert (meta["seed"], meta["max_steps"], meta["data"]["files"]) == (7, 40, {"tiny.txt": 24})
    assert meta["data"]["train"] + meta["data"]["dev"] == 24
    assert meta["base_model"] == {"name": BASE_MODEL, "version": spacy.load(BASE_MODEL).meta["version"]}
    assert set(meta["dev_scores"]["after"]) >= {"ALL", "LaborUnion"}
    fresh = use_domain_ner(spacy.load(BASE_MODEL), out)
    assert set(PROJECT_LABELS) <= set(fresh.get_pipe("ner").labels)
    assert {"DATE", "TIME"} <= set(fresh.get_pipe("ner").labels)
    assert fresh.meta["newsgraph_domain_ner"] == str(out)
    # The new labels are predicted once loaded (growing the output layer must not leave them masked).
    doc = fresh("Lamplighters Union members at Calloway Terminals in Guelph walked out on Monday.")
    assert {"LaborUnion", "DATE"} <= {e.label_ for e in doc.ents}


def test_ner_training_refuses_an_empty_dev_split(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("\n".join([ln for ln in _tiny_lines() if not is_dev(parse(ln)[0])][:3]),
                                    encoding="utf-8")
    with pytest.raises(TrainingError, match="3 examples give an empty train or dev split"):
        train_ner(tmp_path, tmp_path / "out", max_steps=1)
    assert not (tmp_path / "out").exists()


def test_ner_training_cli_reports_bad_data_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("[Unite](Union) said so.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["train-ner", "--data", str(tmp_path), "--output", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: {tmp_path / 'a.txt'}:1: unknown label Union"]
    assert not (tmp_path / "o").exists()


def _fake_weights(folder: Path, base_model: object) -> Path:
    folder.mkdir()
    for name in WEIGHT_FILES:
        (folder / name).write_bytes(b"")
    (folder / METADATA).write_text(json.dumps({"base_model": base_model}), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("base_model", "message"), [
    ({"name": "en_core_web_md", "version": "3.8.0"}, "was trained on en_core_web_md 3.8.0"),
    ({"name": "en_core_web_sm", "version": "3.7.1"}, "was trained on en_core_web_sm 3.7.1"),
    ("en_core_web_sm", "is not training metadata"),
])
def test_ner_training_loader_refuses_weights_of_another_base_model(nlp, tmp_path: Path, base_model: object,
                                                                    message: str) -> None:
    labels = nlp.get_pipe("ner").labels
    with pytest.raises(ModelError, match=message):
        use_domain_ner(nlp, _fake_weights(tmp_path / "ner", base_model))
    assert nlp.get_pipe("ner").labels == labels  # left untouched
    assert "newsgraph_domain_ner" not in nlp.meta


def test_ner_training_loader_refuses_a_missing_folder_and_a_pipeline_without_ner(nlp, tmp_path: Path) -> None:
    import spacy

    with pytest.raises(ModelError, match="no domain NER weights in .*missing cfg, model, moves, training.json"):
        use_domain_ner(nlp, tmp_path / "nowhere")
    blank = spacy.blank("en")
    blank.meta.update(name="core_web_sm", version=nlp.meta["version"])
    with pytest.raises(ModelError, match=r"\(no ner\)"):
        use_domain_ner(blank, _fake_weights(tmp_path / "ner", {"name": BASE_MODEL, "version": nlp.meta["version"]}))


def test_ner_training_shipped_weights_predict_project_classes_and_dates() -> None:
    import spacy

    from graph.paths import NER_DIR

    nlp = use_domain_ner(spacy.load(BASE_MODEL), NER_DIR)
    doc = nlp("Rail workers' union Aslef said on Tuesday that its members at Harrowgate Rail would strike, "
              "general secretary Mick Whelan told the BBC.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert {("Aslef", "LaborUnion"), ("Tuesday", "DATE"), ("Mick Whelan", "Person")} <= found
    assert not {label for _, label in found} & {"ORG", "PERSON", "GPE"}


def test_ner_training_domain_ner_is_a_separate_component_predicting_alike() -> None:
    import spacy

    from graph.extract.ner_training import domain_ner
    from graph.paths import NER_DIR

    nlp = spacy.load(BASE_MODEL)
    ner = domain_ner(nlp, NER_DIR)
    text = ("Rail workers' union Aslef said on Tuesday that its members at Harrowgate Rail would strike, "
            "general secretary Mick Whelan told the BBC.")
    assert "newsgraph_domain_ner" not in nlp.component_names
    assert all(e.label_ in ("ORG", "PERSON", "GPE", "DATE", "LOC", "FAC", "NORP") for e in nlp(text).ents)
    alone = {(e.text, e.label_) for e in ner(nlp.make_doc(text)).ents}
    swapped = {(e.text, e.label_) for e in use_domain_ner(spacy.load(BASE_MODEL), NER_DIR)(text).ents}
    assert alone == swapped and ("Aslef", "LaborUnion") in alone
