r"""Gumbel noise and the samplers built on it.

A standard Gumbel variable is :math:`G = -\log E` with :math:`E \sim \mathrm{Exp}(1)`, which
is the same as the textbook :math:`-\log(-\log U)` with :math:`U \sim \mathrm{U}(0, 1)` (because
:math:`-\log U \sim \mathrm{Exp}(1)`), but costs one logarithm instead of two. Adding independent
Gumbel noise to logits and taking the argmax draws a category with probability
:math:`\mathrm{softmax}(\ell)_i` (the Gumbel-max trick); replacing the argmax by a tempered
softmax gives the Gumbel-softmax (Concrete) relaxation, and a tempered log-softmax its
logarithm (the ExpConcrete distribution).

All samplers draw their noise from one call
``rng.standard_exponential(size + logits.shape, dtype)`` (float32 for float32 logits, float64
otherwise), so with one integer seed :func:`~reparam.gumbel_max`, :func:`~reparam.gumbel_softmax` and
:func:`~reparam.log_gumbel_softmax` see the same noise (common random numbers):
``gumbel_max(l, rng=s)`` equals ``gumbel_softmax(l, tau, rng=s).argmax(-1)`` draw for draw (up
to rounding at exact ties), and ``exp(log_gumbel_softmax(l, tau, rng=s))`` equals
``gumbel_softmax(l, tau, rng=s)`` up to rounding wherever the latter does not underflow.
"""

from __future__ import annotations

import numpy as np

from ._docs import fill_doc
from ._rows import row_max, row_sum
from ._validate import (
    ArrayLike,
    DTypeLike,
    RngLike,
    SizeLike,
    as_bool,
    as_float_dtype,
    as_generator,
    as_integer,
    as_logits,
    as_size,
    as_tau,
)

__all__ = ["sample_gumbel", "gumbel_max", "gumbel_softmax", "log_gumbel_softmax", "gumbel_top_k"]


