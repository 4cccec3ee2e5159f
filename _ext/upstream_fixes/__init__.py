"""Workarounds for third-party internals, fenced in one place.

Each module here patches the behaviour of one pinned package that the book cannot change, links
the upstream issue, and calls :func:`require` at setup: when the installed version is not the one
the workaround was written against, the build stops with a message that says what to re-check.
Nothing else in the book reaches into these packages' internals.

- :mod:`.exercise_translation`: sphinx-exercise keeps its exercise titles out of the message
  catalogues and titles solutions from an untranslated copy;
- :mod:`.toc_captions`: sphinx-external-toc inserts the sidebar's part captions after Sphinx has
  translated the page;
- :mod:`.sidebar_toggle`: sphinx-book-theme and pydata-sphinx-theme bind their sidebar buttons to
  the first button of each kind only, so the visible buttons do nothing.
"""

from __future__ import annotations

from importlib.metadata import version

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError


def require(distribution: str, pinned: str, module: str, issue: str) -> None:
    """Stop the build unless ``distribution`` is installed at the version a workaround targets."""
    installed = version(distribution)
    if installed != pinned:
        raise ExtensionError(
            f"{distribution} is {installed}, but the workaround in _ext/upstream_fixes/{module}.py was written "
            f"for {pinned} ({issue}). Check whether the new version still needs it (and whether the internals it "
            "uses are still there), then update the pin in that file and in requirements.txt."
        )


def setup(app: Sphinx) -> dict:
    from . import exercise_translation, sidebar_toggle, toc_captions

    for fix in (exercise_translation, toc_captions, sidebar_toggle):
        fix.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
