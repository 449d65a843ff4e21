#!/usr/bin/env bash
# Loopback write benchmark of vserver (docs/PERFORMANCE.md, "Server"): starts a release server
# on a fresh database in a temporary directory with rate limits off, runs vload against it,
# stops it. Usage: bash server/bench.sh [normal|full] [CONNECTIONS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
sync="${1:-normal}" conns="${2:-16}" secs="${3:-10}"
target="${CARGO_TARGET_DIR:-target}"
cargo build -q --release -p vserver
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/secret"
"$target/release/vserver" --addr 127.0.0.1:0 --db "$dir/v.db" --secret-file "$dir/secret" \
  --rate-user 0 --rate-ip 0 --sync "$sync" > "$dir/out" 2> "$dir/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
addr=$(sed -n 's#^vserver: listening on http://\([^/]*\)/.*#\1#p' "$dir/out")
[ -n "$addr" ] || { echo "bench: the server did not start" >&2; cat "$dir/err" >&2; exit 1; }
echo "bench: vserver --sync $sync on $addr; vload $conns connections for $secs s"
"$target/release/vload" --addr "$addr" --secret-file "$dir/secret" --connections "$conns" --seconds "$secs"
echo "bench: $(grep -c "slow tick" "$dir/err" || true) tick(s) over 100 ms"
