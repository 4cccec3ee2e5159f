"""What a reader must see on a page, measured in a real browser: the browser test's assertions.

Each function takes a Playwright page, already loaded and settled, and returns the defects it
finds there as short strings (an empty list when there are none). ``test_browser.py`` runs them
on every page of both editions; ``test_pagechecks.py`` runs each on a small synthetic page that
has the defect, so that an assertion that cannot fail is caught too. They measure what is drawn
(boxes, line boxes, computed styles), never the book's own class names, so they keep working
when the markup changes.
"""

from __future__ import annotations

# ------------------------------------------------------------------- figures keep their shape

IMAGES_JS = """
() => Array.from(document.querySelectorAll('.bd-article img, article img'))
  .filter(img => img.naturalWidth > 0 && img.getClientRects().length > 0)
  .map(img => {
    const cs = getComputedStyle(img);
    const r = img.getBoundingClientRect();
    const px = name => parseFloat(cs[name]) || 0;
    return {
      src: (img.currentSrc || img.src).split('/').pop().slice(0, 16),
      width: r.width - px('paddingLeft') - px('paddingRight') - px('borderLeftWidth') - px('borderRightWidth'),
      height: r.height - px('paddingTop') - px('paddingBottom') - px('borderTopWidth') - px('borderBottomWidth'),
      naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
    };
  })
"""


def distorted_images(page) -> list[str]:
    """Images drawn with another aspect ratio than their own (more than 1 %, or 1.5 px, off)."""
    problems = []
    for img in page.evaluate(IMAGES_JS):
        expected = img["width"] * img["naturalHeight"] / img["naturalWidth"]
        if abs(img["height"] - expected) > max(1.5, 0.01 * expected):
            problems.append(
                f"{img['src']}: {img['width']:.0f} x {img['height']:.0f} px, should be {expected:.0f} px high"
            )
    return problems


# ------------------------------------------------------------------------------ code that fits

# Code blocks (not printed output) whose text reaches past their box: hidden behind a scroll bar
# or cut off. And in printed output, the lines of a check ("✔ ...", "✘ ...", "↳ ...", found by
# their text) that reach past the box: the part that says what the check rules out is hidden.
# Line boxes are measured with a Range over the text, whatever elements hold it.
CODE_JS = r"""
() => {
  const problems = [];
  const CHECK = /^\s*[\u2714\u2718\u21b3]/;
  for (const pre of document.querySelectorAll('.bd-article pre, article pre')) {
    if (!pre.getClientRects().length) continue;
    const box = pre.getBoundingClientRect();
    const right = box.left + pre.clientLeft + pre.clientWidth;  // the visible area's right edge
    const text = pre.textContent;
    const output = !!pre.closest('.cell_output, .output');
    if (!output) {
      if (pre.scrollWidth > pre.clientWidth + 1) {
        const longest = text.split('\n').reduce((a, b) => (b.length > a.length ? b : a), '');
        problems.push(`code wider than its box (${pre.scrollWidth} > ${pre.clientWidth} px): ${longest.trim().slice(0, 60)}`);
      }
      continue;
    }
    // where each character of the text is: (text node, offset)
    const nodes = [];
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    let at = 0;
    while (walker.nextNode()) { nodes.push([at, walker.currentNode]); at += walker.currentNode.data.length; }
    const locate = i => {
      for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k][0] <= i) return [nodes[k][1], Math.min(i - nodes[k][0], nodes[k][1].data.length)];
      return [pre, 0];
    };
    let start = 0;
    for (const line of text.split('\n')) {
      if (CHECK.test(line) && line.trim()) {
        const range = document.createRange();
        range.setStart(...locate(start));
        range.setEnd(...locate(start + line.length));
        const reach = Math.max(...Array.from(range.getClientRects()).map(r => r.right));
        if (reach > right + 1) problems.push(`check line past its box by ${Math.round(reach - right)} px: ${line.trim().slice(0, 60)}`);
      }
      start += line.length + 1;
    }
  }
  return problems;
}
"""


def hidden_code(page) -> list[str]:
    """Code lines wider than their box, and check lines in printed output that run past it."""
    return page.evaluate(CODE_JS)


# --------------------------------------------------------------------- scroll cues on formulas

