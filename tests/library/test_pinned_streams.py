"""The pinned stream: the first draws of every sampler for one seed, as NumPy's own
``test_generator_mt19937.py`` pins its distributions.

The chapters' stored outputs depend on reparam's random streams, so a change to the noise (a
different number of draws, another dtype, a reordered call, ``-log(-log U)`` instead of
``-log E``) must be caught here in seconds, not minutes later by strict nbval.

What is exact on every CPU is pinned exactly: NumPy's own Exp(1) and N(0, 1) streams (none of
the pinned draws comes from the ziggurat's tail, the only branch that calls ``log``), category
indices, one-hot vectors, and the Gaussian samples (``mu + sigma * eps`` involves no
transcendental function). Floats that went through NumPy's ``exp``/``log`` (whose SIMD kernels
differ in the last bit between AVX-512, AVX2 and baseline hosts) are compared within
:data:`stream_assertions.ULPS` units in the last place of the largest entry of their row: the
portability guard's one-ulp perturbation of ``exp`` and ``log`` moves them by at most 4 such
ulps, while any change to the stream moves them by about 10^15 ulps.
"""

from __future__ import annotations

import numpy as np
import pytest
from stream_assertions import assert_draws_consumed, assert_ulps

import reparam

SEED = 1234
LOGITS = np.array([0.5, -1.0, 1.5, 0.0])
F_VALUES = np.array([1.0, -2.0, 0.5, 3.0])

# numpy.random.default_rng(1234).standard_exponential(8), exactly.
EXP64 = [
    "0x1.86132f6f29088p+0",
    "0x1.6de6b5cb5e803p-1",
    "0x1.d01be6541ff6cp+0",
    "0x1.a036d9f734132p-1",
    "0x1.f6f04c0ea33b0p-1",
    "0x1.af8fcbc9513ddp-2",
    "0x1.80cda12024d44p-3",
    "0x1.783ab977ce97bp-2",
]
# The same with dtype=float32 (another stream: float32 draws use 32 bits each).
EXP32 = [
    "0x1.b5d9ecp+1",
    "0x1.8c1a7ap+0",
    "0x1.e07dcap-1",
    "0x1.1e413ap+1",
    "0x1.af7c6cp-3",
    "0x1.38bf7ap+1",
    "0x1.b83f3ep-4",
    "0x1.76d210p-3",
]
# numpy.random.default_rng(1234).standard_normal(6), exactly.
NORMAL = [
    -1.6038368053963015,
    0.06409991400376411,
    0.7408912958767259,
    0.15261919356565307,
    0.8637438913233318,
    2.913099222503971,
]


def _hex(values: list[str], dtype: type) -> np.ndarray:
    return np.array([float.fromhex(v) for v in values]).astype(dtype)


# ---------------------------------------------------------------------------
# NumPy's streams that reparam's noise is made of
# ---------------------------------------------------------------------------


def test_numpy_exponential_stream_is_pinned():
    gen = np.random.default_rng(SEED)
    np.testing.assert_array_equal(gen.standard_exponential(8), _hex(EXP64, np.float64))
    gen = np.random.default_rng(SEED)
    e32 = gen.standard_exponential(8, dtype=np.float32)
    assert e32.dtype == np.float32
    np.testing.assert_array_equal(e32, _hex(EXP32, np.float32))


def test_numpy_normal_stream_is_pinned():
    np.testing.assert_array_equal(np.random.default_rng(SEED).standard_normal(6), NORMAL)


# ---------------------------------------------------------------------------
# The first draws of each sampler
# ---------------------------------------------------------------------------


def test_sample_gumbel_pinned():
    g = reparam.sample_gumbel(8, rng=SEED)
    assert g.dtype == np.float64
    assert_ulps(
        g,
        [
            -0.42116143653947613,
            0.3359612421081965,
            -0.5949419579381687,
            0.20712444114413267,
            0.017856409611645366,
            0.8640613081180295,
            1.6718868478841573,
            1.0012727617551944,
        ],
        ulps=4,  # elementwise: one logarithm per value
    )
    # G = -log E for the pinned exponential draws
    assert_ulps(g, -np.log(_hex(EXP64, np.float64)), ulps=4)


