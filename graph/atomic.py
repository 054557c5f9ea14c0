"""Files written whole or not at all: a temporary file beside the target, renamed over it once complete.

A full disk, a killed process or an interrupt while `export -o` or `render -o` writes leaves the previous file
(or none) and no partial one: the data goes to a hidden temporary file in the same folder, is flushed to disk,
and only then renamed to the target name (an atomic step on POSIX). On any failure the temporary file is
removed again.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path to write; on success it becomes `target`, on failure it is removed. The folder is made."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; the result is an ordinary new file
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(target: Path, data: bytes) -> Path:
    """Write `data` to `target` whole or not at all; returns `target`."""
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)
    return Path(target)
