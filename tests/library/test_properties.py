"""Hypothesis property tests: shapes and simplex invariants of the ``reparam`` samplers.

``derandomize=True`` makes Hypothesis generate the same examples on every run (the
project's tests are deterministic), ``max_examples`` is modest so the file stays fast,
and ``deadline=None`` because the first call of a NumPy routine can be slow.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reparam

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

dtypes = st.sampled_from([np.float32, np.float64])
batch_shapes = hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3)
sizes = st.one_of(
    st.none(), st.integers(1, 3), st.tuples(st.integers(1, 3)), st.tuples(st.integers(1, 2), st.integers(1, 3))
)
taus = st.one_of(st.floats(1e-4, 1e4), st.sampled_from([1e-4, 1.0, 1e4]))
seeds = st.integers(0, 2**32 - 1)


@st.composite
def logits_arrays(draw, allow_neg_inf=True, min_k=1, max_k=6, spread=1e4):
    """Logits of shape batch + (k,), finite in [-spread/2, spread/2], optionally with -inf
    entries but at least one finite entry per row.  Returns (logits, n_finite_min)."""
    dtype = draw(dtypes)
    k = draw(st.integers(min_k, max_k))
    shape = draw(batch_shapes) + (k,)
    half = spread / 2
    values = draw(hnp.arrays(np.float64, shape, elements=st.floats(-half, half, allow_nan=False, allow_infinity=False)))
    if allow_neg_inf and k > 1:
        mask = draw(hnp.arrays(np.bool_, shape))
        mask[..., draw(st.integers(0, k - 1))] = False  # keep one finite entry per row
        values = np.where(mask, -np.inf, values)
    return values.astype(dtype)


def _prefix(size):
    if size is None:
        return ()
    return (size,) if isinstance(size, int) else tuple(size)


@SETTINGS
@given(logits=logits_arrays(), size=sizes, seed=seeds)
def test_gumbel_max_shape_and_support(logits, size, seed):
    y = np.asarray(reparam.gumbel_max(logits, rng=seed, size=size))
    assert y.shape == _prefix(size) + logits.shape[:-1]
    assert np.issubdtype(y.dtype, np.integer)
    chosen = np.take_along_axis(np.broadcast_to(logits, y.shape + logits.shape[-1:]), y[..., None], axis=-1)
    assert np.all(np.isfinite(chosen))  # never a -inf category


@SETTINGS
@given(logits=logits_arrays(), tau=taus, size=sizes, seed=seeds)
def test_gumbel_softmax_on_simplex(logits, tau, size, seed):
    y = reparam.gumbel_softmax(logits, tau, rng=seed, size=size)
    assert y.shape == _prefix(size) + logits.shape
    assert y.dtype == logits.dtype
    assert np.all(np.isfinite(y))
    assert np.all((y >= 0) & (y <= 1))
    tol = 1e-5 if logits.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=tol)
    assert np.all(y[np.broadcast_to(np.isneginf(logits), y.shape)] == 0.0)  # exactly 0
    # The argmax is a category with a finite logit.
    idx = np.argmax(y, axis=-1)
    chosen = np.take_along_axis(np.broadcast_to(logits, y.shape), idx[..., None], axis=-1)
    assert np.all(np.isfinite(chosen))


@SETTINGS
@given(logits=logits_arrays(), tau=taus, size=sizes, seed=seeds)
def test_gumbel_softmax_hard_is_one_hot_of_soft_argmax(logits, tau, size, seed):
    soft = reparam.gumbel_softmax(logits, tau, rng=seed, size=size)
    hard = reparam.gumbel_softmax(logits, tau, rng=seed, size=size, hard=True)
    assert hard.shape == soft.shape and hard.dtype == logits.dtype
    assert np.all((hard == 0) | (hard == 1))
    np.testing.assert_array_equal(hard.sum(axis=-1), 1)
    # Compare with the soft argmax where the soft row has a unique maximum (a large tau can
    # round several entries of a float32 row to the same value).
    unique = np.sum(soft == soft.max(axis=-1, keepdims=True), axis=-1) == 1
    np.testing.assert_array_equal(np.argmax(hard, axis=-1)[unique], np.argmax(soft, axis=-1)[unique])


@SETTINGS
@given(logits=logits_arrays(), data=st.data(), size=sizes, seed=seeds)
def test_gumbel_top_k_distinct_finite_best_first(logits, data, size, seed):
    n_finite = int(np.isfinite(logits).sum(axis=-1).min())
    k = data.draw(st.integers(1, n_finite), label="k")
    idx = np.asarray(reparam.gumbel_top_k(logits, k, rng=seed, size=size))
    assert idx.shape == _prefix(size) + logits.shape[:-1] + (k,)
    s = np.sort(idx, axis=-1)
    assert np.all(s[..., 1:] != s[..., :-1])
    chosen = np.take_along_axis(np.broadcast_to(logits, idx.shape[:-1] + logits.shape[-1:]), idx, axis=-1)
    assert np.all(np.isfinite(chosen))
    # Best first: for float64 logits the first index is the Gumbel-max draw of the same
    # noise (for float32 logits gumbel_max draws float32 noise, gumbel_top_k float64).
    if logits.dtype == np.float64:
        np.testing.assert_array_equal(idx[..., 0], reparam.gumbel_max(logits, rng=seed, size=size))


@SETTINGS
@given(logits=logits_arrays(allow_neg_inf=False), shift=st.floats(-100, 100), size=sizes, seed=seeds)
def test_shift_invariance_of_samplers(logits, shift, size, seed):
    logits = logits.astype(np.float64)
    a = reparam.gumbel_max(logits, rng=seed, size=size)
    b = reparam.gumbel_max(logits + shift, rng=seed, size=size)
    # Same seed, same noise: adding a constant changes nothing (rounding in logits + shift
    # could only flip a near-tie of logits + G, of probability ~1e-12 per pair).
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(
        reparam.categorical_exact_grad(logits[(0,) * (logits.ndim - 1)], np.arange(logits.shape[-1])),
        reparam.categorical_exact_grad(logits[(0,) * (logits.ndim - 1)] + shift, np.arange(logits.shape[-1])),
        atol=1e-9 * max(1.0, logits.shape[-1]),
    )


@SETTINGS
@given(
    mu=hnp.arrays(np.float64, batch_shapes, elements=st.floats(-10, 10)),
    sigma=hnp.arrays(np.float64, batch_shapes, elements=st.floats(0, 10)),
    size=sizes,
    seed=seeds,
)
def test_sample_normal_broadcast_shapes(mu, sigma, size, seed):
    try:
        shape = np.broadcast_shapes(mu.shape, sigma.shape)
    except ValueError:
        return
    z, eps = reparam.sample_normal(mu, sigma, rng=seed, size=size)
    assert np.shape(z) == np.shape(eps) == _prefix(size) + shape
    np.testing.assert_allclose(z, mu + sigma * eps, rtol=1e-12, atol=1e-12)


@SETTINGS
@given(
    k=st.integers(2, 5),
    data=st.data(),
    tau=st.floats(1e-2, 1e2),
    shift=st.floats(-1e3, 1e3),
)
def test_concrete_log_density_finite_and_shift_invariant(k, data, tau, shift):
    logits = data.draw(hnp.arrays(np.float64, (k,), elements=st.floats(-20, 20)), label="logits")
    log_y = data.draw(hnp.arrays(np.float64, (k,), elements=st.floats(-30, 0)), label="log_y")
    y = np.exp(log_y - np.logaddexp.reduce(log_y))  # a point of the open simplex
    y = y / y.sum()
    if np.any(y >= 1.0) or np.any(y <= 0.0):
        return
    a = reparam.concrete_log_density(y, logits, tau)
    b = reparam.concrete_log_density(y, logits + shift, tau)
    assert np.isfinite(a)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9 * (1 + abs(shift)))


@SETTINGS
@given(logits=logits_arrays(allow_neg_inf=True, min_k=1, max_k=6, spread=40.0), data=st.data())
def test_categorical_exact_grad_sums_to_zero(logits, data):
    row = logits[(0,) * (logits.ndim - 1)].astype(np.float64)
    f = data.draw(hnp.arrays(np.float64, row.shape, elements=st.floats(-10, 10)), label="f")
    g = reparam.categorical_exact_grad(row, f)
    assert g.shape == row.shape
    assert np.all(np.isfinite(g))
    assert abs(g.sum()) < 1e-9 * (1 + np.abs(f).max())
    assert np.all(g[np.isneginf(row)] == 0)


@SETTINGS
@given(
    logits=logits_arrays(allow_neg_inf=False, min_k=2, max_k=5, spread=20.0), tau=taus, seed=seeds, hard=st.booleans()
)
def test_gumbel_softmax_grad_rows_sum_to_zero(logits, tau, seed, hard):
    row = logits[(0,) * (logits.ndim - 1)].astype(np.float64)
    g = reparam.gumbel_softmax_grad(row, lambda y: np.sum(y**2, -1), lambda y: 2 * y, tau, n=5, rng=seed, hard=hard)
    assert g.shape == (5, row.shape[-1])
    assert np.all(np.isfinite(g))
    # J^T v sums to zero for any v, because J 1 = 0 (softmax is shift invariant).
    np.testing.assert_allclose(g.sum(axis=-1), 0.0, atol=1e-9 * max(1.0, 1.0 / tau))
