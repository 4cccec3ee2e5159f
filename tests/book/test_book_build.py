"""The strict book build: `jupyter-book build --all -W -n --keep-going .`.

Checks that it succeeds with zero warnings, that every page in _toc.yml is built, and that
the built HTML needs no network: no script, stylesheet, font, icon or image from http(s).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from booktest import parsed_page

pytestmark = pytest.mark.build

REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'");\s]+)""", re.IGNORECASE)


def _html_pages(html_dir: Path) -> list[Path]:
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts)


def _remote_css_urls(css: str) -> list[str]:
    urls = [m.group(2) for m in CSS_URL.finditer(css)] + CSS_IMPORT.findall(css)
    return [u for u in urls if REMOTE.match(u)]


def test_build_succeeds(book_build):
    assert book_build.returncode == 0, (
        f"jupyter-book build failed (exit {book_build.returncode}); "
        f"see _build/build.log. Last lines:\n" + "\n".join(book_build.output.splitlines()[-40:])
    )
    assert book_build.output.count("build succeeded") == 2, "the English and the Chinese edition"


def test_zero_warnings(book_build):
    warnings = book_build.warning_lines()
    assert warnings == [], f"{len(warnings)} warning(s) in the build:\n" + "\n".join(warnings)


def test_every_toc_page_is_built(book_build, toc_pages):
    missing = [d for d in toc_pages if not (book_build.html_dir / f"{d}.html").is_file()]
    assert missing == [], f"pages in _toc.yml with no HTML: {missing}"
    assert (book_build.html_dir / "index.html").is_file()


