#!/usr/bin/env bash
# Builds the Go proof-verification benchmark offline (GOPATH mode against Debian's Go sources, as the GoOracle does).
# Usage: build.sh [OUTPUT_DIR]   (default: a fresh temp dir). Prints the path of the built binary as its only stdout line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/../../scripts/ensure-debian-packages.sh" golang-go golang-golang-x-mod-dev >&2
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
(
  cd "$here"
  env GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="${GOCACHE:-$out/.gocache}" \
    GOPROXY=off GOSUMDB=off GOFLAGS= GOTOOLCHAIN=local GOWORK=off \
    go build -trimpath -o "$out/gotlogproofs" main.go
) >&2
echo "$out/gotlogproofs"
