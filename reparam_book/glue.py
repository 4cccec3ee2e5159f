"""Values that the chapters' prose shows: recorded in a cell's outputs for ``{glue:text}``.

A chapter computes a number and the prose shows it with myst-nb's ``{glue:text}`` role, so the
sentence always says what the code computes. The value travels in the cell's stored outputs, as
a *record*: a display whose MIME types carry the prefix ``application/papermill.record/`` and
whose metadata names it (the scrapbook convention, which myst-nb reads at build time). Writing
the record needs only IPython, so the chapters run in the reader's environment of the source
archive, which has no Sphinx and no myst-nb.
"""

from __future__ import annotations

from IPython.core.formatters import format_display_data
from IPython.display import display as show_output

#: The MIME-type prefix of a recorded (not displayed) value.
RECORD_PREFIX = "application/papermill.record/"


def glue_bundle(name: str, value: object) -> tuple[dict, dict]:
    """The output that records ``value`` under ``name``: its MIME bundle and metadata.

    Examples
    --------
    >>> data, metadata = glue_bundle("ratio", "0.27")
    >>> data
    {'application/papermill.record/text/plain': "'0.27'"}
    >>> metadata
    {'scrapbook': {'name': 'ratio', 'mime_prefix': 'application/papermill.record/'}}
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name: must be a non-empty string, got {name!r}")
    bundle, metadata = format_display_data(value)
    data = {RECORD_PREFIX + mime: content for mime, content in bundle.items()}
    return data, {**metadata, "scrapbook": {"name": name, "mime_prefix": RECORD_PREFIX}}


def glue(name: str, value: object, display: bool = False) -> None:
    """Record ``value`` in the cell's outputs under ``name``, for ``{glue:text}`` in the prose.

    ``display=True`` is not supported: the book shows values in the prose, not as extra outputs.
    """
    if display:
        raise ValueError("display: the book records glued values without showing them; pass display=False")
    data, metadata = glue_bundle(name, value)
    show_output(data, raw=True, metadata=metadata)
