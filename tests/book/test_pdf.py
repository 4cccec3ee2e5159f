"""The whole-book PDFs (`make pdf`): each edition one document that reads as a book.

scripts/build_pdf.py prints them (`make book` runs it); these tests read both, English and
Chinese: links stay inside the document (or go to the web), never to the build machine; page
labels match the numbers printed on the pages; bookmarks reach the sections; the contents give
every chapter its page; title metadata; under 10 MB; every chapter there; no raw TeX; the
pages render. The chapters' titles are taken from the built HTML pages, not from the PDF code.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from booktest import HTML_DIR, ZH_HTML_DIR, parsed_page, toc_docnames

pytestmark = pytest.mark.pdf

PDF_NAMES = {"en": "reparameterization-trick-executed.pdf", "zh": "reparameterization-trick-executed-zh.pdf"}
EDITION_HTML = {"en": HTML_DIR, "zh": ZH_HTML_DIR}
MAX_BYTES = 10_000_000


@dataclass
class Book:
    edition: str
    path: Path
    reader: object
    pages: list[str]  # text of each page (pdftotext -layout: a line as printed), NFKC
    labels: list[str]
    outline: list[tuple[int, str, int]]  # (depth from 1, title, page index)

    @property
    def flat(self) -> str:
        return " ".join(" ".join(self.pages).split())


def _outline(reader, items, depth=1) -> list[tuple[int, str, int]]:
    out = []
    for item in items:
        if isinstance(item, list):
            out += _outline(reader, item, depth + 1)
        else:
            out.append((depth, item.title, reader.get_destination_page_number(item)))
    return out


@pytest.fixture(scope="module", params=sorted(PDF_NAMES))
def book(request) -> Book:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    path = HTML_DIR / PDF_NAMES[request.param]
    assert path.is_file(), f"{path} is missing: run `make book`"
    reader = PdfReader(path)
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    # NFKC: the PDF's ligatures ("ﬁ") become plain letters
    pages = [unicodedata.normalize("NFKC", p) for p in text.stdout.split("\f")][: len(reader.pages)]
    return Book(request.param, path, reader, pages, list(reader.page_labels), _outline(reader, reader.outline))


def _squash(text: str) -> str:
    """Text to compare across extraction: no spaces at all (CJK extraction spaces freely)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _page_titles(edition: str) -> dict[str, str]:
    """Each table-of-contents page's title as its HTML page shows it (without its number)."""
    titles = {}
    for doc in toc_docnames():
        h1 = parsed_page(EDITION_HTML[edition] / f"{doc}.html").select_one("article.bd-article h1")
        for junk in h1.select(".headerlink, .section-number"):
            junk.decompose()
        titles[doc] = " ".join(h1.get_text(" ", strip=True).split())
    return titles


def test_under_10_mb(book):
    size = book.path.stat().st_size
    assert size < MAX_BYTES, f"{book.path.name} is {size / 1e6:.1f} MB"


def test_title_metadata(book):
    root = parsed_page(EDITION_HTML[book.edition] / "intro.html")
    title = root.title.get_text().split(" \u2014 ")[-1].strip()
    meta = book.reader.metadata
    assert meta.title == title
    assert meta.author and meta.subject
    assert str(book.reader.trailer["/Root"]["/Lang"]).startswith(book.edition)


