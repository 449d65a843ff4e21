#!/usr/bin/env bash
# Builds the JavaScript API's npm package: cargo (wasm-release profile) → wasm-bindgen
# --target web → wasm-opt -O3 (speed: this package is for code, not a size budget), then the
# hand-written package.json, index.d.ts and README from jsapi/package/. Output: dist/engine-js/
# (for `npm pack`), copied to www/engine-js/ (the demo page and the browser test use it).
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist/engine-js
profile=wasm-release
cargo build -q -p volunteer-engine-js --target wasm32-unknown-unknown --profile "$profile"
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
wasm-bindgen --target web --no-typescript --out-dir "$out.tmp" --out-name index \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/volunteer_engine_js.wasm"
# Rust 1.95 emits these post-MVP features; wasm-opt must be told it may keep them.
node_modules/.bin/wasm-opt -O3 --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out.tmp/index_bg.wasm" -o "$out.tmp/index_bg.wasm"
cp jsapi/package/package.json jsapi/package/index.d.ts jsapi/package/README.md "$out.tmp/"
# Replace the old build only once the new one is complete.
rm -rf "$out" && mv "$out.tmp" "$out"
rm -rf www/engine-js && cp -r "$out" www/engine-js
printf 'engine-js: %s bytes of Wasm (%s gzip)\n' \
  "$(wc -c < "$out/index_bg.wasm")" "$(gzip -9c "$out/index_bg.wasm" | wc -c)"
