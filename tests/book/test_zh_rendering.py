"""The Chinese edition read as rendered: cross-references that read as Chinese, one exercise
vocabulary, Chinese chrome, one book title; and in both editions, no label written twice.

These read the built pages, not the catalogues: what a reader meets is what the build makes of a
translation (_ext/chinese_references.py, _ext/cjk_typesetting.py, _ext/upstream_fixes/), so a
sentence can be broken by the build although its message is well formed, and the reverse.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from booktest import parsed_page

pytestmark = pytest.mark.build

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Chinese characters and the punctuation set with them (as _ext/cjk_typesetting.py has it).
CJK_OR_PUNCT = re.compile(r"[\u2014\u2018\u2019\u201c\u201d\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# Where a sentence ends: a reference's neighbours are looked for inside these.
BLOCKS = ["p", "li", "dt", "dd", "td", "th", "caption", "figcaption", "h1", "h2", "h3", "h4"]
# The words that a numbered reference renders itself, in each edition.
LABELS = {
    "en": ["Figure", "Table", "Exercise", "Theorem", "Definition", "Proposition", "Lemma", "Equation", "Section"],
    "zh": ["图", "表", "习题", "练习", "定理", "定义", "命题", "引理", "式"],
}


def _pages(html: Path, toc_pages: list[str], edition: str) -> list[tuple[str, object]]:
    root = html / "zh" if edition == "zh" else html
    return [(d, parsed_page(root / f"{d}.html")) for d in toc_pages]


def _around(node) -> tuple[str, str, str]:
    """The text of the sentence block before ``node``, ``node``'s own text, and the text after it."""
    block = node.find_parent(BLOCKS) or node.parent
    own = [id(s) for s in node.find_all(string=True)]
    before, after, inside = [], [], False
    for s in block.find_all(string=True):
        if id(s) in own:
            inside = True
            continue
        (after if inside else before).append(str(s))
    return "".join(before), node.get_text(), "".join(after)


def _references(soup):
    """Each cross-reference of the article as the reader meets it: a link, or a page title with its 《》."""
    article = soup.select_one("article.bd-article")
    yield from article.select("span.book-title-ref")
    for a in article.select("a.reference.internal"):
        if not a.find_parent("span", class_="book-title-ref"):
            yield a


def test_cross_references_read_as_chinese(book_build, toc_pages):
    """No "习题 练习", no space between Chinese text and a reference that renders as Chinese, and no
    page title set bare between Chinese characters (it is 《title》)."""
    titles = {
        parsed_page(book_build.html_dir / "zh" / f"{d}.html")
        .select_one("article h1")
        .get_text(" ", strip=True)
        .rstrip("#")
        .strip()
        for d in toc_pages
    }
    faults = []
    for docname, soup in _pages(book_build.html_dir, toc_pages, "zh"):
        text = soup.select_one("article.bd-article").get_text()
        for word in ("练习", "习题 习题", "习题习题"):
            if word in text:
                faults.append(f"{docname}: {word!r} in the page")
        for ref in _references(soup):
            before, own, after = _around(ref)
            own = own.strip()
            if not own:
                continue
            if CJK_OR_PUNCT.match(own[0]) and re.search(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]\s+$", before):
                faults.append(f"{docname}: a space before {own!r}: …{before[-12:]!r}")
            if CJK_OR_PUNCT.match(own[-1]) and re.match(r"\s+[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]", after):
                faults.append(f"{docname}: a space after {own!r}: {after[:12]!r}…")
            bare = ref.name == "a" and ref.select_one("span.doc") and own in titles
            if bare and (CJK.search(before.rstrip()[-1:]) or CJK.search(after.lstrip()[:1])):
                faults.append(f"{docname}: a bare page title in a sentence: …{before[-8:]}{own}{after[:8]}…")
    assert faults == [], "cross-references that break a Chinese sentence:\n" + "\n".join(faults)


@pytest.mark.parametrize("edition", ["en", "zh"])
def test_no_label_written_twice(book_build, toc_pages, edition):
    """A numbered reference renders its own label ("Exercise 4.1", "习题 4.1"): the word before it is not
    the same label again ("exercise Exercise 4.1", "习题习题 4.1")."""
    doubled = []
    for docname, soup in _pages(book_build.html_dir, toc_pages, edition):
        for ref in _references(soup):
            before, own, _ = _around(ref)
            own = own.strip()
            for label in LABELS[edition]:
                if own.startswith(label) and re.search(re.escape(label) + r"\s*$", before, re.IGNORECASE):
                    doubled.append(f"{docname}: …{before[-16:]}{own}")
    assert doubled == [], "labels written twice:\n" + "\n".join(doubled)


