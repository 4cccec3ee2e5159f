#!/usr/bin/env python3
"""The whole book printed as one document per edition: an English and a Chinese PDF.

For each edition, the pages of the HTML build are joined into one HTML document, in the order of
the table of contents: a title page (title, edition, date and commit), the book's contents, the
intro as "About this book", then each part (a part page, then its chapters). Every page keeps its
article body; ids are made unique across the book and every link between pages becomes a link
inside the document, so that citations land in the references and the ledger's links land on
their checks. Code that the web pages hide behind a click (figure and helper code, ``hide-input``)
is left out; what they fold away to be opened (solutions, ``hide-cell`` cells) is printed open.
Links to files (the downloads, the notebooks) become plain text.

Chromium (Playwright driving /usr/bin/chromium, offline) typesets the math with the book's
MathJax and prints the document once, with the print stylesheet of the pages
(``_static/print.css``) and the book's layout below: named pages give every chapter its running
head, margin boxes the page numbers (roman in the front matter, arabic from Part I on). Chromium
writes every link target as a named destination, which tells on which page each chapter and
section starts: the numbers are written into the contents (slots of fixed width, so nothing
moves) and the same loaded document is printed again. pypdf then adds the bookmarks (parts,
chapters, sections), page labels that match the printed numbers, and the title metadata.

    _build/html/reparameterization-trick-executed.pdf       the English edition
    _build/html/reparameterization-trick-executed-zh.pdf    the Chinese edition (中文版)

Both editions print side by side, one Chromium each. ``scripts/build_book.py`` (``make book``)
runs this after building the HTML; an edition is printed again only when it is out of date (one
of its pages, the print stylesheet or this script is newer than its PDF, or the commit changed).

    python scripts/build_pdf.py                 # both editions, where out of date
    python scripts/build_pdf.py --force         # both editions
    python scripts/build_pdf.py --edition zh    # one edition
"""

from __future__ import annotations

import argparse
import html
import io
import logging
import os
import posixpath
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

# scripts/ is on sys.path (this script's folder)
from build_book import BUILD_DIR, HTML_DIR, ROOT, ZH_HTML_DIR, toc_docnames
from chromium import CHROMIUM, CHROMIUM_ARGS

PRINT_DIR = BUILD_DIR / "print"
# pypdf reads Chromium's PDFs fine but logs that their trailer undercounts the objects
logging.getLogger("pypdf").setLevel(logging.ERROR)
# _ext/book_downloads.py links the pages to these names.
PDF_NAMES = {"en": "reparameterization-trick-executed.pdf", "zh": "reparameterization-trick-executed-zh.pdf"}
MAX_PRINTS = 3  # the contents' numbers never move the layout; one more print proves it


@dataclass(frozen=True)
class Edition:
    code: str
    html: Path  # the edition's HTML root
    lang: str  # the HTML's and the PDF's language tag
    words: dict

    @property
    def pdf(self) -> Path:
        return HTML_DIR / PDF_NAMES[self.code]

    @property
    def folder(self) -> Path:
        return PRINT_DIR / self.code


