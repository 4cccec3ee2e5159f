"""Tests of ``reparam.gumbel_truncation``: truncated Gumbels and perturbed logits given their argmax.

Errors, shapes and dtypes, finiteness at extreme logits, the pinned stream (first draws and how
much of a Generator each call consumes), and the laws, by Kolmogorov-Smirnov and z-tests with
size below 1e-6 and estimated power against plausible wrong samplers (``estimated_power``):

* *no truncation*: the other coordinates drawn as plain ``Gumbel(l_i)``, as if knowing the
  argmax told nothing about them;
* *the winner keeps its location*: the top drawn as ``Gumbel(l_b)`` instead of
  ``Gumbel(log W)``, the intuition that chapter 3's max-stability checks rule out;
* *noise truncated, then shifted*: the standard Gumbel noise truncated below the top and the
  logit added afterwards, so each coordinate is truncated at ``top + l_i`` instead of ``top``.

Only NumPy, pytest and hypothesis are needed.
"""

from __future__ import annotations

import numpy as np
import pytest
import reference as ref
from estimated_power import ALPHA, POWER, ks_power, mean_z, z_crit, z_power
from hypothesis import given, settings
from hypothesis import strategies as st
from stream_assertions import assert_draws_consumed, assert_ulps

import reparam
from reparam.gumbel_truncation import conditional_gumbel, truncated_gumbel

SEED = 1234
LOGITS = np.array([0.5, -1.0, 1.5, 0.0])
EULER_GAMMA = 0.5772156649015329


def gumbel_cdf(g):
    return np.exp(-np.exp(-np.asarray(g, dtype=np.float64)))


def log_sum_exp(x):
    m = np.max(x)
    return float(m + np.log(np.sum(np.exp(x - m))))


# ---------------------------------------------------------------------------
# Errors: TypeError for the wrong kind, ValueError for a wrong value, the parameter named first
# ---------------------------------------------------------------------------

TRUNCATED_TYPE_ERRORS = {
    "loc_str": (dict(loc="0", upper=1.0), "loc"),
    "loc_complex": (dict(loc=1j, upper=1.0), "loc"),
    "upper_str": (dict(loc=0.0, upper="1"), "upper"),
    "size_float": (dict(loc=0.0, upper=1.0, size=2.5), "size"),
    "rng_float": (dict(loc=0.0, upper=1.0, rng=1.5), "rng"),
}
TRUNCATED_VALUE_ERRORS = {
    "loc_nan": (dict(loc=np.nan, upper=1.0), "loc"),
    "loc_inf": (dict(loc=np.inf, upper=1.0), "loc"),
    "loc_neg_inf": (dict(loc=[0.0, -np.inf], upper=1.0), "loc"),
    "upper_nan": (dict(loc=0.0, upper=np.nan), "upper"),
    "upper_neg_inf": (dict(loc=0.0, upper=-np.inf), "upper"),
    "shapes": (dict(loc=np.zeros(3), upper=np.zeros(2)), "upper"),
    "size_negative": (dict(loc=0.0, upper=1.0, size=-1), "size"),
    "rng_negative": (dict(loc=0.0, upper=1.0, rng=-1), "rng"),
}


@pytest.mark.parametrize("case", sorted(TRUNCATED_TYPE_ERRORS))
def test_truncated_gumbel_type_errors(case):
    kwargs, name = TRUNCATED_TYPE_ERRORS[case]
    with pytest.raises(TypeError, match=f"^{name}"):
        truncated_gumbel(**kwargs)


@pytest.mark.parametrize("case", sorted(TRUNCATED_VALUE_ERRORS))
def test_truncated_gumbel_value_errors(case):
    kwargs, name = TRUNCATED_VALUE_ERRORS[case]
    with pytest.raises(ValueError, match=f"^{name}"):
        truncated_gumbel(**kwargs)


