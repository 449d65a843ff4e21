#!/usr/bin/env bash
# npm start: set up what is missing, build the widget, then run the server (server/, binary
# vserver) in demo mode on 127.0.0.1:$PORT (default 8080): the demo site, the widget's files
# and the API, over ./data/volunteers.db (created with the generated district on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
port="${PORT:-8080}"
if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -gt 65535 ]; then
  echo "start: PORT must be a port number, got $port" >&2
  exit 2
fi
cargo build -q --release -p vserver
exec "${CARGO_TARGET_DIR:-target}/release/vserver" --demo --addr "127.0.0.1:$port" \
  --db ./data/volunteers.db --secret-file ./data/site-secret --www www
