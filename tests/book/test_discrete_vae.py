"""The discrete VAE of chapter 8 (reparam_book.digits, .discrete_vae, .vae_gradients, .vae_lab):
the data, the exact quantities against independent computations, every estimator's mean against
the exact gradient with the power to reject its plausible wrong variants, the counted cost, the
vectorised training runs, and the batched REBAR and leave-one-out estimators against chapter 7's
NumPy ones in the library, draw for draw."""

from __future__ import annotations

import numpy as np
import pytest
from autograd import elementwise_grad

import reparam as rp
from reparam_book import vae_gradients as vg
from reparam_book import vae_lab as vl
from reparam_book.digits import N_DIGITS, load_binary_digits
from reparam_book.discrete_vae import DECODER, ENCODER, DiscreteVAE


@pytest.fixture(scope="module")
def data():
    return load_binary_digits()


@pytest.fixture(scope="module")
def model():
    return DiscreteVAE()


@pytest.fixture(scope="module")
def params(model, data):
    # a model a little way into training, where the encoder is no longer uniform
    run = vl.train(
        model, "exact", data.train, data.test, runs=1, steps=60, batch=16, samples=1, lr=1e-2, seed=3, eval_every=60
    )
    return run.params


# ---------------------------------------------------------------- data
def test_digits_are_binary_split_and_deterministic(data):
    assert data.train.shape == (N_DIGITS - 300, 64) and data.test.shape == (300, 64)
    assert set(np.unique(data.train)) == {0.0, 1.0}
    again = load_binary_digits()
    np.testing.assert_array_equal(again.test, data.test)
    other = load_binary_digits(seed=1)
    assert not np.array_equal(other.test, data.test)
    # no digit is in both splits (the split is a permutation, not a resample)
    rows = {r.tobytes() for r in load_binary_digits(threshold=1).test}
    assert len(rows) > 250


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"threshold": 0}, ValueError),
        ({"threshold": 8.0}, TypeError),
        ({"n_test": N_DIGITS}, ValueError),
        ({"seed": -1}, ValueError),
        ({"n_test": True}, TypeError),
    ],
)
def test_digits_bad_arguments(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        load_binary_digits(**kwargs)


# ---------------------------------------------------------------- exact quantities
def test_exact_gradient_matches_finite_differences_and_the_mixed_formula(model, params, data):
    x = data.train[None, :20]
    g = model.exact_gradient(params, x)
    parts = model.exact_gradient_parts(params, x)
    rng = np.random.default_rng(0)
    u = {k: rng.standard_normal(v.shape) for k, v in params.items()}
    h = 1e-5
    fd = (model.loss({k: params[k] + h * u[k] for k in u}, x) - model.loss({k: params[k] - h * u[k] for k in u}, x)) / (
        2 * h
    )
    along = lambda grads: sum(float(np.sum(grads[k] * u[k])) for k in u)  # noqa: E731
    assert along(g) == pytest.approx(fd, rel=1e-6)
    mixed = {k: parts["score"][k] + parts["pathwise"][k] + parts["kl"][k] for k in u}
    assert along(mixed) == pytest.approx(along(g), rel=1e-12)
    # the wrong answer: differentiating through the samples only (no score term)
    pathwise_only = {k: parts["pathwise"][k] + parts["kl"][k] for k in u}
    assert abs(along(pathwise_only) - fd) > 1e3 * 1e-6 * abs(fd)


def test_elbo_gap_is_the_kl_to_the_exact_posterior(model, params, data):
    x = data.test[None, :10]
    terms = model.exact(params, x)
    f = np.asarray(model.configuration_log_likelihoods(params, x))
    log_q = np.asarray(model.configuration_log_q(model.encoder_logits(params, x)))
    log_post = f - np.log(64) - terms.log_px[..., None]
    kl_post = np.sum(np.exp(log_q) * (log_q - log_post), axis=-1)
    np.testing.assert_allclose(terms.log_px - terms.elbo, kl_post, rtol=1e-9, atol=1e-12)
    assert np.all(kl_post > 0)
    # the closed-form KL is the enumerated one
    np.testing.assert_allclose(terms.kl, np.sum(np.exp(log_q) * (log_q + np.log(64)), axis=-1), rtol=1e-12)


# ---------------------------------------------------------------- estimators
def _projections(model, params, x1, estimator, samples, n, seed, control=None, tau=None):
    """Projections of n logit-gradient estimates for one data point on the exact one, /|g|^2."""
    exact = vg.logit_gradient(model, "exact", params, x1[None, None])[0, 0].ravel()
    noise = vg.draw_noise(estimator, (1, n, samples, model.latents, model.classes), np.random.default_rng(seed))
    x = np.repeat(x1[None, None], n, axis=1)
    g = vg.logit_gradient(model, estimator, params, x, noise, control=control, tau=tau)[0].reshape(n, -1)
    proj = g @ exact / (exact @ exact)
    return proj.mean(), proj.std(ddof=1) / np.sqrt(n)


@pytest.mark.parametrize(
    "estimator,wrong,samples",
    [
        ("reinforce_loo", "reinforce_self_baseline", 3),
        ("rebar", "rebar_same_z", 1),
        ("rebar", "rebar_fixed_z_tilde", 1),
        ("relax", "rebar_same_z", 1),
    ],
)
def test_unbiased_estimators_and_their_wrong_variants(model, params, data, estimator, wrong, samples):
    x1 = data.test[0]
    control = vg.init_control(estimator, model, 1, rng=0)
    if estimator == "relax":  # a residual that is not zero
        control["rho"]["w2"] = 0.3 * np.random.default_rng(1).standard_normal(control["rho"]["w2"].shape)
    mean, se = _projections(model, params, x1, estimator, samples, 10_000, 5, control)
    assert abs(mean - 1) < 5 * se
    wrong_control = vg.init_control("rebar", model, 1) if wrong.startswith("rebar") else None
    w_mean, w_se = _projections(model, params, x1, wrong, samples, 10_000, 5, wrong_control)
    assert abs(w_mean - 1) > 10 * w_se  # rejected, with power
    if wrong == "reinforce_self_baseline":  # its mean is exactly (1 - 1/m) times the gradient
        assert abs(w_mean - 2 / 3) < 5 * w_se


def test_gumbel_softmax_is_biased_for_the_elbo(model, params, data):
    mean, se = _projections(model, params, data.test[0], "gumbel_softmax", 3, 10_000, 5, tau=0.5)
    assert abs(mean - 1) > 10 * se


def test_parameter_gradient_is_the_logit_gradient_passed_back(model, params, data):
    x = data.train[None, :8]
    noise = vg.draw_noise("rebar", (1, 8, 1, 2, 8), np.random.default_rng(2))
    control = vg.init_control("rebar", model, 1)
    g, _ = vg.gradient(model, "rebar", params, x, noise, control=control)
    g_exact, _ = vg.gradient(model, "exact", params, x)
    ref = model.exact_gradient(params, x)
    for k in params:
        np.testing.assert_allclose(g_exact[k], ref[k], rtol=1e-10, atol=1e-13)
    assert set(g) == set(ENCODER) | set(DECODER)


@pytest.mark.parametrize("estimator", ["reinforce_loo", "gumbel_softmax", "straight_through", "rebar", "relax"])
def test_counted_decoder_rows_are_the_stated_cost(model, params, data, estimator):
    samples = 1 if estimator in ("rebar", "relax") else 3
    x = data.train[None, :16]
    noise = vg.draw_noise(estimator, (1, 16, samples, 2, 8), np.random.default_rng(0))
    model.counter.forward = model.counter.backward = 0
    vg.gradient(model, estimator, params, x, noise, tau=0.5, control=vg.init_control(estimator, model, 1, rng=0))
    cost = vg.decoder_cost(estimator, samples, batch=16, configurations=64)
    assert model.counter.forward / 16 == cost["forward"] and model.counter.backward / 16 == cost["backward"]


def test_tuning_lowers_the_rebar_variance(model, params, data):
    # a few Adam steps on the single-sample gradient of the second moment lower the variance
    x = data.train[None, :32]
    control = vg.init_control("rebar", model, 1, lam=0.1)
    opt = vl.Adam(control, 0.05)
    rng = np.random.default_rng(4)
    for _ in range(40):
        _, cg = vg.gradient(
            model, "rebar", params, x, vg.draw_noise("rebar", (1, 32, 1, 2, 8), rng), control=control, tune=True
        )
        control = opt.step(control, cg)

    def variance(ctrl):
        noise = vg.draw_noise("rebar", (1, 4000, 1, 2, 8), np.random.default_rng(9))
        g = vg.logit_gradient(model, "rebar", params, np.repeat(x[:, :1], 4000, axis=1), noise, control=ctrl)[0]
        return g.reshape(4000, -1).var(axis=0).sum()

    assert variance(control) < 0.8 * variance(vg.init_control("rebar", model, 1, lam=0.1))


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"estimator": "reinforce"}, "estimator"),
        ({"estimator": "gumbel_softmax"}, "tau"),
        ({"estimator": "rebar"}, "control"),
    ],
)
def test_gradient_bad_arguments(model, params, data, kwargs, match):
    noise = vg.draw_noise("rebar", (1, 4, 1, 2, 8), np.random.default_rng(0))
    with pytest.raises(ValueError, match=match):
        vg.gradient(model, kwargs["estimator"], params, data.train[None, :4], noise)


