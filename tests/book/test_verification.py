"""The book's checks, read from the records in the chapters' stored outputs (never from printed
text), and the coverage of every labelled display equation.

The stored outputs are trusted because strict nbval compares them, records included, with a
fresh run. What this adds: every check passed; every counted check's wrong answers say where
they come from; names are unique (they are the anchors); every chapter verifies something; and
every labelled display is covered (checked, a definition, or waived; at most 10 % waived), the
rule the ledger reports and that a synthetic chapter below shows failing.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from booktest import ROOT, toc_docnames

from reparam.testing.checks import MAX_LINE, MIME, ORIGINS, CheckRecord, RuleOut
from reparam_book.check_records import (
    coverage,
    coverage_problems,
    equation_statuses,
    labelled_displays,
    notebook_records,
)

PAGES = [ROOT / f"{d}{'.ipynb' if (ROOT / f'{d}.ipynb').exists() else '.md'}" for d in toc_docnames()]
CHAPTERS = [p for p in PAGES if p.suffix == ".ipynb" and p.name[:2].isdigit()]


def _book_coverage(pages):
    displays = {p.stem: labelled_displays(p) for p in pages}
    records = {p.stem: notebook_records(p) for p in pages if p.suffix == ".ipynb"}
    declared = {label: status for p in pages for label, status in equation_statuses(p).items()}
    return coverage(displays, records, declared)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_check_passed_and_counts_or_says_why_not(path):
    records = notebook_records(path)
    assert records, f"{path.stem} records no check"
    assert any(r.counted for r in records), f"{path.stem} verifies nothing (no counted check)"
    for r in records:
        assert r.passed, f"{r.name}: failed"
        assert all(rule.rejected for rule in r.rules_out), f"{r.name}: a wrong answer is not rejected"
        if r.rules_out:
            missing = [rule.label for rule in r.rules_out if rule.origin not in ORIGINS]
            assert not missing, f"{r.name}: wrong answers without an origin: {missing}"
            assert all(rule.source for rule in r.rules_out), f"{r.name}: say where each wrong answer comes from"
        else:
            assert r.note, f"{r.name}: names no wrong answer and gives no reason for not being counted"


def test_check_names_are_unique_in_the_book():
    names = Counter(r.name for p in CHAPTERS for r in notebook_records(p))
    assert not [n for n, c in names.items() if c > 1], [n for n, c in names.items() if c > 1]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_check_lines_fit_and_name_no_internal_label(path):
    for r in notebook_records(path):
        for line in r.lines():
            assert len(line) <= MAX_LINE, f"{len(line)} characters: {line}"
        assert "eq-" not in r.name, f"an internal label in a check's name: {r.name}"
        assert "|z|" not in r.text(), f"{r.name}: z is the book's random variable, not a z-score"


def test_records_are_json_in_the_outputs_not_text_to_parse():
    """Each record sits in a display_data output, as a JSON object under its own MIME type."""
    nb = json.loads(CHAPTERS[0].read_text(encoding="utf-8"))
    bundles = [o["data"] for c in nb["cells"] for o in c.get("outputs", []) if MIME in o.get("data", {})]
    assert bundles and all(isinstance(b[MIME], dict) and "text/plain" in b for b in bundles)


def test_every_labelled_display_is_covered():
    covs = _book_coverage(PAGES)
    assert len(covs) >= 59, f"only {len(covs)} labelled displays found"
    assert coverage_problems(covs) == []


def _synthetic_chapter(tmp_path: Path, backed: bool) -> Path:
    """A chapter with two labelled displays, one declared a definition, and one check."""
    rule = RuleOut("zero", "wrong value 0", "rejected", True, "≈ 1", "derivation", "a derivation step")
    record = CheckRecord(
        "sampling", "m", "estimate 1", "exact 1", "pass", True, ("eq-b",) if backed else (), ("eq-a",), (rule,)
    )
    markdown = "# A chapter\n\n$$ a = 1 $$ (eq-a)\n\n```{equation-status} eq-a definition\n```\n\n$$ b = a $$ (eq-b)\n"
    cells = [
        {"cell_type": "markdown", "source": markdown},
        {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": {MIME: record.to_json()}}]},
    ]
    path = tmp_path / "01_synthetic.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    return path


def test_an_uncovered_display_fails_the_coverage_rule(tmp_path):
    covered = _book_coverage([_synthetic_chapter(tmp_path, backed=True)])
    assert [(c.label, c.status) for c in covered] == [("eq-a", "definition"), ("eq-b", "checked")]
    assert coverage_problems(covered) == []
    uncovered = _book_coverage([_synthetic_chapter(tmp_path, backed=False)])
    assert [(c.label, c.status) for c in uncovered] == [("eq-a", "definition"), ("eq-b", "uncovered")]
    assert coverage_problems(uncovered) == [
        "01_synthetic: eq-b is not covered (no counted check backs it, and it is neither a definition nor waived)"
    ]


def test_too_many_waivers_fail_the_coverage_rule():
    from reparam_book.check_records import Coverage

    covs = [Coverage(f"eq-{i}", "ch", "waived" if i < 2 else "checked") for i in range(10)]
    assert coverage_problems(covs) == ["2 of 10 labelled displays are waived, more than 10%"]
    covs[0] = Coverage("eq-0", "ch", "checked")
    assert coverage_problems(covs) == []  # 1 of 10
