"""The check records in the chapters' stored outputs, and the equations they cover.

Every executed check (:mod:`reparam.testing.checks`) leaves a :class:`~reparam.testing.checks.CheckRecord`
in its cell's outputs, as a JSON MIME bundle (:data:`~reparam.testing.checks.MIME`) beside its
text. Strict nbval compares both, so the records are what the code computes today. This module
reads them, and nothing else: no printed text is parsed.

- :func:`notebook_records` lists a notebook's records, in order;
- :func:`labelled_displays` lists the labelled display equations of a notebook's or a page's
  markdown, and :func:`equation_statuses` the definitions and waivers declared there with the
  ``{equation-status}`` directive;
- :func:`coverage` says, for every labelled display, how it is covered: by a counted check that
  backs it (in any chapter), as a definition, as waived, or not at all. The book's Sphinx
  extension (``_ext/verification.py``) and the tests use the same function;
- :class:`CheckRecordMime` is the myst-nb MIME renderer (registered in ``pyproject.toml``) that
  turns a record into a node the Sphinx extension renders: the check line with its links, the
  equation marks and the verification ledger.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reparam.testing.checks import MIME, CheckRecord

__all__ = [
    "CheckRecordMime",
    "Coverage",
    "check_anchor",
    "coverage",
    "coverage_problems",
    "equation_statuses",
    "labelled_displays",
    "notebook_records",
]

#: The statuses a labelled display can have, in the order the ledger lists them.
STATUSES = ("checked", "definition", "waived", "uncovered")


def check_anchor(name: str) -> str:
    """The HTML id of a check's line: ``check-`` and its name, lower case, every run of other
    characters than ``a-z`` and ``0-9`` replaced by one ``-``.

    Examples
    --------
    >>> check_anchor("P(A_j | eps_1 = 0.3), j = 2..5")
    'check-p-a-j-eps-1-0-3-j-2-5'
    """
    return "check-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _cells(path: str | Path) -> list[dict]:
    path = Path(path)
    if path.suffix == ".md":
        return [{"cell_type": "markdown", "source": path.read_text(encoding="utf-8")}]
    return json.loads(path.read_text(encoding="utf-8")).get("cells", [])


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def notebook_records(path: str | Path) -> list[CheckRecord]:
    """Every check record in a notebook's stored outputs, in order.

    Examples
    --------
    >>> import json, tempfile
    >>> from reparam.testing.checks import CheckRecord, MIME
    >>> record = CheckRecord("numeric", "one third", "value 0.333", "exact 0.333", "|error| ≤ 1e-3", True)
    >>> cell = {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": {MIME: record.to_json()}}]}
    >>> with tempfile.NamedTemporaryFile("w", suffix=".ipynb", delete=False) as fh:
    ...     json.dump({"cells": [cell]}, fh)
    >>> [r.name for r in notebook_records(fh.name)]
    ['one third']
    """
    found = []
    for cell in _cells(path):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if MIME in data:
                content = data[MIME]
                found.append(CheckRecord.from_json(json.loads(content) if isinstance(content, str) else content))
    return found


# $$ ... $$ (label) in MyST's dollarmath, and ```{math} with :label: (the two ways the book labels a display)
_DOLLAR_LABEL = re.compile(r"\$\$\s*\((?P<label>[A-Za-z0-9_.:-]+)\)")
_MATH_DIRECTIVE_LABEL = re.compile(r"^```\{math\}[^\n]*\n(?:\s*:[a-z]+:[^\n]*\n)*?\s*:label:\s*(?P<label>\S+)", re.M)
_STATUS = re.compile(r"^```\{equation-status\}\s+(?P<label>\S+)\s+(?P<status>definition|waived)\s*$", re.M)


def labelled_displays(path: str | Path) -> list[str]:
    """The labels of a page's display equations, in order (markdown cells only)."""
    labels = []
    for cell in _cells(path):
        if cell.get("cell_type") == "markdown":
            text = _text(cell.get("source", ""))
            hits = [(m.start(), m["label"]) for m in _DOLLAR_LABEL.finditer(text)]
            hits += [(m.start(), m["label"]) for m in _MATH_DIRECTIVE_LABEL.finditer(text)]
            labels += [label for _, label in sorted(hits)]
    return labels


def equation_statuses(path: str | Path) -> dict[str, str]:
    """The definitions and waivers a page declares: ``{label: "definition" | "waived"}``."""
    out = {}
    for cell in _cells(path):
        if cell.get("cell_type") == "markdown":
            for m in _STATUS.finditer(_text(cell.get("source", ""))):
                out[m["label"]] = m["status"]
    return out


@dataclass(frozen=True)
class Coverage:
    """How one labelled display equation is covered."""

    label: str
    page: str
    status: str  # one of STATUSES
    checks: tuple[tuple[str, str], ...] = ()  # (page, check name) of the counted checks that back it
    users: tuple[tuple[str, str], ...] = ()  # (page, check name) of the checks that use it


def coverage(
    displays: Mapping[str, Iterable[str]],
    records: Mapping[str, Iterable[CheckRecord]],
    declared: Mapping[str, str],
) -> list[Coverage]:
    """The coverage of every labelled display, page by page, in the order given.

    ``displays`` maps a page to its labels, ``records`` a page to its check records (in book
    order), ``declared`` a label to its declared status (``"definition"`` or ``"waived"``). A
    display backed by a counted check anywhere in the book is ``"checked"`` (whatever else is
    declared for it); otherwise its declared status; otherwise ``"uncovered"``.

    Examples
    --------
    >>> from reparam.testing.checks import CheckRecord, RuleOut
    >>> rule = RuleOut("zero", "wrong value 0", "rejected", True, "≈ 1", "derivation")
    >>> good = CheckRecord("sampling", "mean", "estimate 1", "exact 1", "ok", True, ("eq-b",), ("eq-a",), (rule,))
    >>> [(c.label, c.status) for c in coverage({"ch": ["eq-a", "eq-b", "eq-c"]}, {"ch": [good]}, {"eq-a": "definition"})]
    [('eq-a', 'definition'), ('eq-b', 'checked'), ('eq-c', 'uncovered')]
    """
    backing: dict[str, list[tuple[str, str]]] = {}
    using: dict[str, list[tuple[str, str]]] = {}
    for page, page_records in records.items():
        for record in page_records:
            for label in record.backs:
                if record.counted:
                    backing.setdefault(label, []).append((page, record.name))
                else:
                    using.setdefault(label, []).append((page, record.name))
            for label in record.uses:
                using.setdefault(label, []).append((page, record.name))
    out = []
    for page, labels in displays.items():
        for label in labels:
            checks = tuple(backing.get(label, ()))
            status = "checked" if checks else declared.get(label, "uncovered")
            out.append(Coverage(label, page, status, checks, tuple(using.get(label, ()))))
    return out


def coverage_problems(covs: Iterable[Coverage], max_waived: float = 0.10) -> list[str]:
    """What keeps the book's coverage from its target: every labelled display covered (checked,
    a definition, or waived), and at most ``max_waived`` of them waived. Empty when on target.

    Examples
    --------
    >>> covs = [Coverage("eq-a", "ch", "checked"), Coverage("eq-b", "ch", "uncovered")]
    >>> coverage_problems(covs)
    ['ch: eq-b is not covered (no counted check backs it, and it is neither a definition nor waived)']
    """
    covs = list(covs)
    problems = [
        f"{c.page}: {c.label} is not covered (no counted check backs it, and it is neither a definition nor waived)"
        for c in covs
        if c.status == "uncovered"
    ]
    waived = sum(c.status == "waived" for c in covs)
    if covs and waived > max_waived * len(covs):
        problems.append(f"{waived} of {len(covs)} labelled displays are waived, more than {max_waived:.0%}")
    return problems


class CheckRecordMime:
    """myst-nb renders a check record's MIME bundle through this plugin (entry point group
    ``myst_nb.mime_renderers``): into a container that keeps the record, holding its text.

    The container (class ``check-record``, attribute ``check_record``: the record's JSON) is what
    ``_ext/verification.py`` finds in the doctree and renders, with its anchor and links. Its
    text is the record's own, so a build without that extension still shows the check.
    """

    mime_priority_overrides = [("*", MIME, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type != MIME:
            return None
        from docutils import nodes

        content = data.content if isinstance(data.content, Mapping) else json.loads(data.content)
        record = CheckRecord.from_json(content)
        text = record.text()
        block = nodes.literal_block(text, text, classes=["output", "text_plain", "check-text"], language="none")
        return [nodes.container("", block, classes=["check-record"], check_record=json.dumps(record.to_json()))]
