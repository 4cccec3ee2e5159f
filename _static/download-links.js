/* The download links (footer, intro) point at files in the English book's root (Jupyter Book
 * adds every .js file in _static/). They are written as bare file names and prefixed here with
 * the page's path to its edition's root (data-content_root, "../" in chapters/) and, in the
 * Chinese edition, with the path from there to the English root (the meta tag
 * book-downloads-root written by _ext/edition_links.py, "../" under zh/). A link to the book's
 * PDF, written with the English PDF's name, is pointed to the edition's own PDF (the meta tag
 * book-pdf: the Chinese edition's PDF, beside the English one in the English root).
 */
(function () {
  function fix() {
    var root = document.documentElement.dataset.content_root || "";
    var meta = document.querySelector('meta[name="book-downloads-root"]');
    var edition = meta ? meta.getAttribute("content") : "";
    var pdfMeta = document.querySelector('meta[name="book-pdf"]');
    var pdf = pdfMeta ? pdfMeta.getAttribute("content") : "";
    document.querySelectorAll("a.book-root-link").forEach(function (a) {
      var href = a.getAttribute("href");
      if (href.indexOf("/") === -1) {
        if (pdf && /\.pdf$/.test(href)) {
          href = pdf;
        }
        a.setAttribute("href", root + edition + href);
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();
