"""The verification ledger: every check the book's notebooks executed, in one table.

The chapters print one line per check (:mod:`reparam.checks`); their stored outputs are
compared with a fresh execution by strict nbval, so reading them back is trustworthy. The
appendix page and the test suite both build the ledger with these functions.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .checks import KINDS, Check, notebook_checks

__all__ = ["Entry", "chapter_title", "collect", "summary_markdown", "table_markdown"]


@dataclass(frozen=True)
class Entry:
    """One check of the ledger, with the chapter that executed it."""

    chapter: str
    page: str
    check: Check


def chapter_title(path: str | Path) -> str:
    """The first ``# `` heading of a notebook's markdown cells (its page title)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        for line in src.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return Path(path).stem


def collect(paths: list[str | Path]) -> list[Entry]:
    """All checks of the given notebooks, in the order given."""
    return [Entry(chapter_title(p), Path(p).stem, c) for p in paths for c in notebook_checks(p)]


_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|$~])")


def _md(text: str) -> str:
    """Escape text for a Markdown table cell (no emphasis, no math, no column breaks)."""
    return _SPECIAL.sub(r"\\\1", text)


def summary_markdown(entries: list[Entry], pages: list[str | Path]) -> str:
    """Per-chapter counts by kind, with totals; chapters that recorded no check show 0."""
    kinds = list(KINDS)
    header = "| Chapter | " + " | ".join(kinds) + " | all | passed |"
    lines = [header, "|" + "---|" * (len(kinds) + 3)]
    totals: Counter[str] = Counter()
    for p in pages:
        stem = Path(p).stem
        mine = [e for e in entries if e.page == stem]
        counts = Counter(e.check.kind for e in mine)
        totals.update(counts)
        passed = sum(e.check.passed for e in mine)
        title = chapter_title(p)
        lines.append(
            f"| {_md(title)} | " + " | ".join(str(counts[k]) for k in kinds) + f" | {len(mine)} | {passed} |"
        )
    n_pass = sum(e.check.passed for e in entries)
    lines.append(
        "| **Total** | " + " | ".join(f"**{totals[k]}**" for k in kinds) + f" | **{len(entries)}** | **{n_pass}** |"
    )
    return "\n".join(lines)


def table_markdown(entries: list[Entry]) -> str:
    """Every check, one table per chapter: name, kind, result, reference value, criterion, pass."""
    blocks: list[str] = []
    number = 0
    for page in dict.fromkeys(e.page for e in entries):
        mine = [e for e in entries if e.page == page]
        lines = [
            f"**{_md(mine[0].chapter)}** ({len(mine)} checks)",
            "",
            "| # | Check | Kind | Result | Reference | Criterion | Pass |",
            "|---|---|---|---|---|---|---|",
        ]
        for e in mine:
            number += 1
            c = e.check
            lines.append(
                f"| {number} | {_md(c.name)} | {c.kind} | {_md(c.estimate)} | {_md(c.exact)} "
                f"| {_md(c.criterion)} | {'✔' if c.passed else '✘'} |"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
