// Turns wasm-bindgen's output in <dir> into the shipped widget: content-hashed file names
// (so caches never serve a stale mix and the snippet can carry SRI), the loader
// `volunteer-widget.js` (stable name) pointing at them, and the iframe page. There is one
// module per view (`volunteer_widget_<view>.js` + `_bg.wasm`); the loader and the iframe
// page pick the one of the view asked for. Every shipped script (the glue, the iframe's
// script, the loader) is minified by terser, and the names of the module's imports and of
// its glue-only exports are shortened (`shortImports`, `shortExports`); docs/PERFORMANCE.md,
// "Widget size", has what each saves.
// Usage: node scripts/package.mjs <dir> <view>...   (called by scripts/build.sh)
import { createHash } from "node:crypto";
import { existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";
import { lebBytes, uleb } from "./wasm-bytes.mjs";

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

// Whitespace, comments and local names out; exported names and property names stay.
async function small(code, module) {
  return (await minify(code, { module, compress: true, mangle: true })).code;
}

// A copy of the module with the contents of its section `id` (between `start` and `end`)
// replaced by the bytes `rewrite(start, end)` returns; every other section as it was.
function replaceSection(wasm, id, rewrite) {
  const out = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const [size, start] = uleb(wasm, at + 1);
    const end = start + size;
    if (wasm[at] === id) {
      const body = rewrite(start, end);
      out.push(Buffer.from([id, ...lebBytes(body.length), ...body]));
    } else {
      out.push(wasm.subarray(at, end));
    }
    at = end;
  }
  return Buffer.concat(out);
}

// wasm-bindgen names each import of the module after the JavaScript it calls plus a hash
// (`__wbg_appendChild_8204974b7328bf98`, module "./volunteer_widget_<view>_bg.js"), once in
// the module's import section and once as a key of the glue's import object. Both get the
// same short names instead (3.5 to 4.8 KB gzip less per view) (module "a", imports "a", "b", …,
// "Z", "aa", …). Any surprise (an import that is not a function, a name that is not exactly
// once a key in the glue) stops the build rather than ship a module that cannot link.
function shortImports(wasm, glue) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const shortName = (k) => {
    let name = "";
    for (;;) {
      name = letters[k % 52] + name;
      k = Math.floor(k / 52);
      if (k === 0) return name;
      k -= 1;
    }
  };
  const fail = (why) => {
    throw new Error(`package: cannot shorten the imports: ${why}`);
  };
  const key = (name) => new RegExp(`(?<![\\w$])${name.replace(/[$.]/g, "\\$&")}:`, "g");
  const text = (at) => {
    const [len, start] = uleb(wasm, at);
    return [wasm.subarray(start, start + len).toString("utf8"), start + len];
  };
  const out = replaceSection(wasm, 2, (start, end) => {
    let [count, p] = uleb(wasm, start);
    const section = [...lebBytes(count)];
    const modules = new Set();
    for (let i = 0; i < count; i++) {
      const [module, afterModule] = text(p);
      const [name, afterName] = text(afterModule);
      if (wasm[afterName] !== 0) fail(`${module} ${name} is not a function`);
      const [, afterType] = uleb(wasm, afterName + 1);
      const matches = glue.match(key(name));
      if (!matches || matches.length !== 1) fail(`${name} is not exactly once a key in the glue`);
      const short = shortName(i);
      glue = glue.replace(key(name), `${short}:`);
      modules.add(module);
      section.push(1, 0x61, ...lebBytes(short.length), ...Buffer.from(short));
      section.push(...wasm.subarray(afterName, afterType));
      p = afterType;
    }
    if (p !== end) fail("the import section has bytes left over");
    for (const module of modules) {
      const quoted = JSON.stringify(module) + ":";
      if (glue.split(quoted).length !== 2) fail(`${module} is not exactly once a key in the glue`);
      glue = glue.replace(quoted, "a:");
    }
    return section;
  });
  return [out, glue];
}

