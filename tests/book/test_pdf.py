"""The whole-book PDF (`make pdf`): one file with every chapter, typeset math, pages that render.

Run by `make pdf` (a step of `make test`) after scripts/build_pdf.py has printed the book.
"""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "_build" / "html" / "reparameterization-trick-executed.pdf"

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="module")
def text() -> str:
    assert PDF.is_file(), f"{PDF} is missing: run `make pdf`"
    from pypdf import PdfReader

    # NFKC: the PDF's ligatures ("ﬁ") become plain letters
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in PdfReader(PDF).pages))


def test_every_chapter_is_in_the_pdf(text):
    from booktest import toc_docnames

    from reparam_book.ledger import chapter_title

    flat = " ".join(text.split())
    for doc in toc_docnames():
        path = ROOT / f"{doc}.ipynb"
        if path.is_file():
            title = chapter_title(path)
            assert " ".join(title.split()) in flat, f"{title!r} is not in the PDF"
    assert "Verification ledger" in flat and "References" in flat


def test_no_raw_tex_in_the_pdf(text):
    # Display-math delimiters and environments never occur in the book's code, only in prose
    # that MathJax did not typeset (scripts/build_pdf.py also refuses to print such a page).
    for raw in ("$$", "\\begin{", "\\[", "\\("):
        assert raw not in text, f"raw TeX {raw!r} in the PDF: MathJax did not typeset something"


def test_first_pages_render_and_are_not_blank(tmp_path):
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "5", "-png", str(PDF), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 5
    for png in pages:
        ink = np.asarray(Image.open(png).convert("L")) < 200
        assert ink.mean() > 0.005, f"{png.name} is (nearly) blank"


def test_the_intro_links_to_the_pdf():
    intro = (ROOT / "_build" / "html" / "intro.html").read_text(encoding="utf-8")
    assert f'href="{PDF.name}"' in intro
