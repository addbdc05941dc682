#!/usr/bin/env bash
# Builds the Go interop oracle offline (GOPATH mode against Debian's Go sources).
# Usage: build.sh [OUTPUT_DIR]   (default: a fresh temp dir)
# Prints the path of the built binary as its only stdout line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/../../../scripts/ensure-debian-packages.sh" golang-go golang-golang-x-mod-dev >&2

out="${1:-$(mktemp -d)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
bin="$out/gooracle"

# GOPATH mode: golang.org/x/mod resolves from /usr/share/gocode/src.
# The build cache defaults to OUTPUT_DIR/.gocache (override with GOCACHE).
# Module proxy, VCS and toolchain downloads are all disabled.
# GO111MODULE=off means no go.mod/go.work is consulted.
(
  cd "$here"
  env GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="${GOCACHE:-$out/.gocache}" \
    GOPROXY=off GOSUMDB=off GOFLAGS= GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 \
    go build -trimpath -o "$bin" main.go
) >&2
echo "$bin"
