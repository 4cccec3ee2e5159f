r"""Every gradient estimator of the book on the discrete VAE of :mod:`reparam_book.discrete_vae`.

The estimators estimate the gradient of minus the batch-mean ELBO. The KL term is exact in all
of them (closed form, :meth:`~reparam_book.discrete_vae.DiscreteVAE.kl`); what they estimate is
the gradient of the reconstruction term :math:`\mathbb E_{q_\phi(z\mid x)}[f_\theta(x, z)]`,
:math:`f_\theta = \log p_\theta(x \mid z)`, with respect to the encoder's parameters
:math:`\phi` and the decoder's :math:`\theta`. The distribution depends on :math:`\phi` and the
integrand on :math:`\theta`, so the exact gradient is the mixed formula

.. math::
    \nabla_{\phi,\theta}\, \mathbb E_{q_\phi}[f_\theta]
    = \mathbb E_{q_\phi}\big[f_\theta\, \nabla_\phi \log q_\phi\big]
      + \mathbb E_{q_\phi}\big[\nabla_\theta f_\theta\big],

and the estimators differ in how they estimate each term from ``samples`` draws per data point
(:math:`z = \ell + G`, :math:`G` standard Gumbel, :math:`b = \arg\max` per categorical):

* ``"exact"``: enumeration of all :math:`K^M` configurations (no noise);
* ``"reinforce_loo"``: the score term with the leave-one-out baseline (Kool et al. 2019), the
  decoder term :math:`\nabla_\theta f_\theta(b)` at the discrete samples; unbiased;
* ``"gumbel_softmax"``: the pathwise derivative of :math:`f_\theta` at the relaxed sample
  :math:`y = \mathrm{softmax}(z/\tau)` per categorical, for both :math:`\phi` and
  :math:`\theta` (Jang et al. 2017, Maddison et al. 2017): biased in both;
* ``"straight_through"``: :math:`f_\theta` at the one-hot :math:`b`, its gradient passed back
  through the soft :math:`y` (biased for :math:`\phi`; the :math:`\theta` part is the unbiased
  :math:`\nabla_\theta f_\theta(b)`);
* ``"rebar"`` and ``"relax"``: the score term with the control variate
  :math:`c(z) = \eta\, f_\theta(\mathrm{softmax}(z/\lambda))` (REBAR, Tucker et al. 2017), plus
  a small network :math:`r_\rho(z)` for RELAX (Grathwohl et al. 2018), evaluated at a second
  sample :math:`\tilde z` drawn given :math:`b`, with the reparameterization gradients added
  back; unbiased for every :math:`\eta, \lambda, \rho`, which are tuned to minimise the
  estimator's variance with respect to the encoder's logits. The decoder term is
  :math:`\nabla_\theta f_\theta(b)` at the discrete samples.

Three deliberately wrong variants, the mistakes the book's checks must catch: a REINFORCE
baseline that includes the draw it multiplies (``"reinforce_self_baseline"``), REBAR with the
control variate at :math:`z` itself instead of the conditional :math:`\tilde z`
(``"rebar_same_z"``), and REBAR with :math:`\tilde z` held constant, as a NumPy sampler inside
an autograd model would leave it (``"rebar_fixed_z_tilde"``).
"""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
from autograd import grad, make_vjp
from autograd.extend import defvjp, primitive
from autograd.tracer import getval

from reparam.gumbel import sample_gumbel
from reparam_book.discrete_vae import DECODER, ENCODER, DiscreteVAE, log_softmax

__all__ = [
    "ESTIMATORS",
    "UNBIASED",
    "WRONG",
    "draw_noise",
    "init_control",
    "gradient",
    "logit_gradient",
    "decoder_cost",
]

#: The estimators, as the book names them in code.
ESTIMATORS = ("exact", "reinforce_loo", "gumbel_softmax", "straight_through", "rebar", "relax")
#: Those whose mean is the exact gradient.
UNBIASED = ("exact", "reinforce_loo", "rebar", "relax")
#: Deliberately wrong variants (biased), for the checks.
WRONG = ("reinforce_self_baseline", "rebar_same_z", "rebar_fixed_z_tilde")
_CONTROLLED = ("rebar", "relax", "rebar_same_z", "rebar_fixed_z_tilde")


