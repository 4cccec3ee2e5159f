r"""The Gaussian reparameterization :math:`z = \mu + \sigma\varepsilon`."""

from __future__ import annotations

import numpy as np

from ._docs import fill_doc
from ._validate import ArrayLike, RngLike, SizeLike, as_generator, as_location, as_scale, as_size

__all__ = ["sample_normal"]


@fill_doc
def sample_normal(
    mu: ArrayLike, sigma: ArrayLike, *, rng: RngLike = None, size: SizeLike = None
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
    %(rng)s
    size : int, tuple of int or None
        Shape of independent draws prepended to the broadcast shape of ``mu`` and ``sigma``.

    Returns
    -------
    z, eps : numpy.ndarray
        Both of shape ``size + broadcast(mu, sigma).shape``; float32 if both parameters are
        float32, float64 otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> import reparam as rp
    >>> z, eps = rp.sample_normal(1.0, 2.0, rng=0, size=3)
    >>> np.round(eps, 6)
    array([ 0.12573 , -0.132105,  0.640423])
    >>> np.round(z, 6)
    array([1.25146 , 0.73579 , 2.280845])

    The same seed gives the same :math:`\varepsilon` for any :math:`(\mu, \sigma)` (common
    random numbers), and the parameters broadcast:

    >>> z2, eps2 = rp.sample_normal([0.0, 10.0], [1.0, 0.1], rng=0, size=2)
    >>> eps2.shape
    (2, 2)
    >>> np.round(z2, 6)
    array([[ 0.12573 ,  9.98679 ],
           [ 0.640423, 10.01049 ]])
    """
    m = as_location(mu, "mu")
    s = as_scale(sigma, "sigma")
    try:
        batch = np.broadcast_shapes(m.shape, s.shape)
    except ValueError:
        raise ValueError(f"sigma: shape {s.shape} does not broadcast with mu's shape {m.shape}") from None
    dt = np.result_type(m, s)
    eps = as_generator(rng).standard_normal(as_size(size) + batch, dtype=dt)
    z = m + s * eps
    return z, eps
