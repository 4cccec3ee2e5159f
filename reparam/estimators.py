r"""Per-sample gradient estimators and the exact gradients they estimate.

Each estimator returns one gradient estimate per sample (an ``(n, d)`` array), not only their
mean, so that bias, variance and standard errors can be computed from the same draws:
``g.mean(0)`` estimates the gradient and ``g.std(0, ddof=1) / sqrt(n)`` is its standard error.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._docs import fill_doc
from ._validate import (
    ArrayFunc,
    ArrayLike,
    RngLike,
    as_bool,
    as_callable,
    as_count,
    as_generator,
    as_location,
    as_logit_vector,
    as_real_array,
    as_real_scalar,
    as_scale,
    as_tau,
    call_per_sample,
)
from .categorical import one_hot, softmax
from .gumbel import gumbel_max, gumbel_softmax
from .normal import sample_normal

__all__ = [
    "categorical_exact_grad",
    "reinforce_grad",
    "gumbel_softmax_grad",
    "gaussian_pathwise_grad",
    "gaussian_score_grad",
]


def _scalar(value: ArrayLike, name: str, validate: Callable[..., np.ndarray], **kw: bool) -> float:
    arr = validate(value, name, **kw)
    if arr.ndim != 0:
        raise ValueError(f"{name}: expected a scalar, got shape {arr.shape}")
    return float(arr)


def categorical_exact_grad(logits: ArrayLike, f_values: ArrayLike) -> np.ndarray:
    r"""Exact gradient of :math:`L(\ell) = \sum_i \mathrm{softmax}(\ell)_i f_i` w.r.t. the logits.

    .. math:: \frac{\partial L}{\partial \ell_j} = p_j\,(f_j - \textstyle\sum_i p_i f_i),
              \qquad p = \mathrm{softmax}(\ell).

    Parameters
    ----------
    logits : array_like, shape (k,)
    f_values : array_like, shape (k,)
        Finite value of the objective at each category.

    Returns
    -------
    numpy.ndarray, shape (k,)

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> np.round(rp.categorical_exact_grad([0.0, 1.0, 2.0], [1.0, -2.0, 0.5]), 6)
    array([ 0.096045, -0.473108,  0.377062])

    The gradient sums to zero (adding a constant to every logit changes nothing), and a
    ``-inf`` logit gets exactly zero:

    >>> g = rp.categorical_exact_grad([0.0, -np.inf, 2.0], [1.0, -2.0, 0.5])
    >>> bool(abs(g.sum()) < 1e-15), bool(g[1] == 0)
    (True, True)
    """
    x = as_logit_vector(logits)
    f = as_real_array(f_values, "f_values").astype(np.float64)
    if f.shape != x.shape:
        raise ValueError(f"f_values: expected shape {x.shape} (one value per category), got {f.shape}")
    if not np.isfinite(f).all():
        raise ValueError("f_values: must be finite")
    p = softmax(x)
    return p * (f - p @ f)


@fill_doc
def reinforce_grad(
    logits: ArrayLike,
    f: ArrayFunc,
    *,
    n: int,
    rng: RngLike = None,
    baseline: float = 0.0,
) -> np.ndarray:
    r"""Score-function (REINFORCE) estimates of the gradient of :math:`E_{y\sim p}[f(y)]`.

    With :math:`p = \mathrm{softmax}(\ell)` and :math:`\nabla_\ell \log p_y = e_y - p`,

    .. math:: \hat g = (f(y) - b)\,(e_y - p), \qquad y \sim \mathrm{Categorical}(p),

    unbiased for any constant baseline :math:`b` because :math:`E[e_y - p] = 0`. Categories are
    drawn with :func:`reparam.gumbel_max`.

    Parameters
    ----------
    logits : array_like, shape (k,)
    f : callable
        Maps an integer array of categories, shape (n,), to values, shape (n,).
    n : int
        Number of samples.
    %(rng)s
    baseline : float
        Constant subtracted from f(y).

    %(returns_estimates)s

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> f_values = np.array([1.0, -2.0, 0.5])
    >>> g = rp.reinforce_grad([0.0, 1.0, 2.0], lambda y: f_values[y], n=3, rng=0, baseline=0.25)
    >>> np.round(g, 6)
    array([[-0.022508, -0.061182,  0.08369 ],
           [ 0.682477, -0.183546, -0.498931],
           [ 0.202569, -1.699361,  1.496792]])

    Row by row, the categories are the Gumbel-max draws of the same seed:

    >>> rp.gumbel_max([0.0, 1.0, 2.0], rng=0, size=3)
    array([2, 0, 1])

    The mean of many estimates is close to :func:`categorical_exact_grad`
    (``0.096045, -0.473108, 0.377062``), within a few standard errors of about 0.002:

    >>> g = rp.reinforce_grad([0.0, 1.0, 2.0], lambda y: f_values[y], n=100_000, rng=0)
    >>> np.round(g.mean(axis=0), 2)
    array([ 0.1 , -0.47,  0.38])
    """
    x = as_logit_vector(logits)
    f = as_callable(f, "f")
    n = as_count(n)
    b = as_real_scalar(baseline, "baseline")
    if not np.isfinite(b):
        raise ValueError(f"baseline: must be finite, got {baseline}")
    y = gumbel_max(x, rng=as_generator(rng), size=n)
    fy = call_per_sample(f, y, (n,), "f")
    p = softmax(x)
    return (fy - b)[:, None] * (one_hot(y, x.shape[-1]) - p)


@fill_doc
def gumbel_softmax_grad(
    logits: ArrayLike,
    f: ArrayFunc,
    df: ArrayFunc,
    tau: float,
    *,
    n: int,
    rng: RngLike = None,
    hard: bool = False,
) -> np.ndarray:
    r"""Pathwise gradient estimates through the Gumbel-softmax relaxation.

    For :math:`y = \mathrm{softmax}((\ell + G)/\tau)` the Jacobian is
    :math:`J = \partial y/\partial \ell = (\mathrm{diag}(y) - y y^\top)/\tau` (symmetric), and

    .. math:: \hat g = J^\top \nabla f(y) = \frac{y \odot (\nabla f(y) - y^\top \nabla f(y))}{\tau},

    an unbiased estimate of the gradient of the *relaxed* objective :math:`E[f(y)]` and a biased
    one of the gradient of :math:`E_{i\sim p}[f(e_i)]`. With ``hard=True`` (straight-through)
    the gradient of ``f`` is taken at the one-hot :math:`e_{\arg\max y}` while the backward pass
    still uses the soft Jacobian.

    Parameters
    ----------
    logits : array_like, shape (k,)
    f : callable
        The objective on (n, k) arrays, returning shape (n,); evaluated at the points where
        ``df`` is taken, to check that the two agree in shape and are finite.
    df : callable
        Gradient of ``f``: maps (n, k) to (n, k).
    tau : float
        Temperature, > 0.
    n : int
        Number of samples.
    %(rng)s
    hard : bool
        Straight-through variant.

    %(returns_estimates)s

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> f_values = np.array([1.0, -2.0, 0.5])
    >>> f = lambda y: y @ f_values  # linear: f(e_i) = f_values[i]
    >>> df = lambda y: np.broadcast_to(f_values, y.shape)
    >>> g = rp.gumbel_softmax_grad([0.0, 1.0, 2.0], f, df, 0.5, n=100_000, rng=0)
    >>> g.shape
    (100000, 3)

    Each row sums to zero. The mean is the gradient of the *relaxed* objective, biased for the
    discrete one (:func:`categorical_exact_grad` gives ``0.096045, -0.473108, 0.377062``):

    >>> bool(np.abs(g.sum(axis=1)).max() < 1e-12)
    True
    >>> np.round(g.mean(axis=0), 2)
    array([ 0.11, -0.44,  0.33])
    """
    x = as_logit_vector(logits)
    f = as_callable(f, "f")
    df = as_callable(df, "df")
    t = as_tau(tau)
    hard = as_bool(hard, "hard")
    n = as_count(n)
    k = x.shape[-1]
    y = gumbel_softmax(x, t, rng=as_generator(rng), size=n)
    point = one_hot(np.argmax(y, axis=-1), k) if hard else y
    call_per_sample(f, point, (n,), "f")
    d = call_per_sample(df, point, (n, k), "df")
    return y * (d - np.sum(y * d, axis=-1, keepdims=True)) / t


@fill_doc
def gaussian_pathwise_grad(mu: float, sigma: float, df: ArrayFunc, *, n: int, rng: RngLike = None) -> np.ndarray:
    r"""Pathwise (reparameterization) estimates of :math:`\nabla_{\mu,\sigma} E[f(z)]`.

    With :math:`z = \mu + \sigma\varepsilon`, :math:`\varepsilon\sim\mathcal N(0,1)`:

    .. math:: \hat g = \big(f'(z),\; f'(z)\,\varepsilon\big).

    Parameters
    ----------
    mu, sigma : float
        Location and scale (sigma >= 0).
    df : callable
        Derivative of f, applied elementwise to an array of shape (n,).
    n : int
    %(rng)s

    Returns
    -------
    numpy.ndarray, shape (n, 2)
        Columns: d/dmu, d/dsigma.

    Examples
    --------
    For :math:`f(z) = z^2`, :math:`E f(z) = \mu^2 + \sigma^2` has gradient
    :math:`(2\mu, 2\sigma) = (2, 4)` at :math:`(\mu, \sigma) = (1, 2)`:

    >>> import numpy as np
    >>> import reparam as rp
    >>> g = rp.gaussian_pathwise_grad(1.0, 2.0, lambda z: 2 * z, n=100_000, rng=0)
    >>> np.round(g.mean(axis=0), 2)
    array([2., 4.])
    >>> np.round(g.std(axis=0), 1)  # per-sample spread: compare gaussian_score_grad
    array([4., 6.])
    """
    m = _scalar(mu, "mu", as_location)
    s = _scalar(sigma, "sigma", as_scale)
    df = as_callable(df, "df")
    n = as_count(n)
    z, eps = sample_normal(m, s, rng=as_generator(rng), size=n)
    d = call_per_sample(df, z, (n,), "df")
    return np.stack([d, d * eps], axis=-1)


@fill_doc
def gaussian_score_grad(mu: float, sigma: float, f: ArrayFunc, *, n: int, rng: RngLike = None) -> np.ndarray:
    r"""Score-function estimates of :math:`\nabla_{\mu,\sigma} E[f(z)]`, :math:`z\sim\mathcal N(\mu,\sigma^2)`.

    .. math:: \hat g = f(z)\,\Big(\frac{z-\mu}{\sigma^2},\;
                       \frac{(z-\mu)^2 - \sigma^2}{\sigma^3}\Big).

    The same seed gives the same :math:`z` as :func:`gaussian_pathwise_grad`.

    Parameters
    ----------
    mu, sigma : float
        Location and scale (sigma > 0: the score is undefined at sigma = 0).
    f : callable
        Applied elementwise to an array of shape (n,).
    n : int
    %(rng)s

    Returns
    -------
    numpy.ndarray, shape (n, 2)

    Examples
    --------
    The same gradient :math:`(2, 4)` as in :func:`gaussian_pathwise_grad`, with a larger
    per-sample spread:

    >>> import numpy as np
    >>> import reparam as rp
    >>> g = rp.gaussian_score_grad(1.0, 2.0, lambda z: z**2, n=100_000, rng=0)
    >>> np.round(g.mean(axis=0), 1)
    array([2., 4.])
    >>> np.round(g.std(axis=0), 1)
    array([ 8.7, 19.4])
    """
    m = _scalar(mu, "mu", as_location)
    s = _scalar(sigma, "sigma", as_scale, strictly_positive=True)
    f = as_callable(f, "f")
    n = as_count(n)
    z, eps = sample_normal(m, s, rng=as_generator(rng), size=n)
    fz = call_per_sample(f, z, (n,), "f")
    return fz[:, None] * np.stack([eps / s, (eps**2 - 1.0) / s], axis=-1)