@primitive
def _straight_through(y, hard):
    """Forward: the one-hot ``hard``; backward: the identity onto the soft ``y``."""
    return hard


defvjp(_straight_through, lambda ans, y, hard: lambda g: g, None)


def _one_hot_argmax(z):
    z = getval(z)
    return (z == np.max(z, axis=-1, keepdims=True)).astype(np.float64)


def _detached(params: dict) -> dict:
    return {k: getval(v) for k, v in params.items()}


def _rows_log_likelihood(model: DiscreteVAE, params: dict, x, z):
    """log p(x|z) for x (runs, batch, D) and z (runs, batch, S, M, K) -> (runs, batch, S)."""
    runs, batch, s, m, k = np.shape(z)
    xx = np.repeat(getval(x), s, axis=1)
    return anp.reshape(model.log_likelihood(params, xx, anp.reshape(z, (runs, batch * s, m * k))), (runs, batch, s))


def draw_noise(estimator: str, shape: tuple[int, ...], rng) -> dict:
    """Standard Gumbel noise ``"G"`` of ``shape`` = (runs, batch, samples, M, K), and for REBAR and
    RELAX a second draw ``"G2"`` (whose exponentials make :math:`\\tilde z`), from ``rng`` (a
    ``numpy.random.Generator``, advanced). The same generator state gives the same ``"G"`` to
    every estimator: common random numbers.

    Examples
    --------
    >>> import numpy as np
    >>> from reparam_book.vae_gradients import draw_noise
    >>> a = draw_noise("reinforce_loo", (2, 4, 3, 2, 8), np.random.default_rng(0))
    >>> b = draw_noise("rebar", (2, 4, 3, 2, 8), np.random.default_rng(0))
    >>> sorted(a), sorted(b), bool(np.array_equal(a["G"], b["G"]))
    (['G'], ['G', 'G2'], True)
    """
    noise = {"G": sample_gumbel(shape, rng=rng)}
    if estimator in _CONTROLLED:
        noise["G2"] = sample_gumbel(shape, rng=rng)
    return noise


def init_control(estimator: str, model: DiscreteVAE, runs: int, rng=None, *, eta=1.0, lam=0.5, hidden=16):
    """Initial control-variate parameters of REBAR (``eta``, ``log_lam``) and RELAX (also
    ``rho``: a ReLU network M*K -> hidden -> 1 whose output layer starts at zero, so RELAX starts as
    REBAR); None for the other estimators.

    Examples
    --------
    >>> from reparam_book.discrete_vae import DiscreteVAE
    >>> from reparam_book.vae_gradients import init_control
    >>> model = DiscreteVAE()
    >>> sorted(init_control("rebar", model, runs=4)), init_control("reinforce_loo", model, runs=4)
    (['eta', 'log_lam'], None)
    >>> init_control("relax", model, runs=4, rng=0)["rho"]["w1"].shape
    (4, 16, 16)
    """
    if estimator not in _CONTROLLED and estimator != "relax":
        return None
    control = {"eta": np.full(runs, float(eta)), "log_lam": np.full(runs, float(np.log(lam)))}
    if estimator == "relax":
        gen = np.random.default_rng(rng)
        mk = model.latents * model.classes
        control["rho"] = {
            "w1": gen.standard_normal((runs, mk, hidden)) / np.sqrt(mk),
            "b1": np.zeros((runs, 1, hidden)),
            "w2": np.zeros((runs, hidden, 1)),
            "b2": np.zeros((runs, 1, 1)),
        }
    return control


def _residual(rho: dict, z):
    """RELAX's network r_rho(z): z (runs, batch, S, M, K) -> (runs, batch, S)."""
    runs, batch, s, m, k = np.shape(z)
    h = anp.maximum(anp.matmul(anp.reshape(z, (runs, batch * s, m * k)), rho["w1"]) + rho["b1"], 0.0)
    return anp.reshape(anp.matmul(h, rho["w2"]) + rho["b2"], (runs, batch, s))


