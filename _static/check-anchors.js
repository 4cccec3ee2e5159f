/* Anchors for the executed checks (Jupyter Book adds every .js file in _static/).
 *
 * Every check prints a line "✔ kind · name · ..." in a cell output. This script gives each such
 * line an anchor, id "check-" + slug(name), so that the verification ledger can link every
 * check back to the place in its chapter where it runs, and scrolls to it when the page was
 * opened with that anchor. The slug is reparam.ledger.check_anchor's: lower case, every run of
 * characters other than a-z and 0-9 replaced by one "-", no "-" at the ends.
 */
(function () {
  var LINE = /^([\u2714\u2718]) (symbolic|sampling|p-value|numeric) \u00b7 (.+?) \u00b7 /;

  function slug(name) {
    return "check-" + name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function anchorChecks() {
    document.querySelectorAll("div.cell_output pre").forEach(function (pre) {
      var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      var nodes = [];
      while (walker.nextNode()) {
        nodes.push(walker.currentNode);
      }
      nodes.forEach(function (node) {
        var text = node.nodeValue;
        var offset = 0;
        text.split("\n").forEach(function (line) {
          var m = LINE.exec(line);
          if (m && !document.getElementById(slug(m[3]))) {
            var at = node.splitText(offset);
            var mark = document.createElement("span");
            mark.id = slug(m[3]);
            mark.className = "check-anchor";
            at.parentNode.insertBefore(mark, at);
            node = at;
            offset = 0;
          }
          offset += line.length + 1;
        });
      });
    });
    if (location.hash.indexOf("#check-") === 0) {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) {
        target.scrollIntoView({ block: "center" });
        target.parentElement.classList.add("check-target");
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", anchorChecks);
  } else {
    anchorChecks();
  }
})();
