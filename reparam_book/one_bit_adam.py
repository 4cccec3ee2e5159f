r"""The one-bit toy of REBAR and RELAX optimised by Adam, many runs at once, one column each.

:math:`b \sim \mathrm{Bernoulli}(\theta)`, :math:`\theta = \sigma(\phi)`, and
:math:`f(b) = (b - t)^2`, written as two categories with logits :math:`(0, \phi)`. The noise of one
estimate is four :math:`\mathrm{Exp}(1)` draws, passed as their logarithms ``log_e`` (first axis of
length 4). The first two make the perturbed logits :math:`z = (-\log E_0, \phi - \log E_1)`, their
difference :math:`d = z_1 - z_0` (:math:`\phi` plus logistic noise) and the bit
:math:`b = 1\{d > 0\}`; the last two make the conditional sample :math:`\tilde z` given :math:`b`
of :func:`reparam.gumbel_truncation.conditional_gumbel` (the top :math:`\log W - \log \tilde E_b`,
the other coordinate truncated below it), through its difference :math:`\tilde d = \tilde z_1 -
\tilde z_0` and the derivative

.. math::
    \frac{\partial \tilde d}{\partial \phi} = \begin{cases}
    \theta\,(1 - e^{-\tilde d}) & b = 1, \\ (1 - \theta)(1 - e^{\tilde d}) & b = 0, \end{cases}

the :math:`\phi`-column of the Jacobian :math:`r_i p_j + [i = j](1 - r_i)` of
:func:`reparam.control_variates.relax_grad` for two categories. Every estimator returns the
:math:`\phi`-component of :func:`reparam.reinforce_grad`, :func:`reparam.control_variates.rebar_grad`
or :func:`reparam.control_variates.relax_grad` on the same noise (the tests check it draw for draw).

Four groups:

* **the draws**: :func:`one_bit_draws`;
* **REBAR with its tuning gradient** (:func:`rebar_estimate`): the estimate and its derivatives in
  :math:`\eta` and :math:`\log\tau`, by hand, for the one-sample variance gradient
  :math:`2\hat g\,\partial\hat g/\partial(\eta, \log\tau)` of Tucker et al. (2017); and REBAR's
  exact variance at a fixed :math:`\phi`, by quadrature (:func:`rebar_variance_terms`);
* **RELAX's network** :math:`c_\psi` (:func:`relax_network`, :func:`relax_network_init`) and the
  estimate with the gradient of :math:`\hat g^2` in :math:`\psi`
  (:func:`relax_estimate`), both differentiated by hand (the tests compare with autograd);
* **the runs** (:func:`run`, :data:`ESTIMATORS`): Adam (:class:`Adam`) on :math:`\phi` from
  :math:`\phi = 0`, one column per run, with REBAR's :math:`(\eta, \log\tau)` and RELAX's
  :math:`\psi` tuned online by a second Adam on the one-sample gradient of
  :math:`\mathbb{E}[\hat g^2]`, and the variance of each run's estimator measured at checkpoints.

Importing this module imports NumPy and autograd (never imported by ``import reparam``);
:func:`rebar_variance_terms` imports SciPy when called.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import autograd.numpy as anp
import numpy as np

from reparam._validate import (
    ArrayLike,
    RngLike,
    as_choice,
    as_count,
    as_generator,
    as_integer,
    as_real_array,
    as_real_scalar,
    as_tau,
)

__all__ = [
    "ESTIMATORS",
    "LABELS",
    "Adam",
    "OneBitDraws",
    "one_bit_draws",
    "rebar_estimate",
    "rebar_variance_terms",
    "relax_network_init",
    "relax_network",
    "relax_estimate",
    "Runs",
    "run",
]

#: The gradient estimators :func:`run` can use.
ESTIMATORS = (
    "exact",
    "reinforce",
    "reinforce_running_mean",
    "reinforce_loo",
    "gumbel_softmax",
    "rebar",
    "relax",
)
#: Their names in figures and tables.
LABELS = {
    "exact": "exact gradient",
    "reinforce": "REINFORCE",
    "reinforce_running_mean": "REINFORCE, running-mean baseline",
    "reinforce_loo": "REINFORCE, leave-one-out (2 draws)",
    "gumbel_softmax": "Gumbel-softmax",
    "rebar": "REBAR",
    "relax": "RELAX",
}
#: Hidden units of RELAX's network.
HIDDEN = 10


def _sigmoid(x):
    # 1 / (1 + exp(-x)) without overflow
    return np.exp(-np.logaddexp(0.0, -x))


def _check_t(t: ArrayLike) -> np.ndarray:
    t = as_real_array(t, "t").astype(np.float64)
    if not ((t > 0) & (t < 1)).all():
        raise ValueError("t: every target must be in (0, 1)")
    return t


class Adam:
    r"""Adam on an array of parameters, each entry its own coordinate (Kingma and Ba 2015).

    .. math::
        m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \quad
        x \leftarrow x - \alpha\,\frac{m / (1 - \beta_1^i)}{\sqrt{v / (1 - \beta_2^i)} + \epsilon},

    at step :math:`i = 1, 2, \dots`, with the defaults of TensorFlow's ``AdamOptimizer``
    (:math:`\beta = (0.9, 0.999)`, :math:`\epsilon = 10^{-8}`) and the learning rate 0.01 of the
    RELAX authors' toy script.

    Parameters
    ----------
    shape : int or tuple of int
        Shape of the parameters (and of every gradient).
    lr : float
        Learning rate :math:`\alpha`, > 0.

    Examples
    --------
    The first step moves every coordinate by the learning rate (up to :math:`\epsilon`), against
    the sign of its gradient, whatever the gradient's size:

    >>> import numpy as np
    >>> from reparam_book.one_bit_adam import Adam
    >>> opt = Adam(3)
    >>> np.round(opt.step(np.zeros(3), np.array([2.0, -0.5, 1e-3])), 6)
    array([-0.01,  0.01, -0.01])
    """

    def __init__(self, shape: int | tuple[int, ...], lr: float = 0.01) -> None:
        lr = as_real_scalar(lr, "lr")
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"lr: must be finite and > 0, got {lr}")
        self.lr = lr
        self.m = np.zeros(shape)
        self.v = np.zeros(shape)
        self.i = 0

    def step(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The parameters after one step from ``x`` with the gradient ``g``."""
        self.i += 1
        self.m = 0.9 * self.m + 0.1 * g
        self.v = 0.999 * self.v + 0.001 * (g * g)
        m_hat = self.m / (1 - 0.9**self.i)
        v_hat = self.v / (1 - 0.999**self.i)
        return x - self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)


