#!/usr/bin/env bash
# Publishes rollproof as one self-contained executable, DIR/rollproof, that runs without .NET installed (Linux x64 by
# default; the SQLite library inside it unpacks itself on first run). Ahead-of-time compiled (ReadyToRun) for a quick
# start. Builds in a folder of its own and locks the RID-specific packages in obj/, so neither the checkout's builds nor its
# lock files change.
# Usage: scripts/publish.sh [DIR] [RID]   (DIR defaults to .build/single-file, RID to linux-x64)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$root/.build/single-file}")"
rid="${2:-linux-x64}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet publish "$root/src/Rollproof.Cli" -c Release -r "$rid" --self-contained --artifacts-path "$work" -o "$work/out" -nologo -v quiet \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRun=true \
  -p:NuGetLockFilePath="obj/packages.$rid.lock.json" -p:DebugType=none >&2
mkdir -p "$out"
mv "$work/out/Rollproof.Cli" "$out/rollproof"
echo "$out/rollproof"
