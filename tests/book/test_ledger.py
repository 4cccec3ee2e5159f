"""The verification ledger: every chapter records checks, all pass, and the appendix is current.

The chapters' stored outputs are compared with fresh executions by strict nbval, so the check
lines read from them here are the lines the code prints today.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reparam.testing.checks import parse_check_line
from reparam_book.ledger import chapter_title, check_anchor, collect, summary_markdown, table_markdown, unjustified

ROOT = Path(__file__).resolve().parents[2]
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
    for path in CHAPTERS:
        assert table_markdown(entries, path.stem) in stored, (
            f"{path.stem}: ledger table is stale: re-execute the ledger"
        )


def test_ledger_has_a_heading_per_chapter_in_order():
    """Real headings (markdown cells), one per chapter, so the page's contents list each chapter."""
    nb = json.loads(LEDGER.read_text(encoding="utf-8"))
    headings = [
        line[4:].strip()
        for cell in nb["cells"]
        if cell["cell_type"] == "markdown"
        for line in "".join(cell["source"]).splitlines()
        if line.startswith("### ")
    ]
    assert headings == [chapter_title(p) for p in CHAPTERS]


def test_check_anchors_match_the_page_script():
    """The ledger links to check-<slug> anchors that _static/check-anchors.js creates."""
    js = (ROOT / "_static" / "check-anchors.js").read_text(encoding="utf-8")
    assert 'replace(/[^a-z0-9]+/g, "-")' in js and '"check-"' in js
    assert check_anchor("P(A_j | eps_1 = 0.3), j = 2..5") == "check-p-a-j-eps-1-0-3-j-2-5"
    names = [e.check.name for e in collect(CHAPTERS)]
    anchors = [check_anchor(n) for n in names]
    assert len(set(anchors)) == len(anchors), "two checks share an anchor: rename one"


def test_failing_check_is_detected():
    """The parser sees a failed check as failed (so the tests above can fail)."""
    line = "✘ sampling · demo · estimate 1 ± 0.01 · exact 1.2 · |z| = 20.00 > 5"
    check = parse_check_line(line)
    assert check is not None and not check.passed


def test_every_check_rules_out_a_wrong_answer_or_says_why_not():
    """A counted check records its rejected alternatives; any other check carries a reason."""
    entries = collect(CHAPTERS)
    missing = [f"{e.page}: {e.check.name}" for e in unjustified(entries)]
    assert not missing, "checks that name no wrong alternative and no reason:\n" + "\n".join(missing)
    for e in entries:
        if e.check.rules_out:
            assert e.check.counted, f"{e.page}: {e.check.name}: a wrong alternative was not rejected"
    counted = [e for e in entries if e.check.counted]
    assert len(counted) >= 0.9 * len(entries), "most checks must be verifications, not corroborations"


def test_a_check_without_an_alternative_is_detected(tmp_path):
    """The test above can fail: a check line with no rule-out and no note is reported."""
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "source": "",
                "metadata": {},
                "outputs": [
                    {
                        "output_type": "stream",
                        "name": "stdout",
                        "text": "✔ symbolic · bare · residual 0 · exact 0 · simplifies to 0\n"
                        "✔ symbolic · ruled · residual 0 · exact 0 · simplifies to 0\n"
                        "  ↳ ✔ rules out · sign · residual 2 · |residual| = 2 everywhere: rejected\n"
                        "✔ sampling · corroboration · estimate 1 ± 0.1 · exact 1 · |z| = 0.00 ≤ 5\n"
                        "  ↳ not counted · corroborates the symbolic result\n",
                    }
                ],
            }
        ]
    }
    path = tmp_path / "99_demo.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    entries = collect([path])
    assert [e.check.name for e in unjustified(entries)] == ["bare"]
    assert [e.check.counted for e in entries] == [False, True, False]
