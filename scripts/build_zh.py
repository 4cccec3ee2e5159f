"""Build the Chinese edition into _build/html/zh (run by `make book` after the English one).

The Chinese edition is the English book built again with ``language: zh_CN``: Sphinx takes
every prose message from the catalogues in locale/zh_CN/LC_MESSAGES (compiling them to .mo on
the way), and everything else (code, stored outputs, figures, math) from the same notebooks.
Its configuration is _config.yml with the few differences below, written to
_build/zh/_config.yml, so the two editions cannot drift apart.

    python scripts/build_zh.py          # incremental, like `make book`
    python scripts/build_zh.py --all    # every page (the tests' build)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build" / "zh"
HTML = ROOT / "_build" / "html"
ZH_HTML = HTML / "zh"

TITLE = "重参数化技巧：可执行的推导"
# The Chinese edition's PDF, written by `make pdf` into the English root beside the English one.
ZH_PDF = "reparameterization-trick-executed-zh.pdf"
FOOTER = (
    '<p class="book-downloads">自己运行各章：'
    '<a class="book-root-link" href="reparameterization-trick-executed-source.zip">源码压缩包</a>'
    "（notebook、<code>reparam</code> 与固定版本的依赖）· "
    f'<a class="book-root-link" href="{ZH_PDF}">整本书的 PDF</a></p>'
)
# Opens each page that stays English in both editions (book_english_pages: the API appendix).
ENGLISH_PAGE_NOTE = "本附录由代码的文档字符串（docstring）生成，中文版也保留英文原文，不作翻译。"


def search_terms() -> list[str]:
    """The Chinese terms of the notation page's two glossaries, for the search index.

    Sphinx indexes Chinese text with jieba, whose stock dictionary lacks the book's terms (it
    would cut 重参数化 into 重 + 参数 + 化, so searching 重参数 finds nothing); these are added to it.
    """
    text = (ROOT / "chapters" / "notation.md").read_text(encoding="utf-8")
    glossary = text[text.index("## Glossary") :]
    terms: list[str] = []
    for line in glossary.splitlines():
        if not line.startswith("|"):
            continue
        for cell in line.strip("|").split("|"):
            cell = re.sub(r"\$[^$]*\$|\{[^}]*\}`[^`]*`", " ", cell)
            for word in re.split(r"[\s；;，,、()（）\[\]]+", cell):
                core = re.sub(r"[^\u4e00-\u9fffA-Za-z-]", "", word)
                if re.search(r"[\u4e00-\u9fff]", core) and core not in terms:
                    terms.append(core)
                    # 重参数 as well as 重参数化, 重参数化技巧: a reader types the short form
                    for suffix in ("化技巧", "技巧", "化"):
                        if core.endswith(suffix) and len(core) > len(suffix) + 1:
                            short = core[: -len(suffix)]
                            if short not in terms:
                                terms.append(short)
    return terms


def zh_config() -> dict:
    BUILD.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = TITLE
    config["author"] = "reparam 作者团队"
    # paths in a config file are read relative to its folder
    config["sphinx"]["local_extensions"] = {
        name: str(ROOT / path) for name, path in config["sphinx"]["local_extensions"].items()
    }
    config["bibtex_bibfiles"] = [str(ROOT / f) for f in config["bibtex_bibfiles"]]
    sphinx = config["sphinx"]["config"]
    sphinx["language"] = "zh_CN"
    sphinx["locale_dirs"] = [str(ROOT / "locale")]
    sphinx["html_theme_options"]["search_bar_text"] = "在本书中搜索……"
    sphinx["html_theme_options"]["extra_footer"] = FOOTER
    # buttons of myst-nb (hidden code) and sphinx-togglebutton (solutions) in Chinese
    sphinx["nb_code_prompt_show"] = "显示代码"
    sphinx["nb_code_prompt_hide"] = "隐藏代码"
    sphinx["togglebutton_hint"] = "点击展开"
    sphinx["togglebutton_hint_hide"] = "点击收起"
    sphinx["book_other_edition"] = "../"
    sphinx["book_other_language"] = "en"
    sphinx["book_other_label"] = "English"
    sphinx["book_other_title"] = "This page in English"
    sphinx["templates_path"] = [str(ROOT / p) for p in sphinx["templates_path"]]
    sphinx["book_downloads_root"] = "../"
    sphinx["book_pdf"] = ZH_PDF  # the download menu's "whole book"
    sphinx["book_english_page_note"] = ENGLISH_PAGE_NOTE
    user_dict = BUILD / "search-terms.txt"
    user_dict.write_text("".join(f"{t} 1000\n" for t in search_terms()), encoding="utf-8")
    sphinx["html_search_options"] = {"dict": str(user_dict)}
    return config


def main(argv: list[str]) -> int:
    config = BUILD / "_config.yml"
    text = yaml.safe_dump(zh_config(), allow_unicode=True, sort_keys=False)
    if not config.exists() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [
        str(jb),
        "build",
        str(ROOT),
        "--config",
        str(config),
        "--path-output",
        str(BUILD),
        "-W",
        "-n",
        "--keep-going",
    ]
    if "--all" in argv:
        cmd.append("--all")
    subprocess.run(cmd, check=True, cwd=ROOT)
    out = BUILD / "_build" / "html"
    if ZH_HTML.exists():
        shutil.rmtree(ZH_HTML)
    shutil.copytree(out, ZH_HTML)
    print(f"The Chinese edition is built. Open: file://{ZH_HTML}/index.html")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
