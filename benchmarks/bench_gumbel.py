#!/usr/bin/env python3
"""Throughput of reparam's Gumbel samplers: the batch case users run, and the broadcast case.

Usage (from the repository root, in the project's venv):

    python benchmarks/bench_gumbel.py [--rows 200000] [--k 10] [--rounds 5] [--repeat 7]
                                      [--torch-python /path/to/venv/bin/python]

Two cases, float64 and float32, one thread:

* **batch**: logits of shape (B, K), one draw per row, as ``torch.nn.functional.gumbel_softmax``
  is used in training; ``rp.gumbel_softmax(logits, tau, rng=rng)``;
* **broadcast**: one row of K logits and ``size=B`` draws.

Implementations: ``reparam``, the textbook NumPy formulation ``softmax((logits - log(-log u))/tau)``
and, when a Python with PyTorch is given (``--torch-python``; PyTorch is never a dependency of
the book: make a separate venv with ``pip install torch==2.13.0 numpy``), PyTorch's
``gumbel_softmax`` on the same (B, K) tensor. Every figure is measured in a fresh process (a
warm-up call, then ``--repeat`` timed calls, their median), the processes of the different
implementations alternate, and the report gives the median over ``--rounds`` processes and the
ratio ``time(other) / time(reparam)`` (above 1: reparam is faster). This is a benchmark, not a
test: it asserts nothing.

Measured on the project's 2-core machine (AMD EPYC, AVX-512; NumPy 2.4.6, torch 2.13.0 CPU),
B = 200,000, K = 10, tau = 0.5, one thread, medians of 3 alternating processes. The AVX2 rows
run the same machine with NumPy's AVX-512 kernels off (``NPY_DISABLE_CPU_FEATURES="X86_V4
AVX512_ICL"``) and torch at ``ATEN_CPU_CAPABILITY=avx2``:

=========  =======  ===============  ===============  ==================
dispatch   dtype    batch: reparam   batch: torch/rp  broadcast: torch/rp
=========  =======  ===============  ===============  ==================
AVX-512    float64  32.7 ms          2.77x            3.19x
AVX-512    float32  20.6 ms          4.48x            4.95x
AVX2       float64  45.2 ms          1.56x            1.67x
AVX2       float32  25.5 ms          2.13x            2.50x
=========  =======  ===============  ===============  ==================

All meet the targets (float32 >= 1.5x torch, float64 >= 1.0x). A direct ``timeit`` of
``rp.gumbel_softmax`` on the batch in one process (best of 5) agrees within 5 %. Before the
blocked row maximum of ``reparam._rows`` the batch float64 case took 39.3 ms (AVX-512) and
50.6 ms (AVX2): ``np.maximum`` on strided columns is slow with NumPy's AVX-512 kernels (9.2 ms
for the 200,000 x 10 maximum against 2.6 ms with AVX2), and a maximum may be taken in any
order, so transposing blocks to contiguous memory gives the same result on every host (2.5 ms
on both). The row *sum* keeps its fixed left-to-right column loop: a sum depends on its order.
Where the rest goes (float64, AVX2 dispatch, ms for the batch): NumPy's exponential noise 9.0,
``log`` 9.0 and ``exp`` 15.9 (float64 ``exp``/``log`` have no SIMD kernel in NumPy without
AVX-512), subtract, divide and row sum about 2 to 2.5 each. The transcendental functions and
the noise are NumPy's own; what is left in reparam's hands is the in-place arithmetic and the
two row reductions, about a quarter of the time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

WORKER = r"""
import json, sys, time
import numpy as np
impl, case, dtype, rows, k, tau, repeat = sys.argv[1:8]
rows, k, tau, repeat = int(rows), int(k), float(tau), int(repeat)
base = np.log(np.random.default_rng(0).dirichlet(np.ones(k))).astype(dtype)
logits = np.random.default_rng(0).normal(size=(rows, k)).astype(dtype) if case == "batch" else base
size = None if case == "batch" else rows
rng = np.random.default_rng(1)
if impl == "reparam":
    sys.path.insert(0, sys.argv[8])
    import reparam as rp
    f = lambda: rp.gumbel_softmax(logits, tau, rng=rng, size=size)
elif impl == "textbook":
    shape = logits.shape if size is None else (size,) + logits.shape
    def f():
        u = rng.random(shape, dtype=logits.dtype)
        with np.errstate(divide="ignore"):
            x = (logits - np.log(-np.log(u))) / tau
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
else:
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
    t = torch.from_numpy(np.ascontiguousarray(np.broadcast_to(logits, (rows, k))))
    f = lambda: F.gumbel_softmax(t, tau=tau)
f()
times = []
for _ in range(repeat):
    t0 = time.perf_counter()
    f()
    times.append(time.perf_counter() - t0)
print(json.dumps(sorted(times)[len(times) // 2]))
"""


def measure(python: str, impl: str, case: str, dtype: str, args: argparse.Namespace) -> float:
    cmd = [python, "-c", WORKER, impl, case, dtype, str(args.rows), str(args.k), str(args.tau), str(args.repeat)]
    if impl == "reparam":
        cmd.append(str(ROOT))
    out = subprocess.run(cmd, env={**os.environ, **ONE_THREAD}, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--tau", type=float, default=0.5)
    ap.add_argument("--rounds", type=int, default=5, help="processes per implementation, alternating")
    ap.add_argument("--repeat", type=int, default=7, help="timed calls per process (median)")
    ap.add_argument("--torch-python", default=None, help="a Python with torch installed (separate venv)")
    args = ap.parse_args()

    impls = {"reparam": sys.executable, "textbook": sys.executable}
    if args.torch_python:
        impls["torch"] = args.torch_python
    print(f"B = {args.rows}, K = {args.k}, tau = {args.tau}, one thread; median over {args.rounds} alternating")
    print(f"processes of the median of {args.repeat} calls; ratio = time(other) / time(reparam)")
    print(
        f"{'case':<10}{'dtype':<9}"
        + "".join(f"{name:>12}" for name in impls)
        + "".join(f"{name + '/rp':>13}" for name in impls if name != "reparam")
    )
    for case in ("batch", "broadcast"):
        for dtype in ("float64", "float32"):
            times: dict[str, list[float]] = {name: [] for name in impls}
            for _ in range(args.rounds):
                for name, python in impls.items():
                    times[name].append(measure(python, name, case, dtype, args))
            med = {name: statistics.median(t) for name, t in times.items()}
            row = f"{case:<10}{dtype:<9}" + "".join(f"{med[n] * 1e3:>9.1f} ms" for n in impls)
            row += "".join(f"{med[n] / med['reparam']:>12.2f}x" for n in impls if n != "reparam")
            print(row, flush=True)


if __name__ == "__main__":
    main()
