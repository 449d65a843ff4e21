// Writes `<file>.gz` beside every script, module, style sheet and page of the built widget,
// compressed by zopfli (the npm package @gfx/zopfli: zopfli in WebAssembly): gzip that any
// browser reads, about 4.5 % smaller than gzip -9. Both servers (scripts/serve.mjs and
// vserver's --www) send it with `content-encoding: gzip` to a browser that accepts gzip;
// scripts/size.mjs counts these files as the transfer. Subresource integrity is computed over
// the decoded bytes, so the snippet's `integrity` does not change.
// Usage: node scripts/precompress.mjs <dir>
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import zopfli from "@gfx/zopfli";

export const COMPRESSED = /\.(wasm|js|css|html)$/;

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/precompress.mjs <dir>");
  process.exit(2);
}
const files = readdirSync(dir).filter((f) => COMPRESSED.test(f)).sort();
await Promise.all(
  files.map(async (f) => {
    const raw = readFileSync(join(dir, f));
    const gz = Buffer.from(await zopfli.gzipAsync(raw, { numiterations: 15, blocksplittingmax: 0 }));
    // What a browser will decode must be the file itself.
    if (!gunzipSync(gz).equals(raw)) throw new Error(`precompress: ${f}.gz does not decode to ${f}`);
    writeFileSync(join(dir, f + ".gz"), gz);
  }),
);
console.log(`precompress: ${files.length} files in ${dir} (zopfli, .gz beside each)`);
