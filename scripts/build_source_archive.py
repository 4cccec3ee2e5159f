#!/usr/bin/env python3
"""A source archive of the book that a reader can run: chapters, `reparam`, a reader's requirements.

The download button of a page gives its notebook, which imports `reparam`; this archive holds
everything needed to run it and read it: the chapter notebooks, the `reparam` package and the
chapters' support package `reparam_book` with their `pyproject.toml`, the bibliography, the
script that re-executes a chapter, a RUNNING.md, and a `requirements.txt` for readers.

The reader's requirements are generated from the book's `requirements.txt`: the same exact
versions, but only the packages that ``reparam[reader]`` needs (`pyproject.toml`: NumPy, SciPy,
SymPy, matplotlib, a kernel, and JupyterLab with jupyterlab-myst, which renders the chapters'
MyST markdown), found by following the installed packages' own dependencies. None of the
book's build and test stack (Sphinx, jupyter-book, Playwright, pytest, ruff, ...) is in it.

It is written to `_build/html/reparameterization-trick-executed-source.zip`, where the intro and
every page's footer link to it. `make book` builds it; tests/book/test_source_archive.py unpacks
it into a new folder, follows RUNNING.md with its own venv and executes a chapter.

Usage (from the repository root, in the project's venv): python scripts/build_source_archive.py
"""

from __future__ import annotations

import re
import sys
import zipfile
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT / "_build" / "html" / "reparameterization-trick-executed-source.zip"
TOP = "reparameterization-trick-executed"
# What a reader installs: pyproject.toml's extra of that name, and everything it needs.
READER = ("reparam", "reader")
# The chapter RUNNING.md runs as its example (about a minute; tests/book/test_source_archive.py
# runs the same one).
EXAMPLE_CHAPTER = "chapters/06_gumbel_top_k.ipynb"
# The size of the reader's venv on Linux (437 MB on 2026-12-06; BOOK_ARCHIVE_SIZE=1 makes
# tests/book/test_source_archive.py print it).
READER_DISK = "450 MB"

RUNNING = """# Running the book's chapters

This folder holds the chapters of *The Reparameterization Trick, Executed* as Jupyter notebooks,
stored with their outputs; the `reparam` package they import (and `reparam_book`, the chapters'
support: figure style, SymPy derivations); and `requirements.txt`, the exact versions of what the
chapters need and of JupyterLab to read them in: NumPy, SciPy, SymPy, matplotlib, a Jupyter
kernel, JupyterLab and jupyterlab-myst ({count} packages). You need Python 3.11 or newer and
about {disk} of disk.

## 1. Install, once

```bash
python3 -m venv .venv
.venv/bin/python -m pip install -r requirements.txt
mkdir -p .venv/etc/ipython
echo 'c.IPKernelApp.log_level = "ERROR"' > .venv/etc/ipython/ipython_kernel_config.py
```

The second line installs the pinned packages and `reparam` itself (`-e .`: changes you make to
`reparam/` take effect at once). The last two lines keep the Jupyter kernel quiet: without them
it prints, every time it starts, a warning that it talks to Jupyter over TCP without encryption.
It only listens on this computer (localhost), as every local Jupyter kernel does; the file makes
it log errors only. (On Windows, write `.venv\\Scripts\\python` for `.venv/bin/python`, and
create the file `.venv\\etc\\ipython\\ipython_kernel_config.py` with that one line in an editor.)

## 2. Run a chapter

```bash
.venv/bin/python scripts/execute_notebooks.py {example}
```

This re-runs the chapter top to bottom in a fresh kernel, about a minute, and writes the new
outputs into the notebook; the printed text comes out the same as in the book. Every check
prints a line starting with `✔`; a check that fails stops the chapter with `FAILED`, and the
notebook is left as it was. `python scripts/execute_notebooks.py` alone runs every chapter.

## 3. Open it in JupyterLab

```bash
.venv/bin/jupyter lab {example}
```

JupyterLab opens in your browser with the chapter and the outputs of your run: read it, change
a cell and run it again (Shift+Enter), or run them all (Run > Run All Cells). jupyterlab-myst
renders the chapters' MyST markdown: the mathematics, the note and warning boxes, the
definitions, theorems and proofs, the exercises and their solutions (folded, as in the book), and
the references to equations, theorems and exercises of the same chapter, numbered within the
notebook ((2), Theorem 1, Exercise 3) rather than as in the book ((3.2), Theorem 3.1, Exercise 3.3).

Some of the book's markup shows as plain text in JupyterLab, because it needs the whole book:

- citations show their key, for example `su2019reparam` (the works are in `references.bib`);
- references to figures and tables show their label, for example `fig-gm-frequencies`: the
  book takes the figures' captions and numbers from the cells' metadata;
- links to other chapters show the chapter's file name, for example `03_gumbel_max`;
- wording that differs between the book's web pages and its PDF (the roles `{{web}}` and
  `{{print}}`) shows both versions, one after the other.

JupyterLab also shows every code cell, including those that the book folds away (the code that
draws the figures and a few helpers).
"""


