r"""Gumbel noise and the samplers built on it.

A standard Gumbel variable is :math:`G = -\log E` with :math:`E \sim \mathrm{Exp}(1)`, which
is the same as the textbook :math:`-\log(-\log U)` with :math:`U \sim \mathrm{U}(0, 1)` (because
:math:`-\log U \sim \mathrm{Exp}(1)`), but costs one logarithm instead of two. Adding independent
Gumbel noise to logits and taking the argmax draws a category with probability
:math:`\mathrm{softmax}(\ell)_i` (the Gumbel-max trick); replacing the argmax by a tempered
softmax gives the Gumbel-softmax (Concrete) relaxation.

All samplers draw their noise from one call
``rng.standard_exponential(size + logits.shape, dtype)`` (float32 for float32 logits, float64
otherwise), so with one integer seed :func:`gumbel_max` and :func:`gumbel_softmax` see the same
noise (common random numbers) and ``gumbel_max(l, rng=s)`` equals
``gumbel_softmax(l, tau, rng=s).argmax(-1)`` draw for draw (up to rounding at exact ties).
"""

from __future__ import annotations

import numbers

import numpy as np

from ._rows import row_max, row_sum
from ._validate import as_generator, as_logits, as_size, as_tau

__all__ = ["sample_gumbel", "gumbel_max", "gumbel_softmax", "gumbel_top_k"]


