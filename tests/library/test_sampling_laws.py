"""Statistical tests of the ``reparam`` samplers, densities and gradient estimators.

Principles (the project's standard for every test in this file):

* **Fixed seeds.**  Every test draws from a seeded generator, so the suite is
  deterministic and never flakes; the thresholds below describe what would
  happen over the seeds, not on a given run.
* **Size (false alarm rate).**  Thresholds are set so that a *correct*
  implementation fails with probability below ``ALPHA = 1e-6``: p-value
  threshold ``1e-6`` for chi-square and Kolmogorov-Smirnov tests, and
  ``|z| > 5`` standard errors for Gaussian (CLT) comparisons (two-sided tail
  5.7e-7).  When one test makes ``m`` simultaneous comparisons, the threshold
  is Bonferroni adjusted, ``|z| > max(5, Phi^-1(1 - ALPHA / (2 m)))``, so the
  union of the comparisons still fails with probability below ``ALPHA``.
* **Power.**  Sample sizes are chosen so that a *wrong* implementation fails
  for sure, and this is demonstrated: next to each statistical test, the same
  test function is run on a deliberately wrong sampler (left-skewed Gumbel
  ``+log(-log u)``; uniforms clamped to ``[1e-2, 1 - 1e-2]``, which cuts the
  Gumbel tails; noise added to probabilities instead of logits; the
  misplaced-parenthesis Gumbel-softmax ``softmax(logits + G / tau)``, whose
  argmax as ``tau -> 0`` tends to the uniform distribution) and must reject it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import reference as ref
from numpy.polynomial import polynomial as P

import reparam

ALPHA = 1e-6
EULER_GAMMA = 0.5772156649015329
GUMBEL_VAR = math.pi**2 / 6
# Gumbel excess kurtosis is 12/5, so the 4th central moment is (3 + 12/5) var^2.
GUMBEL_MU4 = 5.4 * GUMBEL_VAR**2
CLAMP = 1e-2


def z_crit(m: int = 1) -> float:
    """Two-sided |z| threshold for ``m`` Bonferroni-adjusted comparisons."""
    return max(5.0, ref.norm_isf(ALPHA / (2 * m)))


def softmax(logits, axis=-1):
    a = np.asarray(logits, dtype=np.float64)
    m = np.max(a, axis=axis, keepdims=True)
    e = np.exp(a - m)
    return e / e.sum(axis=axis, keepdims=True)


# ---------------------------------------------------------------------------
# Noise sources: the correct one (from reparam) and deliberately wrong ones.
# Signature: noise(shape, rng) -> float64 array of that shape.
# ---------------------------------------------------------------------------


def _open_uniform(shape, rng):
    u = rng.random(shape)
    u[u == 0.0] = np.finfo(np.float64).tiny
    return u


def noise_reparam(shape, rng):
    return reparam.sample_gumbel(shape, rng=rng)


def noise_left_skewed(shape, rng):
    """Wrong: the mirror image ``+log(-log u)`` (a Gumbel for the minimum)."""
    return np.log(-np.log(_open_uniform(shape, rng)))


def noise_clamped(shape, rng):
    """Wrong: uniforms clamped to [1e-2, 1 - 1e-2], which cuts both Gumbel tails."""
    u = np.clip(rng.random(shape), CLAMP, 1.0 - CLAMP)
    return -np.log(-np.log(u))


# Categorical samplers: cat(logits, n, rng) -> int array of shape (n,) + batch.


def cat_reparam(logits, n, rng):
    return reparam.gumbel_max(logits, rng=rng, size=n)


def _cat_from_noise(noise):
    def cat(logits, n, rng):
        a = np.asarray(logits, dtype=np.float64)
        return np.argmax(a + noise((n,) + a.shape, rng), axis=-1)

    return cat


def cat_noise_on_probs(logits, n, rng):
    """Wrong: Gumbel noise added to probabilities instead of logits."""
    a = np.asarray(logits, dtype=np.float64)
    return np.argmax(softmax(a) + noise_reparam((n,) + a.shape, rng), axis=-1)


WRONG_CATEGORICAL = {
    "left_skewed": _cat_from_noise(noise_left_skewed),
    "noise_on_probs": cat_noise_on_probs,
}

# Relaxed samplers: relax(logits, tau, n, rng) -> array of shape (n,) + logits.shape.


def relax_reparam(logits, tau, n, rng):
    return reparam.gumbel_softmax(logits, tau, rng=rng, size=n)


def _relax_from_noise(noise):
    def relax(logits, tau, n, rng):
        a = np.asarray(logits, dtype=np.float64)
        return softmax((a + noise((n,) + a.shape, rng)) / tau)

    return relax


def relax_misplaced_parenthesis(logits, tau, n, rng):
    """Wrong: ``softmax(logits + G / tau)``; its argmax is softmax(tau * logits)."""
    a = np.asarray(logits, dtype=np.float64)
    return softmax(a + noise_reparam((n,) + a.shape, rng) / tau)


def relax_noise_on_probs(logits, tau, n, rng):
    """Wrong: ``softmax((softmax(logits) + G) / tau)``."""
    a = np.asarray(logits, dtype=np.float64)
    return softmax((softmax(a) + noise_reparam((n,) + a.shape, rng)) / tau)


# ---------------------------------------------------------------------------
# Chi-square helpers
# ---------------------------------------------------------------------------


def chi2_pvalue(counts, probs) -> float:
    """Pearson chi-square p-value of ``counts`` against ``probs`` (last axis = cells).

    Several rows (a batch) are combined by summing their statistics and degrees
    of freedom.  Cells of probability 0 must be empty: any draw there gives
    p = 0 (a zero-probability category was drawn).
    """
    counts = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    probs = np.atleast_2d(np.asarray(probs, dtype=np.float64))
    stat, dof = 0.0, 0
    for c, p in zip(counts, probs):
        if np.any(c[p == 0] > 0):
            return 0.0
        c, p = c[p > 0], p[p > 0]
        expected = c.sum() * p
        assert expected.min() >= 20, "sample too small for the chi-square approximation"
        stat += float(np.sum((c - expected) ** 2 / expected))
        dof += len(c) - 1
    return ref.chi2_sf(stat, dof)


def gumbel_max_chi2_pvalue(sampler, logits, n, seed) -> float:
    """Chi-square p-value of the categories drawn by ``sampler`` vs softmax(logits)."""
    a = np.asarray(logits, dtype=np.float64)
    draws = np.asarray(sampler(logits, n, np.random.default_rng(seed)))
    assert draws.shape == (n,) + a.shape[:-1]
    k = a.shape[-1]
    flat = draws.reshape(n, -1)
    counts = np.stack([np.bincount(flat[:, b], minlength=k) for b in range(flat.shape[1])])
    return chi2_pvalue(counts, softmax(a).reshape(-1, k))


CAT_LOGITS = {
    "k4": [0.0, 1.0, 2.0, -1.0],
    "neg_inf": [0.0, -np.inf, 0.5, 3.0],
    "spread": [3.0, -2.0, 0.0, 1.0],
    "batch": [[0.0, 1.0, 2.0], [2.0, -np.inf, -2.0], [5.0, 5.0, 5.0]],
}
N_CAT = 200_000


@pytest.mark.parametrize("name", sorted(CAT_LOGITS))
def test_gumbel_max_frequencies_match_softmax(name):
    assert gumbel_max_chi2_pvalue(cat_reparam, CAT_LOGITS[name], N_CAT, seed=1) > ALPHA


def test_gumbel_max_frequencies_float32_logits():
    logits = np.array([0.0, 1.0, 2.0, -1.0], dtype=np.float32)
    assert gumbel_max_chi2_pvalue(cat_reparam, logits, N_CAT, seed=2) > ALPHA


@pytest.mark.parametrize("wrong", sorted(WRONG_CATEGORICAL))
@pytest.mark.parametrize("name", ["k4", "batch"])
def test_gumbel_max_chi2_detects_wrong_sampler(name, wrong):
    # k >= 3 is needed for the left-skewed noise: for k = 2 the difference of two
    # Gumbels is logistic, symmetric, so mirrored noise gives the same law.
    p = gumbel_max_chi2_pvalue(WRONG_CATEGORICAL[wrong], CAT_LOGITS[name], N_CAT, seed=1)
    assert p < ALPHA


def test_gumbel_max_chi2_detects_drawing_neg_inf_category():
    def wrong(logits, n, rng):  # treats -inf as a very negative but drawable logit
        a = np.nan_to_num(np.asarray(logits, dtype=np.float64), neginf=-3.0)
        return reparam.gumbel_max(a, rng=rng, size=n)

    assert gumbel_max_chi2_pvalue(wrong, CAT_LOGITS["neg_inf"], N_CAT, seed=1) < ALPHA


# --- the argmax of a Gumbel-softmax sample is a Gumbel-max draw -------------


def gumbel_softmax_argmax_chi2_pvalue(relax, logits, tau, n, seed) -> float:
    """Chi-square p-value of argmax(relaxed sample) frequencies vs softmax(logits)."""

    def cat(lg, m, rng):
        y = np.asarray(relax(lg, tau, m, rng))
        assert np.all(np.isfinite(y))
        return np.argmax(y, axis=-1)

    return gumbel_max_chi2_pvalue(cat, logits, n, seed)


SOFT_LOGITS = [0.0, 1.0, 2.0, -1.0]


@pytest.mark.parametrize("tau", [0.1, 1.0, 10.0])
def test_gumbel_softmax_argmax_is_gumbel_max(tau):
    assert gumbel_softmax_argmax_chi2_pvalue(relax_reparam, SOFT_LOGITS, tau, N_CAT, 3) > ALPHA


@pytest.mark.parametrize("tau", [0.1, 10.0])
def test_gumbel_softmax_argmax_detects_misplaced_parenthesis(tau):
    # softmax(logits + G / tau) has argmax distributed as softmax(tau * logits):
    # near-uniform for small tau, too peaked for large tau (identical at tau = 1).
    p = gumbel_softmax_argmax_chi2_pvalue(relax_misplaced_parenthesis, SOFT_LOGITS, tau, N_CAT, 3)
    assert p < ALPHA


@pytest.mark.parametrize("tau", [0.1, 1.0, 10.0])
def test_gumbel_softmax_argmax_detects_left_skewed_noise(tau):
    relax = _relax_from_noise(noise_left_skewed)
    assert gumbel_softmax_argmax_chi2_pvalue(relax, SOFT_LOGITS, tau, N_CAT, 3) < ALPHA


def test_gumbel_softmax_argmax_detects_noise_on_probs():
    p = gumbel_softmax_argmax_chi2_pvalue(relax_noise_on_probs, SOFT_LOGITS, 1.0, N_CAT, 3)
    assert p < ALPHA


def test_gumbel_softmax_hard_frequencies_match_softmax():
    def cat(lg, m, rng):
        y = reparam.gumbel_softmax(lg, 0.5, rng=rng, size=m, hard=True)
        return np.argmax(y, axis=-1)

    assert gumbel_max_chi2_pvalue(cat, SOFT_LOGITS, N_CAT, seed=4) > ALPHA


# ---------------------------------------------------------------------------
# Gumbel noise: moments and Kolmogorov-Smirnov
# ---------------------------------------------------------------------------

N_GUMBEL = 1_000_000


def gumbel_moment_z(noise, n, seed, dtype=np.float64):
    """z-scores of the sample mean vs Euler's gamma and the sample variance vs pi^2/6.

    SE of the mean: sqrt(var / n).  SE of the sample variance: sqrt((mu4 - var^2) / n)
    with the known Gumbel 4th central moment mu4 = 5.4 var^2 (excess kurtosis 12/5).
    """
    x = np.asarray(noise((n,), np.random.default_rng(seed)), dtype=np.float64)
    assert np.all(np.isfinite(x))
    z_mean = (x.mean() - EULER_GAMMA) / math.sqrt(GUMBEL_VAR / n)
    z_var = (x.var(ddof=1) - GUMBEL_VAR) / math.sqrt((GUMBEL_MU4 - GUMBEL_VAR**2) / n)
    return z_mean, z_var


def noise_reparam_f32(shape, rng):
    x = reparam.sample_gumbel(shape, rng=rng, dtype=np.float32)
    assert x.dtype == np.float32
    return x


@pytest.mark.parametrize("noise", [noise_reparam, noise_reparam_f32], ids=["f64", "f32"])
def test_gumbel_moments(noise):
    z_mean, z_var = gumbel_moment_z(noise, N_GUMBEL, seed=5)
    assert max(abs(z_mean), abs(z_var)) < z_crit(2)  # two comparisons: Bonferroni


@pytest.mark.parametrize("noise", [noise_left_skewed, noise_clamped], ids=["left_skewed", "clamped"])
def test_gumbel_moments_detect_wrong_noise(noise):
    z_mean, z_var = gumbel_moment_z(noise, N_GUMBEL, seed=5)
    assert max(abs(z_mean), abs(z_var)) > z_crit(2)


def gumbel_ks_pvalue(noise, n, seed) -> float:
    x = np.asarray(noise((n,), np.random.default_rng(seed)), dtype=np.float64)
    return ref.ks_pvalue(x, ref.gumbel_cdf)


@pytest.mark.parametrize("noise", [noise_reparam, noise_reparam_f32], ids=["f64", "f32"])
def test_gumbel_ks(noise):
    assert gumbel_ks_pvalue(noise, N_GUMBEL, seed=6) > ALPHA


@pytest.mark.parametrize("noise", [noise_left_skewed, noise_clamped], ids=["left_skewed", "clamped"])
def test_gumbel_ks_detects_wrong_noise(noise):
    # The clamp puts 1% point masses at each end: KS distance 0.01, sqrt(n) D = 10.
    assert gumbel_ks_pvalue(noise, N_GUMBEL, seed=6) < ALPHA


def test_sample_gumbel_int_seed_matches_generator_stream_law():
    # A Generator argument and an int seed both give standard Gumbel draws.
    x = reparam.sample_gumbel((200_000,), rng=7)
    assert ref.ks_pvalue(x, ref.gumbel_cdf) > ALPHA


# ---------------------------------------------------------------------------
# Plackett-Luce: ordered top-k frequencies
# ---------------------------------------------------------------------------


def plackett_luce_probs(logits, k):
    """Probability of every ordered k-tuple of distinct categories (dict tuple -> prob)."""
    p = softmax(logits)
    out = {}

    def rec(prefix, prob, left):
        if len(prefix) == k:
            out[tuple(prefix)] = prob
            return
        for i in range(len(p)):
            if i not in prefix and p[i] > 0:
                rec(prefix + [i], prob * p[i] / left, left - p[i])

    rec([], 1.0, 1.0)
    return out


def top_k_chi2_pvalue(sampler, logits, k, n, seed) -> float:
    """Chi-square of ordered k-tuple frequencies vs Plackett-Luce probabilities.

    Draws that are not a valid ordered tuple of distinct finite categories give p = 0.
    """
    a = np.asarray(logits, dtype=np.float64)
    draws = np.asarray(sampler(a, k, n, np.random.default_rng(seed)))
    assert draws.shape == (n, k)
    table = plackett_luce_probs(a, k)
    cells = sorted(table)
    kk = a.shape[-1]
    codes = np.zeros(n, dtype=np.int64)
    for j in range(k):
        codes = codes * kk + draws[:, j]
    cell_codes = np.array([sum(c[j] * kk ** (k - 1 - j) for j in range(k)) for c in cells])
    uniq, counts = np.unique(codes, return_counts=True)
    if not np.all(np.isin(uniq, cell_codes)):
        return 0.0
    observed = np.array([counts[uniq == c].sum() for c in cell_codes])
    return chi2_pvalue(observed, np.array([table[c] for c in cells]))


def topk_reparam(logits, k, n, rng):
    return reparam.gumbel_top_k(logits, k, rng=rng, size=n)


def _topk_from_noise(noise):
    def topk(logits, k, n, rng):
        return np.argsort(-(logits + noise((n,) + logits.shape, rng)), axis=-1)[..., :k]

    return topk


def topk_noise_on_probs(logits, k, n, rng):
    return np.argsort(-(softmax(logits) + noise_reparam((n,) + logits.shape, rng)), axis=-1)[..., :k]


def topk_unordered(logits, k, n, rng):
    """Wrong: the right set, but returned in index order instead of best first."""
    return np.sort(reparam.gumbel_top_k(logits, k, rng=rng, size=n), axis=-1)


WRONG_TOPK = {
    "left_skewed": _topk_from_noise(noise_left_skewed),
    "noise_on_probs": topk_noise_on_probs,
    "unordered": topk_unordered,
}
TOPK_CASES = {
    "k2_of_4": ([0.5, -0.3, 1.2, 0.0], 2),
    "k3_of_4": ([0.5, -0.3, 1.2, 0.0], 3),
    "k2_neg_inf": ([0.5, -np.inf, 1.2, 0.0], 2),
}
N_TOPK = 300_000


@pytest.mark.parametrize("case", sorted(TOPK_CASES))
def test_gumbel_top_k_plackett_luce(case):
    logits, k = TOPK_CASES[case]
    assert top_k_chi2_pvalue(topk_reparam, logits, k, N_TOPK, seed=8) > ALPHA


@pytest.mark.parametrize("wrong", sorted(WRONG_TOPK))
@pytest.mark.parametrize("case", ["k2_of_4", "k3_of_4"])
def test_gumbel_top_k_detects_wrong_sampler(case, wrong):
    logits, k = TOPK_CASES[case]
    assert top_k_chi2_pvalue(WRONG_TOPK[wrong], logits, k, N_TOPK, seed=8) < ALPHA


# ---------------------------------------------------------------------------
# Concrete density: normalization by quadrature and agreement with samples
# ---------------------------------------------------------------------------


def concrete_log_density_missing_tau_power(y, logits, tau):
    """Wrong density: forgets the tau^(k-1) factor (normalizes only at tau = 1)."""
    k = np.shape(logits)[-1]
    return reparam.concrete_log_density(y, logits, tau) - (k - 1) * math.log(tau)


def concrete_mass(logdens, logits, tau) -> float:
    """Total mass of exp(logdens) over the open simplex, by quadrature (reference.py).

    In the smooth coordinates x_i = log(y_i / y_k), i < k, where the density is p(y(x)) times the
    Jacobian y_1 ... y_k and decays like e^(-tau |x|) (the simplex's corners and edges, where p
    may have integrable singularities, lie at infinity): over (-L, L)^(k-1) with L = 40/tau, beyond
    which the mass is below e^-40. k = 2 or 3.
    """
    k = len(logits)
    assert k in (2, 3)
    half_width = 40.0 / min(tau, 1.0)

    def density(*x):
        x = np.broadcast_arrays(*x, 0.0)
        log_y = np.stack(x, axis=-1)
        log_y = log_y - ref.logsumexp(log_y, axis=-1, keepdims=True)
        y = np.exp(log_y)
        return np.exp(logdens(y, logits, tau) + log_y.sum(axis=-1))

    if k == 2:
        return ref.gauss_legendre(density, -half_width, half_width, panels=400)
    return ref.gauss_legendre_2d(density, -half_width, half_width, panels=100)


DENSITY_CASES = [
    ([0.3, -0.5], 0.5),
    ([0.3, -0.5], 1.0),
    ([0.3, -0.5], 2.0),
    ([0.2, -0.4, 1.0], 1.0),
    ([0.2, -0.4, 1.0], 2.0),
]


@pytest.mark.parametrize("logits,tau", DENSITY_CASES)
def test_concrete_density_normalized(logits, tau):
    # Deterministic: quadrature error is ~1e-9, so 1e-6 relative is a safe tolerance.
    assert concrete_mass(reparam.concrete_log_density, logits, tau) == pytest.approx(1.0, rel=1e-6)


@pytest.mark.parametrize("logits,tau", [([0.3, -0.5], 0.5), ([0.2, -0.4, 1.0], 2.0)])
def test_concrete_normalization_detects_wrong_density(logits, tau):
    mass = concrete_mass(concrete_log_density_missing_tau_power, logits, tau)
    assert abs(mass - 1.0) > 1e-3


def concrete_histogram_pvalue(relax, logits, tau, n, seed) -> float:
    """Chi-square of a histogram of y1 from ``relax`` (k = 2) vs the Concrete density.

    Bins are equally spaced in s = tau * log(y1 / y2) - (l1 - l2), the difference of
    the two Gumbels, which is standard logistic; the outer bins |s| > 6.2 catch the
    tails beyond what clamped uniforms can produce (|s| <= 6.13).  Expected counts
    come from integrating exp(reparam.concrete_log_density) over each bin (in the
    smooth coordinate x = log(y1 / y2), with the Jacobian dy1/dx = y1 y2).
    """
    logits = np.asarray(logits, dtype=np.float64)
    y = np.asarray(relax(logits, tau, n, np.random.default_rng(seed)), dtype=np.float64)
    assert y.shape == (n, 2)
    dl = logits[0] - logits[1]
    s_edges = np.concatenate([[-6.2], np.linspace(-5.0, 5.0, 21), [6.2]])
    x_edges = (dl + s_edges) / tau
    with np.errstate(divide="ignore"):
        x = np.log(y[:, 0]) - np.log(y[:, 1])
    counts = np.bincount(np.searchsorted(x_edges, x), minlength=len(x_edges) + 1)

    def dens_x(t):
        # density of x = log(y1 / y2): p(y(x)) dy1/dx, with y1 = sigmoid(x), dy1/dx = y1 y2
        y1, y2 = 1.0 / (1.0 + np.exp(-t)), 1.0 / (1.0 + np.exp(t))
        return np.exp(reparam.concrete_log_density(np.stack([y1, y2], axis=-1), logits, tau)) * y1 * y2

    # Outer tails cut at |x| = 35 so that y1 = sigmoid(x) < 1 in floating point; the mass
    # beyond, at most e^-(35 tau - |l1 - l2|) ~ 6e-8 for tau = 0.5, is negligible.
    assert 35.0 * tau - abs(dl) > 16.0
    edges = np.concatenate([[-35.0], x_edges, [35.0]])
    probs = np.array([ref.quad(dens_x, lo, hi, rtol=1e-10) for lo, hi in zip(edges[:-1], edges[1:])])
    assert probs.sum() == pytest.approx(1.0, rel=1e-6)
    return chi2_pvalue(counts, probs / probs.sum())


N_HIST = 500_000
HIST_LOGITS = [0.3, -0.5]


@pytest.mark.parametrize("tau", [0.5, 2.0])
def test_concrete_density_matches_gumbel_softmax_histogram(tau):
    # With one seed both temperatures see the same noise and the bins are fixed in s, so the
    # counts coincide; what differs is the density integrated for the expected counts.
    assert concrete_histogram_pvalue(relax_reparam, HIST_LOGITS, tau, N_HIST, seed=9) > ALPHA


@pytest.mark.parametrize(
    "relax",
    [relax_misplaced_parenthesis, relax_noise_on_probs, _relax_from_noise(noise_clamped)],
    ids=["misplaced_parenthesis", "noise_on_probs", "clamped"],
)
def test_concrete_histogram_detects_wrong_sampler(relax):
    # Left-skewed noise is deliberately absent: for k = 2 only G1 - G2 matters, and
    # it is logistic (symmetric) for mirrored noise too, so no test can see it here.
    assert concrete_histogram_pvalue(relax, HIST_LOGITS, 0.5, N_HIST, seed=9) < ALPHA


# ---------------------------------------------------------------------------
# Gradient estimators
# ---------------------------------------------------------------------------

GRAD_LOGITS = np.array([0.5, -1.0, 1.5, 0.0])
F_VALUES = np.array([1.0, -2.0, 0.5, 3.0])


def f_cat(y):
    return F_VALUES[y]


def mean_z(samples, exact):
    """z-scores of the per-column sample means of (n, d) ``samples`` against ``exact``."""
    samples = np.asarray(samples, dtype=np.float64)
    n = samples.shape[0]
    se = samples.std(axis=0, ddof=1) / math.sqrt(n)
    return (samples.mean(axis=0) - exact) / se


def test_categorical_exact_grad_matches_finite_difference():
    def objective(lg):
        return float(np.sum(softmax(lg) * F_VALUES))

    h = 1e-5
    fd = np.array(
        [(objective(GRAD_LOGITS + h * e) - objective(GRAD_LOGITS - h * e)) / (2 * h) for e in np.eye(len(GRAD_LOGITS))]
    )
    g = reparam.categorical_exact_grad(GRAD_LOGITS, F_VALUES)
    assert g.shape == (4,)
    np.testing.assert_allclose(g, fd, rtol=1e-7, atol=1e-9)
    p = softmax(GRAD_LOGITS)
    np.testing.assert_allclose(g, p * (F_VALUES - p @ F_VALUES), rtol=1e-12, atol=1e-14)


def test_categorical_exact_grad_zero_at_neg_inf_and_shift_invariant():
    logits = np.array([0.5, -np.inf, 1.5, 0.0])
    g = reparam.categorical_exact_grad(logits, F_VALUES)
    assert g[1] == 0.0
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(reparam.categorical_exact_grad(logits + 100.0, F_VALUES), g, atol=1e-12)


# --- REINFORCE -----------------------------------------------------------------

N_REINFORCE = 500_000


def reinforce_max_abs_z(estimator, baseline, n, seed) -> float:
    """Max |z| of the REINFORCE mean vs categorical_exact_grad over the k coordinates."""
    g = np.asarray(estimator(GRAD_LOGITS, f_cat, n=n, rng=np.random.default_rng(seed), baseline=baseline))
    assert g.shape == (n, len(GRAD_LOGITS))
    exact = reparam.categorical_exact_grad(GRAD_LOGITS, F_VALUES)
    return float(np.max(np.abs(mean_z(g, exact))))


def reinforce_missing_softmax(logits, f, *, n, rng, baseline=0.0):
    """Wrong: (f(y) - b) * onehot(y), forgetting the -softmax(logits) term of the score."""
    y = reparam.gumbel_max(logits, rng=rng, size=n)
    return (f(y) - baseline)[:, None] * np.eye(len(logits))[y]


def reinforce_left_skewed(logits, f, *, n, rng, baseline=0.0):
    """Wrong: the right score, but y drawn with left-skewed Gumbel noise."""
    y = WRONG_CATEGORICAL["left_skewed"](logits, n, rng)
    return (f(y) - baseline)[:, None] * (np.eye(len(logits))[y] - softmax(logits))


@pytest.mark.parametrize("baseline", [0.0, 1.2])
def test_reinforce_unbiased(baseline):
    assert reinforce_max_abs_z(reparam.reinforce_grad, baseline, N_REINFORCE, seed=10) < z_crit(4)


@pytest.mark.parametrize("wrong", [reinforce_missing_softmax, reinforce_left_skewed])
@pytest.mark.parametrize("baseline", [0.0, 1.2])
def test_reinforce_test_detects_wrong_estimator(wrong, baseline):
    assert reinforce_max_abs_z(wrong, baseline, N_REINFORCE, seed=10) > z_crit(4)


# --- Gumbel-softmax pathwise ---------------------------------------------------

GS_LOGITS = np.array([0.5, -1.0, 1.5])
GS_C = np.array([1.0, -2.0, 3.0])
N_GS = 400_000


def f_quad(y):
    """Nonlinear test function f(y) = sum_i c_i y_i^2 on (n, k) arrays."""
    return np.sum(GS_C * y**2, axis=-1)


def df_quad(y):
    return 2.0 * GS_C * y


def relaxed_fd_samples(logits, tau, n, seed, h=1e-4):
    """(n, k) per-sample central differences of f(gumbel_softmax(logits, tau)).

    Each coordinate uses the same int seed for logits +- h e_j (common random
    numbers), so the difference quotient is a low-variance estimate of the
    gradient of the relaxed objective E f(gumbel_softmax(logits, tau)); its
    truncation bias O(h^2) ~ 1e-8 is negligible next to the standard error.
    """
    cols = []
    for e in np.eye(len(logits)):
        up = f_quad(reparam.gumbel_softmax(logits + h * e, tau, rng=seed, size=n))
        dn = f_quad(reparam.gumbel_softmax(logits - h * e, tau, rng=seed, size=n))
        cols.append((up - dn) / (2 * h))
    return np.stack(cols, axis=-1)


def gumbel_softmax_grad_vs_fd_max_abs_z(estimator, tau, n, seed) -> float:
    """Max |z| of mean(estimator) - mean(finite difference) over k coordinates.

    The estimator and the finite difference use independent seeds, so the SE of
    the difference is sqrt(se_est^2 + se_fd^2).
    """
    g = np.asarray(estimator(GS_LOGITS, f_quad, df_quad, tau, n=n, rng=np.random.default_rng(seed)))
    assert g.shape == (n, len(GS_LOGITS))
    fd = relaxed_fd_samples(GS_LOGITS, tau, n, seed + 1000)
    diff = g.mean(axis=0) - fd.mean(axis=0)
    se = np.sqrt(g.var(axis=0, ddof=1) / n + fd.var(axis=0, ddof=1) / n)
    return float(np.max(np.abs(diff / se)))


def gs_grad_forgot_tau(logits, f, df, tau, *, n, rng):
    """Wrong: Jacobian diag(y) - y y^T without the 1 / tau factor."""
    y = reparam.gumbel_softmax(logits, tau, rng=rng, size=n)
    d = df(y)
    return y * d - y * np.sum(y * d, axis=-1, keepdims=True)


def gs_grad_misplaced_parenthesis(logits, f, df, tau, *, n, rng):
    """Wrong: exact pathwise gradient of E f(softmax(logits + G / tau)), another objective."""
    y = relax_misplaced_parenthesis(logits, tau, n, rng)
    d = df(y)
    return y * d - y * np.sum(y * d, axis=-1, keepdims=True)


@pytest.mark.parametrize("tau", [0.5, 2.0])
def test_gumbel_softmax_grad_unbiased_for_relaxed_objective(tau):
    assert gumbel_softmax_grad_vs_fd_max_abs_z(reparam.gumbel_softmax_grad, tau, N_GS, seed=12) < z_crit(3)


@pytest.mark.parametrize("wrong", [gs_grad_forgot_tau, gs_grad_misplaced_parenthesis])
def test_gumbel_softmax_grad_test_detects_wrong_estimator(wrong):
    assert gumbel_softmax_grad_vs_fd_max_abs_z(wrong, 0.5, N_GS, seed=12) > z_crit(3)


def test_gumbel_softmax_grad_biased_for_discrete_objective():
    """At tau = 1 the relaxed gradient is NOT the gradient of E f(onehot(y)).

    For one-hot y, f(y) = sum c_i y_i^2 = c_y, so the exact discrete gradient is
    categorical_exact_grad(logits, c).  The bias must exceed 8 standard errors
    (a deterministic check of a large, known bias, not a hypothesis test).
    """
    n = 1_000_000
    g = reparam.gumbel_softmax_grad(GS_LOGITS, f_quad, df_quad, 1.0, n=n, rng=13)
    z = mean_z(g, reparam.categorical_exact_grad(GS_LOGITS, GS_C))
    assert np.max(np.abs(z)) > 8.0


# --- Gaussian pathwise and score-function estimators ---------------------------

MU, SIGMA = 0.7, 1.3
N_GAUSS = 1_000_000


def f_sq(z):
    return z**2


def df_sq(z):
    return 2.0 * z


def gaussian_grad_max_abs_z(estimator, fn, n, seed) -> float:
    """Max |z| of the estimator's mean vs the exact gradient of E z^2 = mu^2 + sigma^2."""
    g = np.asarray(estimator(MU, SIGMA, fn, n=n, rng=np.random.default_rng(seed)))
    assert g.shape == (n, 2)
    return float(np.max(np.abs(mean_z(g, np.array([2 * MU, 2 * SIGMA])))))


