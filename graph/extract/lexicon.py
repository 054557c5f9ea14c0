"""The extractor's vocabulary, read once from graph/resources/lexicon.toml into frozen sets."""
from __future__ import annotations

import tomllib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from graph.paths import RESOURCES

T = TypeVar("T")


@dataclass(frozen=True)
class Lexicon:
    """Word lists by section and key: `lex.words("titles", "leader")` is a frozenset of lowercase words."""

    data: dict
    # Rules ask for the same lists for every token; build each set once.
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def words(self, section: str, key: str) -> frozenset[str]:
        try:
            return self._memo[section, key]  # asked for every token: the common path is one look-up
        except KeyError:
            words = self._memo[section, key] = frozenset(w.lower() for w in self.data[section][key])
            return words

    def union(self, *keys: tuple[str, str]) -> frozenset[str]:
        """The words of several lists as one set: `lex.union(("typing", "union_words"), ("typing", "...")`.
        Rules ask for the same union once per name or token; joining hundreds of words each time was a tenth of
        the entity typing."""
        try:
            return self._memo["union", keys]  # type: ignore[no-any-return]  # the common path: no lambda made
        except KeyError:
            return self.derived(("union", keys), lambda: frozenset().union(*(self.words(*key) for key in keys)))

    def split_words(self, *keys: tuple[str, str]) -> frozenset[str]:
        """Every single word of the entries of several lists ("chief executive" gives "chief" and "executive")."""
        return self.derived(("split", keys), lambda: frozenset(w for e in self.union(*keys) for w in e.split()))

    def with_plurals(self, words: frozenset[str]) -> frozenset[str]:
        """`words` and their plurals ('presidents', 'secretaries'): titles before a list of names are plural."""
        return self.derived(("plurals", words), lambda: words | {
            w[:-1] + "ies" if w.endswith("y") else w + "s" for w in words})

    def prefixes(self, section: str, key: str) -> tuple[str, ...]:
        """A list's words as a tuple for `str.startswith` (one call instead of a loop over the list)."""
        return self.derived(("prefixes", section, key), lambda: tuple(sorted(self.words(section, key))))

    def derived(self, name: Hashable, make: Callable[[], T]) -> T:
        """A value the rules build from the lexicon's lists (a set, an index), built once under `name` (`make` is
        called the first time)."""
        try:
            return self._memo[name]  # type: ignore[no-any-return]
        except KeyError:
            value = self._memo[name] = make()
            return value

    def pairs(self, section: str, key: str) -> tuple[tuple[str, str], ...]:
        return tuple((a, b) for a, b in self.data[section][key])

    def value(self, section: str, key: str):
        return self.data[section][key]

    def countries(self) -> frozenset[str]:
        """The countries the lexicon's nationalities name ('Kenyan' -> Kenya)."""
        return self.derived("countries", lambda: frozenset(self.data["demonyms"].values()))

    def nominal_classes(self) -> dict[str, str]:
        """Nominal head phrase -> ng: class, for "the union", "the company", ..."""
        if "nominals" in self._memo:
            return self._memo["nominals"]
        out: dict[str, str] = {}
        for cls, heads in self.data["nominals"].items():
            if cls == "both_sides":
                continue
            for head in heads:
                out.setdefault(head.lower(), cls)
        self._memo["nominals"] = out
        return out


@lru_cache(maxsize=4)
def load_lexicon(path: Path | None = None) -> Lexicon:
    path = path or RESOURCES / "lexicon.toml"
    with open(path, "rb") as fh:
        return Lexicon(tomllib.load(fh))
