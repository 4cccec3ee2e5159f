r"""Densities of the relaxed distributions."""

from __future__ import annotations

import math

import numpy as np

from ._validate import as_logits, as_tau

__all__ = ["concrete_log_density"]


def _logsumexp(a: np.ndarray, axis: int = -1) -> np.ndarray:
    m = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(m, axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def concrete_log_density(y: object, logits: object, tau: float) -> np.ndarray:
    r"""Log density of the Concrete (Gumbel-softmax) distribution.

    For :math:`y = \mathrm{softmax}((\ell + G)/\tau)` with :math:`k` categories and
    :math:`w_i = e^{\ell_i}` (Maddison et al. 2017; Jang et al. 2017),

    .. math::
        p(y) = \Gamma(k)\,\tau^{k-1}\,
               \Big(\sum_{i=1}^k w_i\,y_i^{-\tau}\Big)^{-k}
               \prod_{i=1}^k w_i\,y_i^{-\tau-1},

    a density with respect to Lebesgue measure on :math:`(y_1, \dots, y_{k-1})`, with
    :math:`y_k = 1 - \sum_{i<k} y_i`. It is evaluated in log space,

    .. math::
        \log p(y) = \log\Gamma(k) + (k-1)\log\tau + \sum_i (\ell_i - (\tau+1)\log y_i)
                    - k\,\operatorname{logsumexp}_i(\ell_i - \tau\log y_i),

    which is unchanged when a constant is added to every logit.

    Parameters
    ----------
    y : array_like, shape (..., k)
        Points of the open simplex: entries in (0, 1) summing to 1.
    logits : array_like, shape (..., k)
        Finite unnormalized log-probabilities, broadcast against ``y``.
    tau : float
        Temperature, finite and > 0.

    Returns
    -------
    numpy.ndarray, shape ``broadcast(y, logits).shape[:-1]``
    """
    x = as_logits(logits, allow_neg_inf=False).astype(np.float64)
    # The density does not change when a constant is added to the logits; shifting the row
    # maximum to 0 keeps k * logsumexp and the sum of logits from overflowing.
    x = x - np.max(x, axis=-1, keepdims=True)
    t = as_tau(tau)
    try:
        yy = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("y: expected an array of real numbers") from None
    if yy.ndim == 0:
        raise ValueError("y: must have at least one dimension (categories on the last axis)")
    k = x.shape[-1]
    if yy.shape[-1] != k:
        raise ValueError(f"y: has {yy.shape[-1]} categories on its last axis, logits have {k}")
    if k == 1:
        if not np.all(yy == 1):
            raise ValueError("y: with one category the only point of the simplex is y = 1")
    elif not (np.isfinite(yy).all() and (yy > 0).all() and (yy <= 1).all()):
        # An entry may round to exactly 1.0 while the others are tiny but positive (small tau):
        # still a point of the open simplex, and log(1) = 0 is harmless below.
        raise ValueError("y: must lie in the open simplex (every entry > 0 and <= 1)")
    if (np.abs(yy.sum(axis=-1) - 1.0) > 1e-6).any():
        raise ValueError("y: rows must sum to 1 (points of the simplex)")
    log_y = np.log(yy)
    a = x - t * log_y
    return (
        math.lgamma(k)
        + (k - 1) * math.log(t)
        + np.sum(x - (t + 1.0) * log_y, axis=-1)
        - k * _logsumexp(a)
    )
