r"""Small statistics the checks share: test results with log-scale p-values, and means,
frequencies and variances with their standard errors.

This module needs NumPy only; the tests import SciPy (``scipy.special`` for the chi-square tail,
``scipy.stats`` for the Kolmogorov-Smirnov test) when they are called.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "TestResult",
    "ChiSquareResult",
    "chisquare_test",
    "contingency_test",
    "ks_test",
    "mean_se",
    "frequencies_se",
    "variance_se",
]


def _norm_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _normal_deviate_of_log10_p(lp: float) -> float:
    """The one-sided normal deviate z with P(Z > z) = 10**lp (no underflow for tiny p)."""
    if lp < -300:  # beyond double precision; the tail satisfies z^2/2 ~ -lp ln 10
        return math.sqrt(-2.0 * lp * math.log(10))
    return -NormalDist().inv_cdf(10.0**lp)


@dataclass(frozen=True)
class TestResult:
    """A hypothesis test's statistic, degrees of freedom and log10 p-value (no underflow)."""

    test: str
    statistic: float
    df: int | None
    log10_pvalue: float

    @property
    def pvalue(self) -> float:
        return 10.0**self.log10_pvalue

    def estimated_miss(self, alpha: float) -> float:
        """Estimated probability that the same test on fresh data from the same law would *not*
        reject at level ``alpha``: the plug-in estimate behind a check's "estimated power".

        Read on the normal scale: the p-value's one-sided normal deviate is taken as the mean of
        a unit-variance statistic, whose chance of falling below the deviate of ``alpha`` is the
        miss. Tests with a better model of their statistic override this.
        """
        if self.log10_pvalue == -math.inf:
            return 0.0
        z_alpha = _normal_deviate_of_log10_p(math.log10(alpha))
        return _norm_cdf(z_alpha - _normal_deviate_of_log10_p(self.log10_pvalue))


@dataclass(frozen=True)
class ChiSquareResult(TestResult):
    """A chi-square test's result, whose miss probability uses the noncentral chi-square."""

    def estimated_miss(self, alpha: float) -> float:
        r"""Under a wrong law the statistic :math:`X` is close to a noncentral chi-square with
        ``df`` degrees of freedom and noncentrality estimated as :math:`\lambda = X - \mathrm{df}`,
        approximately normal with mean :math:`X` and variance :math:`2\,\mathrm{df} + 4\lambda`;
        the miss is its chance of falling below the level-``alpha`` critical value."""
        from scipy.special import chdtri

        crit = float(chdtri(self.df, alpha))
        lam = max(self.statistic - self.df, 0.0)
        return _norm_cdf((crit - self.statistic) / math.sqrt(2 * self.df + 4 * lam))


def _log10_chi2_sf(stat: float, df: int) -> float:
    """log10 of the chi-square upper tail; exact (mpmath) where SciPy's value would underflow."""
    from scipy.special import chdtrc

    sf = float(chdtrc(df, stat))
    if sf > 0:
        return math.log10(sf)
    import mpmath

    return float(mpmath.log10(mpmath.gammainc(df / 2, stat / 2, mpmath.inf, regularized=True)))


