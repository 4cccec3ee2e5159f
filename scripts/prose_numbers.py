#!/usr/bin/env python3
"""Decimal numbers typed into the book's prose: each must be glued from code, or allowlisted.

A number that the code computes belongs in the prose as a glued value (myst-nb's
``{glue:text}`page.ipynb::key```, or the book's ``{count}`key``` for counts), so the page says
what the code computes today, in both editions. This script lists every decimal number (``0.26``,
``2.5%``, ``1e-6``) written by hand in the markdown of the book's pages (every page in _toc.yml:
notebook markdown cells, figure captions and alt text, and the .md pages) outside math, code,
roles, link targets and HTML. A number may stay typed only if it is a constant of the text (a
version number, a value quoted from the source note, a threshold the text defines), never an
output: such numbers are listed, each with its reason, in ``scripts/prose_numbers_allowlist.yml``.

    python scripts/prose_numbers.py             # every unglued decimal; exit 1 if any, or a stale entry
    python scripts/prose_numbers.py --summary   # how many per page (unglued, allowlisted)
    python scripts/prose_numbers.py --math      # also decimals inside math (not gated, not allowlisted;
                                                # a computed value written in math must leave the math
                                                # to be glued)
    python scripts/prose_numbers.py --counts    # only the large counts typed in the prose (200,000,
                                                # 4000000): not gated, for the gluing pass ({count})
    python scripts/prose_numbers.py chapters/04_gumbel_softmax.ipynb   # one page

An allowlist entry names the page, the number as written, a ``context`` (words of the sentence
around it, so one entry allows one use and goes stale when the sentence changes) and a
``reason``. An entry that matches nothing is stale, and fails the run like an unglued number.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ALLOWLIST = ROOT / "scripts" / "prose_numbers_allowlist.yml"

# A decimal: digits with a fractional part (0.26, 12.5), or scientific notation (1e-6, 5.7e-7),
# not part of a longer token (a version "1.0.4", an identifier "x1.5", a label "eq-2.1").
DECIMAL = re.compile(r"(?<![\w./])(?<!\w-)\d+(?:\.\d+(?:[eE][-+]?\d+)?|[eE][-+]?\d+)(?![\w]|\.\d)")

# A large count: 1,000 or more written with separators, or 10000 or more without (not a year).
COUNT = re.compile(r"(?<![\w.,/])(?<!\w-)(?:\d{1,3}(?:,\d{3})+|\d{5,})(?![\w]|[.,]\d)")

# Directives (```{name} fences) whose body is code or math, not prose.
CODE_DIRECTIVES = {
    "code",
    "code-block",
    "code-cell",
    "sourcecode",
    "literalinclude",
    "math",
    "eval-rst",
    "raw",
    "toctree",
    "bibliography",
    "glue:math",
    "glue:any",
    "glue:figure",
    "glue:md",
    "glue",
}
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*)$")
_DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
_AMS_MATH = re.compile(r"\\begin\{(?P<env>[a-zA-Z*]+)\}.*?\\end\{(?P=env)\}", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(?:\\.|[^$\\])+?(?<![\\$])\$")
_ROLE = re.compile(r"\{[a-zA-Z][\w:+-]*\}(`+)(?:.+?)\1", re.S)
_CODE = re.compile(r"(`+)(?:.+?)\1", re.S)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_HTML = re.compile(r"<[^<>\n]+>")
_LABEL_LINE = re.compile(r"^\s*\([\w:.-]+\)=\s*$", re.M)
_OPTION_LINE = re.compile(r"^\s*:[\w-]+:.*$", re.M)


@dataclass(frozen=True)
class Number:
    page: str  # the docname, as in _toc.yml
    where: str  # "cell 12", "cell 12 caption", "line 40"
    text: str  # the number as written
    context: str  # the sentence around it, on one line
    in_math: bool = False

    def line(self) -> str:
        kind = " (in math)" if self.in_math else ""
        return f"{self.page}: {self.where}: {self.text}{kind}  …{self.context}…"


def _blank(text: str, start: int, end: int) -> str:
    """``text`` with ``[start, end)`` replaced by spaces (newlines kept, so offsets stay)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _blank_all(text: str, pattern: re.Pattern) -> str:
    for m in reversed(list(pattern.finditer(text))):
        text = _blank(text, m.start(), m.end())
    return text


