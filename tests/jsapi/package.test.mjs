// The built package's layout: what package.json promises exists, and `npm pack` ships it.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../../dist/engine-js/", import.meta.url));
const pkg = JSON.parse(fs.readFileSync(dir + "package.json", "utf8"));

test("package.json is an ES module whose exports and types exist", () => {
  assert.equal(pkg.type, "module");
  assert.equal(pkg.types, "./index.d.ts");
  const targets = [pkg.types, pkg.exports["."].import, pkg.exports["."].types, pkg.exports["./index_bg.wasm"]];
  for (const t of targets) assert.ok(fs.existsSync(dir + t), `${t} exists`);
  // The wasm-bindgen glue imports its snippets relatively: they must be shipped too.
  const glue = fs.readFileSync(dir + "index.js", "utf8");
  for (const [, path] of glue.matchAll(/from '\.\/(snippets\/[^']+)'/g)) {
    assert.ok(fs.existsSync(dir + path), `${path} exists`);
    assert.ok(pkg.files.some((f) => path.startsWith(f)), `${path} is in "files"`);
  }
});

test("npm pack ships the module, the Wasm beside it, the types, the snippets and the README", () => {
  const [report] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: dir, encoding: "utf8" }));
  const files = report.files.map((f) => f.path).sort();
  for (const f of ["README.md", "index.d.ts", "index.js", "index_bg.wasm", "package.json"]) assert.ok(files.includes(f), f);
  assert.ok(files.some((f) => f.startsWith("snippets/")), files.join());
  assert.equal(report.name, "volunteer-engine");
});
