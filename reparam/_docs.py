"""Parameter documentation shared by the public functions, written once (SciPy's doccer pattern).

A docstring names a shared parameter (or a shared section) by a line holding only
``%(name)s``, indented as the parameter would be; :func:`fill_doc` replaces that line by the
text below, indented to match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

__all__ = ["PARAMETERS", "RNG", "fill_doc"]

#: ``rng=``: what every random function accepts (``reparam._validate.as_generator`` checks it).
RNG = """\
rng : {None, int, sequence of int, numpy.random.SeedSequence, numpy.random.Generator, \
numpy.random.BitGenerator, numpy.random.RandomState}
    Source of randomness: what :func:`numpy.random.default_rng` accepts. A ``Generator`` is used
    and advanced; a ``BitGenerator`` is wrapped and advanced too; a non-negative int, a sequence
    of non-negative ints or a ``SeedSequence`` is a seed, so the same seed and shapes give the
    same noise (common random numbers across calls); a legacy ``RandomState`` lends its bit
    generator, which is advanced; ``None`` draws fresh entropy from the OS. A bool, a float or a
    string raises ``TypeError``, a negative seed ``ValueError``."""

PARAMETERS = {
    "rng": RNG,
    "logits": """\
logits : array_like, shape (..., k)
    Unnormalized log-probabilities, categories on the last axis; ``-inf`` marks a category
    that is never drawn.""",
    "n": """\
n : int
    Number of independent samples (>= 1).""",
    "n_estimates": """\
n : int
    Number of estimates.""",
    # Not a parameter: the Returns section of the estimators that return one estimate per row.
    "returns_estimates": """\
Returns
-------
numpy.ndarray, shape (n, k)""",
}

_PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)%\((?P<name>\w+)\)s[ \t]*$", re.M)

F = TypeVar("F", bound=Callable)


def fill_doc(func: F) -> F:
    """Replace the ``%(name)s`` lines of ``func.__doc__`` by the shared parameter texts."""

    def text(match: re.Match) -> str:
        indent = match["indent"]
        return "\n".join(indent + line for line in PARAMETERS[match["name"]].splitlines())

    if func.__doc__:
        func.__doc__ = _PLACEHOLDER.sub(text, func.__doc__)
    return func