// The module's exports that only the glue calls (wasm-bindgen's allocator, closure shims named
// with a hash, externref table helpers, the start function) get short names too, in the export
// section and in the glue, where each is read only as a property (`wasm.__wbindgen_malloc`):
// `_0`, `_1`, … (the resident's page: 351 bytes gzip less, 189 of them in the module). `mount`,
// `memory` and anything else keep their names. A name that the glue also uses in any other way
// stops the build.
function shortExports(wasm, glue) {
  const fail = (why) => {
    throw new Error(`package: cannot shorten the exports: ${why}`);
  };
  const internal = /^(__wbindgen_|__externref_|wasm_bindgen__convert__closures_)/;
  const word = (name) => new RegExp(`(?<![\\w$])${name.replace(/[$]/g, "\\$&")}(?![\\w$])`, "g");
  const property = (name) => new RegExp(`\\.${name.replace(/[$]/g, "\\$&")}(?![\\w$])`, "g");
  let next = 0;
  const out = replaceSection(wasm, 7, (start, end) => {
    let [count, p] = uleb(wasm, start);
    const section = [...lebBytes(count)];
    const taken = new Set();
    const entries = [];
    for (let i = 0; i < count; i++) {
      const [len, nameAt] = uleb(wasm, p);
      const name = wasm.subarray(nameAt, nameAt + len).toString("utf8");
      const [, afterIndex] = uleb(wasm, nameAt + len + 1);
      entries.push([name, wasm.subarray(nameAt + len, afterIndex)]);
      taken.add(name);
      p = afterIndex;
    }
    if (p !== end) fail("the export section has bytes left over");
    for (const [name, rest] of entries) {
      let short = name;
      if (internal.test(name)) {
        const uses = (glue.match(word(name)) ?? []).length;
        const reads = (glue.match(property(name)) ?? []).length;
        if (uses === 0 || uses !== reads) fail(`${name} is not only read as a property in the glue`);
        do short = `_${(next++).toString(36)}`; while (taken.has(short));
        taken.add(short);
        glue = glue.replace(property(name), `.${short}`);
      }
      section.push(...lebBytes(Buffer.byteLength(short)), ...Buffer.from(short), ...rest);
    }
    return section;
  });
  return [out, glue];
}

const names = {};
for (const view of views) {
  const base = `volunteer_widget_${view}`;
  const key = view.toUpperCase();
  const [wasm, glue] = shortExports(
    ...shortImports(
      readFileSync(join(dir, `${base}_bg.wasm`)),
      await small(readFileSync(join(dir, `${base}.js`), "utf8"), true),
    ),
  );
  unlinkSync(join(dir, `${base}_bg.wasm`));
  unlinkSync(join(dir, `${base}.js`));
  names[`WASM_${key}`] = emit(`${base}_bg`, "wasm", wasm);
  names[`GLUE_JS_${key}`] = emit(base, "js", glue);
  // The part loaded on first use (scripts/split-module.mjs), for the views that have one.
  if (existsSync(join(dir, `${base}_part.wasm`))) {
    names[`PART_${key}`] = emit(`${base}_part`, "wasm", readFileSync(join(dir, `${base}_part.wasm`)));
    unlinkSync(join(dir, `${base}_part.wasm`));
  }
}
names.CSS = emit("volunteer-widget", "css", readFileSync(new URL("widget.css", src)));
const frame = await small(fill(readFileSync(new URL("frame.js", src), "utf8"), names), true);
names.FRAME_JS = emit("frame", "js", frame);
names.FRAME_HTML = emit("frame", "html", fill(readFileSync(new URL("frame.html", src), "utf8"), names));
const loader = await small(fill(readFileSync(new URL("loader.js", src), "utf8"), names), false);
for (const [what, text] of [["the loader", loader], ["frame.js", frame]]) {
  const left = text.match(/__[A-Z_]+__/);
  if (left) {
    console.error(`package: ${left[0]} left unfilled in ${what}`);
    process.exit(1);
  }
}
writeFileSync(join(dir, "volunteer-widget.js"), loader);
writeFileSync(join(dir, "manifest.json"), JSON.stringify(names, null, 2) + "\n");

const sri = "sha384-" + createHash("sha384").update(loader).digest("base64");
writeFileSync(join(dir, "volunteer-widget.js.sri"), sri + "\n");
console.log("snippet: <script async src=\"/pkg/volunteer-widget.js\" integrity=\"" + sri +
  "\" crossorigin=\"anonymous\" data-view=\"resident\" data-lang=\"zh-CN\"></script>");
