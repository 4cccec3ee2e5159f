"""The Chinese edition's message catalogues: extract, update, check, report.

The English pages are the source of truth. Sphinx's gettext builder extracts every translatable
message (one per paragraph, heading, list item, caption or alt text; code cells, their outputs
and display math are left out by ``_ext/translatable.py``) into ``_build/i18n/_build/gettext/**.pot``;
``sphinx-intl`` merges them into the catalogues ``locale/zh_CN/LC_MESSAGES/**.po``, marking a
message whose English changed as fuzzy and adding new ones untranslated.

    python scripts/translations.py update   # extract, then merge into locale/ (after an English edit)
    python scripts/translations.py check    # every message translated, in Chinese, same markup
    python scripts/translations.py stats    # messages, translated, fuzzy, untranslated per page
    python scripts/translations.py normalize  # rewrite the .po files in sphinx-intl's format
    python scripts/translations.py check locale/zh_CN/LC_MESSAGES/chapters/01_motivation.po

Beside the pages' catalogues, three hold the edition's chrome: ``sphinx.po`` (the messages of the
book's templates, which the gettext builder extracts into ``sphinx.pot``, and the book's translations
of Sphinx's and the themes' messages, which Sphinx reads before their own), ``booktheme.po`` and
``exercise.po`` (the book's translations of sphinx-book-theme's and sphinx-exercise's messages,
registered before theirs by ``_ext/upstream_fixes``). ``update`` leaves them as they are (sphinx-intl
would mark the replacements obsolete); ``check`` checks every message in them, and that each
message of the book's templates is there.

``check`` is what ``tests/book/test_zh_edition.py`` runs: it fails when a message of the English
edition has no translation, a fuzzy (stale) one, one that is not Chinese (or mostly English), one whose math,
roles, references, inline code or link targets differ from the English (the text of a {web} or
{print} role is wording, translated like the rest), or one that breaks a
mechanical house rule of the Chinese edition (a blank line, 检验 for the book's check, 失误,
a half-width enumerator, a run-in heading **X。**; see ``house_rule_problems``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
LANGUAGE = "zh_CN"
CATALOGUES = LOCALE / LANGUAGE / "LC_MESSAGES"
# A build folder of its own: the gettext builder cannot share the HTML build's doctrees.
I18N_BUILD = ROOT / "_build" / "i18n"
POT_DIR = I18N_BUILD / "_build" / "gettext"
# Catalogues of the edition's chrome, not of a page (see the module docstring).
CHROME = ("sphinx", "booktheme", "exercise")

# ---------------------------------------------------------------------------------------------
# What must be carried over unchanged from the English message


_DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$")
_ROLE = re.compile(r"\{([a-z][\w:-]*)\}`([^`]*)`")
# Roles whose text is wording for one medium (_ext/print_wording.py): the role is kept, its text
# is prose, translated like the rest of the message.
_WORDING_ROLE = re.compile(r"\{(web|print)\}`([^`]*)`")
_CODE = re.compile(r"(?<!`)`([^`{}]+?)`(?!`)")
_LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
_FOOTNOTE = re.compile(r"\[\^[\w-]+\]")
_HTML_ATTR = re.compile(r'\b(href|class|id|src)="([^"]*)"')
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Words of a message, hyphenated ones whole ("Gumbel-top-k", "one-hot").
# Letters include accented ones, so pinyin (zhèngmíng) is one word, and not an English one.
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|-)*")
# An English word a reader would have to translate: lowercase, three letters or more, and not
# one of the technical names that Chinese ML writing keeps as they are.
_ENGLISH_WORD = re.compile(r"[a-z]{3,}(-[a-z]+)*")
_KEPT_NAMES = {"softmax", "argmax", "argmin", "logit", "logits", "one-hot", "onehot", "top-k"}
# The source note's own spelling of one-hot, quoted in the glossary.
_QUOTED = ("one hot",)


def _role_key(name: str, body: str) -> str:
    """A role's name and target; link text (``text <target>``) may be translated."""
    m = re.search(r"<([^<>]+)>\s*$", body)
    target = m.group(1) if m else body
    if name in {"cite:t", "cite:p", "cite"}:
        name = "cite"  # "Su (2019) shows" and "(Su 2019)" are both fine in Chinese prose
    return f"{name}`{target.strip()}`"


def _unwrap_wording(text: str, found: Counter | None = None) -> str:
    """The message with each {web}/{print} role replaced by its text (counted in ``found``)."""

    def text_of(m: re.Match) -> str:
        if found is not None:
            found["role " + m.group(1)] += 1
        return " " + m.group(2) + " "

    return _WORDING_ROLE.sub(text_of, text)


