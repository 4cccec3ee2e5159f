"""The chapter notebooks are stored executed, top to bottom, without errors.

nbval (``pytest --nbval --nbval-current-env chapters/``) compares stored outputs with a fresh
run, but it silently passes a cell that has no stored output; these checks close that gap.
They also keep ``_toc.yml`` and ``chapters/`` in step.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from booktest import ROOT, toc_docnames

CHAPTERS = ROOT / "chapters"
NOTEBOOKS = sorted(p for p in CHAPTERS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
NB_IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]


def _code_cells(path: Path):
    nb = nbformat.read(path, as_version=4)
    return nb, [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def test_there_are_chapter_notebooks():
    assert NOTEBOOKS, "no notebooks in chapters/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_notebook_is_valid_and_uses_python3_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    assert kernel == "python3", f"kernelspec is {kernel!r}; the book executes with 'python3'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_execution_counts_are_1_to_n_top_to_bottom(path):
    _, cells = _code_cells(path)
    problems = []
    for expected, (index, cell) in enumerate(cells, start=1):
        if not cell.source.strip():
            problems.append(f"cell {index} is an empty code cell (delete it)")
        elif cell.execution_count != expected:
            problems.append(f"cell {index}: execution_count {cell.execution_count}, expected {expected}")
    assert not problems, (
        f"{path.name} is not stored executed top to bottom in one fresh kernel "
        "(rerun it with `make execute`):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_no_error_or_warning_outputs(path):
    _, cells = _code_cells(path)
    problems = []
    for index, cell in cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {index}: error output {out.get('ename')}: {out.get('evalue')}")
            elif out.output_type == "stream" and out.get("name") == "stderr":
                text = "".join(out.get("text", ""))
                if "Traceback" in text or "Warning" in text:
                    problems.append(f"cell {index}: stderr holds a traceback/warning: {text[:200]!r}")
            elif out.output_type == "execute_result" and out.get("execution_count") not in (
                None,
                cell.execution_count,
            ):
                problems.append(f"cell {index}: result count differs from the cell's count")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_toc_and_chapters_agree():
    listed = set(toc_docnames())
    on_disk = {str(p.relative_to(ROOT).with_suffix("")) for p in NOTEBOOKS}
    unlisted = sorted(on_disk - listed)
    assert not unlisted, f"notebooks in chapters/ missing from _toc.yml: {unlisted}"
    dangling = sorted(d for d in listed if not any((ROOT / f"{d}{suffix}").is_file() for suffix in (".ipynb", ".md")))
    assert not dangling, f"_toc.yml entries with no .ipynb/.md file: {dangling}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NB_IDS)
def test_no_execution_timing_metadata_and_stable_cell_ids(path):
    """Diffs show only what changed: no timestamps per cell, and every cell keeps an id."""
    nb = nbformat.read(path, as_version=4)
    timed = [i for i, c in enumerate(nb.cells) if "execution" in c.metadata]
    assert not timed, (
        f"{path.name}: cells {timed} store execution timing metadata; re-execute with "
        "`make execute` (record_timing=False)"
    )
    ids = [c.get("id") for c in nb.cells]
    assert all(ids), f"{path.name}: a cell has no id"
    assert len(set(ids)) == len(ids), f"{path.name}: duplicate cell ids"
