"""reparam: the small NumPy package behind *The Reparameterization Trick, Executed*.

Samplers (Gumbel noise, Gumbel-max, Gumbel-softmax and its log-space form, Gumbel-top-k, the
Gaussian reparameterization), the Concrete and ExpConcrete densities, per-sample gradient
estimators with the exact gradients they estimate, and one-line executed checks. Symbolic
derivations live in :mod:`reparam.symbolic` (SymPy) and the figure style in
:mod:`reparam.plotting` (matplotlib); neither is imported here, so ``import reparam`` loads only
NumPy.

Every random function takes ``rng=``, which accepts what :func:`numpy.random.default_rng`
accepts: a :class:`numpy.random.Generator` (used and advanced), a
:class:`numpy.random.BitGenerator` (wrapped, and advanced), an int seed, a sequence of ints or a
:class:`numpy.random.SeedSequence`, a legacy ``RandomState`` (its bit generator), or None
(fresh entropy). Following NumPy, an argument of
the wrong type raises :class:`TypeError` and one of the right type but a wrong value raises
:class:`ValueError`; either message starts with the parameter's name.
"""

from .categorical import log_softmax, one_hot, softmax
from .checks import CheckFailed, check_close, check_mc, check_pvalue, check_symbolic
from .densities import concrete_log_density, exp_concrete_log_density
from .estimators import (
    categorical_exact_grad,
    gaussian_pathwise_grad,
    gaussian_score_grad,
    gumbel_softmax_grad,
    reinforce_grad,
)
from .gumbel import gumbel_max, gumbel_softmax, gumbel_top_k, log_gumbel_softmax, sample_gumbel
from .normal import sample_normal

__version__ = "0.1.0"

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
    "softmax",
    "log_softmax",
    "one_hot",
    "check_mc",
    "check_close",
    "check_pvalue",
    "check_symbolic",
    "CheckFailed",
]