def pathwise_with_z_instead_of_eps(mu, sigma, df, *, n, rng):
    """Wrong: (df(z), df(z) * z) instead of (df(z), df(z) * eps)."""
    z = mu + sigma * rng.standard_normal(n)
    return np.stack([df(z), df(z) * z], axis=-1)


def score_missing_sigma_term(mu, sigma, f, *, n, rng):
    """Wrong: sigma score (z - mu)^2 / sigma^3, missing the -1 / sigma term."""
    z = mu + sigma * rng.standard_normal(n)
    return np.stack([f(z) * (z - mu) / sigma**2, f(z) * (z - mu) ** 2 / sigma**3], axis=-1)


def test_gaussian_pathwise_grad_unbiased():
    assert gaussian_grad_max_abs_z(reparam.gaussian_pathwise_grad, df_sq, N_GAUSS, seed=14) < z_crit(2)


def test_gaussian_score_grad_unbiased():
    assert gaussian_grad_max_abs_z(reparam.gaussian_score_grad, f_sq, N_GAUSS, seed=15) < z_crit(2)


def test_gaussian_pathwise_test_detects_wrong_estimator():
    assert gaussian_grad_max_abs_z(pathwise_with_z_instead_of_eps, df_sq, N_GAUSS, seed=14) > z_crit(2)


