"""reparam.testing.stats: log-scale test results and standard errors, against SciPy and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from reparam.testing.stats import chisquare_test, contingency_test, frequencies_se, ks_test, mean_se, variance_se


def test_chisquare_matches_scipy_and_keeps_tiny_pvalues():
    counts, p = np.array([480, 310, 210]), np.array([0.5, 0.3, 0.2])
    r = chisquare_test(counts, p)
    ref = stats.chisquare(counts, counts.sum() * p)
    assert r.statistic == pytest.approx(ref.statistic) and r.df == 2
    assert r.pvalue == pytest.approx(ref.pvalue)
    far = chisquare_test([900, 50, 50], p)
    assert far.log10_pvalue < -100 and math.isfinite(far.log10_pvalue)


def test_chisquare_bad_input():
    with pytest.raises(ValueError, match="probs"):
        chisquare_test([1, 2], [0.5, 0.3, 0.2])
    with pytest.raises(ValueError, match="probs"):
        chisquare_test([1, 2], [0.6, 0.6])
    with pytest.raises(ValueError, match="counts"):
        chisquare_test([-1, 2], [0.5, 0.5])


def test_contingency_matches_scipy():
    t = np.array([[30, 20, 10], [25, 30, 15]])
    r = contingency_test(t)
    ref = stats.chi2_contingency(t, correction=False)
    assert r.statistic == pytest.approx(ref.statistic) and r.df == ref.dof
    assert r.pvalue == pytest.approx(ref.pvalue)


def test_ks_matches_scipy():
    x = np.random.default_rng(0).gumbel(size=500)
    r = ks_test(x, stats.gumbel_r.cdf)
    assert r.pvalue == pytest.approx(stats.kstest(x, stats.gumbel_r.cdf).pvalue)


def test_standard_errors():
    x = np.random.default_rng(1).normal(size=(40_000, 2))
    m, se = mean_se(x)
    assert np.allclose(se, x.std(axis=0, ddof=1) / 200)
    v, se_v = variance_se(x)
    # for a normal, Var(s^2) = 2 sigma^4 / (n - 1)
    assert np.allclose(se_v, math.sqrt(2 / 40_000), rtol=0.05)
    f, se_f = frequencies_se([0, 1, 1, 2], 3)
    assert np.allclose(f, [0.25, 0.5, 0.25]) and np.allclose(se_f, np.sqrt(f * (1 - f) / 4))


def test_tiny_pvalues_stay_finite():
    far = chisquare_test([30_000, 1_000, 1_000, 1_000, 1_000], [0.2] * 5)
    assert far.log10_pvalue < -1000 and math.isfinite(far.log10_pvalue)
    x = np.random.default_rng(2).normal(size=200_000)
    r = ks_test(x, stats.gumbel_r.cdf)
    assert r.log10_pvalue < -300 and math.isfinite(r.log10_pvalue)
    # where both exist, the asymptotic tail agrees with SciPy's p-value to leading order
    y = np.random.default_rng(3).normal(0.02, 1, size=20_000)
    r2 = ks_test(y, stats.norm.cdf)
    assert abs(r2.log10_pvalue - math.log10(stats.kstest(y, stats.norm.cdf).pvalue)) < 1e-9
