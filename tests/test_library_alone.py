"""The library's tests pass with nothing but NumPy, pytest and hypothesis installed.

`reparam` needs NumPy alone, and so do its tests (tests/library, and the doctests of its
modules): their reference p-values and integrals are written out in tests/library/reference.py.
This test proves it: it makes a new venv with uv (from uv's cache: a few seconds), installs
numpy, pytest and hypothesis at the versions requirements.txt pins, and runs the library's tests
there, in two processes side by side. It is how `make unit` runs them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {"numpy", "pytest", "hypothesis"}
FORBIDDEN = {"scipy", "sympy", "mpmath", "matplotlib", "jupyter-book", "nbval", "pytest-xdist"}
# Two shards that take about the same time; together they are all of tests/library and the
# library's doctests (a test below checks that no file is left out).
SHARDS = [
    [
        "tests/library/test_sampling_laws.py",
        "tests/library/test_exp_concrete.py",
        "tests/library/test_gumbel_truncation.py",
    ],
    [
        "tests/library/test_public_api.py",
        "tests/library/test_input_errors.py",
        "tests/library/test_properties.py",
        "tests/library/test_pinned_streams.py",
        "tests/library/test_control_variates.py",
        "reparam",
        "--doctest-modules",
        "--ignore=reparam/testing",
    ],
]


def _pins() -> Path:
    """requirements.txt without its ``-e .`` line, as a constraints file."""
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if line.strip() and not line.startswith(("#", "-e"))) + "\n"


def test_every_library_test_file_is_in_a_shard():
    files = {str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "library").glob("test_*.py")}
    assert files == {arg for shard in SHARDS for arg in shard if arg.startswith("tests/")}


def test_library_tests_pass_with_numpy_pytest_and_hypothesis_only(tmp_path):
    uv = Path(sys.executable).parent / "uv"
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(_pins(), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["UV_LINK_MODE"] = "copy"
    subprocess.run([str(uv), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, env=env)
    install = [str(uv), "pip", "install", "--quiet", "--python", str(python), "-c", str(constraints), *sorted(ALLOWED)]
    subprocess.run(install, check=True, env=env)
    listed = subprocess.run(
        [str(uv), "pip", "list", "--python", str(python), "--format", "freeze"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    installed = {line.split("==")[0].lower() for line in listed.splitlines() if "==" in line}
    assert ALLOWED <= installed and not (installed & FORBIDDEN), installed

    # reparam from the source tree (the working directory is on sys.path), nothing else
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    runs = [
        subprocess.Popen(
            [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *shard],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for shard in SHARDS
    ]
    for run, shard in zip(runs, SHARDS):
        out, _ = run.communicate(timeout=900)
        assert run.returncode == 0, f"{shard[0]} ...:\n{out[-4000:]}"
        assert " passed" in out and "skipped" not in out.splitlines()[-1], out[-500:]
