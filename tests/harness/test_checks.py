"""The executed checks: their records, what they show, and that they fail when they should."""

from __future__ import annotations

import json

import numpy as np
import pytest

import reparam.testing as rt
from reparam.testing.checks import MIME, CheckRecord, Wrong, capture_records


def W(value, origin="derivation", source="a test's wrong answer"):
    return Wrong(value, origin, source)


def _one(records):
    (record,) = records
    return record


def _line(capsys):
    return capsys.readouterr().out.strip()


# ---- what a line shows


def test_check_close_prints_no_roundoff_residue(capsys):
    with capture_records() as records:
        rt.check_close("x", [0.1 + 0.2, 1 / 3], [0.3, 1 / 3], rtol=1e-12)
    line = _line(capsys)
    assert line.endswith("|error| ≤ 3.3e-13"), line
    assert "e-17" not in line and "e-16" not in line
    assert _one(records).passed


def test_check_close_rounds_values_to_the_tolerance(capsys):
    # a finite difference carries roundoff near 1e-10; a 1e-6 tolerance does not vouch for it
    rt.check_close("fd", 0.0883955155, 0.0883955149, atol=1e-6, rtol=0)
    assert "value 0.088396 · exact 0.088396" in _line(capsys)
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


def test_mc_line_reads_in_standard_errors(capsys):
    x = np.random.default_rng(1).normal(size=10_000)
    with capture_records() as records:
        rt.check_mc("mean", x, exact=0.0, wrong={"one": W(1.0)})
    text = _line(capsys)
    first, second = text.splitlines()
    assert first.startswith("✔ sampling · mean · estimate") and "SE from exact (pass ≤ 5 SE)" in first
    assert "|z|" not in text and " z " not in text  # z is the book's random variable
    assert second.strip().startswith("↳ rules out · one (derivation error) · wrong value 1 ·")
    assert "✔" not in second  # never a tick on a rejection
    assert second.endswith("SE from the estimate: rejected, estimated power ≈ 1")
    assert _one(records).counted
    with pytest.raises(rt.CheckFailed):
        rt.check_mc("mean off", x, exact=0.1)


def test_failed_rule_out_is_marked_and_fails_the_check(capsys):
    x = np.random.default_rng(2).normal(size=1000)
    with pytest.raises(rt.CheckFailed), capture_records() as records:
        rt.check_mc("m", x, exact=0.0, wrong={"near": W(0.01)})
    rule = _one(records).rules_out[0]
    assert not rule.rejected and "✘ NOT ruled out" in rule.line()


def test_long_vectors_print_their_worst_component(capsys):
    x = np.random.default_rng(5).normal(size=(1000, 20))
    rt.check_mc("v", x, exact=np.zeros(20), wrong={"all 1": W(np.ones(20))})
    out = capsys.readouterr().out
    assert "of 20" in out and "worst" in out and max(len(line) for line in out.splitlines()) <= 160, out


# ---- every check can fail: wrong answers, their origin, their power, and the uncounted note


def test_symbolic_rules_out_a_wrong_formula_by_evaluation():
    import sympy as sp

    t = sp.Symbol("t", real=True)
    with capture_records() as records:
        rt.check_symbolic("g", 1 - 2 * t, 1 - 2 * t, wrong={"sign": W(2 * t - 1)})
    c = _one(records)
    assert c.counted and c.rules_out[0].label == "sign"
    assert c.rules_out[0].result == "residual 0.857 at t = 2/7", c.rules_out[0]


def test_symbolic_residuals_are_values_never_truncated_expressions():
    import sympy as sp

    x, y, z = sp.symbols("x y z", positive=True)
    long_expr = sp.exp(-((x - y) ** 2) / 2) * sp.sqrt(2) * (z - x) / (2 * sp.sqrt(sp.pi))
    with capture_records() as records:
        rt.check_symbolic("long", long_expr, long_expr, wrong={"half": W(long_expr / 2 + x)})
    result = _one(records).rules_out[0].result
    assert result.startswith("residual ") and "..." not in result and "exp" not in result, result


