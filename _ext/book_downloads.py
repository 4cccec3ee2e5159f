"""Links from the prose to the book's downloads: the edition's PDF and the source archive.

``make book`` writes the downloads into the English edition's root (``_build/html``): the whole
book printed as one PDF per edition (``scripts/build_pdf.py``) and the readers' source archive
(``scripts/build_source_archive.py``). A page links to them with a role whose target names the
download; the link text is the page's own (and is translated in the Chinese catalogues)::

    all in the {book-download}`source archive <source>`
    the whole book as {book-download}`one PDF <pdf>`

``pdf`` is the PDF of the page's edition (the Chinese pages link the Chinese PDF), ``source``
the one archive. The href is written at build time, relative to the page: from the page to its
edition's root, then ``book_downloads_root`` (``_ext/edition_links.py``: ``../`` from the
Chinese edition's root to the English one). In the whole-book PDF these links become plain text.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

# scripts/build_pdf.py and scripts/build_source_archive.py write these files; the book tests
# check that every page's links to them resolve.
PDF_NAMES = {"en": "reparameterization-trick-executed.pdf", "zh": "reparameterization-trick-executed-zh.pdf"}
SOURCE_ARCHIVE = "reparameterization-trick-executed-source.zip"


def download_file(target: str, language: str | None) -> str:
    """The file name of download ``target`` (``pdf`` or ``source``) for an edition's language."""
    if target == "source":
        return SOURCE_ARCHIVE
    if target == "pdf":
        return PDF_NAMES["zh" if (language or "en").lower().startswith("zh") else "en"]
    raise ValueError(f"book-download: unknown target {target!r} (use 'pdf' or 'source')")


class BookDownloadRole(SphinxRole):
    """``{book-download}`text <pdf|source>```: a link to one of the book's downloads."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        text, _, target = self.text.rpartition("<")
        target = target.rstrip(">").strip()
        text = text.strip()
        if not text or not self.text.rstrip().endswith(">"):
            msg = self.inliner.reporter.error(
                f"book-download: write {{book-download}}`link text <pdf>` (or <source>), not {self.text!r}",
                line=self.lineno,
            )
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        try:
            name = download_file(target, self.config.language)
        except ValueError as err:
            msg = self.inliner.reporter.error(str(err), line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        href = "../" * self.env.docname.count("/") + self.config.book_downloads_root + name
        ref = nodes.reference(self.rawtext, text, refuri=href, classes=["book-download"])
        return [ref], []


def setup(app: Sphinx) -> dict:
    app.add_role("book-download", BookDownloadRole())
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
