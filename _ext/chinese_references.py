"""Cross-references that read as Chinese: a link to a page, shown by its title, is set as a title.

A ``{doc}`` reference with no text of its own shows the page's title. In an English sentence
the link's underline sets the title apart; in a Chinese one a bare title runs into the words
around it ("上一章 Gumbel-max 技巧及其证明 把…", "在 梯度估计量同台比较 中"). In an edition whose language is
Chinese, such a reference is set between book-title marks, 《Gumbel-max 技巧及其证明》, outside
the link, so that translators write ``上一章 {doc}`03_gumbel_max` 把…`` and the build does the rest
(``cjk_typesetting`` then removes the spaces next to the marks). A ``{doc}`` with its own text
(``{doc}`核验总表 <ledger>```) is left as written.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

# The class of the inline that holds the marks and the link (the tests find titles by it).
TITLE_CLASS = "book-title-ref"


class PageTitlesAsTitles(SphinxPostTransform):
    """Put 《》 around each ``{doc}`` reference that shows its page's title, before it is resolved
    (the resolver replaces the pending reference inside the marks by the link)."""

    builders = ("html", "dirhtml", "singlehtml")
    default_priority = 5  # before Sphinx's ReferencesResolver (10)

    def run(self, **kwargs) -> None:
        if not (self.config.language or "").startswith("zh"):
            return
        for xref in list(self.document.findall(addnodes.pending_xref)):
            if xref.get("reftype") != "doc" or xref.get("refexplicit"):
                continue
            title = nodes.inline(classes=[TITLE_CLASS])
            xref.replace_self(title)
            title += [nodes.Text("《"), xref, nodes.Text("》")]


def setup(app: Sphinx) -> dict:
    app.add_post_transform(PageTitlesAsTitles)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
