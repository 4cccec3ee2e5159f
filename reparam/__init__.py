"""reparam: the NumPy library behind *The Reparameterization Trick, Executed*.

Samplers (Gumbel noise, Gumbel-max, Gumbel-softmax and its log-space form, Gumbel-top-k, the
Gaussian reparameterization, truncated Gumbels and Gumbels conditioned on their argmax), the
Concrete and ExpConcrete densities, categorical helpers, and per-sample gradient estimators
(score function, with a leave-one-out baseline, pathwise through a relaxation, REBAR, RELAX)
with the exact gradients they estimate. ``import reparam`` loads
NumPy and nothing else.

The book's executed checks live apart, in :mod:`reparam.testing` (imported explicitly, as
``numpy.testing`` is), and the chapters' support code (figure style, SymPy derivations, the
Bernoulli toy, the verification ledger) in the separate package ``reparam_book``, which this
library never imports.

Every random function takes ``rng=``, which accepts what :func:`numpy.random.default_rng`
accepts (the ``rng`` parameter of each function says what; its text is written once, in
``reparam._docs``). Following NumPy, an argument of the wrong type raises
:class:`TypeError` and one of the right type but a wrong value raises :class:`ValueError`;
either message starts with the parameter's name.
"""

from .categorical import log_softmax, one_hot, softmax
from .control_variates import rebar_grad, reinforce_loo_grad, relax_grad
from .densities import concrete_log_density, exp_concrete_log_density
from .estimators import (
    categorical_exact_grad,
    gaussian_pathwise_grad,
    gaussian_score_grad,
    gumbel_softmax_grad,
    reinforce_grad,
)
from .gumbel import gumbel_max, gumbel_softmax, gumbel_top_k, log_gumbel_softmax, sample_gumbel
from .gumbel_truncation import conditional_gumbel, truncated_gumbel
from .normal import sample_normal

__version__ = "0.2.0"

__all__ = [
    "sample_gumbel",
    "gumbel_max",
    "gumbel_softmax",
    "log_gumbel_softmax",
    "gumbel_top_k",
    "sample_normal",
    "concrete_log_density",
    "exp_concrete_log_density",
    "categorical_exact_grad",
    "reinforce_grad",
    "gumbel_softmax_grad",
    "gaussian_pathwise_grad",
    "gaussian_score_grad",
    "truncated_gumbel",
    "conditional_gumbel",
    "reinforce_loo_grad",
    "rebar_grad",
    "relax_grad",
    "softmax",
    "log_softmax",
    "one_hot",
]

# The checks used to be exported here; they moved to reparam.testing (version 0.2.0). The old
# names still resolve, lazily and with a DeprecationWarning, as NumPy does for moved names.
_MOVED_TO_TESTING = ("check_mc", "check_close", "check_pvalue", "check_symbolic", "CheckFailed")


def __getattr__(name: str):
    if name in _MOVED_TO_TESTING:
        import warnings

        from . import testing

        warnings.warn(
            f"reparam.{name} is deprecated: use reparam.testing.{name} (the check harness is imported "
            "explicitly, as numpy.testing is)",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(testing, name)
    raise AttributeError(f"module 'reparam' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "testing"])
