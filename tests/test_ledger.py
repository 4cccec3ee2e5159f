"""The verification ledger: every chapter records checks, all pass, and the appendix is current.

The chapters' stored outputs are compared with fresh executions by strict nbval, so the check
lines read from them here are the lines the code prints today.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reparam.checks import parse_check_line
from reparam.ledger import collect, summary_markdown, table_markdown

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
LEDGER = ROOT / "chapters" / "ledger.ipynb"


def _markdown_outputs(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/markdown")
            if text is not None:
                found.append("".join(text) if isinstance(text, list) else text)
    return found


def test_there_are_chapters():
    assert len(CHAPTERS) >= 4, CHAPTERS


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_records_checks_and_all_pass(path):
    entries = collect([path])
    assert entries, f"{path.name} records no check"
    failed = [e.check.line() for e in entries if not e.check.passed]
    assert not failed, failed


def test_check_names_are_unique_within_a_chapter():
    for path in CHAPTERS:
        names = [e.check.name for e in collect([path])]
        dupes = sorted({n for n in names if names.count(n) > 1})
        assert not dupes, f"{path.name}: repeated check names {dupes}"


def test_ledger_page_is_up_to_date():
    entries = collect(CHAPTERS)
    stored = _markdown_outputs(LEDGER)
    assert summary_markdown(entries, CHAPTERS) in stored, "ledger summary is stale: re-execute chapters/ledger.ipynb"
    assert table_markdown(entries) in stored, "ledger table is stale: re-execute chapters/ledger.ipynb"


def test_failing_check_is_detected():
    """The parser sees a failed check as failed (so the tests above can fail)."""
    line = "✘ sampling · demo · estimate 1 ± 0.01 · exact 1.2 · |z| = 20.00 > 5"
    check = parse_check_line(line)
    assert check is not None and not check.passed
