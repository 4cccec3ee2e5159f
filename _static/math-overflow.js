/* Scroll boxes and their cues only where a formula is too wide (Jupyter Book adds every .js file
 * in _static/).
 *
 * A formula wider than the room it has scrolls sideways in its own box, with shadows at the box's
 * edges to say so (custom.css, class book-overflows, set here). The room is the text column for a
 * formula in running text, and its own box for a display. Every other formula is drawn whole,
 * not clipped: accents and italic letters reach a pixel or three past MathJax's box (the tilde
 * of f), and two thirds of the book's inline formulas "overflow" by such a sub-pixel; a scroll
 * box there cuts the accent off and its shadow is a smudge, in light and dark mode and in print.
 * So a formula counts as too wide only when its content passes the room by more than SLACK px.
 * This is measured once MathJax has typeset the page, and again whenever the article changes
 * width (a phone turned, the sidebar hidden, a solution opened) and when the fonts have loaded.
 */
(function () {
  var SLACK = 2; // px
  var BLOCKS = /^(block|flow-root|list-item|table-cell|table-caption|flex|grid)$/;

  // The width of the text column a formula in running text sits in: its nearest block's content.
  function room(math) {
    if (math.getAttribute("display") === "true") {
      return math.clientWidth;
    }
    for (var el = math.parentElement; el; el = el.parentElement) {
      var style = getComputedStyle(el);
      if (BLOCKS.test(style.display)) {
        return el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      }
    }
    return math.clientWidth;
  }

  function mark() {
    document.querySelectorAll('.bd-content mjx-container[jax="CHTML"]').forEach(function (math) {
      if (math.offsetParent === null) {
        return; // not shown (a closed solution): measured when it opens
      }
      math.classList.toggle("book-overflows", math.scrollWidth - room(math) > SLACK);
    });
  }

  function start() {
    if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
      return; // no math on this page
    }
    MathJax.startup.promise.then(function () {
      mark();
      var article = document.querySelector(".bd-article");
      if (window.ResizeObserver && article) {
        var pending = false;
        new ResizeObserver(function () {
          if (!pending) {
            pending = true;
            requestAnimationFrame(function () {
              pending = false;
              mark();
            });
          }
        }).observe(article);
      }
      if (document.fonts) {
        document.fonts.ready.then(mark);
      }
    });
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
