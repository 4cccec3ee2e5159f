"""Tests of ``reparam.control_variates``: the leave-one-out baseline, REBAR and RELAX.

Errors, shapes, the pinned stream (first estimates and how much of a Generator each call
consumes), identities on common random numbers (a zero control variate is REINFORCE, REBAR is
RELAX with its relaxation), finiteness at extreme logits, and unbiasedness against
``reparam.categorical_exact_grad``. Each unbiasedness test has size below 1e-6 (|z| <= 5 or its
Bonferroni value over the k components) and rejects plausible biased variants, each written out
below, with estimated power >= 1 - 1e-6 on the same noise (``estimated_power``):

* leave-one-out with ``1/m`` instead of ``1/(m - 1)``: the batch mean of f as every draw's
  baseline, which contains the draw it multiplies (chapter 5's "batch mean, incl. this draw");
* REBAR/RELAX with the conditional sample differentiated as if it were unconditional
  (``d z~/d l = I``, the Jacobian of ``z``), a slip that even *lowers* the variance;
* with the conditional sample held constant (no gradient through ``z~``);
* with the conditional sample drawn wrongly: no truncation; the top at the winner's own
  location ``l_b`` instead of ``log W``; the noise truncated and then shifted.

REBAR with ``z~`` drawn *unconditionally* (fresh Gumbels, differentiated as such) is not among
them: it is unbiased, since ``c(z')`` is then independent of ``b`` and its two gradient terms have
the same mean; it only adds variance. A test below records both facts.

Only NumPy, pytest and hypothesis are needed.
"""

from __future__ import annotations

import numpy as np
import pytest
from estimated_power import POWER, mean_z, z_crit, z_power
from stream_assertions import assert_draws_consumed

import reparam
from reparam.control_variates import rebar_grad, reinforce_loo_grad, relax_grad

SEED = 1234
LOGITS = np.array([0.5, -1.0, 1.5, 0.0])
F_VALUES = np.array([1.0, -2.0, 0.5, 3.0])
ULPS = 64


def f_cat(b):
    return F_VALUES[b]


def f_quad(y):
    """A nonlinear extension to the simplex: sum_i F_i y_i^2, equal to F_b at the vertex e_b."""
    return (y**2) @ F_VALUES


def df_quad(y):
    return 2.0 * y * F_VALUES


def softmax_rows(z, tau):
    u = (z - z.max(axis=-1, keepdims=True)) / tau
    e = np.exp(u)
    return e / e.sum(axis=-1, keepdims=True)


def rebar_control_variate(f, df, tau, eta=1.0):
    """(c, dc): REBAR's control variate eta f(softmax(z/tau)) and its gradient in z, written out."""

    def c(z):
        return eta * f(softmax_rows(z, tau))

    def dc(z):
        y = softmax_rows(z, tau)
        d = df(y)
        return eta * y * (d - np.sum(y * d, axis=-1, keepdims=True)) / tau

    return c, dc


def c_generic(z):
    """A control variate for RELAX that is not REBAR's: softmax(z/0.7) @ F + 0.2 tanh(z_0 - z_1)."""
    return softmax_rows(z, 0.7) @ F_VALUES + 0.2 * np.tanh(z[:, 0] - z[:, 1])


def dc_generic(z):
    y = softmax_rows(z, 0.7)
    d = y * (F_VALUES - (y @ F_VALUES)[:, None]) / 0.7
    s = 0.2 * (1 - np.tanh(z[:, 0] - z[:, 1]) ** 2)
    d[:, 0] += s
    d[:, 1] -= s
    return d


def assert_ulps(actual, expected, ulps=ULPS):
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape
    scale = np.broadcast_to(np.abs(expected).max(axis=-1, keepdims=True), expected.shape)
    assert np.all(np.abs(actual - expected) <= ulps * np.spacing(scale)), f"{actual!r} != {expected!r}"


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------

ONES = (lambda b: np.ones(len(b)), lambda z: np.zeros(len(z)), lambda z: np.zeros(z.shape))