def _exponential(rng: np.random.Generator, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """Exp(1) draws that are never exactly zero.

    A zero would become ``-log(0) = inf`` downstream. Replacing it by the smallest normal
    number of the dtype changes nothing in distribution (a zero has probability below
    ``tiny``) and, unlike clamping a uniform to ``[eps, 1 - eps]``, leaves the tails intact.
    """
    e = rng.standard_exponential(shape, dtype=dtype)
    np.maximum(e, np.finfo(dtype).tiny, out=e)
    return e


def _divisor(t: float, dtype: np.dtype) -> np.floating:
    """The temperature in ``dtype``, clipped to its representable range.

    A temperature outside the dtype's range would round to 0 (0/0 = NaN at the row maximum) or
    to inf (-inf/inf = NaN for a -inf logit); clipping gives the same limits (one-hot, or
    uniform over the finite logits).
    """
    finfo = np.finfo(dtype)
    return dtype.type(min(max(t, float(finfo.smallest_normal)), float(finfo.max)))


@fill_doc
def sample_gumbel(shape: SizeLike, *, rng: RngLike = None, dtype: DTypeLike = np.float64) -> np.ndarray:
    r"""Draw standard Gumbel(0, 1) variables.

    The CDF is :math:`F(g) = \exp(-e^{-g})`, the density :math:`f(g) = e^{-g - e^{-g}}`, the mean
    the Euler-Mascheroni constant :math:`\gamma \approx 0.5772` and the variance :math:`\pi^2/6`.

    Parameters
    ----------
    shape : int or tuple of int
        Shape of the output.
    %(rng)s
    dtype : {float64, float32}
        Output dtype.

    Returns
    -------
    numpy.ndarray
        Finite Gumbel draws :math:`G = -\log E`, :math:`E \sim \mathrm{Exp}(1)`.

    Raises
    ------
    TypeError
        If ``dtype`` is not float32 or float64, or ``shape`` or ``rng`` is of the wrong type.
    ValueError
        If ``shape`` has a negative dimension or ``rng`` is a negative seed.

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> g = rp.sample_gumbel((2, 3), rng=0)
    >>> g.shape, g.dtype
    ((2, 3), dtype('float64'))
    >>> np.round(rp.sample_gumbel(4, rng=0), 6)
    array([ 0.385763, -0.019408,  3.921737,  6.088272])

    The same seed gives the same draws; the sample mean is close to :math:`\gamma`:

    >>> np.array_equal(rp.sample_gumbel(5, rng=7), rp.sample_gumbel(5, rng=7))
    True
    >>> print(round(float(rp.sample_gumbel(100_000, rng=0).mean()), 2))
    0.58
    >>> rp.sample_gumbel(3, rng=0, dtype=np.float32).dtype
    dtype('float32')
    """
    dt = as_float_dtype(dtype)
    g = _exponential(as_generator(rng), as_size(shape, "shape"), dt)
    np.log(g, out=g)
    np.negative(g, out=g)
    return g


@fill_doc
def gumbel_max(logits: ArrayLike, *, rng: RngLike = None, size: SizeLike = None) -> np.ndarray:
    r"""Sample categories with the Gumbel-max trick.

    .. math:: I = \arg\max_i\,(\ell_i + G_i), \qquad P(I = i) = \frac{e^{\ell_i}}{\sum_j e^{\ell_j}}.

    Implemented as the equivalent exponential race :math:`\arg\min_i E_i / w_i` with
    :math:`w_i = e^{\ell_i - \max_j \ell_j}` and :math:`G_i = -\log E_i`, which needs no logarithm.

    Parameters
    ----------
    logits : array_like, shape (..., k)
        Unnormalized log-probabilities; ``-inf`` marks a category that is never drawn.
    %(rng)s
    size : int, tuple of int or None
        Shape of independent draws prepended to the batch shape ``logits.shape[:-1]``.

    Returns
    -------
    numpy.ndarray of int64, shape ``size + logits.shape[:-1]``

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> rp.gumbel_max([0.0, 1.0, 2.0], rng=0, size=8)
    array([2, 0, 1, 2, 1, 2, 2, 2])

    The frequencies approach :math:`\mathrm{softmax}(\ell)`:

    >>> draws = rp.gumbel_max([0.0, 1.0, 2.0], rng=0, size=100_000)
    >>> np.round(np.bincount(draws, minlength=3) / draws.size, 2)
    array([0.09, 0.24, 0.66])
    >>> np.round(rp.softmax([0.0, 1.0, 2.0]), 2)
    array([0.09, 0.24, 0.67])

    A batch of two distributions, and a ``-inf`` category that is never drawn:

    >>> rp.gumbel_max([[0.0, -np.inf, 1.0], [5.0, 0.0, 0.0]], rng=1, size=3)
    array([[0, 0],
           [2, 0],
           [2, 0]])
    """
    x = as_logits(logits)
    shape = as_size(size) + x.shape
    with np.errstate(under="ignore"):
        w = np.exp(x - np.max(x, axis=-1, keepdims=True))
    race = _exponential(as_generator(rng), shape, x.dtype)
    with np.errstate(divide="ignore", over="ignore"):
        race /= w  # zero weight (-inf logit) -> +inf: never the minimum
    return np.argmin(race, axis=-1).astype(np.int64, copy=False)


@fill_doc
def gumbel_softmax(
    logits: ArrayLike,
    tau: float,
    *,
    rng: RngLike = None,
    size: SizeLike = None,
    hard: bool = False,
) -> np.ndarray:
    r"""Relaxed one-hot samples (Gumbel-softmax / Concrete).

    .. math:: y_i = \frac{\exp((\ell_i + G_i)/\tau)}{\sum_j \exp((\ell_j + G_j)/\tau)}.

    The row maximum of :math:`\ell + G` is subtracted before dividing by :math:`\tau`, so every
    exponent is :math:`\le 0`: no overflow for tiny temperatures or huge logits, and the largest
    entry is exactly :math:`e^0 = 1` before normalisation, so rows never become NaN. Entries
    far below the largest one underflow to exactly 0 at small :math:`\tau` (with logits
    :math:`\pm 50` and :math:`\tau = 0.05`, in every row); :func:`log_gumbel_softmax` samples
    :math:`\log y` instead, which never underflows.

    Parameters
    ----------
    logits : array_like, shape (..., k)
        Unnormalized log-probabilities; ``-inf`` entries give exactly 0.
    tau : float
        Temperature, finite and > 0. Small values approach one-hot vectors.
    %(rng)s
    size : int, tuple of int or None
        Shape of independent draws prepended to ``logits.shape``.
    hard : bool
        If true, return the exact one-hot vector of the argmax (the forward value of the
        straight-through estimator); ties go to the first index, never a multi-hot vector.

    Returns
    -------
    numpy.ndarray, shape ``size + logits.shape``
        float32 for float32 logits, float64 otherwise; each row sums to 1.

    See Also
    --------
    log_gumbel_softmax : the logarithm of the same sample, computed without underflow.
    concrete_log_density : the density of these samples.

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> y = rp.gumbel_softmax([0.0, 1.0, 2.0], 1.0, rng=0, size=3)
    >>> np.round(y, 3)
    array([[0.004, 0.007, 0.989],
           [0.979, 0.011, 0.01 ],
           [0.193, 0.467, 0.34 ]])
    >>> np.allclose(y.sum(axis=-1), 1.0)
    True

    The argmax is the Gumbel-max draw of the same seed (the same noise), and ``hard=True``
    returns its one-hot vector:

    >>> y.argmax(axis=-1)
    array([2, 0, 1])
    >>> rp.gumbel_max([0.0, 1.0, 2.0], rng=0, size=3)
    array([2, 0, 1])
    >>> rp.gumbel_softmax([0.0, 1.0, 2.0], 1.0, rng=0, size=2, hard=True)
    array([[0., 0., 1.],
           [1., 0., 0.]])

    A small temperature gives nearly one-hot rows:

    >>> np.round(rp.gumbel_softmax([0.0, 1.0, 2.0], 0.05, rng=0, size=2), 4)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    x = as_logits(logits)
    t = as_tau(tau)
    hard = as_bool(hard, "hard")
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
    divisor = _divisor(t, dt)
    with np.errstate(under="ignore", over="ignore"):
        y /= divisor
        np.exp(y, out=y)
    y /= row_sum(y)
    return y


@fill_doc
def log_gumbel_softmax(logits: ArrayLike, tau: float, *, rng: RngLike = None, size: SizeLike = None) -> np.ndarray:
    r"""Logarithms of Gumbel-softmax samples, drawn in log space (the ExpConcrete distribution).

    .. math:: \log y_i = \frac{\ell_i + G_i}{\tau}
                         - \operatorname{logsumexp}_j \frac{\ell_j + G_j}{\tau},

    the log-softmax of the tempered noisy logits (Maddison et al. 2017, appendix C; TFP's
    ``ExpRelaxedOneHotCategorical``). :math:`\exp(\log y)` is a Gumbel-softmax sample, but
    :math:`\log y` itself never underflows: at small :math:`\tau`, where entries of
    :func:`gumbel_softmax` round to exactly 0 (and :func:`concrete_log_density` cannot be
    evaluated), the entries here stay finite, e.g. about :math:`-2000` for logits
    :math:`\pm 50` at :math:`\tau = 0.05`. Its density is :func:`exp_concrete_log_density`.

    The noise is the same as :func:`gumbel_softmax`'s for the same seed, so
    ``np.exp(log_gumbel_softmax(l, tau, rng=s))`` equals ``gumbel_softmax(l, tau, rng=s)`` up to
    rounding wherever the latter does not underflow.

    Parameters
    ----------
    logits : array_like, shape (..., k)
        Unnormalized log-probabilities; ``-inf`` entries give exactly ``-inf``.
    tau : float
        Temperature, finite and > 0.
    %(rng)s
    size : int, tuple of int or None
        Shape of independent draws prepended to ``logits.shape``.

    Returns
    -------
    numpy.ndarray, shape ``size + logits.shape``
        float32 for float32 logits, float64 otherwise. Every entry is :math:`\le 0` and each row
        has :math:`\operatorname{logsumexp} = 0`; entries are finite except for ``-inf`` logits
        (and at temperatures so small that :math:`(\ell_i + G_i - \max_j(\ell_j + G_j))/\tau`
        overflows the dtype).

    See Also
    --------
    gumbel_softmax : the same samples, exponentiated.
    exp_concrete_log_density : the density of these samples.

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> log_y = rp.log_gumbel_softmax([50.0, -50.0], 0.05, rng=0, size=3)
    >>> np.round(log_y, 1)
    array([[    0. , -2008.1],
           [    0. , -1956.7],
           [    0. , -2021.7]])

    The same samples through :func:`gumbel_softmax` have underflowed to exact zeros, where the
    Concrete density cannot be evaluated; the ExpConcrete density can:

    >>> rp.gumbel_softmax([50.0, -50.0], 0.05, rng=0, size=3)
    array([[1., 0.],
           [1., 0.],
           [1., 0.]])
    >>> np.isfinite(rp.exp_concrete_log_density(log_y, [50.0, -50.0], 0.05)).all()
    np.True_

    Without underflow, the exponential is the Gumbel-softmax sample of the same seed:

    >>> y = rp.gumbel_softmax([0.0, 1.0, 2.0], 0.5, rng=1, size=1000)
    >>> np.allclose(np.exp(rp.log_gumbel_softmax([0.0, 1.0, 2.0], 0.5, rng=1, size=1000)), y)
    True
    """
    x = as_logits(logits)
    t = as_tau(tau)
    dt = x.dtype
    # The same noise and the same steps as gumbel_softmax, up to its exponential: z is
    # (logits + G - max(logits + G)) / tau, every entry <= 0 and the row maximum exactly 0.
    z = _exponential(as_generator(rng), as_size(size) + x.shape, dt)
    np.log(z, out=z)
    np.subtract(x, z, out=z)
    z -= row_max(z)
    divisor = _divisor(t, dt)
    with np.errstate(under="ignore", over="ignore"):
        z /= divisor
        lse = np.exp(z)
    lse = row_sum(lse)  # >= 1, since the row maximum of z is exactly 0
    np.log(lse, out=lse)
    z -= lse
    return z


@fill_doc
def gumbel_top_k(logits: ArrayLike, k: int, *, rng: RngLike = None, size: SizeLike = None) -> np.ndarray:
    r"""Ordered sample of distinct categories without replacement (Gumbel-top-k).

    The indices of the ``k`` largest :math:`\ell_i + G_i`, largest first. In the book's notation
    (chapter 6) the categories number :math:`k` and the sample draws :math:`m` of them, so this
    function's argument ``k`` is the book's :math:`m`; the name is the trick's. The ordered sample
    :math:`(r_1, \dots, r_m)` has the Plackett-Luce probability

    .. math:: \prod_{j=1}^{m} \frac{w_{r_j}}{\sum_{i \notin \{r_1,\dots,r_{j-1}\}} w_i},
              \qquad w_i = e^{\ell_i}.

    Parameters
    ----------
    logits : array_like, shape (..., number of categories)
        Unnormalized log-probabilities; ``-inf`` categories are never drawn.
    k : int
        How many distinct categories to draw (the book's :math:`m`), between 1 and the number of
        finite logits in every row.
    %(rng)s
    size : int, tuple of int or None
        Shape of independent draws prepended to the batch shape ``logits.shape[:-1]``.

    Returns
    -------
    numpy.ndarray of int64, shape ``size + logits.shape[:-1] + (k,)``

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> logits = [0.0, 1.0, 2.0, 0.5]
    >>> rp.gumbel_top_k(logits, 2, rng=0, size=4)
    array([[3, 2],
           [2, 3],
           [3, 2],
           [1, 2]])

    The first column is the Gumbel-max draw of the same seed; with ``k`` equal to the number
    of categories each row is a random permutation:

    >>> rp.gumbel_max(logits, rng=0, size=4)
    array([3, 2, 3, 1])
    >>> np.sort(rp.gumbel_top_k(logits, 4, rng=0, size=2), axis=-1)
    array([[0, 1, 2, 3],
           [0, 1, 2, 3]])
    """
    x = as_logits(logits)
    k = as_integer(k, "k")
    n_finite = int(np.min(np.sum(np.isfinite(x), axis=-1)))
    if k < 1 or k > n_finite:
        raise ValueError(f"k: must be between 1 and the number of finite logits in every row ({n_finite}), got {k}")
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
