"""Bad input raises an error whose message starts with the name of the parameter.

NumPy's convention: an argument of the wrong *type* (a string for a number, a float for a count,
an unsupported dtype, a non-callable for a function) raises TypeError; one of the right type but
a wrong *value* (negative, NaN, out of range, the wrong shape) raises ValueError.
"""

from __future__ import annotations

import numpy as np
import pytest
from objectives import df_quad, df_sq, f_quad, f_sq

import reparam

INF = np.inf
GOOD_LOGITS = np.array([0.5, -1.0, 1.5])
GOOD_Y = np.array([0.2, 0.3, 0.5])
F_VALUES = np.array([1.0, -2.0, 0.5])


def f_cat(y):
    return F_VALUES[y]


# Every function taking logits, with the other arguments valid.
LOGITS_CALLS = {
    "gumbel_max": lambda lg: reparam.gumbel_max(lg, rng=0, size=3),
    "gumbel_softmax": lambda lg: reparam.gumbel_softmax(lg, 0.5, rng=0, size=3),
    "gumbel_softmax_hard": lambda lg: reparam.gumbel_softmax(lg, 0.5, rng=0, size=3, hard=True),
    "log_gumbel_softmax": lambda lg: reparam.log_gumbel_softmax(lg, 0.5, rng=0, size=3),
    "gumbel_top_k": lambda lg: reparam.gumbel_top_k(lg, 1, rng=0, size=3),
    "concrete_log_density": lambda lg: reparam.concrete_log_density(
        np.full(np.shape(lg), 1.0 / max(np.shape(lg)[-1:] + (1,))), lg, 0.5
    ),
    "exp_concrete_log_density": lambda lg: reparam.exp_concrete_log_density(
        np.full(np.shape(lg), -np.log(max(np.shape(lg)[-1:] + (1,)))), lg, 0.5
    ),
    "categorical_exact_grad": lambda lg: reparam.categorical_exact_grad(lg, np.ones(np.shape(lg)[-1:])),
    "reinforce_grad": lambda lg: reparam.reinforce_grad(lg, lambda y: np.ones(np.shape(y)), n=3, rng=0),
    "gumbel_softmax_grad": lambda lg: reparam.gumbel_softmax_grad(lg, f_quad, df_quad, 0.5, n=3, rng=0),
}

BAD_LOGITS = {
    "nan": [0.0, np.nan, 1.0],
    "pos_inf": [0.0, INF, 1.0],
    "nan_in_batch": [[0.0, 1.0, 2.0], [0.0, np.nan, 1.0]],
    "all_neg_inf": [-INF, -INF, -INF],
    "row_all_neg_inf": [[0.0, 1.0, 2.0], [-INF, -INF, -INF]],
    "zero_dim": 1.5,
    "zero_dim_array": np.array(1.5),
    "empty_last_axis": np.zeros(0),
    "empty_last_axis_batch": np.zeros((3, 0)),
    "nan_float32": np.array([0.0, np.nan, 1.0], dtype=np.float32),
}


@pytest.mark.parametrize("bad", sorted(BAD_LOGITS))
@pytest.mark.parametrize("func", sorted(LOGITS_CALLS))
def test_bad_logits(func, bad):
    with pytest.raises(ValueError, match="logits"):
        LOGITS_CALLS[func](BAD_LOGITS[bad])


@pytest.mark.parametrize("func", sorted(LOGITS_CALLS))
def test_nan_logits_as_list_and_read_only(func):
    with pytest.raises(ValueError, match="logits"):
        LOGITS_CALLS[func]([0.0, float("nan")])
    a = np.array([0.0, np.nan, 1.0])
    a.setflags(write=False)
    with pytest.raises(ValueError, match="logits"):
        LOGITS_CALLS[func](a)