TYPE_ERRORS = {
    "loo_f": (lambda: reinforce_loo_grad(LOGITS, "f", n=3, m=2), "f"),
    "loo_m_float": (lambda: reinforce_loo_grad(LOGITS, f_cat, n=3, m=2.0), "m"),
    "loo_n_float": (lambda: reinforce_loo_grad(LOGITS, f_cat, n=3.0, m=2), "n"),
    "loo_rng": (lambda: reinforce_loo_grad(LOGITS, f_cat, n=3, m=2, rng=0.5), "rng"),
    "loo_logits": (lambda: reinforce_loo_grad(["a", "b"], f_cat, n=3, m=2), "logits"),
    "relax_f": (lambda: relax_grad(LOGITS, None, ONES[1], ONES[2], n=3), "f"),
    "relax_c": (lambda: relax_grad(LOGITS, f_cat, 1.0, ONES[2], n=3), "c"),
    "relax_dc": (lambda: relax_grad(LOGITS, f_cat, ONES[1], "dc", n=3), "dc"),
    "relax_n": (lambda: relax_grad(LOGITS, f_cat, ONES[1], ONES[2], n="3"), "n"),
    "rebar_f": (lambda: rebar_grad(LOGITS, 3, df_quad, 0.5, n=3), "f"),
    "rebar_df": (lambda: rebar_grad(LOGITS, f_quad, None, 0.5, n=3), "df"),
    "rebar_tau": (lambda: rebar_grad(LOGITS, f_quad, df_quad, "0.5", n=3), "tau"),
    "rebar_eta": (lambda: rebar_grad(LOGITS, f_quad, df_quad, 0.5, eta="1", n=3), "eta"),
    "rebar_eta_bool": (lambda: rebar_grad(LOGITS, f_quad, df_quad, 0.5, eta=True, n=3), "eta"),
    "rebar_rng": (lambda: rebar_grad(LOGITS, f_quad, df_quad, 0.5, n=3, rng="0"), "rng"),
}
VALUE_ERRORS = {
    "loo_m_1": (lambda: reinforce_loo_grad(LOGITS, f_cat, n=3, m=1), "m"),
    "loo_n_0": (lambda: reinforce_loo_grad(LOGITS, f_cat, n=0, m=2), "n"),
    "loo_logits_matrix": (lambda: reinforce_loo_grad(np.zeros((2, 3)), f_cat, n=3, m=2), "logits"),
    "loo_logits_nan": (lambda: reinforce_loo_grad([0.0, np.nan], f_cat, n=3, m=2), "logits"),
    "loo_f_shape": (lambda: reinforce_loo_grad(LOGITS, lambda b: np.ones((len(b), 2)), n=3, m=2), "f"),
    "loo_f_nan": (lambda: reinforce_loo_grad(LOGITS, lambda b: np.full(len(b), np.nan), n=3, m=2), "f"),
    "relax_c_shape": (lambda: relax_grad(LOGITS, f_cat, lambda z: np.zeros(z.shape), ONES[2], n=3), "c"),
    "relax_dc_shape": (lambda: relax_grad(LOGITS, f_cat, ONES[1], lambda z: np.zeros(len(z)), n=3), "dc"),
    "relax_dc_inf": (lambda: relax_grad(LOGITS, f_cat, ONES[1], lambda z: np.full(z.shape, np.inf), n=3), "dc"),
    "relax_f_nan": (lambda: relax_grad(LOGITS, lambda b: np.full(len(b), np.nan), ONES[1], ONES[2], n=3), "f"),
    "relax_logits_inf": (lambda: relax_grad([0.0, np.inf], f_cat, ONES[1], ONES[2], n=3), "logits"),
    "rebar_tau_0": (lambda: rebar_grad(LOGITS, f_quad, df_quad, 0.0, n=3), "tau"),
    "rebar_tau_neg": (lambda: rebar_grad(LOGITS, f_quad, df_quad, -1.0, n=3), "tau"),
    "rebar_eta_nan": (lambda: rebar_grad(LOGITS, f_quad, df_quad, 0.5, eta=np.nan, n=3), "eta"),
    "rebar_eta_inf": (lambda: rebar_grad(LOGITS, f_quad, df_quad, 0.5, eta=np.inf, n=3), "eta"),
    "rebar_eta_array": (lambda: rebar_grad(LOGITS, f_quad, df_quad, 0.5, eta=[1.0, 2.0], n=3), "eta"),
    "rebar_df_shape": (lambda: rebar_grad(LOGITS, f_quad, lambda y: y[:, 0], 0.5, n=3), "df"),
    "rebar_f_shape": (lambda: rebar_grad(LOGITS, lambda y: y, df_quad, 0.5, n=3), "f"),
    "rebar_n_neg": (lambda: rebar_grad(LOGITS, f_quad, df_quad, 0.5, n=-1), "n"),
}


