#!/usr/bin/env bash
# Set up everything the book needs, idempotently:
#   - the virtual environment .venv (python3 -m venv) with requirements.txt installed
#     (exact pins, plus `-e .` for the reparam package) by uv, a fast installer that pip
#     installs from PyPI (pinned below); skipped when requirements.txt, pyproject.toml and this
#     script are unchanged since the last successful install (stamp in .venv);
#   - with --browser: Debian's chromium for the browser test and the PDF (Playwright drives
#     /usr/bin/chromium) and poppler-utils for the PDF's test, installed with apt-get when
#     missing, and a small CJK font when none is installed (sudo only when not root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
STAMP="$VENV/.requirements.sha256"
UV_VERSION=0.13.9

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV with $(python3 --version)"
  python3 -m venv "$VENV"
fi

want="$(cat requirements.txt pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "setup: $VENV is up to date with requirements.txt"
else
  if [ "$("$VENV/bin/uv" --version 2>/dev/null)" != "uv $UV_VERSION" ]; then
    echo "setup: installing uv $UV_VERSION into $VENV"
    "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet "uv==$UV_VERSION"
  fi
  echo "setup: installing requirements.txt into $VENV (uv)"
  UV_LINK_MODE=copy "$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" -r requirements.txt
  echo "$want" > "$STAMP"
fi

# Kernels started from this venv (book build, nbval, make execute) log only errors: ipykernel
# otherwise prints "[IPKernelApp] WARNING | Kernel is running over TCP without encryption"
# at every start, which is not a warning about the book (the kernel listens on localhost).
mkdir -p "$VENV/etc/ipython"
echo 'c.IPKernelApp.log_level = "ERROR"  # written by scripts/setup.sh' \
  > "$VENV/etc/ipython/ipython_kernel_config.py"

if [ "${1:-}" = "--browser" ]; then
  need=()
  if [ ! -x /usr/bin/chromium ]; then
    need+=(chromium)
  fi
  # pdftoppm and pdftotext, with which the test of the whole-book PDF reads and renders it.
  if ! command -v pdftoppm >/dev/null; then
    need+=(poppler-utils)
  fi
  # A CJK font, so the source's Chinese section names render in the headless screenshots.
  if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    need+=(fonts-wqy-microhei)
  fi
  if [ ${#need[@]} -eq 0 ]; then
    echo "setup: browser found: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  else
    echo "setup: installing ${need[*]} with apt-get"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
      SUDO="sudo"
    fi
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}"
  fi
fi
