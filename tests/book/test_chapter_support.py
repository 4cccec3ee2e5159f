"""reparam_book, the chapters' support package: NumPy-grade docs, and each module loads only its
own heavy dependency (the figure style does not import SymPy, the derivations not matplotlib)."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

MODULES = [
    "reparam_book.bernoulli_toy",
    "reparam_book.one_bit_adam",
    "reparam_book.plotting",
    "reparam_book.symbolic",
    "reparam_book.digits",
    "reparam_book.discrete_vae",
    "reparam_book.vae_gradients",
    "reparam_book.vae_lab",
]


def _public_objects():
    out = []
    for name in MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                out.append(pytest.param(obj, id=f"{name}.{attr}"))
    return out


@pytest.mark.parametrize("obj", _public_objects())
def test_docstring_has_examples(obj):
    doc = obj.__doc__ or ""
    assert "\n    Examples\n    --------\n" in doc and "    >>> " in doc, f"{obj.__qualname__}: no Examples section"


@pytest.mark.parametrize(
    "module,loads,not_loads",
    [
        ("reparam_book.symbolic", "sympy", "matplotlib"),
        ("reparam_book.plotting", "matplotlib", "sympy"),
        ("reparam_book.one_bit_adam", "autograd", "matplotlib"),
        ("reparam_book.digits", "numpy", "sklearn"),  # scikit-learn only when the data are loaded
        ("reparam_book.vae_lab", "autograd", "sklearn"),
    ],
)
def test_modules_load_only_their_own_dependency(module, loads, not_loads):
    code = f"import sys, {module}\nprint({loads!r} in sys.modules, {not_loads!r} in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
