/* Search under file:// (Jupyter Book adds every .js file in _static/).
 *
 * Sphinx's search shows under each result a snippet of the page, which it fetches; a page opened
 * from the disk (file://) may not fetch another file, so every result logged a console error and
 * stayed a bare title anyway. Opened from the disk, the search does not try: results are the
 * pages' and sections' titles. Served over http(s), snippets are shown as usual.
 */
(function () {
  if (location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
    DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
  }
})();
