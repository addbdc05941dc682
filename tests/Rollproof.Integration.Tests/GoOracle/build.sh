#!/usr/bin/env bash
# Builds the Go interop oracle offline (GOPATH mode against Debian's Go sources; scripts/go-build-offline.sh).
# Usage: build.sh [OUTPUT_DIR]   (default: a fresh temp dir)
# Prints the path of the built binary as its only stdout line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/../../../scripts/go-build-offline.sh" "$here" "${1:-$(mktemp -d)}" gooracle
