#!/usr/bin/env bash
# Start-to-exit time of `rollproof release verify` and `rollproof evidence verify` (docs/benchmarks.md), measured with
# hyperfine for each rollproof command given, on the store and evidence package that `scripts/demo.sh --workdir DIR`
# leaves in DIR. Figures only: nothing is asserted.
# Usage: scripts/bench-startup.sh DIR COMMAND...
#   e.g. scripts/bench-startup.sh /tmp/demo "dotnet .build/cli/Rollproof.Cli.dll" ~/.dotnet/tools/rollproof .build/single-file/rollproof
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(($# >= 2)) || { sed -n 's/^# \{0,1\}//p' "$0" | sed -n '2,6p' >&2; exit 2; }
"$root/scripts/ensure-debian-packages.sh" hyperfine
demo="$(realpath "$1")"
shift
state="$(mktemp -d)"
trap 'rm -rf "$state"' EXIT
for verb in release evidence; do
  case "$verb" in
    release) args="release verify --store $demo/store --app docsign --version 1.0 --trust $demo/trust.json --state $state/seen" ;;
    evidence) args="evidence verify $demo/evidence.zip --trust $demo/trust.json" ;;
  esac
  benchmarks=()
  for command in "$@"; do
    benchmarks+=(-n "$verb verify: $command" "$command $args")
  done
  hyperfine --warmup 3 --runs "${RUNS:-20}" --style basic --output=null "${benchmarks[@]}"
done
