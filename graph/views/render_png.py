"""The explorer's first view as a PNG, drawn by a headless Chromium: the same picture as the page's button.

Chromium opens the page as `graph.html#png`; in that mode the page hides its controls, draws the whole graph
with its legend and timeline into one canvas (the code the "Save PNG" button runs) and leaves the image as a
data URL in a hidden element, which `--dump-dom` prints. No browser automation package is needed, only the
chromium binary: NEWSGRAPH_CHROMIUM names it, else the first of chromium, chromium-browser, google-chrome
on the PATH. Nothing is fetched: the page is self-contained.
"""
from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from graph.errors import NewsgraphError, one_line

CHROMIUM_ENV = "NEWSGRAPH_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 180.0
_PICTURE = re.compile(rb'<pre id="png-data"[^>]*>data:image/png;base64,([A-Za-z0-9+/=]+)</pre>')


class RenderError(NewsgraphError):
    """The picture cannot be made: no Chromium, or Chromium failed or drew nothing."""


def find_chromium() -> str | None:
    """The Chromium to use: NEWSGRAPH_CHROMIUM when set (and then only that one), else one on the PATH."""
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        return chosen if Path(chosen).is_file() else shutil.which(chosen)
    for name in ("/usr/bin/chromium", *CANDIDATES):
        found = name if Path(name).is_file() else shutil.which(name)
        if found:
            return found
    return None


def page_png(page: Path, out: Path, *, size: tuple[int, int] = (1400, 900), timeout: float = TIMEOUT_S) -> Path:
    """Open `page` (written by render_html) headless at `size` and write its picture to `out`."""
    chromium = find_chromium()
    if chromium is None:
        where = os.environ.get(CHROMIUM_ENV)
        raise RenderError(
            f"render --png needs Chromium, and {CHROMIUM_ENV}={where} is not one" if where else
            "render --png needs Chromium: install it (Debian: apt-get install chromium, as "
            f"scripts/setup-browser.sh does) or set {CHROMIUM_ENV} to its path"
        )
    with tempfile.TemporaryDirectory(prefix="newsgraph-chromium-") as profile:
        args = [
            chromium, "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--mute-audio",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--force-device-scale-factor=1", f"--user-data-dir={profile}",
            f"--window-size={size[0]},{size[1]}", "--virtual-time-budget=30000", "--dump-dom",
            Path(page).resolve().as_uri() + "#png",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to start as root inside its sandbox
        try:
            done = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise RenderError(f"Chromium took over {timeout:.0f} s to draw {page}") from None
        except OSError as exc:
            raise RenderError(f"cannot run {chromium}: {exc.strerror or exc}") from None
    found = _PICTURE.search(done.stdout)
    if found is None:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(one_line(f"Chromium drew no picture of {page} (exit {done.returncode})"
                                   + (f": {detail[-1]}" if detail else "")))
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(found.group(1)))
    except OSError as exc:
        raise RenderError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out
