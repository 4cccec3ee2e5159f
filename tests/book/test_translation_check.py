"""What counts as a translation (scripts/translations.py): Chinese, with the same markup."""

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
    assert check_entry(en, "见 {numref}`图 %s <fig-a>` 与 {doc}`验证账本 <ledger>`。") == []
    assert check_entry(en, "见 {numref}`图 %s <fig-b>` 与 {doc}`验证账本 <ledger>`。") != []


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