def test_symbolic_points_keep_alternatives_inside_the_domain():
    """On the simplex p1 + p2 + p3 = 1 a wrong formula may agree with the truth; the check is
    evaluated where the caller says, not at an arbitrary point outside the domain."""
    import sympy as sp

    p1, p2 = sp.symbols("p1 p2", positive=True)
    truth = p1 / (p1 + p2)
    wrong_off_simplex = p1 / (1 - (1 - p1 - p2))  # equal to the truth everywhere: not a wrong answer
    inside = {p1: sp.Rational(1, 2), p2: sp.Rational(3, 10)}
    with pytest.raises(rt.CheckFailed), capture_records() as records:
        rt.check_symbolic("ratio", truth, truth, points=inside, wrong={"same": W(wrong_off_simplex)})
    assert not _one(records).rules_out[0].rejected
    with capture_records() as records:
        rt.check_symbolic("ratio", truth, truth, points=inside, wrong={"p1": W(p1)})
    assert _one(records).rules_out[0].result == "residual 0.125 at p1 = 1/2, p2 = 3/10"
    with pytest.raises(ValueError, match="points: no value for p2"):
        rt.check_symbolic("ratio", truth, truth, points={p1: 1}, wrong={"p1": W(p1)})


def test_symbolic_alternative_equal_to_the_truth_fails_the_check():
    import sympy as sp

    t = sp.Symbol("t", real=True)
    with pytest.raises(rt.CheckFailed), capture_records() as records:
        rt.check_symbolic("g", (1 - t) ** 2, 1 - 2 * t + t**2, wrong={"expanded": W(t**2 - 2 * t + 1)})
    c = _one(records)
    assert not c.counted and "NOT rejected" in c.rules_out[0].criterion


def test_symbolic_wrong_lhs():
    import sympy as sp

    x = sp.Symbol("x", real=True)
    with capture_records() as records:
        rt.check_symbolic("d", sp.diff(x**3, x), 3 * x**2, wrong_lhs={"power rule without the factor": W(x**2)})
    assert _one(records).counted


def test_mc_wrong_exact_needs_power():
    x = np.random.default_rng(3).normal(size=10_000)  # se = 0.01
    with capture_records() as records:
        rt.check_mc("m", x, exact=0.0, wrong={"shift 0.2": W(0.2)})  # 20 SE: power ~ 1
    assert _one(records).counted
    # 8 SE away: usually rejected, but a rerun misses it with probability ~1e-3 > 1e-6
    with pytest.raises(rt.CheckFailed), capture_records() as records:
        rt.check_mc("m2", x, exact=0.0, wrong={"shift 0.08": W(0.08)})
    rule = _one(records).rules_out[0]
    assert "too little power" in rule.criterion and not rule.rejected and rule.power.startswith("≈ 0.99")


def test_mc_wrong_samples_same_size():
    rng = np.random.default_rng(4)
    x = rng.normal(size=10_000)
    with capture_records() as records:
        rt.check_mc("m", x, exact=0.0, wrong_samples={"biased": W(x + 0.3)})
    assert _one(records).counted
    with pytest.raises(ValueError, match="wrong_samples"):
        rt.check_mc("m", x, exact=0.0, wrong_samples={"short": W(x[:100] + 0.3)})


def test_mc_estimate_mode_wrong_pairs():
    with capture_records() as records:
        rt.check_mc("v", estimate=1.0, se=0.01, exact=1.0, wrong_samples={"w": W((1.5, 0.01))}, wrong={"x": W(1.3)})
    assert _one(records).counted


def test_close_wrong_value_and_exact():
    with capture_records() as records:
        rt.check_close("c", 0.5, 0.5, rtol=1e-9, wrong={"1/3": W(1 / 3)}, wrong_value={"fd": W(0.5001)})
    assert _one(records).counted
    with pytest.raises(rt.CheckFailed):
        rt.check_close("c", 0.5, 0.5, rtol=1e-3, wrong={"close": W(0.5001)})