TAU_CALLS = {
    "gumbel_softmax": lambda t: reparam.gumbel_softmax(GOOD_LOGITS, t, rng=0, size=3),
    "gumbel_softmax_hard": lambda t: reparam.gumbel_softmax(GOOD_LOGITS, t, rng=0, size=3, hard=True),
    "log_gumbel_softmax": lambda t: reparam.log_gumbel_softmax(GOOD_LOGITS, t, rng=0, size=3),
    "concrete_log_density": lambda t: reparam.concrete_log_density(GOOD_Y, GOOD_LOGITS, t),
    "exp_concrete_log_density": lambda t: reparam.exp_concrete_log_density(np.log(GOOD_Y), GOOD_LOGITS, t),
    "gumbel_softmax_grad": lambda t: reparam.gumbel_softmax_grad(GOOD_LOGITS, f_quad, df_quad, t, n=3, rng=0),
    "gumbel_softmax_grad_hard": lambda t: reparam.gumbel_softmax_grad(
        GOOD_LOGITS, f_quad, df_quad, t, n=3, rng=0, hard=True
    ),
}
BAD_TAUS = {"zero": 0.0, "int_zero": 0, "negative": -0.5, "nan": np.nan, "inf": INF, "neg_inf": -INF}


@pytest.mark.parametrize("bad", sorted(BAD_TAUS))
@pytest.mark.parametrize("func", sorted(TAU_CALLS))
def test_bad_tau(func, bad):
    with pytest.raises(ValueError, match="tau"):
        TAU_CALLS[func](BAD_TAUS[bad])


# A temperature of the wrong type: TypeError ("0.5" used to be accepted through float()).
WRONG_TYPE_TAUS = {"str": "0.5", "none": None, "bool": True, "complex": 0.5 + 0j, "object": object(), "bool_": np.True_}


@pytest.mark.parametrize("bad", sorted(WRONG_TYPE_TAUS))
@pytest.mark.parametrize("func", sorted(TAU_CALLS))
def test_wrong_type_tau_is_type_error(func, bad):
    with pytest.raises(TypeError, match="^tau:"):
        TAU_CALLS[func](WRONG_TYPE_TAUS[bad])


@pytest.mark.parametrize("func", sorted(TAU_CALLS))
def test_tau_must_be_a_scalar(func):
    with pytest.raises(ValueError, match="^tau: expected a scalar"):
        TAU_CALLS[func](np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="^tau: expected a scalar"):
        TAU_CALLS[func]([0.5])


@pytest.mark.parametrize("func", sorted(TAU_CALLS))
def test_tau_as_numpy_scalar_or_0d_array_is_accepted(func):
    a = TAU_CALLS[func](0.5)
    np.testing.assert_array_equal(TAU_CALLS[func](np.float64(0.5)), a)
    np.testing.assert_array_equal(TAU_CALLS[func](np.array(0.5)), a)


SIGMA_CALLS = {
    "sample_normal": lambda s: reparam.sample_normal(0.0, s, rng=0, size=3),
    "gaussian_pathwise_grad": lambda s: reparam.gaussian_pathwise_grad(0.0, s, df_sq, n=3, rng=0),
    "gaussian_score_grad": lambda s: reparam.gaussian_score_grad(0.0, s, f_sq, n=3, rng=0),
}
BAD_SIGMAS = {"negative": -1.0, "int_negative": -1, "nan": np.nan, "negative_in_array": np.array([1.0, -0.1])}


SIGMA_CASES = [
    (func, bad)
    for func in sorted(SIGMA_CALLS)
    for bad in sorted(BAD_SIGMAS)
    # the gradient estimators take scalar (mu, sigma)
    if func == "sample_normal" or np.ndim(BAD_SIGMAS[bad]) == 0
]


@pytest.mark.parametrize("func,bad", SIGMA_CASES)
def test_bad_sigma(func, bad):
    with pytest.raises(ValueError, match="sigma"):
        SIGMA_CALLS[func](BAD_SIGMAS[bad])


def test_bad_sigma_array_nan():
    with pytest.raises(ValueError, match="sigma"):
        reparam.sample_normal(np.zeros(2), [1.0, np.nan], rng=0)


