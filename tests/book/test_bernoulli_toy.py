"""reparam.bernoulli_toy: one SGD step is the package's estimators, many runs run at once, and the
quadrature functions agree with closed forms, finite differences, limits and Monte Carlo."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, optimize, special

import reparam as rp
from reparam.testing import stats
from reparam_book import bernoulli_toy as bt

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


# ---------------------------------------------------------------------------------------------
# The quadrature functions: against closed forms, finite differences, limits and Monte Carlo
# ---------------------------------------------------------------------------------------------


def _uniform_integral(g, points=None):
    # int_0^1 g(u) du with u = sigma(Lambda): a change of variable independent of the logistic form
    return integrate.quad(g, 0.0, 1.0, epsabs=1e-13, epsrel=1e-11, limit=200, points=points)[0]


def _y1_tau1(phi, u):
    # y1 = sigma(phi + logit(u)) at tau = 1, as a rational function of u
    theta = 1 / (1 + np.exp(-phi))
    return theta * u / (theta * u + (1 - theta) * (1 - u))


def test_logistic_expectation_moments_of_the_logistic_law():
    assert bt.logistic_expectation(lambda x: 1.0) == pytest.approx(1.0, abs=1e-12)
    assert bt.logistic_expectation(lambda x: x) == pytest.approx(0.0, abs=1e-12)
    assert bt.logistic_expectation(lambda x: x**2) == pytest.approx(np.pi**2 / 3, rel=1e-10)
    assert bt.logistic_expectation(lambda x: x**4) == pytest.approx(7 * np.pi**4 / 15, rel=1e-10)
    # sigma(Lambda) is uniform; where the line is cut does not matter
    for split in (-3.0, 0.0, 2.5):
        assert bt.logistic_expectation(special.expit, split) == pytest.approx(0.5, abs=1e-12)
        assert bt.logistic_expectation(lambda x: special.expit(x) ** 2, split) == pytest.approx(1 / 3, abs=1e-12)


@pytest.mark.parametrize("t", [0.2, 0.45, 0.499])
def test_relaxed_functions_at_phi_0_tau_1_closed_forms(t):
    # y1 = sigma(Lambda) = U uniform on (0, 1)
    assert bt.relaxed_objective(0.0, t, tau=1.0) == pytest.approx(1 / 3 - t + t**2, abs=1e-12)
    assert bt.relaxed_grad(0.0, t, tau=1.0) == pytest.approx(1 / 6 - t / 3, abs=1e-12)
    assert bt.straight_through_mean(0.0, t, tau=1.0) == pytest.approx(1 / 6 - t / 3, abs=1e-12)
    assert bt.relaxed_mean(0.0, tau=1.0) == pytest.approx(0.5, abs=1e-12)
    # E[g^2] by exact polynomial integration: g = 2 (U - t) U (1 - U) for Gumbel-softmax
    poly = np.polynomial.Polynomial
    u = poly([0.0, 1.0])
    g = 2 * (u - t) * u * (1 - u)
    m1, m2 = (g.integ()(1.0) - g.integ()(0.0)), ((g**2).integ()(1.0) - (g**2).integ()(0.0))
    mean, var = bt.step_moments("gumbel_softmax", 0.0, t, tau=1.0)
    assert mean == pytest.approx(m1, abs=1e-12)
    assert var == pytest.approx(m2 - m1**2, abs=1e-12)
    # straight-through: g = 2 (1{U > 1/2} - t) U (1 - U), and each half of int u^2 (1 - u)^2 is 1/60
    mean, var = bt.step_moments("straight_through", 0.0, t, tau=1.0)
    assert var == pytest.approx(4 * (t**2 + (1 - t) ** 2) / 60 - m1**2, abs=1e-12)


@pytest.mark.parametrize("phi", [-2.0, -0.7, 1.5])
def test_relaxed_functions_at_tau_1_by_the_uniform_substitution(phi):
    t = 0.45
    want_R = _uniform_integral(lambda u: (_y1_tau1(phi, u) - t) ** 2)
    assert bt.relaxed_objective(phi, t, tau=1.0) == pytest.approx(want_R, rel=1e-9)
    want_mean = _uniform_integral(lambda u: _y1_tau1(phi, u))
    assert bt.relaxed_mean(phi, tau=1.0) == pytest.approx(want_mean, rel=1e-9)
    a = np.exp(phi)  # closed form of E[y1] at tau = 1
    assert bt.relaxed_mean(phi, tau=1.0) == pytest.approx(a / (a - 1) * (1 - np.log(a) / (a - 1)), rel=1e-9)
    jump = 1 - 1 / (1 + np.exp(-phi))  # b = 1{phi + Lambda > 0} = 1{U > 1 - theta}

    def st_step(u):
        return 2 * (float(u > jump) - t) * _y1_tau1(phi, u) * (1 - _y1_tau1(phi, u))

    want_st = _uniform_integral(st_step, points=[jump])
    assert bt.straight_through_mean(phi, t, tau=1.0) == pytest.approx(want_st, rel=1e-9)


@pytest.mark.parametrize("tau", [0.1, 0.5, 1.0, 2.0])
@pytest.mark.parametrize("phi", [-2.0, 0.0, 2.0])
def test_relaxed_grad_is_the_derivative_of_relaxed_objective(phi, tau):
    h = 1e-4
    fd = (bt.relaxed_objective(phi + h, T, tau=tau) - bt.relaxed_objective(phi - h, T, tau=tau)) / (2 * h)
    assert bt.relaxed_grad(phi, T, tau=tau) == pytest.approx(fd, rel=1e-6, abs=1e-9)


def test_relaxed_objective_limits_in_tau():
    for phi in (-2.0, 0.0, 1.0):
        theta = 1 / (1 + np.exp(-phi))
        # tau -> 0: the true objective L = t^2 + theta (1 - 2t), with a bias of order tau
        assert bt.relaxed_objective(phi, T, tau=1e-3) == pytest.approx(T**2 + theta * (1 - 2 * T), abs=2e-3)
        # tau -> infinity: y1 -> 1/2
        assert bt.relaxed_objective(phi, T, tau=1e4) == pytest.approx((0.5 - T) ** 2, abs=1e-4)
        # E[y1] -> theta as tau -> 0
        assert bt.relaxed_mean(phi, tau=1e-3) == pytest.approx(theta, abs=2e-3)


@pytest.mark.parametrize("phi, tau", [(-1.0, 0.5), (0.5, 1.0), (-2.0, 0.2)])
def test_step_moments_match_monte_carlo_of_step_gradient(phi, tau):
    n = 400_000
    lam = special.logit(np.random.default_rng(7).random(n))
    for estimator, mean_fn in (("gumbel_softmax", bt.relaxed_grad), ("straight_through", bt.straight_through_mean)):
        g = bt.step_gradient(estimator, np.full(n, phi), T, lam, tau=tau)
        mean, var = bt.step_moments(estimator, phi, T, tau=tau)
        assert mean == pytest.approx(mean_fn(phi, T, tau=tau), rel=1e-12, abs=1e-15)
        m, se = stats.mean_se(g)
        assert abs(m - mean) < 5 * se, estimator
        v, v_se = stats.variance_se(g)
        assert abs(v - var) < 5 * v_se, estimator


@pytest.mark.parametrize("tau, t", [(0.5, 0.45), (1.0, 0.45), (2.0, 0.45), (1.0, 0.499), (0.12, 0.45)])
def test_relaxed_argmin_is_a_root_of_relaxed_grad_and_a_minimum(tau, t):
    phi = bt.relaxed_argmin(t, tau=tau)
    root = optimize.brentq(lambda p: bt.relaxed_grad(p, t, tau=tau), -10, 1, xtol=1e-12)
    assert phi == pytest.approx(root, abs=1e-6)
    r = bt.relaxed_objective(phi, t, tau=tau)
    assert r <= bt.relaxed_objective(phi - 0.05, t, tau=tau)
    assert r <= bt.relaxed_objective(phi + 0.05, t, tau=tau)


def test_relaxed_argmin_runs_off_below_the_critical_temperature():
    # tau <= tau_c = 1 - 2t: R_tau increases, its infimum is at theta -> 0
    assert bt.relaxed_argmin(0.45, tau=0.1) == -np.inf
    assert bt.relaxed_argmin(0.45, tau=0.05) == -np.inf
    assert np.isfinite(bt.relaxed_argmin(0.499, tau=0.1))  # tau_c = 0.002 there


@pytest.mark.parametrize("tau", [0.05, 0.3, 0.5, 1.5])
def test_relaxed_excess_against_the_objective_and_its_tail(tau):
    # at a moderate phi, e^(-phi) (R_tau - t^2) from the plain objective
    phi = -3.0
    want = np.exp(-phi) * (bt.relaxed_objective(phi, T, tau=tau) - T**2)
    assert bt.relaxed_excess(phi, T, tau=tau) == pytest.approx(want, rel=1e-8)
    assert bt.relaxed_excess(phi, T, tau=tau, order=2) == pytest.approx(np.exp(-phi) * want, rel=1e-8)
    if tau < 1:  # the tail phi -> -inf: the slope pi tau / sin(pi tau) (1 - 2t - tau)
        slope = np.pi * tau / np.sin(np.pi * tau) * (1 - 2 * T - tau)
        assert bt.relaxed_excess(-30.0, T, tau=tau) == pytest.approx(slope, abs=1e-9)


def test_relaxed_excess_second_order_at_the_critical_temperature():
    tau_c = 1 - 2 * T
    second = 2 * np.pi * tau_c / np.sin(2 * np.pi * tau_c) * (2 * T + 2 * tau_c - 1)
    assert bt.relaxed_excess(-16.0, T, tau=tau_c, order=2) == pytest.approx(second, abs=1e-6)


def test_quadrature_functions_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="tau"):
        bt.relaxed_objective(0.0, T, tau=0.0)
    with pytest.raises(ValueError, match="t:"):
        bt.relaxed_grad(0.0, 1.2, tau=1.0)
    with pytest.raises(ValueError, match="phi"):
        bt.straight_through_mean(np.nan, T, tau=1.0)
    with pytest.raises(ValueError, match="estimator"):
        bt.step_moments("reinforce", 0.0, T, tau=1.0)
    with pytest.raises(ValueError, match="order"):
        bt.relaxed_excess(-3.0, T, tau=0.5, order=0)
    with pytest.raises(ValueError, match="split"):
        bt.logistic_expectation(lambda x: x, split=np.inf)
    with pytest.raises(TypeError, match="h"):
        bt.logistic_expectation(3.0)
    with pytest.raises(TypeError, match="tau"):
        bt.relaxed_mean(0.0, tau="1")
    with pytest.raises(TypeError, match="order"):
        bt.relaxed_excess(-3.0, T, tau=0.5, order=1.5)
    with pytest.raises(TypeError, match="estimator"):
        bt.step_moments(None, 0.0, T, tau=1.0)
    with pytest.raises(TypeError, match="t:"):
        bt.relaxed_argmin("0.45", tau=1.0)


# ---------------------------------------------------------------------------
# Pinned stream: the chapters' stored SGD outputs change if this does
# ---------------------------------------------------------------------------


def test_sgd_pinned():
    """The first steps of `sgd` for one seed (within a few ulps: they go through exp and log)."""
    phis = bt.sgd("gumbel_softmax", 0.45, steps=3, eta=1.0, runs=2, rng=1234, tau=0.5)
    expected = [[0.0, 0.0], [-0.21855839115393985, -0.21330513461328773]]
    expected += [[-0.44515332847811045, -0.061757863735812935], [-0.5221354924500352, 0.05086001321958651]]
    np.testing.assert_allclose(phis, expected, rtol=0, atol=1e-14)
    phis = bt.sgd("reinforce", 0.45, steps=3, eta=1.0, runs=2, rng=1234)
    expected = [[0.0, 0.0], [-0.15125000000000002, -0.15125000000000002]]
    expected += [[-0.31391652530577435, -0.057642467353452256], [-0.48871341314375116, 0.04069019046861516]]
    np.testing.assert_allclose(phis, expected, rtol=0, atol=1e-14)


def test_sgd_draws_consumed():
    """One step of `sgd` consumes one exponential per category, run and step."""
    used, reference = np.random.default_rng(1234), np.random.default_rng(1234)
    bt.sgd("reinforce", 0.45, steps=3, eta=1.0, runs=2, rng=used)
    reference.standard_exponential((3, 2, 2))
    assert used.bit_generator.state == reference.bit_generator.state
