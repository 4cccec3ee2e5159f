"""Numbers glued from code follow the code, in both editions.

A number in the prose is glued from the notebook that computes it (myst-nb's ``glue``), so a
change to the computation changes the sentence, in English and in Chinese, with no hand edit.
A small synthetic book (one notebook, one Chinese catalogue, the book's own extensions) is
executed and built in both editions; a copy with one computation changed is executed and built
too: the sentence must follow in both. Glued values use the path form,
``{glue:text}`page.ipynb::key```, and counts the book's ``count`` role (_ext/count_role.py),
which writes 200,000 in English and 20 万 in Chinese.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import nbformat
import numpy as np
import polib
import pytest
import translations
from booktest import ROOT
from bs4 import BeautifulSoup
from execute_notebooks import execute

sys.path.insert(0, str(ROOT / "_ext"))
from count_role import format_count, parse_count  # noqa: E402

CONF = f"""\
import sys
sys.path.insert(0, {str(ROOT / "_ext")!r})
project = "glue"
extensions = ["myst_nb", "translatable", "count_role", "glued_alt_text"]
nb_execution_mode = "off"
locale_dirs = ["locale"]
gettext_compact = False
exclude_patterns = ["_build", "locale"]
html_search_language = "en"  # no jieba: search is not what this book is for
"""

CODE = """\
import numpy as np
from reparam_book.glue import glue

N_DRAWS = {n}
x = np.random.default_rng(7).random(N_DRAWS)
glue("n_draws", N_DRAWS, display=False)
glue("mean", round(float(x.mean()), 3), display=False)"""

# a figure (a 1x1 PNG) whose alt text states the glued mean
FIGURE = """\
from base64 import b64decode
from IPython.display import Image

Image(b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="))"""
ALT = "A dot at the mean, {glue:text}`sample.ipynb::mean:.3f`, of {count}`n_draws` draws."
ALT_TRANSLATION = "均值 {glue:text}`sample.ipynb::mean:.3f` 处的一个点，共 {count}`n_draws` 次抽样。"
SENTENCE = "We drew {count}`n_draws` uniform numbers; their mean is {glue:text}`sample.ipynb::mean:.3f`."
# as a translator writes it: the roles exactly as in the English, a space on each side
TRANSLATION = "我们抽取了 {count}`n_draws` 个均匀分布的数，均值为 {glue:text}`sample.ipynb::mean:.3f`。"


def _write_book(src, n: int) -> None:
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text("# Glue\n\n```{toctree}\nsample\n```\n", encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    figure = nbformat.v4.new_code_cell(FIGURE)
    figure.metadata["mystnb"] = {"image": {"alt": ALT}}
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# Sample\n\n{SENTENCE}"),
        nbformat.v4.new_code_cell(CODE.format(n=n)),
        figure,
    ]
    nbformat.write(nb, src / "sample.ipynb")
    catalogue = src / "locale" / "zh_CN" / "LC_MESSAGES"
    catalogue.mkdir(parents=True, exist_ok=True)
    translated = {"Sample": "样本", SENTENCE: TRANSLATION, ALT: ALT_TRANSLATION}
    for page, messages in {"index": {"Glue": "粘贴"}, "sample": translated}.items():
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "zh_CN"}
        for msgid, msgstr in messages.items():
            po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
        po.save(str(catalogue / f"{page}.po"))


# Every build strict, as the book's. One process builds them all, one after the other (Sphinx and
# myst-nb take longer to import than to build this book), English first: Sphinx keeps the last
# language's translations of its own labels for the next build in the same process.
BUILDS = """\
import sys
from sphinx.cmd.build import build_main

for src, out, language in {builds!r}:
    if build_main(["-b", "html", "-q", "-W", "-n", "--keep-going", "-D", f"language={{language}}", src, out]):
        sys.exit(f"the {{language}} build of {{src}} failed")
"""
LANGUAGES = ("en", "zh_CN")


def _html(src, language: str):
    """Each build in a folder of its own: myst-nb writes the glued values beside the HTML folder
    (and caches them by that folder's name)."""
    return src.parent / f"{src.name}-{language}" / "html"