BAD_K = {
    "zero": ([0.0, 1.0, 2.0], 0),
    "negative": ([0.0, 1.0, 2.0], -1),
    "too_many": ([0.0, 1.0, 2.0], 4),
    "more_than_finite": ([0.0, -INF, 2.0], 3),
    "more_than_finite_in_a_row": ([[0.0, 1.0, 2.0], [0.0, -INF, 2.0]], 3),
}


@pytest.mark.parametrize("case", sorted(BAD_K))
def test_bad_k(case):
    logits, k = BAD_K[case]
    with pytest.raises(ValueError, match=r"\bk\b"):
        reparam.gumbel_top_k(logits, k, rng=0, size=3)


@pytest.mark.parametrize("k", [2.0, "2", True, None, np.float64(2.0)])
def test_wrong_type_k_is_type_error(k):
    with pytest.raises(TypeError, match="^k:"):
        reparam.gumbel_top_k([0.0, 1.0, 2.0], k, rng=0, size=3)


def test_numpy_integer_k_accepted():
    np.testing.assert_array_equal(
        reparam.gumbel_top_k([0.0, 1.0, 2.0], np.int64(2), rng=0, size=3),
        reparam.gumbel_top_k([0.0, 1.0, 2.0], 2, rng=0, size=3),
    )


def test_k_equal_to_finite_count_is_fine():
    idx = reparam.gumbel_top_k([0.0, -INF, 2.0], 2, rng=0, size=5)
    assert set(np.unique(idx)) == {0, 2}


BAD_Y = {
    "zero_entry": [0.0, 0.5, 0.5],
    "negative_entry": [-0.1, 0.6, 0.5],
    "sum_not_one": [0.2, 0.3, 0.6],
    "sum_far_from_one": [0.5, 0.5, 0.5],
    "nan": [np.nan, 0.5, 0.5],
    "inf": [INF, 0.5, 0.5],
    "one_vertex": [1.0, 0.0, 0.0],
    "too_few_categories": [0.5, 0.5],
    "too_many_categories": [0.25, 0.25, 0.25, 0.25],
    "zero_dim": 0.5,
    "bad_row_in_batch": [[0.2, 0.3, 0.5], [0.0, 0.5, 0.5]],
}


@pytest.mark.parametrize("case", sorted(BAD_Y))
def test_bad_y(case):
    with pytest.raises(ValueError, match=r"\by\b"):
        reparam.concrete_log_density(BAD_Y[case], GOOD_LOGITS, 0.5)


BAD_LOG_Y = {
    "nan": [np.nan, np.log(0.5), np.log(0.5)],
    "neg_inf": [-INF, np.log(0.5), np.log(0.5)],
    "pos_inf": [INF, 0.0, 0.0],
    "logsumexp_not_zero": np.log([0.2, 0.3, 0.6]),
    "positive": [0.1, -5.0, -5.0],
    "y_not_log_y": [0.2, 0.3, 0.5],
    "too_few_categories": np.log([0.5, 0.5]),
    "too_many_categories": np.log([0.25] * 4),
    "zero_dim": -0.5,
    "bad_row_in_batch": [np.log([0.2, 0.3, 0.5]), np.log([0.2, 0.3, 0.6])],
}


@pytest.mark.parametrize("case", sorted(BAD_LOG_Y))
def test_bad_log_y(case):
    with pytest.raises(ValueError, match="^log_y:"):
        reparam.exp_concrete_log_density(BAD_LOG_Y[case], GOOD_LOGITS, 0.5)


@pytest.mark.parametrize("bad", [["0.2", "0.3", "0.5"], [0.2 + 0j, 0.3, 0.5], None, [object()] * 3])
def test_points_of_wrong_type_are_type_errors(bad):
    with pytest.raises(TypeError, match="^y:"):
        reparam.concrete_log_density(bad, GOOD_LOGITS, 0.5)
    with pytest.raises(TypeError, match="^log_y:"):
        reparam.exp_concrete_log_density(bad, GOOD_LOGITS, 0.5)


