#!/usr/bin/env bash
# Builds everything and runs the whole test suite (unit, CLI, integration against real Go tlog and crash trials).
# Ends with one line CI reads: "N passed, N failed[, N skipped]". Exit status is non-zero on any failure, and processes
# the tests left running (scripts/test-leftovers.sh) count as one failed test.
# Installs the Debian packages the tests need (golang-go, golang-golang-x-mod-dev, openssl, docker-registry, skopeo,
# haproxy, nginx, postgresql and procps; nodejs and npm when the machine has no npm) if missing.
set -euo pipefail
# Tests send SIGINT to the CLI (Ctrl-C must stop a rollback cleanly). A shell without job control that started this
# script in the background made it ignore SIGINT, and everything it starts with it, and .NET leaves an ignored signal
# alone: the CLI would never see Ctrl-C. Restore it (perl-base is in every Debian) and start again, once.
if (( 0x$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status) & 0x2 )) && [[ -z "${ROLLPROOF_SIGINT_RESTORED:-}" ]] && command -v perl >/dev/null; then
  ROLLPROOF_SIGINT_RESTORED=1 exec perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die "exec $ARGV[0]: $!\n"' -- bash "$0" "$@"
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/.test-results"
rm -rf "$results"
mkdir -p "$results"
# Verifiers' own memory (checkpoints seen, maps of the logs read) for the suite's throwaway stores, not the user's.
export ROLLPROOF_STATE_DIR="$results/state"
# Everything the tests start carries this run's id in its environment and keeps its temp folders under this run's own
# temp root (readable by the postgres user, who runs the tests' PostgreSQL servers), so that the check at the end
# finds what this run left behind and nothing of another run or user on the machine.
run_id="$(date +%s)-$$"
run_tmp="$(mktemp -d /tmp/rollproof-suite-XXXXXX)"
chmod 755 "$run_tmp"
trap 'rm -rf "$run_tmp"' EXIT

"$root/scripts/ensure-debian-packages.sh" golang-go golang-golang-x-mod-dev openssl docker-registry apache2-utils skopeo haproxy nginx postgresql procps softhsm2 opensc
# Node runs s3rver (S3 store tests) and @sigstore/verify (bundle interop); any Node 20+ will do, Debian's if none.
command -v npm >/dev/null || "$root/scripts/ensure-debian-packages.sh" nodejs npm

echo "== build (Release)" >&2
dotnet build Rollproof.slnx -c Release -nologo -v quiet -clp:ErrorsOnly

# One project at a time, each with its own report: the crash trials want the machine's two cores to themselves.
status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  echo "== test $name" >&2
  # No build servers: MSBuild nodes would outlive the run (and carry its id).
  ROLLPROOF_TEST_RUN="$run_id" TMPDIR="$run_tmp" MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false \
    dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=1
done

# Nothing of ours may outlive the tests: a process left running counts as one more failed test, a folder left in the
# run's temp root is reported. Both are removed.
leftover=0
echo "== leftovers" >&2
LEFTOVER_ROOTS="$run_tmp $results" "$root/scripts/test-leftovers.sh" "$run_id" || leftover=1
mapfile -t folders < <(find "$run_tmp" -mindepth 1 -maxdepth 1 -name 'rollproof-*' -printf '%f\n')
if ((${#folders[@]} > 0)); then
  echo "the tests left ${#folders[@]} folder(s) in $run_tmp (removed on exit): ${folders[*]}" >&2
fi

# Sum the counters of every test run's TRX report.
total=0 executed=0 passed=0 failed=0
shopt -s nullglob
reports=("$results"/*.trx)
for trx in "${reports[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$((total + $(value total)))
  executed=$((executed + $(value executed)))
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
done
skipped=$((total - executed))
if ((${#reports[@]} == 0)); then
  echo "no test report was written" >&2
  status=1
fi
if ((leftover > 0)); then
  echo "processes were left running after the tests (listed above): counted as a failed test" >&2
  failed=$((failed + 1))
fi
if ((failed > 0)); then
  status=1
fi
if ((skipped > 0)); then
  echo "${passed} passed, ${failed} failed, ${skipped} skipped"
else
  echo "${passed} passed, ${failed} failed"
fi
exit "$status"
