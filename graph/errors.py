"""Library errors. Every error the library raises on purpose derives from NewsgraphError.

The CLI maps NewsgraphError to a one-line message on stderr and exit code 1; anything else is a bug.
"""
from __future__ import annotations

import re

# C0 and C1 controls, DEL and the Unicode line and paragraph separators: what could break a message's line.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(message: str) -> str:
    """A message folded onto one line, as every error newsgraph shows is."""
    return " ".join(message.split())


def printable(text: str) -> str:
    """`text` with control characters written as escapes (a file name holding a newline stays on one line)."""
    return _UNPRINTABLE.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                                                   else f"\\u{ord(m.group()):04x}"), text)


class NewsgraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""


class InputError(NewsgraphError):
    """An input source cannot be read (missing path, bad format, malformed line)."""


class ModelError(NewsgraphError):
    """The spaCy model cannot be loaded."""


class StoreError(NewsgraphError):
    """The triple store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the store."""


class QueryError(NewsgraphError):
    """A SPARQL query is malformed, refused or failed."""


class ValidationError(NewsgraphError):
    """SHACL validation could not run."""


class TrainingError(NewsgraphError):
    """The domain NER cannot be trained (too little data, an empty split, weights that do not reload)."""