CONDITIONAL_TYPE_ERRORS = {
    "logits_str": (dict(logits=["a", "b"], index=0), "logits"),
    "index_float": (dict(logits=LOGITS, index=1.0), "index"),
    "index_float_array": (dict(logits=LOGITS, index=np.array([0.0, 1.0])), "index"),
    "index_bool": (dict(logits=LOGITS, index=True), "index"),
    "index_str": (dict(logits=LOGITS, index="1"), "index"),
    "size_float": (dict(logits=LOGITS, index=1, size=(2.0,)), "size"),
    "rng_str": (dict(logits=LOGITS, index=1, rng="seed"), "rng"),
}
CONDITIONAL_VALUE_ERRORS = {
    "logits_nan": (dict(logits=[0.0, np.nan], index=0), "logits"),
    "logits_pos_inf": (dict(logits=[0.0, np.inf], index=0), "logits"),
    "logits_scalar": (dict(logits=1.0, index=0), "logits"),
    "logits_empty": (dict(logits=np.zeros(0), index=0), "logits"),
    "index_too_large": (dict(logits=LOGITS, index=4), "index"),
    "index_negative": (dict(logits=LOGITS, index=-1), "index"),
    "index_at_neg_inf_logit": (dict(logits=[0.0, -np.inf, 1.0], index=1), "index"),
    "index_at_neg_inf_in_batch": (dict(logits=[[0.0, 1.0], [0.0, -np.inf]], index=[1, 1]), "index"),
    "index_shape": (dict(logits=np.zeros((3, 4)), index=np.zeros(2, dtype=int)), "index"),
    "size_negative": (dict(logits=LOGITS, index=1, size=(-2,)), "size"),
}


@pytest.mark.parametrize("case", sorted(CONDITIONAL_TYPE_ERRORS))
def test_conditional_gumbel_type_errors(case):
    kwargs, name = CONDITIONAL_TYPE_ERRORS[case]
    with pytest.raises(TypeError, match=f"^{name}"):
        conditional_gumbel(**kwargs)


@pytest.mark.parametrize("case", sorted(CONDITIONAL_VALUE_ERRORS))
def test_conditional_gumbel_value_errors(case):
    kwargs, name = CONDITIONAL_VALUE_ERRORS[case]
    with pytest.raises(ValueError, match=f"^{name}"):
        conditional_gumbel(**kwargs)


# ---------------------------------------------------------------------------
# Shapes, dtypes, support
# ---------------------------------------------------------------------------


def test_truncated_gumbel_shapes_and_dtypes():
    assert truncated_gumbel(0.0, 1.0, rng=0).shape == ()
    assert truncated_gumbel(np.zeros(3), 1.0, rng=0, size=(5, 2)).shape == (5, 2, 3)
    assert truncated_gumbel(np.zeros((2, 1)), np.ones(3), rng=0).shape == (2, 3)
    assert truncated_gumbel(0.0, 1.0, rng=0, size=3).dtype == np.float64
    x32 = truncated_gumbel(np.float32(0.0), np.float32(1.0), rng=0, size=3)
    assert x32.dtype == np.float32
    assert truncated_gumbel(np.float32(0.0), 1.0, rng=0, size=3).dtype == np.float64


def test_truncated_gumbel_stays_below_upper_and_finite():
    loc = np.array([-700.0, -50.0, 0.0, 50.0, 700.0])
    upper = np.array([[-800.0], [0.0], [800.0], [np.inf]])
    x = truncated_gumbel(loc, upper, rng=3, size=2000)
    assert np.isfinite(x).all()
    assert (x <= upper).all()


def test_truncated_gumbel_without_bound_is_a_shifted_gumbel():
    """``upper = +inf``: the same noise as sample_gumbel, shifted by the location."""
    np.testing.assert_allclose(
        truncated_gumbel(1.5, np.inf, rng=SEED, size=8), 1.5 + reparam.sample_gumbel(8, rng=SEED), rtol=1e-15
    )