def test_float32_samples_accepted_by_the_density_issue_example():
    # The issue's example: a float32 row of k = 64 whose sum is off by more than 1e-6.
    logits = np.random.default_rng(0).normal(size=64).astype(np.float32)
    y = reparam.gumbel_softmax(logits, 0.3, rng=1, size=105212)[-1]
    assert abs(y.astype(np.float64).sum() - 1.0) > 1e-6
    assert np.isfinite(reparam.concrete_log_density(y, logits, 0.3))
    # The tolerance follows the dtype: the same row in float64 is 1e-6 off, not a float64 point.
    with pytest.raises(ValueError, match="^y: rows must sum to 1"):
        reparam.concrete_log_density(y.astype(np.float64), logits, 0.3)


@pytest.mark.parametrize("k", [2, 10, 64, 65, 1000])
def test_tolerance_follows_dtype_and_k(k):
    eps32 = float(np.finfo(np.float32).eps)
    tol32 = max(1e-6, 2 * k * eps32)
    y = np.full(k, 1.0 / k)
    for off, ok in ((0.9 * tol32, True), (1.1 * tol32, False)):
        bad = y.copy()
        bad[0] += off
        y32 = bad.astype(np.float32)
        off32 = abs(y32.astype(np.float64).sum() - 1.0)
        assert (off32 <= tol32) == ok  # rounding to float32 does not move the sum across the bound
        if ok:
            assert np.isfinite(reparam.concrete_log_density(y32, np.zeros(k), 0.5))
            assert np.isfinite(reparam.exp_concrete_log_density(np.log(y32), np.zeros(k), 0.5))
        else:
            with pytest.raises(ValueError, match="^y:"):
                reparam.concrete_log_density(y32, np.zeros(k), 0.5)
            with pytest.raises(ValueError, match="^log_y:"):
                reparam.exp_concrete_log_density(np.log(y32), np.zeros(k), 0.5)
    # float64: 1e-6 whatever k (2 k eps is far below it)
    bad = y.copy()
    bad[0] += 2e-6
    with pytest.raises(ValueError, match="^y:"):
        reparam.concrete_log_density(bad, np.zeros(k), 0.5)
    bad[0] -= 1.5e-6
    assert np.isfinite(reparam.concrete_log_density(bad, np.zeros(k), 0.5))


