"""The book's figure style (imports matplotlib; ``import reparam`` alone does not).

Figures have an opaque white background so they stay readable when the book's dark theme is
on, labelled axes, and one fixed colour per estimator across all chapters.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

__all__ = ["ESTIMATOR_COLORS", "use_book_style", "estimator_color", "simplex_to_xy", "draw_simplex"]

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
    """Apply the book's matplotlib style (white background, grid, readable sizes)."""
    mpl.rcParams.update(_STYLE)


def estimator_color(name: str) -> str:
    """The fixed colour of an estimator (``"reinforce"``, ``"pathwise"``, ...)."""
    try:
        return ESTIMATOR_COLORS[name]
    except KeyError:
        raise ValueError(f"name: unknown estimator {name!r}; known: {sorted(ESTIMATOR_COLORS)}") from None


_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])


def simplex_to_xy(y: object) -> np.ndarray:
    """Map points of the 2-simplex, shape (..., 3), to 2-D ternary-plot coordinates."""
    arr = np.asarray(y, dtype=np.float64)
    if arr.shape[-1] != 3:
        raise ValueError(f"y: expected 3 categories on the last axis, got {arr.shape[-1]}")
    return arr @ _CORNERS


def draw_simplex(ax: plt.Axes, labels: tuple[str, str, str] = ("1", "2", "3")) -> None:
    """Draw the triangle of a ternary plot, with a vertex label for each category."""
    tri = np.vstack([_CORNERS, _CORNERS[:1]])
    ax.plot(tri[:, 0], tri[:, 1], color="black", lw=1)
    offsets = [(-0.04, -0.05), (0.04, -0.05), (0.0, 0.04)]
    for (x, y), (dx, dy), lab in zip(_CORNERS, offsets, labels):
        ax.text(x + dx, y + dy, lab, ha="center", va="center", fontsize=10)
    ax.set_aspect("equal")
    ax.set_xlim(-0.1, 1.1)
    ax.set_ylim(-0.1, 0.95)
    ax.axis("off")
