#!/usr/bin/env bash
# The team demo: the whole governed-rollback story through a local 'rollproof serve', as a team runs it. The log key
# is an Ed25519 key in a SoftHSM2 token, a second server is a witness that cosigns each checkpoint, every person has
# their own key and API token, and every command talks to the server with --server URL. Evidence is then verified offline with the
# trust file and a tlog-policy that requires the witness, and the served log is verified in full.
# Needs only this checkout (installs softhsm2 and opensc from Debian if missing). Runs in a new folder under
# .demo-server/ (or the one given with --workdir DIR, which must not exist or be empty); stops both servers on exit.
# Usage: scripts/demo-server.sh [--workdir DIR]   (ROLLPROOF_DEMO_CLI=PROGRAM runs another rollproof build)
set -Eeuo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/.demo-server/$(date -u +%Y%m%dT%H%M%SZ)-$$"
if [[ "${1:-}" == "--workdir" && -n "${2:-}" ]]; then work="$2"; elif [[ $# -gt 0 ]]; then echo "usage: $0 [--workdir DIR]" >&2; exit 2; fi
mkdir -p "$work" && [[ -z "$(ls -A "$work")" ]] || { echo "$work is not empty" >&2; exit 2; }
work="$(cd "$work" && pwd)"
"$root/scripts/ensure-debian-packages.sh" softhsm2 opensc curl >/dev/null

cli="${ROLLPROOF_DEMO_CLI:-$root/rollproof}"      # the command to run; tests name the build beside them
rollproof() { "$cli" "$@"; }
step() { current_step="$*"; printf '\n== %s\n' "$*"; }
current_step="checking the setup"
pids=()
stop_servers() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap stop_servers EXIT
trap 'echo "demo-server: failed (exit $?) in step: $current_step" >&2' ERR

# Starts 'rollproof serve ARGS' in the background, logging to NAME.log, and sets $served_url once it listens.
serve() {
  local name="$1"; shift
  "$cli" serve --listen 127.0.0.1:0 "$@" >"$work/$name.log" 2>&1 &   # not the function: $! must be the server itself
  pids+=("$!")
  local pid="$!"
  for _ in $(seq 600); do
    served_url="$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$work/$name.log" | head -n1)"
    [[ -n "$served_url" ]] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "the $name server did not start:" >&2; cat "$work/$name.log" >&2; return 1
}

cd "$work"
export ROLLPROOF_STATE_DIR="$work/state"           # this demo's verifier memory and server replicas, nowhere else
export ROLLPROOF_PASSPHRASE='correct horse battery staple'  # in real life each person has their own key and passphrase

step "A SoftHSM2 token holding the log's Ed25519 key (the key never leaves the token)"
module=/usr/lib/softhsm/libsofthsm2.so
mkdir -p hsm/tokens && chmod 700 hsm
printf 'directories.tokendir = %s\nobjectstore.backend = file\n' "$work/hsm/tokens" > hsm/softhsm2.conf
export SOFTHSM2_CONF="$work/hsm/softhsm2.conf"
printf '%s\n' 4711 > hsm/pin && chmod 600 hsm/pin
softhsm2-util --init-token --free --label log --pin "$(cat hsm/pin)" --so-pin 8642 >/dev/null
pkcs11-tool --module "$module" --token-label log --login --pin "$(cat hsm/pin)" \
  --keypairgen --key-type EC:edwards25519 --label log --id 01 >/dev/null
log_key="pkcs11:token=log;object=log?module-path=$module&pin-source=file:$work/hsm/pin"
origin=demo.rollproof.local/releases
log_vkey="$(rollproof log verifier-key "$origin" --key "$log_key")"
echo "log key: $log_key"
echo "log verifier key (what the team holds): $log_vkey"

step "Separate keys for each person, and the team's trust file"
cat > rollproof.yaml <<EOF
keyring: keys
environments:
  prod:
    values: { releases: $work/releases, current: $work/current, artifacts: $work }
EOF
for who in ci ops carol alice bob root; do rollproof key generate "$who"; done
rollproof trust init -o trust.json --ci ci=keys/ci.pub --operator ops=keys/ops.pub --approver carol=keys/carol.pub \
  --approver alice=keys/alice.pub --approver bob=keys/bob.pub --admin root=keys/root.pub

step "The log operator's store, its log key in the token"
rollproof init server-store --origin "$origin" --log-key "$log_key" --trust trust.json

step "API tokens: one per person, bound to their name in the trust, and a read-only one for the auditor"
declare -A tokens   # each person's token, kept only in this shell (the server's file holds hashes)
for who in ci ops carol alice bob root; do tokens[$who]="$(rollproof server token add "$who" --token-file "$work/tokens.txt")"; done
tokens[auditor]="$(rollproof server token add auditor --auditor --token-file "$work/tokens.txt")"
rollproof server token list --token-file "$work/tokens.txt"
# as WHO COMMAND...: runs COMMAND with WHO's token, as WHO would on their own machine
as() { local who="$1"; shift; ROLLPROOF_TOKEN="${tokens[$who]}" "$@"; }

step "A witness: its own key, and a server that cosigns this log's checkpoints"
witness_vkey="$(rollproof log keygen demo.rollproof.local/witness --cosigner -o witness.key)"
rollproof init witness-store --origin demo.rollproof.local/witness-home >/dev/null
serve witness --store "$work/witness-store" --witness "$work/witness.key" --witness-log "$log_vkey"
witness_url="$served_url"
echo "witness at $witness_url ($witness_vkey)"
cat > tlog-policy.txt <<EOF
log $log_vkey
witness w1 $witness_vkey $witness_url/
quorum w1
EOF
cat tlog-policy.txt

step "The team's server: log key in the token, each checkpoint cosigned by the witness before it is published"
serve team --store "$work/server-store" --log-key "$log_key" --witnesses tlog-policy.txt --token-file "$work/tokens.txt"
url="$served_url"
echo "serving at $url"
remote=(--server "$url" --server-log-key "$log_vkey")

step "root sets prod's policy (two approvals among carol, alice, bob)"
cat > prod-policy.yaml <<'EOF'
environment: prod
roles: { requesters: [ops], approvers: [carol, alice, bob], operators: [ops], admins: [root] }
approvals: { required: 2 }
policyChanges: { approvals: 0 }    # one admin: their signed 'policy set' takes effect at once
EOF
as root rollproof policy set prod-policy.yaml --key root "${remote[@]}"

step "ci publishes 1.0 and 1.1; ops deploys both"
for version in 1.0 1.1; do
  mkdir -p "build/$version" && echo "$version" > "build/$version/VERSION"
  tar -czf "myapp-$version.tar.gz" -C "build/$version" .
  as ci rollproof release publish --app myapp --version "$version" --artifact "myapp-$version.tar.gz" --key ci "${remote[@]}"
done
deploy() {
  mkdir -p "releases/$1" && tar -xzf "myapp-$1.tar.gz" -C "releases/$1"
  ln -sfn "$work/releases/$1" current
  as ops rollproof deploy record --env prod --app myapp --version "$1" --key ops "${remote[@]}"
}
deploy 1.0
deploy 1.1

step "1.1 is bad: ops asks to roll back to 1.0"
as ops rollproof rollback request --env prod --to 1.0 --reason critical-bug \
  --rationale "1.1 breaks checkout" --ticket INC-1 --key ops "${remote[@]}" | tee request.txt
request="$(sed -n 's/^logged rollback request \([0-9]*\):.*/\1/p' request.txt)"
[[ -n "$request" ]] || { echo "no request index in the output" >&2; exit 1; }

step "carol and alice approve, each with their own key"
as carol rollproof rollback approve "$request" --key carol "${remote[@]}"
as alice rollproof rollback approve "$request" --key alice "${remote[@]}"
as ops rollproof rollback status "$request" "${remote[@]}"

step "ops executes the rollback with the team's runbook"
cat > rollback.yaml <<'EOF'
name: myapp-rollback
steps:
  - id: check-artifact
    uses: command
    with:
      run: echo "{{target.artifact}}  {{vars.artifacts}}/myapp-{{target.version}}.tar.gz" | sed 's/^sha256://' | sha256sum -c -
  - id: unpack
    uses: command
    with:
      run: mkdir -p {{vars.releases}}/{{target.version}} && tar -xzf {{vars.artifacts}}/myapp-{{target.version}}.tar.gz -C {{vars.releases}}/{{target.version}}
  - id: switch
    uses: command
    with:
      run: ln -sfn {{vars.releases}}/{{target.version}} {{vars.current}}
  - id: verify
    uses: command
    with:
      run: test "$(cat {{vars.current}}/VERSION)" = {{target.version}}
EOF
as ops rollproof rollback execute "$request" --runbook rollback.yaml --key ops "${remote[@]}"
[[ "$(cat current/VERSION)" == 1.0 ]] || { echo "current is not 1.0" >&2; exit 1; }
echo "current/VERSION: $(cat current/VERSION)"

step "An auditor exports the evidence and verifies it offline, requiring the witness's cosignature"
as auditor rollproof evidence export "$request" -o evidence.zip "${remote[@]}"
cp server-store/trust.json auditor-trust.json      # the store's trust file (team keys and the log key), as the operator hands it out
rollproof evidence verify evidence.zip --trust auditor-trust.json --tlog-policy tlog-policy.txt
echo "A policy requiring a witness that never cosigned is refused:"
other_vkey="$(rollproof log keygen demo.rollproof.local/other-witness --cosigner -o other-witness.key)"
printf 'log %s\nwitness w2 %s http://127.0.0.1:9/\nquorum w2\n' "$log_vkey" "$other_vkey" > other-policy.txt
if rollproof evidence verify evidence.zip --trust auditor-trust.json --tlog-policy other-policy.txt; then
  echo "evidence verified without the cosignature the policy requires" >&2; exit 1
fi

step "The published checkpoint, cosigned by the witness"
curl -fsS "$url/checkpoint" | tee checkpoint.txt
grep -q "^— demo.rollproof.local/witness " checkpoint.txt || { echo "the checkpoint has no cosignature by the witness" >&2; exit 1; }

step "Anyone verifies the whole served log with the log key they hold"
rollproof log verify "$url/" --vkey "$log_vkey" --state state/auditor-seen

step "Stopping both servers"
stop_servers
echo "witness cosigned checkpoint: $(sed -n 2p checkpoint.txt) entries"
echo "demo-server: done (everything is in $work)"
