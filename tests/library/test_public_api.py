"""Unit tests of the public ``reparam`` API: shapes, dtypes, rng handling, inputs, edge cases.

Everything here is deterministic (fixed seeds); nothing is a statistical test
except where noted, and those notes say why the check cannot fail by chance.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from objectives import df_quad, df_sq, f_quad, f_sq

import reparam

PUBLIC_NAMES = [
    "sample_gumbel",
    "gumbel_max",
    "gumbel_softmax",
    "log_gumbel_softmax",
    "gumbel_top_k",
    "sample_normal",
    "concrete_log_density",
    "exp_concrete_log_density",
    "categorical_exact_grad",
    "reinforce_grad",
    "gumbel_softmax_grad",
    "gaussian_pathwise_grad",
    "gaussian_score_grad",
]

LOGITS = np.array([0.5, -1.0, 1.5, 0.0])
F_VALUES = np.array([1.0, -2.0, 0.5, 3.0])


def f_cat(y):
    return F_VALUES[y]


# Every random entry point, called with a given rng (used for the rng tests).
RANDOM_CALLS = {
    "sample_gumbel": lambda rng: reparam.sample_gumbel((5, 3), rng=rng),
    "gumbel_max": lambda rng: reparam.gumbel_max(LOGITS, rng=rng, size=7),
    "gumbel_softmax": lambda rng: reparam.gumbel_softmax(LOGITS, 0.5, rng=rng, size=7),
    "gumbel_softmax_hard": lambda rng: reparam.gumbel_softmax(LOGITS, 0.5, rng=rng, size=7, hard=True),
    "log_gumbel_softmax": lambda rng: reparam.log_gumbel_softmax(LOGITS, 0.5, rng=rng, size=7),
    "gumbel_top_k": lambda rng: reparam.gumbel_top_k(LOGITS, 2, rng=rng, size=7),
    "sample_normal": lambda rng: reparam.sample_normal(0.3, 1.2, rng=rng, size=7)[0],
    "reinforce_grad": lambda rng: reparam.reinforce_grad(LOGITS, f_cat, n=7, rng=rng),
    "gumbel_softmax_grad": lambda rng: reparam.gumbel_softmax_grad(LOGITS, f_quad, df_quad, 0.5, n=7, rng=rng),
    "gaussian_pathwise_grad": lambda rng: reparam.gaussian_pathwise_grad(0.3, 1.2, df_sq, n=7, rng=rng),
    "gaussian_score_grad": lambda rng: reparam.gaussian_score_grad(0.3, 1.2, f_sq, n=7, rng=rng),
}


# ---------------------------------------------------------------------------
# Package surface
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLIC_NAMES)
def test_public_name_reexported(name):
    assert callable(getattr(reparam, name))
    if hasattr(reparam, "__all__"):
        assert name in reparam.__all__


def test_import_loads_no_heavy_dependencies():
    # In a fresh interpreter: importing reparam must not import sympy, scipy or matplotlib.
    code = (
        "import sys, reparam\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sympy', 'scipy', 'matplotlib'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_check_harness_is_not_in_the_library_namespace():
    """The checks live in reparam.testing; the old names resolve lazily, with a warning."""
    assert not [name for name in dir(reparam) if name.startswith(("check", "Check"))]
    assert not [name for name in reparam.__all__ if name.startswith(("check", "Check"))]
    import reparam.testing as harness

    for name in ("check_mc", "check_close", "check_pvalue", "check_symbolic", "CheckFailed"):
        with pytest.warns(DeprecationWarning, match=f"reparam.testing.{name}"):
            alias = getattr(reparam, name)
        assert alias is getattr(harness, name)
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        reparam.not_a_name  # noqa: B018


def test_import_lists_no_check_names_and_loads_no_harness():
    """In a fresh interpreter, ``import reparam`` does not load reparam.testing or reparam_book."""
    code = "import sys, reparam\nprint(sorted(m for m in sys.modules if m.startswith(('reparam.testing', 'reparam_book'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------
# Shapes and dtypes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(), 5, (5,), (2, 3), (2, 0)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sample_gumbel_shape_dtype(shape, dtype):
    g = reparam.sample_gumbel(shape, rng=0, dtype=dtype)
    assert np.shape(g) == np.empty(shape).shape
    assert np.asarray(g).dtype == dtype
    assert np.all(np.isfinite(g))


SIZES = [(None, ()), (3, (3,)), ((3,), (3,)), ((2, 3), (2, 3))]
BATCHES = [(4,), (2, 4), (1, 3, 4)]


@pytest.mark.parametrize("size,prefix", SIZES)
@pytest.mark.parametrize("shape", BATCHES)
def test_gumbel_max_shape(size, prefix, shape):
    logits = np.random.default_rng(0).normal(size=shape)
    y = reparam.gumbel_max(logits, rng=1, size=size)
    y = np.asarray(y)
    assert y.shape == prefix + shape[:-1]
    assert np.issubdtype(y.dtype, np.integer)
    assert np.all((0 <= y) & (y < shape[-1]))


@pytest.mark.parametrize("size,prefix", SIZES)
@pytest.mark.parametrize("shape", BATCHES)
@pytest.mark.parametrize("hard", [False, True])
def test_gumbel_softmax_shape_and_simplex(size, prefix, shape, hard):
    logits = np.random.default_rng(0).normal(size=shape)
    y = reparam.gumbel_softmax(logits, 0.7, rng=1, size=size, hard=hard)
    assert y.shape == prefix + shape
    assert y.dtype == np.float64
    assert np.all(y >= 0)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("hard", [False, True])
def test_gumbel_softmax_dtype_follows_logits(dtype, hard):
    y = reparam.gumbel_softmax(LOGITS.astype(dtype), 0.5, rng=0, size=100, hard=hard)
    assert y.dtype == dtype
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-5 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("size,prefix", SIZES)
@pytest.mark.parametrize("shape", BATCHES)
@pytest.mark.parametrize("k", [1, 2, 4])
def test_gumbel_top_k_shape_distinct_best_first(size, prefix, shape, k):
    logits = np.random.default_rng(0).normal(size=shape)
    idx = np.asarray(reparam.gumbel_top_k(logits, k, rng=1, size=size))
    assert idx.shape == prefix + shape[:-1] + (k,)
    assert np.issubdtype(idx.dtype, np.integer)
    s = np.sort(idx, axis=-1)
    assert np.all(s[..., 1:] != s[..., :-1])  # distinct
    assert np.all((0 <= idx) & (idx < shape[-1]))


def test_gumbel_top_k_first_equals_gumbel_max_with_same_seed():
    # Same seed and same shapes -> same noise; the best index is the Gumbel-max draw.
    logits = np.random.default_rng(0).normal(size=(3, 5))
    top = reparam.gumbel_top_k(logits, 3, rng=4, size=50)
    best = reparam.gumbel_max(logits, rng=4, size=50)
    np.testing.assert_array_equal(top[..., 0], best)


def test_gumbel_top_k_all_is_permutation():
    idx = reparam.gumbel_top_k(LOGITS, 4, rng=0, size=20)
    np.testing.assert_array_equal(np.sort(idx, axis=-1), np.tile(np.arange(4), (20, 1)))


@pytest.mark.parametrize(
    "mu,sigma,size,expected",
    [
        (0.0, 1.0, None, ()),
        (0.0, 1.0, 5, (5,)),
        (np.zeros(3), 1.0, None, (3,)),
        (np.zeros((2, 1)), np.ones(3), None, (2, 3)),
        (np.zeros((2, 1)), np.ones(3), (4,), (4, 2, 3)),
        (1.0, np.ones(3), (4, 5), (4, 5, 3)),
    ],
)
def test_sample_normal_shapes(mu, sigma, size, expected):
    z, eps = reparam.sample_normal(mu, sigma, rng=0, size=size)
    assert np.shape(z) == expected
    assert np.shape(eps) == expected
    np.testing.assert_allclose(z, np.asarray(mu) + np.asarray(sigma) * eps, rtol=1e-14, atol=1e-14)


def test_sample_normal_zero_sigma_is_deterministic():
    z, eps = reparam.sample_normal(1.5, 0.0, rng=0, size=10)
    np.testing.assert_array_equal(z, np.full(10, 1.5))


def test_estimator_shapes():
    n = 11
    assert reparam.categorical_exact_grad(LOGITS, F_VALUES).shape == (4,)
    assert reparam.reinforce_grad(LOGITS, f_cat, n=n, rng=0).shape == (n, 4)
    assert reparam.reinforce_grad(LOGITS, f_cat, n=n, rng=0, baseline=1.0).shape == (n, 4)
    for hard in (False, True):
        g = reparam.gumbel_softmax_grad(LOGITS, f_quad, df_quad, 0.5, n=n, rng=0, hard=hard)
        assert g.shape == (n, 4)
    assert reparam.gaussian_pathwise_grad(0.3, 1.2, df_sq, n=n, rng=0).shape == (n, 2)
    assert reparam.gaussian_score_grad(0.3, 1.2, f_sq, n=n, rng=0).shape == (n, 2)


def test_concrete_log_density_shapes():
    y = reparam.gumbel_softmax(LOGITS, 0.5, rng=0, size=(6, 2))
    lp = reparam.concrete_log_density(y, LOGITS, 0.5)
    assert np.shape(lp) == (6, 2)
    assert np.all(np.isfinite(lp))
    assert np.ndim(reparam.concrete_log_density(y[0, 0], LOGITS, 0.5)) == 0


# ---------------------------------------------------------------------------
# Exact values (deterministic formulas)
# ---------------------------------------------------------------------------


def softmax(a):
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_concrete_log_density_k2_closed_form():
    # k = 2: x = log(y1 / y2) is logistic with location (l1 - l2) / tau, scale 1 / tau,
    # and dy1/dx = y1 y2, so p(y1) = tau e^{-u} / (1 + e^{-u})^2 / (y1 y2), u = tau x - (l1 - l2).
    logits = np.array([0.3, -0.5])
    tau = 0.7
    y1 = np.array([1e-6, 0.1, 0.5, 0.9, 1 - 1e-6])
    y = np.stack([y1, 1 - y1], axis=-1)
    u = tau * np.log(y1 / (1 - y1)) - (logits[0] - logits[1])
    expected = np.log(tau) - u - 2 * np.log1p(np.exp(-u)) - np.log(y1) - np.log(1 - y1)
    np.testing.assert_allclose(reparam.concrete_log_density(y, logits, tau), expected, rtol=1e-10)


def test_concrete_log_density_shift_invariant_and_finite_for_tiny_y():
    y = np.array([1e-300, 0.5, 0.5 - 1e-300])
    for tau in (1e-3, 0.5, 3.0):
        a = reparam.concrete_log_density(y, LOGITS[:3], tau)
        b = reparam.concrete_log_density(y, LOGITS[:3] + 1e3, tau)
        assert np.isfinite(a)
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9)


def test_categorical_exact_grad_formula():
    p = softmax(LOGITS)
    np.testing.assert_allclose(
        reparam.categorical_exact_grad(LOGITS, F_VALUES), p * (F_VALUES - p @ F_VALUES), rtol=1e-12, atol=1e-15
    )


def test_reinforce_grad_rows_are_score_times_f():
    # Each row is (f(y) - b) (onehot(y) - p): adding p/(f - b) recovers an exact one-hot.
    b = 0.25
    p = softmax(LOGITS)
    g = reparam.reinforce_grad(LOGITS, f_cat, n=200, rng=3, baseline=b)
    y = reparam.gumbel_max(LOGITS, rng=3, size=200)  # same seed, same noise shape
    expected = (F_VALUES[y] - b)[:, None] * (np.eye(4)[y] - p)
    np.testing.assert_allclose(g, expected, rtol=1e-12, atol=1e-14)


def test_gumbel_softmax_grad_rows_sum_to_zero_and_match_jacobian():
    # J^T df with J = (diag(y) - y y^T) / tau; the same seed reproduces y exactly.
    tau = 0.6
    g = reparam.gumbel_softmax_grad(LOGITS, f_quad, df_quad, tau, n=100, rng=5)
    y = reparam.gumbel_softmax(LOGITS, tau, rng=5, size=100)
    d = df_quad(y)
    expected = (y * d - y * np.sum(y * d, axis=-1, keepdims=True)) / tau
    np.testing.assert_allclose(g, expected, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(g.sum(axis=-1), 0.0, atol=1e-12)


def test_gumbel_softmax_grad_df_arguments():
    # Soft: df sees relaxed samples on the simplex.  Hard (straight-through): df sees one-hots.
    seen = {}

    def recording_df(key):
        def df(y):
            seen[key] = np.array(y, copy=True)
            return 2.0 * np.asarray(y)

        return df

    g_soft = reparam.gumbel_softmax_grad(LOGITS, f_quad, recording_df("soft"), 0.5, n=50, rng=6)
    g_hard = reparam.gumbel_softmax_grad(LOGITS, f_quad, recording_df("hard"), 0.5, n=50, rng=6, hard=True)
    assert seen["soft"].shape == (50, 4) and seen["hard"].shape == (50, 4)
    np.testing.assert_allclose(seen["soft"].sum(axis=-1), 1.0, rtol=1e-12)
    assert np.all(seen["soft"] > 0) and np.any(seen["soft"] < 1)
    assert set(np.unique(seen["hard"])) <= {0.0, 1.0}
    np.testing.assert_array_equal(seen["hard"].sum(axis=-1), 1.0)
    # Straight-through: the one-hot is the argmax of the same relaxed sample.
    np.testing.assert_array_equal(np.argmax(seen["hard"], -1), np.argmax(seen["soft"], -1))
    assert np.all(np.isfinite(g_soft)) and np.all(np.isfinite(g_hard))
    np.testing.assert_allclose(g_hard.sum(axis=-1), 0.0, atol=1e-12)


def test_gaussian_grads_exact_per_sample_formulas():
    mu, sigma = 0.3, 1.2
    z, eps = reparam.sample_normal(mu, sigma, rng=8, size=100)
    gp = reparam.gaussian_pathwise_grad(mu, sigma, df_sq, n=100, rng=8)
    np.testing.assert_allclose(gp, np.stack([2 * z, 2 * z * eps], -1), rtol=1e-12)
    gs = reparam.gaussian_score_grad(mu, sigma, f_sq, n=100, rng=8)
    expected = np.stack([z**2 * (z - mu) / sigma**2, z**2 * ((z - mu) ** 2 - sigma**2) / sigma**3], -1)
    np.testing.assert_allclose(gs, expected, rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------------------
# rng handling
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RANDOM_CALLS))
def test_same_int_seed_same_draws(name):
    call = RANDOM_CALLS[name]
    np.testing.assert_array_equal(call(123), call(123))
    assert not np.array_equal(call(123), call(124))


@pytest.mark.parametrize("name", sorted(RANDOM_CALLS))
def test_numpy_integer_seed_accepted(name):
    call = RANDOM_CALLS[name]
    np.testing.assert_array_equal(call(np.int64(123)), call(123))


@pytest.mark.parametrize("name", sorted(RANDOM_CALLS))
def test_generator_is_used_and_advanced(name):
    call = RANDOM_CALLS[name]
    gen = np.random.default_rng(42)
    state = gen.bit_generator.state
    first = call(gen)
    assert gen.bit_generator.state != state  # advanced
    second = call(gen)
    assert not np.array_equal(first, second)
    # Reproducible from the same generator state.
    np.testing.assert_array_equal(call(np.random.default_rng(42)), first)


CONTINUOUS_CALLS = sorted(set(RANDOM_CALLS) - {"gumbel_max", "gumbel_top_k", "gumbel_softmax_hard", "reinforce_grad"})


@pytest.mark.parametrize("name", CONTINUOUS_CALLS)
def test_rng_none_gives_fresh_entropy(name):
    # Continuous draws from fresh entropy coincide with probability 0 (discrete
    # outputs are left out: those could coincide by chance).
    call = RANDOM_CALLS[name]
    assert not np.array_equal(call(None), call(None))


@pytest.mark.parametrize("bad", ["seed", 1.5, object(), True, [0.5, 1.0]])
@pytest.mark.parametrize("name", sorted(RANDOM_CALLS))
def test_bad_rng_is_type_error(name, bad):
    with pytest.raises(TypeError):
        RANDOM_CALLS[name](bad)


@pytest.mark.parametrize("name", sorted(RANDOM_CALLS))
def test_seed_sequence_is_a_seed(name):
    # As numpy.random.default_rng: a SeedSequence seeds a fresh Generator (the same stream as
    # the int it was made from), and is not consumed.
    call = RANDOM_CALLS[name]
    seq = np.random.SeedSequence(123)
    np.testing.assert_array_equal(call(seq), call(123))
    np.testing.assert_array_equal(call(seq), call(123))
    np.testing.assert_array_equal(
        call(np.random.SeedSequence(123).spawn(1)[0]), call(np.random.SeedSequence(123).spawn(1)[0])
    )


@pytest.mark.parametrize("name", sorted(RANDOM_CALLS))
def test_bit_generator_is_used_and_advanced(name):
    # As numpy.random.default_rng: a BitGenerator is wrapped, not copied, so it is advanced.
    call = RANDOM_CALLS[name]
    bits = np.random.PCG64(42)
    first = call(bits)
    second = call(bits)
    gen = np.random.default_rng(42)
    np.testing.assert_array_equal(first, call(gen))
    np.testing.assert_array_equal(second, call(gen))
    np.testing.assert_array_equal(call(np.random.MT19937(7)), call(np.random.Generator(np.random.MT19937(7))))


def test_common_random_numbers_gumbel_softmax():
    # Same seed, perturbed logits: the same Gumbel noise, so tau * log y - logits is
    # the same up to a per-row constant.
    tau = 0.8
    delta = np.array([0.1, -0.2, 0.0, 0.3])
    y1 = reparam.gumbel_softmax(LOGITS, tau, rng=9, size=100)
    y2 = reparam.gumbel_softmax(LOGITS + delta, tau, rng=9, size=100)
    r = tau * (np.log(y2) - np.log(y1)) - delta
    np.testing.assert_allclose(r - r[:, :1], 0.0, atol=1e-9)


def test_common_random_numbers_sample_normal_and_gaussian_grads():
    _, e1 = reparam.sample_normal(0.0, 1.0, rng=9, size=50)
    z2, e2 = reparam.sample_normal(0.5, 2.0, rng=9, size=50)
    np.testing.assert_array_equal(e1, e2)
    np.testing.assert_allclose(z2, 0.5 + 2.0 * e1, rtol=1e-14)
    # Finite difference of E z^2 with common random numbers matches the pathwise estimate.
    h = 1e-6
    up, _ = reparam.sample_normal(0.3 + h, 1.2, rng=9, size=50)
    dn, _ = reparam.sample_normal(0.3 - h, 1.2, rng=9, size=50)
    g = reparam.gaussian_pathwise_grad(0.3, 1.2, df_sq, n=50, rng=9)
    np.testing.assert_allclose((up**2 - dn**2) / (2 * h), g[:, 0], rtol=1e-6, atol=1e-8)


def test_common_random_numbers_gumbel_max_and_top_k_shift():
    # Adding a constant to logits changes nothing, with the same seed.
    np.testing.assert_array_equal(
        reparam.gumbel_max(LOGITS, rng=10, size=100), reparam.gumbel_max(LOGITS + 7.0, rng=10, size=100)
    )
    np.testing.assert_array_equal(
        reparam.gumbel_top_k(LOGITS, 3, rng=10, size=100), reparam.gumbel_top_k(LOGITS + 7.0, 3, rng=10, size=100)
    )


@pytest.mark.parametrize("tau", [0.1, 1.0, 10.0])
def test_argmax_of_gumbel_softmax_is_gumbel_max_with_same_seed(tau):
    logits = np.random.default_rng(0).normal(size=(3, 5))
    y = reparam.gumbel_softmax(logits, tau, rng=11, size=200)
    np.testing.assert_array_equal(np.argmax(y, axis=-1), reparam.gumbel_max(logits, rng=11, size=200))


# ---------------------------------------------------------------------------
# Inputs: no mutation, read-only, integer, lists
# ---------------------------------------------------------------------------


def _all_calls(logits, fvals, y, mu, sigma, mu0, sigma0):
    """Call every public function; (mu, sigma) broadcast, (mu0, sigma0) are scalars."""
    reparam.gumbel_max(logits, rng=0, size=3)
    reparam.gumbel_softmax(logits, 0.5, rng=0, size=3)
    reparam.gumbel_softmax(logits, 0.5, rng=0, size=3, hard=True)
    reparam.log_gumbel_softmax(logits, 0.5, rng=0, size=3)
    reparam.gumbel_top_k(logits, 2, rng=0, size=3)
    reparam.concrete_log_density(y, logits, 0.5)
    reparam.exp_concrete_log_density(np.log(np.asarray(y, dtype=float)), logits, 0.5)
    reparam.categorical_exact_grad(logits, fvals)
    reparam.reinforce_grad(logits, f_cat, n=3, rng=0, baseline=0.5)
    reparam.gumbel_softmax_grad(logits, f_quad, df_quad, 0.5, n=3, rng=0)
    reparam.gumbel_softmax_grad(logits, f_quad, df_quad, 0.5, n=3, rng=0, hard=True)
    reparam.sample_normal(mu, sigma, rng=0, size=3)
    reparam.gaussian_pathwise_grad(mu0, sigma0, df_sq, n=3, rng=0)
    reparam.gaussian_score_grad(mu0, sigma0, f_sq, n=3, rng=0)


Y4 = np.array([0.1, 0.2, 0.3, 0.4])


def test_caller_arrays_not_mutated():
    logits = LOGITS.copy()
    fvals = F_VALUES.copy()
    y = Y4.copy()
    mu, sigma = np.array([0.3, -0.2]), np.array([1.2, 0.5])
    mu0, sigma0 = np.array(0.3), np.array(1.2)
    _all_calls(logits, fvals, y, mu, sigma, mu0, sigma0)
    assert mu0 == 0.3 and sigma0 == 1.2
    np.testing.assert_array_equal(logits, LOGITS)
    np.testing.assert_array_equal(fvals, F_VALUES)
    np.testing.assert_array_equal(y, Y4)
    np.testing.assert_array_equal(mu, [0.3, -0.2])
    np.testing.assert_array_equal(sigma, [1.2, 0.5])


def test_logits_with_neg_inf_not_mutated():
    logits = np.array([0.0, -np.inf, 1.0])
    reparam.gumbel_softmax(logits, 0.5, rng=0, size=3)
    reparam.gumbel_max(logits, rng=0, size=3)
    np.testing.assert_array_equal(logits, [0.0, -np.inf, 1.0])


def test_read_only_inputs_accepted():
    arrays = [LOGITS.copy(), F_VALUES.copy(), Y4.copy(), np.array([0.3, -0.2]), np.array([1.2, 0.5])]
    arrays += [np.array(0.3), np.array(1.2)]
    for a in arrays:
        a.setflags(write=False)
    _all_calls(*arrays)


def test_integer_inputs_accepted():
    logits = np.array([1, 0, 2, -1])
    fvals = np.array([1, -2, 0, 3])
    _all_calls(logits, fvals, Y4, np.array([1, 0]), np.array([2, 1]), 1, 2)
    y = reparam.gumbel_softmax(logits, 1, rng=0, size=5)  # int tau too
    assert y.dtype == np.float64
    np.testing.assert_allclose(
        reparam.categorical_exact_grad(logits, fvals),
        reparam.categorical_exact_grad(logits.astype(float), fvals.astype(float)),
    )
    np.testing.assert_array_equal(
        reparam.gumbel_max(logits, rng=1, size=50), reparam.gumbel_max(logits.astype(float), rng=1, size=50)
    )


def test_list_inputs_accepted():
    _all_calls(LOGITS.tolist(), F_VALUES.tolist(), Y4.tolist(), [0.3, -0.2], [1.2, 0.5], 0.3, 1.2)
    np.testing.assert_array_equal(
        reparam.gumbel_softmax(LOGITS.tolist(), 0.5, rng=1, size=5), reparam.gumbel_softmax(LOGITS, 0.5, rng=1, size=5)
    )
    z, _ = reparam.sample_normal([0.0, 1.0], [1.0, 2.0], rng=0, size=[3])
    assert z.shape == (3, 2)


def test_single_category_is_trivial():
    assert np.all(reparam.gumbel_max([0.3], rng=0, size=5) == 0)
    np.testing.assert_array_equal(reparam.gumbel_softmax([0.3], 0.5, rng=0, size=5), np.ones((5, 1)))
    np.testing.assert_array_equal(reparam.gumbel_top_k([0.3], 1, rng=0, size=5), np.zeros((5, 1)))


# ---------------------------------------------------------------------------
# -inf logits, hard samples, ties
# ---------------------------------------------------------------------------

NEG_INF_LOGITS = np.array([[0.0, -np.inf, 2.0, -np.inf], [-np.inf, 5.0, -np.inf, -np.inf]])


def test_neg_inf_never_drawn_by_gumbel_max():
    y = reparam.gumbel_max(NEG_INF_LOGITS, rng=0, size=100_000)
    assert not np.any(y[:, 0] == 1) and not np.any(y[:, 0] == 3)
    assert np.all(y[:, 1] == 1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("tau", [1e-4, 1.0, 1e3])
def test_neg_inf_gives_exact_zero_in_gumbel_softmax(dtype, tau):
    y = reparam.gumbel_softmax(NEG_INF_LOGITS.astype(dtype), tau, rng=0, size=10_000)
    assert np.all(np.isfinite(y))
    assert np.all(y[:, 0, [1, 3]] == 0.0)
    assert np.all(y[:, 1, [0, 2, 3]] == 0.0)
    assert np.all(y[:, 1, 1] == 1.0)


def test_neg_inf_never_in_top_k():
    idx = reparam.gumbel_top_k(NEG_INF_LOGITS[0], 2, rng=0, size=50_000)
    assert set(np.unique(idx)) == {0, 2}


def test_neg_inf_never_drawn_by_reinforce():
    seen = []

    def f(y):
        seen.append(np.array(y))
        return np.zeros(np.shape(y))

    reparam.reinforce_grad(NEG_INF_LOGITS[0], f, n=50_000, rng=0)
    assert set(np.unique(np.concatenate(seen))) <= {0, 2}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hard_is_exact_one_hot_of_soft_argmax(dtype):
    logits = np.random.default_rng(0).normal(size=(3, 6)).astype(dtype)
    soft = reparam.gumbel_softmax(logits, 0.5, rng=12, size=500)
    hard = reparam.gumbel_softmax(logits, 0.5, rng=12, size=500, hard=True)
    assert hard.dtype == dtype
    assert set(np.unique(hard)) <= {0.0, 1.0}
    np.testing.assert_array_equal(hard.sum(axis=-1), 1.0)
    np.testing.assert_array_equal(np.argmax(hard, axis=-1), np.argmax(soft, axis=-1))


@pytest.mark.parametrize("logits", [[1e20, 1e20, 0.0], [3e38, 3e38, 3e38], [0.0, 0.0, 0.0]])
def test_hard_single_one_on_ties(logits):
    # Logits of 1e20 absorb the Gumbel noise: exact ties in logits + G, so y = (.5, .5, 0)
    # and a hard sample built from y == max(y) would be multi-hot.  tau = 1e-300 with
    # equal logits makes the soft sample extremely sharp.
    for tau in (1.0, 1e-300):
        hard = reparam.gumbel_softmax(np.array(logits, dtype=np.float64), tau, rng=0, size=200, hard=True)
        assert set(np.unique(hard)) <= {0.0, 1.0}
        np.testing.assert_array_equal(hard.sum(axis=-1), 1.0)


def test_hard_ties_float32():
    logits = np.array([1e10, 1e10, 0.0], dtype=np.float32)
    hard = reparam.gumbel_softmax(logits, 1.0, rng=0, size=100, hard=True)
    np.testing.assert_array_equal(hard.sum(axis=-1), 1.0)
    assert set(np.unique(hard)) <= {0.0, 1.0}


# ---------------------------------------------------------------------------
# Extreme values: never NaN / inf
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("tau", [1e-4, 1e-2, 1.0, 1e4])
def test_gumbel_softmax_extreme_logits_tiny_tau_finite(dtype, tau):
    logits = np.linspace(-5e3, 5e3, 10).astype(dtype)  # spread over 1e4
    y = reparam.gumbel_softmax(logits, tau, rng=0, size=10_000)
    assert y.dtype == dtype
    assert np.all(np.isfinite(y)) and np.all(y >= 0)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-5)
    if tau <= 1.0:
        # The top logit beats the others by ~1e3: its category gets (almost) all mass.
        assert np.all(y[:, -1] > 0.99)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("tau", [1e-30, 1e-4, 1e30])
def test_gumbel_softmax_extreme_tau_finite(dtype, tau):
    y = reparam.gumbel_softmax(LOGITS.astype(dtype), tau, rng=0, size=10_000)
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("tau", [1e-300, 1e39, 1e300])
def test_gumbel_softmax_tau_beyond_float32_range_with_neg_inf(dtype, tau):
    # tau is a finite Python float; for float32 logits it is outside float32's range.
    logits = np.array([0.0, -np.inf, 1.0], dtype=dtype)
    y = reparam.gumbel_softmax(logits, tau, rng=0, size=100)
    assert np.all(np.isfinite(y))
    assert np.all(y[:, 1] == 0.0)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_logits_finite(dtype):
    big = np.finfo(dtype).max / 4
    logits = np.array([big, -big, 0.0, big / 2], dtype=dtype)
    y = reparam.gumbel_softmax(logits, 1.0, rng=0, size=1000)
    assert np.all(np.isfinite(y))
    np.testing.assert_array_equal(reparam.gumbel_max(logits, rng=0, size=1000), 0)


def test_sample_gumbel_float32_many_draws_finite():
    """10^8 float32 draws stay finite although the underlying exponential stream hits 0.

    NumPy's float32 ziggurat returns an exact 0 about once in 10^7 draws; the same seed, drawn
    the same way, shows those zeros are really there, so this test exercises the guard.
    """
    chunk, n_chunks = 10_000_000, 10
    gen, raw = np.random.default_rng(0), np.random.default_rng(0)
    zeros = 0
    for _ in range(n_chunks):
        g = reparam.sample_gumbel((chunk,), rng=gen, dtype=np.float32)
        zeros += int(np.count_nonzero(raw.standard_exponential(chunk, dtype=np.float32) == 0))
        assert np.all(np.isfinite(g))
    assert zeros > 0


class _DegenerateGenerator(np.random.Generator):
    """A Generator whose uniform/exponential draws are all exactly 0 (or the extreme value).

    It forces the "exponential drew an exact 0" event (pytorch #22442, #101620)
    that happens about once per 10^8 float32 draws, so the test is deterministic.
    """

    def __init__(self, value):
        super().__init__(np.random.PCG64(0))
        self._value = value

    def _fill(self, size, dtype, out):
        if out is not None:
            out[...] = self._value
            return out
        return np.full(() if size is None else size, self._value, dtype=dtype)

    def random(self, size=None, dtype=np.float64, out=None):
        return self._fill(size, dtype, out)

    def standard_exponential(self, size=None, dtype=np.float64, method="zig", out=None):
        return self._fill(size, dtype, out)

    def exponential(self, scale=1.0, size=None):
        return self._fill(size, np.float64, None)

    def uniform(self, low=0.0, high=1.0, size=None):
        return self._fill(size, np.float64, None)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sample_gumbel_zero_uniform_or_exponential_is_finite(dtype):
    # A zero from the underlying uniform (-log(-log 0)) or exponential (-log 0) must not
    # give inf or NaN; neither must the largest uniform below 1.
    for value in (0.0, float(np.nextafter(dtype(1), dtype(0)))):
        g = reparam.sample_gumbel((4, 3), rng=_DegenerateGenerator(value), dtype=dtype)
        assert g.dtype == dtype
        assert np.all(np.isfinite(g)), (value, g)


def test_gumbel_softmax_with_zero_noise_source_is_finite():
    y = reparam.gumbel_softmax(LOGITS, 0.5, rng=_DegenerateGenerator(0.0), size=5)
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y.sum(axis=-1), 1.0)
    g = reparam.gumbel_softmax_grad(LOGITS, f_quad, df_quad, 0.5, n=5, rng=_DegenerateGenerator(0.0))
    assert np.all(np.isfinite(g))


def test_concrete_log_density_small_tau_tiny_y_finite():
    y = np.array([[1e-250, 1e-100, 0.4, 0.6], [0.25, 0.25, 0.25, 0.25], [1e-5, 1e-5, 1e-5, 1 - 3e-5]])
    for tau in (1e-3, 0.05, 1.0):
        assert np.all(np.isfinite(reparam.concrete_log_density(y, LOGITS, tau)))


def test_concrete_log_density_finite_at_gumbel_softmax_samples():
    # The density must be usable at the sampler's own output.  At tau = 0.1, k = 2, about
    # 6% of samples have y2 < 1e-16, so y1 rounds to exactly 1.0: still a (float rendering
    # of a) point of the open simplex, with every entry > 0.  Samples with an exact 0
    # (underflow) are genuinely off the open simplex and are left out.
    logits = np.array([0.0, 0.0])
    y = reparam.gumbel_softmax(logits, 0.1, rng=0, size=1000)
    y = y[np.all(y > 0, axis=-1)]
    assert np.any(y == 1.0)
    assert np.all(np.isfinite(reparam.concrete_log_density(y, logits, 0.1)))


def test_concrete_log_density_huge_logits_finite():
    """Logits near the float64 maximum: shifting them keeps the density finite and unchanged."""
    y = np.array([0.3, 0.7])
    huge = reparam.concrete_log_density(y, [1e308, 1e308], 0.5)
    assert np.isfinite(huge)
    assert huge == pytest.approx(reparam.concrete_log_density(y, [0.0, 0.0], 0.5), rel=1e-12)


# ---------------------------------------------------------------------------
# NumPy-grade packaging: type hints, py.typed, examples in every docstring
# ---------------------------------------------------------------------------

# The library's modules, whose docstrings and signatures follow NumPy's conventions (the
# chapter-support package reparam_book is held to the same in tests/book).
API_MODULES = [
    "reparam.gumbel",
    "reparam.normal",
    "reparam.densities",
    "reparam.categorical",
    "reparam.estimators",
    "reparam.gumbel_truncation",
    "reparam.control_variates",
]


def _public_functions():
    import importlib
    import inspect

    out = []
    for name in API_MODULES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                out.append(pytest.param(obj, id=f"{name}.{attr}"))
    return out


def test_package_ships_py_typed():
    from importlib.resources import files

    assert files("reparam").joinpath("py.typed").is_file()


@pytest.mark.parametrize("obj", _public_functions())
def test_docstring_has_examples(obj):
    doc = obj.__doc__ or ""
    assert "\n    Examples\n    --------\n" in doc and "    >>> " in doc, f"{obj.__qualname__}: no Examples section"


@pytest.mark.parametrize("obj", _public_functions())
def test_no_object_annotations(obj):
    # Array arguments are annotated numpy.typing.ArrayLike, rng= as what default_rng accepts.
    import inspect

    if inspect.isclass(obj):
        return
    for param in inspect.signature(obj).parameters.values():
        assert param.annotation not in ("object", object), f"{obj.__qualname__}({param.name}: object)"


@pytest.mark.parametrize("name", ["reparam." + n for n in reparam.__all__])
def test_top_level_public_functions_have_examples(name):
    obj = getattr(reparam, name.split(".", 1)[1])
    assert "Examples" in (obj.__doc__ or ""), name


def _takes_rng():
    import inspect

    return [p for p in _public_functions() if "rng" in inspect.signature(p.values[0]).parameters]


@pytest.mark.parametrize("obj", _takes_rng())
def test_rng_documented_once(obj):
    """Every ``rng=`` is documented by the one shared text, which lists every kind accepted."""
    from reparam._docs import RNG

    doc = obj.__doc__ or ""
    assert "%(" not in doc, f"{obj.__qualname__}: a shared parameter was not filled in"
    indented = "\n".join("    " + line for line in RNG.splitlines())
    assert indented in doc, f"{obj.__qualname__}: rng is not documented by reparam._docs.RNG"


def test_shared_rng_text_matches_what_is_accepted():
    """The shared text names each kind that as_generator accepts, and what it refuses."""
    from reparam._docs import RNG

    for kind in ("Generator", "BitGenerator", "SeedSequence", "RandomState", "sequence of int", "None"):
        assert kind in RNG, kind
    for accepted in (np.random.RandomState(0), [1, 2], np.random.SeedSequence(3), np.random.PCG64(4), 5, None):
        assert isinstance(reparam.sample_gumbel(2, rng=accepted), np.ndarray)
    for refused in (1.5, True, "7"):
        with pytest.raises(TypeError, match="^rng: "):
            reparam.sample_gumbel(2, rng=refused)
