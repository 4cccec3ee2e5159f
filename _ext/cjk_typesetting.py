"""Typesetting for Chinese text next to mathematics, and quiet notes.

1. Chinese punctuation right after an inline formula stays on the formula's line (kinsoku): the
   typeset formula is an atomic inline box, so the browser may break before "，" or "。".
2. A paragraph that is all emphasis (a page's opening note on the source) gets the class
   ``book-note``, so that the Chinese edition can set it quietly instead of in bold.
3. No space between Chinese text and a cross-reference that renders as Chinese: "见图 1.3",
   "由定理 3.1", "表 5.1 和表 5.2", "《梯度估计量同台比较》中" (the style note's rule, one space
   between Chinese and Latin words or numbers, was written for the markup, where the reference is a
   role: ``见 {numref}`fig-x```). Done here, so translators need not remember it.
4. No space between a box's number and a full-width parenthesis after it: Sphinx writes every
   number of a numbered box as "定理 3.1 " with a space, then the title "（Gumbel-max）".
"""

from __future__ import annotations

import re

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


# Chinese characters and the punctuation set with them (full-width forms, CJK punctuation, the
# curly quotes, the dash and the ellipsis of Chinese text).
_CJK = re.compile(r"[\u2014\u2018\u2019\u201c\u201d\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_FULL_WIDTH_PUNCTUATION = re.compile(r"[\u2014\u2018\u2019\u201c\u201d\u2026\u3000-\u303f\uff00-\uffef]")
# The class of the inline that holds a page title's 《》 and its link (_ext/chinese_references.py).
_TITLE_CLASS = "book-title-ref"


def _block(node: nodes.Node) -> nodes.Element | None:
    """The paragraph, title, caption, ... that holds an inline node."""
    while node is not None and (isinstance(node, nodes.Inline) or not isinstance(node, nodes.TextElement)):
        node = node.parent
    return node


def _tight(edge: str, other: str) -> bool:
    """Whether the space between a reference's edge character and the text beside it goes: next to
    full-width punctuation always, between two Chinese characters too."""
    return bool(_FULL_WIDTH_PUNCTUATION.match(edge) or (_CJK.match(edge) and _CJK.match(other)))


class NoSpaceBesideChineseReferences(SphinxPostTransform):
    """Drop the spaces between a cross-reference that renders as Chinese and the Chinese text beside it.

    A reference is a link (a resolved ``numref``, ``ref``, ``doc``, ``eq``, ...), or a page title
    with its 《》 marks; only its first and last characters matter: "图 1.3" is tight on the left,
    "习题 5.1（…）" on both sides, "(3.2)" on neither.
    """

    builders = ("html", "dirhtml", "singlehtml")
    default_priority = 900

    def run(self, **kwargs) -> None:
        if not (self.config.language or "").startswith("zh"):
            return  # English curly quotes and dashes are not full-width punctuation
        units = [n for n in self.document.findall(nodes.inline) if _TITLE_CLASS in n["classes"]]
        units += [
            n
            for n in self.document.findall(nodes.reference)
            if not any(_TITLE_CLASS in a.get("classes", []) for a in _ancestors(n))
        ]
        for unit in units:
            block, text = _block(unit), unit.astext()
            if block is None or not text.strip():
                continue
            leaves = list(block.findall(nodes.Text))
            own = list(unit.findall(nodes.Text))
            # by identity: Text nodes are strings, and equal ones (two 《) compare equal
            first = next(i for i, leaf in enumerate(leaves) if leaf is own[0])
            last = next(i for i, leaf in enumerate(leaves) if leaf is own[-1])
            if first > 0:
                before = leaves[first - 1]
                stripped = str(before).rstrip()
                if stripped != str(before) and stripped and _tight(text[0], stripped[-1]):
                    before.parent.replace(before, nodes.Text(stripped))
            if last + 1 < len(leaves):
                after = leaves[last + 1]
                stripped = str(after).lstrip()
                if stripped != str(after) and stripped and _tight(text[-1], stripped[0]):
                    after.parent.replace(after, nodes.Text(stripped))


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


_NUMBER_BEFORE_PARENTHESIS = re.compile(r'(<span class="caption-number">[^<]*?) (</span>)(?=（)')


def _number_beside_parenthesis(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop the space Sphinx writes after a box's number when a full-width parenthesis follows."""
    if "body" in context:
        context["body"] = _NUMBER_BEFORE_PARENTHESIS.sub(r"\1\2", context["body"])


def setup(app: Sphinx) -> dict:
    app.add_post_transform(KeepPunctuationWithMath)
    app.add_post_transform(MarkNoteParagraphs)
    app.add_post_transform(NoSpaceBesideChineseReferences)
    app.connect("html-page-context", _number_beside_parenthesis)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
