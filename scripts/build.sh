#!/usr/bin/env bash
# Builds the widget for the browser, one WebAssembly module per view (cargo feature of the
# same name): cargo (wasm-release profile) → wasm-bindgen --target web → wasm-opt -Oz →
# order-functions.mjs → wasm-opt (reorders, strips), into www/pkg/ with a zopfli-compressed `.gz` beside each file, then prints the sizes per view.
# The loader fetches only the module of the view a page asks for (data-view).
set -euo pipefail
cd "$(dirname "$0")/.."

out=www/pkg
profile=wasm-release
# Each view also as "<view>net", with remote mode (data-api) and roster files (data-roster):
# the loader fetches that one only for pages that use them.
views="resident volunteer coordinator residentnet volunteernet coordinatornet"
# The standard library is compiled with the widget (rust-src, from setup.sh) so that a panic
# is a bare trap: no panic messages, no file names and lines, no formatting code only panics
# reach (about 11-12 KB gzip per page, docs/PERFORMANCE.md). These are unstable flags of the
# machine's stable toolchain, unlocked by RUSTC_BOOTSTRAP for this build only; a toolchain
# that drops them fails here loudly, and the size test catches one that changes their effect.
# A panic in the widget traps either way: wasm32-unknown-unknown has nowhere to print it.
std_flags=(-Z build-std=std,panic_abort -Z build-std-features=optimize_for_size)
export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
# Rust 1.95 emits these post-MVP features; wasm-opt must be told it may keep them.
# --low-memory-unused lets wasm-opt fold `p + C` (C < 1024) into the load's or store's
# offset: the two differ only when the add wraps around 2^32 into the module's first KB,
# which no Rust pointer does (the stack starts at 1 MB and grows down, the data follow it;
# an address is never a wrapped negative number).
opt_flags=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue --low-memory-unused)
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
for view in $views; do
  features="${view%net}"
  if [ "$features" != "$view" ]; then features="$features,remote,roster-file"; fi
  cargo build -q -p widget --target wasm32-unknown-unknown --profile "$profile" \
    --no-default-features --features "$features" "${std_flags[@]}"
  wasm-bindgen --target web --no-typescript --out-dir "$out.tmp" --out-name "volunteer_widget_$view" \
    "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/widget.wasm"
  wasm="$out.tmp/volunteer_widget_${view}_bg.wasm"
  modules=("$wasm")
  # The coordinator's filing form and batch assignment go into a part that the page loads on
  # first use (widget/src/part.rs; split-module.mjs says how much it moved). The callers are
  # the places that load it first, or that run only once a form or a proposal is on screen.
  if [ "$features" != "${features#coordinator}" ]; then
    part="$out.tmp/volunteer_widget_${view}_part.wasm"
    node scripts/split-module.mjs "$wasm" "$part" \
      --entry '^widget::part::(propose|filing_form|proposal_view|post|send)$' \
      --entry '^<widget::request_form::RequestForm as yew::functional::FunctionProvider>::run::inner$' \
      --caller '^<widget::coordinator::CoordinatorView as yew::functional::FunctionProvider>::run::inner$' \
      --caller '^widget::coordinator::batch_panel::\{closure#0\}::\{closure#0\}$' \
      --caller '^<yew::functional::FunctionComponent<widget::request_form::RequestForm>>::render$' \
      --caller '^widget::app::apply$'
    modules+=("$part")
  fi
  for m in "${modules[@]}"; do
    node_modules/.bin/wasm-opt "${opt_flags[@]}" -Oz --converge "$m" -o "$m"
    # Functions laid out so that gzip finds each one's likes in its window (order-functions.mjs
    # names them by rank; wasm-opt sorts them by name). The target-features custom section
    # (148 bytes) only tells tools which features the module uses; browsers ignore it.
    node scripts/order-functions.mjs "$m"
    node_modules/.bin/wasm-opt "${opt_flags[@]}" --reorder-functions-by-name \
      --strip-debug --strip-producers --strip-target-features "$m" -o "$m"
  done
done
node scripts/package.mjs "$out.tmp" $views
# Precompressed copies (.gz, by zopfli) that the servers send to browsers accepting gzip.
node scripts/precompress.mjs "$out.tmp"
# Replace the old build only once the new one is complete.
rm -rf "$out" && mv "$out.tmp" "$out"
node scripts/size.mjs "$out"
