"""How the book launches Chromium: Debian's /usr/bin/chromium, headless and fully offline.

Playwright drives it for the PDF (scripts/build_pdf.py) and for the browser tests
(tests/book/test_browser.py); both take the path and flags from here. The background-networking
flags matter on a machine with no internet: without them Chromium keeps trying to reach Google's
services, and every such attempt is refused.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
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
