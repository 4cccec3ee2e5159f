#!/usr/bin/env python3
"""A source archive of the book that a reader can run: chapters, `reparam`, pinned requirements.

The download button of a page gives its notebook, which imports `reparam`; this archive holds
everything needed to run it: the chapter notebooks, the `reparam` package and the chapters' support package `reparam_book` with their
`pyproject.toml`, `requirements.txt` (exact pins) and a short RUNNING.md. It is written to
`_build/html/reparameterization-trick-executed-source.zip`, where the intro and every page's
footer link to it. `make book` builds it; tests/book/test_source_archive.py unpacks it into a new
folder, makes a venv there and executes a chapter.

Usage (from the repository root): python scripts/build_source_archive.py
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT / "_build" / "html" / "reparameterization-trick-executed-source.zip"
TOP = "reparameterization-trick-executed"

RUNNING = """# Running the book's chapters

This folder holds the chapters of *The Reparameterization Trick, Executed* as Jupyter notebooks,
the `reparam` package they import, and the exact versions of everything they need.

With Python 3.11 or newer:

```bash
python3 -m venv .venv
.venv/bin/python -m pip install -r requirements.txt    # the pins, and reparam itself (-e .)
.venv/bin/python scripts/execute_notebooks.py chapters/01_motivation.ipynb
```

The last command re-runs a chapter top to bottom in a fresh kernel and stores its outputs in
the notebook; every check prints a line (`✔ ...`) and stops the chapter if it fails. To work in
the notebooks interactively, add JupyterLab (`.venv/bin/python -m pip install jupyterlab`, not
pinned here) and open `chapters/`. The chapters use MyST markdown: the book's directives (proof
boxes, figure references) show as plain text in Jupyter, the mathematics renders.
"""


def members() -> list[Path]:
    files = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted((ROOT / "chapters").glob("*.md"))
    for package in ("reparam", "reparam_book"):
        files += sorted(p for p in (ROOT / package).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += [ROOT / "pyproject.toml", ROOT / "requirements.txt", ROOT / "references.bib"]
    files += [ROOT / "scripts" / "execute_notebooks.py"]
    return [p for p in files if p.is_file()]


def main() -> int:
    ARCHIVE.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(ARCHIVE, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in members():
            info = zipfile.ZipInfo(f"{TOP}/{path.relative_to(ROOT)}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
        info = zipfile.ZipInfo(f"{TOP}/RUNNING.md", date_time=(2026, 1, 1, 0, 0, 0))
        zf.writestr(info, RUNNING)
    print(f"source archive: {ARCHIVE.relative_to(ROOT)} ({ARCHIVE.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