def test_conditional_gumbel_shapes_and_argmax():
    z = conditional_gumbel(LOGITS, 2, rng=0, size=(3, 5))
    assert z.shape == (3, 5, 4) and z.dtype == np.float64
    assert (z.argmax(axis=-1) == 2).all()
    b = np.array([0, 1, 2, 3, 3, 1])
    z = conditional_gumbel(LOGITS, b, rng=0)
    assert z.shape == (6, 4)
    np.testing.assert_array_equal(z.argmax(axis=-1), b)
    batch = np.stack([LOGITS, LOGITS[::-1]])  # (2, 4)
    z = conditional_gumbel(batch, np.array([[1], [3]]), rng=0, size=7)  # index (2, 1) -> batch (2, 2)
    assert z.shape == (7, 2, 2, 4)
    assert (z[:, 0].argmax(-1) == 1).all() and (z[:, 1].argmax(-1) == 3).all()
    z32 = conditional_gumbel(LOGITS.astype(np.float32), 2, rng=0, size=5)
    assert z32.dtype == np.float32
    assert (z32[:, 2:3] >= z32).all()  # float32 can round a coordinate up to a tie, never above


def test_conditional_gumbel_neg_inf_logits():
    z = conditional_gumbel([0.0, -np.inf, 1.0], 2, rng=0, size=50)
    assert np.isneginf(z[:, 1]).all()
    assert np.isfinite(z[:, [0, 2]]).all()
    assert (z.argmax(axis=-1) == 2).all()


