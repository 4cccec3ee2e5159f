"""reparam.testing: the book's executed checks and the statistics they use.

Imported explicitly, apart from the library (``from reparam.testing import check_mc``), as
``numpy.testing`` is. Each check prints what it verifies and the wrong answers the same test
rejects, and raises :class:`CheckFailed` when the claim is false or a wrong answer is not
rejected with enough power (:mod:`reparam.testing.checks`); the test statistics and standard
errors come from :mod:`reparam.testing.stats`. This package needs NumPy; SciPy is imported by
the statistical tests that use it, and SymPy by :func:`check_symbolic`, when they are called.
"""

from .checks import CheckFailed, check_close, check_mc, check_pvalue, check_symbolic
from .stats import TestResult, chisquare_test, contingency_test, frequencies_se, ks_test, mean_se, variance_se

__all__ = [
    "check_mc",
    "check_close",
    "check_pvalue",
    "check_symbolic",
    "CheckFailed",
    "TestResult",
    "chisquare_test",
    "contingency_test",
    "ks_test",
    "mean_se",
    "frequencies_se",
    "variance_se",
]
