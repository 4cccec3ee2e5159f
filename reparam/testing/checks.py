r"""Executed checks that print what they verify and what they rule out.

Every key equation in the book is followed by a check: a symbolic identity whose residual
must simplify to zero, a Monte Carlo estimate compared with the exact value in standard
errors, a p-value compared with a threshold, or a deterministic numerical comparison. A check
counts as a verification only when it also names a plausible wrong answer (a typo of the
source, a dropped term, a wrong sign or constant, a biased estimator) and the same test, on
the same data or at the same sample size, rejects it. Each check prints one line, then one
line per wrong alternative, for example::

    ✔ sampling · mean of Gumbel(0, 1) · estimate 0.57738 ± 0.001 · exact 0.577216 · |z| = 0.16 ≤ 5
      ↳ ✔ rules out · mean 0 · exact 0 · |z| = 577.4 > 5: rejected, power > 1 - 1e-15

A check that names no alternative must say why it is there (``note=``, for example a Monte
Carlo corroboration of a symbolic result); it prints ``↳ not counted · ...`` and the
verification ledger lists it apart from the counted checks.

A check raises :class:`CheckFailed` (after printing its lines, marked ``✘``) when the claim
does not hold *or* when a named alternative is not rejected with enough power, so a notebook
that stops being true, or whose check stops being able to fail, stops executing. The printed
lines are stored in the notebooks' outputs, and :func:`parse_check_output` reads them back.

Error rates. A default of 5 standard errors gives a two-sided Gaussian tail probability of
5.7e-7, and the default p-value threshold is 1e-6, so a correct page fails with probability
below one in a million per check. A wrong alternative must be rejected with power at least
``1 - DEFAULT_MISS`` (``1 - 1e-6``): the probability that a rerun of the same test, with fresh
noise, would *not* reject it is estimated and must be below one in a million. For a Monte Carlo
check this needs the wrong value about 9.75 standard errors from the right one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from .stats import mean_se

__all__ = [
    "Check",
    "CheckFailed",
    "RuleOut",
    "check_mc",
    "check_close",
    "check_pvalue",
    "check_symbolic",
    "parse_check_line",
    "parse_check_output",
    "DEFAULT_TOL_SE",
    "DEFAULT_ALPHA",
    "DEFAULT_MISS",
]

DEFAULT_TOL_SE = 5.0
DEFAULT_ALPHA = 1e-6
DEFAULT_MISS = 1e-6
SEP = " · "
PASS_MARK = "✔"
FAIL_MARK = "✘"
ARROW = "↳"
KINDS = ("symbolic", "sampling", "p-value", "numeric")
MAX_COMPONENTS_SHOWN = 4


class CheckFailed(AssertionError):
    """Raised when an executed check does not hold, or cannot reject its wrong alternative."""


@dataclass(frozen=True)
class RuleOut:
    """A wrong alternative and the result of the same test on it."""

    label: str
    result: str
    criterion: str
    rejected: bool

    def line(self) -> str:
        mark = PASS_MARK if self.rejected else FAIL_MARK
        return f"  {ARROW} {mark} rules out" + SEP + SEP.join([self.label, self.result, self.criterion])


@dataclass(frozen=True)
class Check:
    """One executed check, as printed in a notebook output."""

    kind: str
    name: str
    estimate: str
    exact: str
    criterion: str
    passed: bool
    rules_out: tuple[RuleOut, ...] = ()
    note: str = ""

    @property
    def counted(self) -> bool:
        """A verification: it passed and named wrong alternatives, all rejected."""
        return self.passed and bool(self.rules_out) and all(r.rejected for r in self.rules_out)

    def line(self) -> str:
        """The first line: the claim and its test."""
        mark = PASS_MARK if self.passed else FAIL_MARK
        return SEP.join([f"{mark} {self.kind}", self.name, self.estimate, self.exact, self.criterion])

    def lines(self) -> list[str]:
        """Everything the check prints: its line, the alternatives it rules out, or its note."""
        out = [self.line()] + [r.line() for r in self.rules_out]
        if self.note:
            out.append(f"  {ARROW} not counted{SEP}{self.note}")
        return out


_LINE = re.compile(rf"^([{PASS_MARK}{FAIL_MARK}]) ({'|'.join(KINDS)}){SEP}(.*)$")
_RULE = re.compile(rf"^{ARROW} ([{PASS_MARK}{FAIL_MARK}]) rules out{SEP}(.*)$")
_NOTE = re.compile(rf"^{ARROW} not counted{SEP}(.*)$")


def parse_check_line(line: str) -> Check | None:
    """Read the first line of a check back into a :class:`Check`; ``None`` if it is not one."""
    m = _LINE.match(line.strip())
    if not m:
        return None
    parts = m.group(3).split(SEP)
    if len(parts) != 4:
        return None
    return Check(m.group(2), *parts, passed=m.group(1) == PASS_MARK)


def parse_check_output(text: str) -> list[Check]:
    """Every check in a printed output, with the alternatives it rules out and its note."""
    found: list[Check] = []
    for line in text.splitlines():
        check = parse_check_line(line)
        if check is not None:
            found.append(check)
            continue
        if not found:
            continue
        stripped = line.strip()
        rule = _RULE.match(stripped)
        if rule:
            parts = rule.group(2).split(SEP)
            if len(parts) == 3:
                r = RuleOut(*parts, rejected=rule.group(1) == PASS_MARK)
                last = found[-1]
                found[-1] = Check(**{**last.__dict__, "rules_out": (*last.rules_out, r)})
            continue
        note = _NOTE.match(stripped)
        if note:
            found[-1] = Check(**{**found[-1].__dict__, "note": note.group(1)})
    return found


def _emit(check: Check) -> None:
    text = "\n".join(check.lines())
    print(text)
    if not check.passed or not all(r.rejected for r in check.rules_out):
        raise CheckFailed(text)


def _name(name: str, what: str = "name") -> str:
    if not isinstance(name, str) or not name.strip() or SEP.strip() in name:
        raise ValueError(f"{what}: must be a non-empty string without '{SEP.strip()}', got {name!r}")
    return name.strip()


def _alternatives(wrong: object, what: str) -> dict[str, object]:
    if wrong is None:
        return {}
    if not isinstance(wrong, Mapping):
        raise TypeError(f"{what}: must be a mapping from a label to a wrong alternative, got {type(wrong).__name__}")
    return {_name(k, what): v for k, v in wrong.items()}


def _note(note: object, n_wrong: int) -> str:
    if note is None:
        return ""
    if n_wrong:
        raise ValueError("note: a check that rules out alternatives is counted; give either wrong or note")
    return _name(note, "note")


def _fmt(x: np.ndarray, digits: int) -> str:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        return f"{float(x):.{digits}g}"
    return "(" + ", ".join(f"{v:.{digits}g}" for v in x.ravel()) + ")"


def _norm_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _miss_two_sided(delta: float, tol: float) -> float:
    """P(|Z + delta| <= tol) for Z ~ N(0, 1): a two-sided z-test misses a shift of delta SE."""
    return max(_norm_cdf(tol - delta) - _norm_cdf(-tol - delta), 0.0)


def _power_text(miss: float) -> str:
    if miss < 1e-15:
        return "power > 1 - 1e-15"
    if miss < 0.01:
        return f"power 1 - {miss:.0e}"
    return f"power {1 - miss:.2f}"


def _verdict(rejected: bool, miss: float, max_miss: float) -> tuple[str, bool]:
    if not rejected:
        return "NOT rejected", False
    if miss > max_miss:
        return f"rejected, but {_power_text(miss)} < 1 - {max_miss:g}", False
    return f"rejected, {_power_text(miss)}", True


def _worst(z: np.ndarray) -> int:
    return int(np.argmax(z)) if np.ndim(z) else 0


def _z_scores(est: np.ndarray, err: np.ndarray, ex: np.ndarray, atol: float) -> np.ndarray:
    diff = np.maximum(np.abs(est - ex) - atol, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(err > 0, diff / np.where(err > 0, err, 1.0), np.where(diff == 0, 0.0, np.inf))


def _mean_se(samples: object, what: str) -> tuple[np.ndarray, np.ndarray, int]:
    """:func:`reparam.testing.stats.mean_se` and the sample size; errors name ``what``."""
    s = np.asarray(samples, dtype=np.float64)
    try:
        mean, se = mean_se(s)
    except ValueError:
        raise ValueError(f"{what}: need at least two samples along the first axis") from None
    return mean, se, s.shape[0]


def _finite(what: str, *arrays: np.ndarray) -> None:
    if not all(np.isfinite(a).all() for a in arrays):
        raise ValueError(f"{what}: estimate, standard error and exact value must all be finite")


def _mc_fields(est: np.ndarray, err: np.ndarray, ex: np.ndarray, z: np.ndarray, digits: int) -> tuple[str, str]:
    """The estimate and exact fields; a long vector shows only its worst component."""
    if np.size(z) > MAX_COMPONENTS_SHOWN:
        j = _worst(z)
        e, s, x = np.ravel(est)[j], np.ravel(np.broadcast_to(err, np.shape(est)))[j], np.ravel(ex)[j]
        where = f"[{j}] of {np.size(z)}"
        return f"estimate{where} {_fmt(e, digits)} ± {_fmt(s, 2)}", f"exact{where} {_fmt(x, digits + 1)}"
    if np.size(est) > 1:  # one standard error for all (the largest), one digit less per entry
        d = max(digits - 1, 3)
        return f"estimate {_fmt(est, d)}, SE ≤ {_fmt(np.max(err), 2)}", f"exact {_fmt(ex, d + 1)}"
    return f"estimate {_fmt(est, digits)} ± {_fmt(err, 2)}", f"exact {_fmt(ex, digits + 1)}"


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
    wrong: Mapping[str, object] | None = None,
    wrong_samples: Mapping[str, object] | None = None,
    note: str | None = None,
) -> None:
    r"""Compare a Monte Carlo estimate with an exact value, in standard errors.

    Give either per-sample values ``samples`` (shape (n,) or (n, d): the estimate is their mean
    and the standard error :math:`s/\sqrt n`), or ``estimate`` and ``se`` directly. The check
    passes when every component has :math:`|\hat\mu - \mu| \le` ``tol_se`` standard errors
    plus ``atol``; ``atol`` (default 0) is for estimators whose variance is exactly zero, where
    the standard error is pure rounding noise. A vector of more than four components prints its
    worst component only.

    Wrong alternatives, each rejected with power at least ``1 - DEFAULT_MISS``:

    ``wrong``
        label -> a wrong exact value (a typo'd or incomplete formula for the same quantity). The
        same estimate must lie more than ``tol_se`` standard errors from it; the power is
        :math:`P(|Z + \delta| > \text{tol})` with :math:`\delta = |\text{wrong} - \text{exact}|/\text{se}`.
    ``wrong_samples``
        label -> per-sample values of a wrong estimator at the same sample size (or an
        ``(estimate, se)`` pair when the check was given ``estimate`` and ``se``), compared with
        the same exact value; the power is estimated from the observed :math:`|z|`.
    """
    name = _name(name)
    alts = _alternatives(wrong, "wrong")
    alt_samples = _alternatives(wrong_samples, "wrong_samples")
    note = _note(note, len(alts) + len(alt_samples))
    n = None
    if samples is not None:
        est, err, n = _mean_se(samples, "samples")
    else:
        if estimate is None or se is None:
            raise ValueError("estimate: give samples, or both estimate and se")
        est = np.asarray(estimate, dtype=np.float64)
        err = np.asarray(se, dtype=np.float64)
    ex = np.asarray(exact, dtype=np.float64)
    _finite("exact", est, err, ex)
    if (err < 0).any():
        raise ValueError("se: standard errors must be >= 0")
    if not atol >= 0:
        raise ValueError(f"atol: must be >= 0, got {atol}")
    z = _z_scores(est, err, ex, atol)
    zmax = float(np.max(z))
    passed = zmax <= tol_se
    label = "|z|" if np.size(z) == 1 else "max |z|"
    if atol:
        label += f" beyond atol {atol:g}"

    rules: list[RuleOut] = []
    for lab, value in alts.items():
        w = np.asarray(value, dtype=np.float64)
        _finite("wrong", w)
        zw = _z_scores(est, err, w, atol)
        delta = _z_scores(ex, err, w, atol)  # the shift a correct estimator sees, in its SE
        miss = min(_miss_two_sided(float(d), tol_se) for d in np.ravel(delta))
        text, ok = _verdict(float(np.max(zw)) > tol_se, miss, DEFAULT_MISS)
        j = _worst(zw)
        shown = (
            f"exact {_fmt(w, digits + 1)}"
            if np.size(w) <= MAX_COMPONENTS_SHOWN
            else f"exact[{j}] {_fmt(np.ravel(w)[j], digits + 1)}"
        )
        zw_max = float(np.max(zw))
        rel = ">" if zw_max > tol_se else "≤"
        rules.append(RuleOut(lab, shown, f"{label} = {zw_max:.2f} {rel} {tol_se:g}: {text}", ok))
    for lab, value in alt_samples.items():
        if n is not None:
            est_w, err_w, n_w = _mean_se(value, "wrong_samples")
            if n_w != n:
                raise ValueError(f"wrong_samples: {lab!r} has {n_w} samples, the check has {n}: use the same size")
        else:
            if not (isinstance(value, tuple) and len(value) == 2):
                raise TypeError("wrong_samples: with estimate and se, give (estimate, se) pairs")
            est_w, err_w = (np.asarray(v, dtype=np.float64) for v in value)
        _finite("wrong_samples", est_w, err_w)
        zw = _z_scores(est_w, err_w, ex, atol)
        zw_max = float(np.max(zw))
        miss = _miss_two_sided(zw_max, tol_se)
        text, ok = _verdict(zw_max > tol_se, miss, DEFAULT_MISS)
        shown, _ = _mc_fields(est_w, err_w, ex, zw, digits)
        rel = ">" if zw_max > tol_se else "≤"
        rules.append(RuleOut(lab, shown, f"{label} = {zw_max:.2f} {rel} {tol_se:g}: {text}", ok))

    est_field, exact_field = _mc_fields(est, err, ex, z, digits)
    _emit(
        Check(
            "sampling",
            name,
            est_field,
            exact_field,
            f"{label} = {zmax:.2f} {'≤' if passed else '>'} {tol_se:g}",
            passed,
            tuple(rules),
            note,
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
    if x.size > 1:  # a vector shows at most 6 significant digits per entry
        digits = min(digits, 6)
    if x.size > MAX_COMPONENTS_SHOWN:
        return f"{x.size} values in [{_fmt(x.min(), digits)}, {_fmt(x.max(), digits)}]"
    return _fmt(x, digits)


def check_close(
    name: str,
    value: object,
    exact: object,
    *,
    atol: float = 0.0,
    rtol: float = 1e-9,
    digits: int = 8,
    wrong: Mapping[str, object] | None = None,
    wrong_value: Mapping[str, object] | None = None,
    note: str | None = None,
) -> None:
    """Compare a deterministic numerical result (quadrature, optimisation) with an exact value.

    Passes when ``max |value - exact| <= atol + rtol * max |exact|``. The line shows ``value``
    and ``exact`` to ``digits`` significant digits, but not beyond the decimal place of the
    tolerance, and the criterion as ``|error| ≤ tolerance``: the size of an error far below the
    tolerance is roundoff, which differs between CPUs, so it is not printed (a failed check
    prints it).

    Wrong alternatives, each of which the same comparison must reject (there is no noise, so
    rejection is certain): ``wrong`` maps a label to a wrong exact value (a typo'd formula),
    ``wrong_value`` maps a label to the value a wrong method computes.
    """
    name = _name(name)
    alts = _alternatives(wrong, "wrong")
    alt_values = _alternatives(wrong_value, "wrong_value")
    note = _note(note, len(alts) + len(alt_values))
    v = np.asarray(value, dtype=np.float64)
    ex = np.asarray(exact, dtype=np.float64)
    err = float(np.max(np.abs(v - ex)))
    tol = float(atol + rtol * np.max(np.abs(ex)))
    passed = bool(np.isfinite(err)) and err <= tol
    criterion = f"|error| ≤ {tol:.1e}" if passed else f"|error| = {err:.1e} > {tol:.1e}"
    rules = []
    for what, table, against in (("exact", alts, v), ("value", alt_values, ex)):
        for lab, alt in table.items():
            w = np.asarray(alt, dtype=np.float64)
            err_w = float(np.max(np.abs(against - w)))
            ok = not (err_w <= tol)  # NaN counts as rejected: the comparison fails
            rel = ">" if ok else "≤"
            rules.append(
                RuleOut(
                    lab,
                    f"{what} {_fmt_to(w, digits, tol)}",
                    f"|error| = {err_w:.1e} {rel} {tol:.1e}: {'rejected' if ok else 'NOT rejected'}",
                    ok,
                )
            )
    _emit(
        Check(
            "numeric",
            name,
            f"value {_fmt_to(v, digits, tol)}",
            f"exact {_fmt_to(ex, digits, tol)}",
            criterion,
            passed,
            tuple(rules),
            note,
        )
    )


def _log10_p(result: object, what: str) -> float:
    """log10 of a p-value given as a float or as an object with ``log10_pvalue``."""
    if hasattr(result, "log10_pvalue"):
        lp = float(result.log10_pvalue)
        if not lp <= 0.0:
            raise ValueError(f"{what}: log10_pvalue must be <= 0, got {lp}")
        return lp
    if isinstance(result, bool) or not isinstance(result, (int, float, np.floating, np.integer)):
        raise TypeError(f"{what}: must be a p-value (float) or a test result, got {type(result).__name__}")
    p = float(result)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{what}: must be in [0, 1], got {result}")
    return math.log10(p) if p > 0 else -math.inf


def _p_text(lp: float) -> str:
    return f"p = {10**lp:.3g}" if lp > -4 else f"log10 p = {lp:.1f}"


def _normal_quantile_of_log10_p(lp: float) -> float:
    """The one-sided normal deviate z with P(Z > z) = 10**lp."""
    if lp < -300:  # beyond double precision; the tail satisfies z^2/2 ~ -lp ln 10
        return math.sqrt(-2.0 * lp * math.log(10))
    return -NormalDist().inv_cdf(10.0**lp)


def _pvalue_miss(result: object, lp: float, alpha: float) -> float:
    """Estimated probability that a rerun of the test on the wrong alternative does not reject.

    A chi-square statistic X with ``df`` degrees of freedom is, under the alternative, close to
    a noncentral chi-square with noncentrality estimated as X - df, approximately normal with
    variance 2 df + 4 (X - df); the miss is the chance that it falls below the alpha quantile.
    Any other test is read on the normal scale: the p-value's one-sided normal deviate is
    taken as the mean of a unit-variance statistic.
    """
    stat = getattr(result, "statistic", None)
    df = getattr(result, "df", None)
    if getattr(result, "test", None) == "chi-square" and stat is not None and df:
        from scipy.special import chdtri

        crit = float(chdtri(df, alpha))
        lam = max(float(stat) - df, 0.0)
        return _norm_cdf((crit - float(stat)) / math.sqrt(2 * df + 4 * lam))
    z_alpha = _normal_quantile_of_log10_p(math.log10(alpha))
    if lp == -math.inf:
        return 0.0
    return _norm_cdf(z_alpha - _normal_quantile_of_log10_p(lp))


def check_pvalue(
    name: str,
    pvalue: object,
    *,
    alpha: float = DEFAULT_ALPHA,
    test: str | None = None,
    wrong: Mapping[str, object] | None = None,
    note: str | None = None,
) -> None:
    """A goodness-of-fit test: passes when its p-value is at least ``alpha``.

    ``pvalue`` is a float, or a test result with ``log10_pvalue`` (and ``test``, ``statistic``,
    ``df``), such as :func:`reparam.testing.stats.chisquare_test` returns; use a result when the p-value
    of a wrong alternative underflows. ``wrong`` maps a label to the same test's result on a
    wrong sampler or law at the same sample size; it must give ``p < alpha`` with power at least
    ``1 - DEFAULT_MISS`` (see :func:`_pvalue_miss` for how the power is estimated).
    """
    name = _name(name)
    alts = _alternatives(wrong, "wrong")
    note = _note(note, len(alts))
    test = test or getattr(pvalue, "test", None) or "test"
    lp = _log10_p(pvalue, "pvalue")
    passed = lp >= math.log10(alpha)
    rules = []
    for lab, res in alts.items():
        lpw = _log10_p(res, "wrong")
        miss = _pvalue_miss(res, lpw, alpha)
        rejected = lpw < math.log10(alpha)
        text, ok = _verdict(rejected, miss, DEFAULT_MISS)
        rules.append(RuleOut(lab, f"{test} {_p_text(lpw)}", f"p {'<' if rejected else '≥'} {alpha:g}: {text}", ok))
    _emit(
        Check(
            "p-value",
            name,
            f"{test} {_p_text(lp)}",
            "exact distribution",
            f"p {'≥' if passed else '<'} {alpha:g}",
            passed,
            tuple(rules),
            note,
        )
    )


_TEST_POINTS = ("2/7", "3/11", "5/13", "7/19", "11/23", "13/29", "17/31", "19/37", "23/41", "29/43")


def _nonzero_at_a_point(residual):
    """A point where ``residual`` (an expression or matrix) is provably nonzero, or None.

    The free symbols get distinct rationals in (0, 1) (valid probabilities, temperatures,
    positive parameters); the residual is evaluated with 30 digits. Tries a few assignments.
    """
    import sympy as sp

    symbols = sorted(residual.free_symbols, key=lambda s: s.name)
    entries = list(residual) if isinstance(residual, sp.MatrixBase) else [residual]
    for shift in range(4):
        point = {s: sp.Rational(_TEST_POINTS[(i + shift) % len(_TEST_POINTS)]) for i, s in enumerate(symbols)}
        values = []
        for e in entries:
            try:
                v = complex(sp.N(e.subs(point), 30))
            except (TypeError, ValueError):
                v = complex("nan")
            values.append(v)
        finite = [abs(v) for v in values if math.isfinite(abs(v))]
        if len(finite) == len(values) and max(finite) > 1e-20:
            return point, max(finite)
    return None


def check_symbolic(
    name: str,
    lhs: object,
    rhs: object = 0,
    *,
    wrong: Mapping[str, object] | None = None,
    wrong_lhs: Mapping[str, object] | None = None,
    note: str | None = None,
) -> None:
    """A symbolic identity ``lhs == rhs``: passes when SymPy simplifies ``lhs - rhs`` to 0.

    ``lhs`` and ``rhs`` may be SymPy matrices, to check several identities at once.

    Wrong alternatives: ``wrong`` maps a label to a wrong right-hand side (a typo'd formula),
    ``wrong_lhs`` to a wrong left-hand side (a wrong derivation or estimator). Each is rejected
    only when its residual is shown nonzero by evaluating it, with 30 digits, at a point where
    the free symbols take rational values in (0, 1) (sorted by name, they get 2/7, 3/11, 5/13,
    ... in turn; the line names the point when it is short); failing to simplify is not enough.
    """
    import sympy as sp

    name = _name(name)
    alts = _alternatives(wrong, "wrong")
    alt_lhs = _alternatives(wrong_lhs, "wrong_lhs")
    note = _note(note, len(alts) + len(alt_lhs))
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)

    def simplified(a, b):
        r = sp.simplify(a - b)
        if isinstance(r, sp.MatrixBase):
            return r, bool(r.is_zero_matrix)
        return r, r == 0

    def shown(r) -> str:
        s = "0" if (r.is_zero_matrix if isinstance(r, sp.MatrixBase) else r == 0) else str(r)
        return s if len(s) <= 32 else s[:29] + "..."

    residual, passed = simplified(lhs, rhs)
    rules = []
    for (lab, alt), side in [*((item, "rhs") for item in alts.items()), *((item, "lhs") for item in alt_lhs.items())]:
        a, b = (lhs, sp.sympify(alt)) if side == "rhs" else (sp.sympify(alt), rhs)
        r, _ = simplified(a, b)
        found = _nonzero_at_a_point(r)
        if found is None:
            rules.append(RuleOut(lab, f"residual {shown(r)}", "not shown nonzero: NOT rejected", False))
            continue
        point, size = found
        where = ", ".join(f"{s} = {v}" for s, v in point.items())
        if not where:
            where = "everywhere"
        elif len(where) > 24:
            where = f"at the test point of its {len(point)} symbols"
        else:
            where = f"at {where}"
        crit = f"|residual| = {size:.3g} {where}: rejected"
        rules.append(RuleOut(lab, f"residual {shown(r)}", crit, True))
    _emit(
        Check(
            "symbolic",
            name,
            f"residual {shown(residual) if not passed else 0}",
            "exact 0",
            "simplifies to 0" if passed else "does not simplify to 0",
            passed,
            tuple(rules),
            note,
        )
    )
