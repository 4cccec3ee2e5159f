"""The browser test's assertions (pagechecks.py) catch the defects they are for.

Each assertion runs on a small synthetic page that has the defect (it must report it) and on the
same page without it (it must not). The pages are written to a temporary folder and opened in
the same headless Chromium, through file://, as the book's pages. The book's own scripts that
fix some of these defects (_static/code-lines.js, math-overflow.js, search-offline.js) are
tested here the same way, on pages that need them.
"""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pagechecks
import pytest
from booktest import ROOT

pytestmark = pytest.mark.browser

STATIC = ROOT / "_static"


@pytest.fixture
def open_page(browser_context, tmp_path):
    """Write ``body`` (with ``head``) to a file, open it at ``width`` px, return the page."""
    pages = []

    def _open(body: str, *, head: str = "", width: int = 1366, name: str = "page.html"):
        path = tmp_path / name
        path.write_text(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>',
            encoding="utf-8",
        )
        page = browser_context.new_page()
        pages.append(page)
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(path.as_uri(), wait_until="load")
        return page

    yield _open
    for page in pages:
        page.close()


def _png(width: int, height: int) -> str:
    """A plain grey PNG of the given size, as a data: URL."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _static(*names: str) -> str:
    """The book's own stylesheet and scripts, inlined (as the built pages load them)."""
    parts = []
    for name in names:
        text = (STATIC / name).read_text(encoding="utf-8")
        parts.append(f"<style>{text}</style>" if name.endswith(".css") else f"<script>{text}</script>")
    return "".join(parts)


# ------------------------------------------------------------------------------- figures


@pytest.mark.parametrize("width", [390, 1366])
def test_a_figure_squeezed_by_max_width_is_distorted(open_page, width):
    # Sphinx writes the figure's size into its style; max-width shrinks only the width
    figure = f'<img src="{_png(72, 52)}" style="width: 720px; height: 520px; max-width: 100%">'
    page = open_page(f'<article class="bd-article">{figure}</article>', width=width)
    problems = pagechecks.distorted_images(page)
    assert (problems != []) == (width < 720), problems
    fixed = open_page(f'<article class="bd-article">{figure}</article>', head=_static("custom.css"), width=width)
    # custom.css's rule is scoped to .bd-content
    fixed.evaluate("() => document.body.classList.add('bd-content')")
    assert pagechecks.distorted_images(fixed) == []


# ---------------------------------------------------------------------------------- code

LONG = "result = check_mc('a check with a long name', values, exact=0.5, wrong={'dropped term': 0.25, 'sign': -0.5})"
CHECK = "✔ sampling · a check with a long name · estimate 0.5003 ± 0.0012 · exact 0.5 · |z| = 0.25 ≤ 5 · and more text"
TABLE = "  tau |   mean of g_tau        |       SE                  |   bias / SE   more columns here"


def _cells(style: str) -> str:
    return (
        f'<article class="bd-article" style="width: 500px">'
        f'<div class="cell_input"><pre style="{style}">{LONG}\n</pre></div>'
        f'<div class="cell_output"><pre style="{style}">{TABLE}\n{TABLE}\n{CHECK}\n</pre></div></article>'
    )


def test_code_behind_a_scroll_bar_is_hidden_code(open_page):
    page = open_page(_cells("white-space: pre; overflow-x: auto"))
    problems = pagechecks.hidden_code(page)
    assert any(p.startswith("code wider than its box") and "check_mc" in p for p in problems), problems
    assert any(p.startswith("check line past its box") for p in problems), problems
    assert len(problems) == 2, f"a printed table may scroll: {problems}"


def test_wrapped_code_and_check_lines_are_not_hidden(open_page):
    page = open_page(_cells("white-space: pre-wrap; overflow-x: auto"))
    assert pagechecks.hidden_code(page) == []