_ZH_NUMERALS = "〇一二三四五六七八九十"
# What the printed book says, by label: (English, Chinese), in the order of EDITIONS.
_WORDS = {
    "edition": ("English edition", "中文版"),
    "contents": ("Contents", "目录"),
    "about": ("About this book", "关于本书"),
    "part": (lambda n: f"Part {_roman(n).upper()}", lambda n: f"第{_ZH_NUMERALS[n]}部分"),
    "chapter": (lambda n: f"Chapter {n}", lambda n: f"第 {n} 章"),
    "head": (
        lambda n, title: f"{n}  {title}" if n else title,
        lambda n, title: f"第 {n} 章  {title}" if n else title,
    ),
    "date": (lambda d: f"{d.day} {d:%B %Y}", lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日"),
    "printed": (
        "Printed from the book's web pages; the version of {date}, commit {commit}",
        "由本书的网页打印；版本日期 {date}，提交 {commit}",
    ),
    "dirty": ("{commit} with uncommitted changes", "{commit}（含未提交的修改）"),
    "subject": ("An executable textbook on the reparameterization trick", "关于重参数化技巧的可执行教材"),
    "keywords": (
        "reparameterization trick, Gumbel-max, Gumbel-softmax, Concrete, REINFORCE, "
        "gradient estimation, Monte Carlo, executable book",
        "重参数化技巧, Gumbel-max, Gumbel-softmax, Concrete, REINFORCE, 梯度估计, 蒙特卡洛, 可执行的书",
    ),
}
EDITIONS = {
    code: Edition(code, html, lang, {label: words[column] for label, words in _WORDS.items()})
    for column, (code, html, lang) in enumerate([("en", HTML_DIR, "en"), ("zh", ZH_HTML_DIR, "zh-CN")])
}


def _roman(n: int) -> str:
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


# ---------------------------------------------------------------------------------------------
# The book's structure and version


@dataclass
class Chapter:
    doc: str  # docname, e.g. chapters/03_gumbel_max
    number: int | None  # None for the appendices
    title: str  # plain text, without the number


@dataclass
class Part:
    caption: str
    number: int | None  # None when the part is not numbered (the appendices)
    chapters: list[Chapter]


def book_parts(root_page) -> list[Part]:
    """The parts and chapters of an edition, in its own language, from its root page's sidebar."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbered = [bool(part.get("numbered")) for part in toc.get("parts", [])]
    nav = root_page.select_one("nav.bd-docs-nav")
    parts: list[Part] = []
    for element in nav.select("p.caption, a.reference.internal"):
        if element.name == "p":
            index = len(parts)
            number = sum(numbered[: index + 1]) if index < len(numbered) and numbered[index] else None
            parts.append(Part(element.get_text(" ", strip=True), number, []))
            continue
        doc = posixpath.normpath(element["href"].split("#")[0]).removesuffix(".html")
        text = " ".join(element.get_text(" ", strip=True).split())
        m = re.match(r"(\d+)\.\s+(.*)", text)
        parts[-1].chapters.append(Chapter(doc, int(m.group(1)) if m else None, m.group(2) if m else text))
    return parts


def version() -> tuple[str, date]:
    """The commit the book is printed from (with a "+" when the tree has uncommitted changes) and its date."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()

    try:
        commit = git("rev-parse", "--short=10", "HEAD")
        day = date.fromisoformat(git("log", "-1", "--format=%cs"))
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError, ValueError):
        return "(not a git checkout)", date.today()
    return (commit + "+" if dirty else commit), day


# ---------------------------------------------------------------------------------------------
# One HTML document per edition