def _logit_gradient(estimator: str, model: DiscreteVAE, control: dict, a, dec: dict, x, b, fb, noise: dict):
    """REBAR/RELAX (and their wrong variants): the estimate of the gradient of sum_batch E_q[f]
    with respect to the encoder logits a (runs, batch, 1, M, K), averaged over the samples, given
    the hard samples b and their f(b) (runs, batch, S). Differentiable (by autograd) in
    ``control``; the decoder runs once at each relaxed point, forward and backward."""
    g1, log_e2 = noise["G"], -noise["G2"]
    s = g1.shape[2]
    eta = anp.reshape(control["eta"], (-1, 1, 1))
    lam = anp.reshape(anp.exp(control["log_lam"]), (-1, 1, 1, 1, 1))

    def c(z):
        value = eta * _rows_log_likelihood(model, dec, x, anp.exp(log_softmax(z / lam)))
        if "rho" in control:
            value = value + _residual(control["rho"], z)
        return value

    def z_tilde(ell):
        # z given its argmax b (normalised logits): the top is -log E_b, the others are
        # truncated below it; the wrong variants reuse z, or cut z_tilde off the graph
        if estimator == "rebar_same_z":
            return ell + g1
        if estimator == "rebar_fixed_z_tilde":
            ell = getval(ell)
        log_e_b = anp.sum(b * log_e2, axis=-1, keepdims=True)
        return anp.where(b > 0, -log_e_b, -anp.logaddexp(log_e2 - ell, log_e_b))

    def both(a_):
        ell = log_softmax(a_)
        return anp.stack([c(ell + g1), c(z_tilde(ell))])

    pullback, values = make_vjp(both)(a)
    ones = np.ones(np.shape(getval(values))[1:])
    w = fb - values[1]  # f(b) - c(z_tilde), (runs, batch, S)
    score = b - np.exp(log_softmax(a))  # d log q(b) / d a
    g = anp.sum(w[..., None, None] * score, axis=2, keepdims=True) + pullback(np.stack([ones, -ones]))
    return g / s


def _estimate(model: DiscreteVAE, estimator: str, params: dict, x, a, noise, tau, control, tune):
    """The estimate split at the encoder's output: the gradient of sum_batch E_q[f] with respect to
    the logits a (runs, batch, M, K), that with respect to the decoder's parameters, and (REBAR and
    RELAX with ``tune``) the gradient of the squared logit estimate for the control variate."""
    dec = {k: params[k] for k in DECODER}
    if estimator == "exact":

        def expected_f(args):
            a_, p = args
            q = anp.exp(model.configuration_log_q(a_))
            return anp.sum(q * model.configuration_log_likelihoods(p, x))

        pullback, _ = make_vjp(expected_f)((a, dec))
        g_a, g_dec = pullback(1.0)
        return g_a, g_dec, None
    if estimator in ("gumbel_softmax", "straight_through") and (tau is None or not tau > 0):
        raise ValueError(f"tau: {estimator} needs a temperature > 0, got {tau}")
    if estimator in ("gumbel_softmax", "straight_through"):
        s = noise["G"].shape[2]

        def relaxed_f(args):
            a_, p = args
            z = log_softmax(a_)[:, :, None] + noise["G"]
            y = anp.exp(log_softmax(z / tau))
            if estimator == "straight_through":
                y = _straight_through(y, _one_hot_argmax(z))
            return _rows_log_likelihood(model, p, x, y)

        pullback, f = make_vjp(relaxed_f)((a, dec))
        g_a, g_dec = pullback(np.full(f.shape, 1.0 / s))
        return g_a, g_dec, None
    ell = log_softmax(a)[:, :, None]
    b = _one_hot_argmax(ell + noise["G"])
    s = b.shape[2]
    pullback, fb = make_vjp(lambda p: _rows_log_likelihood(model, p, x, b))(dec)
    g_dec = pullback(np.full(fb.shape, 1.0 / s))
    if estimator in ("reinforce_loo", "reinforce_self_baseline"):
        total = fb.sum(axis=2, keepdims=True)
        base = (total - fb) / (s - 1) if estimator == "reinforce_loo" else total / s
        g_a = np.sum(((fb - base) / s)[..., None, None] * (b - np.exp(ell)), axis=2)
        return g_a, g_dec, None
    if estimator not in _CONTROLLED:
        raise ValueError(f"estimator: expected one of {ESTIMATORS + WRONG}, got {estimator!r}")
    if control is None:
        raise ValueError(f"control: {estimator} needs its control-variate parameters (init_control)")
    a5, dec0 = a[:, :, None], _detached(dec)
    if not tune:
        return _logit_gradient(estimator, model, control, a5, dec0, x, b, fb, noise)[:, :, 0], g_dec, None
    store = {}

    def second_moment(ctrl):
        g = _logit_gradient(estimator, model, ctrl, a5, dec0, x, b, fb, noise)
        store["g"] = getval(g)
        return anp.sum(g**2)

    control_gradient = grad(second_moment)(control)
    return store["g"][:, :, 0], g_dec, control_gradient


