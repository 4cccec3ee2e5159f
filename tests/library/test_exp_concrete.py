"""The log-space Concrete: ``log_gumbel_softmax`` (ExpConcrete samples) and ``exp_concrete_log_density``.

The sampler must use the same noise as ``gumbel_softmax`` (so its exponential is the
Gumbel-softmax sample wherever that does not underflow), stay finite where ``gumbel_softmax``
underflows, and its density must be the Concrete density by change of variables:
``log p_Exp(x) = log p_Concrete(exp x) + sum(x)``, a density with respect to Lebesgue measure on
the log-ratios ``x_i - x_k``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import reference as ref

import reparam

LOGITS = np.array([0.5, -1.0, 1.5, 0.0])
BATCH_LOGITS = np.random.default_rng(0).normal(size=(3, 5))


# ---------------------------------------------------------------------------
# The sampler
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("tau", [0.1, 0.5, 1.0, 5.0])
@pytest.mark.parametrize(
    "logits", [LOGITS, BATCH_LOGITS, np.array([0.0, -np.inf, 1.0])], ids=["k4", "batch", "neg_inf"]
)
def test_exp_of_log_sample_is_the_gumbel_softmax_sample_of_the_same_seed(dtype, tau, logits):
    logits = logits.astype(dtype)
    y = reparam.gumbel_softmax(logits, tau, rng=3, size=2000)
    log_y = reparam.log_gumbel_softmax(logits, tau, rng=3, size=2000)
    assert log_y.shape == y.shape and log_y.dtype == dtype
    eps = float(np.finfo(dtype).eps)
    normal = y >= np.finfo(dtype).tiny  # no underflow (a subnormal keeps few digits)
    assert normal.mean() > 0.5
    # exp(z - log S) and exp(z) / S differ by the rounding of z - log S, relative ~ |log y| eps
    ly, yy = log_y[normal].astype(np.float64), y[normal].astype(np.float64)
    assert np.all(np.abs(np.exp(ly) - yy) <= 8 * eps * (1 + np.abs(ly)) * yy)
    # -inf logits give -inf exactly (and y = 0 exactly), and nothing else does
    np.testing.assert_array_equal(np.isneginf(log_y), np.broadcast_to(np.isneginf(logits), log_y.shape))


@pytest.mark.parametrize("tau", [1e-3, 0.05, 1.0])
def test_argmax_is_the_gumbel_max_draw(tau):
    log_y = reparam.log_gumbel_softmax(BATCH_LOGITS, tau, rng=11, size=500)
    np.testing.assert_array_equal(log_y.argmax(axis=-1), reparam.gumbel_max(BATCH_LOGITS, rng=11, size=500))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("tau", [1e-4, 0.05, 1.0, 1e4])
def test_log_samples_are_logs_of_simplex_points(dtype, tau):
    logits = np.linspace(-30, 30, 7).astype(dtype)
    log_y = reparam.log_gumbel_softmax(logits, tau, rng=0, size=(100, 3))
    assert log_y.shape == (100, 3, 7)
    assert np.all(np.isfinite(log_y))
    assert np.all(log_y <= 0)
    assert np.all(log_y.max(axis=-1) > -math.log(7) - 1e-5)  # the largest entry is at least 1/k
    lse = ref.logsumexp(log_y.astype(np.float64), axis=-1)
    assert np.all(np.abs(lse) <= max(1e-6, 2 * 7 * np.finfo(dtype).eps))


def test_issue_examples_underflow_in_gumbel_softmax_not_in_log_space():
    # gumbel_softmax([0, 0], 0.01) has rows with an exact 0, where the density is undefined
    y = reparam.gumbel_softmax([0.0, 0.0], 0.01, rng=0, size=1000)
    zero_rows = np.any(y == 0, axis=-1)
    assert zero_rows.sum() == 3
    with pytest.raises(ValueError, match="^y:"):
        reparam.concrete_log_density(y, [0.0, 0.0], 0.01)
    log_y = reparam.log_gumbel_softmax([0.0, 0.0], 0.01, rng=0, size=1000)
    assert np.all(np.isfinite(log_y))
    assert np.all(np.isfinite(reparam.exp_concrete_log_density(log_y, [0.0, 0.0], 0.01)))
    # elsewhere the two densities agree by change of variables
    ok = ~zero_rows
    np.testing.assert_allclose(
        reparam.exp_concrete_log_density(log_y[ok], [0.0, 0.0], 0.01),
        reparam.concrete_log_density(y[ok], [0.0, 0.0], 0.01) + np.log(y[ok]).sum(axis=-1),
        rtol=1e-9,
        atol=1e-9,
    )
    # logits +/-50 at tau = 0.05: an exact zero in every row, about exp(-2000) in log space
    y = reparam.gumbel_softmax([50.0, -50.0], 0.05, rng=0, size=1000)
    assert np.all(np.any(y == 0, axis=-1))
    log_y = reparam.log_gumbel_softmax([50.0, -50.0], 0.05, rng=0, size=1000)
    assert np.all(np.isfinite(log_y))
    assert np.all(log_y[:, 1] < -1000)
    assert np.all(np.isfinite(reparam.exp_concrete_log_density(log_y, [50.0, -50.0], 0.05)))


def test_single_category_and_tiny_tau_are_finite():
    np.testing.assert_array_equal(reparam.log_gumbel_softmax([0.3], 0.5, rng=0, size=4), np.zeros((4, 1)))
    for tau in (1e-300, 1e-30):
        log_y = reparam.log_gumbel_softmax([0.0, 0.0, 1.0], tau, rng=0, size=100)
        assert not np.any(np.isnan(log_y))
        assert np.all(log_y.max(axis=-1) == 0)


def test_binary_log_ratio_is_logistic():
    # k = 2: x_1 - x_2 = (l_1 - l_2 + G_1 - G_2) / tau, logistic with location (l_1 - l_2)/tau
    # and scale 1/tau. A wrong sampler (noise on probabilities, tau outside) fails this KS test.
    logits, tau, n = np.array([0.8, -0.4]), 0.6, 200_000
    log_y = reparam.log_gumbel_softmax(logits, tau, rng=21, size=n)
    u = log_y[:, 0] - log_y[:, 1]
    p = ref.ks_pvalue(u, lambda v: ref.logistic_cdf(v, loc=(logits[0] - logits[1]) / tau, scale=1 / tau))
    assert p > 1e-4
    wrong = ref.ks_pvalue(u, lambda v: ref.logistic_cdf(v, loc=(logits[0] - logits[1]), scale=1 / tau))
    assert wrong < 1e-10


# ---------------------------------------------------------------------------
# The density
# ---------------------------------------------------------------------------


def _random_log_points(k, n, seed, spread=30.0):
    z = np.random.default_rng(seed).uniform(-spread, 0, size=(n, k))
    return z - ref.logsumexp(z, axis=-1, keepdims=True)


@pytest.mark.parametrize("k", [2, 3, 6])
@pytest.mark.parametrize("tau", [0.05, 0.5, 3.0])
def test_change_of_variables_from_the_concrete_density(k, tau):
    logits = np.random.default_rng(k).normal(size=k) * 2
    log_y = _random_log_points(k, 200, seed=k)
    y = np.exp(log_y)
    y /= y.sum(axis=-1, keepdims=True)
    keep = np.all(y > 0, axis=-1)
    got = reparam.exp_concrete_log_density(log_y[keep], logits, tau)
    want = reparam.concrete_log_density(y[keep], logits, tau) + log_y[keep].sum(axis=-1)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-8)


def test_matches_tfp_exp_relaxed_one_hot_categorical_formula():
    # TFP: lgamma(k) + (k - 1) log(tau) + sum(log_softmax(logits - tau * x))
    logits, tau = np.array([0.3, -1.2, 2.0, 0.1]), 0.7
    x = _random_log_points(4, 50, seed=5)
    want = math.lgamma(4) + 3 * math.log(tau) + ref.log_softmax(logits - tau * x, axis=-1).sum(axis=-1)
    np.testing.assert_allclose(reparam.exp_concrete_log_density(x, logits, tau), want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("tau", [0.2, 1.0, 4.0])
def test_binary_density_is_the_logistic_density_of_the_log_ratio(tau):
    # With respect to Lebesgue measure on u = x_1 - x_2, the density is logistic in u.
    logits = np.array([0.8, -0.4])
    u = np.linspace(-40, 40, 161)
    x = np.stack([u, np.zeros_like(u)], axis=-1)
    x -= np.logaddexp(u, 0.0)[:, None]
    want = ref.logistic_logpdf(u, loc=(logits[0] - logits[1]) / tau, scale=1 / tau)
    np.testing.assert_allclose(reparam.exp_concrete_log_density(x, logits, tau), want, rtol=1e-10, atol=1e-10)


def test_normalized_over_the_log_ratios_k3():
    logits, tau = np.array([0.5, -0.3, 0.0]), 0.8

    def density(u1, u2):
        u1, u2 = np.broadcast_arrays(u1, u2)
        x = np.stack([u1, u2, np.zeros_like(u1)], axis=-1)
        x = x - ref.logsumexp(x, axis=-1, keepdims=True)
        return np.exp(reparam.exp_concrete_log_density(x, logits, tau))

    total = ref.gauss_legendre_2d(density, -40.0, 40.0)
    assert total == pytest.approx(1.0, abs=1e-6)


def test_shift_invariance_and_broadcasting():
    x = _random_log_points(5, 12, seed=2).reshape(3, 4, 5)
    a = reparam.exp_concrete_log_density(x, BATCH_LOGITS[0], 0.5)
    b = reparam.exp_concrete_log_density(x, BATCH_LOGITS[0] + 1e3, 0.5)
    assert a.shape == (3, 4)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)
    per_batch = reparam.exp_concrete_log_density(x[0], BATCH_LOGITS[:, None], 0.5)
    assert per_batch.shape == (3, 4)
    np.testing.assert_array_equal(per_batch[0], reparam.exp_concrete_log_density(x[0], BATCH_LOGITS[0], 0.5))
    assert np.ndim(reparam.exp_concrete_log_density(x[0, 0], BATCH_LOGITS[0], 0.5)) == 0


def test_density_of_own_samples_float32_and_float64():
    for dtype in (np.float32, np.float64):
        logits = BATCH_LOGITS.astype(dtype)
        log_y = reparam.log_gumbel_softmax(logits, 0.3, rng=1, size=1000)
        lp = reparam.exp_concrete_log_density(log_y, logits, 0.3)
        assert lp.shape == (1000, 3) and lp.dtype == np.float64
        assert np.all(np.isfinite(lp))


def test_importance_weights_between_temperatures_average_to_one():
    # E_{x ~ ExpConcrete(tau_1)}[p_{tau_2}(x) / p_{tau_1}(x)] = 1: the densities share their base
    # measure, so their ratio is a proper importance weight. Within 5 standard errors.
    logits, n = np.array([0.2, -0.5, 0.9]), 400_000
    x = reparam.log_gumbel_softmax(logits, 0.9, rng=4, size=n)
    w = np.exp(reparam.exp_concrete_log_density(x, logits, 1.1) - reparam.exp_concrete_log_density(x, logits, 0.9))
    se = w.std(ddof=1) / math.sqrt(n)
    assert abs(w.mean() - 1.0) < 5 * se