def markup(text: str) -> Counter:
    """Everything in a message that a translation must keep exactly (as a multiset)."""
    found: Counter = Counter()
    rest = _unwrap_wording(text, found)
    for m in _ROLE.finditer(rest):
        found["role " + _role_key(m.group(1), m.group(2))] += 1
    rest = _ROLE.sub(" ", rest)
    for m in _DISPLAY_MATH.finditer(rest):
        found["math " + m.group(0)] += 1
    rest = _DISPLAY_MATH.sub(" ", rest)
    for m in _INLINE_MATH.finditer(rest):
        found["math $" + m.group(1) + "$"] += 1
    rest = _INLINE_MATH.sub(" ", rest)
    for m in _CODE.finditer(rest):
        found["code `" + m.group(1) + "`"] += 1
    for m in _LINK_TARGET.finditer(rest):
        found["link " + m.group(1)] += 1
    for m in _HTML_ATTR.finditer(rest):
        found[f"html {m.group(1)}={m.group(2)}"] += 1
    for m in _FOOTNOTE.finditer(rest):
        found["footnote " + m.group(0)] += 1
    for m in _PLACEHOLDER.finditer(rest):
        found["placeholder " + m.group(0)] += 1
    return found


def prose(text: str) -> str:
    """The message without its math, roles, inline code and link targets and placeholders ({web}/{print} text stays)."""
    text = _unwrap_wording(text)
    for pattern in (_ROLE, _DISPLAY_MATH, _INLINE_MATH, _CODE, _LINK_TARGET, _PLACEHOLDER):
        text = pattern.sub(" ", text)
    return text


def english_words(text: str) -> list[str]:
    """The English prose words of a message (not its math, code, names or the note's quotes)."""
    text = prose(text)
    for quote in _QUOTED:
        text = text.replace(quote, " ")
    return [w for w in _WORD.findall(text) if _ENGLISH_WORD.fullmatch(w) and w not in _KEPT_NAMES]


def needs_chinese(msgid: str) -> bool:
    """Whether the message has English prose (names and acronyms alone may stay as they are)."""
    text = prose(msgid)
    for quote in _QUOTED:
        text = text.replace(quote, " ")
    return any(_ENGLISH_WORD.fullmatch(w) and w not in _KEPT_NAMES for w in _WORD.findall(text))


# ---------------------------------------------------------------------------------------------
# Checking a catalogue against the English messages


@dataclass
class Report:
    page: str
    messages: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    problems: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# The Chinese edition's house rules (the glossary at the end of chapters/notation.md, and the
# Chinese style note in AUTHORING.md): what of them a program can see.

# A statistical test that Chinese names with 检验 as part of a compound term: these never stand
# for the book's "check", so they are set aside before counting.
_ZH_TEST_TERM = re.compile(
    r"(?:卡方|拟合优度|独立性|假设|显著性|(?:Kolmogorov-Smirnov（)?KS）?|\$?[zt]\$?)\s*检验|检验(?:功效|统计量)"
)
# The same tests named in English, and software tests ("the test suite", "its own tests"): an
# English "test" of these kinds is no reason for a bare 检验 in the Chinese.
_EN_NAMED_TEST = re.compile(
    r"\b(?:chi-square|Kolmogorov-Smirnov|KS|z|t|goodness-of-fit|independence|hypothesis|significance)"
    r"\$?(?:[- ]goodness-of-fit)?[- ]tests?\b|\btest suite\b|\b(?:its|its own|package's|unit) tests\b",
    re.I,
)
_EN_TEST = re.compile(r"\btest(?:s|ed|ing)?\b", re.I)
# Half-width enumerators in Chinese prose: "(a)", "(ii)", "(3)" (not a function's "f(0)").
_HALF_WIDTH_ENUMERATOR = re.compile(r"(?<![\w)\]])\((?:[a-zA-Z]|[ivx]{2,4}|\d{1,2})\)")
# Emphasis, ** or *, paired from left to right as Markdown pairs it.
_EMPHASIS = re.compile(r"(\*\*|\*)(?=[^\s*])(.+?)(?<=[^\s*])\1")
_SENTENCE_END = "。！？；："


