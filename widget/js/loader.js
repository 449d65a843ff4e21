/*
 * volunteer-widget.js: the one script a site maintainer embeds.
 *
 *   <script async src="https://example.org/pkg/volunteer-widget.js"
 *           data-view="resident" data-lang="zh-CN"></script>
 *
 * It renders the widget where the tag stands (or into data-target="#id"), loads the
 * WebAssembly module from beside itself, and hands over the tag's data-* options.
 * Every decision and every sentence is in the Wasm module; this file only loads it.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) {
    console.error("volunteer-widget: load this file with a <script src=...> tag");
    return;
  }
  var base = new URL(".", script.src);
  var options = {};
  for (var key in script.dataset) options[key] = script.dataset[key];

  var target;
  if (options.target) {
    target = document.querySelector(options.target);
    if (!target) {
      console.error("volunteer-widget: data-target " + options.target + " matches no element");
      return;
    }
  } else {
    target = document.createElement("div");
    script.parentNode.insertBefore(target, script);
  }
  target.classList.add("volunteer-widget-host");

  if (!document.querySelector("link[data-volunteer-widget-css]")) {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = new URL("volunteer-widget.css", base).href;
    css.setAttribute("data-volunteer-widget-css", "");
    document.head.appendChild(css);
  }

  import(new URL("volunteer_widget.js", base).href)
    .then(function (m) {
      return m.default({ module_or_path: new URL("volunteer_widget_bg.wasm", base) }).then(function () {
        m.mount(target, options);
      });
    })
    .catch(function (err) {
      target.setAttribute("role", "alert");
      target.textContent = "志愿服务组件加载失败 / The volunteer widget failed to load.";
      console.error("volunteer-widget:", err);
    });
})();
