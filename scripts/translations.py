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

``check`` is what ``tests/book/test_zh_edition.py`` runs: it fails when a message of the English
edition has no translation, a fuzzy (stale) one, one that is not Chinese (or mostly English), or one whose math,
roles, references, inline code or link targets differ from the English.
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

# ---------------------------------------------------------------------------------------------
# What must be carried over unchanged from the English message


_DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$")
_ROLE = re.compile(r"\{([a-z][\w:-]*)\}`([^`]*)`")
_CODE = re.compile(r"(?<!`)`([^`{}]+?)`(?!`)")
_LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
_FOOTNOTE = re.compile(r"\[\^[\w-]+\]")
_HTML_ATTR = re.compile(r'\b(href|class|id|src)="([^"]*)"')
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


def markup(text: str) -> Counter:
    """Everything in a message that a translation must keep exactly (as a multiset)."""
    found: Counter = Counter()
    rest = text
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
    return found


def prose(text: str) -> str:
    """The message without its math, roles, inline code and link targets."""
    for pattern in (_ROLE, _DISPLAY_MATH, _INLINE_MATH, _CODE, _LINK_TARGET):
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


def check_entry(msgid: str, msgstr: str) -> list[str]:
    """Why a translation does not count (empty list: it counts)."""
    problems = []
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
            out.append(check_catalogue(CATALOGUES / rel, pot))
            if not (CATALOGUES / rel).exists():
                out[-1].problems.insert(0, f"{rel}: no catalogue")
    else:
        for po in sorted(CATALOGUES.rglob("*.po")):
            out.append(check_catalogue(po))
    return out


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
    subprocess.run(
        [str(intl), "update", "-p", str(pot_dir), "-l", LANGUAGE, "-d", str(LOCALE), "-w", "0"],
        check=True,
        cwd=ROOT,
    )
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