class OneBitDraws(NamedTuple):
    """One estimate's noise, turned into what the estimators read (every field broadcast alike).

    Examples
    --------
    >>> import numpy as np
    >>> from reparam_book.one_bit_adam import one_bit_draws
    >>> one_bit_draws(np.zeros(3), np.zeros((4, 3)))._fields
    ('theta', 'd', 'b', 'd_tilde', 'jac')
    """

    theta: np.ndarray  #: sigma(phi)
    d: np.ndarray  #: z_1 - z_0 = phi + logistic noise
    b: np.ndarray  #: 1{d > 0}, as floats
    d_tilde: np.ndarray  #: z~_1 - z~_0, the conditional sample given b
    jac: np.ndarray  #: d d~ / d phi


def one_bit_draws(phi: ArrayLike, log_e: ArrayLike) -> OneBitDraws:
    r"""The toy's draws from the logarithms of four :math:`\mathrm{Exp}(1)` variables.

    Parameters
    ----------
    phi : array_like
        The logit :math:`\phi`, broadcast with ``log_e[0]``.
    log_e : array_like, shape (4, ...)
        :math:`\log E_0, \log E_1` (the perturbed logits :math:`z`) and
        :math:`\log\tilde E_0, \log\tilde E_1` (the conditional sample :math:`\tilde z`).

    Returns
    -------
    OneBitDraws
        :math:`\theta`, :math:`d`, :math:`b`, :math:`\tilde d` and :math:`\partial\tilde d/\partial\phi`.

    Examples
    --------
    With :math:`\phi = 0`, :math:`E = (1, e^{-1})` gives :math:`z = (0, 1)`, so :math:`d = 1` and
    :math:`b = 1`; the conditional difference has the sign of :math:`b`:

    >>> import numpy as np
    >>> from reparam_book.one_bit_adam import one_bit_draws
    >>> dr = one_bit_draws(0.0, np.array([0.0, -1.0, 0.2, -0.3]))
    >>> float(dr.d), float(dr.b), bool(dr.d_tilde > 0)
    (1.0, 1.0, True)
    """
    phi = as_real_array(phi, "phi").astype(np.float64)
    log_e = as_real_array(log_e, "log_e").astype(np.float64)
    if log_e.ndim == 0 or log_e.shape[0] != 4:
        raise ValueError(f"log_e: expected a first axis of length 4, got shape {log_e.shape}")
    d = phi - log_e[1] + log_e[0]
    one = d > 0
    theta = _sigmoid(phi)
    # the top: log W - log E~_b with W = 1 + e^phi; the other: Gumbel(l_o) truncated below the top
    top = np.logaddexp(0.0, phi) - np.where(one, log_e[3], log_e[2])
    other = -np.logaddexp(-top, np.where(one, log_e[2], log_e[3] - phi))
    gap = top - other
    d_tilde = np.where(one, gap, -gap)
    jac = np.where(one, theta, 1 - theta) * -np.expm1(-gap)
    return OneBitDraws(np.broadcast_to(theta, d.shape), d, one.astype(np.float64), d_tilde, jac)