# ---------------------------------------------------------------- training
def test_runs_are_vectorised_seeded_and_common(model, data):
    kw = dict(runs=3, steps=20, batch=8, samples=3, lr=1e-2, eval_every=10)
    a = vl.train(model, "reinforce_loo", data.train, data.test, seed=1, **kw)
    b = vl.train(model, "reinforce_loo", data.train, data.test, seed=1, **kw)
    np.testing.assert_array_equal(a.test_elbo, b.test_elbo)
    assert len(np.unique(a.test_elbo[-1])) == 3  # independent runs
    g = vl.train(model, "gumbel_softmax", data.train, data.test, seed=1, tau=1.0, **kw)
    np.testing.assert_array_equal(a.test_elbo[0], g.test_elbo[0])  # common initial parameters
    single = vl.train(model, "exact", data.train, data.test, seed=1, **{**kw, "runs": 1, "steps": 100, "batch": 16})
    assert single.test_elbo[-1, 0] > single.test_elbo[0, 0] + 1.5  # training improves the held-out ELBO


def test_jang_temperature():
    assert vl.jang_temperature(0, 1e-3) == 1.0
    assert vl.jang_temperature(10_000, 1e-3) == 0.5
    assert vl.jang_temperature(150, 1e-3, every=100) == pytest.approx(np.exp(-0.1))


