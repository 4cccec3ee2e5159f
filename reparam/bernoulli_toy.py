r"""The Bernoulli toy of REBAR and RELAX, and stochastic gradient descent on it.

:math:`b \sim \mathrm{Bernoulli}(\theta)`, :math:`\theta = \sigma(\phi)`, and the objective

.. math:: L(\phi) = \mathbb{E}\big[(b - t)^2\big] = t^2 + \theta\,(1 - 2t), \qquad
          \frac{\mathrm{d}L}{\mathrm{d}\phi} = \theta(1-\theta)(1-2t).

Written as two categories with logits :math:`(0, \phi)`, the Gumbel-max draw is
:math:`b = 1\{\phi + \Lambda > 0\}` and the binary Gumbel-softmax sample is
:math:`y_1 = \sigma((\phi + \Lambda)/\tau)`, with :math:`\Lambda = G_1 - G_0` a standard
logistic variable. :func:`sgd` runs many independent SGD runs at once (one column each), so an
experiment is one vectorised loop over the steps, not a Python loop over runs.
"""

from __future__ import annotations

import numpy as np

from ._validate import ArrayLike, RngLike, as_count, as_generator, as_real_array, as_real_scalar, as_tau
from .gumbel import sample_gumbel

__all__ = ["ESTIMATORS", "sgd", "step_gradient"]

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
    if not isinstance(estimator, str):
        raise TypeError(f"estimator: expected a str, one of {ESTIMATORS}, got {type(estimator).__name__}")
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator: expected one of {ESTIMATORS}, got {estimator!r}")


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
    >>> from reparam import bernoulli_toy as bt
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
    >>> from reparam import bernoulli_toy as bt
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
    t = as_real_scalar(t, "t")
    if not 0.0 < t < 1.0:
        raise ValueError(f"t: must be in (0, 1), got {t}")
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