def test_exercise_titles_are_chinese_titles(book_build, toc_pages):
    """习题 N.M（subtitle） and 习题 N.M（subtitle）解答, with full-width parentheses; English keeps the
    extension's "Exercise N.M (...)" and "Solution to Exercise N.M (...)"."""
    checked = 0
    for edition, exercise, solution in (
        ("zh", r"习题 \d+\.\d+(（[^()（）]+）)?", r"习题 \d+\.\d+(（[^()（）]+）)? ?解答"),
        ("en", r"Exercise \d+\.\d+( \(.+\))?", r"Solution to Exercise \d+\.\d+( \(.+\))?"),
    ):
        for docname, soup in _pages(book_build.html_dir, toc_pages, edition):
            for box, form in (("div.exercise", exercise), ("div.solution", solution)):
                for title in soup.select(f"article {box} > p.admonition-title"):
                    text = " ".join(title.get_text().split())
                    assert re.fullmatch(form, text), f"{edition}/{docname}: exercise title {text!r}"
                    checked += 1
    assert checked >= 40, f"only {checked} exercise and solution titles found"


def test_theme_speaks_chinese(book_build, toc_pages):
    """Every tooltip of the Chinese pages is Chinese (the theme's buttons, the light/dark switch, the
    heading and equation links), and so are the theme's labels of buttons and navigation. The link to
    the English twin says "This page in English" on purpose; a citation's tooltip is its (English)
    bibliography entry; the theme's print-only contents are not shown on screen."""
    english = set()
    for docname, soup in _pages(book_build.html_dir, toc_pages, "zh"):
        for el in soup.select("[title], [data-bs-title], nav[aria-label], button[aria-label]"):
            if "book-other-edition" in el.get("class", []) or el.name == "link":
                continue
            if el.find_parent(class_="onlyprint"):
                continue  # the theme's print-only contents, never shown on screen
            if el.name == "a" and "reference" in el.get("class", []) and el.find_parent(class_="bd-article"):
                if not el.get("href", "").startswith("#equation") and "headerlink" not in el.get("class", []):
                    continue  # a citation's tooltip: the bibliography entry
            for attr in ("title", "data-bs-title", "aria-label"):
                value = el.get(attr)
                if value and re.search(r"[A-Za-z]{3}", value) and not CJK.search(value):
                    english.add(f"{el.name} {attr}={value!r}")
        author = soup.select_one("p.component-author")
        assert author is not None and "作者：reparam" in " ".join(author.get_text().split()), docname
    assert english == set(), "English strings in the Chinese pages' chrome:\n" + "\n".join(sorted(english))


def test_one_book_title(book_build):
    """The Chinese book has one title: the intro's heading is the site's title."""
    soup = parsed_page(book_build.html_dir / "zh" / "intro.html")
    heading = soup.select_one("article h1").get_text(strip=True).rstrip("#")
    site = soup.title.get_text().split(" \u2014 ")[-1].strip()
    assert heading == site, f"the heading {heading!r}, the site {site!r}"


def test_su_is_cited_by_his_own_title_in_chinese(book_build):
    zh = parsed_page(book_build.html_dir / "zh" / "chapters" / "references.html").get_text()
    en = parsed_page(book_build.html_dir / "chapters" / "references.html").get_text()
    assert "漫谈重参数：从正态分布到Gumbel Softmax" in zh
    assert "Reparameterization: from the normal distribution to Gumbel Softmax (in Chinese)" in en
    assert "漫谈重参数" not in en


def test_both_editions_have_the_same_targets(book_build, toc_pages):
    """The language switch keeps the page's #anchor (_static/edition-anchor.js) because every id in a
    page's text exists in its twin: both editions are built from the same sources."""
    for docname in toc_pages:
        en = parsed_page(book_build.html_dir / f"{docname}.html").select_one("article.bd-article")
        zh = parsed_page(book_build.html_dir / "zh" / f"{docname}.html").select_one("article.bd-article")
        en_ids = {e["id"] for e in en.select("[id]")}
        zh_ids = {e["id"] for e in zh.select("[id]")}
        assert en_ids == zh_ids, (
            f"{docname}: only English {sorted(en_ids - zh_ids)[:5]}, only Chinese {sorted(zh_ids - en_ids)[:5]}"
        )
