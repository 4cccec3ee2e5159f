"""sphinx-book-theme 1.3.0 with pydata-sphinx-theme 0.17.1: the visible sidebar buttons work.

sphinx-book-theme puts its own "menu" and "contents" buttons in the article header, with the
classes ``.primary-toggle`` and ``.secondary-toggle``, beside pydata-sphinx-theme's header buttons
of the same classes (hidden in this layout). Both themes bind their handlers with
``document.querySelector``, that is to the first button of each class only, so the visible
buttons do nothing: on a phone the navigation never opens, on a desktop the sidebar does not
collapse (pydata-sphinx-theme#2451, sphinx-book-theme#988). ``static/sidebar-toggle.js``
forwards a click on any other button of the class to the first one.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from . import require

PINNED = {"sphinx-book-theme": "1.3.0", "pydata-sphinx-theme": "0.17.1"}
ISSUES = (
    "https://github.com/pydata/pydata-sphinx-theme/issues/2451, "
    "https://github.com/executablebooks/sphinx-book-theme/issues/988"
)
STATIC = Path(__file__).parent / "static"


def _add_static_path(app: Sphinx, config) -> None:
    config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> None:
    for distribution, pinned in PINNED.items():
        require(distribution, pinned, "sidebar_toggle", ISSUES)
    app.connect("config-inited", _add_static_path)
    app.add_js_file("sidebar-toggle.js")
