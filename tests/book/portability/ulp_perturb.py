"""Make NumPy's transcendental functions round differently, by one ulp, for about half of all inputs.

The portability guard of ``make test`` (``make portability``). NumPy evaluates ``exp``, ``log``,
``sin``, ``power``... with different kernels on different CPUs (AVX-512, AVX2, baseline, ARM,
another libm), and they disagree in the last bit for some inputs. A page whose printed text
changes when that happens is not the same page on every machine. On one host there is no way
to call another CPU's kernel, so this module imitates one: every float result of the wrapped
functions is moved by one unit in the last place, up or down, for about half of all values.
Which values, and in which direction, is a fixed function of the result's bits and a salt, so
the perturbation is deterministic per input, as a real CPU's kernel is, and two salts give two
different "CPUs".

``install(salt)`` replaces the functions in the ``numpy`` namespace (``np.exp`` and friends)
by wrappers; code that calls ``np.exp(x)`` (the chapters, ``reparam``, SciPy's and SymPy's
Python code, ``lambdify``) gets the perturbed values. The ``**`` operator and NumPy's own C
code call the ufunc directly and are not perturbed; exact results (integer values such as
``exp(0) = 1``, zeros, infinities, NaN) are left alone, since every correct kernel returns
them exactly.

``sitecustomize.py`` beside this file calls ``install`` at interpreter start when the
environment variable ``BOOK_ULP_SALT`` is set, so a kernel started by nbval under
``PYTHONPATH=tests/portability BOOK_ULP_SALT=1`` runs the chapters with the perturbed functions.
"""

from __future__ import annotations

import numpy as np

#: The NumPy functions whose last bit depends on the CPU or the libm.
PERTURBED = (
    "exp",
    "exp2",
    "expm1",
    "log",
    "log2",
    "log10",
    "log1p",
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "arctan2",
    "sinh",
    "cosh",
    "tanh",
    "arcsinh",
    "arccosh",
    "arctanh",
    "power",
    "float_power",
    "cbrt",
    "logaddexp",
    "logaddexp2",
)

_UINT = {np.dtype(np.float64): np.uint64, np.dtype(np.float32): np.uint32}
_INT = {np.uint64: np.int64, np.uint32: np.int32}
_MULT = {np.uint64: np.uint64(0x9E3779B97F4A7C15), np.uint32: np.uint32(0x9E3779B9)}


def _flip(values: np.ndarray, salt: int, where: object = True) -> np.ndarray:
    """``values`` with about half of the entries moved one ulp up or down (a new array).

    A hash of each value's bits (and the salt) decides: its top bit whether the value moves, the
    next bit whether towards +inf or -inf. One ulp towards +inf is the next bit pattern up for a
    positive value and the next one down for a negative one, so the move is an integer step of
    the bits. Written with few array operations: the guard calls this for every result of every
    wrapped function.
    """
    uint = _UINT[values.dtype]
    flat = np.asarray(values, order="C").reshape(-1)  # 0-d arrays too: one entry
    bits = flat.view(uint)
    h = bits ^ uint((salt * 0x5851F42D + 1) % 2**32)
    h *= _MULT[uint]
    h ^= h >> uint(16)
    h *= _MULT[uint]
    top = uint(8 * values.dtype.itemsize - 1)
    two = (h >> (top - uint(1))).astype(_INT[uint])  # 2 * (moves) + (towards +inf)
    chosen = two >> 1
    towards_larger_bits = (two & 1) ^ (bits >> top).astype(_INT[uint])  # up for positives, down for negatives
    chosen[~np.isfinite(flat) | (flat == np.round(flat))] = 0  # exact results stay exact
    if where is not True:
        chosen &= np.asarray(where, dtype=bool).reshape(-1)
    step = chosen * (2 * towards_larger_bits - 1)
    return (bits.view(_INT[uint]) + step).view(values.dtype).reshape(values.shape)


class PerturbedUfunc:
    """Calls a NumPy ufunc, then moves about half of its float results by one ulp."""

    def __init__(self, ufunc: np.ufunc, salt: int) -> None:
        self.ufunc = ufunc
        self.salt = int(salt)
        self.__name__ = ufunc.__name__
        self.__doc__ = ufunc.__doc__

    def __getattr__(self, name: str):  # nin, nout, reduce, outer, ... of the real ufunc
        return getattr(self.ufunc, name)

    def __repr__(self) -> str:
        return f"<ufunc {self.ufunc.__name__!r}, perturbed by one ulp (salt {self.salt})>"

    def __call__(self, *args, **kwargs):
        result = self.ufunc(*args, **kwargs)
        if isinstance(result, tuple):  # no wrapped function has several outputs
            return result
        where = kwargs.get("where", True)
        if isinstance(result, np.ndarray):
            if result.dtype in _UINT and result.size:
                mask = True if where is True else np.broadcast_to(where, result.shape)
                result[...] = _flip(result, self.salt, mask)
            return result
        if isinstance(result, np.floating) and np.dtype(type(result)) in _UINT:
            return _flip(np.asarray(result), self.salt)[()].astype(type(result))
        return result


def install(salt: int) -> list[str]:
    """Replace ``numpy.<name>`` for every name in :data:`PERTURBED`; returns the names."""
    done = []
    for name in PERTURBED:
        current = getattr(np, name)
        if isinstance(current, PerturbedUfunc):
            current = current.ufunc
        setattr(np, name, PerturbedUfunc(current, salt))
        done.append(name)
    return done


def installed_salt() -> int | None:
    """The salt in force in this process, or ``None`` when NumPy is not perturbed."""
    return np.exp.salt if isinstance(np.exp, PerturbedUfunc) else None