@pytest.mark.parametrize("k", [2, 3, 10, 63, 64, 65, 200])
@pytest.mark.parametrize("tau", [0.3, 1.0, 100.0])
def test_density_accepts_every_float32_sample_without_underflow(k, tau):
    logits = np.random.default_rng(k).normal(size=k).astype(np.float32)
    y = reparam.gumbel_softmax(logits, tau, rng=k, size=200_000 // k)
    y = y[np.all(y > 0, axis=-1)]
    assert len(y) > 0
    assert np.all(np.isfinite(reparam.concrete_log_density(y, logits, tau)))
    log_y = reparam.log_gumbel_softmax(logits, tau, rng=k, size=200_000 // k)
    assert np.all(np.isfinite(reparam.exp_concrete_log_density(log_y, logits, tau)))


@pytest.mark.parametrize("f_values", [[1.0, 2.0], [1.0, 2.0, 3.0, 4.0], [], [[1.0, 2.0, 3.0]] * 2, 1.0])
def test_bad_f_values_length(f_values):
    with pytest.raises(ValueError, match="f_values"):
        reparam.categorical_exact_grad(GOOD_LOGITS, f_values)


def test_errors_are_value_errors_not_warnings_or_nan():
    # A bad tau must never silently produce NaN (pytorch #184031: tau = 0 gave all-NaN).
    with pytest.raises(ValueError):
        reparam.gumbel_softmax(GOOD_LOGITS, 0.0, rng=0)


def test_bad_rng_is_type_error_not_value_error():
    with pytest.raises(TypeError):
        reparam.gumbel_max(GOOD_LOGITS, rng="0")
    with pytest.raises(TypeError):
        reparam.sample_gumbel(3, rng=[1.5, 2])


@pytest.mark.parametrize("bad", ["0", 1.5, True, [0.5, 1], ["a"], [[1, 2]], object()])
def test_wrong_type_rng_is_type_error_naming_rng(bad):
    with pytest.raises(TypeError, match="^rng:"):
        reparam.gumbel_softmax(GOOD_LOGITS, 0.5, rng=bad)


def test_negative_seed_is_value_error_naming_rng():
    with pytest.raises(ValueError, match="^rng:"):
        reparam.gumbel_max(GOOD_LOGITS, rng=-1)
    with pytest.raises(ValueError, match="^rng:"):
        reparam.gumbel_max(GOOD_LOGITS, rng=[1, -2])


@pytest.mark.parametrize("seed", [[1, 2], (1, 2), np.array([1, 2], dtype=np.uint32)], ids=["list", "tuple", "array"])
def test_int_sequence_is_a_seed_as_for_default_rng(seed):
    got = reparam.sample_gumbel(5, rng=seed)
    want = -np.log(np.random.default_rng([1, 2]).standard_exponential(5))
    np.testing.assert_allclose(got, want, rtol=1e-15)


def test_random_state_lends_its_bit_generator_as_for_default_rng():
    got = reparam.sample_gumbel(5, rng=np.random.RandomState(0))
    want = -np.log(np.random.default_rng(np.random.RandomState(0)).standard_exponential(5))
    np.testing.assert_allclose(got, want, rtol=1e-15)


# Counts n of the estimators: a wrong type is a TypeError, a wrong value a ValueError.
N_CALLS = {
    "reinforce_grad": lambda n: reparam.reinforce_grad(GOOD_LOGITS, f_cat, n=n, rng=0),
    "gumbel_softmax_grad": lambda n: reparam.gumbel_softmax_grad(GOOD_LOGITS, f_quad, df_quad, 0.5, n=n, rng=0),
    "gaussian_pathwise_grad": lambda n: reparam.gaussian_pathwise_grad(0.0, 1.0, df_sq, n=n, rng=0),
    "gaussian_score_grad": lambda n: reparam.gaussian_score_grad(0.0, 1.0, f_sq, n=n, rng=0),
}


@pytest.mark.parametrize("bad", ["5", 5.0, True, None, np.float64(5)])
@pytest.mark.parametrize("func", sorted(N_CALLS))
def test_wrong_type_n_is_type_error(func, bad):
    with pytest.raises(TypeError, match="^n:"):
        N_CALLS[func](bad)


@pytest.mark.parametrize("bad", [0, -3])
@pytest.mark.parametrize("func", sorted(N_CALLS))
def test_bad_value_n_is_value_error(func, bad):
    with pytest.raises(ValueError, match="^n:"):
        N_CALLS[func](bad)


@pytest.mark.parametrize("func", sorted(N_CALLS))
def test_numpy_integer_n_accepted(func):
    np.testing.assert_array_equal(N_CALLS[func](np.int64(4)), N_CALLS[func](4))


SIZE_CALLS = {
    "gumbel_max": lambda s: reparam.gumbel_max(GOOD_LOGITS, rng=0, size=s),
    "gumbel_softmax": lambda s: reparam.gumbel_softmax(GOOD_LOGITS, 0.5, rng=0, size=s),
    "log_gumbel_softmax": lambda s: reparam.log_gumbel_softmax(GOOD_LOGITS, 0.5, rng=0, size=s),
    "gumbel_top_k": lambda s: reparam.gumbel_top_k(GOOD_LOGITS, 2, rng=0, size=s),
    "sample_normal": lambda s: reparam.sample_normal(0.0, 1.0, rng=0, size=s),
}


@pytest.mark.parametrize("bad", [2.5, "3", (2.5,), (2, "3"), object(), True, (2, None)])
@pytest.mark.parametrize("func", sorted(SIZE_CALLS))
def test_wrong_type_size_is_type_error(func, bad):
    with pytest.raises(TypeError, match="^size:"):
        SIZE_CALLS[func](bad)


@pytest.mark.parametrize("bad", [-1, (2, -1), np.ones((2, 2), dtype=int)])
@pytest.mark.parametrize("func", sorted(SIZE_CALLS))
def test_bad_value_size_is_value_error(func, bad):
    with pytest.raises(ValueError, match="^size:"):
        SIZE_CALLS[func](bad)


@pytest.mark.parametrize("bad", ["3", 3.0, (2, 1.5)])
def test_wrong_type_shape_of_sample_gumbel(bad):
    with pytest.raises(TypeError, match="^shape:"):
        reparam.sample_gumbel(bad, rng=0)


@pytest.mark.parametrize("bad", [np.int32, np.float16, "int64", complex, "not a dtype", np.bool_])
def test_wrong_dtype_of_sample_gumbel_is_type_error(bad):
    with pytest.raises(TypeError, match="^dtype:"):
        reparam.sample_gumbel(3, rng=0, dtype=bad)


def test_dtype_spellings_of_sample_gumbel_accepted():
    for spelling in ("float32", np.dtype(np.float32), "f4"):
        np.testing.assert_array_equal(
            reparam.sample_gumbel(3, rng=0, dtype=spelling), reparam.sample_gumbel(3, rng=0, dtype=np.float32)
        )


@pytest.mark.parametrize("bad", [1, 0, "yes", None, 1.0])
def test_wrong_type_hard_is_type_error(bad):
    with pytest.raises(TypeError, match="^hard:"):
        reparam.gumbel_softmax(GOOD_LOGITS, 0.5, rng=0, hard=bad)
    with pytest.raises(TypeError, match="^hard:"):
        reparam.gumbel_softmax_grad(GOOD_LOGITS, f_quad, df_quad, 0.5, n=3, rng=0, hard=bad)


def test_numpy_bool_hard_accepted():
    np.testing.assert_array_equal(
        reparam.gumbel_softmax(GOOD_LOGITS, 0.5, rng=0, hard=np.True_),
        reparam.gumbel_softmax(GOOD_LOGITS, 0.5, rng=0, hard=True),
    )


@pytest.mark.parametrize("bad", [["a", "b", "c"], [0.5 + 1j, 0.0, 1.0], None, [object()] * 3])
@pytest.mark.parametrize("func", sorted(LOGITS_CALLS))
def test_wrong_type_logits_is_type_error(func, bad):
    with pytest.raises(TypeError, match="^logits:"):
        LOGITS_CALLS[func](bad)


RAGGED = [[0.0, 1.0], [0.0]]
RAGGED_CALLS = {
    "gumbel_max": lambda: reparam.gumbel_max(RAGGED, rng=0),
    "gumbel_softmax": lambda: reparam.gumbel_softmax(RAGGED, 0.5, rng=0),
    "log_gumbel_softmax": lambda: reparam.log_gumbel_softmax(RAGGED, 0.5, rng=0),
    "gumbel_top_k": lambda: reparam.gumbel_top_k(RAGGED, 1, rng=0),
    "concrete_log_density": lambda: reparam.concrete_log_density([0.5, 0.5], RAGGED, 0.5),
    "exp_concrete_log_density": lambda: reparam.exp_concrete_log_density(np.log([0.5, 0.5]), RAGGED, 0.5),
    "categorical_exact_grad": lambda: reparam.categorical_exact_grad(RAGGED, [1.0, 2.0]),
    "softmax": lambda: reparam.softmax(RAGGED),
    "log_softmax": lambda: reparam.log_softmax(RAGGED),
}


@pytest.mark.parametrize("func", sorted(RAGGED_CALLS))
def test_ragged_logits_is_value_error(func):
    with pytest.raises(ValueError, match="^logits:"):
        RAGGED_CALLS[func]()


@pytest.mark.parametrize("bad", ["1.0", None, [1.0 + 0j]])
@pytest.mark.parametrize("name", ["mu", "sigma"])
def test_wrong_type_mu_sigma_is_type_error(name, bad):
    args = {"mu": 0.0, "sigma": 1.0, name: bad}
    with pytest.raises(TypeError, match=f"^{name}:"):
        reparam.sample_normal(args["mu"], args["sigma"], rng=0)
    with pytest.raises(TypeError, match=f"^{name}:"):
        reparam.gaussian_pathwise_grad(args["mu"], args["sigma"], df_sq, n=3, rng=0)


def test_wrong_type_f_values_is_type_error():
    with pytest.raises(TypeError, match="^f_values:"):
        reparam.categorical_exact_grad(GOOD_LOGITS, ["1", "2", "3"])


@pytest.mark.parametrize("bad", ["0.5", None, [0.5, 1.0]])
def test_bad_baseline(bad):
    error = ValueError if isinstance(bad, list) else TypeError
    with pytest.raises(error, match="^baseline:"):
        reparam.reinforce_grad(GOOD_LOGITS, f_cat, n=3, rng=0, baseline=bad)
    with pytest.raises(ValueError, match="^baseline:"):
        reparam.reinforce_grad(GOOD_LOGITS, f_cat, n=3, rng=0, baseline=np.nan)


CALLABLE_CALLS = {
    ("reinforce_grad", "f"): lambda c: reparam.reinforce_grad(GOOD_LOGITS, c, n=3, rng=0),
    ("gumbel_softmax_grad", "f"): lambda c: reparam.gumbel_softmax_grad(GOOD_LOGITS, c, df_quad, 0.5, n=3, rng=0),
    ("gumbel_softmax_grad", "df"): lambda c: reparam.gumbel_softmax_grad(GOOD_LOGITS, f_quad, c, 0.5, n=3, rng=0),
    ("gaussian_pathwise_grad", "df"): lambda c: reparam.gaussian_pathwise_grad(0.0, 1.0, c, n=3, rng=0),
    ("gaussian_score_grad", "f"): lambda c: reparam.gaussian_score_grad(0.0, 1.0, c, n=3, rng=0),
}


@pytest.mark.parametrize("func,name", sorted(CALLABLE_CALLS))
def test_non_callable_function_is_type_error(func, name):
    with pytest.raises(TypeError, match=f"^{name}: expected a callable"):
        CALLABLE_CALLS[func, name](np.ones(3))


BAD_ONE_HOT = {
    "index_too_large": (([0, 5], 3), ValueError, "index"),  # the issue: was a raw IndexError
    "index_equal_to_k": (([3], 3), ValueError, "index"),
    "negative_index": (([-1], 3), ValueError, "index"),
    "float_index": (([0.0, 1.0], 3), TypeError, "index"),
    "bool_index": (([True, False], 3), TypeError, "index"),
    "string_index": ((["0"], 3), TypeError, "index"),
    "float_k": (([0, 1], 3.0), TypeError, "k"),
    "string_k": (([0, 1], "3"), TypeError, "k"),
    "negative_k": (([], -1), ValueError, "k"),
}


@pytest.mark.parametrize("case", sorted(BAD_ONE_HOT))
def test_bad_one_hot(case):
    args, error, name = BAD_ONE_HOT[case]
    with pytest.raises(error, match=f"^{name}:"):
        reparam.one_hot(*args)


def test_one_hot_bad_dtype_is_type_error():
    with pytest.raises(TypeError, match="^dtype:"):
        reparam.one_hot([0, 1], 3, dtype="not a dtype")


def test_one_hot_valid_inputs():
    np.testing.assert_array_equal(reparam.one_hot([0, 2], 3), [[1, 0, 0], [0, 0, 1]])
    np.testing.assert_array_equal(reparam.one_hot(np.array([[1]], dtype=np.uint8), np.int64(2)), [[[0, 1]]])
    assert reparam.one_hot([], 3).shape == (0, 3)
    assert reparam.one_hot([1], 2, dtype=np.int8).dtype == np.int8
