"""The API appendix (chapters/api.md) documents every public name, from the docstrings, in both
editions' navigation; the names in the chapters' code cells link to it (sphinx-codeautolink)."""

from __future__ import annotations

import pytest
from booktest import parsed_page, toc_docnames

import reparam
import reparam.testing

pytestmark = pytest.mark.build

API = "chapters/api"


def test_every_public_name_is_documented(book_build):
    page = parsed_page(book_build.html_dir / f"{API}.html")
    documented = {dt["id"] for dt in page.select("dt.sig[id]")}
    public = [f"{module.__name__}.{name}" for module in (reparam, reparam.testing) for name in module.__all__]
    missing = [name for name in public if name not in documented]
    assert missing == [], f"public names missing from {API}.md: {missing}"
    extra = sorted(name for name in documented if name.count(".") <= 2 and name not in public and "." in name)
    assert all(name.startswith("reparam.testing.TestResult.") for name in extra), f"not public: {extra}"


def test_the_docstrings_sections_are_rendered(book_build):
    """numpydoc turns Parameters, Returns and Examples into sections, not raw text."""
    page = parsed_page(book_build.html_dir / f"{API}.html")
    entry = page.select_one("dt#reparam\\.gumbel_softmax").find_next_sibling("dd")
    fields = [dt.get_text(" ", strip=True) for dt in entry.select("dl.field-list > dt")]
    assert fields[:2] == ["Parameters :", "Returns :"], fields
    assert entry.select("div.doctest, div.highlight-pycon, pre"), "no Examples in gumbel_softmax's entry"
    assert "%(rng)s" not in page.get_text(), "the shared rng= text was not filled in"


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_the_appendix_is_in_the_navigation(book_build, edition):
    assert API in toc_docnames()
    intro = parsed_page(book_build.html_dir / edition / "intro.html")
    assert intro.select(f'.bd-sidebar-primary a[href$="{API}.html"]'), f"{edition or 'en/'}: no link to {API}"


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_code_cells_link_names_to_the_appendix(book_build, edition):
    html = book_build.html_dir / edition
    api = (html / f"{API}.html").resolve()

    def targets(docname: str) -> set[str]:
        links = parsed_page(html / f"{docname}.html").select(".cell_input a.sphinx-codeautolink-a")
        page = (html / docname).parent
        return {f"{(page / a['href'].split('#')[0]).resolve()}#{a['href'].partition('#')[2]}" for a in links}

    for docname in (d for d in toc_docnames() if d.startswith("chapters/0")):
        pages = {t.split("#")[0] for t in targets(docname)}
        assert pages == {str(api)}, f"{edition}{docname}: code links to {pages or 'nothing'}"
    wanted = {f"{api}#reparam.gumbel_softmax", f"{api}#reparam.testing.check_mc"}
    assert wanted <= targets("chapters/04_gumbel_softmax")
