"""Fixtures of the book tests: the book built once per session, its pages parsed once, and one
headless Chromium per test process for every browser test.

The build is `scripts/build_book.py --all`, the same entry point as `make book`; the build test
and the browser test share it. Build and browser tests run last, so quick failures show first.
The helpers the tests import (paths, the Chromium launch settings, the table of contents) come
from ``booktest``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time

import pytest
from booktest import BUILD_LOG, CHROMIUM, CHROMIUM_ARGS, HTML_DIR, ROOT, BookBuild, toc_docnames


@pytest.fixture(scope="session")
def book_build() -> BookBuild:
    """Both editions built once, strictly, into a clean _build/html (``output``: both logs).

    Set BOOK_REUSE_BUILD=1 to reuse an existing _build/html and _build/build.log instead:
    `make book-tests` builds once, then runs all the build's tests on both cores with it set
    (each pytest-xdist worker would otherwise build again); also handy while working on a test.
    """
    if os.environ.get("BOOK_REUSE_BUILD") == "1" and BUILD_LOG.exists() and HTML_DIR.exists():
        text = BUILD_LOG.read_text(encoding="utf-8")
        ok = text.count("build succeeded") == 2  # the English and the Chinese edition
        return BookBuild(0 if ok else 1, text, HTML_DIR, 0.0)
    start = time.monotonic()
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_book.py"), "--all"], cwd=ROOT)
    output = BUILD_LOG.read_text(encoding="utf-8") if BUILD_LOG.exists() else ""
    return BookBuild(run.returncode, output, HTML_DIR, time.monotonic() - start)


@pytest.fixture(scope="session")
def browser_context():
    """One headless Chromium (a persistent context, offline) per test process, shared by the
    browser tests of the book's pages and those of the assertions on synthetic pages."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser check needs Debian's chromium. "
            "Run `make test` (it installs chromium and chromium-driver with apt-get), "
            "or `apt-get install -y chromium chromium-driver` yourself.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="book-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900},
                offline=True,
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


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
