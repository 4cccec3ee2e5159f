"""Input validation shared by the public functions, following NumPy's conventions.

A wrong *kind* of object (a string for a number, a float for a count, an unsupported dtype, a
float or a bool for ``rng``) raises :class:`TypeError`; a value of the right kind that is
not allowed (negative, NaN, out of range, the wrong shape) raises :class:`ValueError`. Either way
the message starts with the name of the offending parameter, so a reader sees at once what to fix.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Callable, Sequence
from typing import TypeAlias

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

__all__ = [
    "ArrayFunc",
    "ArrayLike",
    "DTypeLike",
    "RngLike",
    "SizeLike",
    "as_bool",
    "as_choice",
    "as_callable",
    "as_count",
    "as_float_dtype",
    "as_generator",
    "as_integer",
    "as_location",
    "as_logit_vector",
    "as_logits",
    "as_real_array",
    "as_real_scalar",
    "as_scale",
    "as_size",
    "as_tau",
    "call_per_sample",
]

#: What ``rng=`` accepts: what :func:`numpy.random.default_rng` accepts (documented once, in
#: :data:`reparam._docs.RNG`).
RngLike: TypeAlias = (
    np.random.Generator
    | np.random.BitGenerator
    | np.random.SeedSequence
    | np.random.RandomState
    | int
    | Sequence[int]
    | None
)
#: What ``size=`` accepts: None, an int or a sequence of ints.
SizeLike: TypeAlias = int | Sequence[int] | None
#: A user's function of an array (``f``, ``c``, ``df``, ...): its output is checked by :func:`call_per_sample`.
ArrayFunc: TypeAlias = Callable[[np.ndarray], ArrayLike]

_REAL_KINDS = "biuf"  # bool, signed and unsigned integers, floats


def _kind(value: object) -> str:
    return type(value).__name__


def as_generator(rng: RngLike) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for ``rng``, as :data:`reparam._docs.RNG` states."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if int(rng) < 0:
            raise ValueError(f"rng: an integer seed must be non-negative, got {rng}")
        return np.random.default_rng(int(rng))
    if isinstance(rng, (np.random.SeedSequence, np.random.BitGenerator, np.random.RandomState)):
        return np.random.default_rng(rng)
    if isinstance(rng, (list, tuple, np.ndarray)) and not isinstance(rng, bool):
        seq = np.asarray(rng)
        if seq.ndim == 1 and seq.size > 0 and seq.dtype.kind in "iu":
            if (seq < 0).any():
                raise ValueError(f"rng: the ints of a seed sequence must be non-negative, got {rng!r}")
            return np.random.default_rng(seq)
    raise TypeError(
        "rng: expected what numpy.random.default_rng accepts (a Generator, BitGenerator, SeedSequence, "
        f"RandomState, an int seed or a sequence of ints) or None, got {_kind(rng)}"
    )


def as_real_array(x: ArrayLike, name: str) -> np.ndarray:
    """``np.asarray(x)``, which must hold real numbers (bool, integer or float dtype).

    A ragged or otherwise unconvertible input raises ``ValueError`` (as NumPy does), a
    non-numeric dtype (strings, objects, complex numbers) ``TypeError``. The dtype is kept.
    """
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:  # ragged lists and the like
        error = TypeError if isinstance(exc, TypeError) else ValueError
        raise error(f"{name}: could not convert to an array ({exc})") from None
    if arr.dtype.kind not in _REAL_KINDS:
        raise TypeError(f"{name}: expected real numbers, got dtype {arr.dtype}")
    return arr


def _float_dtype(a: np.ndarray) -> np.dtype:
    """float32 stays float32 (float16 is promoted to it); everything else computes in float64."""
    if a.dtype in (np.float32, np.float16):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def _real_array(x: ArrayLike, name: str) -> np.ndarray:
    arr = as_real_array(x, name)
    return arr.astype(_float_dtype(arr), copy=False)


def as_logits(logits: ArrayLike, name: str = "logits", *, allow_neg_inf: bool = True) -> np.ndarray:
    """Validate unnormalized log-probabilities with categories on the last axis.

    Returns a float array (float32 or float64) that may share memory with the input; callers
    never write into it. ``-inf`` marks a zero-probability category (unless ``allow_neg_inf`` is
    false); NaN, ``+inf`` and rows with no finite entry are rejected.
    """
    arr = as_real_array(logits, name)
    if arr.ndim == 0:
        raise ValueError(f"{name}: must have at least one dimension (categories on the last axis)")
    if arr.shape[-1] == 0:
        raise ValueError(f"{name}: the last axis (categories) is empty")
    arr = arr.astype(_float_dtype(arr), copy=False)
    if np.isnan(arr).any():
        raise ValueError(f"{name}: contains NaN")
    if np.isposinf(arr).any():
        raise ValueError(f"{name}: contains +inf")
    if allow_neg_inf:
        if (~np.isfinite(arr)).all(axis=-1).any():
            raise ValueError(f"{name}: a row has no finite entry (every category is -inf)")
    elif np.isneginf(arr).any():
        raise ValueError(f"{name}: contains -inf, which is not allowed here")
    return arr


def as_logit_vector(logits: ArrayLike) -> np.ndarray:
    """Validate logits of shape ``(k,)`` (:func:`as_logits`) as a float64 vector."""
    x = as_logits(logits).astype(np.float64, copy=False)
    if x.ndim != 1:
        raise ValueError(f"logits: expected a vector of shape (k,), got shape {x.shape}")
    return x


def as_real_scalar(value: ArrayLike, name: str) -> float:
    """A real number as a Python float: an int, a float, a NumPy scalar or a 0-d array.

    Strings, bools, complex numbers and other objects raise ``TypeError``; an array of real
    numbers with one or more dimensions raises ``ValueError`` (a scalar is expected).
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected a real number, got {_kind(value)} {value!r}")
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (np.ndarray, list, tuple)):
        arr = as_real_array(value, name)
        if arr.dtype.kind == "b":
            raise TypeError(f"{name}: expected a real number, got dtype bool")
        if arr.ndim != 0:
            raise ValueError(f"{name}: expected a scalar, got an array of shape {arr.shape}")
        return float(arr)
    raise TypeError(f"{name}: expected a real number, got {_kind(value)} {value!r}")