@settings(max_examples=60, deadline=None)
@given(
    logits=st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=2, max_size=6),
    which=st.integers(0, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_conditional_gumbel_finite_at_extreme_logits(logits, which, seed):
    """Any finite logits, even 2e4 apart, and any index (however improbable): finite draws whose
    argmax is the index and whose other coordinates stay below the top."""
    x = np.array(logits)
    b = which % len(logits)
    z = conditional_gumbel(x, b, rng=seed, size=20)
    assert np.isfinite(z).all()
    assert (z[:, b : b + 1] >= z).all()


def test_conditional_gumbel_extreme_float32():
    z = conditional_gumbel(np.array([50.0, -50.0, 0.0], dtype=np.float32), 1, rng=0, size=1000)
    assert z.dtype == np.float32 and np.isfinite(z).all()
    assert (z[:, 1:2] >= z).all()


# ---------------------------------------------------------------------------
# The pinned stream
# ---------------------------------------------------------------------------

# truncated_gumbel(0.5, [1.0, 2.0, inf, 0.0], rng=1234, size=2), one row per draw
TRUNCATED_PINNED = [
    [-0.25624446236305515, 0.5642388713317215, -0.09494195793816873, -0.40082769450816075],
    [0.037000384770072114, 0.9391607802712221, 2.1718868478841573, -0.20118121452317567],
]
# conditional_gumbel(LOGITS, 2, rng=1234, size=2)
CONDITIONAL_PINNED = [
    [-0.15355136166236363, -0.7813415825015695, 1.4197330075628067, -0.05325356409159063],
    [0.4766587952614471, -0.1575759477739278, 3.686561813385133, 0.935296389759512],
]


def test_truncated_gumbel_pinned():
    x = truncated_gumbel(0.5, np.array([1.0, 2.0, np.inf, 0.0]), rng=SEED, size=2)
    assert_ulps(x, TRUNCATED_PINNED)
    # the formula on NumPy's pinned Exp(1) stream: -log(e^-T + E e^-mu)
    e = np.random.default_rng(SEED).standard_exponential((2, 4))
    upper = np.array([1.0, 2.0, np.inf, 0.0])
    assert_ulps(x, -np.log(np.exp(-upper) + e * np.exp(-0.5)))


def test_conditional_gumbel_pinned():
    z = conditional_gumbel(LOGITS, 2, rng=SEED, size=2)
    assert_ulps(z, CONDITIONAL_PINNED)
    # top = log W - log E_b, the others -log(e^-top + E_i e^-l_i), on NumPy's pinned stream
    e = np.random.default_rng(SEED).standard_exponential((2, 4))
    top = log_sum_exp(LOGITS) - np.log(e[:, 2])
    expected = -np.log(np.exp(-top)[:, None] + e * np.exp(-LOGITS))
    expected[:, 2] = top
    assert_ulps(z, expected)


CONSUMPTION = {
    "truncated_gumbel": (
        lambda g: truncated_gumbel(np.zeros(3), 1.0, rng=g, size=5),
        lambda g: g.standard_exponential((5, 3)),
    ),
    "truncated_gumbel_float32": (
        lambda g: truncated_gumbel(np.zeros(3, np.float32), np.float32(1.0), rng=g, size=5),
        lambda g: g.standard_exponential((5, 3), dtype=np.float32),
    ),
    "conditional_gumbel": (
        lambda g: conditional_gumbel(LOGITS, 2, rng=g, size=7),
        lambda g: g.standard_exponential((7, 4)),
    ),
    "conditional_gumbel_indices": (
        lambda g: conditional_gumbel(LOGITS, np.arange(4), rng=g, size=(2, 1)),
        lambda g: g.standard_exponential((2, 4, 4)),
    ),
    "conditional_gumbel_float32": (
        lambda g: conditional_gumbel(LOGITS.astype(np.float32), 2, rng=g, size=7),
        lambda g: g.standard_exponential((7, 4), dtype=np.float32),
    ),
}


@pytest.mark.parametrize("name", sorted(CONSUMPTION))
def test_draws_consumed(name):
    call, draw = CONSUMPTION[name]
    assert_draws_consumed(call, draw, SEED)


@pytest.mark.parametrize("rng", [lambda: SEED, lambda: np.random.SeedSequence(SEED), lambda: np.random.PCG64(SEED)])
def test_every_kind_of_seed_gives_the_pinned_stream(rng):
    assert_ulps(conditional_gumbel(LOGITS, 2, rng=rng(), size=2), CONDITIONAL_PINNED)


# ---------------------------------------------------------------------------
# The laws (statistical; size < 1e-6, estimated power >= 1 - 1e-6 against each wrong sampler)
# ---------------------------------------------------------------------------

N_LAW = 200_000


def truncated_cdf(loc, upper):
    return lambda x: gumbel_cdf(x - loc) / gumbel_cdf(upper - loc)


def truncated_noise_then_shifted(loc, upper, n, rng):
    """Wrong: the standard noise truncated below ``upper``, then shifted by ``loc``."""
    e = np.random.default_rng(rng).standard_exponential(n)
    return loc - np.log(np.exp(-upper) + e)


def untruncated(loc, upper, n, rng):
    """Wrong: no truncation at all."""
    return loc - np.log(np.random.default_rng(rng).standard_exponential(n))


@pytest.mark.parametrize("loc, upper", [(0.5, 1.0), (2.0, 0.5), (-1.0, 3.0)])
def test_truncated_gumbel_law(loc, upper):
    cdf = truncated_cdf(loc, upper)
    assert ref.ks_pvalue(truncated_gumbel(loc, upper, rng=21, size=N_LAW), cdf) >= ALPHA
    for wrong in (truncated_noise_then_shifted, untruncated):
        assert ks_power(wrong(loc, upper, N_LAW, 21), cdf) >= POWER, wrong.__name__


# The wrong conditional samplers, on the same noise layout as conditional_gumbel.


def _conditional(logits, b, n, rng, kind):
    x = np.asarray(logits, dtype=np.float64)
    e = np.random.default_rng(rng).standard_exponential((n, x.size))
    rows = np.arange(n)
    loc_top = x[b] if kind == "winner keeps its location" else log_sum_exp(x)
    top = (loc_top - np.log(e[rows, b]))[:, None]
    if kind == "no truncation":
        z = x - np.log(e)
    elif kind == "noise truncated, then shifted":
        z = x - np.log(np.exp(-top) + e)
    else:
        z = -np.log(np.exp(-top) + e * np.exp(-x))
    z[rows, b] = top[:, 0]
    return z


WRONG_CONDITIONAL = ["no truncation", "winner keeps its location", "noise truncated, then shifted"]


def test_wrong_samplers_written_here_match_the_library_when_right():
    """The test's own sampler, with no mistake, is the library's draw for draw."""
    z = conditional_gumbel(LOGITS, 1, rng=5, size=100)
    assert_ulps(z, _conditional(LOGITS, 1, 100, 5, "right"))


def non_top_cdf(logits, i):
    """CDF of z_i given argmax = b (any b != i): (W/W_-i) F(x - l_i) - (w_i/W_-i) F(x - log W)."""
    w = np.exp(np.asarray(logits, dtype=np.float64))
    W, w_rest = w.sum(), w.sum() - w[i]
    return lambda x: (W / w_rest) * gumbel_cdf(x - logits[i]) - (w[i] / w_rest) * gumbel_cdf(x - np.log(W))


@pytest.mark.parametrize("b", [0, 1, 2])
def test_conditional_gumbel_marginal_laws(b):
    """Given argmax b: the top is Gumbel(log W) and each other z_i has the CDF of ``non_top_cdf``.

    Four KS tests per b (the top and three others), Bonferroni: each at 1e-6 / 4.
    """
    alpha = ALPHA / 4
    lw = log_sum_exp(LOGITS)
    cdfs = {i: non_top_cdf(LOGITS, i) for i in range(4) if i != b}
    cdfs[b] = lambda x: gumbel_cdf(x - lw)
    z = conditional_gumbel(LOGITS, b, rng=30 + b, size=N_LAW)
    assert min(ref.ks_pvalue(z[:, i], cdf) for i, cdf in cdfs.items()) >= alpha
    for kind in WRONG_CONDITIONAL:
        z = _conditional(LOGITS, b, N_LAW, 30 + b, kind)
        assert max(ks_power(z[:, i], cdf, alpha) for i, cdf in cdfs.items()) >= POWER, kind


def test_argmax_then_conditional_is_plain_perturbed_logits():
    """b from gumbel_max, then z given b: the pair has the law of l + G.

    Each coordinate is Gumbel(l_i) (4 KS tests), and the joint CDF at 6 points equals the product
    of the marginals (independence; 6 z-tests on frequencies): 10 comparisons, Bonferroni.
    """
    n = N_LAW
    b = reparam.gumbel_max(LOGITS, rng=40, size=n)
    points = np.array([[0.5, -1.0, 1.5, 0.0], [1.0, 0.0, 2.5, 1.0], [2.0, 1.0, 2.0, 2.0]])
    points = np.concatenate([points, points + 0.7])
    exact = np.prod(gumbel_cdf(points - LOGITS), axis=1)
    alpha, crit_z = ALPHA / 10, z_crit(10)
    marginals = [lambda x, i=i: gumbel_cdf(x - LOGITS[i]) for i in range(4)]

    def joint_z(z):
        inside = (z[:, None, :] <= points).all(axis=-1).astype(np.float64)
        return float(np.max(np.abs(mean_z(inside, exact))))

    z = conditional_gumbel(LOGITS, b, rng=41)
    assert min(ref.ks_pvalue(z[:, i], cdf) for i, cdf in enumerate(marginals)) >= alpha
    assert joint_z(z) < crit_z
    for kind in WRONG_CONDITIONAL:
        z = _conditional(LOGITS, b, n, 41, kind)
        power = max([ks_power(z[:, i], cdf, alpha) for i, cdf in enumerate(marginals)] + [z_power(joint_z(z), crit_z)])
        assert power >= POWER, kind


def test_conditional_top_mean_is_log_w_plus_gamma():
    """The mean of the top, whichever category won, is log W + gamma (max-stability), not the
    winner's own l_b + gamma."""
    b = np.repeat(np.arange(4), 50_000)
    z = conditional_gumbel(LOGITS, b, rng=50)
    top = z[np.arange(b.size), b].reshape(4, -1).T  # one column per winner
    exact = np.full(4, log_sum_exp(LOGITS) + EULER_GAMMA)
    crit = z_crit(4)
    assert np.max(np.abs(mean_z(top, exact))) < crit
    wrong = LOGITS + EULER_GAMMA  # the winner keeps its location
    assert z_power(np.max(np.abs(mean_z(top, wrong))), crit) >= POWER
