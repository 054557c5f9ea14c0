"""Check restored passages of eval/real against its manifest and lay the gold beside them.

usage: python eval/check_real.py DIR
DIR holds the restored texts as <id>.txt. Prints ok / missing / differs per passage (sha256 against the
manifest) and copies <id>.gold.json into DIR, so that `newsgraph eval DIR` scores the restored set.
Exit status 1 when a passage is missing or differs.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "real"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    bad = 0
    for row in json.loads((HERE / "manifest.json").read_text(encoding="utf-8")):
        text = out / f"{row['id']}.txt"
        shutil.copyfile(HERE / f"{row['id']}.gold.json", out / f"{row['id']}.gold.json")
        if not text.exists():
            state = "missing"
        elif hashlib.sha256(text.read_bytes()).hexdigest() != row["sha256"]:
            state = "differs"
        else:
            state = "ok"
        bad += state != "ok"
        print(f"{state:8} {row['id']}")
    print("all ok" if not bad else f"{bad} of the passages are missing or differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