def _parse(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _slug(doc: str) -> str:
    return "doc-" + re.sub(r"[^A-Za-z0-9_-]+", "-", doc)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


class Assembler:
    """Join an edition's pages into one document whose links stay inside it."""

    def __init__(self, edition: Edition):
        self.edition = edition
        self.docs = toc_docnames()
        self.pages = {doc: _parse(edition.html / f"{doc}.html") for doc in self.docs}
        self.articles = {doc: page.select_one("article.bd-article") for doc, page in self.pages.items()}
        owners: dict[str, list[str]] = {}
        for doc, article in self.articles.items():
            for element in article.find_all(id=True):
                owners.setdefault(element["id"], []).append(doc)
        # An id that two pages use (summary, exercises, id1, ...) gets its page's prefix.
        self.ids = {
            (doc, id_): (id_ if len(set(docs)) == 1 else f"{_slug(doc)}--{id_}")
            for id_, docs in owners.items()
            for doc in docs
        }
        self.out_dir = edition.folder
        self.unlinked = 0

    def relative(self, doc: str, url: str) -> str:
        """A URL of page ``doc`` (a stylesheet, an image) relative to the print document."""
        target = posixpath.normpath(posixpath.join(posixpath.dirname(doc), url))
        return Path(os.path.relpath(self.edition.html / target, self.out_dir)).as_posix()

    def link(self, doc: str, href: str) -> str | None:
        """Where a link of page ``doc`` goes in the document: ``#id``, an external URL, or None."""
        if re.match(r"[a-z][a-z0-9+.-]*:", href):
            return href if href.startswith(("http://", "https://", "mailto:")) else None
        path, _, fragment = href.partition("#")
        target = doc
        if path:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(doc), path))
            if not target.endswith(".html") or target.removesuffix(".html") not in self.articles:
                return None  # a file (download, notebook, figure) or a page outside this book
            target = target.removesuffix(".html")
        if not fragment:
            return "#" + _slug(target)
        # ids made by the page's script (the checks' anchors) are already unique in the book
        return "#" + self.ids.get((target, fragment), fragment)

    def body(self, doc: str, chapter: Chapter | None) -> str:
        """Page ``doc``'s article, rewritten for the document."""
        article = self.articles[doc]
        words = self.edition.words
        for anchor in article.select("a.headerlink"):
            anchor.decompose()
        for hidden in article.select("div.cell.tag_hide-input > details.hide"):
            hidden.decompose()  # figure and helper code that the web page hides
        for folded in article.select("details.hide"):
            for summary in folded.find_all("summary", recursive=False):
                summary.decompose()
            folded.unwrap()  # hide-cell: the solutions' cells are printed, like the solutions
        for details in article.find_all("details"):
            details["open"] = ""
        for box in article.select(".dropdown, .toggle"):
            box["class"] = [c for c in box["class"] if c not in ("dropdown", "toggle")]
        for element in article.find_all(id=True):
            element["id"] = self.ids[(doc, element["id"])]
        for anchor in article.find_all("a", href=True):
            href = self.link(doc, anchor["href"])
            if href is None:
                self.unlinked += 1
                anchor.unwrap()
            else:
                anchor["href"] = href
                anchor.attrs.pop("target", None)
        for image in article.find_all("img", src=True):
            image["src"] = self.relative(doc, image["src"])
        heading = article.find("h1")
        if heading is not None:
            if chapter is None:  # the intro: its title is the book's, on the title page
                heading.clear()
                heading.append(words["about"])
            elif chapter.number is not None:
                number = heading.find("span", class_="section-number")
                if number is not None:
                    number.string = words["chapter"](chapter.number)
                    number["class"] = ["section-number", "chapter-label"]
        return article.decode_contents()

    def sections(self, doc: str) -> list[tuple[str, str]]:
        """The (id, title HTML) of each section (h2) of a rewritten page."""
        out = []
        for heading in self.articles[doc].find_all("h2"):
            section = heading.find_parent("section")
            if section is not None and section.get("id"):
                out.append((section["id"], heading.decode_contents().strip()))
        return out


@dataclass
class Entry:
    """A line of the contents and a bookmark: level 0 front matter and parts, 1 chapters, 2 sections."""

    level: int
    target: str
    label: str  # the number ("3", "3.2") or ""
    title: str  # HTML (may hold math)


