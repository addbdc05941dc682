#!/usr/bin/env bash
# Starts a Rollproof server for the demo: creates the store if it does not exist, then runs `rollproof serve` in the
# foreground (Ctrl-C stops it). It prints "listening on http://HOST:PORT" once it serves; request logs go to stderr.
# Usage: scripts/serve.sh [--store DIR] [--listen HOST:PORT] [more rollproof serve options, e.g. --tls-cert F --tls-key K]
#   defaults: --store .demo/server-store, --listen 127.0.0.1:8080
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
store="$root/.demo/server-store"
listen="127.0.0.1:8080"
extra=()
while (($#)); do
  case "$1" in
    --store) store="$2"; shift 2 ;;
    --listen) listen="$2"; shift 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done
if [[ ! -d "$store" ]]; then
  mkdir -p "$(dirname "$store")"
  "$root/rollproof" init "$store" >&2
fi
exec "$root/rollproof" serve --store "$store" --listen "$listen" "${extra[@]}"
