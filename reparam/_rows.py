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


def row_max(x: np.ndarray) -> np.ndarray:
    """``x.max(axis=-1, keepdims=True)``, faster for few categories."""
    return _reduce_columns(x, np.maximum)


def row_sum(x: np.ndarray) -> np.ndarray:
    """``x.sum(axis=-1, keepdims=True)``, faster for few categories (left-to-right order)."""
    return _reduce_columns(x, np.add)