def logit_gradient(
    model: DiscreteVAE,
    estimator: str,
    params: dict,
    x: np.ndarray,
    noise: dict | None = None,
    *,
    tau: float | None = None,
    control: dict | None = None,
) -> np.ndarray:
    """The estimate of the gradient of E_q[log p(x|z)] with respect to each data point's encoder
    logits, (runs, batch, M, K): the part of :func:`gradient` before the encoder's backward pass,
    computed by the same code.

    Examples
    --------
    Ten thousand leave-one-out estimates for one digit (three draws each, on the batch axis),
    against the exact gradient by enumeration, projected on it (1 when unbiased):

    >>> import numpy as np
    >>> from reparam_book.digits import load_binary_digits
    >>> from reparam_book.discrete_vae import DiscreteVAE
    >>> from reparam_book.vae_gradients import draw_noise, logit_gradient
    >>> model, x = DiscreteVAE(), load_binary_digits().test[:1][None]  # (1, 1, 64)
    >>> params = model.init(1, rng=0)
    >>> exact = logit_gradient(model, "exact", params, x)[0, 0].ravel()
    >>> noise = draw_noise("reinforce_loo", (1, 10_000, 3, 2, 8), np.random.default_rng(0))
    >>> g = logit_gradient(model, "reinforce_loo", params, np.repeat(x, 10_000, axis=1), noise)
    >>> proj = g[0].reshape(10_000, -1) @ exact / (exact @ exact)
    >>> print(round(float(proj.mean()), 1), bool(abs(proj.mean() - 1) < 5 * proj.std() / 100))
    1.0 True
    """
    a = getval(model.encoder_logits(params, x))
    return _estimate(model, estimator, params, x, a, noise, tau, control, False)[0]


