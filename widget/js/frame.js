/*
 * Runs inside the widget's iframe (frame.html, served from the widget's own origin): reads the
 * options the loader put in the URL fragment, mounts the Wasm widget, and reports the content
 * height to the host page, and only to the host origin the loader named.
 */

// One module per view (scripts/build.sh); an unknown view gets the resident's module, which
// names the wrong option on screen.
const MODULES = {
  resident: ["./__GLUE_JS_RESIDENT__", "./__WASM_RESIDENT__"],
  volunteer: ["./__GLUE_JS_VOLUNTEER__", "./__WASM_VOLUNTEER__"],
  // The coordinator's module has a part loaded on first use (scripts/split-module.mjs).
  coordinator: ["./__GLUE_JS_COORDINATOR__", "./__WASM_COORDINATOR__", "./__PART_COORDINATOR__"],
  // The same views with remote mode and roster files, for pages with data-api or data-roster.
  residentnet: ["./__GLUE_JS_RESIDENTNET__", "./__WASM_RESIDENTNET__"],
  volunteernet: ["./__GLUE_JS_VOLUNTEERNET__", "./__WASM_VOLUNTEERNET__"],
  coordinatornet: ["./__GLUE_JS_COORDINATORNET__", "./__WASM_COORDINATORNET__", "./__PART_COORDINATORNET__"],
};

const params = new URLSearchParams(location.hash.slice(1));
const options = Object.fromEntries(params);
const host = options.host;
delete options.host;
const root = document.getElementById("volunteer-widget-root");

function reportHeight() {
  if (!host || window.parent === window) return;
  const height = document.documentElement.getBoundingClientRect().height;
  try {
    window.parent.postMessage({ type: "volunteer-widget:height", height }, host);
  } catch (e) {
    console.error("volunteer-widget: cannot report height to", host, e);
  }
}

// A renewed sign-in from the loader (window.VolunteerWidget.setToken), only from the host.
// Until the module is ready, a new token replaces the one the options carry.
let ready = null;
window.addEventListener("message", (event) => {
  if (event.source !== window.parent || event.origin !== host) return;
  const data = event.data;
  if (!data || data.type !== "volunteer-widget:token" || typeof data.token !== "string") return;
  if (ready) ready(data.token);
  else options.userToken = data.token;
});

const name = Object.hasOwn(MODULES, options.view) ? options.view : "resident";
const [glue, wasm, part] = MODULES[options.api || options.roster ? name.replace(/(net)?$/, "net") : name];

// The part's URL is the build's, never the host page's (widget/src/part.rs loads it).
if (part) options.part = new URL(part, import.meta.url).href;
else delete options.part;

import(glue)
  .then((m) => m.default({ module_or_path: new URL(wasm, import.meta.url) }).then(() => m))
  .then((m) => {
    m.mount(root, options);
    if (m.set_token) ready = m.set_token;
    new ResizeObserver(reportHeight).observe(document.documentElement);
    reportHeight();
  })
  .catch((err) => {
    root.setAttribute("role", "alert");
    root.textContent = "志愿服务组件加载失败 / The volunteer widget failed to load.";
    console.error("volunteer-widget:", err);
  });
