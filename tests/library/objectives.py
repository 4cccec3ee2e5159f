"""Small objectives shared by the reparam tests."""

import numpy as np


def f_quad(y):
    """Sum of squares over the last axis: f(y) = |y|^2."""
    return np.sum(y**2, axis=-1)


def df_quad(y):
    """Gradient of f_quad."""
    return 2.0 * y


def f_sq(z):
    """Elementwise square."""
    return z**2


def df_sq(z):
    """Derivative of f_sq."""
    return 2.0 * z
