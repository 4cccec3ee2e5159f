"""What the book tests share: paths, the build's result, pages parsed once, the book's tools.

The book's command-line tools live in scripts/ (the build entry point, the Chromium settings,
the translation catalogues); this module puts that folder on ``sys.path`` once, so that the
tests use the same code as `make book` and never a copy of it. Scripts never import tests.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

from build_book import BUILD_DIR, BUILD_LOG, HTML_DIR, ZH_HTML_DIR, toc_docnames  # noqa: E402
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

__all__ = [
    "BUILD_DIR",
    "BUILD_LOG",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "HTML_DIR",
    "IGNORED_WARNING_LINES",
    "ROOT",
    "ZH_HTML_DIR",
    "BookBuild",
    "chapter_title",
    "parsed_page",
    "toc_docnames",
]

# Lines of the build output that contain "WARNING" but are not warnings about the book.
# Each one is a known, harmless log line from a tool the build runs; keep this list short.
IGNORED_WARNING_LINES = (
    # ipykernel>=7 logs this at every kernel start when the kernel uses TCP on localhost
    # (which is how myst-nb / jupyter-cache start it); it is not a Sphinx warning.
    "[IPKernelApp] WARNING | Kernel is running over TCP without encryption.",
)


def chapter_title(path: Path) -> str:
    """A chapter's title: the first ``# `` heading of its notebook's (or page's) markdown."""
    import json

    if path.suffix == ".md":
        cells = [{"cell_type": "markdown", "source": path.read_text(encoding="utf-8")}]
    else:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


@functools.cache
def parsed_page(path: Path):
    """A built HTML page parsed once per session (BeautifulSoup; the tests only read it)."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


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
