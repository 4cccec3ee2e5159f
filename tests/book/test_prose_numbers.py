"""scripts/prose_numbers.py finds the decimals typed into the prose, and only those.

Numbers inside math, code, roles (a glued value is a role), link targets, HTML and directive
options are not prose; numbers in the body of a theorem, an exercise or a note are. The
allowlist allows one use per entry, requires a reason, and reports an entry that matches nothing.
"""

from __future__ import annotations

import textwrap

import prose_numbers as pn
import pytest

PROSE = textwrap.dedent(
    r"""
    (sec-label)=
    ## A section

    The bias is about 0.26, or 2.5% of the mean; the default threshold is 1e-6 and the tail
    5.7e-7. A negative bias of -0.04 counts too.

    Math is not prose: $\tau = 0.5$, $p = (0.6, 0.3)$, and

    $$
    \lVert g \rVert \approx 0.28
    $$ (eq-2.1)

    \begin{align}
    x &= 0.75
    \end{align}

    Neither are code `rp.gumbel_softmax(logits, 0.5)`, roles {glue:text}`04_x.ipynb::mean:.3f`,
    {numref}`fig-1.5`, link targets [the docs](https://example.org/v0.9), <a href="x0.3">HTML</a>,
    versions 1.0.4, nor labels eq-3.2.

    ```python
    tau = 0.1
    ```

    ```{math}
    y = 0.9
    ```

    ```{prf:theorem} A theorem at 0.25
    :label: thm-x
    :width: 0.7

    The body of a theorem is prose: 0.125.
    ```

    ::::{exercise}
    :label: ex-x

    An exercise with 3.5 in it.
    ::::
    """
)


def test_finds_the_decimals_of_the_prose_and_only_those():
    found = [n.text for n in pn.numbers_in(PROSE, "page")]
    assert found == ["0.26", "2.5", "1e-6", "5.7e-7", "0.04", "0.25", "0.125", "3.5"]


def test_math_can_be_listed_too():
    found = [(n.text, n.in_math) for n in pn.numbers_in(PROSE, "page", math=True)]
    assert [t for t, in_math in found if in_math] == ["0.5", "0.6", "0.3", "0.28", "0.75"]


def test_numbers_are_located_and_shown_in_context():
    first = pn.numbers_in(PROSE, "chapters/x")[0]
    assert first.where == "line 5"
    assert "The bias is about 0.26, or 2.5% of the mean" in first.context
    assert first.line().startswith("chapters/x: line 5: 0.26  …")
    assert pn.numbers_in("A mean of 0.5.", "p", where="cell 3 caption")[0].where == "cell 3 caption"


def test_large_counts_are_listed_apart():
    text = "We draw 200,000 samples (250003 in all), in 2019, from 1,500 rows; $n = 40{,}000$."
    assert [n.text for n in pn.numbers_in(text, "p", pattern=pn.COUNT)] == ["200,000", "250003", "1,500"]


def _allowlist(tmp_path, body: str):
    path = tmp_path / "allow.yml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return pn.read_allowlist(path)


def test_an_entry_allows_the_use_it_names_and_a_stale_one_is_seen(tmp_path):
    entries = _allowlist(
        tmp_path,
        """
        - {page: p, number: "0.26", context: "is about 0.26, or", reason: quoted from the source note}
        - {page: p, number: "0.125", context: "prose: 0.125", reason: a constant}
        - {page: p, number: "9.9", context: "gone 9.9", reason: a sentence that was rewritten}
        """,
    )
    unglued, allowed = pn.classify(pn.numbers_in(PROSE, "p"), entries)
    assert [n.text for n in allowed] == ["0.26", "0.125"]
    assert "0.26" not in [n.text for n in unglued] and "3.5" in [n.text for n in unglued]
    assert [e.number for e in entries if e.used == 0] == ["9.9"]
    # the same number elsewhere on the page, or on another page, is not allowed by the entry
    assert pn.classify(pn.numbers_in("Here 0.26 again.", "p"), entries)[0]
    assert pn.classify(pn.numbers_in("The bias is about 0.26, or so.", "q"), entries)[0]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('{page: p, number: "0.5", context: "at 0.5"}', "no reason"),
        ('{page: p, number: "0.5", context: "at one half", reason: r}', "must contain the number"),
    ],
)
def test_an_entry_needs_a_reason_and_its_number_in_the_context(tmp_path, entry, message):
    with pytest.raises(ValueError, match=message):
        _allowlist(tmp_path, f"- {entry}\n")


def test_the_books_allowlist_is_well_formed_and_current():
    """Every entry of the book's allowlist has a reason and still matches its sentence."""
    entries = pn.read_allowlist()
    for docname in sorted({e.page for e in entries}):
        pn.classify(pn.page_numbers(docname), entries)
    stale = [f"{e.page}: {e.number} …{e.context}…" for e in entries if e.used == 0]
    assert stale == [], "allowlist entries that match nothing (update scripts/prose_numbers_allowlist.yml):\n" + (
        "\n".join(stale)
    )


def test_every_decimal_of_the_books_prose_is_glued_or_allowlisted(capsys):
    """The gate: a decimal typed into any page's prose, caption or alt text fails the tests."""
    status = pn.main([])
    listed = capsys.readouterr().out
    assert status == 0, "decimals typed by hand (glue them from the code, see AUTHORING.md):\n" + listed


def test_every_large_count_of_the_chapters_is_glued():
    """Counts from 10,000 up in a chapter's prose come from its code ({count}); the notation page's
    rule for writing them quotes examples, which are text, not results."""
    from build_book import toc_docnames

    chapters = [d for d in toc_docnames() if d.startswith("chapters/0")]
    typed = [n.line() for d in chapters for n in pn.page_numbers(d, pattern=pn.COUNT)]
    assert typed == [], "counts typed by hand (glue them with {count}, see AUTHORING.md):\n" + "\n".join(typed)
