"""Row reductions over a short last axis, the speed helpers of the samplers in :mod:`reparam.gumbel`."""

from __future__ import annotations

import numpy as np

__all__ = ["row_max", "row_sum"]

# NumPy reduces a short last axis (a handful of categories) several times slower than it
# combines whole columns elementwise, so for few categories the row reductions below loop over
# the columns instead: same results, a third of the time at k = 10 (benchmarks/bench_gumbel.py).
_COLUMN_LOOP_MAX_K = 64


def _reduce_columns(x: np.ndarray, ufunc: np.ufunc) -> np.ndarray:
    """``ufunc.reduce(x, axis=-1, keepdims=True)``, column by column when there are few columns."""
    k = x.shape[-1]
    if k > _COLUMN_LOOP_MAX_K or x.ndim == 1:
        return ufunc.reduce(x, axis=-1, keepdims=True)
    out = x[..., 0].copy()
    for j in range(1, k):
        ufunc(out, x[..., j], out=out)
    return out[..., None]


# Rows per block of the blocked row maximum (a transposed block of 2048 x k doubles stays in
# the L1/L2 cache for k up to 64).
_MAX_BLOCK = 2048


def row_max(x: np.ndarray) -> np.ndarray:
    """``x.max(axis=-1, keepdims=True)``, faster for few categories.

    For a short last axis the rows are taken in blocks, each block transposed into a contiguous
    ``(k, block)`` array and reduced with ``np.maximum`` over its first axis: the comparisons
    then run on contiguous memory. Strided columns are slow for ``np.maximum`` on AVX-512 hosts
    (9 ms against 2.5 ms for 200,000 x 10 doubles, benchmarks/bench_gumbel.py), and the
    maximum does not depend on the order of the comparisons, so the result is the same on
    every host. (A sum does depend on its order: :func:`row_sum` keeps its fixed left-to-right
    column loop.)
    """
    k = x.shape[-1]
    if k > _COLUMN_LOOP_MAX_K or x.ndim == 1:
        return np.maximum.reduce(x, axis=-1, keepdims=True)
    flat = x.reshape(-1, k)
    out = np.empty(flat.shape[0], dtype=x.dtype)
    for start in range(0, flat.shape[0], _MAX_BLOCK):
        block = np.ascontiguousarray(flat[start : start + _MAX_BLOCK].T)
        np.maximum.reduce(block, axis=0, out=out[start : start + _MAX_BLOCK])
    return out.reshape(x.shape[:-1] + (1,))


def row_sum(x: np.ndarray) -> np.ndarray:
    """``x.sum(axis=-1, keepdims=True)``, faster for few categories (left-to-right order)."""
    return _reduce_columns(x, np.add)
