"""The book's two editions, English and Chinese, from one source.

The Chinese edition is the same Sphinx project built with ``language = zh_CN``: Sphinx replaces
every translatable paragraph by its translation from the gettext catalogues in
``locale/zh_CN/LC_MESSAGES`` (kept with ``sphinx-intl``; see ``scripts/build_zh.py``). Code
cells, their outputs and figures are the English edition's, never copied.

This extension does two things:

1. **What is translated.** Only prose. Code-cell outputs (check lines, the ledger's and the
   lab's generated tables) and display math are marked not translatable, so they stay out of the
   catalogue and print the same in both editions. Figure captions and alt text, which live in
   code-cell metadata, are prose and are translated.
2. **The other edition.** Every page gets a link to the same page in the other language
   (``book_other_edition``: the path from this edition's root to the other's root), shown in the
   article header and as ``<link rel="alternate" hreflang=...>``.
"""

from __future__ import annotations

import os

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

# Element classes whose text is prose even inside a code cell's output (figure captions and
# legends from ``mystnb: figure:`` metadata).
_PROSE_IN_OUTPUT = (nodes.caption, nodes.legend)


def _in_prose(node: nodes.Node, stop: nodes.Node) -> bool:
    while node is not None and node is not stop:
        if isinstance(node, _PROSE_IN_OUTPUT):
            return True
        node = node.parent
    return False


class MarkUntranslatable(SphinxTransform):
    """Keep code output and display math out of the message catalogue.

    Runs before Sphinx's ``Locale`` transform (priority 20), which reads the same flag.
    """

    default_priority = 10

    def apply(self, **kwargs) -> None:
        for block in self.document.findall(nodes.math_block):
            block["translatable"] = False
        for cell in self.document.findall(nodes.container):
            if cell.get("nb_element") != "cell_code_output":
                continue
            for node in cell.findall(nodes.Element):
                if isinstance(node, nodes.image):
                    continue  # its alt text (``mystnb: image: alt:``) is prose: translated
                if isinstance(node, nodes.TextElement) and not _in_prose(node, cell):
                    node["translatable"] = False


class TranslateTocCaptions(SphinxTransform):
    """Translate the captions of the parts of the book (Core, Beyond, Appendices).

    sphinx-external-toc inserts the toctrees from _toc.yml (priority 100) after Sphinx's
    ``Locale`` transform has run (20), so their captions, which the gettext builder does
    extract, would stay English in the sidebar of the Chinese edition.
    """

    default_priority = 110

    def apply(self, **kwargs) -> None:
        if not self.config.language or self.config.language.startswith("en"):
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [os.path.join(self.env.srcdir, d) for d in self.config.locale_dirs]
        catalog, has_catalog = init_locale(dirs, self.config.language, domain)
        if not has_catalog:
            return
        for toctree in self.document.findall(addnodes.toctree):
            caption = toctree.get("caption")
            if caption and catalog.gettext(caption) != caption:
                toctree["caption"] = toctree["rawcaption"] = catalog.gettext(caption)


def _other_edition(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    other = app.config.book_other_edition
    if not other:
        return
    if app.config.book_downloads_root:
        # the downloads (source archive, PDF) live in the English root: _static/download-links.js
        context["metatags"] = (
            context.get("metatags", "")
            + f'\n<meta name="book-downloads-root" content="{app.config.book_downloads_root}" />'
        )
    depth = pagename.count("/")
    url = "../" * depth + other + pagename + ".html"
    lang = app.config.book_other_language
    label = app.config.book_other_label
    context["book_other_edition_url"] = url
    context["book_other_edition_lang"] = lang
    context["book_other_edition_label"] = label
    context["book_other_edition_title"] = app.config.book_other_title
    context["metatags"] = context.get("metatags", "") + f'\n<link rel="alternate" hreflang="{lang}" href="{url}" />'


def setup(app: Sphinx) -> dict:
    app.add_config_value("book_other_edition", "", "html")
    app.add_config_value("book_other_language", "", "html")
    app.add_config_value("book_other_label", "", "html")
    app.add_config_value("book_other_title", "", "html")
    app.add_config_value("book_downloads_root", "", "html")
    app.add_transform(MarkUntranslatable)
    app.add_transform(TranslateTocCaptions)
    app.connect("html-page-context", _other_edition)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
