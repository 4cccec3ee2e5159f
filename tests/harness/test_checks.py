"""The one-line checks: what they print, and that they fail when they should."""

from __future__ import annotations

import numpy as np
import pytest

import reparam.testing as rt
from reparam.testing.checks import parse_check_line


def _line(capsys):
    return capsys.readouterr().out.strip()


def test_check_close_prints_no_roundoff_residue(capsys):
    rt.check_close("x", [0.1 + 0.2, 1 / 3], [0.3, 1 / 3], rtol=1e-12)
    line = _line(capsys)
    assert line.endswith("|error| ≤ 3.3e-13"), line
    assert "e-17" not in line and "e-16" not in line
    assert parse_check_line(line).passed


def test_check_close_rounds_values_to_the_tolerance(capsys):
    # a finite difference carries roundoff near 1e-10; a 1e-6 tolerance does not vouch for it
    rt.check_close("fd", 0.0883955155, 0.0883955149, atol=1e-6, rtol=0)
    line = _line(capsys)
    assert "value 0.088396 · exact 0.088396" in line, line
    rt.check_close("tiny", 1.19e-14, 0.0, atol=1e-9)
    assert "value 0 · exact 0" in _line(capsys)
    rt.check_close("neg", -1e-12, 0.0, atol=1e-9)
    assert "value 0 ·" in _line(capsys)  # no "-0"


def test_check_close_digits_still_cap_the_precision(capsys):
    rt.check_close("d", -0.595568255, -0.595568262, atol=1e-6, rtol=0, digits=4)
    assert "value -0.5956 · exact -0.5956" in _line(capsys)


def test_check_close_failure_shows_the_error(capsys):
    with pytest.raises(rt.CheckFailed):
        rt.check_close("bad", 1.0, 1.1, rtol=1e-3)
    line = _line(capsys)
    assert line.startswith("✘") and "|error| = 1.0e-01 > 1.1e-03" in line


def test_check_mc_passes_and_fails(capsys):
    x = np.random.default_rng(1).normal(size=10_000)
    rt.check_mc("mean", x, exact=0.0)
    assert parse_check_line(_line(capsys)).passed
    with pytest.raises(rt.CheckFailed):
        rt.check_mc("mean off", x, exact=0.1)


# ---- every check can fail: wrong alternatives, their power, and the uncounted note


def _checks(capsys):
    from reparam.testing.checks import parse_check_output

    return parse_check_output(capsys.readouterr().out)


def test_symbolic_rules_out_a_wrong_formula_by_evaluation(capsys):
    import sympy as sp

    t = sp.Symbol("t", real=True)
    rt.check_symbolic("g", 1 - 2 * t, 1 - 2 * t, wrong={"sign": 2 * t - 1})
    (c,) = _checks(capsys)
    assert c.counted and c.rules_out[0].label == "sign"
    assert "at t = 2/7: rejected" in c.rules_out[0].criterion


def test_symbolic_alternative_equal_to_the_truth_fails_the_check(capsys):
    import sympy as sp

    t = sp.Symbol("t", real=True)
    with pytest.raises(rt.CheckFailed):
        rt.check_symbolic("g", (1 - t) ** 2, 1 - 2 * t + t**2, wrong={"expanded": t**2 - 2 * t + 1})
    (c,) = _checks(capsys)
    assert not c.counted and "NOT rejected" in c.rules_out[0].criterion


def test_symbolic_wrong_lhs(capsys):
    import sympy as sp

    x = sp.Symbol("x", real=True)
    rt.check_symbolic("d", sp.diff(x**3, x), 3 * x**2, wrong_lhs={"power rule without the factor": x**2})
    assert _checks(capsys)[0].counted


def test_mc_wrong_exact_needs_power(capsys):
    x = np.random.default_rng(3).normal(size=10_000)  # se = 0.01
    rt.check_mc("m", x, exact=0.0, wrong={"shift 0.2": 0.2})  # 20 SE: power ~ 1
    assert _checks(capsys)[0].counted
    # 8 SE away: usually rejected, but a rerun misses it with probability ~1e-3 > 1e-6
    with pytest.raises(rt.CheckFailed):
        rt.check_mc("m2", x, exact=0.0, wrong={"shift 0.08": 0.08})
    (c,) = _checks(capsys)
    assert "power" in c.rules_out[0].criterion and not c.rules_out[0].rejected


