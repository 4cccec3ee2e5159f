"""Sphinx 7.4.7: a translated page's doctree no longer carries the whole build environment.

Sphinx translates a page by parsing each message's translation as a small document of its own
(``sphinx.transforms.i18n.publish_msgstr``) and moving the nodes into the page. Each moved node
keeps a reference to that small document (docutils' ``Node._document``), whose settings are the
page's settings while it is read, with the build environment in them. When Sphinx pickles the
page's doctree it clears the environment from the page's settings only, so every doctree of the
Chinese edition pickled the environment too: 4 to 5 MB each, even for a short page, where the
English ones take tens of kB. Sphinx loads a doctree again for every numbered reference into
another page, and those loads took 40 s of the Chinese build.

Here, once a page is read (``doctree-read``, before it is pickled), every node that still points
at another document points at the page's own.

Upstream: not reported yet (Sphinx's tracker, ISSUE below).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from . import require

PINNED = "7.4.7"
ISSUE = "https://github.com/sphinx-doc/sphinx/issues (translated nodes keep their message's document)"


def adopt_translated_nodes(app: Sphinx | None, doctree: nodes.document) -> int:
    """Point every node of ``doctree`` at ``doctree`` itself; returns how many pointed elsewhere."""
    moved = 0
    for node in doctree.findall():
        if node is not doctree and vars(node).get("_document") not in (None, doctree):
            node.document = doctree
            moved += 1
    return moved


def setup(app: Sphinx) -> None:
    require("sphinx", PINNED, "translated_documents", ISSUE)
    app.connect("doctree-read", adopt_translated_nodes)