@pytest.mark.parametrize("case", sorted(TYPE_ERRORS))
def test_type_errors(case):
    call, name = TYPE_ERRORS[case]
    with pytest.raises(TypeError, match=f"^{name}"):
        call()


@pytest.mark.parametrize("case", sorted(VALUE_ERRORS))
def test_value_errors(case):
    call, name = VALUE_ERRORS[case]
    with pytest.raises(ValueError, match=f"^{name}"):
        call()


# ---------------------------------------------------------------------------
# Identities on common random numbers, shapes, finiteness
# ---------------------------------------------------------------------------


def test_shapes():
    assert reinforce_loo_grad(LOGITS, f_cat, n=5, m=3, rng=0).shape == (5, 4)
    assert relax_grad(LOGITS, f_cat, c_generic, dc_generic, n=5, rng=0).shape == (5, 4)
    assert rebar_grad(LOGITS, f_quad, df_quad, 0.5, n=5, rng=0).shape == (5, 4)


def test_zero_control_variate_is_reinforce_draw_for_draw():
    g = relax_grad(LOGITS, f_cat, ONES[1], ONES[2], n=50, rng=SEED)
    np.testing.assert_allclose(g, reparam.reinforce_grad(LOGITS, f_cat, n=50, rng=SEED), rtol=0, atol=1e-15)
    g = rebar_grad(LOGITS, f_quad, df_quad, 0.5, eta=0.0, n=50, rng=SEED)
    np.testing.assert_allclose(g, reparam.reinforce_grad(LOGITS, f_cat, n=50, rng=SEED), rtol=0, atol=1e-15)


def test_rebar_is_relax_with_the_relaxation_as_control_variate():
    eta, tau = 0.7, 0.4
    c, dc = rebar_control_variate(f_quad, df_quad, tau, eta)
    g = rebar_grad(LOGITS, f_quad, df_quad, tau, eta=eta, n=50, rng=3)
    np.testing.assert_allclose(g, relax_grad(LOGITS, f_cat, c, dc, n=50, rng=3), rtol=1e-12, atol=1e-14)


def test_loo_follows_a_constant_shift_of_f():
    g = reinforce_loo_grad(LOGITS, f_cat, n=50, m=3, rng=3)
    np.testing.assert_allclose(reinforce_loo_grad(LOGITS, lambda b: f_cat(b) + 100.0, n=50, m=3, rng=3), g, atol=1e-12)


def test_loo_with_two_draws_is_half_the_difference():
    """m = 2: (f(y1) - f(y2)) (s(y1) - s(y2)) / 2."""
    g = reinforce_loo_grad(LOGITS, f_cat, n=20, m=2, rng=4)
    y = reparam.gumbel_max(LOGITS, rng=4, size=(20, 2))
    s = reparam.one_hot(y, 4) - reparam.softmax(LOGITS)
    np.testing.assert_allclose(g, 0.5 * (f_cat(y[:, 0]) - f_cat(y[:, 1]))[:, None] * (s[:, 0] - s[:, 1]), atol=1e-15)


@pytest.mark.parametrize("logits", [[50.0, -50.0, 0.0, 10.0], [1e3, -1e3, 0.0, 999.0], [0.0, 0.0, 0.0, 0.0]])
@pytest.mark.parametrize("tau", [0.01, 0.5, 20.0])
def test_finite_at_extreme_logits_and_temperatures(logits, tau):
    assert np.isfinite(rebar_grad(logits, f_quad, df_quad, tau, n=500, rng=1)).all()
    assert np.isfinite(relax_grad(logits, f_cat, c_generic, dc_generic, n=500, rng=1)).all()
    assert np.isfinite(reinforce_loo_grad(logits, f_cat, n=100, m=5, rng=1)).all()


