"""Assertions shared by the tests of reparam's random streams: the draws a function takes from
its generator, and values within a few ulps of pinned ones."""

import numpy as np

ULPS = 16  # the tolerance of assert_ulps; the portability guard moves exp/log results by <= 4


def assert_draws_consumed(call, draw, seed):
    """``call(rng)`` advances a generator seeded with ``seed`` exactly as ``draw(rng)`` does."""
    used, reference = np.random.default_rng(seed), np.random.default_rng(seed)
    call(used)
    draw(reference)
    # pytest does not rewrite the asserts of a helper module: the messages say what differs.
    assert used.bit_generator.state == reference.bit_generator.state, (
        f"took other draws: {used.bit_generator.state} != {reference.bit_generator.state}"
    )


def assert_ulps(actual: np.ndarray, expected: object, ulps: int = ULPS) -> None:
    """``actual`` equals ``expected`` (same dtype) within ``ulps`` ulps of each row's largest entry."""
    expected = np.asarray(expected, dtype=actual.dtype)
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    scale = np.abs(expected)
    if scale.ndim:
        scale = np.broadcast_to(scale.max(axis=-1, keepdims=True), scale.shape)
    err = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
    bound = ulps * np.spacing(scale).astype(np.float64)
    assert np.all(err <= bound), f"off by up to {np.max(err / bound) * ulps:.1f} ulps:\n{actual!r}\n{expected!r}"