def assemble(edition: Edition, commit: str, day: date) -> tuple[str, list[Entry], dict[str, str]]:
    """The edition's whole book as one HTML document, its contents entries and its page heads."""
    asm = Assembler(edition)
    words = edition.words
    root = asm.pages[asm.docs[0]]
    parts = book_parts(root)
    title = root.title.get_text().split(" \u2014 ")[-1].strip()
    author_element = root.select_one(".component-author")
    author = re.sub(r"^\s*(By|作者[：:])\s*", "", author_element.get_text(" ", strip=True)) if author_element else ""

    # the head: the pages' stylesheets, the book's MathJax and the script that anchors check lines
    head = []
    for link in root.head.find_all("link", rel="stylesheet"):
        head.append(f'<link rel="stylesheet" href="{html.escape(asm.relative(asm.docs[0], link["href"]))}">')
    for script in root.head.find_all("script"):
        src = script.get("src", "")
        if "window.MathJax" in script.get_text() or "mathjax" in src or "check-anchors" in src:
            if src:
                defer = " defer" if script.has_attr("defer") else ""
                head.append(f'<script{defer} src="{html.escape(asm.relative(asm.docs[0], src))}"></script>')
            else:
                head.append(f"<script>{script.get_text()}</script>")

    entries: list[Entry] = [Entry(0, _slug(asm.docs[0]), "", html.escape(words["about"]))]
    heads: dict[str, str] = {}
    body: list[str] = []
    body.append(
        f'<section class="book-doc book-front" id="{_slug(asm.docs[0])}">{asm.body(asm.docs[0], None)}</section>'
    )
    page_rules = []
    for p_index, part in enumerate(parts, start=1):
        part_id = f"book-part-{p_index}"
        label = words["part"](part.number) if part.number else ""
        entries.append(Entry(0, part_id, "", html.escape(f"{label}\u2002{part.caption}".strip())))
        page = "book-part-first" if p_index == 1 else "book-part"
        body.append(
            f'<section class="book-part" id="{part_id}" style="page: {page}">'
            + (f'<p class="book-part-label">{html.escape(label)}</p>' if label else "")
            + f'<h1 class="book-part-title">{html.escape(part.caption)}</h1></section>'
        )
        for chapter in part.chapters:
            slug = _slug(chapter.doc)
            page_name = "c-" + re.sub(r"[^A-Za-z0-9]+", "-", chapter.doc)
            heads[page_name] = words["head"](chapter.number, chapter.title)
            page_rules.append(f"#{slug} {{ page: {page_name}; }}")
            number = str(chapter.number) if chapter.number is not None else ""
            entries.append(Entry(1, slug, number, html.escape(chapter.title)))
            content = asm.body(chapter.doc, chapter)
            for section_id, section_title in asm.sections(chapter.doc):
                m = re.match(r'\s*<span class="section-number">([\d.]+?)\.? </span>(.*)', section_title, re.S)
                if m:
                    entries.append(Entry(2, section_id, m.group(1), m.group(2)))
                else:
                    entries.append(Entry(2, section_id, "", section_title))
            kind = "book-chapter" if chapter.number is not None else "book-appendix"
            body.append(f'<section class="book-doc {kind}" id="{slug}">{content}</section>')

    printed = words["printed"].format(
        date=words["date"](day),
        commit=words["dirty"].format(commit=commit[:-1]) if commit.endswith("+") else commit,
    )
    title_page = (
        '<section class="book-title-page mathjax_ignore">'
        f'<h1 class="book-title">{html.escape(title)}</h1>'
        f'<p class="book-author">{html.escape(author)}</p>'
        f'<p class="book-edition">{html.escape(words["edition"])}</p>'
        f'<p class="book-version">{html.escape(printed)}</p>'
        "</section>"
    )
    contents = [f'<nav class="book-contents" id="book-contents"><h1>{html.escape(words["contents"])}</h1><ol>']
    for entry in entries:
        kind = ("toc-part" if entry.target.startswith("book-part") else "toc-front", "toc-chapter", "toc-section")[
            entry.level
        ]
        number = f'<span class="toc-number">{entry.label}</span>' if entry.label else ""
        contents.append(
            f'<li class="{kind}"><a href="#{entry.target}">{number}<span class="toc-title">{entry.title}</span>'
            f'<span class="toc-leader"></span><span class="toc-page" data-target="{entry.target}"></span></a></li>'
        )
    contents.append("</ol></nav>")

    css = BOOK_CSS[edition.code] + "\n".join(page_rules) + "\n" + running_heads(heads, words)
    document = (
        f'<!DOCTYPE html>\n<html lang="{edition.lang}" data-theme="light" data-mode="light">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
        + "\n".join(head)
        + f"\n<style>\n{css}\n</style>\n</head>\n"
        '<body class="book-print"><div class="bd-content"><div class="bd-article-container">'
        '<article class="bd-article">\n'
        + title_page
        + "\n".join(contents)
        + "\n".join(body)
        + "\n</article></div></div></body>\n</html>\n"
    )
    meta = {"title": title, "author": author, "unlinked": str(asm.unlinked)}
    return document, entries, meta


