r"""A variational autoencoder with categorical latents small enough to enumerate.

The model of chapter 8. A data point :math:`x \in \{0, 1\}^{D}` (an 8 × 8 binarised digit,
:mod:`reparam_book.digits`) has :math:`M` categorical latents :math:`z = (z_1, \dots, z_M)` of
:math:`K` classes each, written as one-hot blocks, so :math:`K^M` configurations in all (64 for
:math:`M = 2`, :math:`K = 8`):

* prior :math:`p(z)`: uniform over the :math:`K^M` configurations;
* decoder :math:`p_\theta(x \mid z) = \prod_d \mathrm{Bernoulli}(x_d; \sigma(a_d))` with
  :math:`a = W_2\,\mathrm{relu}(W_1 z + b_1) + b_2`, a one-hidden-layer network of the
  :math:`MK` one-hot inputs;
* encoder :math:`q_\phi(z \mid x) = \prod_m \mathrm{softmax}(\ell_m(x))_{z_m}`, the logits
  :math:`\ell(x)` a one-hidden-layer network of the pixels.

With :math:`f_\theta(x, z) = \log p_\theta(x \mid z)`, the evidence lower bound (ELBO) is

.. math::
    \mathcal L(x) = \mathbb E_{q_\phi(z\mid x)}\big[f_\theta(x, z)\big]
                    - \mathrm{KL}\big(q_\phi(\cdot\mid x)\,\Vert\,p\big),
    \qquad
    \mathrm{KL} = \sum_m \sum_k q_{mk} \log(K q_{mk}),

and everything is computed exactly by enumerating the :math:`K^M` configurations: the
expectation, the KL (in closed form), :math:`\log p_\theta(x) = \log \sum_z p(z)\,p_\theta(x\mid z)`
and, through autograd, the exact gradient. The decoder sees only :math:`z`, so one pass over
the :math:`K^M` configurations serves a whole minibatch.

Parameters of ``runs`` independent models are stacked along a leading axis, so that many
training runs advance in one vectorised step: every array of a parameter dict has shape
``(runs, ...)``, data batches ``(runs, batch, D)``, and every returned quantity a leading
``runs`` axis. Gradients come from ``autograd`` (which differentiates NumPy code, so the
arithmetic stays in NumPy); the library :mod:`reparam` never imports this module.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import NamedTuple

import autograd.numpy as anp
import numpy as np
from autograd import grad
from autograd.extend import defvjp, primitive
from autograd.tracer import getval

__all__ = ["DiscreteVAE", "ExactTerms", "ENCODER", "DECODER", "log_softmax", "logsumexp"]

#: Names of the encoder's parameters (phi) and of the decoder's (theta).
ENCODER = ("enc_w1", "enc_b1", "enc_w2", "enc_b2")
DECODER = ("dec_w1", "dec_b1", "dec_w2", "dec_b2")


def logsumexp(a, axis=-1):
    """log sum exp over ``axis``, keeping it (length 1); differentiable by autograd.

    Examples
    --------
    >>> import numpy as np
    >>> from reparam_book.discrete_vae import logsumexp
    >>> print(np.round(logsumexp(np.array([[0.0, np.log(3.0)], [1000.0, 1000.0]])), 4))
    [[   1.3863]
     [1000.6931]]
    """
    m = np.max(getval(a), axis=axis, keepdims=True)
    return m + anp.log(anp.sum(anp.exp(a - m), axis=axis, keepdims=True))


def log_softmax(a):
    """Normalised log-probabilities over the last axis.

    Examples
    --------
    >>> import numpy as np
    >>> from reparam_book.discrete_vae import log_softmax
    >>> print(np.round(np.exp(log_softmax(np.array([0.0, np.log(3.0)]))), 4))
    [0.25 0.75]
    """
    return a - logsumexp(a)


def _relu(a):
    return anp.maximum(a, 0.0)


def _softplus_sum(a):
    # sum_d log(1 + exp(a_d)) over the last axis with one log per row: each factor
    # 1 + exp(-|a_d|) lies in (1, 2], so a product of 64 of them cannot overflow
    return anp.sum(anp.maximum(a, 0.0), axis=-1) + anp.log(anp.prod(1.0 + anp.exp(-anp.abs(a)), axis=-1))


class _Counter:
    """Rows through the decoder: forward passes, and vector-Jacobian products (backward)."""

    def __init__(self) -> None:
        self.forward = 0
        self.backward = 0


@primitive
def _tap(z, counter):
    return z


def _tap_vjp(ans, z, counter):
    counter.backward += int(np.prod(np.shape(ans)[:-1]))
    return lambda g: g


defvjp(_tap, _tap_vjp, None)


class ExactTerms(NamedTuple):
    """Exact per-data-point quantities, each of shape (runs, batch).

    Examples
    --------
    >>> import numpy as np
    >>> from reparam_book.discrete_vae import DiscreteVAE
    >>> model = DiscreteVAE()
    >>> terms = model.exact(model.init(1, rng=0), np.ones((1, 2, 64)))
    >>> terms._fields
    ('reconstruction', 'kl', 'elbo', 'log_px')
    >>> bool(np.allclose(terms.elbo, terms.reconstruction - terms.kl))
    True
    """

    reconstruction: np.ndarray  # E_q[log p(x|z)]
    kl: np.ndarray  # KL(q(.|x) || p)
    elbo: np.ndarray  # reconstruction - kl
    log_px: np.ndarray  # log p(x), exact marginal likelihood


@dataclass(frozen=True)
class DiscreteVAE:
    r"""Shapes of the model: ``latents`` categoricals of ``classes`` classes, ``hidden`` units.

    Examples
    --------
    >>> import numpy as np
    >>> from reparam_book.discrete_vae import DiscreteVAE
    >>> model = DiscreteVAE()
    >>> model.configurations, model.n_parameters
    (64, 5264)
    >>> params = model.init(runs=3, rng=0)
    >>> params["enc_w1"].shape, params["dec_w2"].shape
    ((3, 64, 32), (3, 32, 64))

    At the start the encoder is close to uniform, so the KL term is small; the exact ELBO is a
    lower bound of the exact log-likelihood:

    >>> x = np.zeros((3, 5, 64))
    >>> terms = model.exact(params, x)
    >>> terms.elbo.shape
    (3, 5)
    >>> bool(np.all(terms.elbo <= terms.log_px)), bool(np.all(terms.kl < 0.5))
    (True, True)
    """

    latents: int = 2
    classes: int = 8
    hidden: int = 32
    pixels: int = 64

    def __post_init__(self) -> None:
        for name in ("latents", "classes", "hidden", "pixels"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise TypeError(f"{name}: expected an int, got {type(value).__name__}")
            if value < (2 if name == "classes" else 1):
                raise ValueError(f"{name}: too small, got {value}")
        object.__setattr__(self, "counter", _Counter())

    # ------------------------------------------------------------------ shapes
    @property
    def configurations(self) -> int:
        """Number of latent configurations, :math:`K^M`."""
        return self.classes**self.latents

    @property
    def n_parameters(self) -> int:
        """Number of parameters of one model (encoder and decoder)."""
        d, h, mk = self.pixels, self.hidden, self.latents * self.classes
        return (d * h + h + h * mk + mk) + (mk * h + h + h * d + d)

    def one_hot_configurations(self) -> tuple[np.ndarray, np.ndarray]:
        """All configurations: flattened one-hot rows (C, M*K) and class indices (C, M)."""
        m, k = self.latents, self.classes
        idx = np.array(list(itertools.product(range(k), repeat=m)))
        rows = np.zeros((len(idx), m, k))
        for j in range(m):
            rows[np.arange(len(idx)), j, idx[:, j]] = 1.0
        return rows.reshape(len(idx), m * k), idx

    # ------------------------------------------------------------------ parameters
    def init(self, runs: int, rng, pixel_mean: np.ndarray | None = None) -> dict:
        """Parameters of ``runs`` models: weights N(0, 1/fan_in), zero biases; the decoder's
        output bias at the logit of ``pixel_mean`` (clipped to [0.01, 0.99]) when given."""
        gen = np.random.default_rng(rng)
        d, h, mk = self.pixels, self.hidden, self.latents * self.classes

        def weights(fan_in: int, fan_out: int) -> np.ndarray:
            return gen.standard_normal((runs, fan_in, fan_out)) / np.sqrt(fan_in)

        out_bias = np.zeros((runs, 1, d))
        if pixel_mean is not None:
            pm = np.clip(np.asarray(pixel_mean, dtype=np.float64), 0.01, 0.99)
            out_bias = out_bias + np.log(pm / (1.0 - pm))
        return {
            "enc_w1": weights(d, h),
            "enc_b1": np.zeros((runs, 1, h)),
            "enc_w2": weights(h, mk),
            "enc_b2": np.zeros((runs, 1, mk)),
            "dec_w1": weights(mk, h),
            "dec_b1": np.zeros((runs, 1, h)),
            "dec_w2": weights(h, d),
            "dec_b2": out_bias,
        }

    # ------------------------------------------------------------------ networks
    def encoder_logits(self, params: dict, x) -> np.ndarray:
        """Unnormalised encoder logits, (runs, batch, M, K), for pixels x (runs, batch, D)."""
        h = _relu(anp.matmul(x, params["enc_w1"]) + params["enc_b1"])
        a = anp.matmul(h, params["enc_w2"]) + params["enc_b2"]
        return anp.reshape(a, a.shape[:-1] + (self.latents, self.classes))

    def decoder_logits(self, params: dict, z) -> np.ndarray:
        """Bernoulli logits (runs, n, D) of the decoder at latent rows z (runs or 1, n, M*K): one-hot
        configurations, or relaxed points of the product of simplices."""
        self.counter.forward += int(np.prod(np.broadcast_shapes(np.shape(z)[:-1], (params["dec_w1"].shape[0], 1))))
        h = _relu(anp.matmul(z, params["dec_w1"]) + params["dec_b1"])
        return _tap(anp.matmul(h, params["dec_w2"]) + params["dec_b2"], self.counter)

    def log_likelihood(self, params: dict, x, z) -> np.ndarray:
        """:math:`\\log p_\\theta(x \\mid z)` for matching rows: x (runs, n, D), z (runs, n, M*K) -> (runs, n)."""
        a = self.decoder_logits(params, z)
        return anp.sum(x * a, axis=-1) - _softplus_sum(a)

    # ------------------------------------------------------------------ exact quantities
    def configuration_log_likelihoods(self, params: dict, x) -> np.ndarray:
        """:math:`f(x_b, c) = \\log p_\\theta(x_b \\mid c)` for every configuration c: (runs, batch, C).
        The decoder runs once per configuration, for the whole batch."""
        rows, _ = self.one_hot_configurations()
        a = self.decoder_logits(params, rows[None])  # (runs, C, D)
        return anp.matmul(x, anp.swapaxes(a, 1, 2)) - _softplus_sum(a)[:, None, :]

    def configuration_log_q(self, logits) -> np.ndarray:
        """:math:`\\log q(c \\mid x)` for every configuration: (runs, batch, C) from logits (runs, batch, M, K)."""
        ell = log_softmax(logits)
        _, idx = self.one_hot_configurations()
        return sum(ell[:, :, m, idx[:, m]] for m in range(self.latents))

    def kl(self, logits) -> np.ndarray:
        """:math:`\\mathrm{KL}(q \\Vert p)` against the uniform prior, in closed form: (runs, batch)."""
        ell = log_softmax(logits)
        return anp.sum(anp.exp(ell) * (ell + np.log(self.classes)), axis=(-2, -1))

    def exact(self, params: dict, x) -> ExactTerms:
        """The ELBO, its two terms and :math:`\\log p(x)`, exactly, for x (runs, batch, D)."""
        f = self.configuration_log_likelihoods(params, x)
        logits = self.encoder_logits(params, x)
        rec = anp.sum(anp.exp(self.configuration_log_q(logits)) * f, axis=-1)
        kl = self.kl(logits)
        log_px = logsumexp(f - self.latents * np.log(self.classes))[..., 0]
        return ExactTerms(rec, kl, rec - kl, log_px)

    def loss(self, params: dict, x) -> np.ndarray:
        """Minus the batch-mean exact ELBO, summed over runs (its gradient is each run's own)."""
        return -anp.sum(anp.mean(self.exact(params, x).elbo, axis=1))

    def exact_gradient(self, params: dict, x) -> dict:
        """The exact gradient of :meth:`loss`, by enumeration and autograd."""
        return grad(self.loss)(params, x)

    def exact_gradient_parts(self, params: dict, x) -> dict[str, dict]:
        r"""The exact gradient of minus the batch-mean ELBO, in its three parts:

        * ``"score"``: :math:`-\sum_z f_\theta(z)\,\nabla_\phi q_\phi(z)`, which is
          :math:`-\mathbb E_q[f_\theta\,\nabla_\phi \log q_\phi]` (encoder only);
        * ``"pathwise"``: :math:`-\sum_z q_\phi(z)\,\nabla_\theta f_\theta(z)`, which is
          :math:`-\mathbb E_q[\nabla_\theta f_\theta]` (decoder only);
        * ``"kl"``: :math:`\nabla_\phi \mathrm{KL}`, in closed form (encoder only).

        Their sum is :meth:`exact_gradient`: the mixed formula
        :math:`\nabla \mathbb E_{q_\phi}[f_\theta] = \mathbb E[f_\theta \nabla \log q_\phi] + \mathbb E[\nabla f_\theta]`.
        """

        def part(which: str):
            def fun(p):
                f = self.configuration_log_likelihoods(p, x)
                logits = self.encoder_logits(p, x)
                q = anp.exp(self.configuration_log_q(logits))
                if which == "score":
                    value = anp.sum(q * getval(f), axis=-1)
                elif which == "pathwise":
                    value = anp.sum(getval(q) * f, axis=-1)
                else:
                    value = -self.kl(logits)
                return -anp.sum(anp.mean(value, axis=1))

            return grad(fun)(params)

        return {which: part(which) for which in ("score", "pathwise", "kl")}
