"""The source archive a reader downloads runs: unpacked in a new folder, RUNNING.md followed.

scripts/build_source_archive.py writes it into the HTML build (`make book`); this test makes it,
checks that its requirements are the reader's (a subset of the book's pins, JupyterLab and
jupyterlab-myst among them, no build or test tools), unpacks it into a temporary folder and runs
RUNNING.md's commands there, as a reader would, with two substitutions: the venv's packages are
installed by uv, from its cache (offline, as the book's own setup leaves it), and JupyterLab is
not started (a server that waits for a browser), but asked which extensions it has. The chapter
must run without a warning, import the archive's reparam, and JupyterLab must have
jupyterlab-myst.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.archive

ROOT = Path(__file__).resolve().parents[2]
TOP = "reparameterization-trick-executed"
# Never in a reader's requirements: the book's build and test stack.
BUILD_AND_TEST_TOOLS = ("sphinx", "jupyter-book", "myst-nb", "playwright", "pytest", "ruff", "hypothesis", "nbval")


def _name(pin: str) -> str:
    return re.sub(r"[-_.]+", "-", pin.split("==")[0]).lower()


def _pins(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith(("#", "-"))]


def _commands(running: str) -> list[str]:
    """The commands of RUNNING.md's bash blocks, in order."""
    blocks = re.findall(r"```bash\n(.*?)```", running, re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_source_archive_runs_a_chapter(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_source_archive.py")], check=True, cwd=ROOT)
    archive = ROOT / "_build" / "html" / "reparameterization-trick-executed-source.zip"
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        zf.extractall(tmp_path)
    top = tmp_path / TOP
    for needed in (
        "RUNNING.md",
        "requirements.txt",
        "pyproject.toml",
        "reparam/__init__.py",
        "scripts/execute_notebooks.py",
    ):
        assert f"{TOP}/{needed}" in names, needed

    # the reader's requirements: the book's exact pins, a subset, with JupyterLab and MyST
    book_pins = set(_pins((ROOT / "requirements.txt").read_text(encoding="utf-8")))
    reader_text = (top / "requirements.txt").read_text(encoding="utf-8")
    reader_pins = _pins(reader_text)
    assert reader_pins and set(reader_pins) <= book_pins, sorted(set(reader_pins) - book_pins)
    assert len(reader_pins) < len(book_pins)
    names_in = {_name(p) for p in reader_pins}
    assert {"jupyterlab", "jupyterlab-myst", "numpy", "scipy", "sympy", "matplotlib", "ipykernel"} <= names_in
    assert not names_in & set(BUILD_AND_TEST_TOOLS), sorted(names_in & set(BUILD_AND_TEST_TOOLS))
    assert reader_text.rstrip().endswith("-e .")

    running = (top / "RUNNING.md").read_text(encoding="utf-8")
    commands = _commands(running)
    assert commands[-1].startswith(".venv/bin/jupyter lab "), "RUNNING.md ends by opening JupyterLab"
    assert "plain text" in running
    chapter = next(c.split()[-1] for c in commands if "execute_notebooks.py" in c)
    assert (top / chapter).is_file(), chapter

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["UV_LINK_MODE"] = "copy"
    uv = Path(sys.executable).parent / "uv"
    outputs = []
    for command in commands[:-1]:
        if command.startswith(".venv/bin/python -m pip install "):
            # pip would download from PyPI: uv installs the same file from its cache
            requirement = command.split(" -r ")[1].split()[0]
            command = f"{uv} pip install --quiet --python .venv/bin/python -r {requirement}"
        run = subprocess.run(["bash", "-c", command], cwd=top, env=env, capture_output=True, text=True, timeout=900)
        outputs.append(run.stdout + run.stderr)
        assert run.returncode == 0, f"{command}:\n{(run.stdout + run.stderr)[-3000:]}"

    # the chapter ran, quietly, with the archive's reparam
    ran = outputs[-1]
    assert "WARNING" not in ran.upper(), ran[-3000:]
    text = (top / chapter).read_text(encoding="utf-8")
    assert "✔ " in text and "✘ " not in text and "Traceback" not in text
    python = top / ".venv" / "bin" / "python"
    probe = subprocess.run(
        [str(python), "-c", "import reparam; print(reparam.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(top) in probe.stdout, probe.stdout

    # JupyterLab, with jupyterlab-myst enabled, is what the last command opens
    lab = subprocess.run(
        [str(top / ".venv" / "bin" / "jupyter"), "labextension", "list"],
        cwd=top,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    listing = re.sub(r"\x1b\[[0-9;]*m", "", lab.stdout + lab.stderr)  # without its colours
    assert re.search(r"jupyterlab-myst v\S+ enabled\s+OK", listing), listing  # OK: compatible
    if os.environ.get("BOOK_ARCHIVE_SIZE"):  # the venv's size, for RUNNING.md's "about ... of disk"
        size = sum(p.stat().st_size for p in (top / ".venv").rglob("*") if p.is_file())
        print(f"the reader's venv: {size / 1e6:.0f} MB")