def running_heads(heads: dict[str, str], words: dict) -> str:
    """``@page`` rules: each chapter's running head and page number, the front matter's."""
    rules = [
        f"@page book-contents {{ @top-left {{ content: {_css_string(words['contents'])}; }} "
        "@top-right { content: counter(page, lower-roman); } }",
        f"@page book-about {{ @top-left {{ content: {_css_string(words['about'])}; }} "
        "@top-right { content: counter(page, lower-roman); } }",
    ]
    for name, head in heads.items():
        rules.append(
            f"@page {name} {{ @top-left {{ content: {_css_string(head)}; }} @top-right {{ content: counter(page); }} }}"
        )
    return "\n".join(rules)


# The book's layout on paper. The rules of _static/print.css (loaded with the pages' stylesheets)
# apply too: no formula backgrounds, wrapped code, boxes that do not start at a page's foot, the
# ledger's one line per check.
_LAYOUT_CSS = """
@page { size: A4; margin: 22mm 21mm 20mm 21mm;
  @top-left { font: 8pt var(--book-head-font); color: #555; vertical-align: bottom; padding-bottom: 3mm; }
  @top-right { font: 8pt var(--book-head-font); color: #555; vertical-align: bottom; padding-bottom: 3mm; }
}
html { font-size: 9.5pt !important; }
body.book-print { background: #fff; }
.bd-content, .bd-article-container, article.bd-article { max-width: none !important; width: auto !important;
  padding: 0 !important; margin: 0 !important; overflow: visible !important; }
article.bd-article p, article.bd-article li { line-height: 1.45; text-align: justify; hyphens: auto; }
article.bd-article td p, article.bd-article th p, article.bd-article td, article.bd-article th,
article.bd-article .citation p, article.bd-article div.citation { text-align: left; hyphens: manual; }
article.bd-article td, article.bd-article th { padding: 0.2em 0.45em; vertical-align: top; }
.book-title-page { page: book-title; height: 250mm; box-sizing: border-box; padding: 45mm 0 0;
  display: flex; flex-direction: column; text-align: left; break-after: page; }
.book-title-page h1.book-title { font-size: 2.9rem; line-height: 1.2; margin: 0 0 1.2rem; font-weight: 700;
  border: 0; text-align: left; }
.book-title-page .book-author { font-size: 1.3rem; margin: 0 0 0.4rem; text-align: left; }
.book-title-page .book-edition { font-size: 1.3rem; margin: 0; color: #444; text-align: left; }
.book-title-page .book-version { margin-top: auto; font-size: 0.85rem; color: #555; text-align: left; }
nav.book-contents { page: book-contents; }
nav.book-contents h1 { font-size: 2rem; margin: 0 0 1.2rem; }
nav.book-contents ol { list-style: none; padding: 0; margin: 0; }
nav.book-contents li { margin: 0; padding: 0; text-align: left; break-inside: avoid; }
nav.book-contents a { display: flex; align-items: baseline; color: inherit; text-decoration: none; }
nav.book-contents .toc-number { flex: 0 0 auto; min-width: 2.6em; }
nav.book-contents .toc-title { flex: 0 1 auto; }
nav.book-contents .toc-leader { flex: 1 1 0; margin: 0 0.3em; min-width: 1.5em; overflow: hidden;
  white-space: nowrap; color: #999; font-weight: 400; }
nav.book-contents .toc-leader::before { content: ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . ."; }
nav.book-contents .toc-page { flex: 0 0 3em; text-align: right; font-variant-numeric: tabular-nums; }
nav.book-contents .toc-front, nav.book-contents .toc-part { font-weight: 700; margin-top: 0.9em; font-size: 1.05rem; }
nav.book-contents .toc-part .toc-leader, nav.book-contents .toc-part .toc-page { visibility: hidden; }
nav.book-contents .toc-chapter { font-weight: 600; margin-top: 0.45em; }
nav.book-contents .toc-section { padding-left: 2.6em; font-size: 0.92rem; }
nav.book-contents .toc-section .toc-number { min-width: 3em; }
section.book-front { page: book-about; }
section.book-part { height: 200mm; display: flex; flex-direction: column; justify-content: center; }
section.book-part .book-part-label { font: 1.3rem var(--book-head-font); color: #555; margin: 0 0 0.3rem; }
section.book-part h1.book-part-title { font-size: 2.6rem; margin: 0; }
section.book-doc > section > h1 { font-size: 2.1rem; margin: 0 0 1.4rem; padding-top: 6mm; line-height: 1.2; }
section.book-doc h1 .chapter-label { display: block; font-size: 1.1rem; font-weight: 600;
  color: var(--pst-color-primary); letter-spacing: 0.02em; margin-bottom: 0.5rem; }
section.book-doc h2 { font-size: 1.45rem; margin-top: 1.6rem; }
section.book-doc h3 { font-size: 1.2rem; }
div.cell_input, div.cell_output pre, div.highlight pre { font-size: 0.8rem; line-height: 1.35; }
div.cell_output .output.stream pre, div.cell_output .output pre { font-size: 0.78rem; }
figure, div.cell_output img { margin-top: 0.4rem; margin-bottom: 0.4rem; }
.bd-content div.cell_output table, .bd-content table.table { font-size: 0.75rem; }
a { text-decoration: none; }
"""

