/* The footer's download links point at files in the book's root (Jupyter Book adds every .js
 * file in _static/). The footer is the same on every page, so its links are written relative
 * to the root and prefixed here with the page's path to the root (data-content_root, "../" in
 * chapters/). */
(function () {
  function fix() {
    var root = document.documentElement.dataset.content_root || "";
    document.querySelectorAll("a.book-root-link").forEach(function (a) {
      var href = a.getAttribute("href");
      if (href.indexOf("/") === -1) {
        a.setAttribute("href", root + href);
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();
