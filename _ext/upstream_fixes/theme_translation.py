"""sphinx-book-theme 1.3.0 (on pydata-sphinx-theme 0.17.1): the theme speaks the book's Chinese.

Upstream: some of the theme's strings are hard-coded in English (executablebooks/sphinx-book-theme#998,
https://github.com/executablebooks/sphinx-book-theme/issues/998, the sidebar buttons' tooltips),
and its catalogues lag behind its templates. In the Chinese edition:

1. the theme's own catalogue ("booktheme") has the Taiwan form 列印成 PDF: the book's catalogue of
   that domain (locale/zh_CN/LC_MESSAGES/booktheme.po) is registered before the theme's, so that
   it wins (``register_catalogue_first``);
2. the tooltips of the sidebar buttons and the label of the navigation are hard-coded in English
   in the theme's components, and the author line is "作者：" and the name with a space between:
   the book's templates of the same names (_templates/toggle-primary-sidebar.html,
   toggle-secondary-sidebar.html, sbt-sidebar-nav.html, author.html) include the theme's own and
   put in the strings of the "sphinx" domain, which locale/zh_CN/LC_MESSAGES/sphinx.po translates
   (Sphinx reads a project's catalogue of that domain first, no code needed; it also fills the
   messages pydata-sphinx-theme's catalogue leaves empty, such as "Color mode").

The templates depend on the markup of these versions: this guard stops the build on another one.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import register_catalogue_first, require

PINNED = {"sphinx-book-theme": "1.3.0", "pydata-sphinx-theme": "0.17.1"}
ISSUE = "https://github.com/executablebooks/sphinx-book-theme/issues/998"


def setup(app: Sphinx) -> None:
    for distribution, pinned in PINNED.items():
        require(distribution, pinned, "theme_translation", ISSUE)
    register_catalogue_first(app, "booktheme", "sphinx_book_theme")