def test_mathjax_is_served_from_the_build(book_build):
    mathjax = book_build.html_dir / "_static" / "mathjax"
    for part in ("startup.js", "input/tex.js", "output/chtml.js", "a11y/assistive-mml.js"):
        assert (mathjax / part).is_file(), f"MathJax 3's {part} was not copied into the build"
    fonts = list((mathjax / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    assert len(fonts) >= 20, "MathJax CHTML fonts are missing from the build"
    pages_with_mathjax = 0
    for page in _html_pages(book_build.html_dir):
        soup = parsed_page(page)
        for script in soup.find_all("script", src=True):
            if "mathjax" in script["src"].lower():
                pages_with_mathjax += 1
                assert script["src"].split("?")[0].endswith("_static/mathjax/startup.js"), script["src"]
    assert pages_with_mathjax > 0, "no page loads MathJax (is there no math in the book?)"


def test_no_remote_assets_in_pages(book_build):
    offenders: list[str] = []
    for page in _html_pages(book_build.html_dir):
        rel = page.relative_to(book_build.html_dir)
        soup = parsed_page(page)
        for tag in soup.find_all(["script", "img", "source", "iframe", "video", "audio", "embed"]):
            for attr in ("src", "srcset", "data-src"):
                value = tag.get(attr)
                if value and REMOTE.match(value):
                    offenders.append(f"{rel}: <{tag.name} {attr}={value}>")
        for tag in soup.find_all("link", href=True):
            rels = {r.lower() for r in tag.get("rel", [])}
            if rels & {"canonical", "next", "prev", "index", "search", "author", "license"}:
                continue  # navigation links, never fetched
            if REMOTE.match(tag["href"]):
                offenders.append(f"{rel}: <link rel={sorted(rels)} href={tag['href']}>")
        for tag in soup.find_all("object", data=True):
            if REMOTE.match(tag["data"]):
                offenders.append(f"{rel}: <object data={tag['data']}>")
        for style in soup.find_all("style"):
            offenders += [f"{rel}: <style> {u}" for u in _remote_css_urls(style.get_text())]
        for tag in soup.find_all(style=True):
            offenders += [f"{rel}: style= {u}" for u in _remote_css_urls(tag["style"])]
        for script in soup.find_all("script", src=False):
            # Inline scripts that hold a remote URL to load (e.g. THEBE_JS_URL = "https://...").
            text = script.get_text()
            offenders += [
                f"{rel}: inline <script> {m}"
                for m in re.findall(r"""["'](https?://[^"']+\.(?:js|css|woff2?|ttf))["']""", text)
            ]
    assert offenders == [], "remote assets in the built pages:\n" + "\n".join(offenders)


def test_no_remote_assets_in_stylesheets(book_build):
    offenders = []
    for css in sorted((book_build.html_dir / "_static").rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        for url in _remote_css_urls(text):
            offenders.append(f"{css.relative_to(book_build.html_dir)}: {url}")
    assert offenders == [], "remote url()/@import in stylesheets:\n" + "\n".join(offenders)


def test_no_launch_buttons_but_download_and_theme_switch(book_build, toc_pages):
    for docname in toc_pages:
        html = (book_build.html_dir / f"{docname}.html").read_text(encoding="utf-8")
        soup = parsed_page(book_build.html_dir / f"{docname}.html")
        lowered = html.lower()
        for needle in ("thebe", "binder", "colab", "deepnote", "jupyterhub", "launch-buttons"):
            assert needle not in lowered, f"{docname}.html mentions {needle!r}"
        assert soup.select(".theme-switch-button"), f"{docname}.html has no light/dark switch"
        assert soup.select(".dropdown-download-buttons"), f"{docname}.html has no download menu"


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_the_download_menu_offers_the_book_its_source_the_page_and_printing(book_build, toc_pages, edition):
    """Not the theme's ".ipynb" and ".pdf" (which printed the page): the whole book's PDF (each
    edition's own, in the English root), the runnable source archive, the page's notebook with a
    word on what it needs, and printing (_ext/upstream_fixes/download_menu.py)."""
    pdf = "reparameterization-trick-executed-zh.pdf" if edition else "reparameterization-trick-executed.pdf"
    if edition:
        book, source, notebook_page, markdown_page, printing = (
            "整本书（PDF）",
            "可运行的源码（.zip）",
            "本页（.ipynb，需配合源码压缩包）",
            "本页（.md）",
            "打印本页",
        )
    else:
        book, source, notebook_page, markdown_page, printing = (
            "Whole book (PDF)",
            "Runnable source (.zip)",
            "This page (.ipynb, needs the archive)",
            "This page (.md)",
            "Print this page",
        )
    html_dir = book_build.html_dir
    for docname in toc_pages:
        page = html_dir / f"{edition}{docname}.html"
        items = parsed_page(page).select(".dropdown-download-buttons .dropdown-menu li > *")
        texts = [item.get_text(" ", strip=True) for item in items]
        notebook = (html_dir / edition / "_sources" / f"{docname}.ipynb").is_file()
        assert texts == [book, source, notebook_page if notebook else markdown_page, printing], f"{edition}{docname}"
        targets = [(page.parent / item["href"]).resolve() for item in items[:3]]
        assert targets[0] == html_dir / pdf, f"{edition}{docname}: {targets[0]}"
        assert targets[1] == html_dir / "reparameterization-trick-executed-source.zip" and targets[1].is_file()
        assert targets[2].is_file() and targets[2].suffix == (".ipynb" if notebook else ".md"), targets[2]
        assert items[3].get("onclick") == "window.print()"


def test_pages_load_only_the_icons_they_show(book_build):
    """_ext/icons.py replaces the theme's Font Awesome script (1.5 MB) by one for the icons in use."""
    script = book_build.html_dir / "_static" / "scripts" / "fontawesome.js"
    assert script.stat().st_size < 20_000, f"fontawesome.js is {script.stat().st_size} bytes"
    text = script.read_text(encoding="utf-8")
    used = set()
    for page in _html_pages(book_build.html_dir):
        used |= set(re.findall(r'class="fa-solid (fa-[a-z0-9-]+)', page.read_text(encoding="utf-8")))
    assert len(used) >= 5
    missing = sorted(n for n in used if f".{n}::before" not in text)
    assert missing == [], f"icons used by pages but not drawn: {missing}"


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_every_labelled_equation_has_its_mark_and_every_check_its_anchor(book_build, toc_pages, edition):
    """Rendered from the check records (_ext/verification.py): a mark under each labelled display,
    an id on each check, the records' JSON nowhere in the page, no script that re-parses lines."""
    assert not (book_build.html_dir / "_static" / "check-anchors.js").exists()
    equations = marks = checks = 0
    for doc in toc_pages:
        soup = parsed_page(book_build.html_dir / f"{edition}{doc}.html")
        article = soup.select_one("article")
        displays = [
            m for m in article.select("div.math[id^='equation-']") if not m.find_parent("div", class_="cell_output")
        ]
        for math in displays:
            mark = math.find_next_sibling()
            assert mark is not None and "eq-mark" in mark.get("class", []), f"{doc}: {math['id']} has no mark"
        equations += len(displays)
        marks += len(article.select("div.eq-mark"))
        for record in article.select("div.check-record"):
            assert record.get("id", "").startswith("check-"), f"{doc}: a check without its anchor"
            checks += 1
        assert "application/vnd.reparam" not in str(article), f"{doc}: a raw check record in the page"
    assert equations >= 59 and marks == equations, (equations, marks)
    assert checks >= 150, f"only {checks} checks rendered"
