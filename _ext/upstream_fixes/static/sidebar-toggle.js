/* Make the visible sidebar buttons work (added to every page by _ext/upstream_fixes/sidebar_toggle.py).
 *
 * sphinx-book-theme 1.3 puts its own "menu" and "contents" buttons in the article header, with
 * the classes .primary-toggle and .secondary-toggle, beside pydata-sphinx-theme's header
 * buttons of the same classes (hidden in this layout). Both themes bind their handlers with
 * document.querySelector, that is to the FIRST button of each class only, so the visible
 * buttons do nothing but show a tooltip: on a phone the navigation never opens, on a desktop
 * the sidebar does not collapse (pydata-sphinx-theme issue 2451, sphinx-book-theme issue 988).
 *
 * Fix: a click on any other button of the class is forwarded to the first one, whose handlers
 * do the right thing (open the sidebar as a dialog below 992 px, collapse it on wider screens).
 */
(function () {
  function forward(selector) {
    var buttons = document.querySelectorAll(selector);
    if (buttons.length < 2) {
      return;
    }
    var bound = buttons[0];
    Array.prototype.slice.call(buttons, 1).forEach(function (button) {
      button.addEventListener(
        "click",
        function (event) {
          event.preventDefault();
          event.stopImmediatePropagation();
          button.blur();
          bound.click();
        },
        true,
      );
    });
  }
  function setup() {
    forward(".primary-toggle");
    forward(".secondary-toggle");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
