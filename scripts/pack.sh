#!/usr/bin/env bash
# Packs the rollproof command as a .NET tool package (Rollproof.Cli.<version>.nupkg) into DIR (default .build/package).
# Install it from there:  dotnet tool install --global --add-source DIR Rollproof.Cli   (or --tool-path PATH)
# NuGet caches a package by name and version: to reinstall changed code, raise <Version> in src/Rollproof.Cli/Rollproof.Cli.csproj.
# Usage: scripts/pack.sh [DIR] [dotnet pack options, e.g. --no-build after a Release build]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$root/.build/package}")"
shift $(($# > 0 ? 1 : 0))
dotnet pack "$root/src/Rollproof.Cli" -c Release -o "$out" -nologo -v quiet "$@" >&2
ls "$out"/Rollproof.Cli.*.nupkg
