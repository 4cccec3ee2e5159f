"""Categorical distributions on the last axis: softmax, log-softmax and one-hot vectors."""

from __future__ import annotations

import numpy as np

from ._validate import as_logits

__all__ = ["softmax", "log_softmax", "one_hot"]


def log_softmax(logits: object) -> np.ndarray:
    r"""Log-probabilities :math:`\ell_i - \log\sum_j e^{\ell_j}` over the last axis.

    ``-inf`` logits give ``-inf`` (probability exactly zero); the row maximum is subtracted
    first, so large logits do not overflow.
    """
    x = as_logits(logits)
    m = np.max(x, axis=-1, keepdims=True)
    shifted = x - m
    with np.errstate(under="ignore"):
        lse = np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return shifted - lse


def softmax(logits: object) -> np.ndarray:
    r"""Probabilities :math:`p_i = e^{\ell_i} / \sum_j e^{\ell_j}` over the last axis.

    Computed as ``exp(x - max x)`` normalised, so it never overflows; ``-inf`` gives 0.
    """
    x = as_logits(logits)
    out = x - np.max(x, axis=-1, keepdims=True)
    with np.errstate(under="ignore"):
        np.exp(out, out=out)
    out /= np.sum(out, axis=-1, keepdims=True)
    return out


def one_hot(index: np.ndarray, k: int, dtype: type | np.dtype = np.float64) -> np.ndarray:
    """One-hot vectors of length ``k`` (new last axis) for integer category indices."""
    index = np.asarray(index)
    out = np.zeros(index.shape + (k,), dtype=dtype)
    np.put_along_axis(out, index[..., None], 1, axis=-1)
    return out
