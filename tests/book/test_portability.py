"""The portability guard: NumPy's transcendental functions, perturbed by one ulp.

``make portability`` (a step of ``make test``) runs strict nbval on the chapters with
``tests/book/portability`` on ``PYTHONPATH`` and ``BOOK_ULP_SALT`` set, so every kernel computes
``exp``, ``log``, ``sin``, ``power``... rounded differently in the last bit for about half of all
inputs, as another CPU would. These tests make sure that the guard really perturbs: in this
process, and in a Jupyter kernel started the way nbval starts one.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from booktest import ROOT

GUARD_DIR = ROOT / "tests" / "book" / "portability"
sys.path.insert(0, str(GUARD_DIR))
import ulp_perturb  # noqa: E402


@pytest.fixture
def perturbed():
    originals = {name: getattr(np, name) for name in ulp_perturb.PERTURBED}
    ulp_perturb.install(7)
    yield
    for name, func in originals.items():
        setattr(np, name, func)


def _ulps(a, b):
    return b.view(np.int64) - a.view(np.int64)


def test_about_half_of_the_values_move_by_exactly_one_ulp(perturbed):
    x = np.random.default_rng(0).uniform(0.1, 5.0, size=100_000)
    for name in ("exp", "log", "sin", "tanh", "log1p"):
        ref = getattr(ulp_perturb.np, name).ufunc(x)
        got = getattr(np, name)(x)
        d = _ulps(ref, got)
        assert set(np.unique(d)) <= {-1, 0, 1}, name
        moved = np.mean(d != 0)
        assert 0.45 < moved < 0.55, (name, moved)
        assert 0.4 < np.mean(d[d != 0] > 0) < 0.6, name  # up and down alike


def test_perturbation_is_a_fixed_function_of_the_value(perturbed):
    x = np.linspace(-3, 3, 1001)
    a = np.exp(x)
    b = np.exp(x[::-1].copy())[::-1].copy()  # other order, other memory
    np.testing.assert_array_equal(a, b)
    assert float(np.exp(x[17])) == a[17]  # scalars agree with arrays


def test_exact_results_scalars_float32_and_out_argument(perturbed):
    assert np.exp(0.0) == 1.0 and np.cos(0.0) == 1.0 and np.log(1.0) == 0.0
    assert np.power(2.0, 10.0) == 1024.0
    assert isinstance(np.exp(0.5), np.float64)
    x32 = np.linspace(0.1, 2, 10_000, dtype=np.float32)
    got = np.log(x32)
    assert got.dtype == np.float32
    assert 0.4 < np.mean(got != ulp_perturb.np.log.ufunc(x32)) < 0.6
    x = np.linspace(0.1, 2, 10_000)
    out = np.empty_like(x)
    res = np.exp(x, out=out)
    assert res is out
    np.testing.assert_array_equal(out, np.exp(x))
    assert not np.array_equal(out, ulp_perturb.np.exp.ufunc(x))


def test_ufunc_methods_still_work(perturbed):
    assert np.exp.nin == 1 and np.logaddexp.reduce(np.zeros(4)) == pytest.approx(np.log(4))


def test_a_kernel_started_under_the_guard_is_perturbed(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np\nprint(repr(np.exp))")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    env_backup = dict(os.environ)
    os.environ["PYTHONPATH"] = str(GUARD_DIR)
    os.environ["BOOK_ULP_SALT"] = "1"
    try:
        # the kernel's working directory is elsewhere, as under nbval (the notebook's folder)
        NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(env_backup)
    text = nb.cells[0].outputs[0]["text"]
    assert "perturbed by one ulp (salt 1)" in text, text


def test_make_portability_sets_the_guard():
    out = subprocess.run(["make", "-n", "portability"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "BOOK_ULP_SALT=" in out and str(GUARD_DIR) in out and "--nbval" in out, out


def test_make_notebooks_runs_every_chapter_under_the_guard_too():
    """`make test` runs the chapters through scripts/test_notebooks.py: its guard jobs set the guard."""
    out = subprocess.run(["make", "-n", "notebooks"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "scripts/test_notebooks.py" in out and f"--guard-dir {GUARD_DIR}" in out, out
    sys.path.insert(0, str(ROOT / "scripts"))
    import test_notebooks

    guard, plain = test_notebooks.job_env("guard", "1", GUARD_DIR), test_notebooks.job_env("nbval", "1", GUARD_DIR)
    assert guard["BOOK_ULP_SALT"] == "1" and str(GUARD_DIR) in guard["PYTHONPATH"].split(os.pathsep)
    assert plain == dict(os.environ)  # nbval's jobs run in the environment as it is
    jobs = test_notebooks.order(
        [(run, ROOT / "chapters" / nb) for run in ("nbval", "guard") for nb in ("01.ipynb", "08.ipynb")], {}
    )
    assert [(run, nb.name) for run, nb in jobs][:2] == [("guard", "08.ipynb"), ("guard", "01.ipynb")]
