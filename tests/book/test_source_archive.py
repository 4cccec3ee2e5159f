"""The source archive a reader downloads runs: unpacked in a new folder, with its own venv.

scripts/build_source_archive.py writes it into the HTML build (`make book`); this test makes it,
unpacks it into a temporary folder, creates a venv there with the archive's requirements.txt
(installed by uv, from its cache when warm) and executes one chapter with that venv's Jupyter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.archive

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = "chapters/06_gumbel_top_k.ipynb"


def test_source_archive_runs_a_chapter(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_source_archive.py")], check=True, cwd=ROOT)
    archive = ROOT / "_build" / "html" / "reparameterization-trick-executed-source.zip"
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        zf.extractall(tmp_path)
    top = tmp_path / "reparameterization-trick-executed"
    for needed in (
        "RUNNING.md",
        "requirements.txt",
        "pyproject.toml",
        "reparam/__init__.py",
        "scripts/execute_notebooks.py",
        CHAPTER,
    ):
        assert f"reparameterization-trick-executed/{needed}" in names, needed

    venv = top / ".venv"
    uv = Path(sys.executable).parent / "uv"
    subprocess.run([str(uv), "venv", "--quiet", "--python", "python3", str(venv)], check=True)
    env = dict(os.environ, UV_LINK_MODE="copy")
    subprocess.run(
        [str(uv), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), "-r", "requirements.txt"],
        check=True,
        cwd=top,
        env=env,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    run = subprocess.run(
        [str(venv / "bin" / "python"), "scripts/execute_notebooks.py", CHAPTER],
        cwd=top,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    text = (top / CHAPTER).read_text(encoding="utf-8")
    assert "✔ " in text and "✘ " not in text and "Traceback" not in text
    # the notebook imported the archive's reparam, not the repository's
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import reparam; print(reparam.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(top) in probe.stdout, probe.stdout
