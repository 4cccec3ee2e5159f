r"""Training runs and exact bias-variance measurements of the estimators on the discrete VAE.

Two jobs, both vectorised over a leading "runs" axis so that an experiment is one loop over
steps:

* :func:`train`: ``runs`` independent trainings of :class:`~reparam_book.discrete_vae.DiscreteVAE`
  with one estimator of :mod:`reparam_book.vae_gradients`, by Adam, recording the *exact*
  held-out ELBO (never the relaxed objective) every ``eval_every`` steps. Seeds are split by
  purpose (initial parameters, minibatches, estimator noise, control variate), so runs with the
  same seed and different estimators start from the same parameters, see the same minibatches,
  and, when their noise has the same shape, the same Gumbel draws: common random numbers.
* :func:`gradient_moments`: at fixed parameters, ``n`` independent estimates of one estimator,
  each on its own random minibatch, against the exact gradient of the same minibatch and of the
  whole training set: bias, variance and the data-subsampling variance, with standard errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from reparam_book.discrete_vae import DECODER, ENCODER, DiscreteVAE
from reparam_book.vae_gradients import draw_noise, gradient, init_control

__all__ = ["Adam", "jang_temperature", "TrainingRuns", "train", "Moments", "gradient_moments", "full_gradient"]


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}/"))
        else:
            out[prefix + k] = v
    return out


def _unflat(flat: dict) -> dict:
    out: dict = {}
    for key, v in flat.items():
        *path, last = key.split("/")
        node = out
        for part in path:
            node = node.setdefault(part, {})
        node[last] = v
    return out


class Adam:
    """Adam (Kingma and Ba 2015) on a nested dict of arrays; elementwise, so every run keeps its own
    moments. ``step(params, grad)`` returns the new parameters.

    Examples
    --------
    >>> import numpy as np
    >>> from reparam_book.vae_lab import Adam
    >>> params = {"w": np.array([3.0, -2.0])}  # minimise |w|^2 / 2: the gradient is w
    >>> opt = Adam(params, lr=0.1)
    >>> for _ in range(200):
    ...     params = opt.step(params, {"w": params["w"]})
    >>> bool(np.all(np.abs(params["w"]) < 0.05))
    True
    """

    def __init__(self, params: dict, lr: float, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> None:
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps
        flat = _flat(params)
        self.m = {k: np.zeros_like(v) for k, v in flat.items()}
        self.v = {k: np.zeros_like(v) for k, v in flat.items()}
        self.t = 0

    def step(self, params: dict, grad: dict) -> dict:
        self.t += 1
        fp, fg = _flat(params), _flat(grad)
        c1, c2 = 1.0 - self.b1**self.t, 1.0 - self.b2**self.t
        out = {}
        for k, p in fp.items():
            self.m[k] = self.b1 * self.m[k] + (1.0 - self.b1) * fg[k]
            self.v[k] = self.b2 * self.v[k] + (1.0 - self.b2) * fg[k] ** 2
            out[k] = p - self.lr * (self.m[k] / c1) / (np.sqrt(self.v[k] / c2) + self.eps)
        return _unflat(out)


def jang_temperature(step: int, rate: float, *, floor: float = 0.5, every: int = 1) -> float:
    r"""The annealing schedule of Jang et al. (2017): :math:`\tau = \max(\text{floor}, e^{-r t})`,
    with :math:`t` the step rounded down to a multiple of ``every`` (the temperature is updated
    every ``every`` steps).

    Examples
    --------
    >>> from reparam_book.vae_lab import jang_temperature
    >>> [round(jang_temperature(t, 1e-3, every=100), 3) for t in (0, 99, 100, 500, 5000)]
    [1.0, 1.0, 0.905, 0.607, 0.5]
    """
    return max(floor, float(np.exp(-rate * (step // every) * every)))


@dataclass
class TrainingRuns:
    """What :func:`train` records: the evaluation steps, the exact held-out ELBO and log-likelihood
    at each (shape (evaluations, runs)), parameters and control variates at the requested
    checkpoints, and the decoder rows counted per data point and step.

    Examples
    --------
    Made by :func:`train`, which has a worked example; the fields:

    >>> import dataclasses
    >>> from reparam_book.vae_lab import TrainingRuns
    >>> [f.name for f in dataclasses.fields(TrainingRuns)][:4]
    ['estimator', 'steps', 'test_elbo', 'test_log_px']
    """

    estimator: str
    steps: np.ndarray
    test_elbo: np.ndarray
    test_log_px: np.ndarray
    params: dict
    checkpoints: dict = field(default_factory=dict)
    controls: dict = field(default_factory=dict)
    decoder_rows: dict = field(default_factory=dict)


def train(
    model: DiscreteVAE,
    estimator: str,
    train_x: np.ndarray,
    test_x: np.ndarray,
    *,
    runs: int,
    steps: int,
    batch: int,
    samples: int,
    lr: float,
    seed: int,
    tau: float | None = None,
    anneal: tuple[float, int] | None = None,
    tune_every: int = 1,
    control_lr: float = 1e-2,
    eval_every: int = 25,
    checkpoints: tuple[int, ...] = (),
) -> TrainingRuns:
    """``runs`` trainings at once; ``anneal=(rate, every)`` uses :func:`jang_temperature` instead of
    the fixed ``tau``. REBAR and RELAX take one Adam step (``control_lr``) on their control
    variate every ``tune_every`` steps.

    Examples
    --------
    Three runs of 40 steps with the leave-one-out REINFORCE estimator, three decoder evaluations
    per data point and step; the held-out ELBO is exact, one column per run:

    >>> from reparam_book.digits import load_binary_digits
    >>> from reparam_book.discrete_vae import DiscreteVAE
    >>> from reparam_book.vae_lab import train
    >>> data = load_binary_digits()
    >>> runs = train(DiscreteVAE(), "reinforce_loo", data.train, data.test, runs=3, steps=40, batch=16,
    ...              samples=3, lr=1e-2, seed=0, eval_every=20, checkpoints=(20,))
    >>> runs.steps.tolist(), runs.test_elbo.shape, sorted(runs.checkpoints), runs.decoder_rows
    ([0, 20, 40], (3, 3), [20], {'forward': 3.0, 'backward': 3.0})
    """
    params = model.init(runs, [seed, 0], pixel_mean=train_x.mean(axis=0))
    opt = Adam(params, lr)
    control = init_control(estimator, model, runs, [seed, 3])
    control_opt = Adam(control, control_lr) if control is not None else None
    batches, noise_rng = np.random.default_rng([seed, 1]), np.random.default_rng([seed, 2])
    test = np.broadcast_to(test_x, (runs, *test_x.shape))
    noise_shape = (runs, batch, samples, model.latents, model.classes)
    record = TrainingRuns(estimator, np.arange(0, steps + 1, eval_every), [], [], params)
    model.counter.forward = model.counter.backward = 0
    for t in range(steps + 1):
        if t in checkpoints:
            record.checkpoints[t] = {k: v.copy() for k, v in params.items()}
            record.controls[t] = None if control is None else _unflat({k: v.copy() for k, v in _flat(control).items()})
        if t % eval_every == 0:  # evaluation is not part of a step's cost: the counter is restored
            counted = model.counter.forward
            terms = model.exact(params, test)
            model.counter.forward = counted
            record.test_elbo.append(terms.elbo.mean(axis=1))
            record.test_log_px.append(terms.log_px.mean(axis=1))
        if t == steps:
            break
        x = train_x[batches.integers(0, len(train_x), size=(runs, batch))]
        noise = draw_noise(estimator, noise_shape, noise_rng) if estimator != "exact" else None
        temp = jang_temperature(t, anneal[0], every=anneal[1]) if anneal is not None else tau
        tune = control is not None and t % tune_every == 0
        g, cg = gradient(model, estimator, params, x, noise, tau=temp, control=control, tune=tune)
        params = opt.step(params, g)
        if cg is not None:
            control = control_opt.step(control, cg)
    record.test_elbo, record.test_log_px = np.array(record.test_elbo), np.array(record.test_log_px)
    record.params = params
    record.decoder_rows = {
        "forward": model.counter.forward / (runs * batch * steps),
        "backward": model.counter.backward / (runs * batch * steps),
    }
    return record


def _blocks(g: dict) -> tuple[np.ndarray, np.ndarray]:
    """Encoder and decoder parts of per-run gradients, flattened: (runs, d_enc), (runs, d_dec)."""
    return tuple(np.concatenate([g[k].reshape(len(g[k]), -1) for k in keys], axis=1) for keys in (ENCODER, DECODER))


def full_gradient(model: DiscreteVAE, params: dict, train_x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The exact gradient of minus the mean ELBO over the whole training set, at run 0 of
    ``params``: encoder and decoder parts, flattened.

    Examples
    --------
    >>> from reparam_book.digits import load_binary_digits
    >>> from reparam_book.discrete_vae import DiscreteVAE
    >>> from reparam_book.vae_lab import full_gradient
    >>> model = DiscreteVAE()
    >>> enc, dec = full_gradient(model, model.init(1, rng=0), load_binary_digits().train)
    >>> enc.shape, dec.shape
    ((2608,), (2656,))
    """
    p1 = {k: v[:1] for k, v in params.items()}
    enc, dec = _blocks(model.exact_gradient(p1, train_x[None]))
    return enc[0], dec[0]


