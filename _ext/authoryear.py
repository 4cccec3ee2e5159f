"""Author-year labels for the References page (sphinxcontrib-bibtex / pybtex).

With ``bibtex_reference_style: author_year`` citations in the text read "Su (2019)", but
pybtex's stock styles still label the bibliography entries [1], [2], ... This local Sphinx
extension registers a pybtex formatting style ``authoryear`` (the ``plain`` style, sorted by
author, year and title) whose labels are "Su 2019", "Kingma and Welling 2014",
"Mohamed et al. 2020" (with a, b, ... appended to tell equal labels apart). It is selected
with ``bibtex_default_style: authoryear`` in _config.yml.

A work written in Chinese is listed in an English bibliography under an English rendering of its
title, with "(in Chinese)", and under its own title in the Chinese edition: references.bib gives
both (``title``, and ``origtitle`` with ``origlanguage = {chinese}``), and in an edition whose
language is Chinese the style ``authoryear-zh`` takes the place of ``authoryear`` and lists such a
work by ``origtitle`` (on the References page and in the citations' tooltips).
"""

from __future__ import annotations

from collections import Counter

from pybtex.database import Entry
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle


def _surname(person) -> str:
    return " ".join(person.prelast_names + person.last_names) or "Anon."


class AuthorYearLabelStyle(BaseLabelStyle):
    def _label(self, entry) -> str:
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [_surname(p) for p in persons]
        if not names:
            who = "Anon."
        elif len(names) == 1:
            who = names[0]
        elif len(names) == 2:
            who = f"{names[0]} and {names[1]}"
        else:
            who = f"{names[0]} et al."
        return f"{who} {entry.fields.get('year', 'n.d.')}"

    def format_labels(self, sorted_entries):
        labels = [self._label(entry) for entry in sorted_entries]
        counts = Counter(labels)
        seen: Counter[str] = Counter()
        for label in labels:
            if counts[label] > 1:
                yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label]]
                seen[label] += 1
            else:
                yield label


class AuthorYearStyle(PlainStyle):
    default_label_style = "authoryear"
    default_sorting_style = "author_year_title"


class AuthorYearChineseStyle(AuthorYearStyle):
    """``authoryear`` for the Chinese edition: a work written in Chinese under its own title."""

    original_language = "chinese"

    def format_entry(self, label, entry, bib_data=None):
        fields = entry.fields
        if fields.get("origlanguage", "").lower() == self.original_language and "origtitle" in fields:
            own = Entry(entry.type, fields={**fields, "title": fields["origtitle"]}, persons=entry.persons)
            own.key = entry.key
            entry = own
        return super().format_entry(label, entry, bib_data=bib_data)


register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabelStyle)
register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
register_plugin("pybtex.style.formatting", "authoryear-zh", AuthorYearChineseStyle)


def _style_of_the_edition(app, config) -> None:
    if (config.language or "").startswith("zh") and config.bibtex_default_style == "authoryear":
        config.bibtex_default_style = "authoryear-zh"


def setup(app):
    app.connect("config-inited", _style_of_the_edition)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
