"""Load MathJax by parts, from the copy that sphinx-mathjax-offline puts in the build.

sphinx-mathjax-offline sets ``mathjax_path`` to its all-in-one ``tex-chtml.js`` (1.16 MB, with
the right-click menu, 426 kB, that the book does not use) when it is set up, over whatever the
configuration says. This extension sets it back, once the configuration is read, to
``book_mathjax_path`` (the startup component; ``mathjax3_config.loader.load`` in _config.yml
lists the parts it loads).
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _use_parts(app: Sphinx, config) -> None:
    if config.book_mathjax_path:
        config.mathjax_path = config.book_mathjax_path


def setup(app: Sphinx) -> dict:
    app.add_config_value("book_mathjax_path", "", "html")
    app.connect("config-inited", _use_parts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
