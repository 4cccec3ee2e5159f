"""Tests of ``reparam_book.one_bit_adam``, chapter 7's one-bit engine.

Errors; the engine's estimates against the library's (``reparam.reinforce_grad``,
``reparam.control_variates``) on the same noise, draw for draw; the hand-written derivatives
(REBAR's in eta and log tau, the network's in d) against autograd's; the gradient of g^2 in psi
against central differences; REBAR's exact variance (quadrature) against its closed form and
against sampling, with size below 1e-6 and the power to reject the unconditional sample's
variance; and the runs: shapes, reproducibility, common noise across estimators, and autograd
kept out of ``import reparam``.
"""

from __future__ import annotations

import subprocess
import sys

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import elementwise_grad, grad

import reparam
from reparam.control_variates import rebar_grad, reinforce_loo_grad, relax_grad
from reparam_book import one_bit_adam as ob

PHI, T, ETA, TAU = -1.0, 0.45, 0.8, 0.5
N = 2000


def library_noise(seed, n=N):
    """The two Exp(1) blocks (n, 2) of relax_grad and rebar_grad, as the engine's log_e (4, n)."""
    gen = np.random.default_rng(seed)
    e_z, e_t = gen.standard_exponential((n, 2)), gen.standard_exponential((n, 2))
    return np.log(np.concatenate([e_z.T, e_t.T]))


def toy_y(y):
    return (y[:, 1] - T) ** 2


def toy_dy(y):
    return np.stack([np.zeros(len(y)), 2 * (y[:, 1] - T)], axis=1)


def toy_b(b):
    return (b - T) ** 2


# ---------------------------------------------------------------------------
# Errors: TypeError for the wrong kind, ValueError for a wrong value, the parameter named first
# ---------------------------------------------------------------------------

TYPE_ERRORS = {
    "estimator_int": (lambda: ob.run(3, [0.45], steps=2), "estimator"),
    "steps_float": (lambda: ob.run("reinforce", [0.45], steps=2.0), "steps"),
    "n_var_float": (lambda: ob.run("reinforce", [0.45], steps=2, n_var=2.5), "n_var"),
    "checkpoints_float": (lambda: ob.run("reinforce", [0.45], steps=2, checkpoints=[0.5]), "checkpoints"),
    "rng_float": (lambda: ob.run("reinforce", [0.45], steps=2, rng=0.5), "rng"),
    "t_str": (lambda: ob.run("reinforce", ["a"], steps=2), "t"),
    "conditional": (lambda: ob.rebar_variance_terms(0.0, 0.45, tau=0.5, conditional=1), "conditional"),
    "lr_str": (lambda: ob.Adam(3, lr="0.1"), "lr"),
    "runs_float": (lambda: ob.relax_network_init(2.0), "runs"),
}
VALUE_ERRORS = {
    "estimator_name": (lambda: ob.run("rebar2", [0.45], steps=2), "estimator"),
    "t_range": (lambda: ob.run("reinforce", [0.45, 1.0], steps=2), "t"),
    "t_matrix": (lambda: ob.run("reinforce", [[0.45]], steps=2), "t"),
    "steps_0": (lambda: ob.run("reinforce", [0.45], steps=0), "steps"),
    "n_var_1": (lambda: ob.run("reinforce", [0.45], steps=2, n_var=1), "n_var"),
    "checkpoints_range": (lambda: ob.run("reinforce", [0.45], steps=2, checkpoints=[3]), "checkpoints"),
    "tau_0": (lambda: ob.run("gumbel_softmax", [0.45], steps=2, tau=0.0), "tau"),
    "ema_0": (lambda: ob.run("reinforce_running_mean", [0.45], steps=2, ema=0.0), "ema"),
    "log_e_shape": (lambda: ob.one_bit_draws(0.0, np.zeros((3, 5))), "log_e"),
    "phi_inf": (lambda: ob.rebar_variance_terms(np.inf, 0.45, tau=0.5), "phi"),
    "quadrature_t": (lambda: ob.rebar_variance_terms(0.0, 1.5, tau=0.5), "t"),
    "lr_0": (lambda: ob.Adam(3, lr=0.0), "lr"),
}