_FONTS = {
    # Latin text in a book face (the formulas are MathJax's TeX fonts); headings stay sans.
    "en": """
:root { --book-head-font: "DejaVu Sans", sans-serif;
  --pst-font-family-base: "Liberation Serif", "DejaVu Serif", serif; }
body.book-print { font-family: var(--pst-font-family-base); }
body.book-print h1, body.book-print h2, body.book-print h3, body.book-print .admonition-title,
nav.book-contents .toc-part, nav.book-contents .toc-front, .book-title-page .book-author,
.book-title-page .book-edition, .book-title-page .book-version { font-family: "DejaVu Sans", sans-serif; }
""",
    # Chinese is set in the sans face the web pages use.
    "zh": """
:root { --book-head-font: "DejaVu Sans", "WenQuanYi Micro Hei", sans-serif; }
article.bd-article p, article.bd-article li { text-align: left; }
""",
}
BOOK_CSS = {code: _LAYOUT_CSS + fonts for code, fonts in _FONTS.items()}


# ---------------------------------------------------------------------------------------------
# Printing, and the PDF's bookmarks, page labels and metadata


def _destinations(pdf: bytes) -> dict[str, tuple[int, float]]:
    """Every named destination of a PDF Chromium printed: name -> (page index, top in points)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    out = {}
    for name, dest in reader.named_destinations.items():
        top = dest.get("/Top")
        out[str(name).lstrip("/")] = (reader.get_destination_page_number(dest), float(top) if top is not None else 0.0)
    return out


def _page_label(index: int, first_body: int) -> str:
    return _roman(index + 1) if index < first_body else str(index - first_body + 1)


def _wait_for_typesetting(page) -> str:
    """Wait for MathJax and the fonts; returns "" or what is wrong with the document."""
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=120_000)
    page.evaluate("() => MathJax.startup.promise.then(() => true)")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    problems = page.evaluate(
        """() => {
          const out = [];
          const untypeset = [...document.querySelectorAll('article .math')]
            .filter(el => !el.querySelector('mjx-container')).length
            + document.querySelectorAll('mjx-merror').length;
          if (untypeset) out.push(untypeset + ' math element(s) not typeset');
          const dangling = [...document.querySelectorAll('a[href^="#"]')]
            .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
            .filter(id => !document.getElementById(id));
          if (dangling.length) out.push(dangling.length + ' link(s) to nowhere: ' + [...new Set(dangling)].slice(0, 5));
          return out.join('; ');
        }"""
    )
    return problems


def _plain_titles(page, entries: list[Entry]) -> dict[str, str]:
    """Each entry's title as plain text (formulas as MathJax reads them out), for the bookmarks."""
    return page.evaluate(
        """(targets) => Object.fromEntries(targets.map(id => {
          const li = document.querySelector(`.toc-page[data-target="${CSS.escape(id)}"]`).closest('li');
          const title = li.querySelector('.toc-title').cloneNode(true);
          title.querySelectorAll('mjx-container').forEach(m => {
            const mml = m.querySelector('mjx-assistive-mml');
            m.replaceWith(document.createTextNode(mml ? mml.textContent : ''));
          });
          return [id, title.textContent.replace(/\\s+/g, ' ').trim()];
        }))""",
        [e.target for e in entries],
    )


