"""Workarounds for third-party internals, fenced in one place.

Each module here patches the behaviour of one pinned package that the book cannot change, links
the upstream issue, and calls :func:`require` at setup: when the installed version is not the one
the workaround was written against, the build stops with a message that says what to re-check.
Nothing else in the book reaches into these packages' internals.

- :mod:`.exercise_translation`: sphinx-exercise keeps its exercise titles out of the message
  catalogues, titles solutions from an untranslated copy, says 练习 where the book says 习题 and
  assembles its titles in English word order with half-width parentheses;
- :mod:`.theme_translation`: sphinx-book-theme's Chinese strings in a Taiwan form and with a stray
  space, its tooltips hard-coded in English (the template overrides in _templates/);
- :mod:`.toc_captions`: sphinx-external-toc inserts the sidebar's part captions after Sphinx has
  translated the page;
- :mod:`.sidebar_toggle`: sphinx-book-theme and pydata-sphinx-theme bind their sidebar buttons to
  the first button of each kind only, so the visible buttons do nothing;
- :mod:`.download_menu`: sphinx-book-theme's download menu cannot be configured; the book's
  offers its PDF, its runnable source archive, the page's notebook and printing;
- :mod:`.codeautolink_sections`: sphinx-codeautolink fails on a section without a title, which
  sphinx-exercise makes for every exercise;
- :mod:`.codeautolink_speed`: sphinx-codeautolink parses every code block it links a second
  time, for nothing (a third of the build);
- :mod:`.translated_documents`: Sphinx pickles the whole build environment into every doctree of
  a translated edition;
- :mod:`.zh_search_speed`: Sphinx's Chinese search index tests words against a list that grows
  to tens of thousands of entries.

Two of them replace an extension's own translations with the book's (:func:`register_catalogue_first`),
which works only if they are set up before that extension: ``upstream_fixes`` comes first in the
extension list of _config.yml, and the build stops if it does not.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.i18n import CatalogRepository


def require(distribution: str, pinned: str, module: str, issue: str) -> None:
    """Stop the build unless ``distribution`` is installed at the version a workaround targets."""
    installed = version(distribution)
    if installed != pinned:
        raise ExtensionError(
            f"{distribution} is {installed}, but the workaround in _ext/upstream_fixes/{module}.py was written "
            f"for {pinned} ({issue}). Check whether the new version still needs it (and whether the internals it "
            "uses are still there), then update the pin in that file and in requirements.txt."
        )


def register_catalogue_first(app: Sphinx, domain: str, extension: str) -> None:
    """Register the book's message catalogue of ``domain`` before ``extension`` registers its own.

    Sphinx merges the catalogues of one domain in the order they are registered, and the first
    one that has a message wins: the book's catalogue (``locale/<language>/LC_MESSAGES/<domain>.po``,
    compiled here when it is newer than its ``.mo``) replaces the extension's translations of the
    messages it holds, and the extension's own catalogue still answers for all the others.
    """
    if extension in app.extensions:
        raise ExtensionError(
            f"upstream_fixes must be set up before {extension} (list it first in _config.yml's extensions), "
            f"or the book's '{domain}' catalogue cannot replace {extension}'s translations."
        )
    language = app.config.language
    if not language or language.startswith("en"):
        return
    repo = CatalogRepository(app.srcdir, app.config.locale_dirs, language, app.config.source_encoding)
    for catalog in repo.catalogs:
        if catalog.domain == domain:
            if catalog.is_outdated():
                catalog.write_mo(language, app.config.gettext_allow_fuzzy_translations)
            app.add_message_catalog(domain, str(Path(catalog.base_dir).parents[1]))


def setup(app: Sphinx) -> dict:
    from . import (
        codeautolink_sections,
        codeautolink_speed,
        download_menu,
        exercise_translation,
        sidebar_toggle,
        theme_translation,
        toc_captions,
        translated_documents,
        zh_search_speed,
    )

    for fix in (
        exercise_translation,
        theme_translation,
        toc_captions,
        sidebar_toggle,
        download_menu,
        codeautolink_sections,
        codeautolink_speed,
        translated_documents,
        zh_search_speed,
    ):
        fix.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
