"""What the Chinese edition translates: prose, and nothing else.

The Chinese edition is the same Sphinx project built with ``language = zh_CN``
(scripts/build_zh.py): Sphinx replaces every translatable paragraph by its translation from the
gettext catalogues in ``locale/zh_CN/LC_MESSAGES``. Code cells, their outputs and figures are the
English edition's, never copied. This transform marks what is *not* prose as not translatable
before Sphinx's ``Locale`` transform (priority 20) reads the flag, so it stays out of the
catalogues and prints the same in both editions: code-cell outputs (check lines, the ledger's
and the lab's generated tables), display math, and the English column of the notation page's
glossary of edition terms. Figure captions and alt text, which live in code-cell metadata, are
prose and stay translatable.

A page listed in ``book_english_pages`` (the API appendix, generated from the docstrings) is
English in both editions: nothing on it goes into the catalogues. Where the edition's
``book_english_page_note`` is set (the Chinese edition's configuration, scripts/build_zh.py), that
sentence opens the page, saying so in the edition's language.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util.nodes import is_translatable

# Element classes whose text is prose even inside a code cell's output (figure captions and
# legends from ``mystnb: figure:`` metadata).
_PROSE_IN_OUTPUT = (nodes.caption, nodes.legend)
# The header of the notation page's glossary whose first column is the English term itself.
_GLOSSARY_HEAD = ["English in this book", "中文版"]


def _in_prose(node: nodes.Node, stop: nodes.Node) -> bool:
    while node is not None and node is not stop:
        if isinstance(node, _PROSE_IN_OUTPUT):
            return True
        node = node.parent
    return False


class MarkUntranslatable(SphinxTransform):
    """Keep code output, display math and the glossary's English column out of the catalogue."""

    default_priority = 10

    def apply(self, **kwargs) -> None:
        if self.env.docname in self.config.book_english_pages:
            self.keep_page_english()
            return
        for block in self.document.findall(nodes.math_block):
            block["translatable"] = False
        for table in self.document.findall(nodes.table):
            head = [e.astext().strip() for e in next(table.findall(nodes.thead), nodes.thead()).findall(nodes.entry)]
            if head == _GLOSSARY_HEAD:
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

    def keep_page_english(self) -> None:
        """Nothing on the page is translated; the edition's note (if any) follows its title."""
        # only what Sphinx would extract: a "translatable" key on an inline node (a signature's
        # parameter) would make Sphinx treat it as a message and re-render it
        for node in list(self.document.findall(is_translatable)):
            node["translatable"] = False
        note = self.config.book_english_page_note
        section = next(self.document.findall(nodes.section), None)
        if note and section is not None and isinstance(section[0], nodes.title):
            # all emphasis: set as the page's quiet opening note (_ext/cjk_typesetting.py)
            section.insert(1, nodes.paragraph(note, "", nodes.emphasis(note, note), translatable=False))


def setup(app: Sphinx) -> dict:
    app.add_config_value("book_english_pages", [], "env", types=[list])
    app.add_config_value("book_english_page_note", "", "env", types=[str])
    app.add_transform(MarkUntranslatable)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
