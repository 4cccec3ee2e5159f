#!/usr/bin/env python3
"""How much code a reader meets: non-blank lines of the visible code cells of each chapter.

A code cell is hidden when it carries a `hide-input`, `hide-cell` or `remove-input` tag (its
code is one click away, or not shown). The book's targets (AUTHORING.md): visible code cells
have a median of at most 10 lines and none has more than 40; every printed line is at most
about 160 characters.

Usage (from the repository root, in the project's venv):

    python scripts/cell_stats.py                      # every chapter
    python scripts/cell_stats.py chapters/05_estimator_lab.ipynb
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HIDDEN = {"hide-input", "hide-cell", "remove-input", "remove-cell"}
MAX_LINES, MAX_MEDIAN, MAX_WIDTH = 40, 10, 160


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def stats(path: Path) -> dict:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    visible, hidden, long_lines = [], 0, []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        if HIDDEN & set(cell.get("metadata", {}).get("tags", [])):
            hidden += 1
        else:
            n = sum(1 for line in _text(cell["source"]).splitlines() if line.strip())
            visible.append((n, cell.get("id", str(i))))
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                long_lines += [line for line in _text(out.get("text", "")).splitlines() if len(line) > MAX_WIDTH]
    sizes = [n for n, _ in visible]
    return {
        "visible": len(visible),
        "hidden": hidden,
        "median": statistics.median(sizes) if sizes else 0,
        "over": [(cid, n) for n, cid in visible if n > MAX_LINES],
        "long_lines": long_lines,
        "sizes": sizes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
    all_sizes, bad = [], False
    for p in paths:
        s = stats(p)
        all_sizes += s["sizes"]
        print(
            f"{p.name}: {s['visible']} visible code cells (median {s['median']} lines), {s['hidden']} hidden; "
            f"over {MAX_LINES} lines: {s['over'] or 'none'}; printed lines over {MAX_WIDTH} chars: {len(s['long_lines'])}"
        )
        bad |= bool(s["over"] or s["long_lines"])
    median = statistics.median(all_sizes) if all_sizes else 0
    print(f"all: {len(all_sizes)} visible code cells, median {median} lines (target <= {MAX_MEDIAN})")
    return 1 if bad or median > MAX_MEDIAN else 0


if __name__ == "__main__":
    sys.exit(main())
