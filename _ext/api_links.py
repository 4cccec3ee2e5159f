"""Names in the chapters' code cells link to the API appendix (sphinx-codeautolink), cheaply.

sphinx-codeautolink can read a notebook's cells as one program (``codeautolink_concat_default``),
so that a name imported in the first cell is known in the tenth; but it then parses every cell
again together with all the cells before it, which on this book doubled the build's time. Here
every cell is read alone, after a preface that states the imports every chapter makes by
convention (AUTHORING.md: ``import reparam as rp``, and the checks and statistics imported by
name from ``reparam.testing``). The preface is made from the packages' ``__all__``, so a name
added to the harness links with no change here.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config


def preface() -> str:
    """The imports every code cell is read after."""
    import reparam.testing

    return f"import reparam\nimport reparam as rp\nfrom reparam.testing import {', '.join(reparam.testing.__all__)}"


def _set_preface(app: Sphinx, config: Config) -> None:
    config.codeautolink_global_preface = preface()


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _set_preface)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
