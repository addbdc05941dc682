#!/usr/bin/env bash
# Builds one Go program offline against Debian's Go and golang.org/x/mod sources (GOPATH mode: no go.mod, no module
# proxy, no VCS or toolchain download), installing golang-go and golang-golang-x-mod-dev if missing.
# Usage: scripts/go-build-offline.sh SOURCE_DIR OUTPUT_DIR NAME   (builds SOURCE_DIR/main.go; prints the binary's path)
# The build cache goes in OUTPUT_DIR/.gocache unless GOCACHE is set.
set -euo pipefail
(($# == 3)) || { sed -n 's/^# \{0,1\}//p' "$0" | sed -n '4p' >&2; exit 2; }
"$(dirname "${BASH_SOURCE[0]}")/ensure-debian-packages.sh" golang-go golang-golang-x-mod-dev >&2
mkdir -p "$2"
out="$(cd "$2" && pwd)"
(
  cd "$1"
  env GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="${GOCACHE:-$out/.gocache}" \
    GOPROXY=off GOSUMDB=off GOFLAGS= GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 \
    go build -trimpath -o "$out/$3" main.go
) >&2
echo "$out/$3"
