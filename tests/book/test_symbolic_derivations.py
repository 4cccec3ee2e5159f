"""The symbolic derivations of ``reparam_book.symbolic``: every identity simplifies to 0.

The module's docstring examples run here too (not through ``--doctest-modules``), after the
identities: the builders and residuals are cached, so each identity is simplified once per run.
"""

from __future__ import annotations

import pytest

sp = pytest.importorskip("sympy")
symbolic = pytest.importorskip("reparam_book.symbolic")


def _is_zero(residual) -> bool:
    if isinstance(residual, sp.MatrixBase):
        return all(sp.simplify(entry) == 0 for entry in residual)
    return sp.simplify(residual) == 0


def _x():
    return sp.Symbol("x", real=True)


# Identity groups, built inside the tests (SymPy integration takes seconds, so nothing
# is computed at collection time).
GROUPS = {
    "gumbel_cdf_pdf_mean_variance": lambda: symbolic.gumbel_identities(),
    "gumbel_max_integral": lambda: [symbolic.gumbel_max_integral()],
    "gumbel_max_integral_weights": lambda: [symbolic.gumbel_max_integral_weights(k) for k in (2, 3, 4)],
    "gaussian_pathwise_and_score_z_squared": lambda: symbolic.gaussian_gradient_identities(_x() ** 2, _x()),
    "binary_concrete_density": lambda: symbolic.binary_concrete_identities(),
    "softmax_jacobian": lambda: [symbolic.softmax_jacobian_identity(k) for k in (2, 3)],
}


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_identities_simplify_to_zero(group):
    identities = GROUPS[group]()
    assert identities
    for identity in identities:
        assert _is_zero(identity.residual()), identity.name


def test_docstring_examples():
    """The module's Examples, in this process, where the identities above are already cached."""
    import doctest

    result = doctest.testmod(symbolic, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10
    assert result.failed == 0


def test_gumbel_max_integral_numeric_spot_check():
    ident = symbolic.gumbel_max_integral()
    p = next(iter(ident.lhs.free_symbols | ident.rhs.free_symbols))
    for value in (sp.Rational(1, 3), sp.Rational(1, 2), 1):
        assert sp.simplify(ident.lhs.subs(p, value) - value) == 0


def test_gaussian_estimator_variances_for_z_squared_match_closed_form():
    # f(z) = z^2: pathwise d/dmu has variance 4 sigma^2; score d/dmu has
    # (d^4 + 14 sigma^2 d^2 + 15 sigma^4) / sigma^2 with d = -mu.
    x = sp.Symbol("x", real=True)
    v = symbolic.gaussian_estimator_variances(x**2, x)
    syms = {s.name: s for s in v["score_mu"].free_symbols | v["pathwise_mu"].free_symbols}
    mu, sigma = syms["mu"], syms["sigma"]
    d = -mu
    assert sp.simplify(v["pathwise_mu"] - 4 * sigma**2) == 0
    assert sp.simplify(v["score_mu"] - (d**4 + 14 * sigma**2 * d**2 + 15 * sigma**4) / sigma**2) == 0
    assert sp.simplify(v["grad_mu"] - 2 * mu) == 0
    assert sp.simplify(v["grad_sigma"] - 2 * sigma) == 0


def test_concrete_density_k2_integrates_to_one_numerically():
    y = sp.Symbol("y", positive=True)
    dens = symbolic.concrete_density([y, 1 - y], [sp.Integer(2), sp.Integer(1)], sp.Rational(3, 2))
    assert abs(float(sp.Integral(dens, (y, 0, 1)).evalf(20)) - 1.0) < 1e-12


def test_normal_moments_match_the_integrals():
    """The moment shortcut used by gaussian_expectation equals direct integration."""
    import sympy as sp

    from reparam_book.symbolic import normal_moment, normal_pdf

    eps = sp.Symbol("eps", real=True)
    for n in range(9):
        assert normal_moment(n) == sp.integrate(eps**n * normal_pdf(eps), (eps, -sp.oo, sp.oo)), n


def test_gaussian_loss_integrates_against_the_density_of_z():
    x, k = sp.Symbol("x", real=True), sp.Symbol("k", real=True)
    mu, sigma, _ = symbolic.gaussian_symbols()
    assert sp.simplify(symbolic.gaussian_loss((x - k) ** 2, x) - ((mu - k) ** 2 + sigma**2)) == 0
    w = sp.Symbol("w", positive=True)
    expected = sp.exp(-(w**2) * sigma**2 / 2) * sp.sin(w * mu)
    assert sp.simplify(symbolic.gaussian_loss(sp.sin(w * x), x) - expected) == 0


def test_gaussian_expectation_by_the_moment_generating_function():
    eps = sp.Symbol("epsilon", real=True)
    b = sp.Symbol("b", real=True)
    # E[eps^2 cos(b eps)] = (1 - b^2) exp(-b^2/2): the second derivative of exp(-b^2/2), negated
    assert (
        sp.simplify(symbolic.gaussian_expectation(eps**2 * sp.cos(b * eps), eps) - (1 - b**2) * sp.exp(-(b**2) / 2))
        == 0
    )
    assert symbolic.gaussian_expectation(sp.exp(eps), eps) == sp.exp(sp.Rational(1, 2))


@pytest.mark.parametrize(
    "patch",
    [
        ("normal_moment", lambda n: sp.Integer(n**2 + 7)),  # the reviewers' planted moment table
        ("_normal_mgf", lambda t: sp.exp(t**2)),  # a wrong moment generating function
    ],
    ids=["moments", "mgf"],
)
def test_gaussian_gradient_identities_fail_with_wrong_noise_moments(monkeypatch, patch):
    """The two routes are independent: a wrong law of the noise breaks the pathwise identity too.

    (When both sides were averaged over the noise, the pathwise identity held whatever moments
    were used, because the derivative of a linear average is the average of the derivatives.)
    """
    x, k = sp.Symbol("x", real=True), sp.Symbol("k", positive=True)
    f = (x - k) ** 2 if patch[0] == "normal_moment" else sp.cos(k * x)
    symbolic.gaussian_gradient_identities.cache_clear()
    monkeypatch.setattr(symbolic, *patch)
    try:
        for identity in symbolic.gaussian_gradient_identities(f, x):
            assert not _is_zero(identity.residual()), identity.name
    finally:
        monkeypatch.undo()
        symbolic.gaussian_gradient_identities.cache_clear()