def test_sample_gumbel_float32_pinned():
    g = reparam.sample_gumbel(8, rng=SEED, dtype=np.float32)
    assert g.dtype == np.float32
    expected = [-1.2298489809036255, -0.43649792671203613, 0.06351537257432938, -0.8048520088195801]
    expected += [1.5573838949203491, -0.893367350101471, 2.2304301261901855, 1.698171615600586]
    assert_ulps(g, expected, ulps=4)
    assert_ulps(g, -np.log(_hex(EXP32, np.float32)), ulps=4)


GUMBEL_MAX = [2, 2, 2, 2, 2, 0, 0, 0, 2, 2, 0, 2]


def test_gumbel_max_pinned():
    idx = reparam.gumbel_max(LOGITS, rng=SEED, size=12)
    assert idx.dtype == np.int64
    np.testing.assert_array_equal(idx, GUMBEL_MAX)


def test_gumbel_max_float32_pinned():
    idx = reparam.gumbel_max(LOGITS.astype(np.float32), rng=SEED, size=12)
    np.testing.assert_array_equal(idx, [2, 2, 3, 2, 2, 2, 2, 3, 2, 3, 3, 2])


def test_gumbel_top_k_pinned():
    idx = reparam.gumbel_top_k(LOGITS, 3, rng=SEED, size=4)
    np.testing.assert_array_equal(idx, [[2, 3, 0], [2, 3, 0], [2, 0, 1], [2, 3, 1]])
    np.testing.assert_array_equal(idx[:, 0], GUMBEL_MAX[:4])  # the same noise as gumbel_max


GUMBEL_SOFTMAX = [
    [0.12922371074349984, 0.029247393292243393, 0.6745083474964847, 0.16702054846777203],
    [0.004857710374480281, 0.0013138700353901717, 0.9810545721147664, 0.012773847475363073],
    [0.1378116918803871, 0.0186369443818663, 0.839217824001764, 0.004333539735982409],
]


def test_gumbel_softmax_pinned():
    y = reparam.gumbel_softmax(LOGITS, 0.5, rng=SEED, size=3)
    assert y.dtype == np.float64
    assert_ulps(y, GUMBEL_SOFTMAX)


def test_gumbel_softmax_float32_pinned():
    y = reparam.gumbel_softmax(LOGITS.astype(np.float32), 0.5, rng=SEED, size=3)
    assert y.dtype == np.float32
    expected = [
        [0.00997239351272583, 0.002426677383482456, 0.9790176749229431, 0.008583269082009792],
        [0.03346781060099602, 1.2389343282848131e-05, 0.950203537940979, 0.016316212713718414],
        [0.2142733335494995, 0.004786684177815914, 0.03753959760069847, 0.7434003949165344],
    ]
    assert_ulps(y, expected)


def test_log_gumbel_softmax_pinned():
    log_y = reparam.log_gumbel_softmax(LOGITS, 0.5, rng=SEED, size=3)
    expected = [
        [-2.046210184784782, -3.5319648274894364, -0.3937712275821671, -1.7896384294175642],
        [-5.327188068441997, -6.634778271429229, -0.019127191896972904, -4.360355364154899],
        [-1.9818670772646527, -3.9826094111738213, -0.17528498284799737, -5.441370579942492],
    ]
    assert_ulps(log_y, expected)
    assert_ulps(np.exp(log_y), GUMBEL_SOFTMAX)  # the same noise as gumbel_softmax


def test_log_gumbel_softmax_float32_pinned():
    log_y = reparam.log_gumbel_softmax(LOGITS.astype(np.float32), 0.5, rng=SEED, size=3)
    assert log_y.dtype == np.float32
    expected = [
        [-4.607934474945068, -6.0212321281433105, -0.021205604076385498, -4.757940292358398],
        [-3.3971712589263916, -11.298673629760742, -0.05107903853058815, -4.115596294403076],
        [-1.5405027866363525, -5.341917514801025, -3.2823588848114014, -0.29652050137519836],
    ]
    assert_ulps(log_y, expected)


