"""The verification ledger: every check the book's notebooks executed, in one table.

The chapters print one line per check, then one line per wrong alternative it rules out
(:mod:`reparam.testing.checks`); their stored outputs are compared with a fresh execution by strict
nbval, so reading them back is trustworthy. The appendix page and the test suite both build
the ledger with these functions. A check counts as a verification only when it passed and
rejected every wrong alternative it names; checks that name none (corroborations) are listed
apart, with the reason they give.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from reparam.testing.checks import KINDS, Check, parse_check_output

__all__ = [
    "Entry",
    "check_anchor",
    "chapter_title",
    "collect",
    "notebook_checks",
    "unjustified",
    "summary_markdown",
    "table_markdown",
    "uncounted_markdown",
]


@dataclass(frozen=True)
class Entry:
    """One check of the ledger, with the chapter that executed it."""

    chapter: str
    page: str
    check: Check


def _cells(path: str | Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def notebook_checks(path: str | Path) -> list[Check]:
    """Every check printed in a notebook's stored outputs (stdout of code cells), in order."""
    found: list[Check] = []
    for cell in _cells(path):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                found.extend(parse_check_output(_text(out.get("text", ""))))
    return found


def chapter_title(path: str | Path) -> str:
    """The first ``# `` heading of a notebook's markdown cells (its page title)."""
    for cell in _cells(path):
        if cell.get("cell_type") != "markdown":
            continue
        for line in _text(cell.get("source", "")).splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return Path(path).stem


def collect(paths: list[str | Path]) -> list[Entry]:
    """All checks of the given notebooks, in the order given."""
    return [Entry(chapter_title(p), Path(p).stem, c) for p in paths for c in notebook_checks(p)]


def unjustified(entries: list[Entry]) -> list[Entry]:
    """Checks that neither rule out a wrong alternative nor say why they are not counted."""
    return [e for e in entries if not e.check.rules_out and not e.check.note]


_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|$~])")


def _md(text: str) -> str:
    """Escape text for a Markdown table cell (no emphasis, no math, no column breaks)."""
    return _SPECIAL.sub(r"\\\1", text)


def summary_markdown(entries: list[Entry], pages: list[str | Path]) -> str:
    """Per-chapter counts of verifications by kind, the uncounted checks, and totals."""
    kinds = [k for k in KINDS if any(e.check.kind == k for e in entries)]
    header = "| Chapter | " + " | ".join(kinds) + " | verifications | not counted | failed |"
    lines = [header, "|" + "---|" * (len(kinds) + 4)]
    totals: Counter[str] = Counter()
    all_counted = all_other = all_failed = 0
    for p in pages:
        stem = Path(p).stem
        mine = [e for e in entries if e.page == stem]
        counted = [e for e in mine if e.check.counted]
        failed = sum(not e.check.passed for e in mine)
        counts = Counter(e.check.kind for e in counted)
        totals.update(counts)
        all_counted += len(counted)
        all_other += len(mine) - len(counted) - failed
        all_failed += failed
        lines.append(
            f"| {_md(chapter_title(p))} | "
            + " | ".join(str(counts[k]) for k in kinds)
            + f" | {len(counted)} | {len(mine) - len(counted) - failed} | {failed} |"
        )
    lines.append(
        "| **Total** | "
        + " | ".join(f"**{totals[k]}**" for k in kinds)
        + f" | **{all_counted}** | **{all_other}** | **{all_failed}** |"
    )
    return "\n".join(lines)


def check_anchor(name: str) -> str:
    """The HTML anchor of a check's line in its chapter (set by ``_static/check-anchors.js``).

    ``"check-"`` and the name in lower case, every run of characters other than ``a-z`` and
    ``0-9`` replaced by one ``-``, without ``-`` at the ends.

    Examples
    --------
    >>> check_anchor("P(A_j | eps_1 = 0.3), j = 2..5")
    'check-p-a-j-eps-1-0-3-j-2-5'
    """
    return "check-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _linked_name(entry: Entry) -> str:
    """The check's name as a link to its line in the chapter page (raw HTML: no MyST lookup)."""
    href = f"{entry.page}.html#{check_anchor(entry.check.name)}"
    return f'<a href="{href}">{html.escape(entry.check.name)}</a>'.replace("|", "&#124;")


def _rules_cell(check: Check) -> str:
    return "; ".join(f"{r.label} ({r.criterion})" for r in check.rules_out)


def table_markdown(entries: list[Entry], page: str | None = None) -> str:
    """Every verification of one chapter (``page``, a notebook stem) or of all, in a table.

    Each check's name links to its line in the chapter; the last column lists the wrong
    alternatives it rules out. With ``page=None`` every chapter gets its own table under a bold
    label (the ledger page puts a real heading before each chapter's table instead).
    """
    blocks: list[str] = []
    pages = [page] if page is not None else list(dict.fromkeys(e.page for e in entries))
    number = 0
    for pg in pages:
        mine = [e for e in entries if e.page == pg and e.check.counted]
        if not mine:
            continue
        lines = [] if page is not None else [f"**{_md(mine[0].chapter)}** ({len(mine)} verifications)", ""]
        lines += [
            "| # | Check | Kind | Result | Reference | Criterion | Rules out |",
            "|---|---|---|---|---|---|---|",
        ]
        for e in mine:
            number += 1
            c = e.check
            lines.append(
                f"| {number} | {_linked_name(e)} | {c.kind} | {_md(c.estimate)} | {_md(c.exact)} "
                f"| {_md(c.criterion)} | {_md(_rules_cell(c))} |"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def uncounted_markdown(entries: list[Entry]) -> str:
    """The checks that are not counted (corroborations), with the reason each gives."""
    rest = [e for e in entries if not e.check.counted]
    if not rest:
        return "None."
    lines = ["| Chapter | Check | Kind | Result | Why it is not counted |", "|---|---|---|---|---|"]
    for e in rest:
        c = e.check
        why = c.note or ("failed" if not c.passed else "names no wrong alternative")
        lines.append(f"| {_md(e.chapter)} | {_md(c.name)} | {c.kind} | {_md(c.estimate)} | {_md(why)} |")
    return "\n".join(lines)