def test_code_lines_wraps_code_and_checks_but_not_printed_tables(open_page):
    """_static/code-lines.js with custom.css: code and check lines wrap, a table's rows do not,
    and the text (what copying takes) is unchanged."""
    body = f'<div class="bd-content"><article class="bd-article" style="width: 500px">{_cells("")}</article></div>'
    page = open_page(body, head=_static("custom.css", "code-lines.js"))
    assert pagechecks.hidden_code(page) == []
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll('.cell_output .book-line')).map(l => ({
             table: getComputedStyle(l).whiteSpace === 'pre', height: l.getBoundingClientRect().height}))"""
    )
    assert [r["table"] for r in rows] == [True, True, False], rows
    assert rows[0]["height"] == rows[1]["height"] and rows[2]["height"] > 1.8 * rows[0]["height"], rows
    texts = page.evaluate("() => Array.from(document.querySelectorAll('pre')).map(p => p.textContent)")
    assert texts == [f"{LONG}\n", f"{TABLE}\n{TABLE}\n{CHECK}\n"]


# ------------------------------------------------------------------------------ formulas

SHADOW = (
    "background: radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.3), transparent) right / 1em 100% no-repeat"
)


def test_a_scroll_cue_on_a_formula_that_fits_is_misleading(open_page):
    body = (
        '<article class="bd-article"><p>The parameter '
        f'<mjx-container jax="CHTML" style="display: inline-block; overflow-x: auto; {SHADOW}">'
        '<span style="display: inline-block; width: 10px">θ</span></mjx-container> moves.</p></article>'
    )
    page = open_page(body)
    problems = pagechecks.misleading_math_cues(page)
    assert len(problems) == 1 and problems[0].startswith("inline formula with a scroll cue"), problems
    fixed = open_page(body.replace(SHADOW, "background: none"))
    assert pagechecks.misleading_math_cues(fixed) == []


def test_a_formula_cut_off_without_a_cue_is_reported(open_page):
    body = (
        '<article class="bd-article"><mjx-container jax="CHTML" display="true" '
        'style="display: block; width: 200px; overflow-x: auto">'
        '<span style="display: inline-block; width: 500px">a long formula</span></mjx-container></article>'
    )
    problems = pagechecks.misleading_math_cues(open_page(body))
    assert len(problems) == 1 and problems[0].startswith("display formula cut off by 300 px"), problems


def test_math_overflow_cues_only_formulas_wider_than_their_room(open_page):
    """_static/math-overflow.js with custom.css: a formula whose accent reaches 3 px past its box
    is drawn whole, without a cue; one wider than the column scrolls, with the cue."""
    # MathJax has typeset the page; the theme's page colour, which the cues' covers are painted in
    mathjax = "<script>window.MathJax = {startup: {promise: Promise.resolve()}};</script>"
    mathjax += "<style>html { --pst-color-background: #fff; }</style>"
    formula = '<span class="math"><mjx-container jax="CHTML" class="MathJax"><span style="display: inline-block; width: {w}px; margin-right: -{o}px">f</span></mjx-container></span>'
    body = (
        '<div class="bd-content"><article class="bd-article"><p style="width: 300px">'
        + formula.format(w=12, o=3)
        + " and "
        + formula.format(w=600, o=0)
        + "</p></article></div>"
    )
    page = open_page(body, head=mathjax + _static("custom.css", "math-overflow.js"))
    page.wait_for_timeout(100)
    marked = page.evaluate(
        "() => Array.from(document.querySelectorAll('mjx-container')).map(m => m.classList.contains('book-overflows'))"
    )
    assert marked == [False, True]
    assert pagechecks.misleading_math_cues(page) == []


# ---------------------------------------------------------------------- equation numbers

EQUATION = (
    '<article class="bd-article" style="width: 360px"><div class="math" style="display: flex; {layout}">'
    '<span class="eqno" style="{eqno}">(1.1)</span>'
    '<mjx-container jax="CHTML" display="true" style="display: block; flex-grow: 1; min-width: 0; overflow-x: auto">'
    '<span style="display: inline-block; width: 500px">a formula wider than a phone</span></mjx-container>'
    "</div></article>"
)


def test_an_equation_number_beside_a_cut_formula_is_crowded(open_page):
    page = open_page(EQUATION.format(layout="flex-direction: row-reverse", eqno=""), width=390)
    assert pagechecks.crowded_equation_numbers(page) == ["(1.1) beside its formula, which is cut off"]


def test_an_equation_number_over_its_formula_is_crowded(open_page):
    page = open_page(
        EQUATION.format(layout="position: relative", eqno="position: absolute; right: 0; top: 0"), width=390
    )
    assert pagechecks.crowded_equation_numbers(page) == ["(1.1) drawn over its formula"]


def test_an_equation_number_on_its_own_line_is_fine(open_page):
    page = open_page(EQUATION.format(layout="flex-direction: column-reverse", eqno="align-self: flex-end"), width=390)
    assert pagechecks.crowded_equation_numbers(page) == []


# --------------------------------------------------------------------------------- search

SIDEBAR = '<div class="bd-sidebar-primary"><button class="search-button-field">Search</button></div>'
HEADER = '<header class="bd-header"><button class="search-button-field">Search</button></header>'
DIALOG = '<dialog><form><input type="search"></form></dialog>'


def test_a_search_box_in_a_header_band_and_in_the_sidebar_is_two(open_page):
    assert len(pagechecks.search_boxes(open_page(HEADER + DIALOG + SIDEBAR))) == 2
    assert pagechecks.search_boxes(open_page(DIALOG + SIDEBAR)) == ["button (sidebar)"]


def test_a_file_url_fetch_is_a_console_error(open_page, tmp_path):
    """What the search did under file:// for every result: fetch the page for its snippet."""
    (tmp_path / "other.html").write_text("<p>a result</p>", encoding="utf-8")
    errors = []
    search = "<script>fetch('other.html').then(r => r.text())</script>"
    page = open_page("<p>results</p>", head=search, name="search.html")
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.reload(wait_until="load")
    page.wait_for_timeout(200)
    assert errors, "a failed fetch under file:// is a console error: the search page's assertion can see it"