@dataclass
class Moments:
    """Per-estimate statistics of one estimator at fixed parameters, for the encoder (``enc``) and
    decoder (``dec``) blocks, all relative to the squared norm of the full-data gradient:
    ``variance``: trace of the covariance of the estimate given its minibatch; ``bias2``: squared
    norm of the bias (the mean of estimate minus the minibatch's exact gradient), estimated
    without the noise of the mean (products of independent group means) with a jackknife SE;
    ``data_variance``: the same trace for the minibatch's exact gradient; ``projection``: the mean
    of <estimate - exact minibatch gradient, g> / |g|^2 (0 when unbiased); each with its SE.
    ``per_estimate`` keeps, per block, the per-estimate squared deviations (``dev2``, relative),
    the projections and the exact minibatch gradient's squared deviations (``data_dev2``), for
    paired comparisons between estimators measured with the same seed.

    Examples
    --------
    Made by :func:`gradient_moments`, which has a worked example; the fields:

    >>> import dataclasses
    >>> from reparam_book.vae_lab import Moments
    >>> [f.name for f in dataclasses.fields(Moments)]
    ['estimator', 'n', 'stats', 'per_estimate']
    """

    estimator: str
    n: int
    stats: dict
    per_estimate: dict = field(default_factory=dict)


def _squared_norm_of_mean(d: np.ndarray, scale: float, groups: int = 10) -> tuple[float, float]:
    """|E d|^2 / scale, unbiased, with a jackknife SE: the mean of b_i . b_j over pairs i != j of
    independent group means b_i (so the noise of each group's own mean drops out)."""
    means = np.array([g.mean(axis=0) for g in np.array_split(d, groups)])
    total = means.sum(axis=0)
    sq = np.sum(means**2, axis=1)

    def u_stat(keep: np.ndarray) -> float:
        t = means[keep].sum(axis=0)
        k = int(keep.sum())
        return float(t @ t - sq[keep].sum()) / (k * (k - 1))

    everyone = np.ones(groups, dtype=bool)
    value = float(total @ total - sq.sum()) / (groups * (groups - 1))
    loo = np.array([u_stat(everyone & (np.arange(groups) != i)) for i in range(groups)])
    se = float(np.sqrt((groups - 1) / groups * np.sum((loo - loo.mean()) ** 2)))
    assert abs(value - u_stat(everyone)) <= 1e-9 * max(1.0, abs(value))
    return value / scale, se / scale


