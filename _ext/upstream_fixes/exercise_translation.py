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
   (``env.sphinx_exercise_registry``): the copy is refreshed after Sphinx's ``Locale`` transform.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import require

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


def setup(app: Sphinx) -> None:
    require("sphinx-exercise", PINNED, "exercise_translation", ISSUE)
    app.add_transform(LocateExerciseTitles)
    app.add_transform(RefreshExerciseRegistry)
    app.add_post_transform(KeepExerciseTitlesForGettext)
