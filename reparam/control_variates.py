r"""REINFORCE with control variates: the leave-one-out baseline, REBAR and RELAX.

Each estimator is unbiased for the gradient of :math:`L(\ell) = E_{b \sim p}[f(b)]`,
:math:`p = \mathrm{softmax}(\ell)`, like :func:`reparam.reinforce_grad`, and subtracts something
whose mean is known (zero, or a term added back) to lower its variance:

* :func:`~reparam.reinforce_loo_grad`: :math:`m` draws per estimate, each using the mean of the other
  :math:`m - 1` values of :math:`f` as its baseline (Kool, van Hoof and Welling 2019);
* :func:`~reparam.relax_grad`: a control variate :math:`c(z)` of the Gumbel-perturbed logits
  :math:`z = \ell + G`, evaluated at a second sample :math:`\tilde z` drawn from the law of
  :math:`z` given the category :math:`b = \arg\max_i z_i` (:func:`~reparam.conditional_gumbel`),
  with its reparameterization gradients added back (Grathwohl et al. 2018);
* :func:`~reparam.rebar_grad`: RELAX with the control variate :math:`\eta\, f(\mathrm{softmax}(z/\tau))`,
  the Gumbel-softmax relaxation of :math:`f` itself (Tucker et al. 2017).

Like :mod:`reparam.estimators`, each returns one estimate per row, shape ``(n, k)``:
``g.mean(0)`` estimates the gradient with respect to the logits and
``g.std(0, ddof=1) / sqrt(n)`` is its standard error. Components of ``-inf`` logits are 0, as
in :func:`reparam.categorical_exact_grad`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._docs import fill_doc
from ._validate import (
    ArrayFunc,
    ArrayLike,
    RngLike,
    as_callable,
    as_count,
    as_generator,
    as_integer,
    as_logit_vector,
    as_real_scalar,
    as_tau,
    call_per_sample,
)
from .categorical import one_hot, softmax
from .gumbel import _exponential, gumbel_max
from .gumbel_truncation import _given_argmax

__all__ = ["reinforce_loo_grad", "relax_grad", "rebar_grad"]


@fill_doc
def reinforce_loo_grad(logits: ArrayLike, f: ArrayFunc, *, n: int, m: int, rng: RngLike = None) -> np.ndarray:
    r"""REINFORCE with the leave-one-out baseline: ``n`` estimates, each from ``m`` draws.

    With :math:`y_1, \dots, y_m` drawn independently from :math:`\mathrm{Categorical}(p)`, each
    draw's baseline is the mean of :math:`f` over the *other* draws, which is independent of it,
    so the estimate stays unbiased (Kool, van Hoof and Welling 2019):

    .. math::
        \hat g = \frac1m \sum_{i=1}^m \Big(f(y_i) - \frac{1}{m-1}\sum_{j \ne i} f(y_j)\Big)(e_{y_i} - p)
               = \frac{1}{m-1} \sum_{i=1}^m \big(f(y_i) - \bar f\big)(e_{y_i} - p),

    with :math:`\bar f` the mean over all :math:`m`. The factor :math:`1/(m-1)`, not
    :math:`1/m`: with the plain batch mean :math:`\bar f` as the baseline of :math:`1/m`-averaged
    REINFORCE, each baseline contains the draw it multiplies and the mean shrinks to
    :math:`(1 - 1/m)\,\nabla L`. Categories are drawn with :func:`reparam.gumbel_max`.

    Parameters
    ----------
    logits : array_like, shape (k,)
    f : callable
        Maps an integer array of categories, shape (n * m,), to values, shape (n * m,).
    %(n_estimates)s
    m : int
        Draws per estimate, >= 2; each estimate costs ``m`` evaluations of ``f``.
    %(rng)s

    %(returns_estimates)s

    Raises
    ------
    TypeError
        If ``f`` is not callable, or ``n``, ``m`` or ``rng`` is of the wrong type.
    ValueError
        If the logits are invalid or not a vector, ``n < 1``, ``m < 2``, or ``f`` returns the
        wrong shape or non-finite values.

    See Also
    --------
    reparam.reinforce_grad : one draw per estimate, with a constant baseline.

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> from reparam.control_variates import reinforce_loo_grad
    >>> logits, f_values = np.array([0.0, 1.0, 2.0]), np.array([1.0, -2.0, 0.5])
    >>> g = reinforce_loo_grad(logits, lambda y: f_values[y], n=100_000, m=4, rng=0)
    >>> g.shape
    (100000, 3)

    The mean is the exact gradient, ``0.096045, -0.473108, 0.377062``:

    >>> np.round(g.mean(axis=0), 2)
    array([ 0.1 , -0.47,  0.38])

    The baseline follows any constant added to :math:`f`, which plain REINFORCE does not: with
    :math:`f + 10` the estimates are unchanged, while the mean of 4 plain REINFORCE estimates
    (the same cost, 4 evaluations of :math:`f`) has a much larger total variance:

    >>> g10 = reinforce_loo_grad(logits, lambda y: f_values[y] + 10, n=100_000, m=4, rng=0)
    >>> np.allclose(g10, g)
    True
    >>> plain = rp.reinforce_grad(logits, lambda y: f_values[y] + 10, n=400_000, rng=0)
    >>> plain = plain.reshape(-1, 4, 3).mean(axis=1)
    >>> print(round(float(g.var(0).sum()), 2), round(float(plain.var(0).sum()), 1))
    0.27 10.8

    Without the shift, :math:`E f = -0.07` is already close to 0, the best constant baseline,
    and the noise of the estimated baseline makes the leave-one-out estimate the noisier of the
    two (up to the factor :math:`m/(m-1)`):

    >>> plain = rp.reinforce_grad(logits, lambda y: f_values[y], n=400_000, rng=0).reshape(-1, 4, 3).mean(axis=1)
    >>> print(round(float(plain.var(0).sum()), 2))
    0.19
    """
    x = as_logit_vector(logits)
    f = as_callable(f, "f")
    n = as_count(n)
    m = as_integer(m, "m")
    if m < 2:
        raise ValueError(f"m: the leave-one-out baseline needs at least 2 draws per estimate, got {m}")
    k = x.shape[-1]
    y = gumbel_max(x, rng=as_generator(rng), size=(n, m))
    fy = call_per_sample(f, y.reshape(-1), (n * m,), "f").reshape(n, m)
    score = one_hot(y, k) - softmax(x)
    centred = fy - fy.mean(axis=1, keepdims=True)
    return np.einsum("nm,nmk->nk", centred, score) / (m - 1)


def _relax(
    x: np.ndarray,
    f_b: Callable[[np.ndarray], np.ndarray],
    c: ArrayFunc,
    dc: ArrayFunc,
    n: int,
    gen: np.random.Generator,
) -> np.ndarray:
    """The RELAX estimate for vector logits ``x``; ``f_b`` maps the categories ``b`` to ``f(b)``."""
    k = x.shape[-1]
    z = x - np.log(_exponential(gen, (n, k), x.dtype))  # the noise of gumbel_max(x, size=n)
    b = np.argmax(z, axis=-1)
    z_tilde = _given_argmax(x, b, _exponential(gen, (n, k), x.dtype))
    fb = f_b(b)
    c_tilde = call_per_sample(c, z_tilde, (n,), "c")
    dc_z = call_per_sample(dc, z, (n, k), "dc")
    dc_tilde = call_per_sample(dc, z_tilde, (n, k), "dc")
    p = softmax(x)
    # d z_tilde_i / d l_j = r_i p_j + [i = j](1 - r_i), r_i = exp(z_tilde_i - z_tilde_b), r_b = 1:
    # the top moves with log W, each truncated coordinate with its own logit and with the top.
    top = np.take_along_axis(z_tilde, b[:, None], axis=-1)
    with np.errstate(under="ignore"):
        r = np.exp(z_tilde - top)
    grad_c_tilde = p * np.sum(r * dc_tilde, axis=-1, keepdims=True) + (1.0 - r) * dc_tilde
    g = (fb - c_tilde)[:, None] * (one_hot(b, k) - p) + dc_z - grad_c_tilde
    g[:, np.isneginf(x)] = 0.0
    return g


@fill_doc
def relax_grad(
    logits: ArrayLike, f: ArrayFunc, c: ArrayFunc, dc: ArrayFunc, *, n: int, rng: RngLike = None
) -> np.ndarray:
    r"""RELAX estimates of the gradient of :math:`E_{b\sim p}[f(b)]`, with the control variate ``c``.

    With :math:`z = \ell + G` (standard Gumbel :math:`G`), :math:`b = \arg\max_i z_i` (a draw
    from :math:`p = \mathrm{softmax}(\ell)`), and :math:`\tilde z` drawn from the law of
    :math:`z` given :math:`b`, reparameterized as in
    :func:`~reparam.conditional_gumbel` with fresh noise :math:`E`,

    .. math::
        \hat g = \big(f(b) - c(\tilde z)\big)(e_b - p)
                 + \nabla_\ell\, c(z) - \nabla_\ell\, c(\tilde z)
        \qquad (\nabla_\ell\, c(z) = \nabla c(z) \text{ since } \partial z / \partial \ell = I).

    It is unbiased for every differentiable :math:`c`: the reparameterization gradient
    :math:`E[\nabla_\ell c(z)]` of :math:`E[c(z)]` equals its score-function form
    :math:`E[c(\tilde z)(e_b - p)] + E[\nabla_\ell c(\tilde z)]`, which splits the expectation
    over :math:`b` and over :math:`z` given :math:`b` (Grathwohl et al. 2018). With the top
    :math:`\tilde z_b = \log W - \log E_b` and the others truncated below it, the Jacobian is

    .. math::
        \frac{\partial \tilde z_i}{\partial \ell_j} = r_i\, p_j + [i = j]\,(1 - r_i),
        \qquad r_i = e^{\tilde z_i - \tilde z_b} \in (0, 1], \quad r_b = 1.

    The noise is two draws ``rng.standard_exponential((n, k))``: the first makes :math:`z`, the
    noise of :func:`reparam.reinforce_grad` with the same seed (so the same categories, short of
    an exact tie in rounding), the second :math:`\tilde z`. :func:`~reparam.rebar_grad` draws the same.

    Parameters
    ----------
    logits : array_like, shape (k,)
    f : callable
        Maps an integer array of categories, shape (n,), to values, shape (n,): only its values
        at the draws are used, as in :func:`reparam.reinforce_grad`.
    c : callable
        The control variate: maps perturbed logits, shape (n, k), to values, shape (n,).
        Entries of ``-inf`` logits are ``-inf``.
    dc : callable
        Gradient of ``c`` with respect to its argument: maps (n, k) to (n, k).
    %(n_estimates)s
    %(rng)s

    %(returns_estimates)s

    Raises
    ------
    TypeError
        If ``f``, ``c`` or ``dc`` is not callable, or ``n`` or ``rng`` is of the wrong type.
    ValueError
        If the logits are invalid or not a vector, ``n < 1``, or a callable returns the wrong
        shape or non-finite values.

    See Also
    --------
    rebar_grad : RELAX with the relaxation of ``f`` as the control variate.

    Examples
    --------
    A control variate that ignores the noise, :math:`c(z) = 0`, gives plain REINFORCE, draw for
    draw:

    >>> import numpy as np
    >>> import reparam as rp
    >>> from reparam.control_variates import relax_grad
    >>> logits, f_values = np.array([0.0, 1.0, 2.0]), np.array([1.0, -2.0, 0.5])
    >>> f = lambda b: f_values[b]
    >>> zero, dzero = (lambda z: np.zeros(len(z))), (lambda z: np.zeros(z.shape))
    >>> np.allclose(relax_grad(logits, f, zero, dzero, n=5, rng=0), rp.reinforce_grad(logits, f, n=5, rng=0))
    True

    A control variate that follows :math:`f` lowers the variance. Here it is the linear function
    :math:`c(z) = \mathrm{softmax}(z)^\top f`, which is :func:`~reparam.rebar_grad`'s control variate for
    :math:`f(y) = y^\top f` at :math:`\tau = \eta = 1`, draw for draw:

    >>> from reparam.control_variates import rebar_grad
    >>> c = lambda z: rp.softmax(z) @ f_values
    >>> def dc(z):
    ...     y = rp.softmax(z)
    ...     return y * (f_values - (y @ f_values)[:, None])
    >>> g = relax_grad(logits, f, c, dc, n=200_000, rng=0)
    >>> f_y, df_y = (lambda y: y @ f_values), (lambda y: np.broadcast_to(f_values, y.shape))
    >>> np.allclose(g, rebar_grad(logits, f_y, df_y, 1.0, n=200_000, rng=0))
    True
    >>> np.round(g.mean(axis=0), 2)
    array([ 0.1 , -0.47,  0.38])
    >>> g0 = rp.reinforce_grad(logits, f, n=200_000, rng=0)
    >>> print(round(float(g.var(0).sum()), 2), round(float(g0.var(0).sum()), 2))
    0.49 0.77
    """
    x = as_logit_vector(logits)
    f = as_callable(f, "f")
    c = as_callable(c, "c")
    dc = as_callable(dc, "dc")
    n = as_count(n)
    return _relax(x, lambda b: call_per_sample(f, b, (n,), "f"), c, dc, n, as_generator(rng))


@fill_doc
def rebar_grad(
    logits: ArrayLike,
    f: ArrayFunc,
    df: ArrayFunc,
    tau: float,
    *,
    eta: float = 1.0,
    n: int,
    rng: RngLike = None,
) -> np.ndarray:
    r"""REBAR estimates: REINFORCE with the Gumbel-softmax relaxation of ``f`` as control variate.

    The objective is :math:`E_{b \sim p}[f(e_b)]`, with ``f`` defined on the simplex (as for
    :func:`reparam.gumbel_softmax_grad`) and evaluated at the one-hot :math:`e_b`; the control
    variate is its value at the relaxed sample, scaled by :math:`\eta` (Tucker et al. 2017):

    .. math::
        c(z) = \eta\, f\big(\sigma_\tau(z)\big), \quad \sigma_\tau(z) = \mathrm{softmax}(z/\tau),
        \qquad
        \hat g = \big(f(e_b) - c(\tilde z)\big)(e_b - p) + \nabla_\ell\, c(z) - \nabla_\ell\, c(\tilde z),

    the estimator of :func:`~reparam.relax_grad` with :math:`\nabla c(z) = \eta\, J^\top \nabla f(y)`,
    :math:`y = \sigma_\tau(z)` and :math:`J = (\mathrm{diag}\, y - y y^\top)/\tau`. It is unbiased
    for every :math:`\eta` and :math:`\tau`, which can therefore be tuned freely, for instance by
    the gradient of :math:`E[\hat g^2]`; :math:`\eta = 0` is plain REINFORCE.

    Parameters
    ----------
    logits : array_like, shape (k,)
    f : callable
        The objective on points of the simplex: maps (n, k) to (n,); evaluated at one-hot rows
        for :math:`f(e_b)` and at relaxed samples for the control variate.
    df : callable
        Gradient of ``f``: maps (n, k) to (n, k).
    tau : float
        Temperature of the relaxation, > 0.
    eta : float
        Scale of the control variate, finite.
    %(n_estimates)s
    %(rng)s

    %(returns_estimates)s

    Raises
    ------
    TypeError
        If ``f`` or ``df`` is not callable, or ``tau``, ``eta``, ``n`` or ``rng`` is of the
        wrong type.
    ValueError
        If the logits are invalid or not a vector, ``tau`` is not > 0, ``eta`` is not finite,
        ``n < 1``, or ``f`` or ``df`` returns the wrong shape or non-finite values.

    See Also
    --------
    relax_grad : the same estimator with any control variate.
    reparam.gumbel_softmax_grad : the relaxed, biased estimator this one corrects.

    Examples
    --------
    Three categories with values :math:`f = (1, -2, 0.5)` and the linear extension
    :math:`f(y) = y^\top f`; the exact gradient is ``0.096045, -0.473108, 0.377062``:

    >>> import numpy as np
    >>> import reparam as rp
    >>> from reparam.control_variates import rebar_grad
    >>> logits, f_values = np.array([0.0, 1.0, 2.0]), np.array([1.0, -2.0, 0.5])
    >>> f = lambda y: y @ f_values
    >>> df = lambda y: np.broadcast_to(f_values, y.shape)
    >>> g = rebar_grad(logits, f, df, 1.0, n=200_000, rng=0)
    >>> np.round(g.mean(axis=0), 2)
    array([ 0.1 , -0.47,  0.38])

    The total variance against plain REINFORCE on the same categories, and :math:`\eta = 0`,
    which is plain REINFORCE:

    >>> g0 = rp.reinforce_grad(logits, lambda b: f_values[b], n=200_000, rng=0)
    >>> print(round(float(g.var(0).sum()), 2), round(float(g0.var(0).sum()), 2))
    0.49 0.77
    >>> np.allclose(rebar_grad(logits, f, df, 1.0, eta=0.0, n=5, rng=0), g0[:5])
    True

    A temperature too small for the problem makes it worse than REINFORCE, although still
    unbiased: the correction terms grow like :math:`1/\tau`:

    >>> g_cold = rebar_grad(logits, f, df, 0.1, n=200_000, rng=0)
    >>> print(round(float(g_cold.var(0).sum()), 1))
    3.7
    """
    x = as_logit_vector(logits)
    f = as_callable(f, "f")
    df = as_callable(df, "df")
    t = as_tau(tau)
    eta = as_real_scalar(eta, "eta")
    if not np.isfinite(eta):
        raise ValueError(f"eta: must be finite, got {eta}")
    n = as_count(n)
    k = x.shape[-1]

    def relaxed(z: np.ndarray) -> np.ndarray:
        with np.errstate(under="ignore", invalid="ignore"):
            return softmax((z - np.max(z, axis=-1, keepdims=True)) / t)

    def c(z: np.ndarray) -> np.ndarray:
        return eta * call_per_sample(f, relaxed(z), (n,), "f")

    def dc(z: np.ndarray) -> np.ndarray:
        y = relaxed(z)
        d = call_per_sample(df, y, (n, k), "df")
        return eta * y * (d - np.sum(y * d, axis=-1, keepdims=True)) / t

    def f_b(b: np.ndarray) -> np.ndarray:
        return call_per_sample(f, one_hot(b, k), (n,), "f")

    return _relax(x, f_b, c, dc, n, as_generator(rng))