def _blank_code_fences(text: str) -> str:
    """Blank fenced code and the bodies of code/math directives; keep prose directives' bodies
    (theorems, exercises, admonitions) but blank their fence and option lines."""
    lines = text.split("\n")
    out = []
    stack: list[tuple[str, bool]] = []  # (fence, is_code) of each open fence
    for line in lines:
        m = _FENCE.match(line)
        inside_code = any(code for _, code in stack)
        if m and stack and m["fence"][0] == stack[-1][0][0] and len(m["fence"]) >= len(stack[-1][0]) and not m["info"]:
            stack.pop()  # a closing fence
            out.append(" " * len(line))
            continue
        if m and not inside_code:
            info = m["info"].strip()
            name = info[1 : info.index("}")] if info.startswith("{") and "}" in info else None
            is_code = name in CODE_DIRECTIVES if name is not None else m["fence"][0] != ":"
            stack.append((m["fence"], is_code))
            if is_code:
                out.append(" " * len(line))
            else:  # a prose directive's argument (a theorem's title) is prose
                name_end = line.index("}") + 1 if name is not None else len(m["indent"]) + len(m["fence"])
                out.append(" " * name_end + line[name_end:])
            continue
        out.append(" " * len(line) if inside_code else line)
    return "\n".join(out)


def prose_mask(text: str) -> tuple[str, str]:
    """(prose, prose with math kept): ``text`` with all but prose blanked, offsets unchanged."""
    masked = _blank_code_fences(text)
    masked = _blank_all(masked, _LABEL_LINE)
    masked = _blank_all(masked, _OPTION_LINE)
    masked = _blank_all(masked, _ROLE)
    masked = _blank_all(masked, _CODE)
    masked = _blank_all(masked, _LINK_TARGET)
    with_math = masked
    for pattern in (_DISPLAY_MATH, _AMS_MATH, _INLINE_MATH):
        masked = _blank_all(masked, pattern)
    return _blank_all(masked, _HTML), _blank_all(with_math, _HTML)


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    left = text[max(0, start - width) : start].split("\n\n")[-1]
    right = text[end : end + width].split("\n\n")[0]
    return " ".join((left + text[start:end] + right).split())


def numbers_in(
    text: str, page: str, where: str | None = None, math: bool = False, pattern: re.Pattern = DECIMAL
) -> list[Number]:
    """The decimals of one piece of markdown outside math and code (``math``: inside math too).

    ``where`` names the piece (a notebook cell); by default each number is located by its line.
    ``pattern`` = ``COUNT`` finds large counts instead.
    """
    prose, with_math = prose_mask(text)
    plain = [m.span() for m in pattern.finditer(prose)]
    spans = [(span, False) for span in plain]
    if math:
        spans += [(m.span(), True) for m in pattern.finditer(with_math) if m.span() not in plain]
    found = []
    for (start, end), in_math in sorted(spans):
        place = where if where is not None else f"line {1 + text.count(chr(10), 0, start)}"
        found.append(Number(page, place, text[start:end], _context(text, start, end), in_math))
    return found


def page_numbers(docname: str, math: bool = False, pattern: re.Pattern = DECIMAL) -> list[Number]:
    """Every decimal (or, with ``pattern=COUNT``, large count) in the prose of one page of the book."""
    notebook, markdown = ROOT / f"{docname}.ipynb", ROOT / f"{docname}.md"
    if notebook.is_file():
        import nbformat

        found = []
        for index, cell in enumerate(nbformat.read(notebook, as_version=4).cells):
            if cell.cell_type == "markdown":
                found += numbers_in(cell.source, docname, f"cell {index}", math, pattern)
            elif cell.cell_type == "code":
                meta = cell.metadata.get("mystnb", {})
                for what, text in (
                    ("caption", meta.get("figure", {}).get("caption", "")),
                    ("alt text", meta.get("image", {}).get("alt", "")),
                ):
                    found += numbers_in(text, docname, f"cell {index} {what}", math, pattern)
        return found
    if markdown.is_file():
        return numbers_in(markdown.read_text(encoding="utf-8"), docname, math=math, pattern=pattern)
    return []


