"""The book's verification on its pages, rendered from the check records.

Every executed check leaves a record in its cell's outputs (``reparam.testing.checks``), which
myst-nb turns into a ``check-record`` container (``reparam_book.check_records.CheckRecordMime``).
This extension renders, from those records and nothing else:

1. **the check lines**: each with its anchor (``check-`` and its name), its number in its chapter
   ("check 3.4"), and links to the equations it backs;
2. **a mark under every labelled display equation**: the counted checks that back it (in any
   chapter), or "definition" (with the first check that uses it), or "waived" (with its reason),
   or "not checked"; definitions and waivers are declared in the page, right after the equation::

       ```{equation-status} eq-mot-objective definition
       ```

       ```{equation-status} eq-x waived
       The reason, in a sentence (translated in the Chinese edition).
       ```

3. **the verification ledger** (the ``{check-ledger}`` directive, like ``{bibliography}``): a
   summary per chapter, the coverage of the labelled displays, and every check, one collapsible
   section per chapter.

Which display counts as covered is decided by :func:`reparam_book.check_records.coverage`, the
function the tests use too. Displays inside proofs, exercises and solutions are derivation steps
and need no label; any other unlabelled display is written as ``{math}`` with ``:class: notation``
or reported in the ledger. A record that backs an unknown label, or two checks of one name, is a
build warning (so an error under ``-W``).
"""

from __future__ import annotations

import json
from collections import Counter

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from reparam.testing.checks import KINDS, ORIGINS, CheckRecord
from reparam_book.check_records import Coverage, check_anchor, coverage

logger = logging.getLogger(__name__)

# The extension's own words, in each edition (chrome, not prose: kept here beside the English).
WORDS = {
    "check": {"zh_CN": "核验"},
    "checked by": {"zh_CN": "核验："},
    "backs": {"zh_CN": "支持"},
    "definition": {"zh_CN": "定义"},
    "first used by": {"zh_CN": "首次用于"},
    "waived": {"zh_CN": "豁免"},
    "not checked": {"zh_CN": "尚未核验"},
    "notation": {"zh_CN": "记号"},
    "Chapter": {"zh_CN": "章"},
    "verifications": {"zh_CN": "计数核验"},
    "not counted": {"zh_CN": "不计数"},
    "failed": {"zh_CN": "失败"},
    "Total": {"zh_CN": "合计"},
    "labelled displays": {"zh_CN": "带编号公式"},
    "checked": {"zh_CN": "已核验"},
    "definitions": {"zh_CN": "定义"},
    "uncovered": {"zh_CN": "未覆盖"},
    "unlabelled displays": {"zh_CN": "无编号公式"},
    "checks": {"zh_CN": "项核验"},
    "rules out": {"zh_CN": "排除"},
    "equations": {"zh_CN": "公式"},
    "Why it is not counted": {"zh_CN": "不计数的原因"},
    "Reason": {"zh_CN": "原因"},
    "Equation": {"zh_CN": "公式"},
    "None.": {"zh_CN": "无。"},
    "slip of the note": {"zh_CN": "原笔记的笔误"},
    "error in the literature": {"zh_CN": "文献中的错误"},
    "derivation error": {"zh_CN": "常见推导错误"},
    "symbolic": {"zh_CN": "符号"},
    "sampling": {"zh_CN": "抽样"},
    "p-value": {"zh_CN": "p 值"},
    "numeric": {"zh_CN": "数值"},
}
_DERIVATION_ANCESTORS = ("proof", "solution", "exercise")


def _word(env, text: str) -> str:
    language = env.config.language or "en"
    return WORDS.get(text, {}).get(language, text)


# ---------------------------------------------------------------- directives and their nodes


class equation_status(nodes.General, nodes.Element):
    """A declared status (definition, waived) of a labelled display; never rendered itself."""


class check_ledger(nodes.General, nodes.Element):
    """Where the ledger goes; replaced when the whole book has been read."""


