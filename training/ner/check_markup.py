"""Check sentence files written for NER training: python training/ner/check_markup.py FILE...

Each non-empty line not starting with '#' is one example: plain text with entities marked [surface](Label).
Prints the number of examples and entities per label, and every malformed line; exit 1 if any.
The markup rules themselves (parse, problems) live in graph/extract/ner_training.py, which training uses too.
"""
from __future__ import annotations

import sys
from collections import Counter

from graph.extract.ner_training import parse, problems


def main(paths: list[str]) -> int:
    counts: Counter[str] = Counter()
    n = bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
        for no, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            n += 1
            errs = problems(line)
            if errs:
                bad += 1
                print(f"{path}:{no}: {'; '.join(errs)}")
            counts.update(label for _, _, label in parse(line)[1])
    print(f"{n} examples, {sum(counts.values())} entities: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
