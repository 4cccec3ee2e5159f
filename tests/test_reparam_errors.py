"""Bad input: every case listed in the issue raises ValueError whose message names the parameter."""

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
    "gumbel_top_k": lambda lg: reparam.gumbel_top_k(lg, 1, rng=0, size=3),
    "concrete_log_density": lambda lg: reparam.concrete_log_density(
        np.full(np.shape(lg), 1.0 / max(np.shape(lg)[-1:] + (1,))), lg, 0.5
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
    "concrete_log_density": lambda t: reparam.concrete_log_density(GOOD_Y, GOOD_LOGITS, t),
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
        reparam.sample_gumbel(3, rng=np.random.RandomState(0))