@pytest.mark.parametrize("case", sorted(TYPE_ERRORS))
def test_type_errors(case):
    call, name = TYPE_ERRORS[case]
    with pytest.raises(TypeError, match=f"^{name}"):
        call()


@pytest.mark.parametrize("case", sorted(VALUE_ERRORS))
def test_value_errors(case):
    call, name = VALUE_ERRORS[case]
    with pytest.raises(ValueError, match=f"^{name}"):
        call()


# ---------------------------------------------------------------------------
# The engine's estimates are the library's, draw for draw
# ---------------------------------------------------------------------------


def test_draws_are_those_of_the_library():
    """d and b are relax_grad's perturbed logits; d~ is conditional_gumbel's difference."""
    log_e = library_noise(1)
    dr = ob.one_bit_draws(PHI, log_e)
    z = np.array([0.0, PHI]) - log_e[:2].T  # l - log E
    np.testing.assert_allclose(dr.d, z[:, 1] - z[:, 0], atol=1e-14)
    np.testing.assert_array_equal(dr.b, (z.argmax(axis=1) == 1).astype(float))
    assert np.all((dr.d_tilde > 0) == (dr.b == 1))


def test_reinforce_rebar_relax_are_the_library_estimators():
    log_e = library_noise(2)
    dr = ob.one_bit_draws(PHI, log_e)
    x = np.array([0.0, PHI])
    g_rf = reparam.reinforce_grad(x, toy_b, n=N, rng=2)[:, 1]
    np.testing.assert_allclose(toy_b(dr.b) * (dr.b - dr.theta), g_rf, atol=1e-14)
    g_rebar = rebar_grad(x, toy_y, toy_dy, TAU, eta=ETA, n=N, rng=2)[:, 1]
    np.testing.assert_allclose(ob.rebar_estimate(dr, T, ETA, np.log(TAU))[0], g_rebar, atol=1e-13)
    psi = ob.relax_network_init(1, rng=5)

    def c(z):
        return ob.relax_network(psi, (z[:, 1] - z[:, 0])[None, :])[0]

    def dc(z):
        dd = ob.relax_network(psi, (z[:, 1] - z[:, 0])[None, :], derivative=True)[1][0]
        return np.stack([-dd, dd], axis=1)

    g_relax = relax_grad(x, toy_b, c, dc, n=N, rng=2)[:, 1]
    rows = ob.OneBitDraws(*(np.broadcast_to(a, (N,))[None, :] for a in dr))
    np.testing.assert_allclose(ob.relax_estimate(psi, rows, T, with_grad=False)[0], g_relax, atol=1e-13)


def test_leave_one_out_is_the_library_estimator():
    """m = 2: reinforce_loo_grad's race noise (n, 2, 2) read as the engine's two draws."""
    e = np.random.default_rng(3).standard_exponential((N, 2, 2))
    log_e = np.log(np.stack([e[:, 0, 0], e[:, 0, 1], e[:, 1, 0], e[:, 1, 1]]))
    state = {"mean_f": np.zeros(N)}
    mine = ob._estimates("reinforce_loo", np.full(N, PHI), np.full(N, T), state, log_e, TAU)
    lib = reinforce_loo_grad([0.0, PHI], toy_b, n=N, m=2, rng=3)[:, 1]
    np.testing.assert_allclose(mine, lib, atol=1e-14)


# ---------------------------------------------------------------------------
# Hand-written derivatives against autograd, autograd against central differences
# ---------------------------------------------------------------------------


def rebar_autograd(eta, log_tau, dr):
    tau = anp.exp(log_tau)
    s, s_t = (1 / (1 + anp.exp(-v / tau)) for v in (dr.d, dr.d_tilde))
    dh, dh_t = 2 * (s - T) * s * (1 - s), 2 * (s_t - T) * s_t * (1 - s_t)
    return ((dr.b - T) ** 2 - eta * (s_t - T) ** 2) * (dr.b - dr.theta) + eta * (dh - dh_t * dr.jac) / tau