def gradient_moments(
    model: DiscreteVAE,
    estimator: str,
    params: dict,
    train_x: np.ndarray,
    full: tuple[np.ndarray, np.ndarray],
    *,
    n: int,
    batch: int,
    samples: int,
    seed: int,
    tau: float | None = None,
    control: dict | None = None,
    chunk: int = 250,
) -> Moments:
    """``n`` estimates at run 0 of ``params``, each on its own minibatch of ``batch`` training
    points (the minibatches and, for equal noise shapes, the Gumbel draws are the same for every
    estimator with the same ``seed``), compared with the exact gradient of the same minibatch and
    with ``full`` (:func:`full_gradient`).

    Examples
    --------
    At the initial parameters, 100 leave-one-out estimates on minibatches of 16: the projection
    of their error on the full-data gradient is within a few standard errors of 0 (unbiased),
    and their variance is that of the estimator on top of the minibatch's own:

    >>> from reparam_book.digits import load_binary_digits
    >>> from reparam_book.discrete_vae import DiscreteVAE
    >>> from reparam_book.vae_lab import full_gradient, gradient_moments
    >>> model, data = DiscreteVAE(), load_binary_digits()
    >>> params = model.init(1, rng=0, pixel_mean=data.train.mean(axis=0))
    >>> full = full_gradient(model, params, data.train)
    >>> m = gradient_moments(model, "reinforce_loo", params, data.train, full, n=100, batch=16, samples=3, seed=0)
    >>> proj, se = m.stats["enc"]["projection"]
    >>> bool(abs(proj) < 5 * se), sorted(m.stats["enc"])
    (True, ['bias2', 'data_variance', 'norm2', 'projection', 'variance'])
    """
    batches, noise_rng = np.random.default_rng([seed, 1]), np.random.default_rng([seed, 2])
    est = {"enc": [], "dec": []}
    exact = {"enc": [], "dec": []}
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        p = {k: np.repeat(v[:1], m, axis=0) for k, v in params.items()}
        x = train_x[batches.integers(0, len(train_x), size=(m, batch))]
        noise = draw_noise(estimator, (m, batch, samples, model.latents, model.classes), noise_rng)
        ctrl = None if control is None else _unflat({k: np.repeat(v[:1], m, axis=0) for k, v in _flat(control).items()})
        for out, g in (
            (est, gradient(model, estimator, p, x, noise, tau=tau, control=ctrl)[0]),
            (exact, model.exact_gradient(p, x)),
        ):
            e, d = _blocks(g)
            out["enc"].append(e)
            out["dec"].append(d)
    stats, per = {}, {}
    for block, g_full in zip(("enc", "dec"), full):
        G, E = np.concatenate(est[block]), np.concatenate(exact[block])
        norm2 = float(g_full @ g_full)
        d = G - E
        d_mean = d.mean(axis=0)
        dev2 = np.sum((d - d_mean) ** 2, axis=1) * n / (n - 1)
        var, var_se = dev2.mean() / norm2, dev2.std(ddof=1) / np.sqrt(n) / norm2
        e_dev2 = np.sum((E - E.mean(axis=0)) ** 2, axis=1) * n / (n - 1)
        proj = d @ g_full / norm2
        stats[block] = {
            "variance": (var, var_se),
            "bias2": _squared_norm_of_mean(d, norm2),
            "data_variance": (e_dev2.mean() / norm2, e_dev2.std(ddof=1) / np.sqrt(n) / norm2),
            "projection": (proj.mean(), proj.std(ddof=1) / np.sqrt(n)),
            "norm2": norm2,
        }
        per[block] = {"dev2": dev2 / norm2, "projection": proj, "data_dev2": e_dev2 / norm2}
    return Moments(estimator, n, stats, per)
