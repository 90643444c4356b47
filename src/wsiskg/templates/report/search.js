// Search of the report: filters the static index (search-index.js) in the page.
// No request leaves the page. A query in the address (?q=words or #q=words)
// fills the box, as typing does.
(function () {
  "use strict";
  var index = window.WSISKG_INDEX || [];
  var box = document.getElementById("q");
  var count = document.getElementById("count");
  var list = document.getElementById("results");
  var LIMIT = 200;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var folded = index.map(function (doc) {
    return {o: fold(doc.o), r: doc.r.map(fold), a: doc.a.map(fold)};
  });

  function snippet(text, word) {
    var at = fold(text).indexOf(word);
    var start = Math.max(0, at - 60);
    var piece = (start > 0 ? "…" : "") + text.slice(start, at + word.length + 90);
    return piece + (at + word.length + 90 < text.length ? "…" : "");
  }

  function element(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function run() {
    var words = fold(box.value).split(/\s+/).filter(function (w) { return w.length > 0; });
    list.textContent = "";
    if (words.length === 0) { count.textContent = index.length + " entries indexed."; return; }
    var found = 0;
    index.forEach(function (doc, i) {
      var f = folded[i];
      var all = [f.o].concat(f.r, f.a).join("\n");
      if (!words.every(function (w) { return all.indexOf(w) >= 0; })) { return; }
      found += 1;
      if (found > LIMIT) { return; }
      var item = element("li");
      var link = element("a", doc.t);
      link.href = doc.u;
      item.appendChild(link);
      var where = [];
      var w = words[0];
      if (f.o.indexOf(w) >= 0) { where.push(["outcome", doc.o]); }
      f.r.forEach(function (t, k) { if (t.indexOf(w) >= 0) { where.push(["result", doc.r[k]]); } });
      f.a.forEach(function (t, k) { if (t.indexOf(w) >= 0) { where.push(["activity", doc.a[k]]); } });
      where.slice(0, 3).forEach(function (pair) {
        item.appendChild(element("div", pair[0] + ": " + snippet(pair[1], w), "snippet"));
      });
      list.appendChild(item);
    });
    count.textContent = found + " matching " + (found === 1 ? "entry" : "entries") +
      (found > LIMIT ? " (first " + LIMIT + " shown)" : "") + ".";
  }

  box.addEventListener("input", run);
  var given = new URLSearchParams(location.search).get("q") ||
    new URLSearchParams(location.hash.replace(/^#/, "")).get("q");
  if (given) {
    box.value = given;
    box.dispatchEvent(new Event("input"));
  } else {
    run();
  }
}());