def test_pvalue_wrong_power_for_chi_square():
    from reparam.testing import chisquare_test

    p = np.array([0.5, 0.3, 0.2])
    rng = np.random.default_rng(6)
    good = np.bincount(rng.choice(3, size=10_000, p=p), minlength=3)
    bad = np.bincount(rng.choice(3, size=10_000, p=[0.42, 0.34, 0.24]), minlength=3)
    weak = np.bincount(rng.choice(3, size=10_000, p=[0.48, 0.31, 0.21]), minlength=3)
    with capture_records() as records:
        rt.check_pvalue("gof", chisquare_test(good, p), wrong={"off by 8 points": W(chisquare_test(bad, p))})
    assert _one(records).counted
    with pytest.raises(rt.CheckFailed), capture_records() as records:
        rt.check_pvalue("gof", chisquare_test(good, p), wrong={"off by 2 points": W(chisquare_test(weak, p))})
    assert not _one(records).counted


def test_pvalue_power_is_the_test_results_own_estimate():
    """No string protocol: a test result estimates its own miss probability."""
    from reparam.testing.stats import ChiSquareResult, TestResult

    chi = ChiSquareResult("chi-square", 60.0, 2, -13.0)
    generic = TestResult("KS", 0.1, None, -13.0)
    assert chi.estimated_miss(1e-6) != generic.estimated_miss(1e-6)
    assert 0 < chi.estimated_miss(1e-6) < 0.05 and 0 < generic.estimated_miss(1e-6) < 0.05


def test_unsourced_wrong_answer_is_not_counted():
    x = np.random.default_rng(8).normal(size=10_000)
    with capture_records() as records:
        rt.check_mc("m", x, exact=0.0, wrong={"shift 0.2": 0.2})  # a bare value: no origin
    record = _one(records)
    assert record.passed and record.rules_out[0].rejected and not record.counted


def test_wrong_needs_a_known_origin():
    with pytest.raises(ValueError, match="origin"):
        Wrong(1.0, "typo")


def test_note_marks_a_check_not_counted(capsys):
    x = np.random.default_rng(7).normal(size=1000)
    with capture_records() as records:
        rt.check_mc("corr", x, exact=0.0, note="corroborates the symbolic mean")
    c = _one(records)
    assert c.passed and not c.counted and c.note == "corroborates the symbolic mean"
    assert "↳ not counted · corroborates the symbolic mean" in capsys.readouterr().out
    with pytest.raises(ValueError, match="note"):
        rt.check_mc("both", x, exact=0.0, wrong={"w": W(1.0)}, note="n")
    with pytest.raises(TypeError, match="wrong"):
        rt.check_mc("kind", x, exact=0.0, wrong=[1.0])


# ---- the record: the equations it backs, JSON, and the kernel's MIME bundle


def test_record_names_its_equations_and_survives_json():
    x = np.random.default_rng(9).normal(size=10_000)
    with capture_records() as records:
        rt.check_mc("m", x, exact=0.0, backs="eq-a", uses=("eq-b", "eq-c"), wrong={"one": W(1.0, "note", "the note")})
    record = _one(records)
    assert record.backs == ("eq-a",) and record.uses == ("eq-b", "eq-c")
    data = json.loads(json.dumps(record.to_json()))
    assert CheckRecord.from_json(data) == record
    assert data["rules_out"][0]["origin"] == "note" and data["rules_out"][0]["source"] == "the note"
    with pytest.raises(TypeError, match="backs"):
        rt.check_mc("m", x, exact=0.0, backs=[1], note="n")


def test_in_a_kernel_the_record_goes_into_the_outputs(monkeypatch):
    import IPython.display

    from reparam.testing import checks

    shown = []
    monkeypatch.setattr(checks, "_in_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda bundle, raw: shown.append((bundle, raw)))
    x = np.random.default_rng(10).normal(size=10_000)
    with capture_records() as records:
        rt.check_mc("m", x, exact=0.0, backs="eq-a", wrong={"one": W(1.0)})
    ((bundle, raw),) = shown
    assert raw and bundle["text/plain"] == _one(records).text()
    assert CheckRecord.from_json(bundle[MIME]) == _one(records)
