#!/usr/bin/env bash
# Inclusion-proof verification, Rollproof against Go's golang.org/x/mod/sumdb/tlog (docs/benchmarks.md, issue 16):
# Go writes one file of 20-hash proofs (a tree of 2^20 records), then each side verifies exactly those proofs,
# single-threaded, for SECONDS; the runs alternate ROUNDS times and the best of each is reported with the ratio,
# so that a busy machine slows both alike. Figures only: nothing is asserted.
# Usage: scripts/bench-proofs.sh   (env: SECONDS_PER_RUN=5 ROUNDS=3 PROOFS=10000)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
seconds="${SECONDS_PER_RUN:-5}"

go_bench="$("$root/scripts/go-build-offline.sh" "$root/bench/GoTlogProofs" "$work/go" gotlogproofs)"
nice dotnet build "$root/bench/Rollproof.Benchmarks" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
cs_bench=(dotnet "$root/bench/Rollproof.Benchmarks/bin/Release/net10.0/Rollproof.Benchmarks.dll")
"$go_bench" gen "$work/proofs.bin" 1048576 "${PROOFS:-10000}"

best() { sort -n | tail -1; }
go_rates=() cs_rates=() span_rates=()
echo "load before: $(uptime)"
for round in $(seq "${ROUNDS:-3}"); do
  go_out="$("$go_bench" verify "$work/proofs.bin" "$seconds")"
  cs_out="$("${cs_bench[@]}" proofs-file "$work/proofs.bin" --seconds "$seconds")"
  echo "round $round: $go_out"
  echo "$cs_out" | sed "s/^/round $round: /"
  go_rates+=("$(awk '{print $3}' <<<"$go_out")")
  cs_rates+=("$(awk '/^rollproof proofs/ {print $3}' <<<"$cs_out")")
  span_rates+=("$(awk '/^rollproof span/ {print $4}' <<<"$cs_out")")
done
echo "load after: $(uptime)"
go="$(printf '%s\n' "${go_rates[@]}" | best)"
cs="$(printf '%s\n' "${cs_rates[@]}" | best)"
span="$(printf '%s\n' "${span_rates[@]}" | best)"
echo "best of ${ROUNDS:-3}: go-tlog $go/s, rollproof $cs/s ($(awk "BEGIN {printf \"%.2f\", $cs / $go}")x), rollproof span $span/s ($(awk "BEGIN {printf \"%.2f\", $span / $go}")x)"
