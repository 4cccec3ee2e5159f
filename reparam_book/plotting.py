"""The book's figure style (imports matplotlib; ``import reparam`` alone does not).

Figures have an opaque white background so they stay readable when the book's dark theme is
on, labelled axes, and one fixed colour per estimator across all chapters.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import ArrayLike

from reparam._validate import as_real_array

__all__ = ["MAX_WIDTH_IN", "ESTIMATOR_COLORS", "use_book_style", "estimator_color", "simplex_to_xy", "draw_simplex"]

#: One colour per estimator or quantity, used in every chapter (colour-blind safe palette).
ESTIMATOR_COLORS: dict[str, str] = {
    "exact": "#000000",
    "reinforce": "#D55E00",
    "reinforce_baseline": "#E69F00",
    "score": "#D55E00",
    "pathwise": "#0072B2",
    "gumbel_softmax": "#0072B2",
    "straight_through": "#009E73",
    "relaxed": "#56B4E9",
    "wrong": "#CC79A7",
}

#: Widest figure (inches) shown unscaled in the book's text column, at 100 px per inch.
MAX_WIDTH_IN = 7.4

#: The one definition of the book's figure style; every chapter applies it in its first cell.
_STYLE = {
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.transparent": False,
    "font.size": 11,
    "figure.figsize": (6.4, 3.8),
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 9,
    "legend.framealpha": 0.9,
    "text.color": "black",
    "axes.labelcolor": "black",
    "xtick.color": "black",
    "ytick.color": "black",
}


def use_book_style() -> None:
    """Apply the book's matplotlib style (white background, grid, readable sizes).

    In a Jupyter kernel it also makes inline figures "retina" PNGs: drawn at twice the
    resolution and shown at their size in inches times 100 px, so they stay sharp on
    high-density screens. A figure at most :data:`MAX_WIDTH_IN` inches wide is shown at its full
    size in the book's text column (about 750 px), where 9-point text is 12 px tall.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> from reparam_book.plotting import use_book_style
    >>> with mpl.rc_context():  # restores the previous style afterwards
    ...     use_book_style()
    ...     print(mpl.rcParams["figure.facecolor"], mpl.rcParams["axes.grid"])
    white True
    """
    mpl.rcParams.update(_STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the book's environment
        return
    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")


def estimator_color(name: str) -> str:
    """The fixed colour of an estimator (``"reinforce"``, ``"pathwise"``, ...).

    Parameters
    ----------
    name : str
        A key of :data:`ESTIMATOR_COLORS`.

    Returns
    -------
    str
        A hex colour.

    Examples
    --------
    >>> from reparam_book.plotting import estimator_color
    >>> estimator_color("pathwise"), estimator_color("reinforce")
    ('#0072B2', '#D55E00')
    """
    try:
        return ESTIMATOR_COLORS[name]
    except KeyError:
        raise ValueError(f"name: unknown estimator {name!r}; known: {sorted(ESTIMATOR_COLORS)}") from None


_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])


def simplex_to_xy(y: ArrayLike) -> np.ndarray:
    r"""Map points of the 2-simplex, shape (..., 3), to 2-D ternary-plot coordinates.

    The vertices :math:`e_1, e_2, e_3` go to :math:`(0, 0)`, :math:`(1, 0)` and
    :math:`(1/2, \sqrt 3/2)`; every other point to the same convex combination of them.

    Parameters
    ----------
    y : array_like, shape (..., 3)
        Points of the simplex (rows summing to 1).

    Returns
    -------
    numpy.ndarray, shape (..., 2)

    Examples
    --------
    >>> import numpy as np
    >>> from reparam_book.plotting import simplex_to_xy
    >>> np.round(simplex_to_xy([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1 / 3, 1 / 3, 1 / 3]]), 6)
    array([[0.      , 0.      ],
           [0.5     , 0.866025],
           [0.5     , 0.288675]])
    """
    arr = as_real_array(y, "y").astype(np.float64)
    if arr.shape[-1] != 3:
        raise ValueError(f"y: expected 3 categories on the last axis, got {arr.shape[-1]}")
    return arr @ _CORNERS


def draw_simplex(ax: plt.Axes, labels: tuple[str, str, str] = ("1", "2", "3")) -> None:
    """Draw the triangle of a ternary plot, with a vertex label for each category.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw; its aspect is set to equal and its axes are turned off.
    labels : tuple of three str
        The labels of the vertices :math:`e_1, e_2, e_3`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from reparam_book.plotting import draw_simplex
    >>> fig, ax = plt.subplots()
    >>> draw_simplex(ax, labels=("a", "b", "c"))
    >>> [text.get_text() for text in ax.texts]
    ['a', 'b', 'c']
    >>> plt.close(fig)
    """
    tri = np.vstack([_CORNERS, _CORNERS[:1]])
    ax.plot(tri[:, 0], tri[:, 1], color="black", lw=1)
    offsets = [(-0.04, -0.05), (0.04, -0.05), (0.0, 0.04)]
    for (x, y), (dx, dy), lab in zip(_CORNERS, offsets, labels):
        ax.text(x + dx, y + dy, lab, ha="center", va="center", fontsize=10)
    ax.set_aspect("equal")
    ax.set_xlim(-0.1, 1.1)
    ax.set_ylim(-0.1, 0.95)
    ax.axis("off")
