#!/usr/bin/env python3
"""Execute every chapter twice, strict nbval and the portability guard, on a pool of two workers.

``make notebooks`` runs this. Each (chapter, run) pair is one job, a ``pytest --nbval`` of one
notebook in its own process; two run at a time, so both cores stay busy until the last job ends
(the guard's runs are slower than nbval's, and running all of each in one process left one core
idle for a minute). The slowest jobs start first: their times from the last run, kept in
``_build/notebook-times.json``, or, on a fresh clone, the guard's before nbval's and the later
chapters (the heavier ones) before the earlier ones. Each job's output is printed when it ends;
the exit status is 1 when any job failed.

    make notebooks                                     # every chapter, both runs (the guard's folder given)
    python scripts/test_notebooks.py --guard-dir GUARD_DIR chapters/07_*.ipynb --runs guard
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMES = ROOT / "_build" / "notebook-times.json"
NBVAL = ["-m", "pytest", "--nbval", "--nbval-current-env", "--nbval-sanitize-with", "nbval_sanitize.cfg"]
# Plugins a notebook's run does not use, each a second of start-up in every one of the 16 jobs.
UNUSED_PLUGINS = ["-p", "no:xdist", "-p", "no:xdist.looponfail", "-p", "no:hypothesispytest", "-p", "no:cacheprovider"]


def job_env(run: str, salt: str, guard_dir: Path) -> dict[str, str]:
    """The environment of one job: the guard's kernels import its sitecustomize from ``guard_dir``."""
    env = dict(os.environ)
    if run == "guard":
        env["BOOK_ULP_SALT"] = salt
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(guard_dir), env.get("PYTHONPATH")]))
    return env


def order(jobs: list[tuple[str, Path]], times: dict[str, float]) -> list[tuple[str, Path]]:
    """Slowest first: by the last run's times when known, else guard first and later chapters first."""

    def key(job):
        run, notebook = job
        known = times.get(f"{run}:{notebook.name}")
        return (known is None, -(known or 0.0), run != "guard", [-ord(c) for c in notebook.name])

    return sorted(jobs, key=key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: chapters/*.ipynb")
    parser.add_argument("--runs", nargs="+", choices=["nbval", "guard"], default=["nbval", "guard"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--salt", default="1", help="the guard's salt")
    parser.add_argument(
        "--guard-dir",
        type=Path,
        required=True,
        help="the folder of the guard's sitecustomize.py (the Makefile's GUARD_DIR)",
    )
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or sorted((ROOT / "chapters").glob("*.ipynb"))
    times = json.loads(TIMES.read_text(encoding="utf-8")) if TIMES.is_file() else {}
    jobs = order([(run, nb) for run in args.runs for nb in notebooks], times)

    def run_job(job):
        run, notebook = job
        start = time.monotonic()
        cmd = [sys.executable, *NBVAL, str(notebook.relative_to(ROOT)), "-q", *UNUSED_PLUGINS]
        proc = subprocess.run(
            cmd, cwd=ROOT, env=job_env(run, args.salt, args.guard_dir.resolve()), capture_output=True, text=True
        )
        seconds = time.monotonic() - start
        status = "passed" if proc.returncode == 0 else "FAILED"
        last = (proc.stdout.strip().splitlines() or [""])[-1]
        print(f"---- {run} {notebook.name}: {status} in {seconds:.0f} s  ({last})", flush=True)
        if proc.returncode != 0:
            print(proc.stdout[-20000:] + proc.stderr[-5000:], flush=True)
        return job, proc.returncode, seconds

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(run_job, jobs))
    times.update({f"{run}:{nb.name}": round(s, 1) for (run, nb), _, s in results})
    TIMES.parent.mkdir(exist_ok=True)
    TIMES.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    failed = [f"{run} {nb.name}" for (run, nb), code, _ in results if code != 0]
    total = time.monotonic() - start
    print(f"test_notebooks: {len(results)} runs on {args.workers} workers in {total:.0f} s", end="")
    print(f"; FAILED: {', '.join(failed)}" if failed else "; all passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
