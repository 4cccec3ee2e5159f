"""reparam.testing: the book's executed checks and the statistics they use.

Imported explicitly, apart from the library (``from reparam.testing import check_mc``), as
``numpy.testing`` is. Each check shows what it verifies, the equations it backs and the wrong
answers (:class:`~reparam.testing.Wrong`, each with where it comes from) the same test rejects, leaves a record
of it in the notebook's outputs, and raises :class:`~reparam.testing.CheckFailed` when the claim is false or a
wrong answer is not rejected with enough estimated power (:mod:`reparam.testing.checks`); the test statistics and standard
errors come from :mod:`reparam.testing.stats`. This package needs NumPy; SciPy is imported by
the statistical tests that use it, and SymPy by :func:`check_symbolic`, when they are called.
"""

from . import stats
from .checks import (
    CheckFailed,
    CheckRecord,
    RuleOut,
    Wrong,
    capture_records,
    check_close,
    check_mc,
    check_pvalue,
    check_symbolic,
)
from .stats import *  # noqa: F403 (re-exports what stats.__all__ lists, below)

__all__ = [
    "check_mc",
    "check_close",
    "check_pvalue",
    "check_symbolic",
    "CheckFailed",
    "Wrong",
    "CheckRecord",
    "RuleOut",
    "capture_records",
    *stats.__all__,
]
