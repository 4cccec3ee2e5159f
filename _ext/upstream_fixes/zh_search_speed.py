"""Sphinx 7.4.7: the Chinese search index looks words up in a set, not in an ever longer list.

Sphinx's Chinese search language (``sphinx.search.zh.SearchChinese``) appends every Latin word it
meets, duplicates included, to one list shared by all pages (``latin_terms``), and tests each
word it stems for membership in that list. The list grows to tens of thousands of entries, so
indexing the Chinese edition took about 20 s, most of it in ``word in latin_terms``. Here the
list keeps a set of its entries beside it and answers membership from the set; what it holds,
and every answer, stay the same.

Upstream: not reported yet (Sphinx's tracker, ISSUE below).
"""

from __future__ import annotations

from collections.abc import Iterable

from sphinx.application import Sphinx

from . import require

PINNED = "7.4.7"
ISSUE = "https://github.com/sphinx-doc/sphinx/issues (SearchChinese.latin_terms is a list)"


class TermList(list):
    """A list whose ``in`` is a set lookup (it supports the appends Sphinx makes: extend, append)."""

    def __init__(self, items: Iterable[str] = ()) -> None:
        super().__init__(items)
        self._members = set(self)

    def extend(self, items: Iterable[str]) -> None:
        items = list(items)
        super().extend(items)
        self._members.update(items)

    def append(self, item: str) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def setup(app: Sphinx) -> None:
    require("sphinx", PINNED, "zh_search_speed", ISSUE)
    from sphinx.search.zh import SearchChinese

    if not isinstance(SearchChinese.latin_terms, TermList):
        SearchChinese.latin_terms = TermList(SearchChinese.latin_terms)
