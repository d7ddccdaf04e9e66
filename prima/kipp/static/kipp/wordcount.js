/*
 * Live word counter for proposal answers (kipp.md §7.3). Same rule as
 * prima/kipp/domain/wordcount.py, which stays the authority: strip markup (block tags
 * separate words, inline tags do not), split on whitespace, and count a token only if
 * it holds a letter or a digit. So "KTP-el", "1.250" and "jam," count once; "—" and "%"
 * do not count.
 *
 * Markup: <textarea data-max-words="300" id="X"> and a counter element with id "X_counter"
 * carrying data-text-ok and data-text-over templates ({n}, {max}, {excess}).
 */
(function () {
  "use strict";

  var INLINE = new Set([
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong",
    "sub", "sup", "time", "u", "var"
  ]);
  var NOT_TEXT = new Set(["script", "style", "template"]);
  var WORD = /[\p{L}\p{N}]/u;

  function stripMarkup(text) {
    if (text.indexOf("<") === -1 && text.indexOf("&") === -1) {
      return text;
    }
    // DOMParser builds an inert document: nothing in it runs or loads.
    var body = new DOMParser().parseFromString(text, "text/html").body;
    var parts = [];
    (function walk(node) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === Node.TEXT_NODE) {
          parts.push(child.data);
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          var tag = child.tagName.toLowerCase();
          if (NOT_TEXT.has(tag)) {
            return;
          }
          var block = !INLINE.has(tag);
          if (block) { parts.push(" "); }
          walk(child);
          if (block) { parts.push(" "); }
        }
      });
    })(body);
    return parts.join("");
  }

  function countWords(text) {
    if (!text) {
      return 0;
    }
    return stripMarkup(text).split(/\s+/u).filter(function (token) {
      return token !== "" && WORD.test(token);
    }).length;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function attach(area) {
    var counter = document.getElementById(area.id + "_counter");
    var max = parseInt(area.getAttribute("data-max-words"), 10);
    if (!counter || !max) {
      return;
    }
    function update() {
      var n = countWords(area.value);
      var over = n > max;
      var template = counter.getAttribute(over ? "data-text-over" : "data-text-ok") || "{n} / {max}";
      counter.textContent = fill(template, { n: n, max: max, excess: n - max });
      counter.classList.toggle("text-danger", over);
      counter.classList.toggle("fw-bold", over);
      area.classList.toggle("border-danger", over);
    }
    area.addEventListener("input", update);
    update();
  }

  function init() {
    document.querySelectorAll("textarea[data-max-words]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  window.primaCountWords = countWords;
})();
