r"""Truncated Gumbel variables, and Gumbel-perturbed logits given their argmax.

Perturb logits with independent standard Gumbel noise, :math:`z_i = \ell_i + G_i`, and let
:math:`b = \arg\max_i z_i`. Given :math:`b`, the perturbed logits have a simple law, which
follows from the Gumbel-max theorem and max-stability (the winning value is
:math:`\mathrm{Gumbel}(\log W, 1)`, :math:`W = \sum_i e^{\ell_i}`, and independent of the
winner):

* the top coordinate :math:`z_b` is :math:`\mathrm{Gumbel}(\log W, 1)`, whatever :math:`b` is;
* given :math:`z_b`, the others are independent, :math:`z_i \sim \mathrm{Gumbel}(\ell_i, 1)`
  truncated to :math:`(-\infty, z_b]`.

A :math:`\mathrm{Gumbel}(\mu, 1)` variable truncated to :math:`(-\infty, T]` has the CDF
:math:`F(x - \mu) / F(T - \mu) = \exp\!\big(-e^{\mu}(e^{-x} - e^{-T})\big)` for :math:`x \le T`
(:math:`F(g) = \exp(-e^{-g})`), so inverting it at an :math:`\mathrm{Exp}(1)` variable
:math:`E` draws it exactly:

.. math:: g = -\log\big(e^{-T} + E\,e^{-\mu}\big),

computed as ``-logaddexp(-T, log E - mu)``, which neither overflows nor loses the tail.
This conditional sample is the :math:`\tilde z` of REBAR and RELAX
(:mod:`reparam.control_variates`), and the formula is the one stochastic beam search uses to
draw children below their parent's score.

Both samplers draw their noise from one call ``rng.standard_exponential(shape)`` of the output's
shape (float32 for float32 input, float64 otherwise), like the samplers of :mod:`reparam.gumbel`.
"""

from __future__ import annotations

import numpy as np

from ._docs import fill_doc
from ._validate import ArrayLike, RngLike, SizeLike, as_generator, as_logits, as_real_array, as_size
from .gumbel import _exponential

__all__ = ["truncated_gumbel", "conditional_gumbel"]


def _float_dtype(*arrays: np.ndarray) -> np.dtype:
    """float32 if every input is float32 or float16, float64 otherwise (as the samplers do)."""
    if all(a.dtype in (np.float32, np.float16) for a in arrays):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def _truncate(loc: np.ndarray, upper: np.ndarray, e: np.ndarray) -> np.ndarray:
    """``Gumbel(loc)`` truncated to ``(-inf, upper]``, from Exp(1) draws ``e``: ``-log(e^-upper + e e^-loc)``."""
    return -np.logaddexp(-upper, np.log(e) - loc)


def _log_sum_exp(x: np.ndarray) -> np.ndarray:
    """``log(sum(exp(x)))`` over the last axis, kept as a length-1 axis; ``-inf`` entries add nothing."""
    m = np.max(x, axis=-1, keepdims=True)
    with np.errstate(under="ignore"):
        return m + np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True))


