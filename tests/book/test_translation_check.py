"""What counts as a translation (scripts/translations.py): Chinese, with the same markup, in the house style."""

from __future__ import annotations

import pytest
from booktest import ROOT  # noqa: F401  (puts scripts/ on sys.path)
from translations import check_entry, needs_chinese

EN = "The estimate {eq}`eq-x` of $\\nabla L$ uses `rp.gumbel_max` ({cite:t}`su2019reparam`)."
ZH = "{eq}`eq-x` 中 $\\nabla L$ 的估计用到 `rp.gumbel_max`（{cite:p}`su2019reparam`）。"


def test_a_faithful_translation_counts():
    assert check_entry(EN, ZH) == []


@pytest.mark.parametrize(
    ("wrong", "why"),
    [
        (EN, "not Chinese"),  # a copy of the English
        (ZH.replace("$\\nabla L$", "$\\nabla_\\theta L$"), "missing math"),
        (ZH.replace("{eq}`eq-x`", "{eq}`eq-y`"), "missing role"),
        (ZH.replace("`rp.gumbel_max`", "rp.gumbel_max"), "missing code"),
        (ZH + " $x$", "not in the English math"),
    ],
)
def test_a_wrong_translation_does_not_count(wrong, why):
    problems = "; ".join(check_entry(EN, wrong))
    assert problems.startswith(why) or why in problems, problems


def test_names_alone_need_no_chinese():
    assert not needs_chinese("REINFORCE")
    assert not needs_chinese("Gumbel-top-k {cite:p}`kool2019stochastic`")
    assert needs_chinese("Sampling without replacement")


def test_link_text_may_be_translated_but_not_its_target():
    en = "See {numref}`Figure %s <fig-a>` and {doc}`the ledger <ledger>`."
    assert check_entry(en, "见 {numref}`图 %s <fig-a>` 与 {doc}`核验总表 <ledger>`。") == []
    assert check_entry(en, "见 {numref}`图 %s <fig-b>` 与 {doc}`核验总表 <ledger>`。") != []


def test_web_and_print_wording_is_translated_but_kept_as_roles():
    """{web}/{print} (_ext/print_wording.py) hold wording: the role stays, its text is prose."""
    en = "Solutions are {web}`hidden until you click them`{print}`printed after each exercise` ($n$ of them)."
    zh = "习题附有解答，{web}`点击之后才会显示`{print}`印在每道习题之后`（共 $n$ 道）。"
    assert check_entry(en, zh) == []
    assert "missing role print" in "; ".join(check_entry(en, zh.replace("{print}`印在每道习题之后`", "")))
    assert "mostly English" in "; ".join(check_entry(en, "解答" + en))
    assert needs_chinese("{web}`click the button`")


def test_catalogues_are_stored_in_one_format():
    """As sphinx-intl writes them (one line per message), so diffs show only what changed;
    `python scripts/translations.py normalize` rewrites a catalogue edited with another tool."""
    import io

    from babel.messages.pofile import write_po
    from sphinx_intl.catalog import load_po
    from translations import CATALOGUES

    catalogues = sorted(CATALOGUES.rglob("*.po"))
    assert len(catalogues) >= 11
    for po in catalogues:
        buf = io.BytesIO()
        write_po(buf, load_po(str(po)), width=0)
        assert buf.getvalue() == po.read_bytes(), f"{po.name}: run scripts/translations.py normalize"


def test_english_with_a_chinese_word_added_does_not_count():
    en = "The sample average of the score times the function is an unbiased estimate of the gradient."
    assert check_entry(en, "得分函数与函数之积的样本平均是梯度的无偏估计。") == []
    assert "mostly English" in "; ".join(check_entry(en, "注意：" + en))
    assert check_entry("sampling without replacement", "sampling without replacement（无放回采样）") == []


def test_a_numbered_heading_keeps_its_number_escaped():
    en = "1. Gumbel-softmax: a misplaced parenthesis"
    assert "numbered list" in "; ".join(check_entry(en, "1. Gumbel-softmax：括号放错了位置"))
    assert check_entry(en, "1\\. Gumbel-softmax：括号放错了位置") == []


# The house rules of the Chinese edition (glossary on the notation page, style note in AUTHORING):
# each mechanical rule rejects a plausible violation, and the compliant form passes.
CHECK_EN = "The check rejects the slip $2t - 1$ with the same $z$-test."
CHECK_ZH = "该核验用同一个 $z$ 检验排除了错误写法 $2t - 1$。"


