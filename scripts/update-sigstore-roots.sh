#!/usr/bin/env bash
# Sigstore's trusted roots built into Rollproof (src/Rollproof/Sigstore/Verification/TrustedRoots/, README there):
# the public-good production root is the trusted_root.json in seeds.json of @sigstore/tuf, pinned by
# tools/sigstore-roots/package-lock.json and installed there with npm ci. No npm package carries the staging root, so
# it is taken from a file given with --staging (targets/trusted_root.json of Sigstore's root-signing-staging TUF
# repository).
# Usage: scripts/update-sigstore-roots.sh [--staging FILE]   rewrite the embedded copies
#        scripts/update-sigstore-roots.sh --check            exit 1 unless the embedded public-good root equals the package's
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
package="$root/tools/sigstore-roots"
roots="$root/src/Rollproof/Sigstore/Verification/TrustedRoots"
mode=update staging=""
while (($#)); do
  case "$1" in
    --check) mode=check; shift ;;
    --staging) staging="${2:?--staging needs a file}"; shift 2 ;;
    *) sed -n 's/^# \{0,1\}//p' "$0" | sed -n '6,7p' >&2; exit 2 ;;
  esac
done
[[ -d "$package/node_modules/@sigstore/tuf" ]] || npm ci --prefix "$package" --ignore-scripts --no-audit --no-fund >&2
extracted="$(mktemp)"
trap 'rm -f "$extracted"' EXIT
node -e '
  const seeds = require(process.argv[1]);
  const target = seeds["https://tuf-repo-cdn.sigstore.dev"]?.targets?.["trusted_root.json"];
  if (!target) { console.error("seeds.json has no trusted_root.json for tuf-repo-cdn.sigstore.dev"); process.exit(1); }
  require("fs").writeFileSync(process.argv[2], Buffer.from(target, "base64"));
' "$package/node_modules/@sigstore/tuf/seeds.json" "$extracted"
version="$(node -p 'require(process.argv[1]).version' "$package/node_modules/@sigstore/tuf/package.json")"
if [[ $mode == check ]]; then
  cmp -s "$extracted" "$roots/public-good.trusted_root.json" \
    || { echo "the embedded public-good trusted root differs from @sigstore/tuf $version's seeds.json" >&2; exit 1; }
  echo "public-good trusted root matches @sigstore/tuf $version"
  exit 0
fi
install -m 644 "$extracted" "$roots/public-good.trusted_root.json"
echo "public-good trusted root from @sigstore/tuf $version: $roots/public-good.trusted_root.json"
if [[ -n $staging ]]; then
  node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1])); if (!String(r.mediaType).startsWith("application/vnd.dev.sigstore.trustedroot+json")) process.exit(1)' "$staging" \
    || { echo "$staging is not a Sigstore trusted root" >&2; exit 3; }
  install -m 644 "$staging" "$roots/staging.trusted_root.json"
  echo "staging trusted root from $staging: $roots/staging.trusted_root.json"
fi
