"""sphinx-codeautolink 0.20.0: a section without a title does not stop the build.

sphinx-codeautolink's code-block visitor keeps a stack of section titles (to title its
backreference tables): it pushes at every ``title`` node and pops when it leaves a ``section``.
sphinx-exercise 1.2.1 wraps each exercise's body in a ``section`` that has no title, so the
visitor pops more than it pushed and the build fails with ``IndexError: pop from empty list`` on
every page with an exercise. Here the visitor pops only when leaving a section that has a title.

Upstream: not reported yet (sphinx-codeautolink's tracker, ISSUE below).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from . import require

PINNED = "0.20.0"
ISSUE = "https://github.com/felix-hilden/sphinx-codeautolink/issues (a section without a title)"


def _depart_section(self, node: nodes.section) -> None:
    if node.children and isinstance(node[0], nodes.title):
        self.title_stack.pop()


def setup(app: Sphinx) -> None:
    require("sphinx-codeautolink", PINNED, "codeautolink_sections", ISSUE)
    from sphinx_codeautolink.extension.block import CodeBlockAnalyser

    CodeBlockAnalyser.depart_section = _depart_section