def test_mc_wrong_samples_same_size(capsys):
    rng = np.random.default_rng(4)
    x = rng.normal(size=10_000)
    rt.check_mc("m", x, exact=0.0, wrong_samples={"biased": x + 0.3})
    assert _checks(capsys)[0].counted
    with pytest.raises(ValueError, match="wrong_samples"):
        rt.check_mc("m", x, exact=0.0, wrong_samples={"short": x[:100] + 0.3})


def test_mc_estimate_mode_wrong_pairs(capsys):
    rt.check_mc("v", estimate=1.0, se=0.01, exact=1.0, wrong_samples={"w": (1.5, 0.01)}, wrong={"x": 1.3})
    assert _checks(capsys)[0].counted


def test_long_vectors_print_their_worst_component(capsys):
    x = np.random.default_rng(5).normal(size=(1000, 20))
    rt.check_mc("v", x, exact=np.zeros(20), wrong={"all 1": np.ones(20)})
    out = capsys.readouterr().out
    assert "of 20" in out and max(len(line) for line in out.splitlines()) <= 160, out


def test_close_wrong_value_and_exact(capsys):
    rt.check_close("c", 0.5, 0.5, rtol=1e-9, wrong={"1/3": 1 / 3}, wrong_value={"fd": 0.5001})
    assert _checks(capsys)[0].counted
    with pytest.raises(rt.CheckFailed):
        rt.check_close("c", 0.5, 0.5, rtol=1e-3, wrong={"close": 0.5001})


def test_pvalue_wrong_power_for_chi_square(capsys):
    from reparam.testing import chisquare_test

    p = np.array([0.5, 0.3, 0.2])
    rng = np.random.default_rng(6)
    good = np.bincount(rng.choice(3, size=10_000, p=p), minlength=3)
    bad = np.bincount(rng.choice(3, size=10_000, p=[0.42, 0.34, 0.24]), minlength=3)
    weak = np.bincount(rng.choice(3, size=10_000, p=[0.48, 0.31, 0.21]), minlength=3)
    rt.check_pvalue("gof", chisquare_test(good, p), wrong={"off by 8 points": chisquare_test(bad, p)})
    assert _checks(capsys)[0].counted
    with pytest.raises(rt.CheckFailed):
        rt.check_pvalue("gof", chisquare_test(good, p), wrong={"off by 2 points": chisquare_test(weak, p)})
    assert not _checks(capsys)[0].counted


def test_note_marks_a_check_not_counted(capsys):
    x = np.random.default_rng(7).normal(size=1000)
    rt.check_mc("corr", x, exact=0.0, note="corroborates the symbolic mean")
    (c,) = _checks(capsys)
    assert c.passed and not c.counted and c.note == "corroborates the symbolic mean"
    with pytest.raises(ValueError, match="note"):
        rt.check_mc("both", x, exact=0.0, wrong={"w": 1.0}, note="n")
    with pytest.raises(TypeError, match="wrong"):
        rt.check_mc("kind", x, exact=0.0, wrong=[1.0])


def test_parse_output_attaches_rule_outs_to_their_check():
    from reparam.testing.checks import parse_check_output

    text = "\n".join(
        [
            "✔ sampling · a · estimate 1 ± 0.1 · exact 1 · |z| = 0.00 ≤ 5",
            "  ↳ ✔ rules out · zero · exact 0 · |z| = 10.00 > 5: rejected, power 1 - 1e-07",
            "something else printed",
            "✔ symbolic · b · residual 0 · exact 0 · simplifies to 0",
        ]
    )
    a, b = parse_check_output(text)
    assert a.counted and a.rules_out[0].label == "zero"
    assert not b.counted and not b.rules_out