def _build(sources) -> None:
    builds = [(str(src), str(_html(src, language)), language) for language in LANGUAGES for src in sources]
    run = subprocess.run([sys.executable, "-c", BUILDS.format(builds=builds)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def _sentence(src, language: str) -> tuple[str, str]:
    """The glued sentence and the figure's alt text."""
    page = BeautifulSoup((_html(src, language) / "sample.html").read_text(encoding="utf-8"), "html.parser")
    return page.select_one("section p").get_text(), page.select_one("img")["alt"]


def _expected(n: int) -> dict[str, str]:
    mean = f"{round(float(np.random.default_rng(7).random(n).mean()), 3):.3f}"
    en, zh = format_count(n, "en"), format_count(n, "zh_CN")
    return {
        "en": (f"We drew {en} uniform numbers; their mean is {mean}.", f"A dot at the mean, {mean}, of {en} draws."),
        "zh_CN": (f"我们抽取了 {zh}个均匀分布的数，均值为 {mean}。", f"均值 {mean} 处的一个点，共 {zh}次抽样。"),
    }


def test_a_changed_computation_changes_the_sentence_in_both_editions(tmp_path):
    for english, chinese in ((SENTENCE, TRANSLATION), (ALT, ALT_TRANSLATION)):
        assert translations.check_entry(english, chinese) == [], f"{chinese!r} breaks a house rule"
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    _write_book(before, 200_000)
    execute(before / "sample.ipynb")
    shutil.copytree(before, after)
    nb = nbformat.read(after / "sample.ipynb", as_version=4)
    nb.cells[1].source = nb.cells[1].source.replace("N_DRAWS = 200000", "N_DRAWS = 62500")
    nbformat.write(nb, after / "sample.ipynb")
    execute(after / "sample.ipynb")
    _build([before, after])
    seen = {src.name: {language: _sentence(src, language) for language in LANGUAGES} for src in (before, after)}
    assert seen == {"before": _expected(200_000), "after": _expected(62_500)}
    assert seen["before"]["en"][0].startswith("We drew 200,000 uniform numbers")
    assert seen["before"]["zh_CN"][0].startswith("我们抽取了 20 万个均匀分布的数")
    assert seen["after"]["zh_CN"][0].startswith("我们抽取了 6.25 万个均匀分布的数")


@pytest.mark.parametrize(
    ("n", "english", "chinese"),
    [
        (0, "0", "0"),
        (9999, "9999", "9999"),
        (10_000, "10,000", "1 万"),
        (62_500, "62,500", "6.25 万"),
        (200_000, "200,000", "20 万"),
        (250_003, "250,003", "250003"),
        (10_010_000, "10,010,000", "1001 万"),
        (99_999_900, "99,999,900", "9999.99 万"),
        (100_000_000, "100,000,000", "1 亿"),
        (123_456_700, "123,456,700", "123456700"),
        (1_250_000_000, "1,250,000,000", "12.5 亿"),
    ],
)
def test_counts_are_written_as_each_edition_writes_them(n, english, chinese):
    assert format_count(n, "en") == english
    assert format_count(n, None) == english
    assert format_count(n, "zh_CN") == chinese


@pytest.mark.parametrize(("value", "error"), [(-1, ValueError), (2.0, TypeError), (True, TypeError), ("5", TypeError)])
def test_a_count_is_a_non_negative_int(value, error):
    with pytest.raises(error, match="^n: "):
        format_count(value, "en")


@pytest.mark.parametrize("stored", ["200000", "np.int64(200000)", "2e5", "-3", "True", "'5'"])
def test_only_a_glued_python_int_is_a_count(stored):
    if stored == "200000":
        assert parse_count(stored) == 200_000
    else:
        with pytest.raises(ValueError, match="glue a non-negative int"):
            parse_count(stored)


def test_the_glossary_states_the_rule_the_role_applies():
    """The rule is written once for readers (the notation page) and once as code (the role)."""
    glossary = (ROOT / "chapters" / "notation.md").read_text(encoding="utf-8")
    rule = textwrap.dedent(glossary[glossary.index("**Numbers glued from code**") :]).replace("\n  ", " ")
    for words in ("200,000 in English", "20 万, 6.25 万", "from 100 million up in 亿", "plain digits (250003)"):
        assert words in rule, f"the glossary no longer says {words!r}: update _ext/count_role.py with it"


@pytest.mark.parametrize(
    ("stored", "spec"), [("0.50053", ".3f"), ("0.50053", ""), ("12", "d"), ("0.0123", ".1%"), ("'x'", "s")]
)
def test_alt_text_formats_a_value_as_glue_text_does(stored, spec):
    from glued_alt_text import format_text
    from myst_nb.core.variables import format_plain_text

    assert format_text(stored, spec) == format_plain_text(stored, spec)