def _given_argmax(logits: np.ndarray, index: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Perturbed logits given their argmax ``index``, from Exp(1) draws ``e`` of the output's shape.

    ``e`` at the conditioning index makes the top, ``log W - log e_b``; the other entries make the
    coordinates truncated below it. ``logits`` broadcasts to ``e.shape``, ``index`` to
    ``e.shape[:-1]``. Shared with the REBAR and RELAX estimators.
    """
    at = index[..., None]
    top = np.broadcast_to(_log_sum_exp(logits), e.shape[:-1] + (1,)) - np.log(np.take_along_axis(e, at, axis=-1))
    z = _truncate(logits, top, e)
    np.put_along_axis(z, at, top, axis=-1)
    return z


def _as_index(index: ArrayLike, k: int) -> np.ndarray:
    try:
        idx = np.asarray(index)
    except (TypeError, ValueError) as exc:
        error = TypeError if isinstance(exc, TypeError) else ValueError
        raise error(f"index: could not convert to an array ({exc})") from None
    if idx.dtype.kind not in "iu":
        raise TypeError(f"index: expected integer category indices, got dtype {idx.dtype}")
    if idx.size and (idx.min() < 0 or idx.max() >= k):
        bad = idx[(idx < 0) | (idx >= k)].flat[0]
        raise ValueError(f"index: every index must be in [0, {k}) (k = {k} categories), got {bad}")
    return idx.astype(np.intp, copy=False)


@fill_doc
def truncated_gumbel(
    loc: ArrayLike,
    upper: ArrayLike,
    *,
    rng: RngLike = None,
    size: SizeLike = None,
) -> np.ndarray:
    r"""Draw :math:`\mathrm{Gumbel}(\mu, 1)` variables truncated to :math:`(-\infty, T]`.

    The density is :math:`f(x - \mu) / F(T - \mu)` on :math:`x \le T`, with the Gumbel density
    :math:`f(g) = e^{-g - e^{-g}}` and CDF :math:`F(g) = e^{-e^{-g}}`. Inverting the CDF
    :math:`\exp(-e^{\mu}(e^{-x} - e^{-T}))` at :math:`E \sim \mathrm{Exp}(1)` gives

    .. math:: X = -\log\big(e^{-T} + E\,e^{-\mu}\big) \le T,

    so a draw never exceeds :math:`T`, and :math:`T = +\infty` gives the plain
    :math:`\mu - \log E`, a :math:`\mathrm{Gumbel}(\mu, 1)` draw.

    Parameters
    ----------
    loc : array_like
        Locations :math:`\mu`, finite.
    upper : array_like
        Upper bounds :math:`T`, broadcastable with ``loc``; ``+inf`` means no truncation.
    %(rng)s
    size : int, tuple of int or None
        Shape of independent draws prepended to the broadcast shape of ``loc`` and ``upper``.

    Returns
    -------
    numpy.ndarray, shape ``size + broadcast(loc, upper).shape``
        float32 if ``loc`` and ``upper`` are float32, float64 otherwise; finite, and at most
        ``upper`` (up to rounding in the last place).

    Raises
    ------
    TypeError
        If ``loc`` or ``upper`` does not hold real numbers, or ``size`` or ``rng`` is of the
        wrong type.
    ValueError
        If ``loc`` is not finite, ``upper`` is NaN or ``-inf``, the two do not broadcast, or
        ``size`` has a negative dimension.

    See Also
    --------
    conditional_gumbel : all perturbed logits given their argmax, built on this sampler.

    Examples
    --------
    >>> import numpy as np
    >>> from reparam.gumbel_truncation import truncated_gumbel
    >>> x = truncated_gumbel(0.0, 1.0, rng=0, size=5)
    >>> np.round(x, 4)
    array([-0.0467, -0.3275,  0.9476,  0.9939,  0.0853])
    >>> bool(x.max() <= 1.0)
    True

    Without truncation the draws are the ones of :func:`reparam.sample_gumbel` (the same
    noise), shifted by the location:

    >>> import reparam as rp
    >>> np.allclose(truncated_gumbel(2.0, np.inf, rng=0, size=5), 2.0 + rp.sample_gumbel(5, rng=0))
    True

    The truncated mean, about :math:`-0.097` by quadrature, lies far below the untruncated one,
    :math:`\mu + \gamma \approx 0.577`:

    >>> print(round(float(truncated_gumbel(0.0, 1.0, rng=1, size=100_000).mean()), 2))
    -0.1
    """
    mu = as_real_array(loc, "loc")
    t = as_real_array(upper, "upper")
    dt = _float_dtype(mu, t)
    mu, t = mu.astype(dt, copy=False), t.astype(dt, copy=False)
    if not np.isfinite(mu).all():
        raise ValueError("loc: must be finite (got NaN or inf)")
    if np.isnan(t).any():
        raise ValueError("upper: contains NaN")
    if np.isneginf(t).any():
        raise ValueError("upper: contains -inf (an empty range)")
    try:
        batch = np.broadcast_shapes(mu.shape, t.shape)
    except ValueError:
        raise ValueError(f"upper: shape {t.shape} does not broadcast with loc's shape {mu.shape}") from None
    e = _exponential(as_generator(rng), as_size(size) + batch, dt)
    return _truncate(mu, t, e)


@fill_doc
def conditional_gumbel(
    logits: ArrayLike,
    index: ArrayLike,
    *,
    rng: RngLike = None,
    size: SizeLike = None,
) -> np.ndarray:
    r"""Gumbel-perturbed logits :math:`z = \ell + G` drawn given their argmax :math:`b`.

    The top coordinate first, then the others truncated below it:

    .. math::
        z_b = \log W - \log E_b, \qquad
        z_i = -\log\big(e^{-z_b} + E_i\,e^{-\ell_i}\big) \quad (i \ne b),

    with :math:`W = \sum_j e^{\ell_j}` and independent :math:`E_j \sim \mathrm{Exp}(1)`: the top
    is :math:`\mathrm{Gumbel}(\log W, 1)` (max-stability) and each other coordinate is
    :math:`\mathrm{Gumbel}(\ell_i, 1)` truncated to :math:`(-\infty, z_b]`
    (:func:`~reparam.truncated_gumbel`). The density of the result is that of :math:`\ell + G` restricted
    to :math:`\{\arg\max_i z_i = b\}`, divided by :math:`p_b = e^{\ell_b}/W`. So drawing
    :math:`b \sim \mathrm{softmax}(\ell)` and then this sample gives :math:`\ell + G` in law,
    and every row's argmax is :math:`b`.

    Parameters
    ----------
    logits : array_like, shape (..., k)
        Unnormalized log-probabilities; a ``-inf`` category gets ``-inf`` and cannot be the
        conditioning index.
    index : array_like of int
        The argmax :math:`b` to condition on, in ``[0, k)``; broadcast with the batch shape
        ``logits.shape[:-1]``.
    %(rng)s
    size : int, tuple of int or None
        Shape of independent draws prepended to the batch shape, the broadcast shape of
        ``index`` and ``logits.shape[:-1]``.

    Returns
    -------
    numpy.ndarray, shape ``size + broadcast(index, logits[..., 0]).shape + (k,)``
        float32 for float32 logits, float64 otherwise; finite except at ``-inf`` logits.

    Raises
    ------
    TypeError
        If ``logits`` does not hold real numbers, ``index`` does not hold integers, or
        ``size`` or ``rng`` is of the wrong type.
    ValueError
        If ``logits`` is invalid (NaN, ``+inf``, no finite entry in a row), an index is out of
        range or points at a ``-inf`` logit, or ``index`` does not broadcast with the batch.

    See Also
    --------
    reparam.rebar_grad : the estimator that uses this sample.

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> from reparam.gumbel_truncation import conditional_gumbel
    >>> z = conditional_gumbel([0.0, 1.0, 2.0], 0, rng=0, size=3)
    >>> np.round(z, 3)
    array([[2.793, 0.829, 2.751],
           [8.496, 1.596, 1.511],
           [2.803, 1.083, 0.817]])
    >>> z.argmax(axis=-1)
    array([0, 0, 0])

    One index per row, here the Gumbel-max draws themselves: the pairs (index, sample) then have
    the law of the plain perturbed logits, whose mean is :math:`\ell + \gamma`:

    >>> logits = np.array([0.0, 1.0, 2.0])
    >>> b = rp.gumbel_max(logits, rng=4, size=200_000)
    >>> z = conditional_gumbel(logits, b, rng=104)
    >>> bool((z.argmax(axis=-1) == b).all())
    True
    >>> np.round(z.mean(axis=0) - logits, 2)
    array([0.58, 0.58, 0.58])

    The top coordinate is :math:`\mathrm{Gumbel}(\log W, 1)` whichever category won, with mean
    :math:`\log W + \gamma`:

    >>> top = np.take_along_axis(z, b[:, None], axis=-1)[:, 0]
    >>> print(round(float(top[b == 0].mean()), 1), round(float(top[b == 2].mean()), 1))
    3.0 3.0
    >>> print(round(float(np.log(np.exp(logits).sum()) + np.euler_gamma), 1))
    3.0
    """
    x = as_logits(logits)
    k = x.shape[-1]
    idx = _as_index(index, k)
    try:
        batch = np.broadcast_shapes(idx.shape, x.shape[:-1])
    except ValueError:
        raise ValueError(
            f"index: shape {idx.shape} does not broadcast with the batch shape {x.shape[:-1]} of logits"
        ) from None
    shape = as_size(size) + batch
    at = np.broadcast_to(idx, shape)
    chosen = np.take_along_axis(np.broadcast_to(x, shape + (k,)), at[..., None], axis=-1)
    if np.isneginf(chosen).any():
        raise ValueError("index: points at a -inf logit, a category of probability 0 (cannot condition on it)")
    e = _exponential(as_generator(rng), shape + (k,), x.dtype)
    return _given_argmax(x, at, e)
