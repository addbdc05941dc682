#!/usr/bin/env bash
# Sigstore bundle verification, Rollproof against @sigstore/verify (sigstore-js), in-process, both on all cores
# (docs/benchmarks.md, issue 16). The cases are the valid bundles in ../shared/testvectors/sigstore-bundles, read by
# the conventions of its README (each with its own trusted root, key or expected identity, and the artifact's bytes);
# a bundle sigstore-js rejects is reported and left out of both sides, so that both measure the same work. The runs
# alternate ROUNDS times, each a warm-up then SECONDS_PER_RUN timed, and the best of each is reported with the ratio,
# so that a busy machine slows both alike. Figures only: nothing is asserted.
# Given a rollproof command (e.g. the single file of scripts/publish.sh), it then times `verify-bundle` start to exit,
# STARTUP_RUNS times (after 3 warm-ups) on the rekor2-happy-path bundle, and prints the median and p90.
# Usage: scripts/bench-sigstore.sh [ROLLPROOF_COMMAND]   (env: SECONDS_PER_RUN=5 ROUNDS=3 THREADS=<processors> STARTUP_RUNS=20)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vectors="$(realpath "$root/../shared/testvectors/sigstore-bundles")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
seconds="${SECONDS_PER_RUN:-5}"
threads="${THREADS:-$(nproc)}"
beacon_identity="https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
beacon_issuer="https://token.actions.githubusercontent.com"

# The pinned @sigstore/verify of the integration tests, installed the way they install it.
js_package="$root/tests/Rollproof.Integration.Tests/SigstoreVerify"
[[ -d "$js_package/node_modules/@sigstore/verify" ]] || npm ci --prefix "$js_package" --no-audit --no-fund >&2
nice dotnet build "$root/bench/Rollproof.Benchmarks" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
cs_bench=(dotnet "$root/bench/Rollproof.Benchmarks/bin/Release/net10.0/Rollproof.Benchmarks.dll")
js_bench=(node "$root/bench/SigstoreJs/bench.js")

# One case a line: name, bundle, trusted root, key or -, identity, issuer, artifact.
for folder in "$vectors"/*/; do
  name="$(basename "$folder")"
  [[ "$name" == *_fail ]] && continue
  key=-; [[ -f "$folder/key.pub" ]] && key="$folder/key.pub"
  artifact="$vectors/a.txt"; [[ -f "$folder/artifact" ]] && artifact="$folder/artifact"
  identity="$beacon_identity"; [[ -f "$folder/identity" ]] && identity="$(<"$folder/identity")"
  issuer="$beacon_issuer"; [[ -f "$folder/issuer" ]] && issuer="$(<"$folder/issuer")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$folder/bundle.sigstore.json" "$folder/trusted_root.json" "$key" "$identity" "$issuer" "$artifact"
done >"$work/all.tsv"
"${js_bench[@]}" check "$work/all.tsv" >"$work/check.txt"
grep '^fail ' "$work/check.txt" | sed 's/^fail /sigstore-js rejects (left out): /' || true
grep -F -f <(sed -n 's/^ok \(.*\)$/\1\t/p' "$work/check.txt") "$work/all.tsv" >"$work/cases.tsv"

best() { sort -n | tail -1; }
js_rates=() cs_rates=()
echo "load before: $(uptime)"
for round in $(seq "${ROUNDS:-3}"); do
  js_out="$("${js_bench[@]}" bench "$work/cases.tsv" "$seconds" "$threads")"
  cs_out="$("${cs_bench[@]}" sigstore "$work/cases.tsv" --seconds "$seconds" --threads "$threads")"
  echo "round $round: $js_out"
  echo "round $round: $cs_out"
  js_rates+=("$(awk '{print $3}' <<<"$js_out")")
  cs_rates+=("$(awk '{print $3}' <<<"$cs_out")")
done
echo "load after: $(uptime)"
js="$(printf '%s\n' "${js_rates[@]}" | best)"
cs="$(printf '%s\n' "${cs_rates[@]}" | best)"
echo "best of ${ROUNDS:-3}: sigstore-js $js bundles/s, rollproof $cs bundles/s ($(awk "BEGIN {printf \"%.2f\", $cs / $js}")x)"

(($# >= 1)) || exit 0
# Start to exit of one `verify-bundle` process: wall time of each run, in milliseconds.
read -r -a rollproof <<<"$1"
case_dir="$vectors/rekor2-happy-path"
verify=("${rollproof[@]}" verify-bundle --bundle "$case_dir/bundle.sigstore.json" --certificate-identity "$beacon_identity"
  --certificate-oidc-issuer "$beacon_issuer" --trusted-root "$case_dir/trusted_root.json" "$vectors/a.txt")
"${verify[@]}" >/dev/null || { echo "verify-bundle failed on rekor2-happy-path" >&2; exit 1; }
for _ in 1 2 3; do "${verify[@]}" >/dev/null; done
echo "load before: $(uptime)"
for _ in $(seq "${STARTUP_RUNS:-20}"); do
  start=$(date +%s%N)
  "${verify[@]}" >/dev/null
  echo $((($(date +%s%N) - start) / 1000000))
done | sort -n >"$work/startup.txt"
echo "load after: $(uptime)"
runs=$(wc -l <"$work/startup.txt")
at() { sed -n "$(awk "BEGIN {i = int($1 * $runs + 0.999); print (i < 1 ? 1 : i)}")p" "$work/startup.txt"; }
echo "verify-bundle start to exit over $runs runs: median $(at 0.5) ms, p90 $(at 0.9) ms, min $(head -1 "$work/startup.txt") ms, max $(tail -1 "$work/startup.txt") ms ($1)"