@dataclass
class Entry:
    page: str
    number: str
    context: str
    reason: str
    used: int = 0

    def allows(self, number: Number) -> bool:
        return (
            not number.in_math
            and number.page == self.page
            and number.text == self.number
            and self.context in number.context
        )


def read_allowlist(path: Path = ALLOWLIST) -> list[Entry]:
    """The allowlist: a list of {page, number, context, reason}; every field is required."""
    if not path.is_file():
        return []
    entries = []
    for i, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
        missing = [k for k in ("page", "number", "context", "reason") if not str(item.get(k, "")).strip()]
        if missing:
            raise ValueError(f"{path.name}: entry {i + 1} has no {', '.join(missing)}")
        if str(item["number"]) not in str(item["context"]):
            raise ValueError(f"{path.name}: entry {i + 1}: the context must contain the number {item['number']!r}")
        entries.append(
            Entry(str(item["page"]), str(item["number"]), " ".join(str(item["context"]).split()), item["reason"])
        )
    return entries


def classify(numbers: list[Number], entries: list[Entry]) -> tuple[list[Number], list[Number]]:
    """(unglued, allowlisted); counts each entry's uses."""
    unglued, allowed = [], []
    for number in numbers:
        entry = next((e for e in entries if e.allows(number)), None)
        if entry is None:
            unglued.append(number)
        else:
            entry.used += 1
            allowed.append(number)
    return unglued, allowed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="pages to read (default: every page in _toc.yml)")
    parser.add_argument("--summary", action="store_true", help="only the counts per page")
    parser.add_argument("--math", action="store_true", help="also list decimals inside math (not gated)")
    parser.add_argument("--counts", action="store_true", help="list the large counts typed in the prose instead")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "scripts"))
    from build_book import toc_docnames

    docnames = [str(Path(p).with_suffix("")) for p in args.pages] or toc_docnames()
    if args.counts:
        print("| page | large counts typed in the prose |\n|---|---:|")
        for docname in docnames:
            counts = page_numbers(docname, pattern=COUNT)
            if not args.summary:
                for number in counts:
                    print(number.line())
            print(f"| {docname} | {len(counts)} |")
        return 0
    entries = read_allowlist()
    rows, problems = [], 0
    for docname in docnames:
        numbers = page_numbers(docname, math=args.math)
        unglued, allowed = classify(numbers, entries)
        rows.append((docname, unglued, allowed))
        problems += sum(not n.in_math for n in unglued)
        if not args.summary:
            for number in unglued:
                print(number.line())
    stale = [e for e in entries if e.used == 0 and (not args.pages or e.page in docnames)]
    for entry in stale:
        print(f"stale allowlist entry (matches nothing): {entry.page}: {entry.number} …{entry.context}…")
    header = "| page | unglued | allowlisted |" + (" in math |" if args.math else "")
    print("\n" + header + "\n|---|---:|---:|" + ("---:|" if args.math else ""))
    for docname, unglued, allowed in rows:
        in_math = sum(n.in_math for n in unglued)
        cells = [docname, str(len(unglued) - in_math), str(len(allowed))] + ([str(in_math)] if args.math else [])
        print("| " + " | ".join(cells) + " |")
    total_math = sum(n.in_math for _, u, _ in rows for n in u)
    totals = ["**all**", str(problems), str(sum(len(a) for _, _, a in rows))] + ([str(total_math)] if args.math else [])
    print("| " + " | ".join(totals) + " |")
    return 1 if problems or stale else 0


if __name__ == "__main__":
    sys.exit(main())
