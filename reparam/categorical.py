"""Categorical distributions on the last axis: softmax, log-softmax and one-hot vectors."""

from __future__ import annotations

import numpy as np

from ._validate import ArrayLike, DTypeLike, as_integer, as_logits

__all__ = ["softmax", "log_softmax", "one_hot"]


def log_softmax(logits: ArrayLike) -> np.ndarray:
    r"""Log-probabilities :math:`\ell_i - \log\sum_j e^{\ell_j}` over the last axis.

    ``-inf`` logits give ``-inf`` (probability exactly zero); the row maximum is subtracted
    first, so large logits do not overflow.

    Parameters
    ----------
    logits : array_like, shape (..., k)
        Unnormalized log-probabilities; ``-inf`` marks a category of probability zero.

    Returns
    -------
    numpy.ndarray, shape ``logits.shape``
        float32 for float32 logits, float64 otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> np.round(rp.log_softmax([0.0, 1.0, 2.0]), 6)
    array([-2.407606, -1.407606, -0.407606])
    >>> rp.log_softmax([0.0, -np.inf])
    array([  0., -inf])
    """
    x = as_logits(logits)
    m = np.max(x, axis=-1, keepdims=True)
    shifted = x - m
    with np.errstate(under="ignore"):
        lse = np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return shifted - lse


def softmax(logits: ArrayLike) -> np.ndarray:
    r"""Probabilities :math:`p_i = e^{\ell_i} / \sum_j e^{\ell_j}` over the last axis.

    Computed as ``exp(x - max x)`` normalised, so it never overflows; ``-inf`` gives 0.

    Parameters
    ----------
    logits : array_like, shape (..., k)
        Unnormalized log-probabilities; ``-inf`` marks a category of probability zero.

    Returns
    -------
    numpy.ndarray, shape ``logits.shape``
        float32 for float32 logits, float64 otherwise; each row sums to 1.

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> np.round(rp.softmax([0.0, 1.0, 2.0]), 6)
    array([0.090031, 0.244728, 0.665241])
    >>> rp.softmax([1000.0, 1000.0, -np.inf])
    array([0.5, 0.5, 0. ])
    >>> np.round(rp.softmax([[0.0, 0.0], [0.0, np.log(3)]]), 6)
    array([[0.5 , 0.5 ],
           [0.25, 0.75]])
    """
    x = as_logits(logits)
    out = x - np.max(x, axis=-1, keepdims=True)
    with np.errstate(under="ignore"):
        np.exp(out, out=out)
    out /= np.sum(out, axis=-1, keepdims=True)
    return out


def one_hot(index: ArrayLike, k: int, dtype: DTypeLike = np.float64) -> np.ndarray:
    """One-hot vectors of length ``k`` (a new last axis) for integer category indices.

    Parameters
    ----------
    index : array_like of int
        Category indices, each in ``[0, k)``.
    k : int
        Number of categories.
    dtype : data-type
        Dtype of the output.

    Returns
    -------
    numpy.ndarray, shape ``index.shape + (k,)``
        1 at each index, 0 elsewhere.

    Raises
    ------
    TypeError
        If ``index`` does not hold integers, ``k`` is not an integer or ``dtype`` is not a dtype.
    ValueError
        If an index is outside ``[0, k)`` or ``k`` is negative.

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> rp.one_hot([0, 2, 1], 3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    >>> rp.one_hot([[0], [1]], 2, dtype=np.int64)
    array([[[1, 0]],
    <BLANKLINE>
           [[0, 1]]])

    The mean of the one-hot vectors of draws is the vector of their frequencies:

    >>> rp.one_hot(rp.gumbel_max([0.0, 1.0, 2.0], rng=0, size=1000), 3).mean(axis=0)
    array([0.082, 0.235, 0.683])
    """
    try:
        idx = np.asarray(index)
    except (TypeError, ValueError) as exc:
        error = TypeError if isinstance(exc, TypeError) else ValueError
        raise error(f"index: could not convert to an array ({exc})") from None
    if idx.size == 0 and idx.dtype.kind == "f":  # np.asarray([]) is float64
        idx = idx.astype(np.intp)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"index: expected integers, got dtype {idx.dtype}")
    k = as_integer(k, "k")
    if k < 0:
        raise ValueError(f"k: must be non-negative, got {k}")
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype: not a NumPy dtype: {dtype!r}") from None
    if idx.size and (idx.min() < 0 or idx.max() >= k):
        bad = idx[(idx < 0) | (idx >= k)].flat[0]
        raise ValueError(f"index: every index must be in [0, {k}) (k = {k} categories), got {bad}")
    out = np.zeros(idx.shape + (k,), dtype=dt)
    np.put_along_axis(out, idx[..., None], 1, axis=-1)
    return out
