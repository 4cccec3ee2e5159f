"""reparam.bernoulli_toy: one SGD step is the package's estimators, and many runs run at once."""

from __future__ import annotations

import numpy as np
import pytest

import reparam as rp
from reparam import bernoulli_toy as bt

T = 0.45
F_VALUES = np.array([T**2, (1 - T) ** 2])


def _f(y):
    return (y[:, 1] - T) ** 2


def _df(y):
    return np.stack([np.zeros(len(y)), 2 * (y[:, 1] - T)], axis=-1)


@pytest.mark.parametrize("phi", [-1.3, 0.0, 0.7])
@pytest.mark.parametrize("seed", [1, 5, 9])
def test_step_gradient_is_the_packages_estimator_on_the_same_noise(phi, seed):
    logits = np.array([0.0, phi])
    g = rp.sample_gumbel((1, 2), rng=seed)  # the noise the estimators below draw
    lam = g[:, 1] - g[:, 0]
    for hard, name in ((False, "gumbel_softmax"), (True, "straight_through")):
        want = rp.gumbel_softmax_grad(logits, _f, _df, 0.5, n=1, rng=seed, hard=hard)[0, 1]
        got = bt.step_gradient(name, np.array([phi]), T, lam, tau=0.5)[0]
        assert got == pytest.approx(want, rel=1e-12, abs=1e-15)
    want = rp.reinforce_grad(logits, lambda y: F_VALUES[y], n=1, rng=seed, baseline=0.1)[0, 1]
    got = bt.step_gradient("reinforce", np.array([phi]), T, lam, baseline=0.1)[0]
    assert got == pytest.approx(want, rel=1e-12, abs=1e-15)
    exact = rp.categorical_exact_grad(logits, F_VALUES)[1]
    assert bt.step_gradient("exact", np.array([phi]), T)[0] == pytest.approx(exact, rel=1e-12)


def test_sgd_shape_start_and_seeded_runs():
    phis = bt.sgd("gumbel_softmax", T, steps=50, eta=1.0, runs=8, rng=3, tau=1.0)
    assert phis.shape == (51, 8)
    assert np.all(phis[0] == 0)
    np.testing.assert_array_equal(phis, bt.sgd("gumbel_softmax", T, steps=50, eta=1.0, runs=8, rng=3, tau=1.0))
    assert len(np.unique(phis[-1])) == 8  # independent noise per run


def test_sgd_exact_gradient_descends_the_true_objective():
    etas = 1.0 / (1.0 + np.arange(200) / 100)
    phis = bt.sgd("exact", T, steps=200, eta=etas, runs=1)
    assert np.all(np.diff(phis[:, 0]) < 0)  # dL/dphi > 0 for t < 1/2
    step0 = 1.0 * 0.25 * (1 - 2 * T)
    assert phis[1, 0] == pytest.approx(-step0)


def test_sgd_baselined_reinforce_is_unbiased_on_average():
    # one step from phi = 0 over many runs: the mean step is the exact gradient
    runs = 200_000
    for est in ("reinforce", "reinforce_mean_baseline", "reinforce_optimal_baseline"):
        step = -bt.sgd(est, T, steps=1, eta=1.0, runs=runs, rng=11)[1]
        se = step.std(ddof=1) / np.sqrt(runs) + 1e-15
        assert abs(step.mean() - 0.25 * (1 - 2 * T)) < 5 * se, est


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"estimator": "nope"}, "estimator"),
        ({"t": 1.5}, "t:"),
        ({"steps": 0}, "steps"),
        ({"runs": 0}, "runs"),
        ({"eta": -1.0}, "eta"),
        ({"eta": np.ones(3)}, "eta"),
        ({"ema": 0.0}, "ema"),
        ({"estimator": "gumbel_softmax", "tau": None}, "tau"),
        ({"estimator": "gumbel_softmax", "tau": -1.0}, "tau"),
    ],
)
def test_sgd_bad_input_names_the_parameter(kwargs, match):
    args = {"estimator": "reinforce", "t": T, "steps": 5, "eta": 1.0, "runs": 2, "tau": 1.0}
    args.update(kwargs)
    est = args.pop("estimator")
    t = args.pop("t")
    with pytest.raises(ValueError, match=match):
        bt.sgd(est, t, **args)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"estimator": 3}, "estimator"),
        ({"t": "0.5"}, "t:"),
        ({"steps": 5.0}, "steps"),
        ({"runs": 2.5}, "runs"),  # a float count is a wrong type (NumPy: size=2.5 is a TypeError)
        ({"runs": True}, "runs"),
        ({"eta": "0.1"}, "eta"),
        ({"ema": "0.5"}, "ema"),
        ({"estimator": "gumbel_softmax", "tau": "1"}, "tau"),
        ({"rng": "0"}, "rng"),
    ],
)
def test_sgd_wrong_type_is_a_type_error_naming_the_parameter(kwargs, match):
    args = {"estimator": "reinforce", "t": T, "steps": 5, "eta": 1.0, "runs": 2, "tau": 1.0}
    args.update(kwargs)
    est = args.pop("estimator")
    t = args.pop("t")
    with pytest.raises(TypeError, match=match):
        bt.sgd(est, t, **args)


def test_step_gradient_bad_input_names_the_parameter():
    phi, lam = np.zeros(3), np.ones(3)
    with pytest.raises(ValueError, match="estimator"):
        bt.step_gradient("reinforce_typo", phi, T, lam)  # once computed as plain REINFORCE
    with pytest.raises(TypeError, match="estimator"):
        bt.step_gradient(None, phi, T, lam)
    with pytest.raises(ValueError, match="lam"):
        bt.step_gradient("reinforce", phi, T)
    with pytest.raises(ValueError, match="tau"):
        bt.step_gradient("gumbel_softmax", phi, T, lam)


def test_sgd_accepts_numpy_scalars_with_the_same_result():
    a = bt.sgd("reinforce_mean_baseline", T, steps=20, eta=0.5, runs=4, rng=2, ema=0.1)
    b = bt.sgd(
        "reinforce_mean_baseline",
        np.float64(T),
        steps=np.int64(20),
        eta=np.array(0.5),
        runs=np.int32(4),
        rng=2,
        ema=np.float64(0.1),
    )
    np.testing.assert_array_equal(a, b)
