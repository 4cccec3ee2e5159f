"""sphinx-exercise 1.2.1: its titles reach the Chinese edition's catalogues and pages.

Upstream: sphinx-exercise has no internationalisation (executablebooks/sphinx-exercise#73,
https://github.com/executablebooks/sphinx-exercise/issues/73), and three of its internals keep
the exercises' own titles ("Exercise 5.1 (The extension matters)") out of a translated book:

1. the title node (``exercise_subtitle``) carries no source location, which Sphinx takes for
   text of its own that is not to be translated: it gets its exercise's location;
2. the extension folds each title into a new node after reading (a post-transform, priority 20),
   and the gettext builder extracts messages after all post-transforms, so the titles never
   reached the catalogue: a copy is kept for the gettext builder;
3. the extension titles each solution from a copy of its exercise made before translation
   (``env.sphinx_exercise_registry``): the copy is refreshed after Sphinx's ``Locale`` transform;
4. its Chinese catalogue calls an exercise 练习, where the book's headings and prose say 习题: the
   book's catalogue of its domain (locale/zh_CN/LC_MESSAGES/exercise.po) is registered before the
   extension's own, so that it wins (``register_catalogue_first``);
5. it assembles titles in code, in English word order and with half-width parentheses
   ("Solution to Exercise 5.1 (The extension matters)"), which no translation of its messages can
   change: two messages of the book's own in that catalogue give the forms, and a transform
   rebuilds the titles from them ("{number} ({title})" → 习题 5.1（延拓方式很重要）,
   "Solution to {exercise}" → 习题 5.1（延拓方式很重要）解答). Where the language has no
   translation of them (English), the titles stay as the extension makes them.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.locale import get_translation
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import register_catalogue_first, require

PINNED = "1.2.1"
ISSUE = "https://github.com/executablebooks/sphinx-exercise/issues/73"


class LocateExerciseTitles(SphinxTransform):
    """Give each exercise title its exercise's source location, before ``Locale`` (priority 20)."""

    default_priority = 10

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(nodes.TextElement):
            if node.tagname == "exercise_subtitle" and not node.source:
                node.source, node.line = node.parent.source or self.document["source"], node.parent.line


class KeepExerciseTitlesForGettext(SphinxPostTransform):
    """Keep a copy of each exercise title at the end of the (throwaway) gettext doctree.

    The HTML build needs nothing: there ``Locale`` translated the title before it was folded.
    """

    builders = ("gettext",)
    default_priority = 19

    def run(self, **kwargs) -> None:
        keep = nodes.container()
        for node in self.document.findall(nodes.TextElement):
            if node.tagname == "exercise_subtitle" and node.source:
                copy = node.deepcopy()
                copy.source, copy.line = node.source, node.line
                copy.uid = getattr(node, "uid", "")
                keep += copy
        if keep.children:
            self.document += keep


class RefreshExerciseRegistry(SphinxTransform):
    """Refresh sphinx-exercise's copy of each exercise after ``Locale``, so that solutions are
    titled from the translated exercise."""

    default_priority = 25

    def apply(self, **kwargs) -> None:
        registry = getattr(self.env, "sphinx_exercise_registry", None)
        if not registry or not self.config.language or self.config.language.startswith("en"):
            return
        for node in self.document.findall(nodes.Element):
            entry = registry.get(node.get("label", ""))
            if entry and entry.get("type") == "exercise" and entry.get("docname") == self.env.docname:
                if node.tagname.startswith("exercise"):
                    entry["node"] = node.deepcopy()


# The extension's message domain, and the book's two messages in it that give the title forms.
DOMAIN = "exercise"
EXERCISE_TITLE = "{number} ({title})"
SOLUTION_TITLE = "Solution to {exercise}"


def _around(form: str, field: str) -> tuple[str, str]:
    """The text before and after ``{field}`` in a title form of the catalogue."""
    before, found, after = form.partition("{" + field + "}")
    if not found:
        raise ExtensionError(f"the title form {form!r} (locale/*/LC_MESSAGES/{DOMAIN}.po) lacks {{{field}}}")
    return before, after


class ExerciseTitlesInTheLanguage(SphinxPostTransform):
    """Rebuild exercise and solution titles in the forms the language's catalogue gives.

    Runs after the extension has assembled them (post-transforms of priority 20 to 22): an
    exercise's title is its number (written by the HTML writer) then ``" ("``, the subtitle,
    ``")"``; a solution's is "Solution to" then a link holding the exercise's number and subtitle.
    """

    builders = ("html", "dirhtml", "singlehtml")
    default_priority = 23

    def run(self, **kwargs) -> None:
        translate = get_translation(DOMAIN)
        exercise_form, solution_form = translate(EXERCISE_TITLE), translate(SOLUTION_TITLE)
        if (exercise_form, solution_form) == (EXERCISE_TITLE, SOLUTION_TITLE):
            return  # no translation: the extension's English forms
        before_number, rest = _around(exercise_form, "number")
        if before_number:  # the HTML writer puts the number first
            raise ExtensionError(f"the title form {exercise_form!r} must start with {{number}}")
        opening, closing = _around(rest, "title")
        before, after = _around(solution_form, "exercise")
        for node in self.document.findall(nodes.Element):
            if node.tagname == "exercise_enumerable_node" and node.children:
                self._parentheses(node.children[0], opening, closing)
            elif node.tagname == "solution_node" and node.children:
                title = node.children[0]
                link = next(iter(title.findall(nodes.reference)), None)
                if not isinstance(title, nodes.title) or link is None:
                    continue
                self._parentheses(link, opening, closing, number_first=True)
                title.children = []
                title += [nodes.Text(before), link, nodes.Text(after)]

    @staticmethod
    def _parentheses(parent: nodes.Element, opening: str, closing: str, number_first: bool = False) -> None:
        """Replace the extension's ``" ("`` and ``")"`` around a subtitle (and, in a solution's link, the
        space before the number) by the language's forms."""
        if number_first and parent.children and isinstance(parent[0], nodes.Text):
            parent[0] = nodes.Text(str(parent[0]).lstrip())
        texts = [i for i, child in enumerate(parent.children) if isinstance(child, nodes.Text)]
        starts = [i for i in texts if str(parent[i]).endswith(" (")]
        if not starts or str(parent[texts[-1]]) != ")":
            return
        parent[starts[0]] = nodes.Text(str(parent[starts[0]])[: -len(" (")] + opening)
        parent[texts[-1]] = nodes.Text(closing)


def setup(app: Sphinx) -> None:
    require("sphinx-exercise", PINNED, "exercise_translation", ISSUE)
    register_catalogue_first(app, DOMAIN, "sphinx_exercise")
    app.add_post_transform(ExerciseTitlesInTheLanguage)
    app.add_transform(LocateExerciseTitles)
    app.add_transform(RefreshExerciseRegistry)
    app.add_post_transform(KeepExerciseTitlesForGettext)
