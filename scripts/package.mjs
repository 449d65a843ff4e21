// Turns wasm-bindgen's output in <dir> into the shipped widget: content-hashed file names
// (so caches never serve a stale mix and the snippet can carry SRI), the loader
// `volunteer-widget.js` (stable name) pointing at them, and the iframe page. There is one
// module per view (`volunteer_widget_<view>.js` + `_bg.wasm`); the loader and the iframe
// page pick the one of the view asked for. Every shipped script (the glue, the iframe's
// script, the loader) is minified by terser: about 3.4 KB gzip less per page
// (docs/PERFORMANCE.md, "Widget size").
// Usage: node scripts/package.mjs <dir> <view>...   (called by scripts/build.sh)
import { createHash } from "node:crypto";
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

const [dir, ...views] = process.argv.slice(2);
if (!dir || views.length === 0) {
  console.error("usage: node scripts/package.mjs <dir> <view>...");
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

function rename(from, to, ext) {
  const file = `${to}-${hash(readFileSync(join(dir, from)))}.${ext}`;
  renameSync(join(dir, from), join(dir, file));
  return file;
}

// Whitespace, comments and local names out; exported names and property names stay.
async function small(code, module) {
  return (await minify(code, { module, compress: true, mangle: true })).code;
}

const names = {};
for (const view of views) {
  const base = `volunteer_widget_${view}`;
  const key = view.toUpperCase();
  names[`WASM_${key}`] = rename(`${base}_bg.wasm`, `${base}_bg`, "wasm");
  const glue = readFileSync(join(dir, `${base}.js`), "utf8");
  unlinkSync(join(dir, `${base}.js`));
  names[`GLUE_JS_${key}`] = emit(base, "js", await small(glue, true));
}
names.CSS = emit("volunteer-widget", "css", readFileSync(new URL("widget.css", src)));
names.FRAME_JS = emit("frame", "js", await small(fill(readFileSync(new URL("frame.js", src), "utf8"), names), true));
names.FRAME_HTML = emit("frame", "html", fill(readFileSync(new URL("frame.html", src), "utf8"), names));
const loader = await small(fill(readFileSync(new URL("loader.js", src), "utf8"), names), false);
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