def test_gaussian_score_test_detects_wrong_estimator():
    assert gaussian_grad_max_abs_z(score_missing_sigma_term, f_sq, N_GAUSS, seed=15) > z_crit(2)


def _gauss_moment(k: int) -> float:
    """E[eps^k] for eps ~ N(0, 1): (k - 1)!! for even k, 0 for odd k."""
    if k % 2:
        return 0.0
    return float(np.prod(np.arange(k - 1, 0, -2)))  # empty product = 1 for k = 0


def _poly_central_moments(coef):
    """Variance and 4th central moment of X = poly(eps), eps ~ N(0, 1) (exact)."""
    mean = sum(c * _gauss_moment(i) for i, c in enumerate(coef))
    centered = np.array(coef, dtype=np.float64)
    centered[0] -= mean

    def expect(poly):
        return sum(c * _gauss_moment(i) for i, c in enumerate(poly))

    return expect(P.polypow(centered, 2)), expect(P.polypow(centered, 4))


# Per-sample d/dmu estimates as polynomials in eps (z = mu + sigma eps, f = z^2):
#   pathwise  2 z                     = 2 mu + 2 sigma eps
#   score     z^2 eps / sigma         = (mu^2 eps + 2 mu sigma eps^2 + sigma^2 eps^3) / sigma
PATHWISE_MU_POLY = [2 * MU, 2 * SIGMA]
SCORE_MU_POLY = [0.0, MU**2 / SIGMA, 2 * MU, SIGMA]
D = -MU
CLOSED_FORM_VAR = {
    "pathwise": 4 * SIGMA**2,
    "score": (D**4 + 14 * SIGMA**2 * D**2 + 15 * SIGMA**4) / SIGMA**2,
}
Z_VAR = 6.0  # see variance_z


