"""The ``count`` role: a count computed by a notebook, written for the edition's reader.

A count that can reach 10,000 is glued from code with this role rather than with myst-nb's
``glue:text``, because the two editions write it differently (the glossary of edition terms at the
end of chapters/notation.md decides how) and a role must appear in a translation exactly as in
the English::

    We draw {count}`n_draws` samples.                      ->  We draw 200,000 samples.
    我们抽取 {count}`n_draws` 个样本。                       ->  我们抽取 20 万个样本。

- English: digits, with thousands separators from 10,000 up (9999, 10,000, 250,003).
- Chinese: from 10,000 up, a multiple of 100 in 万 (20 万, 6.25 万) and, from 100 million up, a
  multiple of 1,000,000 in 亿 (4 亿, 12.5 亿), with at most two decimals; any other count in
  plain digits, without separators (9999, 250003). The space between 万 or 亿 and the Chinese
  character after the role is dropped (20 万个样本, not 20 万 个样本).

The role's text is a glue key of the page (``n_draws``) or, as for ``glue:text``, a notebook
and a key (``01_motivation.ipynb::n_draws``). The value is what the notebook glued
(``myst_nb.glue("n_draws", int(n))``): its stored ``text/plain`` must be a non-negative Python
int, so glue ``int(...)`` rather than a NumPy integer. It is read from the glue data myst-nb
writes for every notebook it reads (``<docname>.glue.json``), after every page has been read,
so the page's own form works in the Chinese edition too, where the translated paragraph is
parsed again on its own (myst-nb's page-local ``glue:text`` renders nothing there). A missing
key, or a value that is not a count, is a warning (and ``-W`` makes it an error).
"""

from __future__ import annotations

import ast
import json
import re
from decimal import Decimal
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

logger = logging.getLogger(__name__)

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WAN, _YI = 10**4, 10**8


def _decimals(value: Decimal) -> str:
    """``value`` (at most two decimals) without trailing zeros: 20, 6.25, 12.5."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_count(n: int, language: str | None) -> str:
    """``n`` as the edition of ``language`` writes a count (see the module docstring)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n: a count is an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n: a count is non-negative, got {n}")
    if (language or "en").startswith("zh"):
        if n >= _YI and n % (_YI // 100) == 0:
            return f"{_decimals(Decimal(n) / _YI)} 亿"
        if _WAN <= n < _YI and n % (_WAN // 100) == 0:
            return f"{_decimals(Decimal(n) / _WAN)} 万"
        return str(n)
    return f"{n:,}" if n >= _WAN else str(n)


class pending_count(nodes.Inline, nodes.Element):  # noqa: N801 (docutils node names are lowercase)
    """A ``count`` role whose value is read once every page has been read."""


class CountRole(SphinxRole):
    """``{count}`key``` or ``{count}`notebook.ipynb::key```: a glued count, formatted for the edition."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        page, sep, key = self.text.strip().rpartition("::")
        if sep:
            _, path = self.env.relfn2path(page, self.env.docname)
            refdoc = self.env.path2doc(path)
            if refdoc is None:
                msg = self.inliner.reporter.warning(f"count: no page {page!r} in the book", line=self.lineno)
                return [], [msg]
            self.env.note_dependency(path)  # the page is rebuilt when that notebook changes
        else:
            refdoc = self.env.docname
        node = pending_count(self.rawtext, refdoc=refdoc, key=key)
        self.set_source_info(node)
        return [node], []


def glued_value(output_folder: str | Path, docname: str, key: str) -> str:
    """The ``text/plain`` that page ``docname`` glued under ``key`` (KeyError when none)."""
    *folders, name = docname.split("/")
    path = Path(output_folder).joinpath(*folders, f"{name}.glue.json")
    if not path.is_file():
        raise KeyError(f"{docname!r} glues nothing (no {path.name})")
    data = json.loads(path.read_text(encoding="utf-8"))
    if key not in data:
        raise KeyError(f"{docname!r} glues no {key!r} (it glues {sorted(data)})")
    text = data[key]["data"].get("text/plain")
    if text is None:
        raise KeyError(f"{key!r} of {docname!r} has no text/plain")
    return text


def parse_count(text: str) -> int:
    """The count stored as ``text/plain`` (``repr`` of a Python int); ValueError otherwise."""
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"the glued value {text!r} is not a count: glue a non-negative int(...)")
    return value


def _drop_space_after(node: nodes.Node, text: str) -> None:
    """No space between 万 or 亿 and the Chinese character that follows the role."""
    if not text.endswith(("万", "亿")):
        return
    parent = node.parent
    index = parent.index(node)
    if index + 1 >= len(parent) or not isinstance(parent[index + 1], nodes.Text):
        return
    after = parent[index + 1]
    rest = after.lstrip(" ")
    if rest != after and CJK.match(rest):
        parent.replace(after, nodes.Text(rest))


class ResolveCounts(SphinxPostTransform):
    """Replace every ``count`` role by its value, written for the edition."""

    default_priority = 5

    def run(self, **kwargs) -> None:
        folder = self.env.mystnb_config.output_folder
        for node in list(self.document.findall(pending_count)):
            try:
                n = parse_count(glued_value(folder, node["refdoc"], node["key"]))
            except (KeyError, ValueError) as err:
                logger.warning(f"count: {err.args[0]}", location=node, type="book", subtype="count")
                node.replace_self(nodes.literal(node.rawsource, node.rawsource))
                continue
            text = format_count(n, self.config.language)
            count = nodes.inline(text, text, classes=["book-count"])
            node.replace_self(count)
            _drop_space_after(count, text)


def setup(app: Sphinx) -> dict:
    app.add_node(pending_count)
    app.add_role("count", CountRole())
    app.add_post_transform(ResolveCounts)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