def _exponential(rng: np.random.Generator, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """Exp(1) draws that are never exactly zero.

    A zero would become ``-log(0) = inf`` downstream. Replacing it by the smallest normal
    number of the dtype changes nothing in distribution (a zero has probability below
    ``tiny``) and, unlike clamping a uniform to ``[eps, 1 - eps]``, leaves the tails intact.
    """
    e = rng.standard_exponential(shape, dtype=dtype)
    np.maximum(e, np.finfo(dtype).tiny, out=e)
    return e


def sample_gumbel(
    shape: int | tuple[int, ...], *, rng: object = None, dtype: type | np.dtype = np.float64
) -> np.ndarray:
    r"""Draw standard Gumbel(0, 1) variables.

    The CDF is :math:`F(g) = \exp(-e^{-g})`, the density :math:`f(g) = e^{-g - e^{-g}}`, the mean
    the Euler-Mascheroni constant :math:`\gamma \approx 0.5772` and the variance :math:`\pi^2/6`.

    Parameters
    ----------
    shape : int or tuple of int
        Shape of the output.
    rng : numpy.random.Generator, int or None
        Source of randomness (a Generator is advanced; an int is a seed).
    dtype : float32 or float64
        Output dtype.

    Returns
    -------
    numpy.ndarray
        Finite Gumbel draws :math:`G = -\log E`, :math:`E \sim \mathrm{Exp}(1)`.
    """
    dt = np.dtype(dtype)
    if dt not in (np.float32, np.float64):
        raise ValueError(f"dtype: must be float32 or float64, got {dt}")
    g = _exponential(as_generator(rng), as_size(shape, "shape"), dt)
    np.log(g, out=g)
    np.negative(g, out=g)
    return g


def gumbel_max(logits: object, *, rng: object = None, size: object = None) -> np.ndarray:
    r"""Sample categories with the Gumbel-max trick.

    .. math:: I = \arg\max_i\,(\ell_i + G_i), \qquad P(I = i) = \frac{e^{\ell_i}}{\sum_j e^{\ell_j}}.

    Implemented as the equivalent exponential race :math:`\arg\min_i E_i / w_i` with
    :math:`w_i = e^{\ell_i - \max_j \ell_j}` and :math:`G_i = -\log E_i`, which needs no logarithm.

    Parameters
    ----------
    logits : array_like, shape (..., k)
        Unnormalized log-probabilities; ``-inf`` marks a category that is never drawn.
    rng : numpy.random.Generator, int or None
        Source of randomness.
    size : int, tuple of int or None
        Shape of independent draws prepended to the batch shape ``logits.shape[:-1]``.

    Returns
    -------
    numpy.ndarray of int64, shape ``size + logits.shape[:-1]``
    """
    x = as_logits(logits)
    shape = as_size(size) + x.shape
    with np.errstate(under="ignore"):
        w = np.exp(x - np.max(x, axis=-1, keepdims=True))
    race = _exponential(as_generator(rng), shape, x.dtype)
    with np.errstate(divide="ignore", over="ignore"):
        race /= w  # zero weight (-inf logit) -> +inf: never the minimum
    return np.argmin(race, axis=-1).astype(np.int64, copy=False)


def gumbel_softmax(
    logits: object,
    tau: float,
    *,
    rng: object = None,
    size: object = None,
    hard: bool = False,
) -> np.ndarray:
    r"""Relaxed one-hot samples (Gumbel-softmax / Concrete).

    .. math:: y_i = \frac{\exp((\ell_i + G_i)/\tau)}{\sum_j \exp((\ell_j + G_j)/\tau)}.

    The row maximum of :math:`\ell + G` is subtracted before dividing by :math:`\tau`, so every
    exponent is :math:`\le 0`: no overflow for tiny temperatures or huge logits, and the largest
    entry is exactly :math:`e^0 = 1` before normalisation, so rows never become NaN.

    Parameters
    ----------
    logits : array_like, shape (..., k)
        Unnormalized log-probabilities; ``-inf`` entries give exactly 0.
    tau : float
        Temperature, finite and > 0. Small values approach one-hot vectors.
    rng : numpy.random.Generator, int or None
        Source of randomness.
    size : int, tuple of int or None
        Shape of independent draws prepended to ``logits.shape``.
    hard : bool
        If true, return the exact one-hot vector of the argmax (the forward value of the
        straight-through estimator); ties go to the first index, never a multi-hot vector.

    Returns
    -------
    numpy.ndarray, shape ``size + logits.shape``
        float32 for float32 logits, float64 otherwise; each row sums to 1.
    """
    x = as_logits(logits)
    t = as_tau(tau)
    dt = x.dtype
    y = _exponential(as_generator(rng), as_size(size) + x.shape, dt)
    np.log(y, out=y)
    np.subtract(x, y, out=y)  # logits + G, with G = -log E
    if hard:
        index = np.argmax(y, axis=-1)
        y.fill(0)
        np.put_along_axis(y, index[..., None], 1, axis=-1)
        return y
    y -= row_max(y)
    # A temperature outside the dtype's range would round to 0 (0/0 = NaN at the row maximum)
    # or to inf (-inf/inf = NaN for a -inf logit); clipping the divisor to the representable
    # range gives the same limits (one-hot, or uniform over the finite logits).
    finfo = np.finfo(dt)
    divisor = dt.type(min(max(t, float(finfo.smallest_normal)), float(finfo.max)))
    with np.errstate(under="ignore", over="ignore"):
        y /= divisor
        np.exp(y, out=y)
    y /= row_sum(y)
    return y


def gumbel_top_k(logits: object, k: int, *, rng: object = None, size: object = None) -> np.ndarray:
    r"""Ordered sample of ``k`` distinct categories without replacement (Gumbel-top-k).

    The indices of the ``k`` largest :math:`\ell_i + G_i`, largest first. The ordered sample
    :math:`(r_1, \dots, r_k)` has the Plackett-Luce probability

    .. math:: \prod_{j=1}^{k} \frac{w_{r_j}}{\sum_{i \notin \{r_1,\dots,r_{j-1}\}} w_i},
              \qquad w_i = e^{\ell_i}.

    Parameters
    ----------
    logits : array_like, shape (..., n)
        Unnormalized log-probabilities; ``-inf`` categories are never drawn.
    k : int
        Number of distinct categories, between 1 and the number of finite logits in every row.
    rng, size
        As in :func:`gumbel_max`.

    Returns
    -------
    numpy.ndarray of int64, shape ``size + logits.shape[:-1] + (k,)``
    """
    x = as_logits(logits)
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise ValueError(f"k: expected a positive integer, got {k!r}")
    k = int(k)
    n_finite = int(np.min(np.sum(np.isfinite(x), axis=-1)))
    if k < 1 or k > n_finite:
        raise ValueError(
            f"k: must be between 1 and the number of finite logits in every row ({n_finite}), got {k}"
        )
    shape = as_size(size) + x.shape
    # Keys in log space (logits + G, negated so that the k smallest win): unlike the ratio
    # E / w, they cannot underflow for very negative logits.
    keys = _exponential(as_generator(rng), shape, x.dtype)  # same noise as gumbel_max
    np.log(keys, out=keys)
    np.subtract(keys, x, out=keys)
    if k < x.shape[-1]:
        part = np.argpartition(keys, k - 1, axis=-1)[..., :k]
    else:
        part = np.broadcast_to(np.arange(k), shape).copy()
    order = np.argsort(np.take_along_axis(keys, part, axis=-1), axis=-1, kind="stable")
    return np.take_along_axis(part, order, axis=-1).astype(np.int64, copy=False)
