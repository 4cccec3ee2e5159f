/* The link to the same page in the other edition (_templates/language-switch.html) keeps the reader's
 * place: the fragment of the address (#thm-gm-gumbel-max, #equation-..., #check-..., a section) is
 * added to it when it names a target in the page's text. Both editions are built from the same
 * sources and keep the same ids (tests/book/test_zh_edition.py compares them page by page), so
 * such a target exists in the twin too; any other fragment is dropped. Jupyter Book adds every
 * .js file in _static/ to each page. */
(function () {
  function update() {
    var link = document.querySelector("a.book-other-edition");
    var article = document.querySelector("article.bd-article");
    if (!link || !article) {
      return;
    }
    var page = link.getAttribute("href").split("#")[0];
    var id = "";
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (e) {
      id = "";
    }
    var target = id ? document.getElementById(id) : null;
    link.setAttribute("href", target && article.contains(target) ? page + window.location.hash : page);
  }
  window.addEventListener("hashchange", update);
  // ids set by other scripts (the check lines' anchors) exist by the time the reader clicks
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a.book-other-edition")) {
      update();
    }
  }, true);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
