#!/usr/bin/env bash
# npm test: set up (with Chromium), then every check, stopping at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }
# One clean build per run: incremental caches only cost disk here.
export CARGO_INCREMENTAL=0

step "set-up"
bash scripts/setup.sh --browser

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy -q --workspace --all-targets -- -D warnings

step "cargo test (native)"
cargo test -q --workspace

step "invariants"
bash scripts/check-invariants.sh

step "wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p widget --target wasm32-unknown-unknown --test web --test viz

step "release build of the widget"
bash scripts/build.sh

step "build tools: Node tests (node --test tests/tools/)"
node --test tests/tools/

step "JavaScript API: build the npm package (dist/engine-js, www/engine-js)"
bash scripts/build-jsapi.sh

step "JavaScript API: Node tests (node --test)"
node --test tests/jsapi/

step "JavaScript API: TypeScript declarations (tsc --noEmit)"
npx tsc --noEmit -p tests/jsapi/tsconfig.json

step "end-to-end tests (Playwright on /usr/bin/chromium)"
npx playwright test
