"""Reference numerics for the library's tests, in NumPy and the standard library only.

The library's tests run in a venv that holds numpy, pytest and hypothesis and nothing else
(tests/test_library_alone.py), so the few distributions, p-values and integrals they compare
against are written out here: the normal and chi-square tails, the Kolmogorov-Smirnov test, and
quadrature (tanh-sinh on an interval, which copes with integrable endpoint singularities;
composite Gauss-Legendre on a rectangle).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

import numpy as np

_erfc = np.frompyfunc(math.erfc, 1, 1)


def norm_isf(p: float) -> float:
    """The z with P(Z > z) = p for a standard normal Z."""
    return NormalDist().inv_cdf(1.0 - p)


def norm_cdf(x) -> np.ndarray:
    """The standard normal CDF, elementwise."""
    return 0.5 * _erfc(-np.asarray(x, dtype=np.float64) / math.sqrt(2.0)).astype(np.float64)


def gumbel_cdf(x) -> np.ndarray:
    """The standard Gumbel CDF exp(-exp(-x))."""
    return np.exp(-np.exp(-np.asarray(x, dtype=np.float64)))


def logistic_cdf(x, loc: float = 0.0, scale: float = 1.0) -> np.ndarray:
    """The logistic CDF with the given location and scale."""
    u = (np.asarray(x, dtype=np.float64) - loc) / scale
    return 0.5 * (1.0 + np.tanh(u / 2.0))


def logistic_logpdf(x, loc: float = 0.0, scale: float = 1.0) -> np.ndarray:
    """log of the logistic density: -u - 2 log(1 + e^-u) - log(scale), u = (x - loc)/scale."""
    u = (np.asarray(x, dtype=np.float64) - loc) / scale
    return -u - 2.0 * np.logaddexp(0.0, -u) - math.log(scale)


def logsumexp(x, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    m = np.max(x, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def log_softmax(x, axis: int = -1) -> np.ndarray:
    return np.asarray(x, dtype=np.float64) - logsumexp(x, axis=axis, keepdims=True)


def chi2_sf(stat: float, df: float) -> float:
    """P(X > stat) for X ~ chi-square(df): the regularized upper incomplete gamma Q(df/2, stat/2).

    The lower series where x < a + 1, the continued fraction (modified Lentz) elsewhere; both to
    double precision.
    """
    a, x = df / 2.0, stat / 2.0
    if x <= 0:
        return 1.0
    log_prefactor = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        for n in range(1, 10_000):
            term *= x / (a + n)
            total += term
            if abs(term) < abs(total) * 1e-17:
                break
        return max(0.0, 1.0 - math.exp(log_prefactor) * total)
    tiny = 1e-300
    b = x + 1.0 - a
    c, d = 1.0 / tiny, 1.0 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-16:
            break
    return math.exp(log_prefactor) * h


def ks_pvalue(samples, cdf: Callable[[np.ndarray], np.ndarray]) -> float:
    """Two-sided one-sample Kolmogorov-Smirnov p-value, from Kolmogorov's limit law with
    Stephens' small-sample correction (accurate to a few per cent for n >= 35)."""
    x = np.sort(np.asarray(samples, dtype=np.float64))
    n = x.size
    f = cdf(x)
    i = np.arange(1, n + 1)
    d = max(float(np.max(i / n - f)), float(np.max(f - (i - 1) / n)))
    lam = (math.sqrt(n) + 0.12 + 0.11 / math.sqrt(n)) * d
    if lam < 0.2:
        return 1.0
    k = np.arange(1, 101)
    p = 2.0 * float(np.sum((-1.0) ** (k - 1) * np.exp(-2.0 * k**2 * lam**2)))
    return min(max(p, 0.0), 1.0)


def _tanh_sinh_nodes(level: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes t, and for x = tanh(pi/2 sinh t): the distances 1 - |x| (kept exact) and weights."""
    h = 2.0**-level
    t = np.arange(-int(4.0 / h), int(4.0 / h) + 1) * h
    u = 0.5 * math.pi * np.sinh(t)
    gap = 1.0 / (np.exp(np.abs(u)) * np.cosh(u))  # 1 - |tanh u| = 2 / (1 + e^{2|u|})
    w = h * 0.5 * math.pi * np.cosh(t) / np.cosh(u) ** 2
    return t, gap, w


def quad(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, rtol: float = 1e-10, atol: float = 1e-300) -> float:
    """The integral of a vectorised ``f`` over (a, b) by tanh-sinh quadrature.

    The nodes crowd the ends double-exponentially and never touch them, so integrable
    singularities at a or b (such as y^(-1/2)) cost little; the step is halved until two
    successive results agree to ``rtol`` (or ``atol``). Nodes closer to an end than the spacing
    of doubles there are skipped: for y^(-1/2) on (0, 1) that leaves out a mass of about 3e-8.
    """
    previous = value = None
    for level in range(3, 10):
        t, gap, w = _tanh_sinh_nodes(level)
        half = 0.5 * (b - a)
        x = np.where(t < 0, a + half * gap, b - half * gap)
        keep = (x > a) & (x < b)
        value = half * float(np.sum(w[keep] * f(x[keep])))
        if previous is not None and abs(value - previous) <= max(rtol * abs(value), atol):
            return value
        previous, last = value, previous
    raise AssertionError(f"quad: no convergence to rtol {rtol} (last two {last}, {previous})")


def _gauss_legendre_nodes(lo: float, hi: float, panels: int, order: int) -> tuple[np.ndarray, np.ndarray]:
    nodes, weights = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(lo, hi, panels + 1)
    half = 0.5 * np.diff(edges)
    x = ((edges[:-1] + edges[1:]) / 2)[:, None] + half[:, None] * nodes
    return x.ravel(), (half[:, None] * weights).ravel()


def gauss_legendre(
    f: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, panels: int = 80, order: int = 10
) -> float:
    """The integral of a vectorised ``f`` over (lo, hi) by a composite Gauss-Legendre rule
    (``panels`` panels of ``order`` points): for smooth integrands."""
    x, w = _gauss_legendre_nodes(lo, hi, panels, order)
    return float(np.sum(w * f(x)))


def gauss_legendre_2d(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray], lo: float, hi: float, panels: int = 80, order: int = 10
) -> float:
    """The integral of a vectorised ``f(x, y)`` over the square (lo, hi)^2, by the product of
    two composite Gauss-Legendre rules: for smooth integrands."""
    x, w = _gauss_legendre_nodes(lo, hi, panels, order)
    return float(np.sum(w[:, None] * w[None, :] * f(x[:, None], x[None, :])))