def test_closed_form_variances_agree_with_polynomial_moments():
    # Cross-check of the closed forms against exact Gaussian moment algebra.
    assert _poly_central_moments(PATHWISE_MU_POLY)[0] == pytest.approx(CLOSED_FORM_VAR["pathwise"], rel=1e-12)
    assert _poly_central_moments(SCORE_MU_POLY)[0] == pytest.approx(CLOSED_FORM_VAR["score"], rel=1e-12)


def variance_z(estimator, fn, kind, n, seed) -> float:
    """z-score of the sample variance of the d/dmu column vs the closed form.

    SE of the sample variance: sqrt((mu4 - var^2) / n), with mu4 the exact 4th
    central moment of the per-sample estimate (a polynomial in eps).  The score
    estimate is a cubic in eps, so the sample variance is skewed; the threshold
    Z_VAR = 6 (Gaussian two-sided tail 2e-9) leaves a factor > 100 of headroom
    for the Edgeworth (skewness) correction to stay below ALPHA = 1e-6.
    """
    g = np.asarray(estimator(MU, SIGMA, fn, n=n, rng=np.random.default_rng(seed)))[:, 0]
    var, mu4 = _poly_central_moments(PATHWISE_MU_POLY if kind == "pathwise" else SCORE_MU_POLY)
    assert var == pytest.approx(CLOSED_FORM_VAR[kind], rel=1e-12)
    return float((g.var(ddof=1) - var) / math.sqrt((mu4 - var**2) / n))