def test_neg_inf_logit_gets_a_zero_component():
    x = [0.5, -np.inf, 1.5, 0.0]
    for g in (
        rebar_grad(x, f_quad, df_quad, 0.5, n=300, rng=2),
        relax_grad(x, f_cat, lambda z: np.zeros(len(z)), lambda z: np.ones(z.shape), n=300, rng=2),
        reinforce_loo_grad(x, f_cat, n=100, m=3, rng=2),
    ):
        assert np.isfinite(g).all()
        assert (g[:, 1] == 0).all()


# ---------------------------------------------------------------------------
# The pinned stream
# ---------------------------------------------------------------------------

REBAR_PINNED = [  # rebar_grad(LOGITS, f_quad, df_quad, 0.5, eta=0.8, n=2, rng=SEED)
    [-0.08249099166924342, -0.03619908987619731, 0.04752725909159568, 0.07116282245384546],
    [-0.0346264189390683, 0.0016934301117434436, 0.05852863883636653, -0.02559565000904188],
]
RELAX_PINNED = [  # relax_grad(LOGITS, f_cat, c_generic, dc_generic, n=2, rng=SEED)
    [0.0300688038621581, -0.19123082560344362, -0.429702435065175, 0.5908644568064606],
    [-0.016507106517274356, 0.05768725732662791, -0.07633373771998445, 0.03515358691063085],
]
# reinforce_loo_grad(LOGITS, f_cat, n=4, m=3, rng=SEED), on the categories
# gumbel_max(LOGITS, rng=SEED, size=(4, 3)) = [[2, 2, 2], [2, 2, 0], [0, 0, 2], [2, 0, 2]]:
# (f_0 - f_2)/2 (e_0 - e_2)/3 = (e_0 - e_2)/6 whenever the three draws are not all equal
LOO_PINNED = [
    [0.0, 0.0, 0.0, 0.0],
    [1 / 6, 0.0, -1 / 6, 0.0],
    [1 / 6, 0.0, -1 / 6, 0.0],
    [1 / 6, 0.0, -1 / 6, 0.0],
]


def test_rebar_pinned():
    assert_ulps(rebar_grad(LOGITS, f_quad, df_quad, 0.5, eta=0.8, n=2, rng=SEED), REBAR_PINNED)


def test_relax_pinned():
    assert_ulps(relax_grad(LOGITS, f_cat, c_generic, dc_generic, n=2, rng=SEED), RELAX_PINNED)


def test_loo_pinned():
    np.testing.assert_array_equal(
        reparam.gumbel_max(LOGITS, rng=SEED, size=(4, 3)), [[2, 2, 2], [2, 2, 0], [0, 0, 2], [2, 0, 2]]
    )
    assert_ulps(reinforce_loo_grad(LOGITS, f_cat, n=4, m=3, rng=SEED), LOO_PINNED)


@pytest.mark.parametrize(
    "rng",
    [
        lambda: SEED,
        lambda: np.random.SeedSequence(SEED),
        lambda: np.random.PCG64(SEED),
        lambda: np.random.default_rng(SEED),
    ],
    ids=["int", "SeedSequence", "BitGenerator", "Generator"],
)
def test_every_kind_of_seed_gives_the_pinned_stream(rng):
    assert_ulps(rebar_grad(LOGITS, f_quad, df_quad, 0.5, eta=0.8, n=2, rng=rng()), REBAR_PINNED)
    assert_ulps(reinforce_loo_grad(LOGITS, f_cat, n=4, m=3, rng=rng()), LOO_PINNED)


def test_categories_are_those_of_reinforce_with_the_same_seed():
    """The first noise block is gumbel_max's: the score part picks the same categories."""
    ones = relax_grad(LOGITS, lambda b: np.ones(len(b)), ONES[1], ONES[2], n=12, rng=SEED)
    b = reparam.gumbel_max(LOGITS, rng=SEED, size=12)
    np.testing.assert_allclose(ones, reparam.one_hot(b, 4) - reparam.softmax(LOGITS), atol=1e-15)