def gradient(
    model: DiscreteVAE,
    estimator: str,
    params: dict,
    x: np.ndarray,
    noise: dict | None = None,
    *,
    tau: float | None = None,
    control: dict | None = None,
    tune: bool = False,
):
    r"""One estimate, per run, of the gradient of minus the batch-mean ELBO.

    The estimate is assembled from two parts, as the mixed formula splits it: the encoder's
    logits receive the estimator's gradient of :math:`\mathbb E_q[f]` (:func:`logit_gradient`)
    minus the exact gradient of the KL term, passed back through the encoder; the decoder
    receives the estimator's gradient with respect to :math:`\theta`.

    Parameters
    ----------
    model : DiscreteVAE
    estimator : str
        One of :data:`ESTIMATORS` or :data:`WRONG`.
    params : dict
        The model's parameters, each of shape (runs, ...).
    x : numpy.ndarray, shape (runs, batch, D)
        One minibatch per run.
    noise : dict
        From :func:`draw_noise` with shape (runs, batch, samples, M, K); unused by ``"exact"``.
    tau : float
        Temperature of ``"gumbel_softmax"`` and ``"straight_through"``.
    control : dict
        Control-variate parameters of REBAR and RELAX (:func:`init_control`).
    tune : bool
        For REBAR and RELAX: also return the gradient, with respect to ``control``, of the sum over
        runs and batch of the squared norm of the logit estimate (a single-sample estimate of the
        gradient of its second moment, hence of its variance: the tuning rule of REBAR and RELAX).

    Returns
    -------
    gradient : dict
        Like ``params``: each run's estimate.
    control_gradient : dict or None
        With ``tune``, the gradient for the control variate; None otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from reparam_book.digits import load_binary_digits
    >>> from reparam_book.discrete_vae import DiscreteVAE
    >>> from reparam_book.vae_gradients import draw_noise, gradient, init_control
    >>> model, x = DiscreteVAE(), load_binary_digits().train[:16][None]  # one run, batch 16
    >>> params = model.init(1, rng=0)
    >>> g, _ = gradient(model, "exact", params, x)
    >>> bool(np.allclose(g["dec_w2"], model.exact_gradient(params, x)["dec_w2"]))
    True
    >>> noise = draw_noise("rebar", (1, 16, 1, 2, 8), np.random.default_rng(0))
    >>> g, cg = gradient(model, "rebar", params, x, noise, control=init_control("rebar", model, 1), tune=True)
    >>> g["enc_w1"].shape, sorted(cg)
    ((1, 64, 32), ['eta', 'log_lam'])
    """
    batch = x.shape[1]
    encoder_pullback, a = make_vjp(lambda p: model.encoder_logits(p, x))({k: params[k] for k in ENCODER})
    g_a, g_dec, control_gradient = _estimate(model, estimator, params, x, a, noise, tau, control, tune)
    kl_a = grad(lambda a_: anp.sum(model.kl(a_)))(a)  # the exact KL, through the logits
    g_enc = encoder_pullback(g_a - kl_a)
    out = {**{k: -g_enc[k] / batch for k in ENCODER}, **{k: -g_dec[k] / batch for k in DECODER}}
    return out, control_gradient


def decoder_cost(estimator: str, samples: int, *, batch: int, configurations: int, tune_every: int = 1) -> dict:
    r"""Decoder passes per data point and step, counted as rows through the decoder network.

    ``forward`` rows are evaluations of :math:`f` (or of its relaxation); ``backward`` rows are
    vector-Jacobian products through the decoder. Exact enumeration runs the decoder once per
    configuration for the whole batch, so its cost per data point is ``configurations / batch``
    (it evaluates :math:`f` at all ``configurations`` pairs :math:`(x, z)`, but those are inner
    products with the shared decoder output). REBAR and RELAX evaluate :math:`f` at :math:`b`,
    at :math:`\sigma_\lambda(z)` and at :math:`\sigma_\lambda(\tilde z)` per sample; a tuning step
    (every ``tune_every`` steps) adds one second-order pass, counted in ``second_order``.

    Examples
    --------
    >>> from reparam_book.vae_gradients import decoder_cost
    >>> decoder_cost("reinforce_loo", 3, batch=16, configurations=64)["forward"]
    3.0
    >>> decoder_cost("rebar", 1, batch=16, configurations=64)["forward"]
    3.0
    >>> decoder_cost("exact", 1, batch=16, configurations=64)["forward"]
    4.0
    """
    if estimator == "exact":
        per = configurations / batch
        return {"forward": per, "backward": per, "f_evaluations": float(configurations), "second_order": 0.0}
    if estimator in ("reinforce_loo", "gumbel_softmax", "straight_through"):
        return {
            "forward": float(samples),
            "backward": float(samples),
            "f_evaluations": float(samples),
            "second_order": 0.0,
        }
    if estimator in ("rebar", "relax"):
        return {
            "forward": 3.0 * samples,
            "backward": 3.0 * samples,
            "f_evaluations": 3.0 * samples,
            "second_order": 2.0 * samples / tune_every,
        }
    raise ValueError(f"estimator: expected one of {ESTIMATORS}, got {estimator!r}")