def _pins() -> dict[str, str]:
    """requirements.txt's exact pins, by normalised name (the line as written)."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "-")):
            pins[_normal(line.split("==")[0])] = line
    return pins


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def reader_requirements() -> list[str]:
    """The pins of requirements.txt that ``reparam[reader]`` needs, in that file's order, then ``-e .``.

    Follows the installed packages' declared dependencies (with their extras and environment
    markers, evaluated for this machine) from the ``reader`` extra of ``reparam``; every package
    found must be pinned in requirements.txt.
    """
    from packaging.requirements import Requirement

    needed: dict[str, set[str]] = {}
    todo = [(READER[0], {READER[1]})]
    while todo:
        name, extras = todo.pop()
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError as err:
            raise SystemExit(f"build_source_archive: {name} is not installed (run make setup)") from err
        for text in requires:
            req = Requirement(text)
            if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in extras | {""}):
                continue
            key = _normal(req.name)
            if key == _normal(READER[0]):  # reparam[book] inside reparam[reader]
                if not set(req.extras) <= extras:
                    todo.append((req.name, extras | set(req.extras)))
                continue
            if key not in needed or not set(req.extras) <= needed[key]:
                needed[key] = needed.get(key, set()) | set(req.extras)
                todo.append((req.name, needed[key]))
    pins = _pins()
    missing = sorted(set(needed) - set(pins))
    if missing:
        raise SystemExit(f"build_source_archive: not pinned in requirements.txt: {', '.join(missing)}")
    return [line for key, line in pins.items() if key in needed] + ["-e ."]


def reader_requirements_text() -> str:
    lines = reader_requirements()
    head = (
        "# What a reader needs to run the chapters and read them in JupyterLab: the book's exact pins\n"
        "# (its own requirements.txt) for the packages that `reparam[reader]` needs, and reparam itself.\n"
        f"# {len(lines) - 1} packages; written by scripts/build_source_archive.py, see RUNNING.md.\n"
    )
    return head + "\n".join(lines) + "\n"


def members() -> list[Path]:
    files = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted((ROOT / "chapters").glob("*.md"))
    for package in ("reparam", "reparam_book"):
        files += sorted(p for p in (ROOT / package).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += [ROOT / "pyproject.toml", ROOT / "references.bib"]
    files += [ROOT / "scripts" / "execute_notebooks.py"]
    return [p for p in files if p.is_file()]


def main() -> int:
    ARCHIVE.parent.mkdir(parents=True, exist_ok=True)
    generated = {
        "requirements.txt": reader_requirements_text(),
        "RUNNING.md": RUNNING.format(example=EXAMPLE_CHAPTER, count=len(reader_requirements()) - 1, disk=READER_DISK),
    }
    with zipfile.ZipFile(ARCHIVE, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in members():
            info = zipfile.ZipInfo(f"{TOP}/{path.relative_to(ROOT)}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
        for name, text in generated.items():
            info = zipfile.ZipInfo(f"{TOP}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)
    count = generated["requirements.txt"].count("==")
    print(
        f"source archive: {ARCHIVE.relative_to(ROOT)} ({ARCHIVE.stat().st_size / 1e6:.1f} MB; "
        f"the reader's requirements pin {count} packages)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
