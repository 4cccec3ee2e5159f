"""The book's two editions, English and Chinese, from one source.

The Chinese edition is the same Sphinx project built with ``language = zh_CN``: Sphinx replaces
every translatable paragraph by its translation from the gettext catalogues in
``locale/zh_CN/LC_MESSAGES`` (kept with ``sphinx-intl``; see ``scripts/build_zh.py``). Code
cells, their outputs and figures are the English edition's, never copied.

What this extension does:

1. **What is translated.** Only prose. Code-cell outputs (check lines, the ledger's and the
   lab's generated tables), display math and the English column of the notation page's glossary
   of edition terms are marked not translatable, so they stay out of the catalogue and print
   the same in both editions. Figure captions and alt text, which live in code-cell metadata,
   and the exercises' own titles (which sphinx-exercise leaves without a source location, and
   rebuilds after reading) are prose and are translated.
2. **Translations Sphinx would miss.** The part captions of the sidebar (inserted by
   sphinx-external-toc after Sphinx's ``Locale`` transform) and the titles of solutions (taken
   by sphinx-exercise from a copy of each exercise made before translation).
3. **The other edition.** Every page gets a link to the same page in the other language
   (``book_other_edition``: the path from this edition's root to the other's root), shown in the
   article header and as ``<link rel="alternate" hreflang=...>``.
4. **Typesetting.** Chinese punctuation right after a formula stays on the formula's line, and
   a paragraph that is all emphasis gets the class ``book-note`` (set quietly in Chinese).
"""

from __future__ import annotations

import os

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
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
        # sphinx-exercise's titles ("Exercise 5.1 (The extension matters)") carry no source
        # location, which Sphinx takes for text of its own that is not to be translated.
        for node in self.document.findall(nodes.TextElement):
            if node.tagname == "exercise_subtitle" and not node.source:
                node.source, node.line = node.parent.source or self.document["source"], node.parent.line
        for block in self.document.findall(nodes.math_block):
            block["translatable"] = False
        # The notation page's glossary of the edition's terms: its first column is the English
        # term itself, which the Chinese edition shows as it is, beside its Chinese term.
        for table in self.document.findall(nodes.table):
            head = [e.astext().strip() for e in next(table.findall(nodes.thead), nodes.thead()).findall(nodes.entry)]
            if head == ["English in this book", "中文版"]:
                for row in next(table.findall(nodes.tbody)).findall(nodes.row):
                    for node in row.children[0].findall(nodes.TextElement):
                        node["translatable"] = False
        for cell in self.document.findall(nodes.container):
            if cell.get("nb_element") != "cell_code_output":
                continue
            for node in cell.findall(nodes.Element):
                if isinstance(node, nodes.image):
                    continue  # its alt text (``mystnb: image: alt:``) is prose: translated
                if isinstance(node, nodes.TextElement) and not _in_prose(node, cell):
                    node["translatable"] = False


class KeepExerciseTitlesForGettext(SphinxPostTransform):
    """Let the gettext builder see the exercises' own titles.

    sphinx-exercise folds each title into a new title node after reading (post-transform,
    priority 20), and the gettext builder extracts messages only after all post-transforms, so
    the titles never reached the catalogue. A copy of each is kept at the end of the (throwaway)
    gettext doctree. The HTML build needs nothing: there ``Locale`` translated the title first.
    """

    builders = ("gettext",)
    default_priority = 19

    def run(self, **kwargs) -> None:
        keep = nodes.container()
        for node in self.document.findall(nodes.TextElement):
            if node.tagname == "exercise_subtitle" and node.source:
                copy = node.deepcopy()
                copy.source, copy.line = node.source, node.line
                copy.uid = getattr(node, "uid", "")
                keep += copy
        if keep.children:
            self.document += keep


# Chinese punctuation that must not start a line (kinsoku): after inline math, the browser may
# break before it, since the typeset formula is an atomic inline box.
_NO_LINE_START = "，。；：、）！？”’」』》"


class KeepPunctuationWithMath(SphinxPostTransform):
    """Keep the punctuation that follows inline math on the formula's line.

    Wraps the formula and the punctuation right after it in ``<span class="nowrap">``, so that
    "……的梯度 $\\theta$，于是" never puts "，" at the start of a line.
    """

    builders = ("html", "dirhtml", "singlehtml")
    default_priority = 900

    def run(self, **kwargs) -> None:
        for math in list(self.document.findall(nodes.math)):
            parent = math.parent
            if parent is None:
                continue
            index = parent.index(math)
            if index + 1 >= len(parent.children):
                continue
            after = parent.children[index + 1]
            if not isinstance(after, nodes.Text):
                continue
            text = str(after)
            n = len(text) - len(text.lstrip(_NO_LINE_START))
            if n == 0:
                continue
            group = nodes.inline(classes=["nowrap"])
            parent.replace(math, group)
            group += math
            group += nodes.Text(text[:n])
            if text[n:]:
                parent.replace(after, nodes.Text(text[n:]))
            else:
                parent.remove(after)


class MarkNoteParagraphs(SphinxPostTransform):
    """Give a paragraph that is all emphasis (a page's opening note on the source) the class
    ``book-note``, so the Chinese edition can set it quietly instead of in bold."""

    builders = ("html", "dirhtml", "singlehtml")
    default_priority = 900

    def run(self, **kwargs) -> None:
        for para in self.document.findall(nodes.paragraph):
            if len(para.children) == 1 and isinstance(para.children[0], nodes.emphasis):
                para["classes"].append("book-note")


class RefreshExerciseRegistry(SphinxTransform):
    """sphinx-exercise keeps a copy of each exercise from before translation, and titles each
    solution ("Solution to Exercise 5.1 (...)") from that copy: refresh it after ``Locale``."""

    default_priority = 25

    def apply(self, **kwargs) -> None:
        registry = getattr(self.env, "sphinx_exercise_registry", None)
        if not registry or not self.config.language or self.config.language.startswith("en"):
            return
        for node in self.document.findall(nodes.Element):
            entry = registry.get(node.get("label", ""))
            if entry and entry.get("type") == "exercise" and entry.get("docname") == self.env.docname:
                if node.tagname.startswith("exercise"):
                    entry["node"] = node.deepcopy()


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
    app.add_transform(RefreshExerciseRegistry)
    app.add_post_transform(KeepExerciseTitlesForGettext)
    app.add_post_transform(KeepPunctuationWithMath)
    app.add_post_transform(MarkNoteParagraphs)
    app.connect("html-page-context", _other_edition)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