MATH_JS = """
() => Array.from(document.querySelectorAll('.bd-article mjx-container, article mjx-container'))
  .filter(m => m.getClientRects().length > 0)
  .map(m => {
    const cs = getComputedStyle(m);
    const mml = m.querySelector('mjx-assistive-mml');
    return {
      display: m.getAttribute('display') === 'true',
      cue: cs.backgroundImage !== 'none',
      clips: cs.overflowX !== 'visible',
      overflow: m.scrollWidth - m.clientWidth,
      tex: (mml ? mml.textContent : m.textContent).trim().slice(0, 40),
    };
  })
"""

# A formula "overflows" when its content is wider than its box by more than this: less is
# rounding or the overhang of an italic letter or an accent, not content to scroll to.
MATH_SLACK_PX = 2


def misleading_math_cues(page) -> list[str]:
    """Formulas with a scroll cue (the shadows at a box's edges) that do not overflow, and
    formulas that hide more than MATH_SLACK_PX of themselves in a scroll box without the cue."""
    problems = []
    for m in page.evaluate(MATH_JS):
        kind = "display" if m["display"] else "inline"
        if m["cue"] and m["overflow"] <= MATH_SLACK_PX:
            problems.append(f"{kind} formula with a scroll cue, overflow {m['overflow']} px: {m['tex']}")
        elif m["clips"] and m["overflow"] > MATH_SLACK_PX and not m["cue"]:
            problems.append(f"{kind} formula cut off by {m['overflow']} px without a cue: {m['tex']}")
    return problems


# ------------------------------------------------------------------ equation numbers on phones

EQNO_JS = """
() => Array.from(document.querySelectorAll('div.math'))
  .filter(d => d.querySelector('span.eqno') && d.querySelector('mjx-container') && d.getClientRects().length)
  .map(d => {
    const eqno = d.querySelector('span.eqno');
    const math = d.querySelector('mjx-container');
    const e = eqno.getBoundingClientRect();
    const m = math.getBoundingClientRect();
    return {
      eqno: eqno.firstChild ? eqno.firstChild.textContent.trim() : eqno.textContent.trim(),
      across: Math.min(e.right, m.right) - Math.max(e.left, m.left),
      down: Math.min(e.bottom, m.bottom) - Math.max(e.top, m.top),
      cut: math.scrollWidth > math.clientWidth + 2,
    };
  })
"""


def crowded_equation_numbers(page) -> list[str]:
    """Equation numbers drawn over their formula, or beside a formula cut off at the box's edge
    (where the number reads as part of the clipped formula)."""
    problems = []
    for eq in page.evaluate(EQNO_JS):
        if eq["across"] > 0.5 and eq["down"] > 0.5:
            problems.append(f"{eq['eqno']} drawn over its formula")
        elif eq["down"] > 0.5 and eq["cut"]:
            problems.append(f"{eq['eqno']} beside its formula, which is cut off")
    return problems


# ------------------------------------------------------------------------------------- search

SEARCH_BOXES_JS = """
() => Array.from(document.querySelectorAll('input[type="search"], .search-button-field, .search-button'))
  .filter(el => {
    if (el.closest('dialog:not([open])')) return false;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.opacity !== '0'
      && r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < document.documentElement.scrollHeight;
  })
  .map(el => el.tagName.toLowerCase() + (el.closest('.bd-sidebar-primary') ? ' (sidebar)' : '')
       + (el.closest('.bd-header') ? ' (header band)' : '') + (el.closest('article') ? ' (page)' : ''))
"""


def search_boxes(page) -> list[str]:
    """Every visible way to search on the page (a box, or the magnifier button on a phone)."""
    return page.evaluate(SEARCH_BOXES_JS)


# ------------------------------------------------------------------------------ footer links

FOOTER_LINKS_JS = """
() => Array.from(document.querySelectorAll('footer a, .bd-footer-content a'))
  .filter(a => a.getClientRects().length > 0)
  .map(a => a.href)
"""


def missing_footer_links(page, expected: list[str]) -> list[str]:
    """The links (absolute URLs) of ``expected`` that the page's footer does not show."""
    shown = set(page.evaluate(FOOTER_LINKS_JS))
    return [url for url in expected if url not in shown]
