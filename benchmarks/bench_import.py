#!/usr/bin/env python3
"""What ``import reparam`` costs, against ``import numpy`` (its one dependency).

The library loads NumPy and its own small modules, nothing else (the check harness and the
chapters' support are imported explicitly). Its import should cost less than 1.5 times NumPy's.
Each figure is the median wall time of a fresh interpreter that imports the module (``python -c
"import X"``), over ``--repeat`` runs, alternating the two, minus the median of a bare
interpreter (``python -c pass``), so that the interpreter's own start-up is not counted.

Usage (from the repository root, in the project's venv):

    python benchmarks/bench_import.py [--repeat 30]

A benchmark, not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {"bare interpreter": "pass", "import numpy": "import numpy", "import reparam": "import reparam"}


def once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    for code in CASES.values():  # warm the file cache and the .pyc files
        once(code)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.repeat):
        for name, code in CASES.items():
            times[name].append(once(code))
    med = {name: statistics.median(t) for name, t in times.items()}
    base = med["bare interpreter"]
    numpy_cost, reparam_cost = med["import numpy"] - base, med["import reparam"] - base
    for name in CASES:
        print(f"{name:18s} median {med[name] * 1e3:7.1f} ms")
    print(f"import numpy costs {numpy_cost * 1e3:.1f} ms, import reparam {reparam_cost * 1e3:.1f} ms")
    print(f"ratio reparam / numpy: {reparam_cost / numpy_cost:.2f} (target < 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
