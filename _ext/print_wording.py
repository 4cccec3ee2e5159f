"""Wording for the medium: what the web pages say, and what the printed book says instead.

A sentence that talks about its medium ("hidden until you click them", "the download button at
the top right", "linked at the foot of every page") is wrong on paper. Two roles and two
directives mark such wording; the Chinese catalogues carry them like any other markup, and the
translation keeps the role and translates its text::

    exercises come with solutions, {web}`hidden until you click them`{print}`printed after each exercise`.

    ```{web}
    A paragraph that only the web pages show.
    ```

    ```{print}
    A paragraph that only the printed book shows.
    ```

A role's text is parsed as inline MyST (math, emphasis; it cannot hold backticks, so no roles
inside: put a paragraph with a reference in the directive instead). Both editions' HTML carries
both wordings, as ``<span class="only-web">`` / ``<span class="only-print">`` (``<div>`` for the
directives); ``_static/print.css`` shows each in its own medium: ``only-print`` is hidden on
screen, ``only-web`` in print (the whole-book PDF of ``scripts/build_pdf.py`` and a browser's
own print of a page alike).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

MEDIA = {"web": "only-web", "print": "only-print"}


def _wording_role(css_class: str):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        span = nodes.inline(rawtext, "", classes=[css_class])
        children, messages = inliner.parse(text, lineno, inliner, span)
        span += children
        return [span], messages

    return role


class WordingDirective(SphinxDirective):
    """A block (paragraphs, lists) shown in one medium only."""

    has_content = True
    css_class = ""

    def run(self) -> list[nodes.Node]:
        block = nodes.container(classes=[self.css_class])
        self.set_source_info(block)
        self.state.nested_parse(self.content, self.content_offset, block)
        return [block]


def setup(app: Sphinx) -> dict:
    for name, css_class in MEDIA.items():
        app.add_role(name, _wording_role(css_class))
        app.add_directive(name, type(f"{name.title()}Wording", (WordingDirective,), {"css_class": css_class}))
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
