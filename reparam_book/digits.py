r"""Real data for the discrete VAE: scikit-learn's 8 × 8 handwritten digits, binarised and split.

``sklearn.datasets.load_digits`` ships 1,797 digits inside the scikit-learn wheel (the test set
of the UCI "optical recognition of handwritten digits" data, Alpaydin and Kaynak 1998), so nothing
is downloaded. Each pixel is the number of inked cells, 0 to 16, in a 4 × 4 block of a 32 × 32
bitmap. :func:`load_binary_digits` makes a pixel 1 when at least half of its block is inked
(value :math:`\ge 8`) and 0 otherwise: a fixed threshold, so the data are the same on every
machine (no random binarisation), and holds out a test split chosen by a seeded permutation.

Importing this module imports NumPy only; :func:`load_binary_digits` imports scikit-learn when
called.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["BinaryDigits", "load_binary_digits", "N_DIGITS", "THRESHOLD", "N_TEST", "SPLIT_SEED"]

#: Number of digits in ``sklearn.datasets.load_digits``.
N_DIGITS = 1797
#: A pixel (0 to 16 inked cells of its 4 × 4 block) is 1 from this value on.
THRESHOLD = 8
#: Size of the held-out test split.
N_TEST = 300
#: Seed of the permutation that chooses the test split.
SPLIT_SEED = 20170101


class BinaryDigits(NamedTuple):
    """The binarised digits, split: pixels (n, 64) of 0.0/1.0 and their labels (n,).

    Examples
    --------
    >>> from reparam_book.digits import load_binary_digits
    >>> load_binary_digits()._fields
    ('train', 'test', 'train_labels', 'test_labels')
    """

    train: np.ndarray
    test: np.ndarray
    train_labels: np.ndarray
    test_labels: np.ndarray


def load_binary_digits(*, threshold: int = THRESHOLD, n_test: int = N_TEST, seed: int = SPLIT_SEED) -> BinaryDigits:
    r"""The 1,797 digits of ``sklearn.datasets.load_digits`` as 64 binary pixels, split in two.

    Pixel :math:`d` of digit :math:`i` is :math:`x_{id} = 1\{v_{id} \ge \text{threshold}\}`,
    with :math:`v_{id} \in \{0, \dots, 16\}` the inked cells of its block. The test split is the
    first ``n_test`` digits of ``numpy.random.default_rng(seed).permutation(1797)``, the
    training split the rest, each in that permuted order. Everything is integer arithmetic, so
    the split is the same on every machine.

    Parameters
    ----------
    threshold : int
        Smallest block value that makes a pixel 1, in 1 to 16.
    n_test : int
        Size of the test split, in 1 to 1796.
    seed : int
        Seed of the permutation (a non-negative int).

    Returns
    -------
    BinaryDigits
        ``train`` (1797 - n_test, 64) and ``test`` (n_test, 64), float64 arrays of 0.0 and 1.0,
        and their labels 0 to 9.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If ``threshold``, ``n_test`` or ``seed`` is out of range.

    Examples
    --------
    >>> from reparam_book.digits import load_binary_digits
    >>> data = load_binary_digits()
    >>> data.train.shape, data.test.shape
    ((1497, 64), (300, 64))
    >>> sorted(set(data.train.ravel().tolist()))
    [0.0, 1.0]

    A third of the pixels are on, and every digit appears in the test split:

    >>> round(float(data.train.mean()), 2)
    0.32
    >>> sorted(set(data.test_labels.tolist())) == list(range(10))
    True
    """
    for name, value in (("threshold", threshold), ("n_test", n_test), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"{name}: expected an int, got {type(value).__name__}")
    if not 1 <= threshold <= 16:
        raise ValueError(f"threshold: must be in 1 to 16, got {threshold}")
    if not 1 <= n_test < N_DIGITS:
        raise ValueError(f"n_test: must be in 1 to {N_DIGITS - 1}, got {n_test}")
    if seed < 0:
        raise ValueError(f"seed: must be non-negative, got {seed}")
    from sklearn.datasets import load_digits

    digits = load_digits()
    pixels = (digits.data >= threshold).astype(np.float64)
    order = np.random.default_rng(seed).permutation(len(pixels))
    test, train = order[:n_test], order[n_test:]
    return BinaryDigits(pixels[train], pixels[test], digits.target[train], digits.target[test])
