// The embed page's live preview: rebuilds the one-tag snippet (and the widget it shows)
// from the chosen options, exactly as a maintainer would write it.
(function () {
  "use strict";
  var form = document.getElementById("preview-options");
  var preview = document.getElementById("preview");
  var snippet = document.getElementById("snippet");
  var loader = new URL("pkg/volunteer-widget.js", location.href).href;

  // One widget at a time: a change while the loader is still arriving re-renders after it.
  var busy = false;
  var pending = false;

  function render() {
    if (busy) {
      pending = true;
      return;
    }
    busy = true;
    var data = new FormData(form);
    var attrs = {
      "data-view": data.get("view"),
      "data-lang": data.get("lang"),
      "data-theme": data.get("theme"),
      "data-accent": data.get("accent"),
      "data-target": "#preview",
    };
    preview.textContent = "";
    var tag = document.createElement("script");
    tag.async = true;
    tag.src = loader;
    var text = '<script async src="https://widget.example.org/pkg/volunteer-widget.js"';
    for (var k in attrs) {
      tag.setAttribute(k, attrs[k]);
      if (k !== "data-target") text += "\n        " + k + '="' + attrs[k] + '"';
    }
    snippet.textContent = text + "></script>";
    tag.onload = tag.onerror = function () {
      busy = false;
      if (pending) {
        pending = false;
        render();
      }
    };
    document.body.appendChild(tag);
  }
  form.addEventListener("change", render);
  render();
})();
