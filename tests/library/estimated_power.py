"""Critical values and estimated power of the z- and Kolmogorov-Smirnov tests, in NumPy only.

Every statistical test of the library has a size below ``ALPHA = 1e-6`` and states its power
against each wrong alternative it rejects, estimated from the alternative's own draws at the
same sample size:

* a two-sided z-test with critical value ``c`` rejects an alternative whose expected statistic
  is ``z`` with probability ``Phi(|z| - c) + Phi(-|z| - c)``; the observed ``z`` is plugged in
  (:func:`z_power`);
* the one-sample KS test of ``reference.ks_pvalue`` rejects at level ``alpha`` whenever
  ``sqrt(n) D > c0 = sqrt(log(2 / alpha) / 2)`` (Kolmogorov's tail is below ``2 exp(-2 t^2)``),
  so by the Dvoretzky-Kiefer-Wolfowitz inequality (Massart's constant) it misses an alternative
  at distance ``D_alt`` from the reference CDF with probability at most
  ``2 exp(-2 (sqrt(n) D_alt - c0)^2)``; the observed distance is plugged in (:func:`ks_power`).

A wrong alternative counts as rejected when its estimated power is at least ``1 - ALPHA``: a z
about ``c + 4.75`` away, or ``sqrt(n) D`` about ``c0 + 2.69``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import reference as ref

ALPHA = 1e-6
POWER = 1 - ALPHA


def z_crit(m: int = 1) -> float:
    """Two-sided critical |z| for ``m`` Bonferroni-adjusted comparisons, at least 5."""
    return max(5.0, ref.norm_isf(ALPHA / (2 * m)))


def z_power(z: float, crit: float) -> float:
    """Estimated power of the two-sided z-test with critical value ``crit`` at the statistic ``z``."""
    return float(np.sum(ref.norm_cdf(np.array([abs(z) - crit, -abs(z) - crit]))))


def mean_z(samples: np.ndarray, exact) -> np.ndarray:
    """z-scores of the column means of per-sample ``samples`` (n, d) against ``exact`` (d,)."""
    n = samples.shape[0]
    return (samples.mean(axis=0) - exact) / (samples.std(axis=0, ddof=1) / math.sqrt(n))


def ks_distance(samples, cdf: Callable[[np.ndarray], np.ndarray]) -> float:
    """The Kolmogorov-Smirnov distance between the sample and the continuous ``cdf``."""
    x = np.sort(np.asarray(samples, dtype=np.float64))
    f, n = cdf(x), x.size
    i = np.arange(1, n + 1)
    return max(float(np.max(i / n - f)), float(np.max(f - (i - 1) / n)))


def ks_power(samples, cdf: Callable[[np.ndarray], np.ndarray], alpha: float = ALPHA) -> float:
    """Estimated power of the KS test at level ``alpha`` against the law of ``samples`` (DKW bound)."""
    excess = math.sqrt(np.size(samples)) * ks_distance(samples, cdf) - math.sqrt(math.log(2 / alpha) / 2)
    return 0.0 if excess <= 0 else 1.0 - min(1.0, 2.0 * math.exp(-2.0 * excess**2))
