"""sphinx-codeautolink 0.20.0: a linked code block is not parsed again (a third of the build).

To link the names in a code block, sphinx-codeautolink parses the page's HTML with
BeautifulSoup (``html.parser``), takes each block's ``<pre>`` out as text, puts ``<a>`` tags
into that text, and then parses the text again, to put the result back into the page as a tree
that is serialised once more at the end. With about 500 code cells in the book, that second
parse of every block took 11 s of each edition's build, in pure Python, for nothing: the text is
already BeautifulSoup's own serialisation plus the ``<a>`` tags, so parsing and serialising it
again gives the same text back (with the attributes of each ``<a>`` in alphabetical order). Here the block goes back into the page as that text, in a node
that BeautifulSoup writes out unchanged (tests/book/test_upstream_fixes.py compares the two
ways on a page).

The patch swaps the ``BeautifulSoup`` name of sphinx-codeautolink's ``block`` module while its
``link_html`` runs: the first call there parses the page, as before; every later call is one of
these re-parses, as long as link titles are off (``codeautolink_disable_link_titles``, which
_config.yml sets; otherwise each title is parsed too, and the patch stands aside).

Upstream: not reported yet (sphinx-codeautolink's tracker, ISSUE below).
"""

from __future__ import annotations

import re
from functools import wraps

from bs4 import BeautifulSoup
from bs4.element import PreformattedString
from sphinx.application import Sphinx

from . import require

PINNED = "0.20.0"
ISSUE = "https://github.com/felix-hilden/sphinx-codeautolink/issues (each linked block parsed again)"


# sphinx-codeautolink's link, as it writes it with link titles off, and as BeautifulSoup writes the
# same tag (attributes in alphabetical order): the page comes out byte for byte as without the patch.
LINK = re.compile(r'<a href="([^"]*)" class="sphinx-codeautolink-a">')
SERIALISED_LINK = r'<a class="sphinx-codeautolink-a" href="\1">'


class SerialisedHTML(PreformattedString):
    """HTML text that BeautifulSoup writes out as it is, unescaped."""

    PREFIX = ""
    SUFFIX = ""


def without_reparsing(link_html):
    """``link_html`` with every code block after the page put back as text, not parsed again."""
    from sphinx_codeautolink.extension import block

    @wraps(link_html)
    def wrapper(*args, disable_link_titles: bool, **kwargs):
        if not disable_link_titles:
            return link_html(*args, disable_link_titles=disable_link_titles, **kwargs)
        calls = 0

        def parse(markup: str, features: str):
            nonlocal calls
            calls += 1
            if calls == 1:
                return BeautifulSoup(markup, features)
            return SerialisedHTML(LINK.sub(SERIALISED_LINK, markup))

        block.BeautifulSoup = parse
        try:
            return link_html(*args, disable_link_titles=disable_link_titles, **kwargs)
        finally:
            block.BeautifulSoup = BeautifulSoup

    wrapper.without_reparsing = True
    return wrapper


def setup(app: Sphinx) -> None:
    require("sphinx-codeautolink", PINNED, "codeautolink_speed", ISSUE)
    import sphinx_codeautolink.extension as extension

    if not getattr(extension.link_html, "without_reparsing", False):
        extension.link_html = without_reparsing(extension.link_html)
