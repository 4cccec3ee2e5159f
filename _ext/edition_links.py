"""Every page links to the same page in the other edition (English <-> Chinese).

``book_other_edition`` is the path from this edition's root to the other's root; the link is
shown in the article header (``_templates/language-switch.html``) and as
``<link rel="alternate" hreflang=...>``. In the Chinese edition, ``book_downloads_root`` (the path
from its root to the English root, where the downloads live) is written to a meta tag that
``_static/download-links.js`` reads; so is ``book_pdf``, the file name of the edition's own PDF
(both PDFs are in the English root), which the links to the book's PDF in the prose and the
footer, written with the English file name, are pointed to. ``book_source_archive`` is the
source archive's file name (one for both editions).
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _other_edition(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    other = app.config.book_other_edition
    if not other:
        return
    if app.config.book_downloads_root:
        context["metatags"] = (
            context.get("metatags", "")
            + f'\n<meta name="book-downloads-root" content="{app.config.book_downloads_root}" />'
            + f'\n<meta name="book-pdf" content="{app.config.book_pdf}" />'
        )
    depth = pagename.count("/")
    url = "../" * depth + other + pagename + ".html"
    lang = app.config.book_other_language
    context["book_other_edition_url"] = url
    context["book_other_edition_lang"] = lang
    context["book_other_edition_label"] = app.config.book_other_label
    context["book_other_edition_title"] = app.config.book_other_title
    context["metatags"] = context.get("metatags", "") + f'\n<link rel="alternate" hreflang="{lang}" href="{url}" />'


def setup(app: Sphinx) -> dict:
    app.add_config_value("book_other_edition", "", "html")
    app.add_config_value("book_other_language", "", "html")
    app.add_config_value("book_other_label", "", "html")
    app.add_config_value("book_other_title", "", "html")
    app.add_config_value("book_downloads_root", "", "html")
    app.add_config_value("book_pdf", "reparameterization-trick-executed.pdf", "html")
    app.add_config_value("book_source_archive", "reparameterization-trick-executed-source.zip", "html")
    app.connect("html-page-context", _other_edition)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