def test_rebar_derivatives_are_autograds():
    dr = ob.one_bit_draws(PHI, library_noise(4))
    eta, log_tau = np.full(N, ETA), np.full(N, np.log(TAU))
    g, d_eta, d_log_tau = ob.rebar_estimate(dr, T, eta, log_tau)
    np.testing.assert_allclose(g, rebar_autograd(eta, log_tau, dr), atol=1e-14)
    np.testing.assert_allclose(d_eta, elementwise_grad(rebar_autograd, 0)(eta, log_tau, dr), atol=1e-13)
    np.testing.assert_allclose(d_log_tau, elementwise_grad(rebar_autograd, 1)(eta, log_tau, dr), atol=1e-13)


def test_network_derivative_in_d_is_autograds():
    psi = ob.relax_network_init(3, rng=6)
    d = np.random.default_rng(7).normal(0, 3, size=(3, 50))
    _, dc = ob.relax_network(psi, d, derivative=True)
    np.testing.assert_allclose(dc, elementwise_grad(ob.relax_network, 1)(psi, d), atol=1e-14)


def test_gradient_of_g_squared_in_psi_is_autograds():
    """relax_estimate's backward pass, written by hand, against autograd's grad of sum(g**2)."""
    psi = ob.relax_network_init(3, rng=11)
    psi[4] = psi[4] + np.array([[0.3], [-0.2], [0.0]])  # three temperatures, not all 0.5
    psi[1] = psi[1] + 0.1 * np.random.default_rng(12).standard_normal(psi[1].shape)
    dr = ob.one_bit_draws(
        np.array([[0.3], [-0.7], [1.2]]), np.log(np.random.default_rng(13).standard_exponential((4, 3, 5)))
    )
    t = np.array([[0.45], [0.499], [0.2]])
    g, grads = ob.relax_estimate(psi, dr, t)

    def loss(psi):
        theta, d, b, d_t, jac = dr
        c, dc = ob.relax_network(psi, anp.concatenate([d, d_t], axis=1), derivative=True)
        g = ((b - t) ** 2 - c[:, 5:]) * (b - theta) + dc[:, :5] - dc[:, 5:] * jac
        return anp.sum(g * g)

    expected = grad(loss)(psi)
    assert g.shape == (3, 5)
    for mine, theirs in zip(grads, expected, strict=True):
        assert mine.shape == theirs.shape
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-12)


def test_gradient_of_g_squared_in_psi_against_central_differences():
    psi = ob.relax_network_init(2, rng=8)
    dr = ob.one_bit_draws(np.array([0.3, -0.7]), np.log(np.random.default_rng(9).standard_exponential((4, 2))))
    _, grads = ob.relax_estimate(psi, dr, np.array([0.45, 0.499]))
    h = 1e-6
    for k, shape_index in [(0, (1, 0, 3)), (1, (0, 0, 7)), (2, (1, 0, 2)), (3, (0, 0)), (4, (1, 0))]:
        up = [p.copy() for p in psi]
        down = [p.copy() for p in psi]
        up[k][shape_index] += h
        down[k][shape_index] -= h
        run = shape_index[0]
        g_up = ob.relax_estimate(up, dr, np.array([0.45, 0.499]), with_grad=False)[run]
        g_down = ob.relax_estimate(down, dr, np.array([0.45, 0.499]), with_grad=False)[run]
        fd = (g_up**2 - g_down**2) / (2 * h)
        assert abs(grads[k][shape_index] - fd) <= 1e-6 * max(1.0, abs(fd)), k


