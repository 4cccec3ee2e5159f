"""Started with every Python process when ``tests/portability`` is on ``PYTHONPATH``.

When ``BOOK_ULP_SALT`` is set (an integer), NumPy's transcendental functions are perturbed by
one ulp for about half of all inputs (see ``ulp_perturb.py``). ``make portability`` sets both
for strict nbval, so the kernels that run the chapters compute with another "CPU"'s rounding.
"""

import os

if os.environ.get("BOOK_ULP_SALT"):
    import ulp_perturb

    ulp_perturb.install(int(os.environ["BOOK_ULP_SALT"]))
