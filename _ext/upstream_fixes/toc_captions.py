"""sphinx-external-toc 1.1.0: the part captions of the sidebar are translated.

sphinx-external-toc inserts the toctrees built from _toc.yml in a transform of priority 100,
after Sphinx's ``Locale`` transform (priority 20) has translated the page, so the captions of the
book's parts (Core, Beyond, Appendices) stay English in the Chinese edition's sidebar, although
the gettext builder extracts them. This transform translates them from the page's catalogue.

Upstream: not reported; Jupyter Book 1 has no documented route to translated books
(jupyter-book/jupyter-book#223, https://github.com/jupyter-book/jupyter-book/issues/223).
"""

from __future__ import annotations

import os

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

from . import require

PINNED = "1.1.0"
ISSUE = "https://github.com/jupyter-book/jupyter-book/issues/223"


class TranslateTocCaptions(SphinxTransform):
    """Translate the captions of the toctrees that sphinx-external-toc inserted."""

    default_priority = 110

    def apply(self, **kwargs) -> None:
        if not self.config.language or self.config.language.startswith("en"):
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [os.path.join(self.env.srcdir, d) for d in self.config.locale_dirs]
        catalog, has_catalog = init_locale(dirs, self.config.language, domain)
        if not has_catalog:
            return
        for toctree in self.document.findall(addnodes.toctree):
            caption = toctree.get("caption")
            if caption and catalog.gettext(caption) != caption:
                toctree["caption"] = toctree["rawcaption"] = catalog.gettext(caption)


def setup(app: Sphinx) -> None:
    require("sphinx-external-toc", PINNED, "toc_captions", ISSUE)
    app.add_transform(TranslateTocCaptions)
