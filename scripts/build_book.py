#!/usr/bin/env python3
"""Build the book: the one entry point that `make book` and the tests both use.

Builds the English edition into _build/html and the Chinese edition into _build/html/zh side by
side (one process each, so one core each), strictly (``-W -n --keep-going``: a warning fails the
build), then writes the readers' source archive and prints each edition as one PDF
(scripts/build_pdf.py, again side by side), so that everything the pages link to is there. The
two builds' output goes to _build/build.log, which the build test reads for warnings.

    python scripts/build_book.py          # incremental: only pages whose source changed, PDFs
                                          # printed again only when out of date
    python scripts/build_book.py --all    # every page, into a clean _build/html (the tests' build)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD_DIR = ROOT / "_build"
HTML_DIR = BUILD_DIR / "html"
ZH_HTML_DIR = HTML_DIR / "zh"
BUILD_LOG = BUILD_DIR / "build.log"
STRICT = ["-W", "-n", "--keep-going"]


def toc_docnames() -> list[str]:
    """Every document in ``_toc.yml`` (root first), as paths without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(str(Path(entry["file"]).with_suffix("")))
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    walk(toc.get("sections"))
    return names


def edition_commands(all_pages: bool) -> dict[str, list[str]]:
    """The command that builds each edition (``--all``: every page, not only changed ones)."""
    bin_dir = Path(sys.executable).parent
    jupyter_book = shutil.which("jupyter-book", path=str(bin_dir)) or "jupyter-book"
    every = ["--all"] if all_pages else []
    return {
        "en": [jupyter_book, "build", *STRICT, *every, "."],
        "zh": [sys.executable, str(ROOT / "scripts" / "build_zh.py"), *every],
    }


def build_editions(all_pages: bool) -> int:
    """Build both editions side by side; their output goes to ``BUILD_LOG``. Returns 0 or 1."""
    if all_pages:
        shutil.rmtree(HTML_DIR, ignore_errors=True)  # no stale pages or static files
    BUILD_DIR.mkdir(exist_ok=True)
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    procs = {}
    for edition, cmd in edition_commands(all_pages).items():
        log = BUILD_DIR / f"build-{edition}.part"
        with open(log, "w", encoding="utf-8") as out:
            procs[edition] = (subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT), log)
    failed = [edition for edition, (proc, _) in procs.items() if proc.wait(timeout=3600) != 0]
    output = "".join(log.read_text(encoding="utf-8") for _, log in procs.values())
    for _, log in procs.values():
        log.unlink()
    BUILD_LOG.write_text(output, encoding="utf-8")
    if failed:
        sys.stdout.write(output[-6000:])
        print(f"build_book: the {' and '.join(failed)} edition(s) failed; the whole log is {BUILD_LOG}")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="rebuild every page into a clean _build/html")
    args = parser.parse_args(argv)
    start = time.monotonic()
    if build_editions(args.all):
        return 1
    sys.path.insert(0, str(ROOT / "scripts"))
    import build_pdf
    import build_source_archive

    build_source_archive.main()
    print(f"build_book: both editions built in {time.monotonic() - start:.0f} s")
    if build_pdf.main([]):
        return 1
    print(f"build_book: the book, its PDFs and its source archive in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
