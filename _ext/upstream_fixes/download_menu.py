"""sphinx-book-theme 1.3.0: a download menu that offers what a reader can use.

The theme's download menu is not configurable (sphinx-book-theme#763): it offers ".ipynb" (the
page's notebook, which cannot run without the ``reparam`` package, and nothing says so) and
".pdf" (which prints the current page), but neither the book's PDF nor its runnable source
archive. The theme builds the menu as a list in the page context (``header_buttons``, the group
labelled ``download-buttons``) at ``html-page-context`` priority 501; this handler runs after it
and replaces the group's entries:

- "Whole book (PDF)": the book's PDF (``book_pdf``; the Chinese edition's own PDF there);
- "Runnable source (.zip)": the readers' source archive (``book_source_archive``): chapters,
  ``reparam``, pinned requirements and RUNNING.md;
- "This page (.ipynb, needs the archive)": the page's notebook (a Markdown page: its ``.md``);
- "Print this page".

Both downloads live in the English edition's root (``book_downloads_root``, ``book_pdf`` and
``book_source_archive`` are ``_ext/edition_links.py``'s settings: the way there from the Chinese
root, and the two files); the links are relative, so they work under ``file://``. The labels are
in the edition's language.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import require

PINNED = {"sphinx-book-theme": "1.3.0"}
ISSUE = "https://github.com/executablebooks/sphinx-book-theme/issues/763"

LABELS = {
    "en": {
        "menu": "Download or print",
        "pdf": "Whole book (PDF)",
        "pdf_tip": "The whole book as one PDF, printed from these pages",
        "zip": "Runnable source (.zip)",
        "zip_tip": "The chapters, the reparam package and the pinned requirements, with RUNNING.md",
        "page": "This page ({suffix}, needs the archive)",
        "page_tip": "This page's notebook: it runs inside the unpacked source archive",
        "page_md": "This page ({suffix})",
        "page_md_tip": "This page's Markdown source",
        "print": "Print this page",
        "print_tip": "Print this page, or save it as a PDF",
    },
    "zh": {
        "menu": "下载或打印",
        "pdf": "整本书（PDF）",
        "pdf_tip": "整本书的 PDF，由这些网页打印而成",
        "zip": "可运行的源码（.zip）",
        "zip_tip": "各章 notebook、reparam 包与固定版本的依赖，附 RUNNING.md",
        "page": "本页（{suffix}，需配合源码压缩包）",
        "page_tip": "本页的 notebook：解压源码压缩包后在其中运行",
        "page_md": "本页（{suffix}）",
        "page_md_tip": "本页的 Markdown 源文件",
        "print": "打印本页",
        "print_tip": "打印本页，或另存为 PDF",
    },
}


def labels(language: str | None) -> dict[str, str]:
    """The menu's words in the edition's language (English unless it is Chinese)."""
    return LABELS["zh" if (language or "").startswith("zh") else "en"]


def menu_entries(app: Sphinx, pagename: str, context: dict) -> list[dict]:
    """The download menu of one page, in the theme's button format."""
    words = labels(app.config.language)
    to_downloads = "../" * pagename.count("/") + app.config.book_downloads_root
    suffix = context.get("page_source_suffix") or ""
    source = f"{context['pathto']('_sources', 1)}/{context['sourcename']}"
    notebook = suffix == ".ipynb"
    return [
        {
            "type": "link",
            "url": to_downloads + app.config.book_pdf,
            "text": words["pdf"],
            "tooltip": words["pdf_tip"],
            "icon": "fas fa-file-pdf",
            "label": "download-book-pdf-button",
        },
        {
            "type": "link",
            "url": to_downloads + app.config.book_source_archive,
            "text": words["zip"],
            "tooltip": words["zip_tip"],
            "icon": "fas fa-file-zipper",
            "label": "download-source-archive-button",
        },
        {
            "type": "link",
            "url": source,
            "text": words["page" if notebook else "page_md"].format(suffix=suffix),
            "tooltip": words["page_tip" if notebook else "page_md_tip"],
            "icon": "fas fa-code" if notebook else "fas fa-file",
            "label": "download-source-button",
        },
        {
            "type": "javascript",
            "javascript": "window.print()",
            "text": words["print"],
            "tooltip": words["print_tip"],
            "icon": "fas fa-print",
            "label": "print-page-button",
        },
    ]


def _replace_menu(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    for button in context.get("header_buttons") or []:
        if button.get("label") == "download-buttons" and context.get("sourcename"):
            button["buttons"] = menu_entries(app, pagename, context)
            button["tooltip"] = labels(app.config.language)["menu"]


def setup(app: Sphinx) -> None:
    for distribution, pinned in PINNED.items():
        require(distribution, pinned, "download_menu", ISSUE)
    # after sphinx-book-theme's add_header_buttons (priority 501)
    app.connect("html-page-context", _replace_menu, priority=600)