# ---------------------------------------------------------------------------------------------
# REBAR: c(d) = eta (sigma(d / tau) - t)^2, and the derivatives of the estimate in eta and log tau
# ---------------------------------------------------------------------------------------------


def _relaxed_parts(u, t):
    """h(u) = (sigma(u) - t)^2 and its first two derivatives in u."""
    s = _sigmoid(u)
    q = s * (1 - s)
    h = (s - t) ** 2
    dh = 2 * (s - t) * q
    d2h = 2 * q * (q + (s - t) * (1 - 2 * s))
    return h, dh, d2h


def rebar_estimate(
    draws: OneBitDraws, t: ArrayLike, eta: ArrayLike, log_tau: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""REBAR's estimate of :math:`dL/d\phi` and its derivatives in :math:`\eta` and :math:`\log\tau`.

    With :math:`h(u) = (\sigma(u) - t)^2`, the control variate is
    :math:`c(d) = \eta\,h(d/\tau)`, the relaxation of :math:`f` at
    :math:`\sigma_\tau(z)_1 = \sigma(d/\tau)`, and

    .. math::
        \hat g = \big(f(b) - c(\tilde d)\big)(b - \theta) + c'(d) - c'(\tilde d)\,
        \frac{\partial\tilde d}{\partial\phi}, \qquad c'(d) = \eta\,h'(d/\tau)/\tau .

    The estimate is linear in :math:`\eta`, so :math:`\partial\hat g/\partial\eta` is the control
    variate's part; :math:`\partial\hat g/\partial\log\tau` uses :math:`\partial u/\partial\log\tau
    = -u` for :math:`u = d/\tau`. Written out by hand (the tests compare them with autograd's).

    Parameters
    ----------
    draws : OneBitDraws
        From :func:`one_bit_draws`.
    t, eta, log_tau : array_like
        Target, scale :math:`\eta` and log temperature, broadcast with the draws.

    Returns
    -------
    g, dg_deta, dg_dlog_tau : numpy.ndarray
        The estimate and its two derivatives, each of the draws' shape.

    Examples
    --------
    With :math:`\eta = 0` the estimate is REINFORCE's, :math:`f(b)(b - \theta)`:

    >>> import numpy as np
    >>> from reparam_book.one_bit_adam import one_bit_draws, rebar_estimate
    >>> dr = one_bit_draws(0.0, np.array([0.0, -1.0, 0.2, -0.3]))
    >>> g, _, _ = rebar_estimate(dr, 0.45, 0.0, np.log(0.5))
    >>> print(round(float(g), 6), round((1 - 0.45) ** 2 * 0.5, 6))
    0.15125 0.15125
    """
    theta, d, b, d_t, jac = draws
    tau = np.exp(log_tau)
    u, u_t = d / tau, d_t / tau
    h_t, dh_t, d2h_t = _relaxed_parts(u_t, t)
    _, dh, d2h = _relaxed_parts(u, t)
    score = b - theta
    cv = -h_t * score + (dh - dh_t * jac) / tau  # d g / d eta
    g = (b - t) ** 2 * score + eta * cv
    # d/dlog tau of h(u~) is -u~ h'(u~); of h'(u)/tau it is -(u h''(u) + h'(u))/tau
    d_log_tau = eta * (u_t * dh_t * score - (u * d2h + dh) / tau + (u_t * d2h_t + dh_t) / tau * jac)
    return g, cv, d_log_tau


def rebar_variance_terms(phi: float, t: float, *, tau: float, conditional: bool = True) -> tuple[float, float, float]:
    r"""REBAR's exact variance at a fixed :math:`\phi`, :math:`\mathrm{Var}(\eta) = a + 2b\eta + c\eta^2`, by quadrature.

    The estimate of :func:`rebar_estimate` is :math:`A + \eta B` with the REINFORCE part
    :math:`A = f(b)(b - \theta)` and the control-variate part
    :math:`B = U(d) + V(\tilde d)`, :math:`U = h'(d/\tau)/\tau`,
    :math:`V = -h(\tilde d/\tau)(b - \theta) - h'(\tilde d/\tau)\,\partial\tilde d/\partial\phi/\tau`.
    Given :math:`b`, :math:`d` and :math:`\tilde d` are independent with the same law, the logistic
    law around :math:`\phi` cut to the side of :math:`b` (this is what :math:`\tilde z` is), so
    every moment is a sum over :math:`b` of products of one-dimensional integrals, each done by
    :func:`reparam_book.bernoulli_toy.logistic_expectation`:
    :math:`a = \mathrm{Var}(A)`, :math:`b = \mathrm{Cov}(A, B)`, :math:`c = \mathrm{Var}(B)`.
    With ``conditional=False``, :math:`\tilde d` is replaced by an unconditional draw
    :math:`d'` (logistic around :math:`\phi` on the whole line, independent of :math:`b`) with
    :math:`\partial d'/\partial\phi = 1`: REBAR with :math:`\tilde z` drawn unconditionally.

    Parameters
    ----------
    phi : float
        The logit, finite.
    t : float
        Target, in (0, 1).
    tau : float
        Temperature, > 0.
    conditional : bool
        Whether the control variate's sample is drawn given :math:`b`.

    Returns
    -------
    a, b, c : float
        The coefficients: the variance at :math:`\eta` is :math:`a + 2b\eta + c\eta^2`, its
        minimum :math:`a - b^2/c` at :math:`\eta^\star = -b/c`.

    Examples
    --------
    :math:`a` is REINFORCE's variance, :math:`\theta(1-\theta)\big((1-t)^4(1-\theta) + t^4\theta\big) -
    \big(\theta(1-\theta)(1-2t)\big)^2` (chapter 1's formula with the score in :math:`\phi`):

    >>> from reparam_book.one_bit_adam import rebar_variance_terms
    >>> a, b, c = rebar_variance_terms(0.0, 0.45, tau=0.5)
    >>> print(round(a, 8), round(0.25 * (0.55**4 * 0.5 + 0.45**4 * 0.5) - 0.025**2, 8))
    0.01593906 0.01593906

    At the papers' starting point :math:`(\eta, \tau) = (1, 0.5)` the variance exceeds
    REINFORCE's:

    >>> print(round(a + 2 * b + c, 4))
    0.0227
    """
    from reparam_book.bernoulli_toy import logistic_expectation

    phi = as_real_scalar(phi, "phi")
    if not np.isfinite(phi):
        raise ValueError(f"phi: must be finite, got {phi}")
    t = float(_check_t(t))
    tau = as_tau(tau)
    if not isinstance(conditional, bool):
        raise TypeError(f"conditional: expected a bool, got {type(conditional).__name__}")
    theta = float(_sigmoid(phi))

    def jac(x, b):  # d d~/d phi at d~ = x given b
        return theta * -np.expm1(-x) if b else (1 - theta) * -np.expm1(x)

    def side(h, b):
        """E[h(d) | b]: the logistic law around phi, on the side of b, renormalised."""
        p_b = theta if b else 1 - theta
        return logistic_expectation(lambda lam: h(phi + lam) if (phi + lam > 0) == b else 0.0, -phi) / p_b

    def whole(h):
        return logistic_expectation(lambda lam: h(phi + lam), -phi)

    mean_a = mean_b = m_aa = m_ab = m_bb = 0.0
    for b in (0, 1):
        p_b = theta if b else 1 - theta
        score = b - theta
        A = (b - t) ** 2 * score

        def U(x):
            return float(_relaxed_parts(x / tau, t)[1]) / tau

        if conditional:

            def V(x, b=b, score=score):
                h, dh, _ = _relaxed_parts(x / tau, t)
                return float(-h * score - dh * jac(x, b) / tau)

            EV, EV2 = side(V, b), side(lambda x: V(x) ** 2, b)
        else:

            def V(x, score=score):
                h, dh, _ = _relaxed_parts(x / tau, t)
                return float(-h * score - dh / tau)

            EV, EV2 = whole(V), whole(lambda x: V(x) ** 2)
        EU, EU2 = side(U, b), side(lambda x: U(x) ** 2, b)
        EB = EU + EV
        EB2 = EU2 + EV2 + 2 * EU * EV
        mean_a += p_b * A
        mean_b += p_b * EB
        m_aa += p_b * A * A
        m_ab += p_b * A * EB
        m_bb += p_b * EB2
    return m_aa - mean_a**2, m_ab - mean_a * mean_b, m_bb - mean_b**2


# ---------------------------------------------------------------------------------------------
# RELAX: c_psi(d), one network per run, differentiated by hand (autograd checks it in the tests)
# ---------------------------------------------------------------------------------------------


def relax_network_init(runs: int, *, rng: RngLike = None) -> list[np.ndarray]:
    r"""Initial parameters :math:`\psi` of ``runs`` independent networks :func:`relax_network`.

    Glorot-uniform weights (the default of the authors' toy script), zero biases and the
    temperature :math:`\lambda = 0.5`, REBAR's starting temperature.

    Parameters
    ----------
    runs : int
        Number of networks.
    rng : {None, int, sequence of int, SeedSequence, Generator, BitGenerator, RandomState}
        Source of the initial weights (as for :func:`numpy.random.default_rng`).

    Returns
    -------
    list of numpy.ndarray
        :math:`W_1, b_1, W_2` of shape ``(runs, 1, HIDDEN)``, :math:`b_2` and :math:`\log\lambda`
        of shape ``(runs, 1)``.

    Examples
    --------
    >>> from reparam_book.one_bit_adam import relax_network_init
    >>> [p.shape for p in relax_network_init(3, rng=0)]
    [(3, 1, 10), (3, 1, 10), (3, 1, 10), (3, 1), (3, 1)]
    """
    runs = as_count(runs, "runs")
    gen = as_generator(rng)
    lim1, lim2 = np.sqrt(6 / (1 + HIDDEN)), np.sqrt(6 / (HIDDEN + 1))
    return [
        gen.uniform(-lim1, lim1, (runs, 1, HIDDEN)),
        np.zeros((runs, 1, HIDDEN)),
        gen.uniform(-lim2, lim2, (runs, 1, HIDDEN)),
        np.zeros((runs, 1)),
        np.full((runs, 1), np.log(0.5)),
    ]


def relax_network(psi: list, d, *, derivative: bool = False):
    r"""RELAX's control variate :math:`c_\psi(d)` at the logit differences ``d``, one network per row.

    One hidden layer of :data:`HIDDEN` tanh units on the relaxed sample
    :math:`x = 2\sigma(d/\lambda) - 1 = \tanh(d/(2\lambda))` with a learned temperature
    :math:`\lambda`, as in the RELAX authors' toy script:

    .. math::
        c_\psi(d) = \sum_{j} W_{2,j}\, h_j + b_2, \quad h_j = \tanh(W_{1,j}\,x + b_{1,j}),
        \qquad
        c_\psi'(d) = \sum_j W_{2,j}\,(1 - h_j^2)\,W_{1,j} \cdot \frac{1 - x^2}{2\lambda} .

    Written with ``autograd.numpy``, so that autograd can differentiate it (the tests do); the
    derivative in :math:`d` is written out (the tests compare it with autograd's
    ``elementwise_grad``), and so is the gradient in :math:`\psi` that :func:`relax_estimate`
    needs at every step.

    Parameters
    ----------
    psi : list of arrays
        As returned by :func:`relax_network_init` (``runs`` rows).
    d : array_like, shape (runs, m)
        Logit differences :math:`z_1 - z_0`, ``m`` per run.
    derivative : bool
        Return :math:`c_\psi'(d)` too.

    Returns
    -------
    c : array, shape (runs, m)
    dc : array, shape (runs, m)
        Only with ``derivative=True``.

    Examples
    --------
    Zero output weights give the constant :math:`b_2`, whose derivative is 0:

    >>> import numpy as np
    >>> from reparam_book.one_bit_adam import relax_network, relax_network_init
    >>> psi = relax_network_init(2, rng=0)
    >>> psi[2][:] = 0.0
    >>> psi[3][:] = 0.25
    >>> c, dc = relax_network(psi, np.array([[-1.0, 3.0], [0.5, 0.0]]), derivative=True)
    >>> c
    array([[0.25, 0.25],
           [0.25, 0.25]])
    >>> dc
    array([[0., 0.],
           [0., 0.]])
    """
    w1, b1, w2, b2, log_lam = psi
    k = 0.5 * anp.exp(-log_lam)
    x = anp.tanh(d * k)
    h = anp.tanh(w1 * x[..., None] + b1)
    c = anp.sum(w2 * h, axis=-1) + b2
    if not derivative:
        return c
    return c, anp.sum(w2 * (1 - h * h) * w1, axis=-1) * ((1 - x * x) * k)


def _relax_g(psi, d, d_t, jac, f_b, score):
    c, dc = relax_network(psi, anp.concatenate([d, d_t], axis=1), derivative=True)
    m = d.shape[1]
    return (f_b - c[:, m:]) * score + dc[:, :m] - dc[:, m:] * jac


def _relax_g_and_grad(psi, d, d_t, jac, f_b, score):
    """:func:`_relax_g` (the same operations, so the same values) and the gradient of ``sum(g**2)`` in psi.

    The backward pass is written out (the tests compare it with autograd's ``grad``): autograd
    traced about a hundred operations at every step of every run, most of RELAX's time.
    """
    w1, b1, w2, b2, log_lam = psi
    m = d.shape[1]
    dd = np.concatenate([d, d_t], axis=1)  # (runs, 2m): the network's inputs
    k = 0.5 * np.exp(-log_lam)  # (runs, 1)
    x = np.tanh(dd * k)
    h = np.tanh(w1 * x[..., None] + b1)  # (runs, 2m, HIDDEN)
    e = 1 - h * h
    c = np.sum(w2 * h, axis=-1) + b2
    s = np.sum(w2 * e * w1, axis=-1)
    q = (1 - x * x) * k
    dc = s * q  # c'(d)
    g = (f_b - c[:, m:]) * score + dc[:, :m] - dc[:, m:] * jac
    # backwards from sum(g**2): the adjoints of c and c' at the 2m inputs, then through the network
    g2 = 2 * g
    c_bar = np.concatenate([np.zeros_like(g2), -g2 * score], axis=1)
    dc_bar = np.concatenate([g2, -g2 * jac], axis=1)
    s_bar, q_bar = dc_bar * q, dc_bar * s
    h_bar = c_bar[..., None] * w2 - 2 * h * (s_bar[..., None] * w2 * w1)
    a_bar = h_bar * e  # adjoint of the hidden pre-activation w1 x + b1
    x_bar = np.sum(a_bar * w1, axis=-1) - 2 * x * k * q_bar
    k_bar = np.sum(q_bar * (1 - x * x) + x_bar * (1 - x * x) * dd, axis=1, keepdims=True)
    grads = [
        np.sum(s_bar[..., None] * e * w2 + a_bar * x[..., None], axis=1, keepdims=True),
        np.sum(a_bar, axis=1, keepdims=True),
        np.sum(c_bar[..., None] * h + s_bar[..., None] * e * w1, axis=1, keepdims=True),
        np.sum(c_bar, axis=1, keepdims=True),
        -k_bar * k,
    ]
    return g, grads


def relax_estimate(psi: list, draws: OneBitDraws, t: ArrayLike, *, with_grad: bool = True):
    r"""RELAX's estimates of :math:`dL/d\phi` with the network :math:`c_\psi`, and the gradient of :math:`\sum\hat g^2` in :math:`\psi`.

    .. math::
        \hat g = \big(f(b) - c_\psi(\tilde d)\big)(b - \theta) + c_\psi'(d)
        - c_\psi'(\tilde d)\,\frac{\partial\tilde d}{\partial\phi},

    with :math:`c_\psi'` the derivative in :math:`d` (:func:`relax_network`), and the gradient in
    :math:`\psi` of :math:`\sum \hat g^2` over the draws (a backward pass through :math:`c_\psi`
    and :math:`c_\psi'` written out by hand; the tests compare it with autograd's ``grad``): for
    one draw per run, each run's one-sample gradient of :math:`\mathbb{E}[\hat g^2]`, on which
    RELAX trains its network.

    Parameters
    ----------
    psi : list of arrays
        The networks, ``runs`` rows (:func:`relax_network_init`).
    draws : OneBitDraws
        Draws of shape (runs,) or (runs, m).
    t : array_like
        Targets, broadcast with the draws.
    with_grad : bool
        Whether to compute the gradient in :math:`\psi` too.

    Returns
    -------
    g : numpy.ndarray
        The estimates, of the draws' shape.
    grad_psi : list of numpy.ndarray
        Shaped like ``psi`` (only when ``with_grad``).

    Examples
    --------
    A network whose output weights are zero is a constant baseline :math:`b_2`:

    >>> import numpy as np
    >>> from reparam_book.one_bit_adam import one_bit_draws, relax_estimate, relax_network_init
    >>> psi = relax_network_init(1, rng=0)
    >>> psi[2][:] = 0.0
    >>> psi[3][:] = 0.25
    >>> dr = one_bit_draws(np.zeros(1), np.array([[0.0], [-1.0], [0.2], [-0.3]]))
    >>> g, grad_psi = relax_estimate(psi, dr, 0.45)
    >>> print(np.round(g, 6), round((0.55**2 - 0.25) * 0.5, 6))
    [0.02625] 0.02625
    """
    theta, d, b, d_t, jac = draws
    squeeze = d.ndim == 1
    cols = [np.atleast_1d(a)[:, None] if squeeze else a for a in (d, d_t, jac, b, theta)]
    d2, dt2, jac2, b2, th2 = cols
    t = np.asarray(t, dtype=np.float64)
    t2 = t[..., None] if (squeeze and t.ndim == 1) else t
    f_b, score = (b2 - t2) ** 2, b2 - th2
    if not with_grad:
        g = _relax_g(psi, d2, dt2, jac2, f_b, score)
        return g[:, 0] if squeeze else g
    g, grads = _relax_g_and_grad(psi, d2, dt2, jac2, f_b, score)
    return (g[:, 0] if squeeze else g), grads


# ---------------------------------------------------------------------------------------------
# The runs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Runs:
    """What :func:`run` returns.

    Attributes
    ----------
    phi : numpy.ndarray, shape (steps + 1, runs)
        :math:`\\phi` before the first step and after each step.
    checkpoints : numpy.ndarray of int
        The steps at which the variance was measured.
    variance : numpy.ndarray, shape (len(checkpoints), runs)
        Each run's variance of one estimate at its state of that step, from ``n_var`` fresh draws.
    eta, tau : numpy.ndarray or None
        REBAR's tuned scale and temperature at the end, one per run (None for the others).
    network : list of numpy.ndarray or None
        RELAX's trained networks at the end, one row per run (:func:`relax_network`; None for
        the others).

    Examples
    --------
    >>> from reparam_book.one_bit_adam import run
    >>> out = run("rebar", [0.45, 0.499], steps=10, rng=0, checkpoints=[0, 10], n_var=5)
    >>> out.phi.shape, out.variance.shape, out.eta.shape, out.network is None
    ((11, 2), (2, 2), (2,), True)
    """

    phi: np.ndarray
    checkpoints: np.ndarray
    variance: np.ndarray
    eta: np.ndarray | None = None
    tau: np.ndarray | None = None
    network: list | None = None


_BLOCK = 500  # noise is drawn for this many steps at once


def _check_estimator(estimator: str) -> None:
    as_choice(estimator, "estimator", ESTIMATORS)


def run(
    estimator: str,
    t: ArrayLike,
    *,
    steps: int,
    rng: RngLike = None,
    checkpoints: ArrayLike = (),
    n_var: int = 100,
    tau: float = 0.5,
    ema: float = 0.05,
    lr: float = 0.01,
) -> Runs:
    r"""Adam on :math:`\phi` from :math:`\phi = 0` for independent runs, one per entry of ``t``.

    Each step draws one estimate per run (the leave-one-out baseline two, so two evaluations of
    :math:`f`) and takes one Adam step (:class:`Adam`, learning rate ``lr``). The estimators:

    ``"exact"``
        :math:`\theta(1-\theta)(1-2t)`, no noise.
    ``"reinforce"``, ``"reinforce_running_mean"``
        :math:`(f(b) - c)(b - \theta)` with :math:`c = 0`, or :math:`c` the exponential moving
        average (weight ``ema``) of the run's *past* values of :math:`f`.
    ``"reinforce_loo"``
        Two draws :math:`b, b'`, each with the other's :math:`f` as baseline:
        :math:`\tfrac12(f(b) - f(b'))(b - b')` (:func:`reparam.control_variates.reinforce_loo_grad`, ``m = 2``).
    ``"gumbel_softmax"``
        :math:`2(y - t)\,y(1 - y)/\tau` with :math:`y = \sigma(d/\tau)`, biased.
    ``"rebar"``
        :func:`rebar_estimate`, with :math:`(\eta, \log\tau)` from :math:`(1, \log 0.5)` trained by
        a second Adam on :math:`2\hat g\,\partial\hat g/\partial(\eta, \log\tau)`.
    ``"relax"``
        :func:`relax_estimate`, with :math:`\psi` from :func:`relax_network_init` trained by Adam on
        the gradient of :math:`\hat g^2`.

    Parameters
    ----------
    estimator : str
        One of :data:`ESTIMATORS`.
    t : array_like, shape (runs,)
        The target of each run, in (0, 1).
    steps : int
        Number of Adam steps.
    rng : {None, int, sequence of int, SeedSequence, Generator, BitGenerator, RandomState}
        Source of the noise (as for :func:`numpy.random.default_rng`). Two streams are spawned
        from it: the steps' noise, and the checkpoints' draws; a third makes RELAX's initial
        networks. The same ``rng`` gives every estimator the same noise: common random numbers.
    checkpoints : sequence of int
        Steps, in ``[0, steps]``, at which to measure each run's variance.
    n_var : int
        Draws per run and checkpoint, >= 2.
    tau : float
        Gumbel-softmax's temperature.
    ema : float
        Weight of the newest value in the running-mean baseline, in (0, 1].
    lr : float
        Learning rate of every Adam.

    Returns
    -------
    Runs

    Examples
    --------
    Exact gradient descent at :math:`t = 0.45` and three REINFORCE runs; after 300 steps the
    exact run is at :math:`\theta \approx 0.09`:

    >>> import numpy as np
    >>> from reparam_book.one_bit_adam import run
    >>> exact = run("exact", [0.45], steps=300)
    >>> print(np.round(1 / (1 + np.exp(-exact.phi[-1])), 3))
    [0.089]
    >>> out = run("reinforce", [0.45, 0.45, 0.45], steps=300, rng=0, checkpoints=[0, 300])
    >>> out.phi.shape, out.variance.shape
    ((301, 3), (2, 3))
    """
    _check_estimator(estimator)
    t = _check_t(t)
    if t.ndim != 1:
        raise ValueError(f"t: expected one target per run, shape (runs,), got shape {t.shape}")
    runs = t.size
    steps = as_count(steps, "steps")
    n_var = as_integer(n_var, "n_var")
    if n_var < 2:
        raise ValueError(f"n_var: a variance needs at least 2 draws, got {n_var}")
    tau = as_tau(tau)
    ema = as_real_scalar(ema, "ema")
    if not 0.0 < ema <= 1.0:
        raise ValueError(f"ema: must be in (0, 1], got {ema}")
    cps = np.asarray(checkpoints)
    if cps.size and cps.dtype.kind not in "iu":
        raise TypeError(f"checkpoints: expected integer steps, got dtype {cps.dtype}")
    cps = np.unique(cps.astype(np.int64))
    if cps.size and (cps.min() < 0 or cps.max() > steps):
        raise ValueError(f"checkpoints: every checkpoint must be in [0, {steps}]")
    seq = np.random.SeedSequence(as_generator(rng).integers(2**63))
    step_seq, var_seq, init_seq = seq.spawn(3)
    gen, var_gen = np.random.default_rng(step_seq), np.random.default_rng(var_seq)

    state: dict = {"mean_f": np.zeros(runs)}
    if estimator == "rebar":
        state["eta"], state["log_tau"] = np.ones(runs), np.full(runs, np.log(0.5))
        state["opt_eta"], state["opt_tau"] = Adam(runs, lr), Adam(runs, lr)
    if estimator == "relax":
        state["psi"] = relax_network_init(runs, rng=init_seq)
        state["opt_psi"] = [Adam(p.shape, lr) for p in state["psi"]]
    opt = Adam(runs, lr)
    phi = np.zeros(runs)
    phis = np.zeros((steps + 1, runs))
    variance = []
    at = set(cps.tolist())
    for i in range(steps + 1):
        if i in at:
            variance.append(_variance(estimator, phi, t, state, var_gen, n_var, tau))
        if i == steps:
            break
        if i % _BLOCK == 0:
            log_noise = np.log(gen.standard_exponential((min(_BLOCK, steps - i), 4, runs)))
        g = _step(estimator, phi, t, state, log_noise[i % _BLOCK], tau, ema)
        phi = opt.step(phi, g)
        phis[i + 1] = phi
    var = np.array(variance) if variance else np.zeros((0, runs))
    if estimator == "rebar":
        return Runs(phis, cps, var, eta=state["eta"], tau=np.exp(state["log_tau"]))
    if estimator == "relax":
        return Runs(phis, cps, var, network=state["psi"])
    return Runs(phis, cps, var)


def _estimates(estimator, phi, t, state, log_e, tau):
    """One estimate per column of ``log_e`` (4, ...), with the state held fixed."""
    if estimator == "exact":
        theta = _sigmoid(phi)
        return theta * (1 - theta) * (1 - 2 * t)
    dr = one_bit_draws(phi, log_e)
    f_b, score = (dr.b - t) ** 2, dr.b - dr.theta
    if estimator == "reinforce":
        return f_b * score
    if estimator == "reinforce_running_mean":
        return (f_b - state["mean_f"]) * score
    if estimator == "reinforce_loo":
        b2 = (phi - log_e[3] + log_e[2] > 0).astype(np.float64)
        return 0.5 * (f_b - (b2 - t) ** 2) * (dr.b - b2)
    if estimator == "gumbel_softmax":
        y = _sigmoid(dr.d / tau)
        return 2 * (y - t) * y * (1 - y) / tau
    if estimator == "rebar":
        return rebar_estimate(dr, t, state["eta"], state["log_tau"])[0]
    return relax_estimate(state["psi"], dr, t, with_grad=False)


def _step(estimator, phi, t, state, log_e, tau, ema):
    """One estimate per run, and the update of the estimator's own state."""
    if estimator == "rebar":
        dr = one_bit_draws(phi, log_e)
        g, d_eta, d_log_tau = rebar_estimate(dr, t, state["eta"], state["log_tau"])
        state["eta"] = state["opt_eta"].step(state["eta"], 2 * g * d_eta)
        state["log_tau"] = state["opt_tau"].step(state["log_tau"], 2 * g * d_log_tau)
        return g
    if estimator == "relax":
        g, grads = relax_estimate(state["psi"], one_bit_draws(phi, log_e), t)
        state["psi"] = [o.step(p, gp) for o, p, gp in zip(state["opt_psi"], state["psi"], grads)]
        return g
    g = _estimates(estimator, phi, t, state, log_e, tau)
    if estimator == "reinforce_running_mean":
        b = (phi - log_e[1] + log_e[0] > 0).astype(np.float64)
        state["mean_f"] = state["mean_f"] + ema * ((b - t) ** 2 - state["mean_f"])
    return g


def _variance(estimator, phi, t, state, gen, n, tau):
    """Each run's variance of one estimate at the current state, from n fresh draws."""
    runs = phi.size
    if estimator == "exact":
        return np.zeros(runs)
    log_e = np.log(gen.standard_exponential((4, runs, n)))
    sub = dict(state)
    for key in ("mean_f", "eta", "log_tau"):
        if key in sub:
            sub[key] = sub[key][:, None]
    g = _estimates(estimator, phi[:, None], t[:, None], sub, log_e, tau)
    return g.var(axis=1, ddof=1)