def chisquare_test(counts: ArrayLike, probs: ArrayLike) -> TestResult:
    r"""Pearson's chi-square goodness of fit of category ``counts`` to probabilities ``probs``.

    :math:`X = \sum_j (c_j - n p_j)^2 / (n p_j)` on :math:`k - 1` degrees of freedom; the
    p-value is kept as its log10, so a wrong law rejected at :math:`p = 10^{-900}` is printed
    rather than rounded to 0. ``counts`` may be multidimensional (a joint table of outcomes):
    it is flattened, with ``probs`` of the same shape.

    Examples
    --------
    >>> r = chisquare_test([50, 30, 20], [0.5, 0.3, 0.2])
    >>> r.statistic, r.df, r.log10_pvalue
    (0.0, 2, 0.0)
    """
    c = np.asarray(counts, dtype=np.float64).ravel()
    p = np.asarray(probs, dtype=np.float64).ravel()
    if c.shape != p.shape:
        raise ValueError(f"probs: shape {np.shape(probs)} does not match counts {np.shape(counts)}")
    if c.size < 2 or (c < 0).any() or c.sum() <= 0:
        raise ValueError("counts: need at least two nonnegative counts with a positive total")
    if (p <= 0).any() or not math.isclose(p.sum(), 1.0, rel_tol=1e-9):
        raise ValueError("probs: must be positive and sum to 1")
    expected = c.sum() * p
    stat = float(np.sum((c - expected) ** 2 / expected))
    df = c.size - 1
    return ChiSquareResult("chi-square", stat, df, _log10_chi2_sf(stat, df))


def contingency_test(table: ArrayLike) -> TestResult:
    """Chi-square test of independence of the rows and columns of a table of counts."""
    t = np.asarray(table, dtype=np.float64)
    if t.ndim != 2 or min(t.shape) < 2:
        raise ValueError(f"table: need a 2-d table with at least 2 rows and 2 columns, got shape {t.shape}")
    expected = np.outer(t.sum(1), t.sum(0)) / t.sum()
    stat = float(np.sum((t - expected) ** 2 / expected))
    df = (t.shape[0] - 1) * (t.shape[1] - 1)
    return ChiSquareResult("chi-square", stat, df, _log10_chi2_sf(stat, df))


def ks_test(samples: ArrayLike, cdf) -> TestResult:
    r"""One-sample Kolmogorov-Smirnov test of ``samples`` against a continuous ``cdf``.

    Where the p-value underflows, its log10 comes from Kolmogorov's asymptotic tail
    :math:`p \approx 2 e^{-2 n D^2}` (the leading term, accurate when p is tiny).
    """
    from scipy.stats import kstest

    x = np.asarray(samples, dtype=np.float64)
    r = kstest(x, cdf)
    if r.pvalue > 0:
        lp = math.log10(r.pvalue)
    else:
        lp = (math.log(2.0) - 2.0 * x.size * float(r.statistic) ** 2) / math.log(10)
    return TestResult("KS", float(r.statistic), None, lp)


def mean_se(samples: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    r"""Mean along the first axis and its standard error :math:`s / \sqrt{n}`."""
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 0 or x.shape[0] < 2:
        raise ValueError("samples: need at least two samples along the first axis")
    return x.mean(axis=0), x.std(axis=0, ddof=1) / math.sqrt(x.shape[0])


def frequencies_se(draws: ArrayLike, k: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Frequencies of the categories ``0..k-1`` among integer ``draws`` and their standard errors
    :math:`\sqrt{\hat p (1 - \hat p) / n}`."""
    d = np.asarray(draws).ravel()
    if d.size < 2:
        raise ValueError("draws: need at least two draws")
    freq = np.bincount(d, minlength=k)[:k] / d.size
    return freq, np.sqrt(freq * (1 - freq) / d.size)


def variance_se(samples: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    r"""Sample variance (``ddof=1``) along the first axis and its standard error.

    The standard error uses the sample fourth central moment :math:`m_4`:
    :math:`\mathrm{Var}(s^2) \approx (m_4 - \frac{n-3}{n-1} s^4)/n`.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=100_000)
    >>> v, se = variance_se(x)
    >>> bool(abs(v - 1) < 5 * se)
    True
    """
    x = np.asarray(samples, dtype=np.float64)
    n = x.shape[0] if x.ndim else 0
    if n < 4:
        raise ValueError("samples: need at least four samples along the first axis")
    d = x - x.mean(axis=0)
    s2 = (d**2).sum(axis=0) / (n - 1)
    m4 = (d**4).mean(axis=0)
    return s2, np.sqrt(np.maximum(m4 - (n - 3) / (n - 1) * s2**2, 0.0) / n)
