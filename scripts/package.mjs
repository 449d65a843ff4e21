// Turns wasm-bindgen's output in <dir> into the shipped widget: content-hashed file names
// (so caches never serve a stale mix and the snippet can carry SRI), the loader
// `volunteer-widget.js` (stable name) pointing at them, and the iframe page.
// Usage: node scripts/package.mjs <dir>   (called by scripts/build.sh)
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/package.mjs <dir>");
  process.exit(2);
}
const src = new URL("../widget/js/", import.meta.url);
const hash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 10);
const fill = (text, names) => text.replace(/__([A-Z_]+)__/g, (m, k) => names[k] ?? m);

function emit(name, ext, bytes) {
  const file = `${name}-${hash(bytes)}.${ext}`;
  writeFileSync(join(dir, file), bytes);
  return file;
}

const names = {};
const wasm = readFileSync(join(dir, "volunteer_widget_bg.wasm"));
names.WASM = `volunteer_widget_bg-${hash(wasm)}.wasm`;
renameSync(join(dir, "volunteer_widget_bg.wasm"), join(dir, names.WASM));
const glue = readFileSync(join(dir, "volunteer_widget.js"));
names.GLUE_JS = `volunteer_widget-${hash(glue)}.js`;
renameSync(join(dir, "volunteer_widget.js"), join(dir, names.GLUE_JS));
names.CSS = emit("volunteer-widget", "css", readFileSync(new URL("widget.css", src)));
names.FRAME_JS = emit("frame", "js", fill(readFileSync(new URL("frame.js", src), "utf8"), names));
names.FRAME_HTML = emit("frame", "html", fill(readFileSync(new URL("frame.html", src), "utf8"), names));
const loader = fill(readFileSync(new URL("loader.js", src), "utf8"), names);
const left = loader.match(/__[A-Z_]+__/);
if (left) {
  console.error(`package: ${left[0]} left unfilled in the loader`);
  process.exit(1);
}
writeFileSync(join(dir, "volunteer-widget.js"), loader);
writeFileSync(join(dir, "manifest.json"), JSON.stringify(names, null, 2) + "\n");

const sri = "sha384-" + createHash("sha384").update(loader).digest("base64");
writeFileSync(join(dir, "volunteer-widget.js.sri"), sri + "\n");
console.log("snippet: <script async src=\"/pkg/volunteer-widget.js\" integrity=\"" + sri +
  "\" crossorigin=\"anonymous\" data-view=\"resident\" data-lang=\"zh-CN\"></script>");
