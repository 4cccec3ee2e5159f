r"""The Gaussian reparameterization :math:`z = \mu + \sigma\varepsilon`."""

from __future__ import annotations

import numpy as np

from ._validate import as_generator, as_location, as_scale, as_size

__all__ = ["sample_normal"]


def sample_normal(
    mu: object, sigma: object, *, rng: object = None, size: object = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Draw :math:`z = \mu + \sigma\varepsilon` with :math:`\varepsilon \sim \mathcal N(0, 1)`.

    All randomness sits in the parameter-free :math:`\varepsilon`; the map from
    :math:`(\mu, \sigma)` to :math:`z` is differentiable, with
    :math:`\partial z/\partial\mu = 1` and :math:`\partial z/\partial\sigma = \varepsilon`.

    Parameters
    ----------
    mu : array_like
        Location (finite).
    sigma : array_like
        Scale (finite, >= 0); broadcast against ``mu``.
    rng : numpy.random.Generator, int or None
        Source of randomness.
    size : int, tuple of int or None
        Shape of independent draws prepended to the broadcast shape of ``mu`` and ``sigma``.

    Returns
    -------
    z, eps : numpy.ndarray
        Both of shape ``size + broadcast(mu, sigma).shape``; float32 if both parameters are
        float32, float64 otherwise.
    """
    m = as_location(mu, "mu")
    s = as_scale(sigma, "sigma")
    try:
        batch = np.broadcast_shapes(m.shape, s.shape)
    except ValueError:
        raise ValueError(
            f"sigma: shape {s.shape} does not broadcast with mu's shape {m.shape}"
        ) from None
    dt = np.result_type(m, s)
    eps = as_generator(rng).standard_normal(as_size(size) + batch, dtype=dt)
    z = m + s * eps
    return z, eps
