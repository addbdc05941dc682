#!/usr/bin/env bash
# The main job: rollproof demo, the whole story of a governed rollback on this machine. Installs haproxy (the demo's
# traffic router) from Debian if it is missing, then runs the demo in a new folder under .demo/ (or --workdir DIR).
# Usage: scripts/demo.sh [rollproof demo options, e.g. --workdir DIR --dwell 0s --json]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/ensure-debian-packages.sh" haproxy
cd "$root"
exec ./rollproof demo "$@"
