r"""Executed checks that print one line each and can be collected into a ledger.

Every key equation in the book is followed by a check: a symbolic identity whose residual
must simplify to zero, a Monte Carlo estimate compared with the exact value in standard
errors, a p-value compared with a threshold, a deterministic numerical comparison, or a
rejection: the same test run on a wrong formula, which must reject it. Each
check prints one line, for example::

    ✔ sampling · mean of Gumbel(0, 1) · estimate 0.57738 ± 0.001 · exact 0.577216 · |z| = 0.16 ≤ 5

and raises :class:`CheckFailed` (after printing a line starting with ``✘``) when it does not
hold, so a notebook that stops being true stops executing. The printed lines are stored in the
notebooks' outputs, and :func:`parse_check_line` reads them back for the verification ledger.

Thresholds: a default of 5 standard errors gives a two-sided Gaussian tail probability of
5.7e-7, and the default p-value threshold is 1e-6, so a correct page fails with probability
below one in a million per check.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "Check",
    "CheckFailed",
    "check_mc",
    "check_close",
    "check_pvalue",
    "check_rejects",
    "check_symbolic",
    "parse_check_line",
    "notebook_checks",
    "DEFAULT_TOL_SE",
    "DEFAULT_ALPHA",
]

DEFAULT_TOL_SE = 5.0
DEFAULT_ALPHA = 1e-6
SEP = " · "
PASS_MARK = "✔"
FAIL_MARK = "✘"
KINDS = ("symbolic", "sampling", "p-value", "numeric", "rejection")


class CheckFailed(AssertionError):
    """Raised when an executed check does not hold."""


@dataclass(frozen=True)
class Check:
    """One executed check, as printed in a notebook output."""

    kind: str
    name: str
    estimate: str
    exact: str
    criterion: str
    passed: bool

    def line(self) -> str:
        mark = PASS_MARK if self.passed else FAIL_MARK
        return SEP.join([f"{mark} {self.kind}", self.name, self.estimate, self.exact, self.criterion])


_LINE = re.compile(rf"^([{PASS_MARK}{FAIL_MARK}]) ({'|'.join(KINDS)}){SEP}(.*)$")


def parse_check_line(line: str) -> Check | None:
    """Read a line printed by a check back into a :class:`Check`; ``None`` if it is not one."""
    m = _LINE.match(line.strip())
    if not m:
        return None
    parts = m.group(3).split(SEP)
    if len(parts) != 4:
        return None
    return Check(m.group(2), *parts, passed=m.group(1) == PASS_MARK)


def notebook_checks(path: str | Path) -> list[Check]:
    """Every check printed in a notebook's stored outputs, in order.

    Reads the ``.ipynb`` JSON directly (stdout streams of code cells) and keeps the lines that
    :func:`parse_check_line` recognises. Stored outputs are trustworthy because strict nbval
    compares them with a fresh execution.
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    found = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") != "stream" or out.get("name") != "stdout":
                continue
            text = out.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            for line in text.splitlines():
                check = parse_check_line(line)
                if check is not None:
                    found.append(check)
    return found


def _emit(check: Check) -> None:
    print(check.line())
    if not check.passed:
        raise CheckFailed(check.line())


def _name(name: str) -> str:
    if not isinstance(name, str) or not name.strip() or SEP.strip() in name:
        raise ValueError(f"name: must be a non-empty string without '{SEP.strip()}', got {name!r}")
    return name.strip()


def _fmt(x: np.ndarray, digits: int) -> str:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        return f"{float(x):.{digits}g}"
    return "(" + ", ".join(f"{v:.{digits}g}" for v in x.ravel()) + ")"


