#!/usr/bin/env python3
"""Re-execute chapter notebooks in place, top to bottom, in a fresh `python3` kernel.

Usage (from the repository root, inside the project's venv, e.g. via `make execute`):

    python scripts/execute_notebooks.py                       # every notebook in chapters/
    python scripts/execute_notebooks.py chapters/01_motivation.ipynb ...

Each notebook runs with its own folder as the working directory (as in the book build and
under nbval) and a 600 s timeout per cell. A cell error stops that notebook, which is then
left unchanged on disk, and the script exits non-zero after trying the rest.

The stored notebook changes only where the book changed: cell ids are kept (nbformat reads and
writes them as they are), and no per-cell execution timing is recorded (``record_timing=False``;
timing left by other tools is removed), so a re-run that prints the same text gives the same
file apart from the figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 600
KERNEL = "python3"


def chapter_notebooks() -> list[Path]:
    return sorted(p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(path.parent)}},
        allow_errors=False,
        record_timing=False,
    )
    client.execute()
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    nbformat.validate(nb)
    nbformat.write(nb, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: all of chapters/")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or chapter_notebooks()
    failed = []
    for path in paths:
        start = time.monotonic()
        print(f"executing {path.relative_to(ROOT)} ...", flush=True)
        try:
            execute(path)
        except CellExecutionError as err:
            failed.append(path)
            print(f"  FAILED (notebook left unchanged):\n{err}", file=sys.stderr, flush=True)
        else:
            print(f"  done in {time.monotonic() - start:.1f} s", flush=True)
    if failed:
        print(f"{len(failed)} notebook(s) failed: {[str(p) for p in failed]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