def test_links_stay_inside_or_go_to_the_web(book):
    """Every link lands on a named destination of the document or on an http(s) address: none
    points at a file on the build machine (file://) or at a relative file."""
    names = {str(k).lstrip("/") for k in book.reader.named_destinations}
    internal = external = 0
    for number, page in enumerate(book.reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annot:
                dest = str(annot["/Dest"]).lstrip("/")
                assert dest in names, f"page {number + 1}: a link to {dest!r}, which is nowhere"
                internal += 1
            else:
                uri = str(annot["/A"].get("/URI", ""))
                assert uri.startswith(("https://", "http://", "mailto:")), f"page {number + 1}: a link to {uri!r}"
                external += 1
    assert internal > 500, internal  # citations, equations, cross-references, the ledger's links
    assert b"file:" not in book.path.read_bytes()


def test_page_labels_match_the_printed_numbers(book):
    """Roman numerals for the title page, the contents and the intro, then 1, 2, ... from the
    first part on; every page with a running head prints its label at the end of its first line."""
    labels = book.labels
    assert labels[0] == "i" and "1" in labels
    body = labels.index("1")
    assert all(re.fullmatch(r"[ivxl]+", label) for label in labels[:body])
    assert labels[body:] == [str(n) for n in range(1, len(labels) - body + 1)]
    # the running heads: the text in the top margin (22 mm; 60 pt) of every page
    heads = subprocess.run(
        ["pdftotext", "-layout", "-r", "72", "-x", "0", "-y", "0", "-W", "596", "-H", "60", str(book.path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\f")
    headed = 0
    for number, (head, text, label) in enumerate(zip(heads, book.pages, labels, strict=False)):
        if number == 0 or len([line for line in text.splitlines() if line.strip()]) < 3:
            continue  # the title page; the part pages (a title only), which have no head
        assert head.split() and head.split()[-1] == label, f"page {number + 1} ({label}) heads with {head!r}"
        headed += 1
    assert headed >= 0.9 * len(labels)


def test_bookmarks_reach_the_sections(book):
    depths = [depth for depth, _, _ in book.outline]
    assert max(depths) >= 2
    titles = _page_titles(book.edition)
    chapters = [(title, page) for depth, title, page in book.outline if depth == 2]
    for doc, title in list(titles.items())[1:]:  # the intro is "About this book"
        assert any(_squash(title) in _squash(t) for t, _ in chapters), f"no bookmark for {title!r}"
    # a numbered chapter's sections are bookmarked under it, numbered
    sections = [title for depth, title, _ in book.outline if depth == 3]
    assert any(re.match(r"1\.1 ", t) for t in sections) and any(re.match(r"6\.1 ", t) for t in sections)
    # bookmarks go forward through the book
    pages = [page for _, _, page in book.outline]
    assert pages == sorted(pages)


def test_every_chapter_is_in_the_pdf_with_its_page_in_the_contents(book):
    flat = _squash(" ".join(book.pages))
    body = book.labels.index("1")
    contents = [_squash(line) for text in book.pages[1:body] for line in text.splitlines()]
    by_title = {_squash(t): page for depth, t, page in book.outline if depth == 2}
    for doc, title in list(_page_titles(book.edition).items())[1:]:
        assert _squash(title) in flat, f"{doc}: {title!r} is not in the PDF"
        page = next(p for t, p in by_title.items() if _squash(title) in t)
        label = book.labels[page]
        assert any(_squash(title) in line and line.endswith(label) for line in contents), (
            f"the contents do not give {title!r} page {label}"
        )


def test_no_raw_tex_in_the_pdf(book):
    # Display-math delimiters and environments never occur in the book's code, only in prose
    # that MathJax did not typeset (scripts/build_pdf.py also refuses to print such a book).
    text = "\n".join(book.pages)
    for raw in ("$$", "\\begin{", "\\[", "\\("):
        assert raw not in text, f"raw TeX {raw!r} in {book.path.name}: MathJax did not typeset something"


def test_first_pages_render_and_are_not_blank(book, tmp_path):
    """The title page, the contents, the intro and the first chapter's pages have ink on them."""
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "30", "-f", "1", "-l", "8", "-png", str(book.path), str(tmp_path / "p")], check=True
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 8
    body = book.labels.index("1")
    pages = [png for number, png in enumerate(pages) if number != body]  # the part page: a title only
    for png in pages:
        ink = np.asarray(Image.open(png).convert("L")) < 200
        assert ink.mean() > 0.002, f"{png.name} is (nearly) blank"


def test_the_pages_link_to_their_editions_pdf(book):
    page = EDITION_HTML[book.edition] / "intro.html"
    links = [a["href"] for a in parsed_page(page).select("a.book-download") if a["href"].endswith(".pdf")]
    assert links, "the intro does not link to the PDF"
    for href in links:
        assert (page.parent / href).resolve() == book.path.resolve(), href