def as_tau(tau: float, name: str = "tau") -> float:
    """Validate a temperature: a finite real number > 0."""
    value = as_real_scalar(tau, name)
    if not np.isfinite(value) or value <= 0.0:
        raise ValueError(f"{name}: must be finite and > 0, got {value}")
    return value


def as_integer(value: int, name: str) -> int:
    """An integer (Python or NumPy, or a 0-d integer array) as a Python int; bools and floats are
    refused with ``TypeError``, as :func:`operator.index` refuses them."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected an integer, got {_kind(value)} {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name}: expected an integer, got {_kind(value)} {value!r}") from None


def as_size(size: SizeLike, name: str = "size") -> tuple[int, ...]:
    """Normalize ``size`` (None, an int or a sequence of ints) to a tuple."""
    if size is None:
        return ()
    if isinstance(size, (str, bytes)) or not (
        isinstance(size, (numbers.Integral, np.ndarray)) or hasattr(size, "__iter__")
    ):
        raise TypeError(f"{name}: expected None, an int or a tuple of ints, got {_kind(size)} {size!r}")
    if isinstance(size, np.ndarray) and size.ndim > 1:
        raise ValueError(f"{name}: expected at most one dimension, got an array of shape {size.shape}")
    if isinstance(size, numbers.Integral) or (isinstance(size, np.ndarray) and size.ndim == 0):
        shape: tuple[int, ...] = (as_integer(size, name),)
    else:
        shape = tuple(as_integer(s, name) for s in size)
    if any(s < 0 for s in shape):
        raise ValueError(f"{name}: dimensions must be non-negative, got {shape}")
    return shape


def as_count(n: int, name: str = "n") -> int:
    """Validate a positive integer sample count."""
    value = as_integer(n, name)
    if value < 1:
        raise ValueError(f"{name}: must be >= 1, got {value}")
    return value


def as_bool(flag: bool, name: str) -> bool:
    """A Python or NumPy bool; anything else (0, 1, "yes", None) raises ``TypeError``."""
    if not isinstance(flag, (bool, np.bool_)):
        raise TypeError(f"{name}: expected a bool, got {_kind(flag)} {flag!r}")
    return bool(flag)


def as_float_dtype(dtype: DTypeLike, name: str = "dtype") -> np.dtype:
    """float32 or float64 (anything :class:`numpy.dtype` maps to them); others raise ``TypeError``."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name}: expected float32 or float64, got {dtype!r}") from None
    if dt not in (np.float32, np.float64):
        raise TypeError(f"{name}: must be float32 or float64, got {dt}")
    return dt


def as_choice(value: str, name: str, choices: Sequence[str]) -> str:
    """One of ``choices`` (strings): another kind of thing raises ``TypeError``, another string ``ValueError``."""
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected a str, one of {choices}, got {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name}: expected one of {choices}, got {value!r}")
    return value


def as_callable(func: object, name: str) -> Callable:
    """``func`` itself if it can be called, else ``TypeError``."""
    if not callable(func):
        raise TypeError(f"{name}: expected a callable, got {_kind(func)}")
    return func


def as_location(mu: ArrayLike, name: str = "mu") -> np.ndarray:
    """Validate a location parameter: finite reals."""
    arr = _real_array(mu, name)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: must be finite (got NaN or inf)")
    return arr


def as_scale(sigma: ArrayLike, name: str = "sigma", *, strictly_positive: bool = False) -> np.ndarray:
    """Validate a scale parameter: finite reals >= 0 (> 0 when ``strictly_positive``)."""
    arr = _real_array(sigma, name)
    if np.isnan(arr).any():
        raise ValueError(f"{name}: contains NaN")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: must be finite")
    if strictly_positive and (arr <= 0).any():
        raise ValueError(f"{name}: must be > 0")
    if (arr < 0).any():
        raise ValueError(f"{name}: must be >= 0")
    return arr


def call_per_sample(
    func: Callable[[np.ndarray], ArrayLike], x: np.ndarray, shape: tuple[int, ...], name: str
) -> np.ndarray:
    """Call a user function on ``x`` and check it returns finite values of the given shape."""
    out = np.asarray(func(x), dtype=np.float64)
    if out.shape != shape:
        try:
            out = np.broadcast_to(out, shape)
        except ValueError:
            raise ValueError(f"{name}: must return an array of shape {shape}, got {out.shape}") from None
    if not np.isfinite(out).all():
        raise ValueError(f"{name}: returned NaN or inf")
    return out
