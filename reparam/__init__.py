"""reparam: the small NumPy package behind *The Reparameterization Trick, Executed*.

Samplers (Gumbel noise, Gumbel-max, Gumbel-softmax, Gumbel-top-k, the Gaussian
reparameterization), the Concrete density, per-sample gradient estimators with the exact
gradients they estimate, and one-line executed checks. Symbolic derivations live in
:mod:`reparam.symbolic` (SymPy) and the figure style in :mod:`reparam.plotting` (matplotlib);
neither is imported here, so ``import reparam`` loads only NumPy.

Every random function takes ``rng=``: a :class:`numpy.random.Generator`, an int seed or None.
"""

from .categorical import log_softmax, one_hot, softmax
from .checks import CheckFailed, check_close, check_mc, check_pvalue, check_rejects, check_symbolic
from .densities import concrete_log_density
from .estimators import (
    categorical_exact_grad,
    gaussian_pathwise_grad,
    gaussian_score_grad,
    gumbel_softmax_grad,
    reinforce_grad,
)
from .gumbel import gumbel_max, gumbel_softmax, gumbel_top_k, sample_gumbel
from .normal import sample_normal

__version__ = "0.1.0"

__all__ = [
    "sample_gumbel",
    "gumbel_max",
    "gumbel_softmax",
    "gumbel_top_k",
    "sample_normal",
    "concrete_log_density",
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
    "check_rejects",
    "check_symbolic",
    "CheckFailed",
]
