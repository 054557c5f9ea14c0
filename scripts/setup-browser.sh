#!/usr/bin/env bash
# Install the headless browser the browser tests drive: Debian's chromium (Playwright's own download is
# not used: it fetches a browser build from outside the package registries).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-browser: no apt-get; install chromium by hand to run tests/test_browser.py" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale on a fresh machine: update only when a plain install fails.
if ! $SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null; then
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