CONSUMPTION = {
    "reinforce_loo_grad": (
        lambda g: reinforce_loo_grad(LOGITS, f_cat, n=5, m=3, rng=g),
        lambda g: g.standard_exponential((5, 3, 4)),
    ),
    "relax_grad": (
        lambda g: relax_grad(LOGITS, f_cat, c_generic, dc_generic, n=5, rng=g),
        lambda g: (g.standard_exponential((5, 4)), g.standard_exponential((5, 4))),
    ),
    "rebar_grad": (
        lambda g: rebar_grad(LOGITS, f_quad, df_quad, 0.5, n=5, rng=g),
        lambda g: (g.standard_exponential((5, 4)), g.standard_exponential((5, 4))),
    ),
}


@pytest.mark.parametrize("name", sorted(CONSUMPTION))
def test_draws_consumed(name):
    call, draw = CONSUMPTION[name]
    assert_draws_consumed(call, draw, SEED)


# ---------------------------------------------------------------------------
# Unbiasedness, with the biased variants it must reject
# ---------------------------------------------------------------------------


def log_sum_exp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


def relax_variant(x, f_b, c, dc, n, seed, kind):
    """RELAX written out on its own, right (``kind="right"``) or with one of the mistakes.

    The noise layout is the library's: Exp(1) draws (n, k) for z, then (n, k) for z~.
    """
    x = np.asarray(x, dtype=np.float64)
    rng = np.random.default_rng(seed)
    n_cat = x.size
    rows = np.arange(n)
    z = x - np.log(rng.standard_exponential((n, n_cat)))
    b = z.argmax(axis=-1)
    e = rng.standard_exponential((n, n_cat))
    loc_top = x[b] if kind == "winner keeps its location" else np.full(n, log_sum_exp(x))
    top = (loc_top - np.log(e[rows, b]))[:, None]
    if kind == "no truncation":
        zt = x - np.log(e)
    elif kind == "noise truncated, then shifted":
        zt = x - np.log(np.exp(-top) + e)
    elif kind == "unconditional z~":
        zt = x - np.log(e)
    else:
        zt = -np.log(np.exp(-top) + e * np.exp(-x))
    if kind != "unconditional z~":
        zt[rows, b] = top[:, 0]
    p = np.exp(x - log_sum_exp(x))
    dct = dc(zt)
    if kind in ("d z~/d l = I", "unconditional z~"):
        grad_ct = dct
    elif kind == "z~ held constant":
        grad_ct = np.zeros_like(dct)
    else:
        r = np.exp(zt - zt[rows, b][:, None])
        grad_ct = p * np.sum(r * dct, axis=-1, keepdims=True) + (1 - r) * dct
    return (f_b(b) - c(zt))[:, None] * (np.eye(n_cat)[b] - p) + dc(z) - grad_ct


BIASED_VARIANTS = [
    "d z~/d l = I",
    "z~ held constant",
    "no truncation",
    "winner keeps its location",
    "noise truncated, then shifted",
]


T_TOY = 0.45


def f_toy(y):
    return (y[:, 1] - T_TOY) ** 2


def df_toy(y):
    return np.stack([np.zeros(len(y)), 2 * (y[:, 1] - T_TOY)], axis=-1)


# (logits, f on the simplex, its gradient, tau): a categorical problem with k = 4 and the
# one-bit toy of chapters 1 and 5 as two categories with logits (0, phi), phi = -1. The tests
# use eta = 0.8, so that eta missing from a term would show.
ETA = 0.8
REBAR_PROBLEMS = {
    "k=4, quadratic f": (LOGITS, f_quad, df_quad, 0.5),
    "one-bit toy, phi = -1": (np.array([0.0, -1.0]), f_toy, df_toy, 0.5),
}
# Sample sizes: the smallest |z| of a biased variant is about 12 for REBAR at n = 100,000 (the
# toy's "noise truncated, then shifted") and 20 for RELAX and the leave-one-out baseline at
# n = 50,000, against the 9.8 that an estimated power of 1 - 1e-6 needs.
N_UNBIASED = 100_000
N_SMALL = 50_000


