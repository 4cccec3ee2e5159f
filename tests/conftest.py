"""Shared fixtures for the book tests.

The whole book is built at most once per pytest session (``book_build``); the build test and
the browser test both use that one build. Build and browser tests are moved to the end of the
run so that quick failures show up first.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

# Debian's Chromium, driven by Playwright for the browser test and for the PDF
# (scripts/build_pdf.py imports these), with no background network traffic.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
BUILD_DIR = ROOT / "_build"
HTML_DIR = BUILD_DIR / "html"
BUILD_LOG = BUILD_DIR / "build.log"
BUILD_CMD = ["build", "--all", "-W", "-n", "--keep-going", "."]
# The Chinese edition, built from the same sources and locale/ into _build/html/zh.
ZH_HTML_DIR = HTML_DIR / "zh"
ZH_BUILD_CMD = ["scripts/build_zh.py", "--all"]

# Lines of the build output that contain "WARNING" but are not warnings about the book.
# Each one is a known, harmless log line from a tool the build runs; keep this list short.
IGNORED_WARNING_LINES = (
    # ipykernel>=7 logs this at every kernel start when the kernel uses TCP on localhost
    # (which is how myst-nb / jupyter-cache start it); it is not a Sphinx warning.
    "[IPKernelApp] WARNING | Kernel is running over TCP without encryption.",
)


@functools.cache
def parsed_page(path: Path):
    """A built HTML page parsed once per session (BeautifulSoup; the tests only read it)."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def toc_docnames() -> list[str]:
    """Every document in ``_toc.yml`` (root first), as paths without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(str(Path(entry["file"]).with_suffix("")))
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    walk(toc.get("sections"))
    return names


@dataclass(frozen=True)
class BookBuild:
    returncode: int
    output: str
    html_dir: Path
    seconds: float

    def warning_lines(self) -> list[str]:
        return [
            line
            for line in self.output.splitlines()
            if "WARNING" in line and not line.strip().startswith(IGNORED_WARNING_LINES)
        ]


def _jupyter_book() -> str:
    exe = Path(sys.executable).parent / "jupyter-book"
    if exe.exists():
        return str(exe)
    found = shutil.which("jupyter-book")
    if found is None:
        pytest.fail("jupyter-book is not installed in this environment (run `make setup`)")
    return found


@pytest.fixture(scope="session")
def book_build() -> BookBuild:
    """Build the book once, strictly, into _build/html (a clean HTML folder every session),
    then its Chinese edition into _build/html/zh; ``output`` holds both builds' logs.

    Set BOOK_REUSE_BUILD=1 to reuse an existing _build/html and _build/build.log instead:
    `make book-tests` builds once, then runs the browser tests on both cores with it set (each
    pytest-xdist worker would otherwise build again); also handy while working on a test.
    """
    if os.environ.get("BOOK_REUSE_BUILD") == "1" and BUILD_LOG.exists() and HTML_DIR.exists():
        text = BUILD_LOG.read_text(encoding="utf-8")
        ok = text.count("build succeeded") == 2  # the English and the Chinese edition
        return BookBuild(0 if ok else 1, text, HTML_DIR, 0.0)
    shutil.rmtree(HTML_DIR, ignore_errors=True)  # no stale pages or static files
    BUILD_DIR.mkdir(exist_ok=True)
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    start = time.monotonic()
    # The two editions build side by side (one core each): separate source copies of nothing,
    # separate doctrees, and the Chinese one only adds _build/html/zh when it is done.
    logs = [BUILD_DIR / "build-en.part", BUILD_DIR / "build-zh.part"]
    procs = []
    for cmd, log in zip(([_jupyter_book(), *BUILD_CMD], [sys.executable, *ZH_BUILD_CMD]), logs):
        with open(log, "w", encoding="utf-8") as out:
            procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True))
    returncode = 0
    for proc in procs:
        returncode = returncode or proc.wait(timeout=3600)
    output = "".join(log.read_text(encoding="utf-8") for log in logs)
    for log in logs:
        log.unlink()
    seconds = time.monotonic() - start
    BUILD_LOG.write_text(output, encoding="utf-8")
    return BookBuild(returncode, output, HTML_DIR, seconds)


@pytest.fixture(scope="session")
def toc_pages() -> list[str]:
    return toc_docnames()


def pytest_collection_modifyitems(config, items):
    """Run the slow build and browser tests last (browser after build)."""

    def rank(item):
        if item.get_closest_marker("browser"):
            return 2
        if item.get_closest_marker("build"):
            return 1
        return 0

    items.sort(key=rank)  # sort is stable: the order within each group is kept
