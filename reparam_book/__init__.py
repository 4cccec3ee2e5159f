"""reparam_book: the chapters' support code, kept apart from the library.

What the book's notebooks share but a user of :mod:`reparam` does not need: the figure style
(:mod:`reparam_book.plotting`, matplotlib), the SymPy derivations the chapters verify
(:mod:`reparam_book.symbolic`), the Bernoulli toy of the estimator lab with its quadratures
(:mod:`reparam_book.bernoulli_toy`, SciPy), the same toy under Adam with REBAR and RELAX
(:mod:`reparam_book.one_bit_adam`, autograd), and the verification ledger built from the chapters'
checks (:mod:`reparam_book.ledger`). It imports :mod:`reparam` and :mod:`reparam.testing`; the
library never imports it. Import the modules themselves (``from reparam_book import symbolic``):
this file loads nothing.
"""
