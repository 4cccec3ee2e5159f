#!/usr/bin/env python3
"""The whole book as one PDF, printed offline by the system Chromium from the built HTML.

Jupyter Book's `pdfhtml` builder downloads its own browser (impossible offline) and its
`singlehtml` builder cannot render myst-nb's hidden cells, so this script prints every page of
`_build/html` in table-of-contents order with Playwright driving `/usr/bin/chromium`, after
MathJax has typeset it (print stylesheet: no sidebars or buttons, code wrapped, not clipped),
and joins the pages with pypdf into `_build/html/reparameterization-trick-executed.pdf`, where
the intro links to it.

Usage (from the repository root, in the project's venv, after `jupyter-book build`):

    python scripts/build_pdf.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

# scripts/ is on sys.path (this script's folder)
from build_book import toc_docnames
from chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PDF_NAME = "reparameterization-trick-executed.pdf"

PRINT_CSS = """
@media print {
  pre, pre code, div.highlight pre, div.cell_output pre { white-space: pre-wrap !important;
       overflow-wrap: anywhere !important; overflow: visible !important; }
  mjx-container[display="true"] { overflow: visible !important; background: none !important; }
  table.table { display: table !important; overflow: visible !important; font-size: 0.75rem; }
  .bd-content img { max-width: 100% !important; }
  details.hide > summary, .toggle-details__summary, button.copybtn, .headerlink { display: none !important; }
}
"""


def print_pages(job: tuple[list[tuple[int, str]], str]) -> str:
    """Print some pages (index, docname) into PDFs in ``tmp``; returns "" or an error message."""
    from playwright.sync_api import sync_playwright

    pages, tmp = job
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        for i, doc in pages:
            page.goto((HTML / f"{doc}.html").as_uri(), wait_until="load")
            if page.evaluate("() => !!document.querySelector('script[src*=\"mathjax\"]')"):
                page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
                page.evaluate("() => MathJax.startup.promise.then(() => true)")
            page.evaluate("() => document.fonts.ready.then(() => true)")
            untypeset = page.evaluate(
                "() => Array.from(document.querySelectorAll('article .math'))"
                ".filter(el => !el.querySelector('mjx-container')).length"
                " + document.querySelectorAll('mjx-merror').length"
            )
            if untypeset:
                return f"{doc}: {untypeset} math element(s) not typeset"
            page.add_style_tag(content=PRINT_CSS)
            page.pdf(
                path=str(Path(tmp) / f"{i:02d}.pdf"),
                format="A4",
                print_background=True,
                margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
            )
            (Path(tmp) / f"{i:02d}.title").write_text(page.title().split(" — ")[0], encoding="utf-8")
        browser.close()
    return ""


def main() -> int:
    from multiprocessing import Pool

    from pypdf import PdfWriter

    if not (HTML / "index.html").is_file():
        print("build_pdf: build the HTML first (make book)", file=sys.stderr)
        return 1
    if not CHROMIUM.exists():
        print(f"build_pdf: {CHROMIUM} is missing (make test installs it)", file=sys.stderr)
        return 1
    start = time.monotonic()
    pages = list(enumerate(toc_docnames()))
    writer = PdfWriter()
    with tempfile.TemporaryDirectory() as tmp:
        # two browsers, one per core, each printing every other page (MathJax keeps each busy)
        with Pool(2) as pool:
            errors = [e for e in pool.map(print_pages, [(pages[0::2], tmp), (pages[1::2], tmp)]) if e]
        if errors:
            print("build_pdf: " + "; ".join(errors), file=sys.stderr)
            return 1
        for i, _ in pages:
            title = (Path(tmp) / f"{i:02d}.title").read_text(encoding="utf-8")
            writer.append(str(Path(tmp) / f"{i:02d}.pdf"), outline_item=title)
        target = HTML / PDF_NAME
        with open(target, "wb") as fh:
            writer.write(fh)
    print(
        f"build_pdf: {len(pages)} pages -> {target.relative_to(ROOT)} ({target.stat().st_size / 1e6:.1f} MB) "
        f"in {time.monotonic() - start:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