def test_search_offline_stops_the_snippet_fetch_under_file(open_page, tmp_path):
    """_static/search-offline.js turns Sphinx's snippets off under file://, so nothing is fetched."""
    (tmp_path / "other.html").write_text("<p>a result</p>", encoding="utf-8")
    options = "<script>const DOCUMENTATION_OPTIONS = {SHOW_SEARCH_SUMMARY: true};</script>"
    search = "<script>if (DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY) fetch('other.html')</script>"
    errors = []
    page = open_page("<p>results</p>", head=options + _static("search-offline.js") + search, name="search.html")
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.reload(wait_until="load")
    page.wait_for_timeout(200)
    assert errors == []


# --------------------------------------------------------------------------------- footer


def test_a_footer_without_the_downloads_misses_them(open_page, tmp_path):
    expected = [(tmp_path / "book.pdf").as_uri(), (tmp_path / "book-source.zip").as_uri()]
    page = open_page("<footer><p>© 2026</p></footer>")
    assert pagechecks.missing_footer_links(page, expected) == expected
    page = open_page('<footer><a href="book.pdf">PDF</a> <a href="book-source.zip">source</a></footer>')
    assert pagechecks.missing_footer_links(page, expected) == []
    hidden = open_page('<footer style="display: none"><a href="book.pdf">PDF</a></footer>')
    assert pagechecks.missing_footer_links(hidden, expected[:1]) == expected[:1]


def test_pagechecks_reads_no_class_of_the_books_fixes():
    """The assertions measure what is drawn, not the fixes' own markers (a marker could be set
    while the page still looks wrong)."""
    source = Path(pagechecks.__file__).read_text(encoding="utf-8")
    for marker in ("book-overflows", "book-line", "book-table-row", "book-check-line"):
        assert marker not in source, marker