def test_gumbel_softmax_hard_pinned():
    y = reparam.gumbel_softmax(LOGITS, 0.5, rng=SEED, size=3, hard=True)
    np.testing.assert_array_equal(y, np.eye(4)[GUMBEL_MAX[:3]])


def test_sample_normal_pinned():
    z, eps = reparam.sample_normal(0.3, 1.2, rng=SEED, size=6)
    np.testing.assert_array_equal(eps, NORMAL)
    np.testing.assert_array_equal(z, 0.3 + 1.2 * np.array(NORMAL))


# ---------------------------------------------------------------------------
# The estimators built on the samplers
# ---------------------------------------------------------------------------


def test_reinforce_grad_pinned():
    g = reparam.reinforce_grad(LOGITS, lambda y: F_VALUES[y], n=6, rng=SEED, baseline=0.25)
    # (f(y) - b)(onehot(y) - p) for the categories 2, 2, 2, 2, 2, 0 drawn by gumbel_max
    row2 = [-0.05496991042583694, -0.01226544491666184, 0.10057629137742602, -0.03334093603492724]
    row0 = [0.5850902687224893, -0.03679633474998552, -0.44827112586772194, -0.10002280810478173]
    assert_ulps(g, [row2] * 5 + [row0])


def test_gumbel_softmax_grad_pinned():
    g = reparam.gumbel_softmax_grad(LOGITS, lambda y: (y**2).sum(-1), lambda y: 2 * y, 0.5, n=2, rng=SEED)
    expected = [
        [-0.1918650808610165, -0.05512129380635826, 0.4697189676476574, -0.22273259298028253],
        [-0.018610837794291714, -0.005052317459707365, 0.07219778323269108, -0.04853462797869187],
    ]
    assert_ulps(g, expected)


def test_gaussian_grads_pinned():
    eps = np.array(NORMAL[:3])
    z = 0.3 + 1.2 * eps
    gp = reparam.gaussian_pathwise_grad(0.3, 1.2, lambda v: 2 * v, n=3, rng=SEED)
    np.testing.assert_array_equal(gp, np.stack([2 * z, 2 * z * eps], axis=-1))
    gs = reparam.gaussian_score_grad(0.3, 1.2, lambda v: v**2, n=3, rng=SEED)
    np.testing.assert_allclose(gs, np.stack([z**2 * eps / 1.2, z**2 * (eps**2 - 1) / 1.2], -1), rtol=1e-15)
    expected = [[-3.527557121104771, 3.4581770291908533], [0.007588821328626089, -0.11790406437805155]]
    expected += [[0.8729467767673139, -0.5314800036225622]]
    np.testing.assert_array_equal(gs, expected)


# ---------------------------------------------------------------------------
# rng= accepts what numpy.random.default_rng accepts, with the same stream
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rng",
    [
        lambda: SEED,
        lambda: np.int64(SEED),
        lambda: np.random.SeedSequence(SEED),
        lambda: np.random.PCG64(SEED),
        lambda: np.random.Generator(np.random.PCG64(SEED)),
    ],
    ids=["int", "numpy_int", "SeedSequence", "BitGenerator", "Generator"],
)
def test_every_kind_of_seed_gives_the_pinned_stream(rng):
    np.testing.assert_array_equal(reparam.gumbel_max(LOGITS, rng=rng(), size=12), GUMBEL_MAX)
    assert_ulps(reparam.gumbel_softmax(LOGITS, 0.5, rng=rng(), size=3), GUMBEL_SOFTMAX)
    np.testing.assert_array_equal(reparam.sample_normal(0.3, 1.2, rng=rng(), size=6)[1], NORMAL)


def test_bit_generator_is_advanced_like_a_generator():
    bits = np.random.PCG64(SEED)
    first = reparam.gumbel_max(LOGITS, rng=bits, size=6)
    second = reparam.gumbel_max(LOGITS, rng=bits, size=6)
    np.testing.assert_array_equal(np.concatenate([first, second]), GUMBEL_MAX)