def print_edition(code: str, force: bool = False) -> str:
    """Print one edition's PDF (when out of date or forced); returns a line for the log."""
    from playwright.sync_api import sync_playwright

    edition = EDITIONS[code]
    start = time.monotonic()
    commit, day = version()
    stamp = edition.folder / "printed-from"
    if not force and not _out_of_date(edition, commit, stamp):
        return f"build_pdf: {edition.pdf.name} is up to date"
    edition.folder.mkdir(parents=True, exist_ok=True)
    document, entries, meta = assemble(edition, commit, day)
    source = edition.folder / "book.html"
    source.write_text(document, encoding="utf-8")
    assembled = time.monotonic() - start

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 800, "height": 1100})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page.emulate_media(media="print")
        page.goto(source.as_uri(), wait_until="load", timeout=120_000)
        problems = _wait_for_typesetting(page)
        if problems:
            browser.close()
            raise RuntimeError(f"{edition.pdf.name}: {problems}")
        titles = _plain_titles(page, entries)
        typeset = time.monotonic() - start
        placed: dict[str, tuple[int, float]] = {}
        for _ in range(MAX_PRINTS):
            pdf = page.pdf(prefer_css_page_size=True, print_background=True)
            dests = _destinations(pdf)
            missing = [e.target for e in entries if e.target not in dests]
            if missing:
                raise RuntimeError(f"{edition.pdf.name}: no destination for {missing[:5]}")
            now = {e.target: dests[e.target] for e in entries}
            if now == placed:
                break
            placed = now
            first_body = placed["book-part-1"][0]
            labels = {target: _page_label(index, first_body) for target, (index, _) in placed.items()}
            # Arabic numbers from Part I on: the page counter has counted the front matter's
            # pages, and a counter-reset in an @page rule lasts one page only in Chromium, so
            # Part I's page steps the counter back (margin boxes never move the text).
            page.evaluate(
                """([labels, step]) => {
                   for (const [id, label] of Object.entries(labels))
                     document.querySelectorAll(`.toc-page[data-target="${CSS.escape(id)}"]`)
                       .forEach(el => { el.textContent = label; });
                   const style = document.getElementById('book-folio-offset') || document.head.appendChild(
                     Object.assign(document.createElement('style'), {id: 'book-folio-offset'}));
                   style.textContent = `@page book-part-first { counter-increment: page ${step}; }`;
                 }""",
                [labels, 1 - first_body],
            )
        else:
            raise RuntimeError(f"{edition.pdf.name}: the contents' page numbers did not settle")
        browser.close()
    printed = time.monotonic() - start

    finish(pdf, edition, entries, titles, placed, meta, commit, day)
    stamp.write_text(commit, encoding="utf-8")
    finished = time.monotonic() - start
    size = edition.pdf.stat().st_size / 1e6
    return (
        f"build_pdf: {edition.pdf.relative_to(ROOT)} ({size:.1f} MB, {_page_count(edition.pdf)} pages) in "
        f"{time.monotonic() - start:.0f} s (assembled {assembled:.0f} s, typeset {typeset - assembled:.0f} s, "
        f"printed {printed - typeset:.0f} s, bookmarks {finished - printed:.0f} s)"
    )


