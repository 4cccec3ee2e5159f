"""Only the icons the book shows, instead of the theme's whole Font Awesome script.

pydata-sphinx-theme loads ``_static/scripts/fontawesome.js`` on every page: 1.5 MB of
JavaScript holding about 2,000 icons as SVG paths, of which the book shows about twenty (menu,
search, download, theme switch, arrows). After the HTML build, this extension writes a small
script in its place that draws those icons with the Font Awesome web fonts the theme already
ships (``_static/vendor/fontawesome/webfonts``, 25-160 kB each, loaded only for the styles in
use). Which icons are in use is read from the built pages and the theme's scripts; each icon's
code point is read from the theme's installed ``fontawesome.js`` at build time (nothing from
Font Awesome is stored in this repository). An icon that cannot be found is a build warning.

Font Awesome Free is by Fonticons, Inc. (https://fontawesome.com): icons CC BY 4.0, fonts SIL
OFL 1.1, code MIT (https://fontawesome.com/license/free).
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# class names that pick a style, and the web font file of each style
_STYLES = {
    "solid": ({"fa-solid", "fas"}, "fa-solid-900.woff2", 900),
    "regular": ({"fa-regular", "far"}, "fa-regular-400.woff2", 400),
    "brands": ({"fa-brands", "fab"}, "fa-brands-400.woff2", 400),
}
# fa-* classes that are modifiers, not icons
_MODIFIERS = {"fa-lg", "fa-xs", "fa-sm", "fa-xl", "fa-2x", "fa-fw", "fa-spin", "fa-pulse"}
_STYLE_CLASSES = set().union(*(c for c, _, _ in _STYLES.values()))
# an icon's entry in the theme's bundle: "name":[width,height,[aliases],"code point","path"]
# (the name is quoted unless it is a plain identifier: "arrow-up":[...], bars:[...])
_ICON = re.compile(r'[{,]"?([a-z0-9-]+)"?:\[\d+,\d+,\[([^\]]*)\],"([0-9a-f]{4,5})",')
_CLASS_ATTR = re.compile(r'class="([^"]*)"')
_FA_NAME = re.compile(r"\bfa-[a-z0-9-]+")

HEADER = """/* The Font Awesome Free icons this book shows, drawn with the web fonts that ship with
 * pydata-sphinx-theme. Written by _ext/icons.py at build time in place of the theme's
 * fontawesome.js (all of Font Awesome's icons, 1.5 MB). Font Awesome Free by Fonticons, Inc.:
 * icons CC BY 4.0, fonts SIL OFL 1.1, code MIT (https://fontawesome.com/license/free). */
"""


def code_points(bundle: str) -> dict[str, str]:
    """Icon name (and alias) -> code point, from the theme's Font Awesome bundle."""
    points: dict[str, str] = {}
    for m in _ICON.finditer(bundle):
        points.setdefault(m.group(1), m.group(3))
        for alias in re.findall(r'"([a-z0-9-]+)"', m.group(2)):
            points.setdefault(alias, m.group(3))
    return points


def used_icons(outdir: Path) -> tuple[set[str], set[str]]:
    """The icon names and the styles used by the built pages and the theme's scripts."""
    names: set[str] = set()
    styles: set[str] = set()
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in outdir.rglob("*.html")]
    scripts = outdir / "_static" / "scripts"
    texts += [
        p.read_text(encoding="utf-8", errors="replace") for p in scripts.glob("*.js") if p.name != "fontawesome.js"
    ]
    for text in texts:
        for attr in _CLASS_ATTR.findall(text) + re.findall(r'"((?:fa-[a-z0-9-]+ ?)+)"', text):
            classes = set(attr.split())
            fa = {c for c in classes if _FA_NAME.fullmatch(c)}
            names |= {c[3:] for c in fa - _MODIFIERS - _STYLE_CLASSES}
            for style, (marks, _, _) in _STYLES.items():
                if classes & marks:
                    styles.add(style)
    return names, styles or {"solid"}


def icon_script(names: set[str], styles: set[str], points: dict[str, str]) -> str:
    rules = []
    for style in sorted(styles):
        marks, font, weight = _STYLES[style]
        family = f"Book Icons {style.title()}"
        rules.append(
            f'@font-face{{font-family:"{family}";font-style:normal;font-weight:{weight};'
            f'font-display:block;src:url("\'+base+\'{font}") format("woff2")}}'
        )
        selector = ",".join("." + m for m in sorted(marks))
        rules.append(f'{selector}{{font-family:"{family}";font-weight:{weight}}}')
    every = ",".join("." + m for m in sorted(_STYLE_CLASSES))
    rules.append(
        every + "{display:inline-block;font-style:normal;font-variant:normal;line-height:1;"
        "text-rendering:auto;-webkit-font-smoothing:antialiased}"
    )
    rules.append(".fa-lg{font-size:1.25em;line-height:.05em;vertical-align:-.075em}")
    for name in sorted(names):
        rules.append(f'.fa-{name}::before{{content:"\\\\{points[name]}"}}')
    css = "\n".join(f"    '{r}'," for r in rules)
    return (
        HEADER
        + "(function () {\n"
        + "  var base = new URL('../vendor/fontawesome/webfonts/', document.currentScript.src).href;\n"
        + "  var style = document.createElement('style');\n"
        + "  style.textContent = [\n"
        + css
        + "\n  ].join('\\n');\n"
        + "  document.head.appendChild(style);\n"
        + "})();\n"
    )


def _write_icons(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import pydata_sphinx_theme

    theme_static = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    bundle = (theme_static / "scripts" / "fontawesome.js").read_text(encoding="utf-8")
    points = code_points(bundle)
    outdir = Path(app.outdir)
    names, styles = used_icons(outdir)
    missing = sorted(n for n in names if n not in points)
    for name in missing:
        logger.warning("icons: fa-%s is used by a page but is not a Font Awesome icon", name)
    names -= set(missing)
    target = outdir / "_static" / "scripts" / "fontawesome.js"
    target.write_text(icon_script(names, styles, points), encoding="utf-8")
    (outdir / "_static" / "scripts" / "fontawesome.js.map").unlink(missing_ok=True)
    logger.info("icons: %d Font Awesome icons (%s) in %s", len(names), ", ".join(sorted(styles)), target)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _write_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
