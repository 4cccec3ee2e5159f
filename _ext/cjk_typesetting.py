"""Typesetting for Chinese text next to mathematics, and quiet notes.

1. Chinese punctuation right after an inline formula stays on the formula's line (kinsoku): the
   typeset formula is an atomic inline box, so the browser may break before "，" or "。".
2. A paragraph that is all emphasis (a page's opening note on the source) gets the class
   ``book-note``, so that the Chinese edition can set it quietly instead of in bold.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

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


def setup(app: Sphinx) -> dict:
    app.add_post_transform(KeepPunctuationWithMath)
    app.add_post_transform(MarkNoteParagraphs)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
