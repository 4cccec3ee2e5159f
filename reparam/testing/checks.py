r"""Executed checks that say what they verify, which equations they back, and what they rule out.

Every key equation in the book is backed by a check: a symbolic identity whose residual must
simplify to zero, a Monte Carlo estimate compared with the exact value in standard errors, a
p-value compared with a threshold, or a deterministic numerical comparison. A check counts as a
verification only when it also names a plausible wrong answer (:class:`~reparam.testing.Wrong`: its value and
where the mistake comes from: a slip of the source note, an error in the literature, a common
derivation error) and the same test, on the same data or at the same sample size, rejects it.

Each check produces one :class:`~reparam.testing.CheckRecord`: its kind, result, reference, criterion, the
equations it backs (``backs=``, labels such as ``"eq-mot-score"``) and uses (``uses=``), and one
:class:`~reparam.testing.RuleOut` per wrong answer. In a Jupyter kernel the record goes into the cell's outputs as
a JSON MIME bundle (``MIME``) beside its text (so strict nbval compares both); elsewhere the
text is printed. The book renders the check lines, the verification ledger, the anchors and the
equation marks from the records; nothing reads the printed text back. The text reads::

    ✔ sampling · mean of Gumbel(0, 1) · estimate 0.57738 ± 0.001 · exact 0.577216 · 0.16 SE from exact (pass ≤ 5 SE)
      ↳ rules out · mean 0 (derivation error) · wrong value 0 · 577.4 SE from the estimate: rejected, estimated power ≈ 1

A check that names no wrong answer must say why it is there (``note=``, for example a Monte
Carlo corroboration of a symbolic result); the ledger lists it apart, not counted.

A check raises :class:`~reparam.testing.CheckFailed` (after showing its lines, marked ``✘``) when the claim does
not hold *or* when a wrong answer is not rejected with enough estimated power, so a notebook
that stops being true, or whose check stops being able to fail, stops executing.

Error rates. A default of 5 standard errors gives a two-sided Gaussian tail probability of
5.7e-7, and the default p-value threshold is 1e-6, so a correct page fails with probability
below one in a million per check. A wrong answer must be rejected with estimated power at least
``1 - DEFAULT_MISS`` (``1 - 1e-6``): the plug-in estimate of the probability that a rerun of the
same test, with fresh noise, would *not* reject it must be below one in a million. It is an
estimate (it plugs the observed effect in for the true one), not a guarantee. For a Monte Carlo
check it needs the wrong value about 9.75 standard errors from the right one.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

import numpy as np

from .stats import mean_se

__all__ = [
    "MIME",
    "ORIGINS",
    "Wrong",
    "RuleOut",
    "CheckRecord",
    "CheckFailed",
    "capture_records",
    "check_mc",
    "check_close",
    "check_pvalue",
    "check_symbolic",
    "DEFAULT_TOL_SE",
    "DEFAULT_ALPHA",
    "DEFAULT_MISS",
]

DEFAULT_TOL_SE = 5.0
DEFAULT_ALPHA = 1e-6
DEFAULT_MISS = 1e-6
#: The MIME type of a check record in a notebook's outputs.
MIME = "application/vnd.reparam.check.v1+json"
SEP = " · "
PASS_MARK = "✔"
FAIL_MARK = "✘"
ARROW = "↳"
KINDS = ("symbolic", "sampling", "p-value", "numeric")
#: Where a wrong answer comes from, and how a check line names it.
ORIGINS = {
    "note": "slip of the note",
    "literature": "error in the literature",
    "derivation": "derivation error",
}
MAX_COMPONENTS_SHOWN = 4
MAX_LINE = 160


class CheckFailed(AssertionError):
    """Raised when an executed check does not hold, or cannot reject its wrong answer."""


@dataclass(frozen=True)
class Wrong:
    """A plausible wrong answer: its value and where the mistake comes from.

    ``origin`` is one of ``ORIGINS``: ``"note"`` (a slip of the source note),
    ``"literature"`` (an error in a paper or textbook) or ``"derivation"`` (a common derivation
    error); ``source`` says where, in a few words ("the note's second display", "drops the
    chain rule's 1/tau"). What ``value`` is depends on the check and the argument it is given
    in: a wrong reference value, a wrong right- or left-hand side, the samples of a wrong
    estimator, a wrong law's test result.

    Examples
    --------
    >>> Wrong(0.7, "derivation", "the factor 2 of d/dtheta (eps + theta)^2 dropped").origin
    'derivation'
    """

    value: object
    origin: str
    source: str = ""

    def __post_init__(self) -> None:
        if self.origin not in ORIGINS:
            raise ValueError(f"origin: must be one of {sorted(ORIGINS)}, got {self.origin!r}")
        if not isinstance(self.source, str):
            raise TypeError(f"source: must be a string, got {type(self.source).__name__}")


@dataclass(frozen=True)
class RuleOut:
    """A wrong answer and the result of the same test on it."""

    label: str
    result: str
    criterion: str
    rejected: bool
    power: str = ""
    origin: str = ""
    source: str = ""

    def line(self) -> str:
        head = f"  {ARROW} rules out" if self.rejected else f"  {ARROW} {FAIL_MARK} NOT ruled out"
        label = f"{self.label} ({ORIGINS[self.origin]})" if self.origin else self.label
        verdict = self.criterion + (f", estimated power {self.power}" if self.power else "")
        return SEP.join([head, label, self.result, verdict])


@dataclass(frozen=True)
class CheckRecord:
    """One executed check: what the book renders its line, the ledger and the equation marks from.

    The string fields hold exactly what the check line prints, already rounded to what the test
    vouches for, so that the stored record is the same on every machine.
    """

    kind: str
    name: str
    result: str
    reference: str
    criterion: str
    passed: bool
    backs: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    rules_out: tuple[RuleOut, ...] = ()
    note: str = ""
    version: int = field(default=1, compare=False)

    @property
    def counted(self) -> bool:
        """A verification: it passed and named wrong answers, all rejected, each with an origin."""
        return self.passed and bool(self.rules_out) and all(r.rejected and r.origin in ORIGINS for r in self.rules_out)

    def line(self) -> str:
        """The first line: the claim and its test."""
        mark = PASS_MARK if self.passed else FAIL_MARK
        fields = [f"{mark} {self.kind}", self.name, self.result, self.reference, self.criterion]
        return SEP.join(f for f in fields if f)

    def lines(self) -> list[str]:
        """Everything the check shows: its line, the wrong answers it rules out, or its note."""
        out = [self.line()] + [r.line() for r in self.rules_out]
        if self.note:
            out.append(f"  {ARROW} not counted{SEP}{self.note}")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())

    def to_json(self) -> dict:
        """The record as plain JSON data (the MIME bundle's content)."""
        data = asdict(self)
        data["backs"], data["uses"] = list(self.backs), list(self.uses)
        data["rules_out"] = [asdict(r) for r in self.rules_out]
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> CheckRecord:
        """The record back from :meth:`to_json`'s data (as stored in a notebook)."""
        if data.get("version", 1) != 1:
            raise ValueError(f"data: a check record of version {data.get('version')}, this reader knows 1")
        fields = dict(data)
        fields["backs"], fields["uses"] = tuple(fields.get("backs", ())), tuple(fields.get("uses", ()))
        fields["rules_out"] = tuple(RuleOut(**r) for r in fields.get("rules_out", ()))
        return cls(**fields)


_listeners: list[list[CheckRecord]] = []


@contextlib.contextmanager
def capture_records() -> Iterator[list[CheckRecord]]:
    """Collect the records of the checks run inside the ``with`` block (they still show as usual).

    Examples
    --------
    >>> from reparam.testing import check_close
    >>> with capture_records() as records:
    ...     check_close("one third", 1 / 3, 1 / 3, note="an example")
    ✔ numeric · one third · value 0.33333333 · exact 0.33333333 · |error| ≤ 3.3e-10
      ↳ not counted · an example
    >>> records[0].passed, records[0].counted
    (True, False)
    """
    records: list[CheckRecord] = []
    _listeners.append(records)
    try:
        yield records
    finally:
        _listeners.remove(records)


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _emit(record: CheckRecord) -> None:
    for listener in _listeners:
        listener.append(record)
    text = record.text()
    if _in_kernel():
        from IPython.display import display

        display({"text/plain": text, MIME: record.to_json()}, raw=True)
    else:
        print(text)
    if not record.passed or not all(r.rejected for r in record.rules_out):
        raise CheckFailed(text)


def _name(name: str, what: str = "name") -> str:
    if not isinstance(name, str) or not name.strip() or SEP.strip() in name:
        raise ValueError(f"{what}: must be a non-empty string without '{SEP.strip()}', got {name!r}")
    return name.strip()


def _labels(labels: object, what: str) -> tuple[str, ...]:
    """Equation labels (``backs=``, ``uses=``): a string or a sequence of strings."""
    if labels is None:
        return ()
    if isinstance(labels, str):
        labels = (labels,)
    if not isinstance(labels, Sequence) or not all(isinstance(x, str) and x.strip() for x in labels):
        raise TypeError(f"{what}: must be an equation label or a sequence of them, got {labels!r}")
    return tuple(x.strip() for x in labels)


class _Alternative(NamedTuple):
    value: object
    origin: str  # "" when the caller gave a bare value: such a rule-out is not counted
    source: str


def _alternatives(wrong: object, what: str) -> dict[str, _Alternative]:
    """``{label: Wrong(...)}``; a bare value is a wrong answer of unknown origin (not counted)."""
    if wrong is None:
        return {}
    if not isinstance(wrong, Mapping):
        raise TypeError(f"{what}: must be a mapping from a label to a wrong answer, got {type(wrong).__name__}")
    return {
        _name(k, what): _Alternative(v.value, v.origin, v.source) if isinstance(v, Wrong) else _Alternative(v, "", "")
        for k, v in wrong.items()
    }


def _note(note: object, n_wrong: int) -> str:
    if note is None:
        return ""
    if n_wrong:
        raise ValueError("note: a check that rules out wrong answers is counted; give either wrong or note")
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
    """The estimated power, for a newcomer: "≈ 1" when the miss is below one in a million."""
    if miss <= DEFAULT_MISS:
        return "≈ 1"
    return f"≈ {1 - miss:.4f}".rstrip("0").rstrip(".")


def _rule(label: str, wrong: _Alternative, result: str, criterion: str, rejected: bool, miss: float | None) -> RuleOut:
    """A rule-out; ``miss`` None for deterministic tests (symbolic, numeric), where rejection is certain."""
    if miss is None:
        ok, power = rejected, ""
    else:
        ok = rejected and miss <= DEFAULT_MISS
        power = _power_text(miss)
        if rejected and not ok:
            criterion += f" but with too little power (needs ≈ 1, miss ≤ {DEFAULT_MISS:g})"
    return RuleOut(label, result, criterion, ok, power, wrong.origin, wrong.source)


def _worst(z: np.ndarray) -> int:
    return int(np.argmax(z)) if np.ndim(z) else 0


def _z_scores(est: np.ndarray, err: np.ndarray, ex: np.ndarray, atol: float) -> np.ndarray:
    diff = np.maximum(np.abs(est - ex) - atol, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(err > 0, diff / np.where(err > 0, err, 1.0), np.where(diff == 0, 0.0, np.inf))


def _mean_se(samples: object, what: str) -> tuple[np.ndarray, np.ndarray, int]:
    """:func:`reparam.testing.mean_se` and the sample size; errors name ``what``."""
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


def _se_text(z: float, size: int, atol: float) -> str:
    """``4.6 SE`` (the worst component of a vector: ``worst 4.6 SE``), beyond ``atol`` if set."""
    head = "worst " if size > 1 else ""
    tail = f" beyond atol {atol:g}" if atol else ""
    return f"{head}{z:.2f} SE{tail}"


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
    backs: str | Sequence[str] | None = None,
    uses: str | Sequence[str] | None = None,
    wrong: Mapping[str, Wrong] | None = None,
    wrong_samples: Mapping[str, Wrong] | None = None,
    note: str | None = None,
) -> None:
    r"""Compare a Monte Carlo estimate with an exact value, in standard errors.

    Give either per-sample values ``samples`` (shape (n,) or (n, d): the estimate is their mean
    and the standard error :math:`s/\sqrt n`), or ``estimate`` and ``se`` directly. The check
    passes when every component lies within ``tol_se`` standard errors of ``exact`` (plus
    ``atol``, for estimators whose variance is exactly zero, where the standard error is pure
    rounding noise). A vector of more than four components shows its worst component only.

    ``backs`` names the equations the check verifies, ``uses`` those it only relies on.

    Wrong answers (:class:`~reparam.testing.Wrong`), each rejected with estimated power at least
    ``1 - DEFAULT_MISS``:

    ``wrong``
        label -> a wrong exact value (a slipped or incomplete formula for the same quantity). The
        same estimate must lie more than ``tol_se`` standard errors from it; the power is
        :math:`P(|Z + \delta| > \text{tol})` with :math:`\delta = |\text{wrong} - \text{exact}|/\text{se}`.
    ``wrong_samples``
        label -> per-sample values of a wrong estimator at the same sample size (or an
        ``(estimate, se)`` pair when the check was given ``estimate`` and ``se``), compared with
        the same exact value; the power is estimated from the observed distance.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(0.5, 1.0, size=40_000)
    >>> check_mc("mean of N(0.5, 1)", x, exact=0.5,
    ...          wrong={"mean 0": Wrong(0.0, "derivation", "location left out")})
    ✔ sampling · mean of N(0.5, 1) · estimate 0.50226 ± 0.005 · exact 0.5 · 0.45 SE from exact (pass ≤ 5 SE)
      ↳ rules out · mean 0 (derivation error) · wrong value 0 · 100.26 SE from the estimate: rejected, estimated power ≈ 1
    """
    name = _name(name)
    alts = _alternatives(wrong, "wrong")
    alt_samples = _alternatives(wrong_samples, "wrong_samples")
    note = _note(note, len(alts) + len(alt_samples))
    backs, uses = _labels(backs, "backs"), _labels(uses, "uses")
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
    size = int(np.size(z))

    rules: list[RuleOut] = []
    for lab, w in alts.items():
        value = np.asarray(w.value, dtype=np.float64)
        _finite("wrong", value)
        zw = _z_scores(est, err, value, atol)
        delta = _z_scores(ex, err, value, atol)  # the shift a correct estimator sees, in its SE
        miss = min(_miss_two_sided(float(d), tol_se) for d in np.ravel(delta))
        j = _worst(zw)
        shown = (
            f"wrong value {_fmt(value, digits + 1)}"
            if np.size(value) <= MAX_COMPONENTS_SHOWN
            else f"wrong value[{j}] {_fmt(np.ravel(value)[j], digits + 1)}"
        )
        zw_max = float(np.max(zw))
        rejected = zw_max > tol_se
        crit = f"{_se_text(zw_max, size, atol)} from the estimate: " + ("rejected" if rejected else "NOT rejected")
        rules.append(_rule(lab, w, shown, crit, rejected, miss))
    for lab, w in alt_samples.items():
        if n is not None:
            est_w, err_w, n_w = _mean_se(w.value, "wrong_samples")
            if n_w != n:
                raise ValueError(f"wrong_samples: {lab!r} has {n_w} samples, the check has {n}: use the same size")
        else:
            if not (isinstance(w.value, tuple) and len(w.value) == 2):
                raise TypeError("wrong_samples: with estimate and se, give (estimate, se) pairs")
            est_w, err_w = (np.asarray(v, dtype=np.float64) for v in w.value)
        _finite("wrong_samples", est_w, err_w)
        zw = _z_scores(est_w, err_w, ex, atol)
        zw_max = float(np.max(zw))
        rejected = zw_max > tol_se
        shown, _ = _mc_fields(est_w, err_w, ex, zw, digits)
        crit = f"{_se_text(zw_max, size, atol)} from exact: " + ("rejected" if rejected else "NOT rejected")
        rules.append(_rule(lab, w, "its " + shown, crit, rejected, _miss_two_sided(zw_max, tol_se)))

    est_field, exact_field = _mc_fields(est, err, ex, z, digits)
    criterion = f"{_se_text(zmax, size, atol)} from exact ({'pass' if passed else 'FAIL: needs'} ≤ {tol_se:g} SE)"
    _emit(CheckRecord("sampling", name, est_field, exact_field, criterion, passed, backs, uses, tuple(rules), note))


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
    backs: str | Sequence[str] | None = None,
    uses: str | Sequence[str] | None = None,
    wrong: Mapping[str, Wrong] | None = None,
    wrong_value: Mapping[str, Wrong] | None = None,
    note: str | None = None,
) -> None:
    """Compare a deterministic numerical result (quadrature, optimisation) with an exact value.

    Passes when ``max |value - exact| <= atol + rtol * max |exact|``. The line shows ``value``
    and ``exact`` to ``digits`` significant digits, but not beyond the decimal place of the
    tolerance, and the criterion as ``|error| ≤ tolerance``: the size of an error far below the
    tolerance is roundoff, which differs between CPUs, so it is not printed (a failed check
    prints it).

    Wrong answers (:class:`~reparam.testing.Wrong`), each of which the same comparison must reject (there is no
    noise, so rejection is certain): ``wrong`` maps a label to a wrong exact value (a slipped
    formula), ``wrong_value`` maps a label to the value a wrong method computes.

    Examples
    --------
    >>> check_close("1/3 by a series", sum(2.0**-k for k in range(2, 60, 2)), 1 / 3, rtol=1e-12,
    ...             wrong={"1/2": Wrong(0.5, "derivation", "odd powers summed")})
    ✔ numeric · 1/3 by a series · value 0.33333333 · exact 0.33333333 · |error| ≤ 3.3e-13
      ↳ rules out · 1/2 (derivation error) · wrong value 0.5 · |error| = 1.7e-01 > 3.3e-13: rejected
    """
    name = _name(name)
    alts = _alternatives(wrong, "wrong")
    alt_values = _alternatives(wrong_value, "wrong_value")
    note = _note(note, len(alts) + len(alt_values))
    backs, uses = _labels(backs, "backs"), _labels(uses, "uses")
    v = np.asarray(value, dtype=np.float64)
    ex = np.asarray(exact, dtype=np.float64)
    err = float(np.max(np.abs(v - ex)))
    tol = float(atol + rtol * np.max(np.abs(ex)))
    passed = bool(np.isfinite(err)) and err <= tol
    criterion = f"|error| ≤ {tol:.1e}" if passed else f"|error| = {err:.1e} > {tol:.1e}: FAIL"
    rules = []
    for what, table, against in (("wrong value", alts, v), ("wrong method's value", alt_values, ex)):
        for lab, w in table.items():
            alt = np.asarray(w.value, dtype=np.float64)
            err_w = float(np.max(np.abs(against - alt)))
            rejected = not (err_w <= tol)  # NaN counts as rejected: the comparison fails
            rel = ">" if rejected else "≤"
            crit = f"|error| = {err_w:.1e} {rel} {tol:.1e}: {'rejected' if rejected else 'NOT rejected'}"
            rules.append(_rule(lab, w, f"{what} {_fmt_to(alt, digits, tol)}", crit, rejected, None))
    _emit(
        CheckRecord(
            "numeric",
            name,
            f"value {_fmt_to(v, digits, tol)}",
            f"exact {_fmt_to(ex, digits, tol)}",
            criterion,
            passed,
            backs,
            uses,
            tuple(rules),
            note,
        )
    )


def _log10_p(result: object, what: str) -> float:
    """log10 of a p-value given as a float or as a test result with ``log10_pvalue``."""
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


def _pvalue_miss(result: object, lp: float, alpha: float) -> float:
    """Estimated probability that a rerun of the test on the wrong law does not reject.

    A test result estimates it itself (``estimated_miss``: for example the noncentral
    chi-square of :class:`reparam.testing.ChiSquareResult`); a bare p-value is read on the
    normal scale, as :meth:`reparam.testing.TestResult.estimated_miss` does.
    """
    if hasattr(result, "estimated_miss"):
        return float(result.estimated_miss(alpha))
    from .stats import TestResult

    return TestResult("test", math.nan, None, lp).estimated_miss(alpha)


def check_pvalue(
    name: str,
    pvalue: object,
    *,
    alpha: float = DEFAULT_ALPHA,
    test: str | None = None,
    backs: str | Sequence[str] | None = None,
    uses: str | Sequence[str] | None = None,
    wrong: Mapping[str, Wrong] | None = None,
    note: str | None = None,
) -> None:
    """A goodness-of-fit test: passes when its p-value is at least ``alpha``.

    ``pvalue`` is a float, or a test result with ``log10_pvalue`` (and ``test``), such as
    :func:`reparam.testing.chisquare_test` returns; use a result when the p-value of a
    wrong law underflows. ``wrong`` maps a label to a :class:`~reparam.testing.Wrong` holding the same test's
    result on a wrong sampler or law at the same sample size; it must give ``p < alpha`` with
    estimated power at least ``1 - DEFAULT_MISS`` (the result's own ``estimated_miss``).

    Examples
    --------
    >>> from reparam.testing import chisquare_test
    >>> check_pvalue("fair coin", chisquare_test([5020, 4980], [0.5, 0.5]),
    ...              wrong={"p = 0.6": Wrong(chisquare_test([5020, 4980], [0.6, 0.4]), "derivation")})
    ✔ p-value · fair coin · chi-square p = 0.689 · the exact law · p ≥ 1e-06 (pass)
      ↳ rules out · p = 0.6 (derivation error) · chi-square log10 p = -88.3 · p < 1e-06: rejected, estimated power ≈ 1
    """
    name = _name(name)
    alts = _alternatives(wrong, "wrong")
    note = _note(note, len(alts))
    backs, uses = _labels(backs, "backs"), _labels(uses, "uses")
    test = test or getattr(pvalue, "test", None) or "test"
    lp = _log10_p(pvalue, "pvalue")
    passed = lp >= math.log10(alpha)
    rules = []
    for lab, w in alts.items():
        lpw = _log10_p(w.value, "wrong")
        rejected = lpw < math.log10(alpha)
        crit = f"p {'<' if rejected else '≥'} {alpha:g}: {'rejected' if rejected else 'NOT rejected'}"
        name_w = getattr(w.value, "test", None) or test
        rules.append(_rule(lab, w, f"{name_w} {_p_text(lpw)}", crit, rejected, _pvalue_miss(w.value, lpw, alpha)))
    criterion = f"p {'≥' if passed else '<'} {alpha:g} ({'pass' if passed else 'FAIL'})"
    _emit(
        CheckRecord(
            "p-value",
            name,
            f"{test} {_p_text(lp)}",
            "the exact law",
            criterion,
            passed,
            backs,
            uses,
            tuple(rules),
            note,
        )
    )


_TEST_POINTS = ("2/7", "3/11", "5/13", "7/19", "11/23", "13/29", "17/31", "19/37", "23/41", "29/43")


def _points(points: object, symbols: list) -> list[dict]:
    """The points at which a residual is evaluated: the caller's, or distinct rationals in (0, 1)."""
    import sympy as sp

    if points is None:
        return [
            {s: sp.Rational(_TEST_POINTS[(i + shift) % len(_TEST_POINTS)]) for i, s in enumerate(symbols)}
            for shift in range(4)
        ]
    if isinstance(points, Mapping):
        points = [points]
    out = []
    for point in points:
        if not isinstance(point, Mapping):
            raise TypeError(f"points: must be a mapping from symbols to values, or a list of them, got {point!r}")
        out.append({sp.sympify(k): sp.sympify(v) for k, v in point.items()})
    return out


def _nonzero_at_a_point(residual, points: object):
    """A point where ``residual`` (an expression or matrix) is provably nonzero, with its size.

    The residual is evaluated with 30 digits at each point in turn; every free symbol must get a
    value. None when it is zero (or not finite) at every point.
    """
    import sympy as sp

    symbols = sorted(residual.free_symbols, key=lambda s: s.name)
    entries = list(residual) if isinstance(residual, sp.MatrixBase) else [residual]
    for point in _points(points, symbols):
        missing = [s for s in symbols if s not in point]
        if missing:
            raise ValueError(f"points: no value for {', '.join(map(str, missing))}")
        values = []
        for e in entries:
            try:
                v = complex(sp.N(e.subs(point), 30))
            except (TypeError, ValueError):
                v = complex("nan")
            values.append(v)
        finite = [abs(v) for v in values if math.isfinite(abs(v))]
        if len(finite) == len(values) and max(finite) > 1e-20:
            return {s: point[s] for s in symbols}, max(finite)
    return None


def _where(point: dict) -> str:
    if not point:
        return "everywhere"
    where = ", ".join(f"{s} = {v}" for s, v in point.items())
    return f"at {where}" if len(where) <= 40 else f"at the test point of its {len(point)} symbols"


def check_symbolic(
    name: str,
    lhs: object,
    rhs: object = 0,
    *,
    points: object = None,
    backs: str | Sequence[str] | None = None,
    uses: str | Sequence[str] | None = None,
    wrong: Mapping[str, Wrong] | None = None,
    wrong_lhs: Mapping[str, Wrong] | None = None,
    note: str | None = None,
) -> None:
    """A symbolic identity ``lhs == rhs``: passes when SymPy simplifies ``lhs - rhs`` to 0.

    ``lhs`` and ``rhs`` may be SymPy matrices, to check several identities at once.

    Wrong answers (:class:`~reparam.testing.Wrong`): ``wrong`` maps a label to a wrong right-hand side (a slipped
    formula), ``wrong_lhs`` to a wrong left-hand side (a wrong derivation or estimator). Each is
    rejected only when its residual is shown nonzero by evaluating it, with 30 digits, at a
    point of the formula's domain; failing to simplify is not enough. ``points`` gives those
    points (a mapping from every free symbol to a value, or a list of them: probabilities on the
    simplex, positive scales and temperatures); by default the symbols, sorted by name, get the
    distinct rationals 2/7, 3/11, 5/13, ... in (0, 1), which suits probabilities that need not
    sum to 1, positive parameters and temperatures, but not a point on a simplex.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol("t", positive=True)
    >>> check_symbolic("d/dt t^2", sp.diff(t**2, t), 2 * t,
    ...                wrong={"t, power rule without its factor": Wrong(t, "derivation")})
    ✔ symbolic · d/dt t^2 · lhs - rhs simplifies to 0
      ↳ rules out · t, power rule without its factor (derivation error) · residual 0.286 at t = 2/7 · nonzero: rejected
    """
    import sympy as sp

    name = _name(name)
    alts = _alternatives(wrong, "wrong")
    alt_lhs = _alternatives(wrong_lhs, "wrong_lhs")
    note = _note(note, len(alts) + len(alt_lhs))
    backs, uses = _labels(backs, "backs"), _labels(uses, "uses")
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)

    def simplified(a, b):
        r = sp.simplify(a - b)
        if isinstance(r, sp.MatrixBase):
            return r, bool(r.is_zero_matrix)
        return r, r == 0

    residual, passed = simplified(lhs, rhs)
    rules = []
    for (lab, w), side in [*((item, "rhs") for item in alts.items()), *((item, "lhs") for item in alt_lhs.items())]:
        a, b = (lhs, sp.sympify(w.value)) if side == "rhs" else (sp.sympify(w.value), rhs)
        r, _ = simplified(a, b)
        found = _nonzero_at_a_point(r, points)
        if found is None:
            rules.append(_rule(lab, w, "residual 0 at every test point", "NOT rejected", False, None))
            continue
        point, size = found
        rules.append(_rule(lab, w, f"residual {size:.3g} {_where(point)}", "nonzero: rejected", True, None))
    if passed:
        result, criterion = "lhs - rhs simplifies to 0", ""
    else:
        found = _nonzero_at_a_point(residual, points)
        result = f"residual {found[1]:.3g} {_where(found[0])}" if found else "residual does not simplify"
        criterion = "does not simplify to 0: FAIL"
    _emit(CheckRecord("symbolic", name, result, "", criterion, passed, backs, uses, tuple(rules), note))
