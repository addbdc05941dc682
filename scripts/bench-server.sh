#!/usr/bin/env bash
# The server's load figures (docs/benchmarks.md): tile reads with the C# load generator (bench/Rollproof.LoadGen) and
# with wrk, and submissions of pre-signed ~1 KiB DSSE envelopes, each with CLIENTS concurrent clients for SECONDS.
# Figures only: nothing is asserted. Installs wrk from Debian if missing.
# Usage: scripts/bench-server.sh [tiles] [raw] [submit]   (default: tiles raw submit)
#   tiles:  `rollproof serve` on a store of ENTRIES entries; GET /checkpoint, /tile/..., /tile/entries/...
#   raw:    the bench-only host (LoadGen host): parse + verify + append with its signed entry timestamp through the
#           server's LogService, and where the time goes per stage
#   submit: a real `rollproof serve` with a token file, and POST /api/rollproof/v1/entries: a key ("bench") in the
#           store's trust that may sign releases and deployments, one release it published, its token, and SIGNED
#           deployment statements of ~1 KiB of that release, all signed before the clock starts (or ENVELOPES, a folder of signed envelope files, with the token in TOKEN_FILE)
# Environment: CLIENTS (64), SECONDS_EACH (10), ENTRIES in the tiles store (300: a full tile and a partial one),
#              SIGNED (envelopes to pre-sign, 60000; each is submitted once, repeats are answered from the dedup index).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clients="${CLIENTS:-64}" seconds="${SECONDS_EACH:-10}" entries="${ENTRIES:-300}" signed="${SIGNED:-60000}"
"$root/scripts/ensure-debian-packages.sh" wrk
build="$root/.build/loadgen"
dotnet build "$root/bench/Rollproof.LoadGen" -c Release -o "$build" -nologo -v quiet -clp:ErrorsOnly >&2
loadgen=(dotnet "$build/Rollproof.LoadGen.dll")
work="$(mktemp -d /tmp/rollproof-bench-server-XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts "$@" in the background, waits for its "listening on URL" line, and sets $url (and $out, its stdout).
start_server() {
  out="$work/server-$RANDOM.out"
  "$@" >"$out" 2>"$out.err" &
  pids+=($!)
  for _ in $(seq 600); do
    url="$(sed -n 's/^listening on \(http[s]*:\/\/[^ ]*\)$/\1/p' "$out")"
    [[ -n "$url" ]] && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$out.err" >&2; return 1; }
    sleep 0.1
  done
  echo "the server did not start" >&2
  return 1
}

echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
runs=("$@")
((${#runs[@]})) || runs=(tiles raw submit)
for kind in "${runs[@]}"; do
  {
    case "$kind" in
      tiles)
        "$root/rollproof" init "$work/tiles-store" >/dev/null
        mkdir -p "$work/entries"
        for i in $(seq "$entries"); do echo "entry $i" >"$work/entries/$i"; done
        "$root/rollproof" log append "$work/tiles-store/log" "$work/entries"/* >/dev/null
        # No per-address limit: the bench measures what the server can serve, not its 429s (the default limit refuses
        # a single benchmarking address almost at once).
        start_server "$root/rollproof" serve --store "$work/tiles-store" --listen 127.0.0.1:0 --request-log "$work/requests.jsonl" --anonymous-rate-limit 0
        "${loadgen[@]}" tiles --url "$url" --clients "$clients" --seconds "$seconds" || true
        "${loadgen[@]}" tiles --url "$url" --clients "$clients" --seconds "$seconds" --path tile/0/000.p/1 || true
        echo "wrk tile/0/000.p/1:"; wrk -t2 -c"$clients" -d"${seconds}s" --latency "${url}/tile/0/000.p/1" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|errors'
        echo "wrk checkpoint:"; wrk -t2 -c"$clients" -d"${seconds}s" --latency "${url}/checkpoint" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|errors'
        kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
        ;;
      raw)
        "$root/rollproof" init "$work/raw-store" >/dev/null
        start_server "${loadgen[@]}" host --store "$work/raw-store" --listen 127.0.0.1:0 --key-out "$work/raw.key"
        echo "raw appends (checkpoint interval 0: group commit):"
        "${loadgen[@]}" submit --url "$url" --endpoint bench/raw-entries --key "$work/raw.key" --generate "$signed" --clients "$clients" --seconds "$seconds" || true
        echo "load: $(uptime | sed 's/.*load/load/')"
        kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
        grep -E '^(appends|per append):' "$out" || true
        ;;
      submit)
        if [[ -z "${ENVELOPES:-}" ]]; then
          "${loadgen[@]}" actor --out "$work/bench"
          "$root/rollproof" trust init -o "$work/trust.json" --valid-from 2020-01-01T00:00:00Z --key "bench=$work/bench.pub:release,deployment" >/dev/null
          "$root/rollproof" init "$work/submit-store" --trust "$work/trust.json" >/dev/null
          echo "bench artifact" >"$work/artifact"
          published="$("$root/rollproof" release publish --store "$work/submit-store" --app bench --version 1.0.0 --artifact "$work/artifact" --key "$work/bench.pem" --json)"
          index="$(sed -n 's/.*"logIndex": *\([0-9]*\).*/\1/p' <<<"$published")" digest="$(sed -n 's/.*"envelopeDigest": *"\(sha256:[0-9a-f]*\)".*/\1/p' <<<"$published")"
          "$root/rollproof" server token add bench --token-file "$work/tokens" >"$work/token"
          source=(--key "$work/bench.pem" --deploy "bench@1.0.0=$index:$digest" --generate "$signed") token_file="$work/token" tokens="$work/tokens"
        else
          "$root/rollproof" init "$work/submit-store" >/dev/null
          source=(--envelopes "$ENVELOPES") token_file="${TOKEN_FILE:?set TOKEN_FILE with ENVELOPES}" tokens="${TOKEN_HASHES:?set TOKEN_HASHES (the token file the server reads) with ENVELOPES}"
        fi
        start_server "$root/rollproof" serve --store "$work/submit-store" --listen 127.0.0.1:0 --request-log "$work/requests.jsonl" --token-file "$tokens" --rate-limit 0
        echo "submissions to rollproof serve (POST /api/rollproof/v1/entries, checkpoint interval 0: group commit):"
        "${loadgen[@]}" submit --url "$url" "${source[@]}" --token-file "$token_file" --clients "$clients" --seconds "$seconds" || true
        echo "load: $(uptime | sed 's/.*load/load/')"
        kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
        ;;
      *) echo "unknown run '$kind' (tiles, raw, submit)" >&2; exit 2 ;;
    esac
  }
done