def house_rule_problems(msgid: str, msgstr: str) -> list[str]:
    """Where a Chinese message breaks a mechanical house rule of the Chinese edition.

    - No blank line: Sphinx 7.4 keeps only the first paragraph of a translated message, so
      whatever follows a blank line is silently lost.
    - 检验 only for a statistical test. The book's executed *check* is 核验. A bare 检验 (not
      part of a test's name such as 卡方检验, KS 检验, $z$ 检验, 拟合优度检验, nor 检验功效) is
      allowed only as often as the English says "test" in the statistical sense (not counting
      tests it names as a whole, nor the software's tests): "the check rejects ... the same test"
      gives one 检验 and one 核验, never two 检验.
    - No 失误: a wrong formula is 错误写法, a typo 笔误.
    - Full-width enumerators in Chinese: "（a）", not "(a)".
    - Run-in headings as **X**。正文: an emphasis that ends in 。 (or ！？；：) and is followed by
      more text renders a gap after the punctuation; the punctuation goes after the emphasis. A
      paragraph that is all emphasis (a page's opening note) is not a run-in heading.
    """
    problems = []
    if re.search(r"\n[ \t]*\n", msgstr):
        problems.append("a blank line (Sphinx keeps only the first paragraph of a message)")
    if not _CJK.search(msgstr):
        return problems
    bare = len(re.findall("检验", _ZH_TEST_TERM.sub(" ", msgstr)))
    allowed = len(_EN_TEST.findall(_EN_NAMED_TEST.sub(" ", msgid))) + msgid.count("检验")
    if bare > allowed:
        problems.append(
            f"检验 for the book's check ({bare} bare 检验, {allowed} statistical test(s) in the English): "
            "write 核验; 检验 is a statistical test"
        )
    if "失误" in msgstr:
        problems.append("失误: write 错误写法 (a wrong formula) or 笔误 (a typo)")
    # math, roles, inline code and link targets masked, so that "(c)" in a formula is not an
    # enumerator and a formula after a run-in heading still counts as text after it
    text = _unwrap_wording(msgstr)
    for pattern in (_ROLE, _DISPLAY_MATH, _INLINE_MATH, _CODE, _LINK_TARGET):
        text = pattern.sub("§", text)
    enumerator = _HALF_WIDTH_ENUMERATOR.search(text)
    if enumerator:
        problems.append(f"half-width enumerator {enumerator.group(0)} (write （{enumerator.group(0)[1:-1]}）)")
    for m in _EMPHASIS.finditer(text):
        if m.group(2)[-1] in _SENTENCE_END and text[m.end() :].strip():
            mark = m.group(1)
            problems.append(f"run-in heading {mark}…{m.group(2)[-1]}{mark} (write {mark}X{mark}{m.group(2)[-1]}正文)")
            break
    return problems


def check_entry(msgid: str, msgstr: str) -> list[str]:
    """Why a translation does not count (empty list: it counts)."""
    problems = house_rule_problems(msgid, msgstr)
    if needs_chinese(msgid) and not _CJK.search(msgstr):
        problems.append("not Chinese")
    # "1. Title" is a heading in the English source ("## 1. Title"), but a translation is parsed
    # on its own, where "1. " starts a numbered list: Sphinx then keeps the English heading.
    if re.match(r"\d+\. ", msgid) and re.match(r"\d+\. ", msgstr):
        problems.append("starts like a numbered list (write 1\\. for a heading's number)")
    # a sentence left in English with a Chinese word added is not a translation either
    # (short glossary terms may keep their English beside the Chinese: "sampling（采样）")
    en, left = english_words(msgid), english_words(msgstr)
    if len(en) >= 8 and len(left) > len(en) / 2:
        problems.append(f"mostly English ({len(left)} of {len(en)} English words kept)")
    want, got = markup(msgid), markup(msgstr)
    if want != got:
        missing = sorted((want - got).elements())
        extra = sorted((got - want).elements())
        if missing:
            problems.append("missing " + "; ".join(missing))
        if extra:
            problems.append("not in the English " + "; ".join(extra))
    return problems


def check_catalogue(po_path: Path, pot_path: Path | None = None) -> Report:
    import polib

    po = polib.pofile(str(po_path))
    page = str(po_path.relative_to(CATALOGUES)) if po_path.is_relative_to(CATALOGUES) else str(po_path)
    report = Report(page=page)
    wanted = None
    if pot_path is not None:
        wanted = {e.msgid for e in polib.pofile(str(pot_path)) if e.msgid}
    entries = {e.msgid: e for e in po if e.msgid and not e.obsolete}
    report.obsolete = sum(1 for e in po if e.obsolete)
    ids = sorted(wanted) if wanted is not None else sorted(entries)
    for msgid in ids:
        report.messages += 1
        entry = entries.get(msgid)
        short = msgid[:70].replace("\n", " ")
        if entry is None:
            report.untranslated += 1
            report.problems.append(f"{page}: not in the catalogue: {short!r}")
        elif "fuzzy" in entry.flags:
            report.fuzzy += 1
            report.problems.append(f"{page}: fuzzy (the English changed): {short!r}")
        elif not entry.msgstr.strip():
            report.untranslated += 1
            report.problems.append(f"{page}: untranslated: {short!r}")
        else:
            why = check_entry(msgid, entry.msgstr)
            if why:
                report.untranslated += 1
                report.problems.append(f"{page}: {'; '.join(why)}: {short!r}")
            else:
                report.translated += 1
    return report


