r"""The Bernoulli toy of REBAR and RELAX: its objectives by quadrature, and SGD on it.

:math:`b \sim \mathrm{Bernoulli}(\theta)`, :math:`\theta = \sigma(\phi)`, and the objective

.. math:: L(\phi) = \mathbb{E}\big[(b - t)^2\big] = t^2 + \theta\,(1 - 2t), \qquad
          \frac{\mathrm{d}L}{\mathrm{d}\phi} = \theta(1-\theta)(1-2t).

Written as two categories with logits :math:`(0, \phi)`, the Gumbel-max draw is
:math:`b = 1\{\phi + \Lambda > 0\}` and the binary Gumbel-softmax sample is
:math:`y_1 = \sigma((\phi + \Lambda)/\tau)`, with :math:`\Lambda = G_1 - G_0` a standard
logistic variable.

Two groups of functions:

* **one step and many runs.** :func:`step_gradient` is one gradient estimate per draw of
  :math:`\Lambda`, and :func:`sgd` runs many independent SGD runs at once (one column each), so
  an experiment is one vectorised loop over the steps, not a Python loop over runs.
* **exact expectations over** :math:`\Lambda`, by adaptive quadrature
  (:func:`logistic_expectation`): the relaxed objective :math:`L_\tau` of the extension
  :math:`\tilde f(y) = (y_1 - t)^2` (:func:`relaxed_objective`), its gradient
  (:func:`relaxed_grad`) and minimiser (:func:`relaxed_argmin`), the mean relaxed sample
  (:func:`relaxed_mean`), the mean of the straight-through step
  (:func:`straight_through_mean`), the mean and variance of one relaxed step
  (:func:`step_moments`), and :math:`L_\tau - t^2` far out in the tail
  (:func:`relaxed_excess`). Their integrands are written out on their own, not through
  :func:`step_gradient`, so that each group checks the other.

Importing this module imports NumPy only; the quadrature functions import SciPy when called.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from reparam._validate import (
    ArrayLike,
    RngLike,
    as_callable,
    as_choice,
    as_count,
    as_generator,
    as_integer,
    as_real_array,
    as_real_scalar,
    as_tau,
)
from reparam.gumbel import sample_gumbel

__all__ = [
    "ESTIMATORS",
    "sgd",
    "step_gradient",
    "logistic_expectation",
    "relaxed_objective",
    "relaxed_grad",
    "relaxed_mean",
    "relaxed_argmin",
    "straight_through_mean",
    "step_moments",
    "relaxed_excess",
]

#: The gradient estimators :func:`sgd` can use.
ESTIMATORS = (
    "exact",
    "reinforce",
    "reinforce_mean_baseline",
    "reinforce_optimal_baseline",
    "gumbel_softmax",
    "straight_through",
)
_RELAXED = ("gumbel_softmax", "straight_through")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # 1 / (1 + exp(-x)) without overflow for large |x|
    return np.exp(-np.logaddexp(0.0, -x))


def _check_estimator(estimator: str) -> None:
    as_choice(estimator, "estimator", ESTIMATORS)


def _check_t(t: float) -> float:
    t = as_real_scalar(t, "t")
    if not 0.0 < t < 1.0:
        raise ValueError(f"t: must be in (0, 1), got {t}")
    return t


def _check_phi(phi: float) -> float:
    phi = as_real_scalar(phi, "phi")
    if not np.isfinite(phi):
        raise ValueError(f"phi: must be finite, got {phi}")
    return phi


def step_gradient(
    estimator: str,
    phi: ArrayLike,
    t: float,
    lam: ArrayLike | None = None,
    *,
    tau: float | None = None,
    baseline: ArrayLike = 0.0,
) -> np.ndarray:
    r"""One gradient estimate with respect to :math:`\phi` per entry of ``phi``.

    ``lam`` is the logistic noise :math:`\Lambda` of the draw (ignored by ``"exact"``). For the
    REINFORCE estimators :math:`\hat g = (f_b - c)(b - \theta)` with
    :math:`f_b = (b - t)^2` and the baseline :math:`c`; for Gumbel-softmax
    :math:`\hat g = 2(y_1 - t)\,y_1(1 - y_1)/\tau`, and for straight-through the same with
    :math:`y_1` replaced by :math:`b` in the first factor. These are the :math:`\phi`-components
    of :func:`reparam.reinforce_grad` and :func:`reparam.gumbel_softmax_grad` (with
    ``f(y) = (y_1 - t)^2``) on the logits :math:`(0, \phi)` and the same noise.

    Examples
    --------
    >>> import numpy as np
    >>> from reparam_book import bernoulli_toy as bt
    >>> print(np.round(bt.step_gradient("exact", 0.0, 0.45), 6))  # theta (1 - theta)(1 - 2t)
    0.025
    >>> lam = np.array([-1.0, 0.5, 2.0])  # logistic noise: b = 1{phi + lam > 0}
    >>> np.round(bt.step_gradient("reinforce", np.zeros(3), 0.45, lam), 6)
    array([-0.10125,  0.15125,  0.15125])
    >>> np.round(bt.step_gradient("gumbel_softmax", np.zeros(3), 0.45, lam, tau=0.5), 6)
    array([-0.138926,  0.221038,  0.037587])
    """
    _check_estimator(estimator)
    phi = np.asarray(phi, dtype=np.float64)
    theta = _sigmoid(phi)
    if estimator == "exact":
        return theta * (1 - theta) * (1 - 2 * t)
    if lam is None:
        raise ValueError(f"lam: the logistic noise is required for estimator {estimator!r}")
    b = (phi + lam > 0).astype(np.float64)
    if estimator.startswith("reinforce"):
        f_b = (b - t) ** 2
        return (f_b - baseline) * (b - theta)
    if tau is None:
        raise ValueError(f"tau: required for estimator {estimator!r}")
    y1 = _sigmoid((phi + lam) / tau)
    point = b if estimator == "straight_through" else y1
    return 2 * (point - t) * y1 * (1 - y1) / tau


def sgd(
    estimator: str,
    t: float,
    *,
    steps: int,
    eta: float,
    runs: int,
    rng: RngLike = None,
    tau: float | None = None,
    ema: float = 0.05,
) -> np.ndarray:
    r"""Plain SGD :math:`\phi \leftarrow \phi - \eta_i\,\hat g` from :math:`\phi = 0`, ``runs`` runs at once.

    Parameters
    ----------
    estimator : str
        One of :data:`ESTIMATORS`. The baselines of REINFORCE are exponential moving averages
        (weight ``ema``) over *past* draws of the same run: of :math:`f_b` for the mean
        baseline, and of :math:`f_b\lVert s\rVert^2` and :math:`\lVert s\rVert^2`
        (:math:`\lVert s\rVert^2 = 2(b-\theta)^2`) for the optimal one, whose value is their
        ratio (0 before the first draw). Each is fixed before the draw it is used with, so
        every step is unbiased.
    t : float
        Target of the toy, in (0, 1).
    steps, runs : int
        Number of SGD steps, and of independent runs (one noise stream each, drawn from ``rng``).
    eta : float or array_like of shape (steps,)
        Learning rate, > 0: one for every step, or a schedule (step ``i`` uses ``eta[i]``).
    rng : {None, int, numpy.random.Generator, numpy.random.BitGenerator, numpy.random.SeedSequence}
        Source of the logistic noise, one draw per step and run (as for
        :func:`numpy.random.default_rng`).
    tau : float
        Temperature, required for the relaxed estimators.
    ema : float
        Weight of the newest draw in the baselines' moving averages, in (0, 1].

    Returns
    -------
    numpy.ndarray, shape (steps + 1, runs)
        :math:`\phi` before the first step and after each step; row ``i`` is step ``i``.

    Examples
    --------
    Without noise (``"exact"``), :math:`\phi` moves by :math:`-\eta\,\theta(1-\theta)(1-2t)`
    per step:

    >>> import numpy as np
    >>> from reparam_book import bernoulli_toy as bt
    >>> np.round(bt.sgd("exact", 0.45, steps=3, eta=1.0, runs=1)[:, 0], 6)
    array([ 0.      , -0.025   , -0.049996, -0.07498 ])

    A thousand REINFORCE runs at once, one column each; on average they follow the exact
    trajectory:

    >>> phis = bt.sgd("reinforce", 0.45, steps=200, eta=1.0, runs=1000, rng=0)
    >>> phis.shape
    (201, 1000)
    >>> exact = bt.sgd("exact", 0.45, steps=200, eta=1.0, runs=1)[:, 0]
    >>> print(np.round(phis[-1].mean(), 1), np.round(exact[-1], 1))
    -2.7 -2.7
    """
    _check_estimator(estimator)
    t = _check_t(t)
    steps, runs = as_count(steps, "steps"), as_count(runs, "runs")
    try:
        etas = np.broadcast_to(as_real_array(eta, "eta").astype(np.float64), (steps,))
    except ValueError:
        raise ValueError(f"eta: expected a number or {steps} learning rates, got shape {np.shape(eta)}") from None
    if not (np.isfinite(etas).all() and (etas > 0).all()):
        raise ValueError("eta: learning rates must be finite and > 0")
    ema = as_real_scalar(ema, "ema")
    if not 0.0 < ema <= 1.0:
        raise ValueError(f"ema: must be in (0, 1], got {ema}")
    if estimator in _RELAXED:
        if tau is None:
            raise ValueError(f"tau: required for estimator {estimator!r}")
        tau = float(as_tau(tau))
    gen = as_generator(rng)
    phis = np.zeros((steps + 1, runs))
    if estimator == "exact":
        noise = None
    else:
        g = sample_gumbel((steps, runs, 2), rng=gen)
        noise = g[..., 1] - g[..., 0]
    phi = np.zeros(runs)
    mean_f, num, den = np.zeros(runs), np.zeros(runs), np.zeros(runs)
    for i in range(steps):
        lam = None if noise is None else noise[i]
        baseline = 0.0
        if estimator == "reinforce_mean_baseline":
            baseline = mean_f
        elif estimator == "reinforce_optimal_baseline":
            baseline = np.divide(num, den, out=np.zeros(runs), where=den > 0)
        grad = step_gradient(estimator, phi, t, lam, tau=tau, baseline=baseline)
        if estimator.startswith("reinforce_"):
            b = (phi + lam > 0).astype(np.float64)
            f_b = (b - t) ** 2
            s2 = 2 * (b - _sigmoid(phi)) ** 2
            mean_f += ema * (f_b - mean_f)
            num += ema * (f_b * s2 - num)
            den += ema * (s2 - den)
        phi = phi - etas[i] * grad
        phis[i + 1] = phi
    return phis


# ---------------------------------------------------------------------------------------------
# Exact expectations over the logistic noise, by quadrature
# ---------------------------------------------------------------------------------------------


def logistic_expectation(h: Callable[[float], float], split: float = 0.0) -> float:
    r""":math:`\mathbb{E}[h(\Lambda)]` for a standard logistic :math:`\Lambda`, by adaptive quadrature.

    .. math:: \mathbb{E}[h(\Lambda)] = \int_{-\infty}^{\infty} h(x)\,\sigma(x)\,\sigma(-x)\,\mathrm{d}x,

    where :math:`\sigma(x)\sigma(-x)` is the logistic density. The line is cut at ``split``,
    where :math:`h` changes fastest (for the toy, at :math:`x = -\phi`: there the draw
    :math:`b = 1\{\phi + x > 0\}` jumps and :math:`y_1` is steepest), and each half is
    integrated by :func:`scipy.integrate.quad` (absolute tolerance :math:`10^{-13}`, relative
    :math:`10^{-11}`).

    Parameters
    ----------
    h : callable
        A function of one float, integrable against the logistic density.
    split : float
        Where to cut the line.

    Returns
    -------
    float
        The expectation.

    Examples
    --------
    The variance of the standard logistic law is :math:`\pi^2/3`, and :math:`\sigma(\Lambda)` is
    uniform on (0, 1):

    >>> import numpy as np
    >>> from scipy import special
    >>> from reparam_book import bernoulli_toy as bt
    >>> print(round(bt.logistic_expectation(lambda x: x**2), 8), round(np.pi**2 / 3, 8))
    3.28986813 3.28986813
    >>> print(round(bt.logistic_expectation(special.expit, split=1.0), 10))
    0.5
    """
    from scipy import integrate, special

    h = as_callable(h, "h")
    split = as_real_scalar(split, "split")
    if not np.isfinite(split):
        raise ValueError(f"split: must be finite, got {split}")

    def weighted(x: float) -> float:
        return h(x) * (special.expit(x) * special.expit(-x))

    return float(
        sum(
            integrate.quad(weighted, lo, hi, epsabs=1e-13, epsrel=1e-11, limit=200)[0]
            for lo, hi in ((-np.inf, split), (split, np.inf))
        )
    )


def relaxed_objective(phi: float, t: float, *, tau: float) -> float:
    r"""The relaxed objective :math:`L_\tau(\phi)` of the toy, by quadrature.

    With the extension :math:`\tilde f(y) = (y_1 - t)^2` of :math:`f(b) = (b - t)^2` to the
    relaxed sample :math:`y_1 = \sigma((\phi + \Lambda)/\tau)`,

    .. math:: L_\tau(\phi) = \mathbb{E}_\Lambda\Big[\big(\sigma\big((\phi + \Lambda)/\tau\big) - t\big)^2\Big],

    the objective whose gradient the Gumbel-softmax estimator is unbiased for. As
    :math:`\tau \to 0` it tends to the true :math:`L(\phi) = t^2 + \theta(1 - 2t)`.

    Parameters
    ----------
    phi : float
        The logit, finite.
    t : float
        Target of the toy, in (0, 1).
    tau : float
        Temperature, > 0.

    Returns
    -------
    float
        :math:`L_\tau(\phi)`.

    Examples
    --------
    At :math:`\phi = 0` and :math:`\tau = 1`, :math:`y_1 = \sigma(\Lambda)` is uniform on (0, 1),
    so :math:`L_1(0) = \mathbb{E}[(U - t)^2] = 1/3 - t + t^2`:

    >>> from reparam_book import bernoulli_toy as bt
    >>> print(round(bt.relaxed_objective(0.0, 0.45, tau=1.0), 8), round(1 / 3 - 0.45 + 0.45**2, 8))
    0.08583333 0.08583333
    """
    from scipy import special

    phi, t, tau = _check_phi(phi), _check_t(t), as_tau(tau)
    return logistic_expectation(lambda x: (special.expit((phi + x) / tau) - t) ** 2, -phi)


def _relaxed_step_integrand(phi: float, t: float, tau: float, hard: bool) -> Callable[[float], float]:
    # x -> 2 (b - t) y1 (1 - y1) / tau, with y1 = sigma((phi + x)/tau) and b = y1 (Gumbel-softmax)
    # or b = 1{phi + x > 0} (straight-through); written apart from step_gradient on purpose
    from scipy import special

    def integrand(x: float) -> float:
        y = special.expit((phi + x) / tau)
        b = (x > -phi) if hard else y
        return 2 * (b - t) * y * (1 - y) / tau

    return integrand


def relaxed_grad(phi: float, t: float, *, tau: float) -> float:
    r""":math:`\mathrm{d}L_\tau/\mathrm{d}\phi`, the mean of the Gumbel-softmax step, by quadrature.

    Differentiating under the integral of :func:`relaxed_objective`, with
    :math:`\mathrm{d}y_1/\mathrm{d}\phi = y_1(1 - y_1)/\tau`,

    .. math:: \frac{\mathrm{d}L_\tau}{\mathrm{d}\phi}
              = \mathbb{E}_\Lambda\Big[2\,(y_1 - t)\,\frac{y_1(1 - y_1)}{\tau}\Big],
              \qquad y_1 = \sigma\big((\phi + \Lambda)/\tau\big).

    The integrand is the Gumbel-softmax step of :func:`step_gradient`, written out on its own.

    Parameters
    ----------
    phi : float
        The logit, finite.
    t : float
        Target of the toy, in (0, 1).
    tau : float
        Temperature, > 0.

    Returns
    -------
    float
        :math:`\mathrm{d}L_\tau/\mathrm{d}\phi` at ``phi``.

    Examples
    --------
    At :math:`\phi = 0` and :math:`\tau = 1` (:math:`y_1` uniform) it is
    :math:`2\,\mathbb{E}[(U - t)U(1 - U)] = 1/6 - t/3`, against the true
    :math:`\mathrm{d}L/\mathrm{d}\phi = (1 - 2t)/4`:

    >>> from reparam_book import bernoulli_toy as bt
    >>> print(round(bt.relaxed_grad(0.0, 0.45, tau=1.0), 8), round(1 / 6 - 0.45 / 3, 8), round(0.1 / 4, 8))
    0.01666667 0.01666667 0.025
    """
    phi, t, tau = _check_phi(phi), _check_t(t), as_tau(tau)
    return logistic_expectation(_relaxed_step_integrand(phi, t, tau, False), -phi)


def straight_through_mean(phi: float, t: float, *, tau: float) -> float:
    r"""The mean of the straight-through step, by quadrature.

    The straight-through estimate evaluates :math:`\nabla\tilde f` at the exact draw
    :math:`b = 1\{\phi + \Lambda > 0\}` but keeps the soft Jacobian:

    .. math:: \mathbb{E}\,\hat g_{\mathrm{ST}}
              = \mathbb{E}_\Lambda\Big[2\,(b - t)\,\frac{y_1(1 - y_1)}{\tau}\Big],

    which is neither :math:`\mathrm{d}L/\mathrm{d}\phi` nor :math:`\mathrm{d}L_\tau/\mathrm{d}\phi`
    in general.

    Parameters
    ----------
    phi : float
        The logit, finite.
    t : float
        Target of the toy, in (0, 1).
    tau : float
        Temperature, > 0.

    Returns
    -------
    float
        The mean straight-through step at ``phi``.

    Examples
    --------
    At :math:`\phi = 0` it equals the relaxed gradient at every :math:`\tau`: the difference of the
    two integrands, :math:`2(b - y_1)\,y_1(1 - y_1)/\tau`, changes sign under :math:`\Lambda \to
    -\Lambda`, which leaves the logistic law unchanged. At :math:`\tau = 1` both are
    :math:`1/6 - t/3`. Elsewhere they differ:

    >>> from reparam_book import bernoulli_toy as bt
    >>> print(round(bt.straight_through_mean(0.0, 0.45, tau=1.0), 8))
    0.01666667
    >>> print(round(bt.straight_through_mean(0.0, 0.45, tau=0.3), 8), round(bt.relaxed_grad(0.0, 0.45, tau=0.3), 8))
    0.02343522 0.02343522
    >>> print(round(bt.straight_through_mean(-1.0, 0.45, tau=1.0), 4), round(bt.relaxed_grad(-1.0, 0.45, tau=1.0), 4))
    -0.0381 -0.0145
    """
    phi, t, tau = _check_phi(phi), _check_t(t), as_tau(tau)
    return logistic_expectation(_relaxed_step_integrand(phi, t, tau, True), -phi)


def step_moments(estimator: str, phi: float, t: float, *, tau: float) -> tuple[float, float]:
    r"""Mean and variance of one relaxed step of :func:`step_gradient`, by quadrature.

    For ``"gumbel_softmax"`` the step is :math:`\hat g = 2(y_1 - t)\,y_1(1 - y_1)/\tau`, for
    ``"straight_through"`` the same with :math:`b` for :math:`y_1` in the first factor; the
    function returns :math:`\mathbb{E}\hat g` and
    :math:`\mathrm{Var}\,\hat g = \mathbb{E}\hat g^2 - (\mathbb{E}\hat g)^2`, the per-sample
    variance (averaging :math:`n` draws divides it by :math:`n`).

    Parameters
    ----------
    estimator : {"gumbel_softmax", "straight_through"}
        The relaxed estimator.
    phi : float
        The logit, finite.
    t : float
        Target of the toy, in (0, 1).
    tau : float
        Temperature, > 0.

    Returns
    -------
    (float, float)
        The mean and the variance of one step.

    Examples
    --------
    At :math:`\phi = 0` and :math:`\tau = 1`, :math:`\mathbb{E}\hat g_{\mathrm{ST}}^2 =
    4\,(t^2 + (1 - t)^2) / 60`:

    >>> from reparam_book import bernoulli_toy as bt
    >>> m, v = bt.step_moments("straight_through", 0.0, 0.45, tau=1.0)
    >>> print(round(m, 8), round(v, 8), round(4 * (0.45**2 + 0.55**2) / 60 - m**2, 8))
    0.01666667 0.03338889 0.03338889
    """
    _check_estimator(estimator)
    if estimator not in _RELAXED:
        raise ValueError(f"estimator: expected one of {_RELAXED}, got {estimator!r}")
    phi, t, tau = _check_phi(phi), _check_t(t), as_tau(tau)
    step = _relaxed_step_integrand(phi, t, tau, estimator == "straight_through")
    m1 = logistic_expectation(step, -phi)
    m2 = logistic_expectation(lambda x: step(x) ** 2, -phi)
    return m1, m2 - m1**2


def relaxed_mean(phi: float, *, tau: float) -> float:
    r""":math:`\mathbb{E}[y_1]`, the mean relaxed sample, by quadrature.

    .. math:: \mathbb{E}[y_1] = \mathbb{E}_\Lambda\big[\sigma\big((\phi + \Lambda)/\tau\big)\big];

    it tends to :math:`\theta = \sigma(\phi)` as :math:`\tau \to 0` and equals it at
    :math:`\tau = 1` only for :math:`\phi = 0`.

    Parameters
    ----------
    phi : float
        The logit, finite.
    tau : float
        Temperature, > 0.

    Returns
    -------
    float
        :math:`\mathbb{E}[y_1]`.

    Examples
    --------
    By symmetry it is 1/2 at :math:`\phi = 0` for every :math:`\tau`; at :math:`\tau = 1` it is
    :math:`\frac{a}{a - 1}\big(1 - \frac{\log a}{a - 1}\big)` with :math:`a = e^{\phi}`, not
    :math:`\theta = \sigma(\phi)`:

    >>> import numpy as np
    >>> from reparam_book import bernoulli_toy as bt
    >>> print(round(bt.relaxed_mean(0.0, tau=0.3), 10))
    0.5
    >>> a = np.exp(-1.0)
    >>> print(round(bt.relaxed_mean(-1.0, tau=1.0), 6), round(a / (a - 1) * (1 + 1 / (a - 1)), 6))
    0.338697 0.338697
    """
    from scipy import special

    phi, tau = _check_phi(phi), as_tau(tau)
    return logistic_expectation(lambda x: special.expit((phi + x) / tau), -phi)


def relaxed_argmin(t: float, *, tau: float) -> float:
    r"""The minimiser of :math:`L_\tau` over :math:`\phi`, or :math:`-\infty` if there is none.

    :func:`relaxed_grad` is evaluated on the grid :math:`\phi \in [-12, 4]` (33 points); if it
    is positive everywhere, :math:`L_\tau` increases and its infimum is at
    :math:`\theta \to 0` (returned as ``-inf``). Otherwise :func:`relaxed_objective` is minimised
    on :math:`[-6, 3]` by :func:`scipy.optimize.minimize_scalar` (bounded, ``xatol`` =
    :math:`10^{-9}`).

    Parameters
    ----------
    t : float
        Target of the toy, in (0, 1).
    tau : float
        Temperature, > 0.

    Returns
    -------
    float
        The minimising logit :math:`\phi`, or ``-inf``.

    Examples
    --------
    At :math:`t = 0.45` the relaxed optimum is interior for :math:`\tau = 1`, and runs off to
    :math:`\theta \to 0` for :math:`\tau = 0.1`:

    >>> import numpy as np
    >>> from reparam_book import bernoulli_toy as bt
    >>> print(round(float(1 / (1 + np.exp(-bt.relaxed_argmin(0.45, tau=1.0)))), 4))
    0.377
    >>> bt.relaxed_argmin(0.45, tau=0.1)
    -inf
    """
    from scipy import optimize

    t, tau = _check_t(t), as_tau(tau)
    grads = [relaxed_grad(phi, t, tau=tau) for phi in np.linspace(-12, 4, 33)]
    if min(grads) > 0:
        return -np.inf
    res = optimize.minimize_scalar(
        lambda phi: relaxed_objective(phi, t, tau=tau), bounds=(-6, 3), method="bounded", options={"xatol": 1e-9}
    )
    return float(res.x)


def relaxed_excess(phi: float, t: float, *, tau: float, order: int = 1) -> float:
    r""":math:`e^{-k\phi}\,(L_\tau(\phi) - t^2)`, accurate far out in the tail :math:`\phi \to -\infty`.

    :math:`L_\tau - t^2 = \mathbb{E}[y_1(y_1 - 2t)]` vanishes like :math:`e^{\phi}` (or like
    :math:`e^{2\phi}`) as :math:`\phi \to -\infty`, far below the roundoff of
    :func:`relaxed_objective`. Here it is integrated over :math:`u = \phi + \Lambda`, where
    :math:`y_1 = \sigma(u/\tau)` does not depend on :math:`\phi`, with the logistic density at
    :math:`u - \phi` and the factor :math:`e^{-k\phi}` taken inside in log space:

    .. math:: e^{-k\phi}\,(L_\tau(\phi) - t^2) = \int_{-\infty}^{\infty}
              \sigma(u/\tau)\big(\sigma(u/\tau) - 2t\big)\,
              \exp\big(-u - 2\log(1 + e^{\phi - u}) + (1 - k)\,\phi\big)\,\mathrm{d}u .

    Parameters
    ----------
    phi : float
        The logit, finite.
    t : float
        Target of the toy, in (0, 1).
    tau : float
        Temperature, > 0.
    order : int
        The power :math:`k \ge 1` of :math:`e^{\phi}` divided out.

    Returns
    -------
    float
        :math:`e^{-k\phi}\,(L_\tau(\phi) - t^2)`.

    Examples
    --------
    As :math:`\phi \to -\infty` at :math:`\tau < 1`, :math:`e^{-\phi}(L_\tau - t^2)` tends to
    :math:`\frac{\pi\tau}{\sin\pi\tau}(1 - 2t - \tau)`:

    >>> import numpy as np
    >>> from reparam_book import bernoulli_toy as bt
    >>> tau, t = 0.5, 0.45
    >>> slope = np.pi * tau / np.sin(np.pi * tau) * (1 - 2 * t - tau)
    >>> print(round(bt.relaxed_excess(-30.0, t, tau=tau), 6), round(slope, 6))
    -0.628319 -0.628319
    """
    from scipy import integrate, special

    phi, t, tau = _check_phi(phi), _check_t(t), as_tau(tau)
    order = as_integer(order, "order")
    if order < 1:
        raise ValueError(f"order: must be >= 1, got {order}")

    def integrand(u: float) -> float:
        y = special.expit(u / tau)
        log_w = -u - 2 * np.logaddexp(0.0, phi - u) + (1 - order) * phi
        return y * (y - 2 * t) * np.exp(log_w)

    return float(
        sum(
            integrate.quad(integrand, lo, hi, epsabs=0, epsrel=1e-11, limit=200)[0]
            for lo, hi in ((-np.inf, 0.0), (0.0, np.inf))
        )
    )
