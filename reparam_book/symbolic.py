r"""Symbolic derivations (SymPy) that the chapters verify.

Importing this module imports SymPy; ``import reparam`` alone does not. Each function returns
:class:`Identity` objects, pairs of expressions that must be equal. ``Identity.check()`` prints
one ledger line through :func:`reparam.testing.check_symbolic` and fails loudly if SymPy cannot
reduce ``lhs - rhs`` to zero.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from reparam.testing import check_symbolic

__all__ = [
    "Identity",
    "gumbel_cdf",
    "gumbel_pdf",
    "gumbel_identities",
    "gumbel_max_integral",
    "gumbel_max_integral_weights",
    "normal_pdf",
    "gaussian_symbols",
    "gaussian_expectation",
    "gaussian_loss",
    "normal_moment",
    "gaussian_gradient_identities",
    "gaussian_estimator_variances",
    "concrete_density",
    "binary_concrete_identities",
    "softmax_jacobian_identity",
]


@dataclass(frozen=True)
class Identity:
    """A symbolic claim ``lhs == rhs``.

    Examples
    --------
    >>> import sympy as sp
    >>> from reparam_book.symbolic import Identity
    >>> x = sp.Symbol("x")
    >>> identity = Identity("x + x = 2x", x + x, 2 * x)
    >>> identity.residual()
    0
    >>> identity.check()  # doctest: +ELLIPSIS
    ✔ symbolic · x + x = 2x · lhs - rhs simplifies to 0
    """

    name: str
    lhs: sp.Basic
    rhs: sp.Basic

    def residual(self) -> sp.Basic:
        """``simplify(lhs - rhs)``: zero (or a zero matrix) when the identity holds.

        Examples
        --------
        >>> import sympy as sp
        >>> from reparam_book.symbolic import Identity
        >>> x = sp.Symbol("x", positive=True)
        >>> Identity("log of a square", sp.log(x**2), 2 * sp.log(x)).residual()
        0
        >>> Identity("a wrong claim", x**2, 2 * x).residual()
        x*(x - 2)
        """
        # computed once per identity: the builders below are cached too, so a test run that
        # checks an identity and then runs its docstring's example simplifies it only once
        if "_residual" not in self.__dict__:
            object.__setattr__(self, "_residual", sp.simplify(self.lhs - self.rhs))
        return self.__dict__["_residual"]

    def check(self, **alternatives) -> None:
        """Print the check's lines; raise :class:`reparam.testing.CheckFailed` if it fails.

        Keyword arguments (``wrong=``, ``wrong_lhs=``, ``note=``) go to
        :func:`reparam.testing.check_symbolic`: name the wrong formulas this identity rules out.

        Examples
        --------
        >>> from reparam_book.symbolic import gumbel_max_integral
        >>> gumbel_max_integral().check()  # doctest: +ELLIPSIS
        ✔ symbolic · Gumbel-max integral: int_0^1 eps^(1/p-1) deps = p · lhs - rhs simplifies to 0
        """
        check_symbolic(self.name, self.lhs, self.rhs, **alternatives)


# ---------------------------------------------------------------- Gumbel distribution


def gumbel_cdf(g: sp.Symbol) -> sp.Expr:
    r"""CDF of the standard Gumbel distribution, :math:`F(g) = \exp(-e^{-g})`.

    Examples
    --------
    >>> import sympy as sp
    >>> from reparam_book.symbolic import gumbel_cdf
    >>> g = sp.Symbol("g", real=True)
    >>> gumbel_cdf(g)
    exp(-exp(-g))
    >>> sp.limit(gumbel_cdf(g), g, sp.oo), gumbel_cdf(0)
    (1, exp(-1))
    """
    return sp.exp(-sp.exp(-g))


def gumbel_pdf(g: sp.Symbol) -> sp.Expr:
    r"""Density of the standard Gumbel distribution, :math:`f(g) = e^{-g - e^{-g}}`.

    Examples
    --------
    >>> import sympy as sp
    >>> from reparam_book.symbolic import gumbel_cdf, gumbel_pdf
    >>> g = sp.Symbol("g", real=True)
    >>> gumbel_pdf(g)
    exp(-g - exp(-g))
    >>> sp.simplify(sp.diff(gumbel_cdf(g), g) - gumbel_pdf(g))
    0
    """
    return sp.exp(-g - sp.exp(-g))


@functools.cache
def gumbel_identities() -> tuple[Identity, ...]:
    r"""The Gumbel facts the book uses.

    * :math:`G = -\log(-\log U)` has CDF :math:`P(G \le g) = P(U \le \exp(-e^{-g})) = F(g)`;
    * :math:`f = F'` and :math:`\int f = 1`;
    * :math:`E[G] = \gamma` and :math:`\mathrm{Var}[G] = \pi^2/6`, computed through the
      substitution :math:`u = e^{-g}` (so :math:`u \sim \mathrm{Exp}(1)` and :math:`G = -\log u`).

    Examples
    --------
    >>> from reparam_book.symbolic import gumbel_identities
    >>> identities = gumbel_identities()
    >>> identities[3].name, identities[3].lhs
    ('Gumbel mean is the Euler-Mascheroni constant', EulerGamma)
    >>> [identity.residual() for identity in identities]
    [0, 0, 0, 0, 0]
    """
    g = sp.Symbol("g", real=True)
    u = sp.Symbol("u", positive=True)
    v = sp.Symbol("v", positive=True)
    density = sp.exp(-u)  # Exp(1) density of u = exp(-g) = -log U
    mean = sp.integrate(-sp.log(u) * density, (u, 0, sp.oo))
    second = sp.integrate(sp.log(u) ** 2 * density, (u, 0, sp.oo))
    return (
        Identity("Gumbel pdf is the derivative of the CDF", sp.diff(gumbel_cdf(g), g), gumbel_pdf(g)),
        Identity("Gumbel pdf integrates to 1", sp.integrate(gumbel_pdf(g), (g, -sp.oo, sp.oo)), 1),
        # inverse-transform sampling: F(F^{-1}(v)) = v with F^{-1}(v) = -log(-log v)
        Identity("CDF of -log(-log U) is exp(-exp(-g))", gumbel_cdf(-sp.log(-sp.log(v))), v),
        Identity("Gumbel mean is the Euler-Mascheroni constant", mean, sp.EulerGamma),
        Identity("Gumbel variance is pi^2/6", second - mean**2, sp.pi**2 / 6),
    )


# ---------------------------------------------------------------- Gumbel-max proof


@functools.cache
def gumbel_max_integral() -> Identity:
    r"""The last step of the Gumbel-max proof: :math:`\int_0^1 \varepsilon^{1/p - 1}\,d\varepsilon = p`.

    Given :math:`\varepsilon_1`, category 1 wins with probability
    :math:`\prod_{j\ne1}\varepsilon_1^{p_j/p_1} = \varepsilon_1^{(1-p_1)/p_1}` since the
    probabilities sum to 1; averaging over :math:`\varepsilon_1 \sim U(0,1)` gives :math:`p_1`.

    Examples
    --------
    >>> from reparam_book.symbolic import gumbel_max_integral
    >>> identity = gumbel_max_integral()
    >>> identity.lhs, identity.rhs, identity.residual()
    (p, p, 0)
    """
    p = sp.Symbol("p", positive=True)
    eps = sp.Symbol("epsilon", positive=True)
    lhs = sp.integrate(eps ** (1 / p - 1), (eps, 0, 1), conds="none")
    # the integral converges for every p > 0, in particular on (0, 1]
    return Identity("Gumbel-max integral: int_0^1 eps^(1/p-1) deps = p", lhs, p)


@functools.cache
def gumbel_max_integral_weights(k: int = 3) -> Identity:
    r"""The k-category form with unnormalised weights :math:`w_j > 0`.

    .. math:: \int_0^1 \prod_{j\ne i} u^{w_j/w_i}\,du = \frac{w_i}{\sum_j w_j}.

    Examples
    --------
    >>> from reparam_book.symbolic import gumbel_max_integral_weights
    >>> identity = gumbel_max_integral_weights(3)
    >>> identity.rhs
    w1/(w1 + w2 + w3)
    >>> identity.residual()
    0
    """
    if k < 2:
        raise ValueError(f"k: need at least two categories, got {k}")
    w = sp.symbols(f"w1:{k + 1}", positive=True)
    u = sp.Symbol("u", positive=True)
    integrand = sp.Mul(*[u ** (w[j] / w[0]) for j in range(1, k)])
    lhs = sp.integrate(sp.powsimp(integrand), (u, 0, 1), conds="none")
    return Identity(
        f"Gumbel-max with {k} unnormalised weights: int_0^1 prod u^(w_j/w_1) du = w_1/sum w",
        lhs,
        w[0] / sum(w),
    )


# ---------------------------------------------------------------- Gaussian reparameterization


def normal_pdf(x: sp.Symbol, mu: sp.Expr = 0, sigma: sp.Expr = 1) -> sp.Expr:
    """Density of N(mu, sigma^2).

    Examples
    --------
    >>> import sympy as sp
    >>> from reparam_book.symbolic import normal_pdf
    >>> x = sp.Symbol("x", real=True)
    >>> normal_pdf(x)
    sqrt(2)*exp(-x**2/2)/(2*sqrt(pi))
    >>> sp.integrate(normal_pdf(x, 1, 2), (x, -sp.oo, sp.oo))
    1
    """
    return sp.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * sp.sqrt(2 * sp.pi))


def gaussian_symbols() -> tuple[sp.Symbol, sp.Symbol, sp.Symbol]:
    r"""The symbols :math:`\mu` (real), :math:`\sigma` (positive) and :math:`\varepsilon` (real) of the Gaussian builders.

    :func:`gaussian_loss`, :func:`gaussian_gradient_identities` and
    :func:`gaussian_estimator_variances` write :math:`z = \mu + \sigma\varepsilon` in these
    symbols, so that expressions built by a caller combine with theirs.

    Examples
    --------
    >>> from reparam_book.symbolic import gaussian_symbols
    >>> mu, sigma, eps = gaussian_symbols()
    >>> mu.is_real, sigma.is_positive, eps.name
    (True, True, 'epsilon')
    """
    return sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True), sp.Symbol("epsilon", real=True)


def _normal_mgf(t: sp.Expr) -> sp.Expr:
    r"""The moment generating function of N(0, 1), :math:`E[e^{t\varepsilon}] = e^{t^2/2}` (any complex t)."""
    return sp.exp(t**2 / 2)


def _exponential_term(term: sp.Expr, eps: sp.Symbol):
    """``(c, n, a, b)`` with ``term == c * eps**n * exp(a + b*eps)``, or None if it has another form."""
    const, dependent = sp.powsimp(term).as_independent(eps, as_Add=False)
    n, exponent = 0, sp.Integer(0)
    for factor in sp.Mul.make_args(dependent):
        base, power = factor.as_base_exp()
        if base == eps and power.is_Integer and power >= 0:
            n += int(power)
        elif isinstance(factor, sp.exp):
            exponent += factor.args[0]
        else:
            return None
    b = sp.diff(exponent, eps)
    if b.has(eps):
        return None
    return const, n, sp.expand(exponent - b * eps), b


def gaussian_expectation(expr: sp.Expr, eps: sp.Symbol) -> sp.Expr:
    r""":math:`E[h(\varepsilon)]` for :math:`\varepsilon \sim \mathcal N(0, 1)`, term by term.

    A polynomial in :math:`\varepsilon` is averaged with the moments
    :math:`E[\varepsilon^{2m}] = (2m-1)!!` and :math:`E[\varepsilon^{2m+1}] = 0`
    (:func:`normal_moment`). Sines, cosines and exponentials of linear functions of
    :math:`\varepsilon` are written as complex exponentials, and each term
    :math:`\varepsilon^n e^{a + b\varepsilon}` is averaged with the moment generating function,
    :math:`E[\varepsilon^n e^{b\varepsilon}] = \frac{d^n}{dt^n} e^{t^2/2}\big|_{t=b}`. Anything
    else is integrated against the density. This is the route through the noise; the book
    checks it against :func:`gaussian_loss`, which integrates against the density of
    :math:`z` instead.

    Examples
    --------
    >>> import sympy as sp
    >>> from reparam_book.symbolic import gaussian_expectation
    >>> eps = sp.Symbol("epsilon", real=True)
    >>> gaussian_expectation(eps**4 + 3 * eps, eps)
    3
    >>> gaussian_expectation(sp.cos(eps), eps)
    exp(-1/2)
    >>> mu, k = sp.Symbol("mu", real=True), sp.Symbol("k", positive=True)
    >>> gaussian_expectation(eps * sp.sin(k * (mu + eps)), eps)
    k*exp(-k**2/2)*cos(k*mu)
    """
    expanded = sp.expand(expr)
    if expanded.is_polynomial(eps):
        poly = sp.Poly(expanded, eps)
        return sp.simplify(sum(coeff * normal_moment(power) for (power,), coeff in poly.terms()))
    t = sp.Dummy("t")
    total = []
    for term in sp.Add.make_args(sp.expand(expanded.rewrite(sp.exp))):
        parts = _exponential_term(term, eps)
        if parts is None:
            total.append(sp.integrate(term * normal_pdf(eps), (eps, -sp.oo, sp.oo), conds="none"))
            continue
        const, n, a, b = parts
        total.append(const * sp.exp(a) * sp.diff(_normal_mgf(t), t, n).subs(t, b))
    return sp.simplify(sp.expand_complex(sp.expand(sp.Add(*total))))


def normal_moment(n: int) -> sp.Integer:
    r""":math:`E[\varepsilon^n]` for a standard normal: :math:`(n-1)!!` for even n, 0 for odd n.

    Examples
    --------
    >>> from reparam_book.symbolic import normal_moment
    >>> [normal_moment(n) for n in range(7)]
    [1, 0, 1, 0, 3, 0, 15]
    """
    if n < 0:
        raise ValueError(f"n: must be a non-negative integer, got {n}")
    return sp.Integer(0) if n % 2 else sp.factorial2(n - 1) if n else sp.Integer(1)


@functools.cache
def gaussian_loss(f: sp.Expr, x: sp.Symbol) -> sp.Expr:
    r""":math:`L(\mu, \sigma) = \int f(z)\, p_{\mu,\sigma}(z)\, dz`, against the density of :math:`z \sim \mathcal N(\mu, \sigma^2)`.

    The route through the density: :math:`\mu` and :math:`\sigma` enter through
    :math:`p_{\mu,\sigma}`, not through :math:`z = \mu + \sigma\varepsilon`, so a derivative of
    this :math:`L` differentiates the density, and no moment of :math:`\varepsilon` is used.
    Sines and cosines are written as complex exponentials first (SymPy integrates
    :math:`e^{ikz}` against a normal density in closed form, and :math:`\cos(kz)` only slowly).

    Examples
    --------
    >>> import sympy as sp
    >>> from reparam_book.symbolic import gaussian_loss
    >>> x, k = sp.Symbol("x", real=True), sp.Symbol("k", positive=True)
    >>> gaussian_loss(x**2, x)
    mu**2 + sigma**2
    >>> gaussian_loss(sp.cos(k * x), x)
    exp(-k**2*sigma**2/2)*cos(k*mu)
    """
    mu, sigma, _ = gaussian_symbols()
    z = sp.Dummy("z", real=True)
    terms = sp.Add.make_args(sp.expand(f.subs(x, z).rewrite(sp.exp)))
    total = sum(sp.integrate(term * normal_pdf(z, mu, sigma), (z, -sp.oo, sp.oo), conds="none") for term in terms)
    return sp.simplify(sp.expand_complex(sp.expand(total)))


def _gaussian_parts(f: sp.Expr, x: sp.Symbol):
    mu, sigma, eps = gaussian_symbols()
    z = mu + sigma * eps
    fz = f.subs(x, z)
    dfz = sp.diff(f, x).subs(x, z)
    estimators = {
        "pathwise_mu": dfz,
        "pathwise_sigma": dfz * eps,
        "score_mu": fz * eps / sigma,
        "score_sigma": fz * (eps**2 - 1) / sigma,
    }
    return mu, sigma, eps, estimators


@functools.cache
def gaussian_gradient_identities(f: sp.Expr, x: sp.Symbol, label: str | None = None) -> tuple[Identity, Identity]:
    r"""The pathwise and the score-function gradients of :math:`L(\mu,\sigma) = E f(z)`, by two routes.

    .. math::
        \nabla L = \big(E[f'(z)],\ E[f'(z)\,\varepsilon]\big)
        = \Big(E\big[f(z)\,\tfrac{\varepsilon}{\sigma}\big],\ E\big[f(z)\,\tfrac{\varepsilon^2-1}{\sigma}\big]\Big),
        \qquad z = \mu + \sigma\varepsilon .

    Each identity is a pair (a 2-vector: the derivatives in :math:`\mu` and in :math:`\sigma`).
    Its left-hand side averages the estimators over the noise (:func:`gaussian_expectation`);
    its right-hand side differentiates :func:`gaussian_loss`, the integral against the density
    of :math:`z`. The two routes share no step: the moments of :math:`\varepsilon` are used on
    the left only, the density's dependence on :math:`(\mu, \sigma)` on the right only. (Averaging
    both sides over the noise would not do: the derivative of a noise average is the average of
    the derivatives for *any* linear average, right or wrong, so the pathwise identity would hold
    whatever moments were used.) ``label`` names :math:`f` in the identities' names.

    Examples
    --------
    >>> import sympy as sp
    >>> from reparam_book.symbolic import gaussian_gradient_identities
    >>> x = sp.Symbol("x", real=True)
    >>> pathwise, score = gaussian_gradient_identities(x**2, x, "x^2")
    >>> pathwise.name
    'pathwise gradient of E f(z) for f = x^2'
    >>> pathwise.rhs.T, score.residual().T
    (Matrix([[2*mu, 2*sigma]]), Matrix([[0, 0]]))
    """
    mu, sigma, eps, est = _gaussian_parts(f, x)
    loss = gaussian_loss(f, x)
    gradient = sp.Matrix([sp.diff(loss, mu), sp.diff(loss, sigma)])
    name = label or str(f)
    return tuple(
        Identity(
            f"{kind} gradient of E f(z) for f = {name}",
            sp.Matrix([gaussian_expectation(est[f"{kind}_mu"], eps), gaussian_expectation(est[f"{kind}_sigma"], eps)]),
            gradient,
        )
        for kind in ("pathwise", "score")
    )


def gaussian_estimator_variances(f: sp.Expr, x: sp.Symbol) -> dict[str, sp.Expr]:
    r"""Exact single-sample variances of the four Gaussian gradient estimators of :math:`E f(z)`.

    Keys ``pathwise_mu``, ``pathwise_sigma``, ``score_mu``, ``score_sigma``, as functions of the
    symbols ``mu`` and ``sigma`` (real, positive; :func:`gaussian_symbols`); plus ``loss`` and
    ``grad_mu``, ``grad_sigma`` (from :func:`gaussian_loss`). Each variance is
    :math:`E[\hat g^2] - (E\hat g)^2`, both averaged over the noise.

    Examples
    --------
    >>> import sympy as sp
    >>> from reparam_book.symbolic import gaussian_estimator_variances
    >>> x = sp.Symbol("x", real=True)
    >>> v = gaussian_estimator_variances(x**2, x)
    >>> v["loss"], v["pathwise_mu"]
    (mu**2 + sigma**2, 4*sigma**2)
    >>> v["score_mu"]
    mu**4/sigma**2 + 14*mu**2 + 15*sigma**2
    """
    mu, sigma, eps, est = _gaussian_parts(f, x)
    loss = gaussian_loss(f, x)
    out: dict[str, sp.Expr] = {
        "loss": loss,
        "grad_mu": sp.simplify(sp.diff(loss, mu)),
        "grad_sigma": sp.simplify(sp.diff(loss, sigma)),
    }
    for key, g in est.items():
        mean = gaussian_expectation(g, eps)
        out[key] = sp.simplify(gaussian_expectation(sp.expand(g**2), eps) - mean**2)
    return out


# ---------------------------------------------------------------- Concrete / Gumbel-softmax


def concrete_density(y: list[sp.Expr], w: list[sp.Expr], tau: sp.Expr) -> sp.Expr:
    r"""The Concrete density :math:`\Gamma(k)\tau^{k-1}(\sum_i w_i y_i^{-\tau})^{-k}\prod_i w_i y_i^{-\tau-1}`.

    Examples
    --------
    >>> import sympy as sp
    >>> from reparam_book.symbolic import concrete_density
    >>> y1, y2, w1, w2, tau = sp.symbols("y1 y2 w1 w2 tau", positive=True)
    >>> concrete_density([y1, y2], [w1, w2], tau)
    tau*w1*w2*y1**(-tau - 1)*y2**(-tau - 1)/(w1/y1**tau + w2/y2**tau)**2
    >>> concrete_density([sp.Rational(1, 2)] * 2, [1, 1], 1)  # the k = 2 density at (1/2, 1/2)
    1
    """
    k = len(y)
    if len(w) != k:
        raise ValueError(f"w: expected {k} weights, got {len(w)}")
    total = sum(wi * yi ** (-tau) for wi, yi in zip(w, y))
    return sp.gamma(k) * tau ** (k - 1) * total ** (-k) * sp.Mul(*[wi * yi ** (-tau - 1) for wi, yi in zip(w, y)])


@functools.cache
def binary_concrete_identities() -> tuple[Identity, ...]:
    r"""The Concrete density for k = 2 and its normalisation.

    For two categories, :math:`y_1 = \sigma((\log(w_1/w_2) + L)/\tau)` with a standard logistic
    :math:`L = G_1 - G_2`, so :math:`P(y_1 \le y) = \sigma(\tau\,\mathrm{logit}(y) - \log(w_1/w_2))`.
    Its derivative must equal the general density at :math:`(y, 1-y)`, and the CDF rises from
    0 at :math:`y \to 0` to 1 at :math:`y \to 1`, so the density integrates to 1.

    Examples
    --------
    >>> from reparam_book.symbolic import binary_concrete_identities
    >>> identities = binary_concrete_identities()
    >>> identities[1].name, identities[1].lhs
    ('binary Concrete CDF -> 0 as y -> 0', 0)
    >>> [identity.residual() for identity in identities]
    [0, 0, 0]
    """
    y = sp.Symbol("y", positive=True)
    q = sp.Symbol("q", positive=True)  # q = (1 - y)/y maps 0 < y < 1 onto q > 0
    tau = sp.Symbol("tau", positive=True)
    w1, w2 = sp.symbols("w1 w2", positive=True)
    cdf = 1 / (1 + (w1 / w2) * ((1 - y) / y) ** tau)  # sigmoid(tau logit(y) - log(w1/w2))
    ratio = (sp.diff(cdf, y) / concrete_density([y, 1 - y], [w1, w2], tau)).subs(y, 1 / (1 + q))
    ratio = sp.powsimp(sp.powdenest(sp.expand_power_base(ratio, force=True), force=True), force=True)
    return (
        Identity("binary Concrete: CDF derivative / k = 2 density = 1", ratio, 1),
        Identity("binary Concrete CDF -> 0 as y -> 0", sp.limit(cdf, y, 0, "+"), 0),
        Identity("binary Concrete CDF -> 1 as y -> 1", sp.limit(cdf.subs(y, 1 / (1 + q)), q, 0, "+"), 1),
    )


@functools.cache
def softmax_jacobian_identity(k: int = 3) -> Identity:
    r"""Jacobian of :math:`y = \mathrm{softmax}((\ell + g)/\tau)` w.r.t. :math:`\ell`: :math:`(\mathrm{diag}\,y - y y^\top)/\tau`.

    Examples
    --------
    >>> from reparam_book.symbolic import softmax_jacobian_identity
    >>> identity = softmax_jacobian_identity(2)
    >>> identity.lhs.shape
    (2, 2)
    >>> identity.residual()
    Matrix([
    [0, 0],
    [0, 0]])
    """
    ell = sp.symbols(f"l1:{k + 1}", real=True)
    g = sp.symbols(f"g1:{k + 1}", real=True)
    tau = sp.Symbol("tau", positive=True)
    e = [sp.exp((ell[i] + g[i]) / tau) for i in range(k)]
    y = sp.Matrix([ei / sum(e) for ei in e])
    jac = y.jacobian(sp.Matrix(ell))
    return Identity(f"softmax Jacobian for k = {k} is (diag y - y y^T)/tau", jac, (sp.diag(*y) - y * y.T) / tau)