# ---------------------------------------------------------------- against chapter 7's library
@pytest.fixture(scope="module")
def one_categorical(data):
    """One categorical of 8 classes for one test digit: the model, its parameters, the digit and
    the encoder's logits (not normalised)."""
    model1 = DiscreteVAE(latents=1, classes=8)
    params = model1.init(1, rng=0, pixel_mean=data.train.mean(axis=0))
    x1 = data.test[0]
    logits = np.asarray(model1.encoder_logits(params, x1[None, None]))[0, 0, 0]
    return model1, params, x1, logits


def _f_on_rows(model1, params, x1):
    """f(y) = log p(x | y) for rows y of the simplex (n, 8), and its gradient in y, with autograd."""

    def f(y):
        return model1.log_likelihood(params, np.repeat(x1[None, None], len(y), axis=1), y[None])[0]

    return (lambda y: np.asarray(f(y))), elementwise_grad(f)


@pytest.mark.parametrize("tau,eta", [(0.5, 1.0), (1.3, 0.7)])
def test_batched_rebar_is_the_librarys_draw_for_draw(one_categorical, tau, eta):
    # vae_gradients' REBAR (batched, autograd) and reparam.rebar_grad (NumPy) on the same noise
    model1, params, x1, logits = one_categorical
    f, df = _f_on_rows(model1, params, x1)
    n = 500
    library = rp.rebar_grad(logits, f, df, tau, eta=eta, n=n, rng=5)
    noise = vg.draw_noise("rebar", (1, n, 1, 1, 8), np.random.default_rng(5))
    control = {"eta": np.array([eta]), "log_lam": np.array([np.log(tau)])}
    batched = vg.logit_gradient(model1, "rebar", params, np.repeat(x1[None, None], n, axis=1), noise, control=control)
    np.testing.assert_allclose(batched[0, :, 0], library, rtol=0, atol=1e-11 * np.abs(library).max())


def test_batched_leave_one_out_is_the_librarys_draw_for_draw(one_categorical):
    # vae_gradients' leave-one-out REINFORCE and reparam.reinforce_loo_grad on the same noise
    model1, params, x1, logits = one_categorical
    f, _ = _f_on_rows(model1, params, x1)
    n, m = 500, 3
    library = rp.reinforce_loo_grad(logits, lambda b: f(np.eye(8)[b]), n=n, m=m, rng=9)
    noise = vg.draw_noise("reinforce_loo", (1, n, m, 1, 8), np.random.default_rng(9))
    batched = vg.logit_gradient(model1, "reinforce_loo", params, np.repeat(x1[None, None], n, axis=1), noise)
    np.testing.assert_allclose(batched[0, :, 0], library, rtol=0, atol=1e-11 * np.abs(library).max())