def check_mc(
    name: str,
    samples: object = None,
    *,
    exact: object,
    estimate: object = None,
    se: object = None,
    tol_se: float = DEFAULT_TOL_SE,
    atol: float = 0.0,
    digits: int = 5,
) -> None:
    r"""Compare a Monte Carlo estimate with an exact value, in standard errors.

    Give either per-sample values ``samples`` (shape (n,) or (n, d): the estimate is their mean
    and the standard error :math:`s/\sqrt n`), or ``estimate`` and ``se`` directly. The check
    passes when every component has :math:`|\hat\mu - \mu| \le` ``tol_se`` standard errors
    plus ``atol``; ``atol`` (default 0) is for estimators whose variance is exactly zero, where
    the standard error is pure rounding noise.
    """
    name = _name(name)
    if samples is not None:
        s = np.asarray(samples, dtype=np.float64)
        if s.ndim == 0 or s.shape[0] < 2:
            raise ValueError("samples: need at least two samples along the first axis")
        est = s.mean(axis=0)
        err = s.std(axis=0, ddof=1) / math.sqrt(s.shape[0])
    else:
        if estimate is None or se is None:
            raise ValueError("estimate: give samples, or both estimate and se")
        est = np.asarray(estimate, dtype=np.float64)
        err = np.asarray(se, dtype=np.float64)
    ex = np.asarray(exact, dtype=np.float64)
    if not (np.isfinite(est).all() and np.isfinite(err).all() and np.isfinite(ex).all()):
        raise ValueError("exact: estimate, standard error and exact value must all be finite")
    if (err < 0).any():
        raise ValueError("se: standard errors must be >= 0")
    if not atol >= 0:
        raise ValueError(f"atol: must be >= 0, got {atol}")
    diff = np.maximum(np.abs(est - ex) - atol, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(err > 0, diff / np.where(err > 0, err, 1.0), np.where(diff == 0, 0.0, np.inf))
    zmax = float(np.max(z))
    passed = zmax <= tol_se
    label = "|z|" if np.ndim(z) == 0 else "max |z|"
    if atol:
        label += f" beyond atol {atol:g}"
    _emit(
        Check(
            "sampling",
            name,
            f"estimate {_fmt(est, digits)} ± {_fmt(err, 2)}",
            f"exact {_fmt(ex, digits + 1)}",
            f"{label} = {zmax:.2f} {'≤' if passed else '>'} {tol_se:g}",
            passed,
        )
    )


def _fmt_to(x: np.ndarray, digits: int, tol: float) -> str:
    """Like :func:`_fmt`, but rounded to the decimal place of ``tol`` first (when ``tol > 0``).

    A deterministic result (a quadrature, a finite difference, an optimiser's output) carries a
    roundoff of its own, and that roundoff changes from one CPU or libm to the next. Digits far
    below the tolerance of the comparison are that roundoff, and the check does not vouch for
    them, so they are not printed: the page then shows the same text on every machine.
    """
    x = np.asarray(x, dtype=np.float64)
    if tol > 0 and np.isfinite(tol):
        decimals = int(-math.floor(math.log10(tol)))
        x = np.round(x, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return _fmt(x, digits)


def check_close(
    name: str, value: object, exact: object, *, atol: float = 0.0, rtol: float = 1e-9, digits: int = 8
) -> None:
    """Compare a deterministic numerical result (quadrature, optimisation) with an exact value.

    Passes when ``max |value - exact| <= atol + rtol * max |exact|``. The line shows ``value``
    and ``exact`` to ``digits`` significant digits, but not beyond the decimal place of the
    tolerance, and the criterion as ``|error| ≤ tolerance``: the size of an error far below the
    tolerance is roundoff, which differs between CPUs, so it is not printed (a failed check
    prints it).
    """
    name = _name(name)
    v = np.asarray(value, dtype=np.float64)
    ex = np.asarray(exact, dtype=np.float64)
    err = float(np.max(np.abs(v - ex)))
    tol = float(atol + rtol * np.max(np.abs(ex)))
    passed = bool(np.isfinite(err)) and err <= tol
    criterion = f"|error| ≤ {tol:.1e}" if passed else f"|error| = {err:.1e} > {tol:.1e}"
    _emit(
        Check(
            "numeric",
            name,
            f"value {_fmt_to(v, digits, tol)}",
            f"exact {_fmt_to(ex, digits, tol)}",
            criterion,
            passed,
        )
    )


def check_pvalue(name: str, pvalue: float, *, alpha: float = DEFAULT_ALPHA, test: str = "test") -> None:
    """A goodness-of-fit test: passes when its p-value is at least ``alpha``."""
    name = _name(name)
    p = float(pvalue)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"pvalue: must be in [0, 1], got {pvalue}")
    passed = p >= alpha
    _emit(
        Check(
            "p-value",
            name,
            f"{test} p = {p:.3g}",
            "exact distribution",
            f"p {'≥' if passed else '<'} {alpha:g}",
            passed,
        )
    )


def check_rejects(
    name: str,
    pvalue: float | None = None,
    *,
    log10_pvalue: float | None = None,
    alpha: float = DEFAULT_ALPHA,
    test: str = "test",
) -> None:
    """A test that must *reject* a wrong method or formula: passes when ``p < alpha``.

    This is how a page shows that its checks can fail: the same test that accepts the correct
    sampler is run on the wrong one (for example the misplaced-parenthesis formula) and must
    reject it. Give ``log10_pvalue`` when the p-value underflows double precision.
    """
    name = _name(name)
    if (pvalue is None) == (log10_pvalue is None):
        raise ValueError("pvalue: give exactly one of pvalue and log10_pvalue")
    if log10_pvalue is not None:
        lp = float(log10_pvalue)
        if not lp <= 0.0:
            raise ValueError(f"log10_pvalue: must be <= 0, got {log10_pvalue}")
        shown = f"log10 p = {lp:.1f}"
    else:
        p = float(pvalue)
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"pvalue: must be in [0, 1], got {pvalue}")
        lp = math.log10(p) if p > 0 else -math.inf
        shown = f"p = {p:.3g}"
    passed = lp < math.log10(alpha)
    _emit(
        Check(
            "rejection",
            name,
            f"{test} {shown}",
            "wrong distribution",
            f"p {'<' if passed else '≥'} {alpha:g}: rejected" if passed else f"p ≥ {alpha:g}: NOT rejected",
            passed,
        )
    )


def check_symbolic(name: str, lhs: object, rhs: object = 0) -> None:
    """A symbolic identity ``lhs == rhs``: passes when SymPy simplifies ``lhs - rhs`` to 0.

    ``lhs`` and ``rhs`` may be SymPy matrices, to check several identities at once.
    """
    import sympy as sp

    name = _name(name)
    residual = sp.simplify(sp.sympify(lhs) - sp.sympify(rhs))
    if isinstance(residual, sp.MatrixBase):
        passed = bool(residual.is_zero_matrix)
        residual = sp.Integer(0) if passed else residual
    else:
        passed = residual == 0
    shown = str(residual) if len(str(residual)) <= 40 else str(residual)[:37] + "..."
    _emit(
        Check(
            "symbolic",
            name,
            f"residual {shown}",
            "exact 0",
            "simplifies to 0" if passed else "does not simplify to 0",
            passed,
        )
    )