# ---------------------------------------------------------------------------
# REBAR's exact variance
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("phi", [0.0, -1.5])
def test_quadrature_reinforce_part_is_the_closed_form(phi):
    a, _, _ = ob.rebar_variance_terms(phi, T, tau=0.7)
    theta = 1 / (1 + np.exp(-phi))
    closed = (
        theta * (1 - theta) * ((1 - T) ** 4 * (1 - theta) + T**4 * theta) - (theta * (1 - theta) * (1 - 2 * T)) ** 2
    )
    assert abs(a - closed) < 1e-12


@pytest.mark.parametrize("conditional", [True, False])
def test_quadrature_variance_against_sampling(conditional):
    """Size < 1e-6 (5 SE); the other sampler's exact variance lies > 9.75 SE away (power 1 - 1e-6)."""
    phi, eta, tau, n = -0.5, 0.9, 0.6, 200_000
    dr = ob.one_bit_draws(phi, np.log(np.random.default_rng(10).standard_exponential((4, n))))
    if not conditional:  # d~ unconditioned: fresh logistic noise around phi, d d~/d phi = 1
        e = np.random.default_rng(11).standard_exponential((2, n))
        dr = dr._replace(d_tilde=phi - np.log(e[1]) + np.log(e[0]), jac=np.ones(n))
    g = ob.rebar_estimate(dr, T, eta, np.log(tau))[0]
    var = g.var(ddof=1)
    m4 = np.mean((g - g.mean()) ** 4)
    se = np.sqrt((m4 - (n - 3) / (n - 1) * var**2) / n)
    own = np.array(ob.rebar_variance_terms(phi, T, tau=tau, conditional=conditional)) @ [1, 2 * eta, eta**2]
    other = np.array(ob.rebar_variance_terms(phi, T, tau=tau, conditional=not conditional)) @ [1, 2 * eta, eta**2]
    assert abs(var - own) < 5 * se
    assert abs(other - own) > 9.75 * se


# ---------------------------------------------------------------------------
# The runs
# ---------------------------------------------------------------------------


def test_run_shapes_and_extras():
    out = ob.run("rebar", [0.45, 0.499], steps=20, rng=1, checkpoints=[0, 10, 20], n_var=5)
    assert out.phi.shape == (21, 2) and out.variance.shape == (3, 2)
    np.testing.assert_array_equal(out.checkpoints, [0, 10, 20])
    assert out.eta.shape == (2,) and out.tau.shape == (2,) and out.network is None
    relax = ob.run("relax", [0.45], steps=5, rng=1)
    assert [w.shape[0] for w in relax.network] == [1] * 5 and relax.variance.shape == (0, 1)


@pytest.mark.parametrize("estimator", ob.ESTIMATORS)
def test_run_is_reproducible_and_finite(estimator):
    a = ob.run(estimator, [0.45, 0.499], steps=30, rng=[7, 1], checkpoints=[30], n_var=10)
    b = ob.run(estimator, [0.45, 0.499], steps=30, rng=[7, 1], checkpoints=[30], n_var=10)
    np.testing.assert_array_equal(a.phi, b.phi)
    assert np.isfinite(a.phi).all() and np.isfinite(a.variance).all()


def test_first_adam_step_moves_by_the_learning_rate():
    """Adam's first step is lr times the sign of the gradient, whatever its size."""
    out = ob.run("exact", [0.45, 0.55], steps=1)
    np.testing.assert_allclose(out.phi[1], [-0.01, 0.01], rtol=1e-6)


def test_estimators_share_their_noise():
    """The same rng gives every estimator the same draws (common random numbers): before its first
    draw the running mean is 0, so its first step and its variance at step 0 are REINFORCE's."""
    rf = ob.run("reinforce", np.full(50, 0.45), steps=1, rng=3, checkpoints=[0], n_var=20)
    rm = ob.run("reinforce_running_mean", np.full(50, 0.45), steps=1, rng=3, checkpoints=[0], n_var=20)
    np.testing.assert_array_equal(rf.phi, rm.phi)
    np.testing.assert_array_equal(rf.variance, rm.variance)


def test_import_reparam_does_not_import_autograd():
    code = (
        "import sys, reparam, reparam.control_variates, reparam.gumbel_truncation\nprint('autograd' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
