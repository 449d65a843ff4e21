/*
 * volunteer-widget.js: the one script a site maintainer embeds.
 *
 *   <script async src="https://widget.example.org/pkg/volunteer-widget.js"
 *           data-view="resident" data-lang="zh-CN"></script>
 *
 * It renders the widget where the tag stands (or into data-target="#id") and hands over the
 * tag's data-* options. By default the widget lives in an iframe served from the widget's own
 * origin: host styles cannot reach it, the host page needs no 'wasm-unsafe-eval', and no
 * personal data enters the host's DOM. The iframe reports its height by postMessage; both
 * sides check the other's origin. data-mode="inline" renders into the open shadow root of a
 * <volunteer-widget> element instead. With data-api the widget works through the server;
 * window.VolunteerWidget.setToken(token) hands it a renewed sign-in.
 *
 * Every decision and every sentence lives in the Wasm module; this file only loads it.
 * The build replaces the __...__ names below with the content-hashed file names.
 */
(function () {
  "use strict";
  var FRAME = "__FRAME_HTML__";
  // One module per view: a page downloads only the one of its data-view (an unknown view
  // gets the resident's module, which names the wrong option on screen).
  var MODULES = {
    resident: ["__GLUE_JS_RESIDENT__", "__WASM_RESIDENT__"],
    volunteer: ["__GLUE_JS_VOLUNTEER__", "__WASM_VOLUNTEER__"],
    // The coordinator's module has a part loaded on first use (scripts/split-module.mjs).
    coordinator: ["__GLUE_JS_COORDINATOR__", "__WASM_COORDINATOR__", "__PART_COORDINATOR__"],
    // The same views with remote mode and roster files, for pages with data-api or data-roster.
    residentnet: ["__GLUE_JS_RESIDENTNET__", "__WASM_RESIDENTNET__"],
    volunteernet: ["__GLUE_JS_VOLUNTEERNET__", "__WASM_VOLUNTEERNET__"],
    coordinatornet: ["__GLUE_JS_COORDINATORNET__", "__WASM_COORDINATORNET__", "__PART_COORDINATORNET__"],
  };
  var CSS = "__CSS__";

  var script = document.currentScript;
  if (!script || !script.src) {
    console.error("volunteer-widget: load this file with a <script src=...> tag");
    return;
  }
  var base = new URL(".", script.src);
  var options = {};
  for (var key in script.dataset) options[key] = script.dataset[key];

  // data-api and data-roster may be relative to the host page; the widget gets them absolute.
  ["api", "roster"].forEach(function (k) {
    if (options[k]) try { options[k] = new URL(options[k], location.href).href; } catch (e) { /* the widget names it */ }
  });
  // Sites that renew their sign-in call window.VolunteerWidget.setToken(token): it reaches
  // every widget this page's loaders mounted.
  var hub = window.VolunteerWidget;
  if (!hub) {
    var sinks = [];
    hub = window.VolunteerWidget = {
      setToken: function (token) { for (var i = 0; i < sinks.length; i++) sinks[i](String(token)); },
      sinks: sinks,
    };
  }

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

  if (options.mode === "inline") {
    mountInline(target);
  } else {
    mountFrame(target);
  }

  function mountFrame(into) {
    var params = new URLSearchParams();
    for (var k in options) if (k !== "target" && k !== "mode") params.set(k, options[k]);
    params.set("host", location.origin);
    var frame = document.createElement("iframe");
    frame.src = new URL(FRAME, base).href + "#" + params.toString();
    frame.title = options.lang === "en" ? "Community volunteer service" : "社区志愿服务";
    frame.setAttribute("data-volunteer-widget", "");
    frame.setAttribute("loading", "eager");
    frame.setAttribute("allow", "geolocation"); // the resident's "use my location" button
    frame.style.cssText = "display:block;width:100%;min-width:0;border:0;height:160px;overflow:hidden;background:transparent";
    into.appendChild(frame);
    var widgetOrigin = base.origin;
    hub.sinks.push(function (token) {
      if (frame.contentWindow) frame.contentWindow.postMessage({ type: "volunteer-widget:token", token: token }, widgetOrigin);
    });
    window.addEventListener("message", function (event) {
      // Only our frame, from the widget's origin, may resize it.
      if (event.origin !== widgetOrigin || event.source !== frame.contentWindow) return;
      var data = event.data;
      if (data && data.type === "volunteer-widget:height" && typeof data.height === "number" && isFinite(data.height)) {
        frame.style.height = Math.max(80, Math.min(20000, Math.ceil(data.height))) + "px";
      }
    });
  }

  function mountInline(into) {
    if (!customElements.get("volunteer-widget")) {
      customElements.define("volunteer-widget", class extends HTMLElement {});
    }
    var el = document.createElement("volunteer-widget");
    into.appendChild(el);
    var root = el.attachShadow({ mode: "open" });
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = new URL(CSS, base).href;
    root.appendChild(css);
    var mountPoint = document.createElement("div");
    root.appendChild(mountPoint);
    var name = MODULES.hasOwnProperty(options.view) ? options.view : "resident";
    var module = MODULES[options.api || options.roster ? name.replace(/(net)?$/, "net") : name];
    import(new URL(module[0], base).href)
      .then(function (m) {
        return m.default({ module_or_path: new URL(module[1], base) }).then(function () {
          // The part's URL is the build's, never the page's (widget/src/part.rs loads it).
          if (module[2]) options.part = new URL(module[2], base).href;
          else delete options.part;
          m.mount(mountPoint, options);
          if (m.set_token) hub.sinks.push(m.set_token);
        });
      })
      .catch(function (err) {
        mountPoint.setAttribute("role", "alert");
        mountPoint.textContent = "志愿服务组件加载失败 / The volunteer widget failed to load.";
        console.error("volunteer-widget:", err);
      });
  }
})();
