/*
 * Runs inside the widget's iframe (frame.html, served from the widget's own origin): reads the
 * options the loader put in the URL fragment, mounts the Wasm widget, and reports the content
 * height to the host page, and only to the host origin the loader named.
 */
import init, { mount, set_token } from "./__GLUE_JS__";

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
let ready = false;
window.addEventListener("message", (event) => {
  if (event.source !== window.parent || event.origin !== host) return;
  const data = event.data;
  if (!data || data.type !== "volunteer-widget:token" || typeof data.token !== "string") return;
  if (ready) set_token(data.token);
  else options.userToken = data.token;
});

init({ module_or_path: new URL("./__WASM__", import.meta.url) })
  .then(() => {
    mount(root, options);
    ready = true;
    new ResizeObserver(reportHeight).observe(document.documentElement);
    reportHeight();
  })
  .catch((err) => {
    root.setAttribute("role", "alert");
    root.textContent = "志愿服务组件加载失败 / The volunteer widget failed to load.";
    console.error("volunteer-widget:", err);
  });
