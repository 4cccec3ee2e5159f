r"""Densities of the relaxed distributions: Concrete (Gumbel-softmax) and ExpConcrete (its log)."""

from __future__ import annotations

import math

import numpy as np

from ._validate import ArrayLike, as_logits, as_real_array, as_tau

__all__ = ["concrete_log_density", "exp_concrete_log_density"]


def _logsumexp(a: np.ndarray, axis: int = -1) -> np.ndarray:
    m = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(m, axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def simplex_tolerance(dtype: np.dtype, k: int) -> float:
    r"""How far from 1 a row sum (or from 0 a row's logsumexp) may be: :math:`\max(10^{-6}, 2k\epsilon)`.

    :math:`\epsilon` is the machine epsilon of ``dtype`` (float64's for integer input). The
    samplers normalise a row by a sum of :math:`k` rounded terms, whose relative error is at most
    about :math:`k\epsilon/2`; twice :math:`k\epsilon` leaves a margin of 4. The floor of
    :math:`10^{-6}` is the tolerance for float64, where :math:`2k\epsilon` would reject points
    rounded by hand.
    """
    dt = np.dtype(dtype)
    eps = float(np.finfo(dt if dt.kind == "f" else np.float64).eps)
    return max(1e-6, 2.0 * k * eps)


def _logits_and_tau(logits: ArrayLike, tau: float) -> tuple[np.ndarray, float]:
    x = as_logits(logits, allow_neg_inf=False).astype(np.float64)
    # The density does not change when a constant is added to the logits; shifting the row
    # maximum to 0 keeps k * logsumexp and the sum of logits from overflowing.
    x = x - np.max(x, axis=-1, keepdims=True)
    return x, as_tau(tau)


def _points(values: ArrayLike, name: str, k: int) -> tuple[np.ndarray, float]:
    """The points as float64, with categories on the last axis, and their dtype's tolerance."""
    raw = as_real_array(values, name)
    if raw.ndim == 0:
        raise ValueError(f"{name}: must have at least one dimension (categories on the last axis)")
    if raw.shape[-1] != k:
        raise ValueError(f"{name}: has {raw.shape[-1]} categories on its last axis, logits have {k}")
    return raw.astype(np.float64), simplex_tolerance(raw.dtype, k)


def concrete_log_density(y: ArrayLike, logits: ArrayLike, tau: float) -> np.ndarray:
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
        Points of the open simplex: entries in (0, 1] summing to 1, within
        :math:`\max(10^{-6}, 2k\epsilon)` for the machine epsilon :math:`\epsilon` of ``y``'s
        dtype (so float32 samples of :func:`gumbel_softmax` pass as they are).
    logits : array_like, shape (..., k)
        Finite unnormalized log-probabilities, broadcast against ``y``.
    tau : float
        Temperature, finite and > 0.

    Returns
    -------
    numpy.ndarray, shape ``broadcast(y, logits).shape[:-1]``
        float64.

    Raises
    ------
    ValueError
        If an entry of ``y`` is 0 (underflow at small ``tau``: use
        :func:`log_gumbel_softmax` and :func:`exp_concrete_log_density` instead), negative,
        above 1 or not finite, or a row does not sum to 1.

    See Also
    --------
    exp_concrete_log_density : the density of :math:`\log y`, which never underflows.

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> print(np.round(rp.concrete_log_density([0.2, 0.3, 0.5], [0.0, 1.0, 2.0], 0.5), 6))
    -1.045289

    For :math:`k = 2` the density of :math:`y_1` is a logistic density in
    :math:`\operatorname{logit}(y_1)`, times the Jacobian :math:`1/(y_1 y_2)`:

    >>> y1, tau, d = 0.3, 0.7, 0.8  # d = l_1 - l_2
    >>> u = tau * np.log(y1 / (1 - y1)) - d
    >>> closed_form = np.log(tau) - u - 2 * np.log1p(np.exp(-u)) - np.log(y1 * (1 - y1))
    >>> bool(np.isclose(rp.concrete_log_density([y1, 1 - y1], [d, 0.0], tau), closed_form))
    True

    It evaluates the sampler's own output, float32 included, one value per row:

    >>> y = rp.gumbel_softmax(np.zeros(64, dtype=np.float32), 0.3, rng=1, size=(2, 5))
    >>> rp.concrete_log_density(y, np.zeros(64), 0.3).shape
    (2, 5)
    """
    x, t = _logits_and_tau(logits, tau)
    k = x.shape[-1]
    yy, tol = _points(y, "y", k)
    if k == 1:
        if not np.all(yy == 1):
            raise ValueError("y: with one category the only point of the simplex is y = 1")
    elif not (np.isfinite(yy).all() and (yy > 0).all() and (yy <= 1).all()):
        # An entry may round to exactly 1.0 while the others are tiny but positive (small tau):
        # still a point of the open simplex, and log(1) = 0 is harmless below.
        raise ValueError("y: must lie in the open simplex (every entry > 0 and <= 1)")
    if (np.abs(yy.sum(axis=-1) - 1.0) > tol).any():
        raise ValueError(f"y: rows must sum to 1 within {tol:.3g} (points of the simplex)")
    log_y = np.log(yy)
    a = x - t * log_y
    return (
        math.lgamma(k)  # Gamma(k)
        + (k - 1) * math.log(t)  # tau^(k-1)
        + np.sum(x - (t + 1.0) * log_y, axis=-1)  # prod_i w_i y_i^(-tau-1)
        - k * _logsumexp(a)  # (sum_i w_i y_i^(-tau))^(-k)
    )


def exp_concrete_log_density(log_y: ArrayLike, logits: ArrayLike, tau: float) -> np.ndarray:
    r"""Log density of the ExpConcrete distribution, the law of :math:`\log y` for Concrete :math:`y`.

    The samples of :func:`log_gumbel_softmax`, :math:`x = \log y` with
    :math:`\operatorname{logsumexp}_i x_i = 0`, have the density (Maddison et al. 2017,
    appendix C; TFP's ``ExpRelaxedOneHotCategorical``)

    .. math::
        \log p(x) = \log\Gamma(k) + (k-1)\log\tau + \sum_{i=1}^k (\ell_i - \tau x_i)
                    - k\,\operatorname{logsumexp}_i(\ell_i - \tau x_i),

    with respect to Lebesgue measure on the log-ratios :math:`(x_1 - x_k, \dots, x_{k-1} - x_k)`
    (the same for every choice of reference category). The map from :math:`(y_1,\dots,y_{k-1})`
    to these log-ratios has Jacobian determinant :math:`1/\prod_{i=1}^k y_i`, so by change of
    variables

    .. math:: \log p(x) = \log p_{\mathrm{Concrete}}(e^{x}) + \sum_{i=1}^k x_i .

    Unlike :func:`concrete_log_density`, it is finite where :math:`e^{x_i}` underflows to 0.
    A ratio of two such densities at the same point (a KL divergence, an importance weight)
    equals the ratio of the Concrete densities.

    Parameters
    ----------
    log_y : array_like, shape (..., k)
        Finite logarithms of points of the simplex: each row's logsumexp is 0, within
        :math:`\max(10^{-6}, 2k\epsilon)` for the machine epsilon :math:`\epsilon` of
        ``log_y``'s dtype.
    logits : array_like, shape (..., k)
        Finite unnormalized log-probabilities, broadcast against ``log_y``.
    tau : float
        Temperature, finite and > 0.

    Returns
    -------
    numpy.ndarray, shape ``broadcast(log_y, logits).shape[:-1]``
        float64.

    Raises
    ------
    ValueError
        If an entry of ``log_y`` is NaN or infinite, or a row's logsumexp is not 0.

    See Also
    --------
    log_gumbel_softmax : samples from this distribution.
    concrete_log_density : the density of :math:`y = e^x`.

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> y = np.array([0.2, 0.3, 0.5])
    >>> logits = [0.0, 1.0, 2.0]
    >>> print(np.round(rp.exp_concrete_log_density(np.log(y), logits, 0.5), 6))
    -4.551846
    >>> print(np.round(rp.concrete_log_density(y, logits, 0.5) + np.log(y).sum(), 6))
    -4.551846

    At a small temperature, where the Gumbel-softmax samples underflow to exact zeros:

    >>> log_y = rp.log_gumbel_softmax([50.0, -50.0], 0.05, rng=0, size=4)
    >>> np.isfinite(rp.exp_concrete_log_density(log_y, [50.0, -50.0], 0.05))
    array([ True,  True,  True,  True])
    """
    x, t = _logits_and_tau(logits, tau)
    k = x.shape[-1]
    lx, tol = _points(log_y, "log_y", k)
    if not np.isfinite(lx).all():
        raise ValueError("log_y: must be finite (the logarithm of a point of the open simplex)")
    if (np.abs(_logsumexp(lx)) > tol).any():
        raise ValueError(
            f"log_y: each row's logsumexp must be 0 within {tol:.3g} (logarithms of points of the simplex)"
        )
    a = x - t * lx
    return math.lgamma(k) + (k - 1) * math.log(t) + np.sum(a, axis=-1) - k * _logsumexp(a)