def reports(pot_dir: Path | None = POT_DIR) -> list[Report]:
    """One report per page; with ``pot_dir`` the English messages come from the templates."""
    out = []
    if pot_dir is not None and pot_dir.exists():
        for pot in sorted(pot_dir.rglob("*.pot")):
            rel = pot.relative_to(pot_dir).with_suffix(".po")
            if pot.stem in CHROME and pot.parent == pot_dir:
                continue  # checked with the chrome below
            out.append(check_catalogue(CATALOGUES / rel, pot))
            if not (CATALOGUES / rel).exists():
                out[-1].problems.insert(0, f"{rel}: no catalogue")
        for domain in CHROME:
            po, pot = CATALOGUES / f"{domain}.po", pot_dir / f"{domain}.pot"
            if po.exists() or pot.exists():
                out.append(_check_chrome(po, pot))
    else:
        for po in sorted(CATALOGUES.rglob("*.po")):
            out.append(check_catalogue(po))
    return out


def _check_chrome(po: Path, pot: Path) -> Report:
    """Every message of a chrome catalogue, and the messages of the book's templates it must hold."""
    import polib

    report = check_catalogue(po) if po.exists() else Report(page=po.name, problems=[f"{po.name}: no catalogue"])
    if pot.exists():
        have = {e.msgid for e in polib.pofile(str(po)) if not e.obsolete} if po.exists() else set()
        for entry in polib.pofile(str(pot)):
            if entry.msgid and entry.msgid not in have:
                report.messages += 1
                report.untranslated += 1
                report.problems.append(f"{po.name}: a message of the book's templates is missing: {entry.msgid!r}")
    return report


def stats_table(rs: list[Report]) -> str:
    lines = ["| page | messages | translated | fuzzy | untranslated |", "|---|---:|---:|---:|---:|"]
    for r in rs:
        lines.append(f"| {r.page} | {r.messages} | {r.translated} | {r.fuzzy} | {r.untranslated} |")
    tot = [sum(getattr(r, k) for r in rs) for k in ("messages", "translated", "fuzzy", "untranslated")]
    lines.append("| **all** | " + " | ".join(str(t) for t in tot) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Extracting and merging


def extract() -> Path:
    """Run Sphinx's gettext builder on the English book; returns the folder of .pot files."""
    jb = Path(sys.executable).with_name("jupyter-book")
    subprocess.run(
        [
            str(jb),
            "build",
            str(ROOT),
            "--builder",
            "custom",
            "--custom-builder",
            "gettext",
            "--path-output",
            str(I18N_BUILD),
            "-W",
            "-n",
            "--keep-going",
            "--quiet",
            "--all",  # every page read afresh: _ext/translatable.py decides what is extracted
        ],
        check=True,
        cwd=ROOT,
    )
    # A page with nothing to translate (one that stays English in both editions, such as the API
    # appendix: book_english_pages in _config.yml) gets no catalogue.
    import polib

    for pot in POT_DIR.rglob("*.pot"):
        if not any(entry.msgid for entry in polib.pofile(str(pot))):
            pot.unlink()
    return POT_DIR


def normalize() -> None:
    """Write every catalogue the way sphinx-intl does (babel, one line per message), so that
    editing one with another tool (polib, an editor) leaves no reformatting in the diff."""
    from sphinx_intl.catalog import dump_po, load_po

    for po in sorted(CATALOGUES.rglob("*.po")):
        before = po.read_bytes()
        dump_po(str(po), load_po(str(po)), width=0)
        if po.read_bytes() != before:
            print(f"normalized {po.relative_to(ROOT)}")


def update() -> None:
    pot_dir = extract()
    intl = Path(sys.executable).with_name("sphinx-intl")
    # sphinx-intl would merge sphinx.pot into sphinx.po and mark the book's translations of
    # Sphinx's and the themes' messages obsolete: the chrome catalogues are kept as they are
    # (check says which template messages they lack)
    kept = {po: po.read_bytes() for po in (CATALOGUES / f"{d}.po" for d in CHROME) if po.exists()}
    subprocess.run(
        [str(intl), "update", "-p", str(pot_dir), "-l", LANGUAGE, "-d", str(LOCALE), "-w", "0"],
        check=True,
        cwd=ROOT,
    )
    for po, data in kept.items():
        po.write_bytes(data)
    normalize()


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    if cmd == "normalize":
        normalize()
        return 0
    if cmd == "update":
        update()
        rs = reports()
        print(stats_table(rs))
        for p in (p for r in rs for p in r.problems):
            print(p)
        return 0
    if cmd in {"check", "stats"}:
        if len(argv) > 1:
            rs = [check_catalogue(Path(p).resolve()) for p in argv[1:]]
        else:
            rs = reports(extract())
        print(stats_table(rs))
        if cmd == "check":
            problems = [p for r in rs for p in r.problems]
            for p in problems:
                print(p)
            return 1 if problems else 0
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
