#!/usr/bin/env bash
# npm start: set up what is missing, build the widget, serve the demo site.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node scripts/serve.mjs
