"""Glued numbers in figures' alt text: ``{glue:text}`` and ``{count}`` roles resolved there too.

A figure's alt text (``mystnb: image: alt:``) is an attribute, not markup: roles written in it
reach the page as they are, so a number the figure shows could only be typed by hand. This
post-transform resolves, in every image's alt text, the two roles the prose uses for glued
numbers: ``{glue:text}`page.ipynb::key:fmt``` (formatted as myst-nb formats it) and
``{count}`key``` or ``{count}`page.ipynb::key``` (written for the edition, _ext/count_role.py).
It runs after Sphinx has put the translated alt text in place, so both editions get the numbers.
Captions need none of this: they are parsed as MyST, where the roles work.
"""

from __future__ import annotations

import ast
import re

from count_role import CJK, format_count, glued_value, parse_count
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

_ROLE = re.compile(r"\{(glue:text|count)\}`([^`]+)`")


def format_text(text: str, spec: str) -> str:
    """A glued ``text/plain`` formatted with ``spec``, as ``{glue:text}`` formats it."""
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if not spec:
        return str(value)
    kind = spec[-1]
    if kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    elif kind == "s":
        value = str(value)
    return format(value, spec)


class ResolveGluedAltText(SphinxPostTransform):
    """Replace the glue roles in every image's alt text by their values."""

    default_priority = 5

    def run(self, **kwargs) -> None:
        if self.app.builder.name == "gettext":
            return  # the catalogues hold the alt text as written, roles and all, like the prose
        for image in self.document.findall(nodes.image):
            alt = image.get("alt", "")
            if "}`" in alt:
                image["alt"] = self.resolve(image, alt)

    def resolve(self, image: nodes.image, alt: str) -> str:
        parts, end = [], 0
        for m in _ROLE.finditer(alt):
            value = self.value(image, m.group(1), m.group(2))
            rest = alt[m.end() :]
            if value.endswith(("万", "亿")) and rest[:1] == " " and CJK.match(rest[1:]):
                value += "\0"  # the space after it is dropped, as in the prose (count_role.py)
            parts += [alt[end : m.start()], value]
            end = m.end()
        return ("".join(parts) + alt[end:]).replace("\0 ", "")

    def value(self, image: nodes.image, role: str, target: str) -> str:
        folder = self.env.mystnb_config.output_folder
        if role == "glue:text":
            key, _, spec = target.rpartition(":") if target.count(":") % 2 else (target, "", "")
        else:
            key, spec = target, ""
        page, sep, key = key.rpartition("::")
        docname = self.env.docname
        if sep:
            docname = self.env.path2doc(self.env.relfn2path(page, self.env.docname)[1]) or page
        try:
            text = glued_value(folder, docname, key)
            return format_count(parse_count(text), self.config.language) if role == "count" else format_text(text, spec)
        except (KeyError, ValueError, TypeError) as err:
            logger.warning(f"alt text: {role} {target!r}: {err.args[0]}", location=image, type="book", subtype="glue")
            return target


def setup(app: Sphinx) -> dict:
    app.setup_extension("count_role")
    app.add_post_transform(ResolveGluedAltText)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