# ---------------------------------------------------------------------------
# How much of the generator each call consumes
# ---------------------------------------------------------------------------

# (call with a Generator, the draw it must consume from a fresh Generator of the same seed)
CONSUMPTION = {
    "sample_gumbel": (
        lambda g: reparam.sample_gumbel((5, 3), rng=g),
        lambda g: g.standard_exponential((5, 3)),
    ),
    "sample_gumbel_float32": (
        lambda g: reparam.sample_gumbel((5, 3), rng=g, dtype=np.float32),
        lambda g: g.standard_exponential((5, 3), dtype=np.float32),
    ),
    "gumbel_max": (
        lambda g: reparam.gumbel_max(LOGITS, rng=g, size=7),
        lambda g: g.standard_exponential((7, 4)),
    ),
    "gumbel_max_float32": (
        lambda g: reparam.gumbel_max(LOGITS.astype(np.float32), rng=g, size=(2, 7)),
        lambda g: g.standard_exponential((2, 7, 4), dtype=np.float32),
    ),
    "gumbel_softmax": (
        lambda g: reparam.gumbel_softmax(LOGITS, 0.5, rng=g, size=7),
        lambda g: g.standard_exponential((7, 4)),
    ),
    "gumbel_softmax_float32": (
        lambda g: reparam.gumbel_softmax(LOGITS.astype(np.float32), 0.5, rng=g, size=7),
        lambda g: g.standard_exponential((7, 4), dtype=np.float32),
    ),
    "gumbel_softmax_hard": (
        lambda g: reparam.gumbel_softmax(LOGITS, 0.5, rng=g, size=7, hard=True),
        lambda g: g.standard_exponential((7, 4)),
    ),
    "log_gumbel_softmax": (
        lambda g: reparam.log_gumbel_softmax(LOGITS, 0.5, rng=g, size=7),
        lambda g: g.standard_exponential((7, 4)),
    ),
    "log_gumbel_softmax_float32": (
        lambda g: reparam.log_gumbel_softmax(LOGITS.astype(np.float32), 0.5, rng=g, size=(2, 7)),
        lambda g: g.standard_exponential((2, 7, 4), dtype=np.float32),
    ),
    "gumbel_top_k": (
        lambda g: reparam.gumbel_top_k(LOGITS, 2, rng=g, size=7),
        lambda g: g.standard_exponential((7, 4)),
    ),
    "sample_normal": (
        lambda g: reparam.sample_normal(np.zeros(2), 1.0, rng=g, size=7),
        lambda g: g.standard_normal((7, 2)),
    ),
    "sample_normal_float32": (
        lambda g: reparam.sample_normal(np.float32(0), np.float32(1), rng=g, size=7),
        lambda g: g.standard_normal(7, dtype=np.float32),
    ),
    "reinforce_grad": (
        lambda g: reparam.reinforce_grad(LOGITS, lambda y: F_VALUES[y], n=7, rng=g),
        lambda g: g.standard_exponential((7, 4)),
    ),
    "gumbel_softmax_grad": (
        lambda g: reparam.gumbel_softmax_grad(LOGITS, lambda y: y.sum(-1), lambda y: y, 0.5, n=7, rng=g),
        lambda g: g.standard_exponential((7, 4)),
    ),
    "gaussian_pathwise_grad": (
        lambda g: reparam.gaussian_pathwise_grad(0.3, 1.2, lambda v: v, n=7, rng=g),
        lambda g: g.standard_normal(7),
    ),
    "gaussian_score_grad": (
        lambda g: reparam.gaussian_score_grad(0.3, 1.2, lambda v: v, n=7, rng=g),
        lambda g: g.standard_normal(7),
    ),
}


@pytest.mark.parametrize("name", sorted(CONSUMPTION))
def test_draws_consumed(name):
    call, draw = CONSUMPTION[name]
    assert_draws_consumed(call, draw, SEED)
