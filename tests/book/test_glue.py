"""reparam_book.glue writes the records that myst-nb's {glue:text} reads, without myst-nb."""

import nbformat
import pytest
from myst_nb.ext.glue import extract_glue_data_cell

from reparam_book.glue import glue, glue_bundle


def _cell_with(data: dict, metadata: dict) -> nbformat.NotebookNode:
    output = nbformat.v4.new_output("display_data", data=data, metadata=metadata)
    return nbformat.v4.new_code_cell("glue(...)", outputs=[output])


def test_myst_nb_reads_the_record_under_its_name():
    found = dict(extract_glue_data_cell(_cell_with(*glue_bundle("cut", "31%"))))
    assert list(found) == ["cut"]
    assert found["cut"]["data"]["text/plain"] == "'31%'"


def test_the_record_is_the_one_myst_nb_writes():
    pytest.importorskip("IPython")
    from IPython.core.formatters import format_display_data
    from myst_nb.ext.glue import GLUE_PREFIX

    bundle, metadata = format_display_data(0.5)
    assert glue_bundle("x", 0.5) == (
        {GLUE_PREFIX + k: v for k, v in bundle.items()},
        {**metadata, "scrapbook": {"name": "x", "mime_prefix": GLUE_PREFIX}},
    )


@pytest.mark.parametrize(("args", "error"), [(("", 1), TypeError), ((3, 1), TypeError)])
def test_a_bad_name_is_refused(args, error):
    with pytest.raises(error, match="name"):
        glue_bundle(*args)


def test_glue_records_without_showing():
    with pytest.raises(ValueError, match="display"):
        glue("x", 1, display=True)
