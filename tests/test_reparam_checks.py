"""The one-line checks: what they print, and that they fail when they should."""

from __future__ import annotations

import numpy as np
import pytest

import reparam as rp
from reparam.checks import parse_check_line


def _line(capsys):
    return capsys.readouterr().out.strip()


def test_check_close_prints_no_roundoff_residue(capsys):
    rp.check_close("x", [0.1 + 0.2, 1 / 3], [0.3, 1 / 3], rtol=1e-12)
    line = _line(capsys)
    assert line.endswith("|error| ≤ 3.3e-13"), line
    assert "e-17" not in line and "e-16" not in line
    assert parse_check_line(line).passed


def test_check_close_rounds_values_to_the_tolerance(capsys):
    # a finite difference carries roundoff near 1e-10; a 1e-6 tolerance does not vouch for it
    rp.check_close("fd", 0.0883955155, 0.0883955149, atol=1e-6, rtol=0)
    line = _line(capsys)
    assert "value 0.088396 · exact 0.088396" in line, line
    rp.check_close("tiny", 1.19e-14, 0.0, atol=1e-9)
    assert "value 0 · exact 0" in _line(capsys)
    rp.check_close("neg", -1e-12, 0.0, atol=1e-9)
    assert "value 0 ·" in _line(capsys)  # no "-0"


def test_check_close_digits_still_cap_the_precision(capsys):
    rp.check_close("d", -0.595568255, -0.595568262, atol=1e-6, rtol=0, digits=4)
    assert "value -0.5956 · exact -0.5956" in _line(capsys)


def test_check_close_failure_shows_the_error(capsys):
    with pytest.raises(rp.CheckFailed):
        rp.check_close("bad", 1.0, 1.1, rtol=1e-3)
    line = _line(capsys)
    assert line.startswith("✘") and "|error| = 1.0e-01 > 1.1e-03" in line


def test_check_mc_passes_and_fails(capsys):
    x = np.random.default_rng(1).normal(size=10_000)
    rp.check_mc("mean", x, exact=0.0)
    assert parse_check_line(_line(capsys)).passed
    with pytest.raises(rp.CheckFailed):
        rp.check_mc("mean off", x, exact=0.1)