@pytest.mark.parametrize(
    ("en", "zh", "why"),
    [
        # Sphinx 7.4 keeps the first paragraph of a translated message and drops the rest
        ("One paragraph of English.", "第一段。\n\n第二段被丢掉了。", "blank line"),
        ("One paragraph of English.", "第一段。\n  \n第二段被丢掉了。", "blank line"),
        # the book's check is 核验; 检验 is a statistical test
        (CHECK_EN, CHECK_ZH.replace("该核验", "该检验"), "检验 for the book's check"),
        ("SymPy checks the identity {eq}`eq-x`.", "SymPy 检验恒等式 {eq}`eq-x`。", "检验 for the book's check"),
        # a named test in the English allows its compound, not a second bare 检验
        (
            "The chi-square test passes, and the check rules out $q$.",
            "卡方检验通过了，该检验也排除了 $q$。",
            "检验 for the book's check",
        ),
        # software tests are 测试, not a reason for 检验
        (
            "The test suite re-runs every check.",
            "测试套件会重新运行每个检验。",
            "检验 for the book's check",
        ),
        (CHECK_EN, CHECK_ZH.replace("错误写法", "失误"), "失误"),
        ("(a) Explain why.", "(a) 解释原因。", "half-width enumerator (a)"),
        ("as in step (c)", "如步骤 (c) 所示", "half-width enumerator (c)"),
        ("**How to read it.** The core ...", "**如何阅读。** 核心部分……", "run-in heading"),
        ("*Step 2: condition.* Fix $x$.", "*第 2 步：取条件。* 固定 $x$。", "run-in heading"),
        ("Text. **This sampler is wrong.** The cell ...", "正文。**这个采样器是错的。** 下面……", "run-in heading"),
        ("**Case 1.** $x > 0$", "**情形 1。** $x > 0$", "run-in heading"),
    ],
)
def test_a_house_rule_violation_does_not_count(en, zh, why):
    problems = "; ".join(check_entry(en, zh))
    assert why in problems, problems


@pytest.mark.parametrize(
    ("en", "zh"),
    [
        (CHECK_EN, CHECK_ZH),
        ("SymPy checks the identity {eq}`eq-x`.", "SymPy 核验恒等式 {eq}`eq-x`。"),
        # statistical tests named as such, and the power of a test
        (
            "A Kolmogorov-Smirnov test and a chi-square goodness-of-fit test, with power $1 - 10^{-6}$.",
            "Kolmogorov-Smirnov（KS）检验与卡方拟合优度检验，检验功效为 $1 - 10^{-6}$。",
        ),
        # "the same test" is a statistical test: one bare 检验 for it
        (
            "The chi-square test passes. The same test rejects the wrong sampler.",
            "卡方检验通过了。同一检验拒绝了错误的采样器。",
        ),
        ("(a) Explain why.", "（a）解释原因。"),
        ("The value $f(0)$ and f(1) in alt text.", "取值 $f(0)$ 与替代文本中的 f(1)。"),
        ("step $(c)$ of the chain", "等价链中的步骤 $(c)$"),
        ("**How to read it.** The core ...", "**如何阅读**。核心部分……"),
        ("*Step 2: condition on $x$.* Fix $x$.", "*第 2 步：以 $x$ 为条件*。固定 $x$。"),
        # a paragraph that is all emphasis (a page's opening note) keeps its full stop inside
        ("*Source section: the continuous case.*", "*对应原笔记：连续情形。*"),
        # the glossary's own Chinese terms are their own English
        ("检验；假设检验", "检验；假设检验"),
    ],
)
def test_the_house_rules_accept_the_house_style(en, zh):
    assert check_entry(en, zh) == []


def test_a_template_placeholder_is_kept():
    """Theme and exercise strings carry placeholders that the build fills in (%(author)s, {number})."""
    assert check_entry("By %(author)s", "作者：%(author)s") == []
    assert "missing placeholder %(author)s" in "; ".join(check_entry("By %(author)s", "作者：reparam 作者团队"))
    assert check_entry("{number} ({title})", "{number}（{title}）") == []
    assert "missing placeholder {title}" in "; ".join(check_entry("{number} ({title})", "{number}（）"))