def test_variants_written_here_match_the_library_when_right():
    x, f, df, tau = REBAR_PROBLEMS["k=4, quadratic f"]
    c, dc = rebar_control_variate(f, df, tau, ETA)

    def f_b(b):
        return f(np.eye(4)[b])

    # a separate implementation: equal up to the rounding of terms of size 1
    close = dict(rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(
        relax_variant(x, f_b, c, dc, 100, 9, "right"), rebar_grad(x, f, df, tau, eta=ETA, n=100, rng=9), **close
    )
    right = relax_variant(x, f_cat, c_generic, dc_generic, 100, 9, "right")
    np.testing.assert_allclose(right, relax_grad(x, f_cat, c_generic, dc_generic, n=100, rng=9), **close)


@pytest.mark.parametrize("problem", sorted(REBAR_PROBLEMS))
def test_rebar_unbiased_and_rejects_biased_variants(problem):
    x, f, df, tau = REBAR_PROBLEMS[problem]
    k = len(x)
    exact = reparam.categorical_exact_grad(x, f(np.eye(k)))
    crit = z_crit(k)
    g = rebar_grad(x, f, df, tau, eta=ETA, n=N_UNBIASED, rng=60)
    assert np.max(np.abs(mean_z(g, exact))) < crit
    c, dc = rebar_control_variate(f, df, tau, ETA)

    def f_b(b):
        return f(np.eye(k)[b])

    for kind in BIASED_VARIANTS:
        wrong = relax_variant(x, f_b, c, dc, N_UNBIASED, 60, kind)
        assert z_power(np.max(np.abs(mean_z(wrong, exact))), crit) >= POWER, kind


def test_relax_unbiased_and_rejects_biased_variants():
    exact = reparam.categorical_exact_grad(LOGITS, F_VALUES)
    crit = z_crit(4)
    g = relax_grad(LOGITS, f_cat, c_generic, dc_generic, n=N_SMALL, rng=61)
    assert np.max(np.abs(mean_z(g, exact))) < crit
    for kind in BIASED_VARIANTS:
        wrong = relax_variant(LOGITS, f_cat, c_generic, dc_generic, N_SMALL, 61, kind)
        assert z_power(np.max(np.abs(mean_z(wrong, exact))), crit) >= POWER, kind


def test_unconditional_z_tilde_is_unbiased_but_noisier():
    """z~ drawn unconditionally and differentiated as such: unbiased (no rejection at the same n),
    with a larger per-sample variance than REBAR on the same noise for both problems."""
    for x, f, df, tau in REBAR_PROBLEMS.values():
        k = len(x)
        exact = reparam.categorical_exact_grad(x, f(np.eye(k)))
        c, dc = rebar_control_variate(f, df, tau, ETA)
        g = relax_variant(x, lambda b, f=f, k=k: f(np.eye(k)[b]), c, dc, N_UNBIASED, 62, "unconditional z~")
        assert np.max(np.abs(mean_z(g, exact))) < z_crit(k)
        right = rebar_grad(x, f, df, tau, eta=ETA, n=N_UNBIASED, rng=62)
        assert g.var(axis=0).sum() > 1.2 * right.var(axis=0).sum()


def loo_with_batch_mean(logits, f, *, n, m, rng):
    """Wrong: 1/m instead of 1/(m - 1), i.e. the batch mean (this draw included) as baseline."""
    y = reparam.gumbel_max(logits, rng=rng, size=(n, m))
    fy = f(y)
    s = reparam.one_hot(y, len(logits)) - reparam.softmax(logits)
    return np.einsum("nm,nmk->nk", fy - fy.mean(axis=1, keepdims=True), s) / m


@pytest.mark.parametrize("m", [2, 4])
def test_loo_unbiased_and_rejects_the_batch_mean_baseline(m):
    exact = reparam.categorical_exact_grad(LOGITS, F_VALUES)
    crit = z_crit(4)
    g = reinforce_loo_grad(LOGITS, f_cat, n=N_SMALL, m=m, rng=63)
    assert np.max(np.abs(mean_z(g, exact))) < crit
    wrong = loo_with_batch_mean(LOGITS, f_cat, n=N_SMALL, m=m, rng=63)
    assert z_power(np.max(np.abs(mean_z(wrong, exact))), crit) >= POWER
