"""Open every page of the built book in a real headless Chromium, offline.

For each page listed in _toc.yml (opened via file://): no console errors, no uncaught page
errors, no request that leaves file:// or data: (such requests are aborted and reported),
MathJax has typeset every math element (no raw ``$$`` / ``\\[`` left in the prose), every
image has loaded with a non-zero size, no 'Traceback' on the page, and notebook figures keep
an opaque white background in the dark theme. A full-page screenshot of every page, in the
light and in the dark theme, is kept under _build/screenshots/ for people to look at.

The browser is Debian's /usr/bin/chromium (`make test` installs it with apt-get); if it is
missing the test fails, it never skips.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.build, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "_build" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
LOCAL_SCHEMES = ("file://", "data:")

# Text of the article with code, outputs of MathJax and scripts removed: what is left is prose,
# where a raw TeX delimiter means MathJax did not typeset something.
PROSE_TEXT_JS = """
() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const clone = article.cloneNode(true);
  clone.querySelectorAll('pre, code, .highlight, mjx-container, script, style, .cell_input')
       .forEach(el => el.remove());
  return clone.textContent;
}
"""

MATH_STATUS_JS = """
() => {
  const maths = Array.from(document.querySelectorAll('article .math'));
  return {
    math: maths.length,
    untypeset: maths.filter(el => !el.querySelector('mjx-container'))
                    .map(el => el.textContent.slice(0, 80)),
    containers: document.querySelectorAll('mjx-container').length,
    mathjaxErrors: document.querySelectorAll('mjx-merror').length,
  };
}
"""

IMAGES_JS = """
() => Array.from(document.images).map(img => ({
  src: img.currentSrc || img.src, complete: img.complete, width: img.naturalWidth,
  output: !!img.closest('.cell_output, figure'),
  background: getComputedStyle(img).backgroundColor, filter: getComputedStyle(img).filter,
}))
"""


@pytest.fixture(scope="module")
def browser_context():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser check needs Debian's chromium. "
            "Run `make test` (it installs chromium and chromium-driver with apt-get), "
            "or `apt-get install -y chromium chromium-driver` yourself.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="book-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900},
                offline=True,
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _settle(page) -> bool:
    """Wait until MathJax (if the page loads it), fonts and images are done."""
    uses_mathjax = page.evaluate("() => !!document.querySelector('script[src*=\"mathjax\"]')")
    if uses_mathjax:
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000)
        page.evaluate("() => MathJax.startup.promise.then(() => true)")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)", timeout=30_000)
    return uses_mathjax


def _docnames():
    from conftest import toc_docnames

    return toc_docnames()


@pytest.mark.parametrize("docname", _docnames())
def test_page_renders_offline(book_build, browser_context, docname):
    assert book_build.returncode == 0, "the book did not build; see test_book_build"
    path = book_build.html_dir / f"{docname}.html"
    assert path.is_file(), f"{path} was not built"

    console_errors: list[str] = []
    page_errors: list[str] = []
    foreign_requests: list[str] = []
    failed_requests: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            foreign_requests.append(url)
            route.abort()

    page = browser_context.new_page()
    try:
        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        page.on(
            "requestfailed",
            lambda r: r.url.startswith(LOCAL_SCHEMES) and failed_requests.append(r.url),
        )
        # A first visit: nothing stored (the previous test clears what it stored).
        page.goto(path.as_uri(), wait_until="load")
        uses_mathjax = _settle(page)

        math = page.evaluate(MATH_STATUS_JS)
        prose = page.evaluate(PROSE_TEXT_JS)
        body_text = page.inner_text("body")
        images = page.evaluate(IMAGES_JS)

        name = docname.replace("/", "__")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

        # The dark theme, as the theme switch leaves it: stored in localStorage, then reload.
        page.evaluate("() => { localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark'); }")
        page.reload(wait_until="load")
        _settle(page)
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        dark_images = page.evaluate(IMAGES_JS)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-dark.png"), full_page=True)
    finally:
        try:
            page.evaluate("() => localStorage.clear()")
        finally:
            page.close()

    assert theme == "dark", f"the dark theme did not apply (data-theme={theme!r})"

    assert foreign_requests == [], f"requests that leave file:// (aborted): {foreign_requests}"
    assert failed_requests == [], f"local files that failed to load: {failed_requests}"
    assert page_errors == [], f"uncaught JavaScript errors: {page_errors}"
    assert console_errors == [], f"console errors: {console_errors}"

    if math["math"]:
        assert uses_mathjax, "the page has math but does not load MathJax"
        assert math["untypeset"] == [], f"math left untypeset: {math['untypeset']}"
        assert math["containers"] >= math["math"]
        assert math["mathjaxErrors"] == 0, "MathJax reported TeX errors (mjx-merror)"
    for raw in ("$$", "\\[", "\\]", "\\(", "\\begin{"):
        assert raw not in prose, f"raw TeX {raw!r} left in the page text"
    assert "Traceback" not in body_text, "a Python traceback is shown on the page"

    broken = [i["src"] for i in images if not (i["complete"] and i["width"] > 0)]
    assert broken == [], f"images that did not load: {broken}"
    not_white = [
        i["src"][:80]
        for i in dark_images
        if i["output"] and (i["background"] != "rgb(255, 255, 255)" or i["filter"] != "none")
    ]
    assert not_white == [], f"figures without a plain white background in dark mode: {not_white}"
