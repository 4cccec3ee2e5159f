"""The Chinese edition (中文版): built from the English sources and locale/zh_CN, complete,
kept in step with the English, and every page linked to its twin in the other language.
The pages that stay English in both editions (``book_english_pages`` in _config.yml: the API
appendix, generated from the docstrings) have no catalogue; their Chinese twin opens with one
Chinese sentence saying so.

The catalogue test extracts the English edition's messages afresh (Sphinx's gettext builder)
and fails when one has no Chinese translation, a fuzzy (stale) one, one that is not Chinese (or mostly English), or
one whose math, roles, references, inline code or link targets differ from the English: an
English edit without its translation does not pass `make test`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import translations
import yaml
from booktest import ROOT, parsed_page
from bs4 import BeautifulSoup

pytestmark = pytest.mark.build

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_PAGES = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"][
    "book_english_pages"
]


def test_every_message_is_translated_and_current():
    reports = translations.reports(translations.extract())
    print(translations.stats_table(reports))
    assert sum(r.messages for r in reports) > 500, "the extraction found too few messages"
    catalogued = {r.page.removesuffix(".po") for r in reports}
    assert not catalogued & set(ENGLISH_PAGES), "a page that stays English has a catalogue"
    problems = [p for r in reports for p in r.problems]
    assert problems == [], f"{len(problems)} message(s) without a current Chinese translation:\n" + "\n".join(
        problems[:40]
    )


def _twin(page: Path, soup: BeautifulSoup) -> Path:
    link = soup.select_one("a.book-other-edition")
    assert link is not None, f"{page} has no link to the other edition"
    return (page.parent / link["href"]).resolve()


def test_every_page_has_a_twin_in_the_other_language(book_build, toc_pages):
    html = book_build.html_dir
    for docname in toc_pages:
        en, zh = html / f"{docname}.html", html / "zh" / f"{docname}.html"
        assert zh.is_file(), f"{docname} has no Chinese page"
        en_soup = parsed_page(en)
        zh_soup = parsed_page(zh)
        assert en_soup.html["lang"] == "en" and zh_soup.html["lang"] == "zh-CN", docname
        assert _twin(en, en_soup) == zh.resolve(), f"{docname}: the English page's 中文 link"
        assert _twin(zh, zh_soup) == en.resolve(), f"{docname}: the Chinese page's English link"
        title = zh_soup.select_one("article h1")
        if docname in ENGLISH_PAGES:
            note = title.find_next("p")
            assert note is not None and "英文" in note.get_text(), f"{docname}: no Chinese note that it stays English"
        else:
            assert title is not None and CJK.search(title.get_text()), f"{docname}: title not in Chinese"
        parts = [c.get_text() for c in zh_soup.select(".bd-sidebar-primary .caption-text")]
        assert parts and all(CJK.search(p) for p in parts), f"{docname}: sidebar parts {parts}"


def test_chinese_pages_share_code_outputs_and_figures(book_build):
    """Code, stored outputs and figures are the English edition's, not copies to keep in step."""
    html = book_build.html_dir
    page = "chapters/04_gumbel_softmax.html"
    en = parsed_page(html / page)
    zh = parsed_page(html / "zh" / page)
    for selector in (".cell_input pre", ".cell_output pre"):
        assert [e.get_text() for e in en.select(selector)] == [e.get_text() for e in zh.select(selector)]
    en_figs = [i["src"] for i in en.select(".cell_output img")]
    assert en_figs and en_figs == [i["src"] for i in zh.select(".cell_output img")]
    zh_alt = [i.get("alt", "") for i in zh.select(".cell_output img")]
    assert all(CJK.search(a) for a in zh_alt), "figure alt text not translated"


def test_chinese_search_index_has_chinese_words(book_build):
    """Sphinx indexes Chinese words only with jieba installed (otherwise only Latin words)."""
    text = (book_build.html_dir / "zh" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    docs = index["docnames"]
    hits = set()
    for kind in ("terms", "titleterms"):  # a page is listed under a word once: title first
        found = index[kind].get("重参数", [])
        hits |= set(found if isinstance(found, list) else [found])
    assert hits, "重参数 is not in the Chinese search index (is jieba installed?)"
    assert docs.index("chapters/02_reparameterization") in hits


def test_headings_and_box_titles_are_translated(book_build, toc_pages):
    """Headings and the titles of theorem, exercise and solution boxes, compared one by one with
    the English page: where the English has prose words, the Chinese must be Chinese. (Sphinx
    silently keeps the English when a translation does not parse as what it replaces, e.g. a
    heading "1. ..." that parses as a numbered list.)"""
    html = book_build.html_dir
    selector = "article h1, article h2, article h3, article .admonition-title"
    left = []
    for docname in (d for d in toc_pages if d not in ENGLISH_PAGES):
        en = parsed_page(html / f"{docname}.html")
        zh = parsed_page(html / "zh" / f"{docname}.html")
        en_titles = [e.get_text(" ", strip=True).rstrip("#") for e in en.select(selector)]
        zh_titles = [e.get_text(" ", strip=True).rstrip("#") for e in zh.select(selector)]
        assert len(en_titles) == len(zh_titles), f"{docname}: {len(en_titles)} vs {len(zh_titles)} titles"
        for e, z in zip(en_titles, zh_titles):
            if translations.needs_chinese(e) and not CJK.search(z):
                left.append(f"{docname}: {z!r}")
    assert left == [], "titles left in English:\n" + "\n".join(left)
