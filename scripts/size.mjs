// Prints the built widget's transfer size (raw and gzip) per view — what a page with that
// `data-view` downloads: the loader, the iframe's script, and that view's wasm-bindgen glue
// and WebAssembly module — and says which view exceeds the budget (the size test in
// tests/e2e/foundation.spec.mjs fails then; the build itself still completes). A file's gzip
// size is that of its precompressed `.gz` (zopfli, scripts/precompress.mjs), the bytes both
// servers send; gzip -9 (Node's zlib) where there is none, and printed beside it for
// reference.
// Usage: node scripts/size.mjs [dir]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

// The Widget issue asks for 150 KB gzip per page; every view is within it. The coordinator's
// page reached it by loading the form for phoned-in requests and the batch assignment on first
// use (widget/src/part.rs); WITH_PART_BUDGET_KB bounds any page with its part, so that moving
// code out of a page cannot hide its growth. The steps that took the largest page from 298 KB
// gzip -9 to this, what was tried and what is left: docs/PERFORMANCE.md, "Widget size".
export const ISSUE_BUDGET_KB = 150;
export const BUDGET_KB = { resident: ISSUE_BUDGET_KB, volunteer: ISSUE_BUDGET_KB, coordinator: ISSUE_BUDGET_KB };
export const WITH_PART_BUDGET_KB = 180;
export const VIEWS = ["resident", "volunteer", "coordinator"];
// The same views with remote mode (data-api) and roster files (data-roster), fetched only by
// pages that use them: remote mode adds about 32 KB gzip and the roster importers (serde_json,
// csv) about 65 KB. Their limit: largest 274.6 KB served, 290.1 gzip -9 (coordinatornet,
// `bash scripts/build.sh`, 2026-11-26; 348.3 KB before branch `size`'s steps); see
// docs/PERFORMANCE.md.
export const NET_BUDGET_KB = 350;
export const NET_VIEWS = VIEWS.map((v) => v + "net");

export function measure(dir) {
  const all = new Set(readdirSync(dir));
  const files = [...all].filter((f) => /\.(wasm|js)$/.test(f)).sort();
  return files.map((f) => {
    const bytes = readFileSync(join(dir, f));
    const gzip9 = gzipSync(bytes, { level: 9 }).length;
    const served = all.has(f + ".gz") ? readFileSync(join(dir, f + ".gz")).length : gzip9;
    return { file: f, raw: bytes.length, gzip: served, gzip9 };
  });
}

// Which view's module a file belongs to and whether it is the part loaded on first use
// (`_part`, scripts/split-module.mjs), or null for the files every view loads.
function ownerOf(file) {
  const m = file.match(/^volunteer_widget_([a-z]+)(_bg|_part)?-/);
  return m ? { view: m[1], part: m[2] === "_part" } : null;
}

const total = (files) => ({
  files,
  raw: files.reduce((s, r) => s + r.raw, 0),
  gzip: files.reduce((s, r) => s + r.gzip, 0),
  gzip9: files.reduce((s, r) => s + r.gzip9, 0),
});

// Per view: the files its page downloads to start and their raw and gzip totals, and as
// `part` the same for what it loads on first use (empty for views without a part).
export function measureViews(dir, views = VIEWS) {
  const rows = measure(dir);
  return views.map((view) => {
    const load = rows.filter((r) => {
      const o = ownerOf(r.file);
      return o === null || (o.view === view && !o.part);
    });
    const part = rows.filter((r) => {
      const o = ownerOf(r.file);
      return o !== null && o.view === view && o.part;
    });
    return { view, ...total(load), part: total(part) };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? "www/pkg";
  const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KB";
  for (const r of measure(dir)) {
    console.log(`size: ${r.file.padEnd(44)} raw ${kb(r.raw)}   gzip ${kb(r.gzip)}   (gzip -9 ${kb(r.gzip9)})`);
  }
  for (const [views, budgetOf] of [[VIEWS, (v) => BUDGET_KB[v]], [NET_VIEWS, () => NET_BUDGET_KB]]) {
    for (const v of measureViews(dir, views)) {
      const budget = budgetOf(v.view);
      const label = `view ${v.view} (wasm + js)`;
      console.log(`size: ${label.padEnd(44)} raw ${kb(v.raw)}   gzip ${kb(v.gzip)}   budget ${budget} KB gzip   (gzip -9 ${kb(v.gzip9)})`);
      if (v.part.files.length) {
        const p = v.part;
        console.log(`size: ${("  + on first use").padEnd(44)} raw ${kb(p.raw)}   gzip ${kb(p.gzip)}   all ${kb(v.gzip + p.gzip)} gzip   (gzip -9 ${kb(p.gzip9)})`);
      }
      if (v.gzip / 1024 > budget) console.error(`size: view ${v.view} is over the budget`);
      if (views === VIEWS && (v.gzip + v.part.gzip) / 1024 > WITH_PART_BUDGET_KB) {
        console.error(`size: view ${v.view} with its part is over ${WITH_PART_BUDGET_KB} KB`);
      }
    }
  }
}
