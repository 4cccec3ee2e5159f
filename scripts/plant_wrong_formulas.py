#!/usr/bin/env python3
"""Plant plausible wrong formulas in a copy of the code, one at a time, and see a chapter stop.

The book's promise is that its checks fail the day a page stops being true. This script tests
that promise against the code: for each mutation below (a typo a careful author could make, in
the library `reparam` or in the chapters' support `reparam_book`), it copies both packages into a
temporary folder, applies the one-line change, and executes the chapters that use the function
with that copy first on `PYTHONPATH` (the installed packages are untouched). A mutation is *caught* when a chapter stops on a failed check (`CheckFailed`) or on
another error; the first failing line is reported. A mutation that every chapter survives is a
hole in the book's checks.

Usage (from the repository root, in the project's venv; a few minutes):

    python scripts/plant_wrong_formulas.py            # every mutation
    python scripts/plant_wrong_formulas.py 3 5        # only mutations 3 and 5 (1-based)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutation:
    what: str
    file: str
    old: str
    new: str
    chapters: tuple[str, ...]


MUTATIONS = [
    Mutation(
        "Gumbel noise with the wrong sign, G = +log E (left-skewed)",
        "reparam/gumbel.py",
        "    np.log(g, out=g)\n    np.negative(g, out=g)\n",
        "    np.log(g, out=g)\n",
        ("03_gumbel_max",),
    ),
    Mutation(
        "Gumbel-max race against w instead of 1/w (argmin E * w)",
        "reparam/gumbel.py",
        "        race /= w  # zero weight",
        "        race *= w  # zero weight",
        ("03_gumbel_max",),
    ),
    Mutation(
        "Gumbel-softmax with the misplaced parenthesis, softmax(logits + G/tau)",
        "reparam/gumbel.py",
        "    np.subtract(x, y, out=y)  # logits + G, with G = -log E\n",
        "    np.divide(y, t, out=y)\n    np.subtract(x, y, out=y)\n    t = 1.0\n",
        ("04_gumbel_softmax",),
    ),
    Mutation(
        "Gumbel-top-k keeps the k largest keys of E - logits (worst first)",
        "reparam/gumbel.py",
        '    order = np.argsort(np.take_along_axis(keys, part, axis=-1), axis=-1, kind="stable")',
        '    order = np.argsort(-np.take_along_axis(keys, part, axis=-1), axis=-1, kind="stable")',
        ("06_gumbel_top_k",),
    ),
    Mutation(
        "Concrete density with tau^k instead of tau^(k-1)",
        "reparam/densities.py",
        "        + (k - 1) * math.log(t)",
        "        + k * math.log(t)",
        ("04_gumbel_softmax",),
    ),
    Mutation(
        "exact categorical gradient without the baseline L: p * f",
        "reparam/estimators.py",
        "    return p * (f - p @ f)",
        "    return p * f",
        ("04_gumbel_softmax", "05_estimator_lab"),
    ),
    Mutation(
        "REINFORCE with the one-hot as the score (no - p)",
        "reparam/estimators.py",
        "    return (fy - b)[:, None] * (one_hot(y, x.shape[-1]) - p)",
        "    return (fy - b)[:, None] * one_hot(y, x.shape[-1])",
        # not chapter 01: it maps the logit gradient to theta with (-1/(1-theta), 1/theta),
        # which sends the -p term to 0, so the mutation gives the same numbers there
        ("05_estimator_lab",),
    ),
    Mutation(
        "Gumbel-softmax gradient without the 1/tau of the Jacobian",
        "reparam/estimators.py",
        "    return y * (d - np.sum(y * d, axis=-1, keepdims=True)) / t",
        "    return y * (d - np.sum(y * d, axis=-1, keepdims=True))",
        ("04_gumbel_softmax", "05_estimator_lab"),
    ),
    Mutation(
        "Gaussian pathwise d/dsigma without the factor eps",
        "reparam/estimators.py",
        "    return np.stack([d, d * eps], axis=-1)",
        "    return np.stack([d, d], axis=-1)",
        ("02_reparameterization",),
    ),
    Mutation(
        "Gaussian score for sigma without the -1: eps^2 / sigma",
        "reparam/estimators.py",
        "(eps**2 - 1.0) / s",
        "eps**2 / s",
        ("02_reparameterization",),  # chapter 01 uses only the d/dmu column
    ),
    Mutation(
        "reparameterized normal with the variance as the scale, mu + sigma^2 eps",
        "reparam/normal.py",
        "    z = m + s * eps\n",
        "    z = m + s * s * eps\n",
        ("02_reparameterization",),
    ),
    Mutation(
        "symbolic Concrete density with tau^k instead of tau^(k-1)",
        "reparam_book/symbolic.py",
        "    return sp.gamma(k) * tau ** (k - 1) * total ** (-k)",
        "    return sp.gamma(k) * tau**k * total ** (-k)",
        ("04_gumbel_softmax",),
    ),
    Mutation(
        "symbolic Gumbel density with the sign of the inner exponent flipped, exp(-g - e^g)",
        "reparam_book/symbolic.py",
        "    return sp.exp(-g - sp.exp(-g))",
        "    return sp.exp(-g - sp.exp(g))",
        ("03_gumbel_max",),
    ),
    Mutation(
        "Bernoulli-toy REINFORCE: the theta step (b - theta)/(theta(1 - theta)) used as the logit step",
        "reparam_book/bernoulli_toy.py",
        "        return (f_b - baseline) * (b - theta)",
        "        return (f_b - baseline) * (b - theta) / (theta * (1 - theta))",
        ("05_estimator_lab",),
    ),
    Mutation(
        "Bernoulli-toy Gumbel-softmax step without the 1/tau of the sigmoid's derivative",
        "reparam_book/bernoulli_toy.py",
        "    return 2 * (point - t) * y1 * (1 - y1) / tau",
        "    return 2 * (point - t) * y1 * (1 - y1)",
        ("05_estimator_lab",),
    ),
    Mutation(
        "quadrature of the relaxed step without the 1/tau of the sigmoid's derivative",
        "reparam_book/bernoulli_toy.py",
        "        return 2 * (b - t) * y * (1 - y) / tau\n",
        "        return 2 * (b - t) * y * (1 - y)\n",
        ("05_estimator_lab",),
    ),
    Mutation(
        "truncated Gumbel with the noise truncated before the shift: mu - log(e^-T + E)",
        "reparam/gumbel_truncation.py",
        "    return -np.logaddexp(-upper, np.log(e) - loc)",
        "    return loc - np.logaddexp(-upper, np.log(e))",
        ("07_control_variates",),
    ),
    Mutation(
        "conditional Gumbel without truncation: the others drawn as plain Gumbel(l_i)",
        "reparam/gumbel_truncation.py",
        "    z = _truncate(logits, top, e)\n",
        "    z = logits - np.log(e)\n",
        ("07_control_variates",),
    ),
    Mutation(
        "conditional Gumbel truncated at the wrong level: below the top's location log W, not the top",
        "reparam/gumbel_truncation.py",
        "    z = _truncate(logits, top, e)\n",
        "    z = _truncate(logits, _log_sum_exp(logits), e)\n",
        ("07_control_variates",),
    ),
    Mutation(
        "conditional Gumbel whose top keeps the winner's location l_b instead of log W",
        "reparam/gumbel_truncation.py",
        "    top = np.broadcast_to(_log_sum_exp(logits), e.shape[:-1] + (1,))",
        "    top = np.take_along_axis(np.broadcast_to(logits, e.shape), at, axis=-1)",
        ("07_control_variates",),
    ),
    Mutation(
        "log W computed without the max shift (overflows at large logits)",
        "reparam/gumbel_truncation.py",
        "        return m + np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True))",
        "        return np.log(np.sum(np.exp(x), axis=-1, keepdims=True))",
        ("07_control_variates",),
    ),
    Mutation(
        "REBAR/RELAX: the conditional sample differentiated as if unconditional, d z~/d l = I",
        "reparam/control_variates.py",
        "    grad_c_tilde = p * np.sum(r * dc_tilde, axis=-1, keepdims=True) + (1.0 - r) * dc_tilde",
        "    grad_c_tilde = dc_tilde",
        ("07_control_variates",),
    ),
    Mutation(
        "REBAR/RELAX: the truncation level held fixed when differentiating the truncated coordinates",
        "reparam/control_variates.py",
        "    grad_c_tilde = p * np.sum(r * dc_tilde, axis=-1, keepdims=True) + (1.0 - r) * dc_tilde",
        "    grad_c_tilde = p * np.take_along_axis(dc_tilde, b[:, None], axis=-1) + (1.0 - r) * dc_tilde",
        ("07_control_variates",),
    ),
    Mutation(
        "REBAR/RELAX: the conditional sample held constant (no gradient through z~)",
        "reparam/control_variates.py",
        "    g = (fb - c_tilde)[:, None] * (one_hot(b, k) - p) + dc_z - grad_c_tilde",
        "    g = (fb - c_tilde)[:, None] * (one_hot(b, k) - p) + dc_z",
        ("07_control_variates",),
    ),
    Mutation(
        "REBAR/RELAX: the control variate of the score term at z instead of z~ (unbiased, noisier)",
        "reparam/control_variates.py",
        '    c_tilde = call_per_sample(c, z_tilde, (n,), "c")',
        '    c_tilde = call_per_sample(c, z, (n,), "c")',
        ("07_control_variates",),
    ),
    Mutation(
        "REBAR: the relaxation's Jacobian without 1/tau",
        "reparam/control_variates.py",
        "        return eta * y * (d - np.sum(y * d, axis=-1, keepdims=True)) / t",
        "        return eta * y * (d - np.sum(y * d, axis=-1, keepdims=True))",
        ("07_control_variates",),
    ),
    Mutation(
        "REBAR: eta on the score term only, not on the gradient terms",
        "reparam/control_variates.py",
        "        return eta * y * (d - np.sum(y * d, axis=-1, keepdims=True)) / t",
        "        return y * (d - np.sum(y * d, axis=-1, keepdims=True)) / t",
        ("07_control_variates",),
    ),
    Mutation(
        "REBAR/RELAX: the ratio r_i of the Jacobian inverted, exp(z~_b - z~_i)",
        "reparam/control_variates.py",
        "        r = np.exp(z_tilde - top)",
        "        r = np.exp(top - z_tilde)",
        ("07_control_variates",),
    ),
    Mutation(
        "leave-one-out REINFORCE with 1/m instead of 1/(m - 1) (the batch mean as baseline)",
        "reparam/control_variates.py",
        '    return np.einsum("nm,nmk->nk", centred, score) / (m - 1)',
        '    return np.einsum("nm,nmk->nk", centred, score) / m',
        ("07_control_variates",),
    ),
    Mutation(
        "one-bit engine: the conditional difference's Jacobian with theta and 1 - theta swapped",
        "reparam_book/one_bit_adam.py",
        "    jac = np.where(one, theta, 1 - theta) * -np.expm1(-gap)",
        "    jac = np.where(one, 1 - theta, theta) * -np.expm1(-gap)",
        ("07_control_variates",),
    ),
    Mutation(
        "one-bit engine: REBAR's d/dlog tau of h'(u)/tau without the product rule's -h'/tau",
        "reparam_book/one_bit_adam.py",
        "- (u * d2h + dh) / tau + (u_t * d2h_t + dh_t) / tau * jac)",
        "- (u * d2h) / tau + (u_t * d2h_t) / tau * jac)",
        ("07_control_variates",),
    ),
    Mutation(
        "one-bit engine: the network's derivative in d without the (1 - x^2) of the inner tanh",
        "reparam_book/one_bit_adam.py",
        "    return c, anp.sum(w2 * (1 - h * h) * w1, axis=-1) * ((1 - x * x) * k)",
        "    return c, anp.sum(w2 * (1 - h * h) * w1, axis=-1) * k",
        ("07_control_variates",),
    ),
    Mutation(
        "discrete VAE: KL to the uniform prior without its log K (the negative entropy)",
        "reparam_book/discrete_vae.py",
        "        return anp.sum(anp.exp(ell) * (ell + np.log(self.classes)), axis=(-2, -1))",
        "        return anp.sum(anp.exp(ell) * ell, axis=(-2, -1))",
        ("08_discrete_vae",),
    ),
    Mutation(
        "discrete VAE: log p(x) without the prior's log K^M",
        "reparam_book/discrete_vae.py",
        "        log_px = logsumexp(f - self.latents * np.log(self.classes))[..., 0]",
        "        log_px = logsumexp(f)[..., 0]",
        ("08_discrete_vae",),
    ),
    Mutation(
        "discrete VAE: the score part of the exact gradient with q held fixed (differentiating the samples)",
        "reparam_book/discrete_vae.py",
        "                    value = anp.sum(q * getval(f), axis=-1)",
        "                    value = anp.sum(getval(q) * getval(f), axis=-1)",
        ("08_discrete_vae",),
    ),
    Mutation(
        "discrete VAE: decoder rows counted once per backward pass, not per row",
        "reparam_book/discrete_vae.py",
        "    counter.backward += int(np.prod(np.shape(ans)[:-1]))",
        "    counter.backward += 1",
        ("08_discrete_vae",),
    ),
    Mutation(
        "VAE leave-one-out REINFORCE: the sum of all S draws over S - 1 as the baseline (own draw included)",
        "reparam_book/vae_gradients.py",
        '        base = (total - fb) / (s - 1) if estimator == "reinforce_loo" else total / s',
        '        base = total / (s - 1) if estimator == "reinforce_loo" else total / s',
        ("08_discrete_vae",),
    ),
    Mutation(
        "VAE REBAR: z-tilde truncated below the top without the logits (exponentials not divided by p)",
        "reparam_book/vae_gradients.py",
        "        return anp.where(b > 0, -log_e_b, -anp.logaddexp(log_e2 - ell, log_e_b))",
        "        return anp.where(b > 0, -log_e_b, -anp.logaddexp(log_e2, log_e_b))",
        ("08_discrete_vae",),
    ),
    Mutation(
        "VAE Gumbel-softmax with the misplaced temperature, softmax(z) ** (1 / tau)",
        "reparam_book/vae_gradients.py",
        "            y = anp.exp(log_softmax(z / tau))",
        "            y = anp.exp(log_softmax(z) / tau)",
        ("08_discrete_vae",),
    ),
    Mutation(
        "VAE straight-through with the soft sample forward (Gumbel-softmax in disguise)",
        "reparam_book/vae_gradients.py",
        '    """Forward: the one-hot ``hard``; backward: the identity onto the soft ``y``."""\n    return hard',
        '    """Forward: the one-hot ``hard``; backward: the identity onto the soft ``y``."""\n    return y',
        ("08_discrete_vae",),
    ),
]


def run(mutation: Mutation, workdir: Path) -> list[tuple[str, str]]:
    for package in ("reparam", "reparam_book"):
        shutil.rmtree(workdir / package, ignore_errors=True)
        shutil.copytree(ROOT / package, workdir / package)
    target = workdir / mutation.file
    src = target.read_text(encoding="utf-8")
    if src.count(mutation.old) != 1:
        raise SystemExit(f"mutation {mutation.what!r}: the text to replace is not found exactly once")
    target.write_text(src.replace(mutation.old, mutation.new), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(workdir))
    results = []
    for chapter in mutation.chapters:
        nb = workdir / f"{chapter}.ipynb"
        shutil.copy(ROOT / "chapters" / f"{chapter}.ipynb", nb)
        proc = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "execute_notebooks.py"), str(nb)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if proc.returncode == 0:
            results.append((chapter, "NOT CAUGHT: the chapter ran to the end"))
            continue
        stderr = re.sub(r"\x1b\[[0-9;]*m", "", proc.stderr)  # nbclient's traceback is coloured
        failed = re.findall(r"^(?:\s*|\w*CheckFailed: )((?:↳ )?✘ .*)$", stderr, flags=re.M)
        if failed:
            results.append((chapter, f"caught: {failed[0][:150]}"))
        else:
            err = [line for line in stderr.splitlines() if re.match(r"^\w*(Error|Exception|Failed)\b", line)]
            results.append((chapter, f"caught by an error: {(err or ['?'])[-1][:150]}"))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="*", type=int, help="1-based mutation numbers (default: all)")
    args = parser.parse_args(argv)
    chosen = [(i, m) for i, m in enumerate(MUTATIONS, 1) if not args.which or i in args.which]
    missed = 0
    (ROOT / "_build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ROOT / "_build", prefix="mutation-") as tmp:
        for i, m in chosen:
            print(f"{i}. {m.what} ({m.file})", flush=True)
            for chapter, verdict in run(m, Path(tmp)):
                missed += verdict.startswith("NOT")
                print(f"   {chapter}: {verdict}", flush=True)
    print(f"{len(chosen)} mutations, {missed} chapter run(s) not caught")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
