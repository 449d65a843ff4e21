#!/usr/bin/env bash
# Installs what the project needs and is missing, and only that. Idempotent; quiet when
# everything is present. `--browser` also installs Chromium and ChromeDriver (for tests).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
need_browser=0
[ "${1:-}" = "--browser" ] && need_browser=1

command -v cargo >/dev/null || { say "cargo not found: install Rust with rustup (https://rustup.rs)"; exit 1; }
command -v npm >/dev/null || { say "npm not found: install Node.js 20"; exit 1; }

# 1. The WebAssembly target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 1b. The standard library's source: scripts/build.sh compiles std with the widget.
if ! rustup component list --installed | grep -qx 'rust-src'; then
  say "adding Rust component rust-src"
  rustup component add rust-src
fi

# 2. wasm-bindgen-cli at exactly the wasm-bindgen version of Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$want" ]; then say "cannot read the wasm-bindgen version from Cargo.lock"; exit 1; fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found: ${have:-none}; takes a few minutes once)"
  # Not --locked: its own lock file pins a crate version the registry no longer has.
  cargo install -q wasm-bindgen-cli --version "$want"
fi

# 3. Node dev dependencies (binaryen's wasm-opt, Playwright's runner) exactly as locked.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing Node dev dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 4. Chromium, ChromeDriver and a Chinese font, for the browser tests.
if [ "$need_browser" = 1 ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  fc-list 2>/dev/null | grep -qi 'wenquanyi micro hei' || missing+=(fonts-wqy-microhei)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      say "missing Debian packages: ${missing[*]}"
      say "run as root, or: sudo apt-get install -y ${missing[*]}"
      exit 1
    fi
    say "installing ${missing[*]} (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
