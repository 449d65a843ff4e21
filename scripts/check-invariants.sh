#!/usr/bin/env bash
# Checks ARCHITECTURE.md's invariants that a command can check. Exits 1 naming each breach.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0

# engine/ has no dependency on the browser, the web, async runtimes, SQL or a clock crate.
tree=$(cargo tree -q -p engine -e normal,build --prefix none --target all | awk '{print $1}' | sort -u)
for forbidden in wasm-bindgen web-sys js-sys yew gloo getrandom tokio axum hyper rusqlite sqlx chrono time; do
  if grep -qx "$forbidden" <<<"$tree"; then
    echo "invariant broken: engine depends on $forbidden (cargo tree -p engine)"; fail=1
  fi
done

# Only the server knows SQL and serves HTTP: the widget and the CLI depend on neither (Yew
# itself uses tokio's sync parts, so tokio is not on this list).
for pkg in widget vmatch; do
  deps=$(cargo tree -q -p "$pkg" -e normal,build --prefix none --target all | awk '{print $1}' | sort -u)
  for forbidden in rusqlite sqlx libsqlite3-sys axum; do
    if grep -qx "$forbidden" <<<"$deps"; then
      echo "invariant broken: $pkg depends on $forbidden (cargo tree -p $pkg)"; fail=1
    fi
  done
done

# engine/ reads no clock, touches no file, socket, thread or environment.
if grep -rnE 'std::(time|fs|net|thread|env|process)|SystemTime|Instant::now' engine/src; then
  echo "invariant broken: engine/src uses a clock or I/O (lines above)"; fail=1
fi

# User text reaches the page as text.
if grep -rn 'from_html_unchecked' widget/src; then
  echo "invariant broken: widget uses Html::from_html_unchecked"; fail=1
fi

# Only widget/src/i18n.rs holds user-facing sentences: no Chinese text in the code of other
# widget/src files (comments and #[cfg(test)] modules may quote it).
offenders=$(for f in widget/src/*.rs; do
  [ "$f" = widget/src/i18n.rs ] && continue
  awk -v f="$f" '/^#\[cfg\(test\)\]/ { exit } !/^[[:space:]]*\/\// { print f ":" FNR ": " $0 }' "$f"
done | LC_ALL=C.UTF-8 grep -P '[\x{4e00}-\x{9fff}]' || true)
if [ -n "$offenders" ]; then
  echo "$offenders"
  echo "invariant broken: Chinese text outside widget/src/i18n.rs (lines above)"; fail=1
fi

[ "$fail" = 0 ] && echo "invariants: ok"
exit "$fail"
