"""Input validation shared by the public functions.

Every check raises :class:`ValueError` (or :class:`TypeError` for a wrong kind of object) whose
message starts with the name of the offending parameter, so a reader sees at once what to fix.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np

__all__ = [
    "as_generator",
    "as_logits",
    "as_size",
    "as_tau",
    "as_count",
    "as_scale",
    "as_location",
    "call_per_sample",
]


def as_generator(rng: object) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for ``rng``.

    A Generator is returned as is (and therefore advanced by the caller's draws), an integer
    seed gives a fresh ``default_rng(seed)`` and ``None`` gives fresh OS entropy.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if int(rng) < 0:
            raise ValueError(f"rng: an integer seed must be non-negative, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        "rng: expected a numpy.random.Generator, an int seed or None, "
        f"got {type(rng).__name__}"
    )


def _float_dtype(a: np.ndarray) -> np.dtype:
    """float32 stays float32 (float16 is promoted to it); everything else computes in float64."""
    if a.dtype in (np.float32, np.float16):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def as_logits(logits: object, name: str = "logits", *, allow_neg_inf: bool = True) -> np.ndarray:
    """Validate unnormalized log-probabilities with categories on the last axis.

    Returns a float array (float32 or float64) that may share memory with the input; callers
    never write into it. ``-inf`` marks a zero-probability category (unless ``allow_neg_inf`` is
    false); NaN, ``+inf`` and rows with no finite entry are rejected.
    """
    try:
        arr = np.asarray(logits)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name}: could not convert to an array ({exc})") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.floating)
        or np.issubdtype(arr.dtype, np.integer)
        or arr.dtype == np.bool_
    ):
        raise ValueError(f"{name}: expected real numbers, got dtype {arr.dtype}")
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


def as_tau(tau: object, name: str = "tau") -> float:
    """Validate a temperature: a finite real number > 0."""
    try:
        value = float(tau)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a positive real number, got {tau!r}") from None
    if not np.isfinite(value) or value <= 0.0:
        raise ValueError(f"{name}: must be finite and > 0, got {value}")
    return value


def as_size(size: object, name: str = "size") -> tuple[int, ...]:
    """Normalize ``size`` (None, int or tuple of ints) to a tuple."""
    if size is None:
        return ()
    if isinstance(size, numbers.Integral) and not isinstance(size, bool):
        shape: tuple[int, ...] = (int(size),)
    else:
        try:
            shape = tuple(int(s) for s in size)  # type: ignore[union-attr]
        except TypeError:
            raise ValueError(f"{name}: expected None, an int or a tuple of ints, got {size!r}") from None
    if any(s < 0 for s in shape):
        raise ValueError(f"{name}: dimensions must be non-negative, got {shape}")
    return shape


def as_count(n: object, name: str = "n") -> int:
    """Validate a positive integer sample count."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise ValueError(f"{name}: expected a positive integer, got {n!r}")
    if int(n) < 1:
        raise ValueError(f"{name}: must be >= 1, got {n}")
    return int(n)


def _real_array(x: object, name: str) -> np.ndarray:
    try:
        arr = np.asarray(x)
    except Exception as exc:
        raise ValueError(f"{name}: could not convert to an array ({exc})") from None
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.floating)
        or np.issubdtype(arr.dtype, np.integer)
        or arr.dtype == np.bool_
    ):
        raise ValueError(f"{name}: expected real numbers, got dtype {arr.dtype}")
    return arr.astype(_float_dtype(arr), copy=False)


def as_location(mu: object, name: str = "mu") -> np.ndarray:
    """Validate a location parameter: finite reals."""
    arr = _real_array(mu, name)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}: must be finite (got NaN or inf)")
    return arr


def as_scale(sigma: object, name: str = "sigma", *, strictly_positive: bool = False) -> np.ndarray:
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
    func: Callable[[np.ndarray], object], x: np.ndarray, shape: tuple[int, ...], name: str
) -> np.ndarray:
    """Call a user function on ``x`` and check it returns finite values of the given shape."""
    out = np.asarray(func(x), dtype=np.float64)
    if out.shape != shape:
        try:
            out = np.broadcast_to(out, shape)
        except ValueError:
            raise ValueError(
                f"{name}: must return an array of shape {shape}, got {out.shape}"
            ) from None
    if not np.isfinite(out).all():
        raise ValueError(f"{name}: returned NaN or inf")
    return out