class ledger_details(nodes.General, nodes.Element):
    """``<details>``: one chapter's checks, collapsible."""


class ledger_summary(nodes.General, nodes.TextElement):
    """``<summary>`` of a :class:`ledger_details`."""


class EquationStatus(SphinxDirective):
    """``{equation-status} LABEL definition|waived``: a waiver's content is its reason."""

    required_arguments = 2
    has_content = True

    def run(self) -> list[nodes.Node]:
        label, status = self.arguments
        if status not in ("definition", "waived"):
            raise self.error(f"equation-status: the status must be definition or waived, got {status!r}")
        if status == "waived" and not self.content:
            raise self.error(f"equation-status {label} waived: give the reason as the directive's content")
        node = equation_status(label=label, status=status)
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class CheckLedger(SphinxDirective):
    """``{check-ledger} PART``: one part of the verification ledger of the whole book.

    ``summary`` (checks per chapter and kind), ``coverage`` (the labelled displays per chapter, and
    the waivers with their reasons), ``checks`` (every check, a collapsible section per chapter),
    ``uncounted`` (the checks that are not counted, with the reason each gives).
    """

    required_arguments = 1
    parts = ("summary", "coverage", "checks", "uncounted")

    def run(self) -> list[nodes.Node]:
        part = self.arguments[0]
        if part not in self.parts:
            raise self.error(f"check-ledger: the part must be one of {', '.join(self.parts)}, got {part!r}")
        return [check_ledger(part=part)]


def _skip(self, node) -> None:
    raise nodes.SkipNode


def _visit_details(self, node) -> None:
    self.body.append(self.starttag(node, "details", CLASS=" ".join(node.get("classes", []))))


def _depart_details(self, node) -> None:
    self.body.append("</details>\n")


def _visit_summary(self, node) -> None:
    self.body.append(self.starttag(node, "summary", ""))


def _depart_summary(self, node) -> None:
    self.body.append("</summary>\n")


# ---------------------------------------------------------------- reading: what each page holds


def _data(env) -> dict:
    if not hasattr(env, "book_verification"):
        env.book_verification = {"records": {}, "displays": {}, "unlabelled": {}, "statuses": {}}
    return env.book_verification