def _tail_cut_eps(rng, n):
    """Wrong sampler: standard normals clipped to [-2.5, 2.5] (tails cut)."""
    return np.clip(rng.standard_normal(n), -2.5, 2.5)


def pathwise_tail_cut(mu, sigma, df, *, n, rng):
    eps = _tail_cut_eps(rng, n)
    d = df(mu + sigma * eps)
    return np.stack([d, d * eps], axis=-1)


def score_tail_cut(mu, sigma, f, *, n, rng):
    eps = _tail_cut_eps(rng, n)
    z = mu + sigma * eps
    return np.stack([f(z) * eps / sigma, f(z) * (eps**2 - 1) / sigma], axis=-1)


@pytest.mark.parametrize(
    "kind,estimator,fn",
    [("pathwise", reparam.gaussian_pathwise_grad, df_sq), ("score", reparam.gaussian_score_grad, f_sq)],
)
def test_gaussian_grad_per_sample_variance_closed_form(kind, estimator, fn):
    assert abs(variance_z(estimator, fn, kind, N_GAUSS, seed=16)) < Z_VAR


@pytest.mark.parametrize("kind,estimator,fn", [("pathwise", pathwise_tail_cut, df_sq), ("score", score_tail_cut, f_sq)])
def test_gaussian_variance_test_detects_tail_cut_sampler(kind, estimator, fn):
    assert abs(variance_z(estimator, fn, kind, N_GAUSS, seed=16)) > Z_VAR


def test_sample_normal_moments_and_ks():
    z, eps = reparam.sample_normal(MU, SIGMA, rng=17, size=500_000)
    np.testing.assert_allclose(z, MU + SIGMA * eps, rtol=1e-12, atol=1e-12)
    assert ref.ks_pvalue(eps, ref.norm_cdf) > ALPHA
