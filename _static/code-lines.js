/* Code that fits, printed tables that keep their columns (Jupyter Book adds every .js file in
 * _static/).
 *
 * Every line of a code block (a code cell, or code in the prose) and of a cell's printed output
 * becomes its own element, span.book-line, holding its text unchanged (newline included, so
 * copying gives back the same text), with its indentation in --book-indent. custom.css then
 * wraps every line that is wider than its box, each continuation indented past the line's own
 * indentation (like an editor's soft wrap): the end of a long line (a check's wrong= argument,
 * a printed result) is never hidden behind a scroll bar. The one exception is the rows of a
 * printed table (class book-table-row), which keep their columns and scroll sideways in the
 * output's box. A row of a table is found by its text: a line of printed output whose columns
 * are set apart by two or more spaces or by " | ", next to another such line; a check's lines
 * ("✔ ...", "✘ ...", "↳ ...") are never table rows, so they always wrap.
 * It runs as soon as the page is parsed (before any DOMContentLoaded handler), so the browser's
 * scroll to a #fragment, kept until the page has loaded, lands on the final layout.
 */
(function () {
  // a check's line and the lines below it: "✔ kind · name ...", "✘ ...", "  ↳ ✔ rules out ..."
  var CHECK_LINE = /^\s*[\u2714\u2718\u21b3]/;
  // columns set apart inside a line (not its indentation): two spaces or more, or " | "
  var COLUMNS = /\S( {2,}| \| )\S/;

  // The contents of `pre`, cut at every newline into line elements (a line ends with its "\n").
  function splitLines(pre) {
    var breaks = [];
    var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      var node = walker.currentNode;
      for (var i = node.data.indexOf("\n"); i !== -1; i = node.data.indexOf("\n", i + 1)) {
        breaks.push([node, i + 1]);
      }
    }
    var range = document.createRange();
    var lines = [];
    // From the last line to the first: cutting off the tail leaves the earlier breaks in place.
    for (var k = breaks.length; k >= 0; k--) {
      if (k > 0) {
        range.setStart(breaks[k - 1][0], breaks[k - 1][1]);
      } else {
        range.setStart(pre, 0);
      }
      range.setEnd(pre, pre.childNodes.length);
      var fragment = range.extractContents();
      if (fragment.textContent === "" && k === breaks.length) {
        continue; // nothing after the last newline
      }
      var line = document.createElement("span");
      line.className = "book-line";
      line.appendChild(fragment);
      lines.unshift(line);
    }
    lines.forEach(function (line) {
      var text = line.textContent;
      var indent = /^ */.exec(text)[0].length;
      if (indent) {
        line.style.setProperty("--book-indent", indent + "ch");
      }
      pre.appendChild(line);
    });
    return lines;
  }

  function arrange() {
    document.querySelectorAll(".bd-article pre").forEach(function (pre) {
      if (pre.dataset.bookLines) {
        return;
      }
      pre.dataset.bookLines = "1";
      var lines = splitLines(pre);
      if (!pre.closest(".cell_output")) {
        return;
      }
      var columns = lines.map(function (line) {
        var text = line.textContent;
        return !CHECK_LINE.test(text) && COLUMNS.test(text);
      });
      lines.forEach(function (line, i) {
        if (columns[i] && (columns[i - 1] || columns[i + 1])) {
          line.classList.add("book-table-row");
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", function once() {
      document.removeEventListener("readystatechange", once);
      arrange();
    });
  } else {
    arrange();
  }
})();
