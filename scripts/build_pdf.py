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

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PDF_NAME = "reparameterization-trick-executed.pdf"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
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


def toc_pages() -> list[str]:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import toc_docnames

    return toc_docnames()


def main() -> int:
    from playwright.sync_api import sync_playwright
    from pypdf import PdfWriter

    if not (HTML / "index.html").is_file():
        print("build_pdf: build the HTML first (make book)", file=sys.stderr)
        return 1
    if not CHROMIUM.exists():
        print(f"build_pdf: {CHROMIUM} is missing (make test installs it)", file=sys.stderr)
        return 1
    start = time.monotonic()
    pages = toc_pages()
    writer = PdfWriter()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 1400})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        for i, doc in enumerate(pages):
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
                print(f"build_pdf: {doc}: {untypeset} math element(s) not typeset", file=sys.stderr)
                return 1
            page.add_style_tag(content=PRINT_CSS)
            out = Path(tmp) / f"{i:02d}.pdf"
            page.pdf(
                path=str(out),
                format="A4",
                print_background=True,
                margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
            )
            writer.append(str(out), outline_item=page.title().split(" — ")[0])
        browser.close()
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