def _page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def finish(pdf, edition, entries, titles, placed, meta, commit, day) -> None:
    """Bookmarks, page labels, metadata; written to the edition's PDF."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle
    from pypdf.generic import Fit, NameObject, TextStringObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    first_body = placed["book-part-1"][0]
    contents_page = 1  # the title page is page 0
    writer.set_page_label(0, first_body - 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1)
    writer.set_page_label(first_body, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=1)

    writer.add_outline_item(title=edition.words["contents"], page_number=contents_page, fit=Fit.fit())
    parents: dict[int, object] = {}
    for entry in entries:
        index, top = placed[entry.target]
        title = titles[entry.target]
        if entry.label and entry.level > 0:
            title = f"{entry.label} {title}"
        parent = parents.get(entry.level - 1) if entry.level > 0 else None
        item = writer.add_outline_item(
            title=title, page_number=index, parent=parent, fit=Fit.xyz(left=0, top=top), is_open=entry.level == 0
        )
        parents[entry.level] = item
        for deeper in [level for level in parents if level > entry.level]:
            del parents[deeper]
    writer.page_mode = "/UseOutlines"
    writer.create_viewer_preferences().display_doctitle = True
    writer.root_object[NameObject("/Lang")] = TextStringObject(edition.lang)
    writer.add_metadata(
        {
            "/Title": meta["title"],
            "/Author": meta["author"],
            "/Subject": f"{edition.words['subject']} ({edition.words['edition']})",
            "/Keywords": edition.words["keywords"],
            "/Creator": f"scripts/build_pdf.py, commit {commit}, printed by Chromium",
        }
    )
    tmp = edition.pdf.with_suffix(".pdf.part")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    tmp.replace(edition.pdf)


def _out_of_date(edition: Edition, commit: str, stamp: Path) -> bool:
    if not edition.pdf.is_file() or not stamp.is_file() or stamp.read_text(encoding="utf-8") != commit:
        return True
    built = edition.pdf.stat().st_mtime
    inputs = [edition.html / f"{doc}.html" for doc in toc_docnames()]
    inputs += [edition.html / "_static" / "print.css", Path(__file__)]
    return any(not p.exists() or p.stat().st_mtime > built for p in inputs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", choices=sorted(EDITIONS), action="append", help="print only this edition")
    parser.add_argument("--force", action="store_true", help="print even when the PDF is up to date")
    args = parser.parse_args(argv)
    codes = args.edition or list(EDITIONS)
    missing = [c for c in codes if not (EDITIONS[c].html / "index.html").is_file()]
    if missing:
        print(f"build_pdf: build the HTML first (make book): no {', '.join(missing)} edition", file=sys.stderr)
        return 1
    if not CHROMIUM.exists():
        print(f"build_pdf: {CHROMIUM} is missing (make setup-browser installs it)", file=sys.stderr)
        return 1
    # one Chromium per edition, side by side (typesetting the math keeps each busy on one core)
    with ProcessPoolExecutor(max_workers=len(codes)) as pool:
        futures = [pool.submit(print_edition, code, args.force) for code in codes]
        failed = False
        for future in futures:
            try:
                print(future.result(), flush=True)
            except Exception as err:  # noqa: BLE001 - reported, and the build fails
                print(f"build_pdf: {err}", file=sys.stderr)
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