def _in_derivation(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if any(word in parent.tagname for word in _DERIVATION_ANCESTORS):
            return True
        parent = parent.parent
    return False


def _in_output(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.get("nb_element") == "cell_code_output":
            return True
        parent = parent.parent
    return False


def _displays(document) -> list[nodes.math_block]:
    return [m for m in document.findall(nodes.math_block) if not _in_output(m)]


class CollectVerification(SphinxTransform):
    """Note each page's check records, labelled displays and declared statuses (after ``Locale``,
    so a waiver's reason is in the edition's language), and give each check line its anchor."""

    default_priority = 800

    def apply(self, **kwargs) -> None:
        data, docname = _data(self.env), self.env.docname
        records = []
        for node in self.document.findall(nodes.container):
            if "check_record" in node.attributes:
                record = CheckRecord.from_json(json.loads(node["check_record"]))
                anchor = check_anchor(record.name)
                node["ids"] = [anchor]
                records.append((anchor, node["check_record"]))
        data["records"][docname] = records
        labels, unlabelled = [], 0
        for math in _displays(self.document):
            if math.get("label"):
                labels.append(math["label"])
            elif not _in_derivation(math) and "notation" not in math.get("classes", []):
                unlabelled += 1
        data["displays"][docname] = labels
        data["unlabelled"][docname] = unlabelled
        for node in self.document.findall(equation_status):
            reason = " ".join(p.astext() for p in node.findall(nodes.paragraph))
            data["statuses"][node["label"]] = (docname, node["status"], reason)


def _purge(app: Sphinx, env, docname: str) -> None:
    data = _data(env)
    for key in ("records", "displays", "unlabelled"):
        data[key].pop(docname, None)
    data["statuses"] = {k: v for k, v in data["statuses"].items() if v[0] != docname}


def _merge(app: Sphinx, env, docnames, other) -> None:
    data, theirs = _data(env), _data(other)
    for key in ("records", "displays", "unlabelled"):
        data[key].update({d: theirs[key][d] for d in docnames if d in theirs[key]})
    data["statuses"].update({k: v for k, v in theirs["statuses"].items() if v[0] in docnames})


# ---------------------------------------------------------------- the whole book, in reading order


class _Book:
    """Every record and display of the book, in the order of the table of contents."""

    def __init__(self, env) -> None:
        data = _data(env)
        self.env = env
        order = [d for d in env.found_docs if d in data["records"] or d in data["displays"]]
        toc_order = list(dict.fromkeys([env.config.root_doc, *_toc_order(env)]))
        self.pages = [d for d in toc_order if d in order] + sorted(set(order) - set(toc_order))
        self.records: dict[str, list[tuple[str, CheckRecord]]] = {
            d: [(a, CheckRecord.from_json(json.loads(j))) for a, j in data["records"].get(d, [])] for d in self.pages
        }
        self.statuses = data["statuses"]
        self.unlabelled = data["unlabelled"]
        self.numbers: dict[str, str] = {}  # anchor -> "3.4"
        self.where: dict[str, str] = {}  # anchor -> docname
        self.by_name: dict[tuple[str, str], str] = {}  # (docname, check name) -> anchor
        for d in self.pages:
            chapter = _chapter_number(env, d)
            for k, (anchor, record) in enumerate(self.records[d], 1):
                self.numbers[anchor] = f"{chapter}.{k}" if chapter else str(k)
                self.where[anchor] = d
                self.by_name[(d, record.name)] = anchor
        displays = {d: data["displays"].get(d, []) for d in self.pages}
        declared = {label: status for label, (_, status, _) in self.statuses.items()}
        self.coverage: list[Coverage] = coverage(
            displays, {d: [r for _, r in self.records[d]] for d in self.pages}, declared
        )
        self.by_label = {c.label: c for c in self.coverage}


def _toc_order(env) -> list[str]:
    """The documents in the order of the table of contents (depth first)."""
    out: list[str] = []

    def walk(docname: str) -> None:
        if docname in out:
            return
        out.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return out


def _chapter_number(env, docname: str) -> str:
    number = env.toc_secnumbers.get(docname, {}).get("")
    return ".".join(map(str, number)) if number else ""


def _book(env) -> _Book:
    cached = getattr(env, "_book_verification_index", None)
    if cached is None or cached[0] is not env.book_verification:
        cached = (env.book_verification, _Book(env))
        env._book_verification_index = cached
    return cached[1]


def _check_warnings(app: Sphinx, env) -> None:
    """After reading: checks that back unknown equations, and names used twice."""
    book = _Book(env)
    known = {label for d in book.pages for label in _data(env)["displays"].get(d, [])}
    names = Counter(record.name for d in book.pages for _, record in book.records[d])
    for name, count in names.items():
        if count > 1:
            logger.warning(f"check name used {count} times in the book: {name!r} (its anchor would be ambiguous)")
    for d in book.pages:
        for _, record in book.records[d]:
            for label in (*record.backs, *record.uses):
                if label not in known:
                    logger.warning(f"check {record.name!r} names {label!r}, which is no labelled display", location=d)
    for label, (d, _, _) in book.statuses.items():
        if label not in known:
            logger.warning(f"equation-status names {label!r}, which is no labelled display", location=d)


# ---------------------------------------------------------------- writing: lines, marks, ledger


class RenderVerification(SphinxPostTransform):
    """Render the check lines, the equation marks and the ledger of a page being written."""

    builders = ("html", "dirhtml", "singlehtml")
    default_priority = 800

    def run(self, **kwargs) -> None:
        book = _book(self.env)
        docname = self.env.docname
        for node in list(self.document.findall(nodes.container)):
            if "check_record" in node.attributes:
                anchor = node["ids"][0]
                node.children = self._check_lines(book, anchor, CheckRecord.from_json(json.loads(node["check_record"])))
        for math in _displays(self.document):
            label = math.get("label")
            if label and label in book.by_label:
                math.parent.insert(math.parent.index(math) + 1, self._mark(book, book.by_label[label]))
        for node in list(self.document.findall(equation_status)):
            node.parent.remove(node)
        for node in list(self.document.findall(check_ledger)):
            node.replace_self(getattr(self, f"_ledger_{node['part']}")(book))
        del docname

    # -- links

    def _href(self, docname: str, anchor: str) -> str:
        if docname == self.env.docname:
            return "#" + anchor
        return self.app.builder.get_relative_uri(self.env.docname, docname) + "#" + anchor

    def _check_link(self, book: _Book, anchor: str) -> nodes.reference:
        text = f"{_word(self.env, 'check')} {book.numbers[anchor]}"
        return nodes.reference("", text, refuri=self._href(book.where[anchor], anchor), classes=["check-link"])

    def _equation_link(self, label: str) -> nodes.Node:
        equations = self.env.get_domain("math").data["objects"]
        if label not in equations:
            return nodes.literal("", label)
        docname, _ = equations[label]
        node_id = f"equation-{label}"
        number = self.env.toc_fignumbers.get(docname, {}).get("displaymath", {}).get(node_id)
        text = "(" + ".".join(map(str, number)) + ")" if number else label
        return nodes.reference("", text, refuri=self._href(docname, node_id), classes=["equation-link"])

    def _links(self, items: list[nodes.Node]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for i, item in enumerate(items):
            if i:
                out.append(nodes.Text(", "))
            out.append(item)
        return out

    # -- a check's lines

    def _check_lines(self, book: _Book, anchor: str, record: CheckRecord) -> list[nodes.Node]:
        line = nodes.paragraph(classes=["check-line", "check-pass" if record.passed else "check-fail"])
        number = f"{_word(self.env, 'check')} {book.numbers[anchor]}" if anchor in book.numbers else ""
        line += nodes.inline("", number, classes=["check-number"])
        line += nodes.Text(" " + record.line())
        if record.backs:
            line += nodes.Text(f" · {_word(self.env, 'backs')} ")
            line.extend(self._links([self._equation_link(label) for label in record.backs]))
        out = [line]
        for rule in record.rules_out:
            out.append(nodes.paragraph("", rule.line().strip(), classes=["check-ruleout"]))
        if record.note:
            out.append(nodes.paragraph("", f"↳ not counted · {record.note}", classes=["check-note"]))
        return out

    # -- an equation's mark

    def _mark(self, book: _Book, cov: Coverage) -> nodes.Node:
        mark = nodes.container(classes=["eq-mark", f"eq-{cov.status}"])
        para = nodes.paragraph()
        mark += para
        word = lambda text: _word(self.env, text)  # noqa: E731
        if cov.status == "checked":
            para += nodes.Text("✔ " + word("checked by") + " ")
            para.extend(self._links([self._check_link(book, book.by_name[c]) for c in cov.checks]))
        elif cov.status == "definition":
            para += nodes.Text(word("definition"))
            if cov.users:
                para += nodes.Text(" · " + word("first used by") + " ")
                para += self._check_link(book, book.by_name[cov.users[0]])
        elif cov.status == "waived":
            para += nodes.Text(f"{word('waived')}: {book.statuses[cov.label][2]}")
        else:
            para += nodes.Text(word("not checked"))
        return mark

    # -- the ledger

    def _chapters(self, book: _Book) -> list[str]:
        return [d for d in book.pages if book.records[d] or _data(self.env)["displays"].get(d)]

    def _ledger_summary(self, book: _Book) -> list[nodes.Node]:
        """Counted checks per chapter and kind, the uncounted and the failed."""
        word = lambda text: _word(self.env, text)  # noqa: E731
        chapters = self._chapters(book)
        kinds = [k for k in KINDS if any(r.kind == k for d in chapters for _, r in book.records[d])]
        rows, totals = [], Counter()
        for d in chapters:
            recs = [r for _, r in book.records[d]]
            counted = Counter(r.kind for r in recs if r.counted)
            failed = sum(not r.passed for r in recs)
            rest = len(recs) - sum(counted.values()) - failed
            rows.append([self._doc_link(d), *(str(counted[k]) for k in kinds), str(sum(counted.values()))])
            rows[-1] += [str(rest), str(failed)]
            totals.update(counted)
            totals["not counted"] += rest
            totals["failed"] += failed
        rows.append(
            [word("Total"), *(str(totals[k]) for k in kinds), str(sum(totals[k] for k in kinds))]
            + [str(totals["not counted"]), str(totals["failed"])]
        )
        head = [word("Chapter"), *(word(k) for k in kinds), word("verifications"), word("not counted"), word("failed")]
        return [self._table(head, rows, ["ledger-summary"])]

    def _ledger_coverage(self, book: _Book) -> list[nodes.Node]:
        """The labelled displays per chapter by status, then the waivers with their reasons."""
        word = lambda text: _word(self.env, text)  # noqa: E731
        rows, totals = [], Counter()
        for d in self._chapters(book):
            covs = [c for c in book.coverage if c.page == d]
            if not covs and not book.unlabelled.get(d):
                continue
            counts = Counter(c.status for c in covs)
            counts["labelled"] = len(covs)
            counts["unlabelled"] = book.unlabelled.get(d, 0)
            totals.update(counts)
            rows.append([self._doc_link(d)] + [str(counts[k]) for k in self._coverage_columns()])
        rows.append([word("Total")] + [str(totals[k]) for k in self._coverage_columns()])
        head = [word("Chapter"), word("labelled displays"), word("checked"), word("definitions"), word("waived")]
        head += [word("uncovered"), word("unlabelled displays")]
        out: list[nodes.Node] = [self._table(head, rows, ["ledger-coverage"])]
        waived = [c for c in book.coverage if c.status == "waived"]
        if waived:
            rows = [[self._equation_link(c.label), book.statuses[c.label][2]] for c in waived]
            out.append(self._table([word("Equation"), word("Reason")], rows, ["ledger-waivers"]))
        return out

    def _ledger_checks(self, book: _Book) -> list[nodes.Node]:
        """Every check, one collapsible section per chapter."""
        word = lambda text: _word(self.env, text)  # noqa: E731
        out: list[nodes.Node] = []
        for d in self._chapters(book):
            if not book.records[d]:
                continue
            details = ledger_details(classes=["ledger-chapter"])
            summary = ledger_summary()
            number = _chapter_number(self.env, d)
            title = f"{number} {self.env.titles[d].astext()}".strip()
            summary += nodes.Text(f"{title} · {len(book.records[d])} {word('checks')}")
            details += summary
            for anchor, record in book.records[d]:
                details += self._ledger_entry(book, anchor, record)
            out.append(details)
        return out

    def _ledger_uncounted(self, book: _Book) -> list[nodes.Node]:
        """The checks that are not counted, with the reason each gives."""
        word = lambda text: _word(self.env, text)  # noqa: E731
        rows = []
        for d in self._chapters(book):
            for anchor, record in book.records[d]:
                if not record.counted:
                    why = record.note or ("failed" if not record.passed else "a wrong answer without its origin")
                    rows.append([self._check_link(book, anchor), record.name, why])
        if not rows:
            return [nodes.paragraph("", word("None."))]
        return [
            self._table([word("check").capitalize(), "", word("Why it is not counted")], rows, ["ledger-uncounted"])
        ]

    @staticmethod
    def _coverage_columns() -> list[str]:
        return ["labelled", "checked", "definition", "waived", "uncovered", "unlabelled"]

    def _doc_link(self, docname: str) -> nodes.Node:
        title = self.env.titles[docname].astext()
        number = _chapter_number(self.env, docname)
        return nodes.reference("", f"{number} {title}".strip(), refuri=self._href(docname, "").rstrip("#"))

    def _ledger_entry(self, book: _Book, anchor: str, record: CheckRecord) -> nodes.Node:
        """One check as a card: its number and name, its result, and each wrong answer it rules out.

        In print (``_static/print.css``) a card is one line: the head (class ``ledger-name``) and a
        last part that summarises the wrong answers; the parts of class ``ledger-detail`` are left
        out. On screen that summary is hidden and the details show.
        """
        word = lambda text: _word(self.env, text)  # noqa: E731
        classes = ["ledger-check", "ledger-counted" if record.counted else "ledger-uncounted"]
        entry = nodes.container(classes=classes)
        head = nodes.paragraph(classes=["ledger-head", "ledger-name"])
        head += self._check_link(book, anchor)
        head += nodes.Text(f" {record.name}")
        head += nodes.inline("", f" · {word(record.kind)}", classes=["ledger-kind"])
        entry += head
        body = nodes.paragraph(classes=["ledger-result", "ledger-detail"])
        body += nodes.Text(" · ".join(f for f in (record.result, record.reference, record.criterion) if f))
        if record.backs:
            body += nodes.Text(f" · {word('backs')} ")
            body.extend(self._links([self._equation_link(label) for label in record.backs]))
        entry += body
        summary = []
        for rule in record.rules_out:
            origin = word(ORIGINS[rule.origin]) if rule.origin else ""
            text = f"↳ {word('rules out')} {rule.label}"
            text += f" ({origin}{': ' + rule.source if rule.source else ''})" if origin else ""
            text += f" · {rule.result} · {rule.criterion}"
            text += f", estimated power {rule.power}" if rule.power else ""
            entry += nodes.paragraph("", text, classes=["ledger-ruleout", "ledger-detail"])
            summary.append(f"{rule.label}" + (f" ({origin})" if origin else ""))
        if record.note:
            entry += nodes.paragraph(
                "", f"↳ {word('not counted')}: {record.note}", classes=["ledger-note", "ledger-detail"]
            )
            summary.append(f"{word('not counted')}: {record.note}")
        entry += nodes.paragraph(
            "",
            f"↳ {word('rules out')}: " + "; ".join(summary) if record.rules_out else "↳ " + "; ".join(summary),
            classes=["ledger-rules-summary"],
        )
        return entry

    @staticmethod
    def _table(head: list[str], rows: list[list], classes: list[str]) -> nodes.table:
        table = nodes.table(classes=["table", *classes])
        group = nodes.tgroup(cols=len(head))
        table += group
        group.extend(nodes.colspec(colwidth=1) for _ in head)

        def row_of(cells, entry_classes=()):
            row = nodes.row()
            for cell in cells:
                entry = nodes.entry(classes=list(entry_classes))
                para = nodes.paragraph()
                para += cell if isinstance(cell, nodes.Node) else nodes.Text(str(cell))
                entry += para
                row += entry
            return row

        thead = nodes.thead()
        thead += row_of(head)
        group += thead
        tbody = nodes.tbody()
        tbody.extend(row_of(r) for r in rows)
        group += tbody
        return table


def setup(app: Sphinx) -> dict:
    app.add_directive("equation-status", EquationStatus)
    app.add_directive("check-ledger", CheckLedger)
    skip = (_skip, None)
    app.add_node(equation_status, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_node(check_ledger, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_node(ledger_details, html=(_visit_details, _depart_details))
    app.add_node(ledger_summary, html=(_visit_summary, _depart_summary))
    app.add_transform(CollectVerification)
    app.add_post_transform(RenderVerification)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check_warnings)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1", "env_version": 1}
