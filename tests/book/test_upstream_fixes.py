"""The workarounds for third-party internals (_ext/upstream_fixes) stop the build loudly when a
pinned package changes version, and their pins are the project's pins; those that replace an
extension's translations stop it when they come too late to do so."""

from __future__ import annotations

import importlib
import sys

import pytest
from booktest import ROOT

sys.path.insert(0, str(ROOT / "_ext"))
upstream_fixes = importlib.import_module("upstream_fixes")
FIXES = {
    "exercise_translation": {"sphinx-exercise": importlib.import_module("upstream_fixes.exercise_translation").PINNED},
    "toc_captions": {"sphinx-external-toc": importlib.import_module("upstream_fixes.toc_captions").PINNED},
    "sidebar_toggle": importlib.import_module("upstream_fixes.sidebar_toggle").PINNED,
    "theme_translation": importlib.import_module("upstream_fixes.theme_translation").PINNED,
    "download_menu": importlib.import_module("upstream_fixes.download_menu").PINNED,
    "codeautolink_sections": {
        "sphinx-codeautolink": importlib.import_module("upstream_fixes.codeautolink_sections").PINNED
    },
    "codeautolink_speed": {"sphinx-codeautolink": importlib.import_module("upstream_fixes.codeautolink_speed").PINNED},
    "translated_documents": {"sphinx": importlib.import_module("upstream_fixes.translated_documents").PINNED},
    "zh_search_speed": {"sphinx": importlib.import_module("upstream_fixes.zh_search_speed").PINNED},
}


def _requirements() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            name = name.split("[")[0]  # without its extras: sphinx-codeautolink[ipython]
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


@pytest.mark.parametrize("module", sorted(FIXES))
def test_pins_match_requirements(module):
    pins = _requirements()
    for distribution, pinned in FIXES[module].items():
        assert pins[distribution] == pinned, f"{module}: pinned {pinned}, requirements.txt has {pins[distribution]}"


@pytest.mark.parametrize("module", sorted(FIXES))
def test_guard_stops_the_build_on_another_version(module, monkeypatch):
    from sphinx.errors import ExtensionError

    fix = importlib.import_module(f"upstream_fixes.{module}")
    monkeypatch.setattr(upstream_fixes, "version", lambda distribution: "999.0")
    with pytest.raises(ExtensionError, match=rf"999\.0.*upstream_fixes/{module}\.py.*github\.com"):
        fix.setup(None)


@pytest.mark.parametrize(
    ("module", "extension"), [("exercise_translation", "sphinx_exercise"), ("theme_translation", "sphinx_book_theme")]
)
def test_a_catalogue_registered_after_the_extension_stops_the_build(module, extension):
    """The book's catalogue wins only if registered first: set up after the extension, the fix refuses."""
    from types import SimpleNamespace

    from sphinx.errors import ExtensionError

    fix = importlib.import_module(f"upstream_fixes.{module}")
    late = SimpleNamespace(extensions={extension: object()}, config=SimpleNamespace(language="zh_CN"))
    with pytest.raises(ExtensionError, match=rf"before {extension}"):
        fix.setup(late)


def test_linked_code_blocks_come_out_as_without_the_speed_fix():
    """Linking without parsing each block again gives the page byte for byte, escapes included."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer
    from sphinx_codeautolink.extension import block
    from sphinx_codeautolink.parse import LinkContext, Name
    from upstream_fixes.codeautolink_speed import without_reparsing

    cells = [
        'import reparam as rp\n\ng = rp.gumbel_max(x, rng=1)  # a < b & "c"\nprint(rp.gumbel_max)\n',
        'y = [i for i in range(3) if i < 2 and "&" != "<"]\n',
        "h = rp.sample_gumbel(5)\n",
    ]
    blocks = [
        '<div class="highlight-ipython3 notranslate"><div class="highlight"><pre><span></span>'
        + highlight(cell, PythonLexer(), HtmlFormatter(nowrap=True))
        + "</pre></div>\n</div>\n"
        for cell in cells
    ]
    page = "<section><h1>T &amp; U</h1><p>a &lt; b</p>\n" + "<p>text</p>\n".join(blocks) + "</section>\n"

    def name(code, line, location):
        parts = location.split(".")
        return Name(parts, code, line, line, context=LinkContext.none, resolved_location=location)

    transforms = [
        block.SourceTransform(cells[0], [name("rp.gumbel_max", n, "reparam.gumbel_max") for n in (3, 4)], None, 1),
        block.SourceTransform(cells[1], [], None, 5),
        block.SourceTransform(cells[2], [name("rp.sample_gumbel", 1, "reparam.sample_gumbel")], None, 9),
    ]
    inventory = {f"reparam.{f}": f"chapters/api.html#reparam.{f}" for f in ("gumbel_max", "sample_gumbel")}
    args = ("chapters/x", page, transforms, inventory, {}, [])
    expected = block.link_html(*args, disable_link_titles=True)
    assert expected.count('class="sphinx-codeautolink-a"') == 3
    assert without_reparsing(block.link_html)(*args, disable_link_titles=True) == expected
    assert block.BeautifulSoup.__name__ == "BeautifulSoup"  # the module's own parser again afterwards


def test_translated_nodes_belong_to_their_page():
    """A node parsed in a message's own document is handed to the page, so the page pickles alone."""
    import pickle

    from docutils import frontend, nodes, utils
    from docutils.parsers.rst import Parser
    from upstream_fixes.translated_documents import adopt_translated_nodes

    settings = frontend.get_default_settings(Parser)
    page, message = utils.new_document("page", settings), utils.new_document("message", settings)
    message.settings = frontend.get_default_settings(Parser)
    message.settings.env = list(range(100_000))  # stands for the build environment
    paragraph = nodes.paragraph()
    emphasis = nodes.emphasis(text="translated")
    emphasis.document = message
    paragraph += emphasis
    page += paragraph
    alone = len(pickle.dumps(page))
    assert alone > 100_000  # the message's document, and its settings, came along
    assert adopt_translated_nodes(None, page) == 1
    assert emphasis.document is page and len(pickle.dumps(page)) < 10_000
    assert adopt_translated_nodes(None, page) == 0


def test_the_chinese_index_term_list_answers_as_a_list():
    from upstream_fixes.zh_search_speed import TermList

    terms = TermList(["gumbel"])
    terms.extend(w for w in ["softmax", "gumbel", "tau"])
    terms.append("rp")
    assert terms == ["gumbel", "softmax", "gumbel", "tau", "rp"]
    assert all(w in terms for w in terms) and "max" not in terms and 3 not in terms
