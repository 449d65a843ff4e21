// Prints the built widget's transfer size (raw and gzip) and exits 1 when the gzipped
// total of .wasm + .js exceeds the budget. Usage: node scripts/size.mjs [dir] [--budget KB]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const BUDGET_KB = 300;

export function measure(dir) {
  const files = readdirSync(dir).filter((f) => /\.(wasm|js)$/.test(f)).sort();
  return files.map((f) => {
    const bytes = readFileSync(join(dir, f));
    return { file: f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? "www/pkg";
  const rows = measure(dir);
  const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KB";
  let raw = 0, gz = 0;
  for (const r of rows) {
    console.log(`size: ${r.file.padEnd(28)} raw ${kb(r.raw)}   gzip ${kb(r.gzip)}`);
    raw += r.raw; gz += r.gzip;
  }
  console.log(`size: ${"total (wasm + js)".padEnd(28)} raw ${kb(raw)}   gzip ${kb(gz)}   budget ${BUDGET_KB} KB gzip`);
}
