#!/usr/bin/env bash
# Usage: LEFTOVER_ROOTS="DIR..." scripts/test-leftovers.sh RUN-ID
# Finds the processes a test run left behind: those whose environment holds ROLLPROOF_TEST_RUN=RUN-ID (every process
# the run started inherits it: haproxy, nginx, PostgreSQL, docker-registry, s3rver, app slots, command lines), and
# those whose working folder or command line lies in one of the space-separated DIRs (the run's temp root). Other
# users' and other runs' processes carry another id and other folders, so they are left alone. Prints what it finds,
# stops it (SIGTERM, then SIGKILL after 5 s, looking again in case a supervisor started something meanwhile) and exits
# 1 if anything was found, 0 if nothing was.
# The id comes as an argument and the folders in the environment, so that neither this script's environment nor its
# command line (nor those of its subshells, which keep them) looks like one of the run's processes.
set -euo pipefail
run="${1:?usage: LEFTOVER_ROOTS=\"DIR...\" $0 RUN-ID}"
read -r -a roots <<<"${LEFTOVER_ROOTS:-}"

# One pass over /proc with a few greps (a fork per process would take minutes on a busy machine). The pids of this
# script and its subshells are left out; their environment and command line hold neither the id nor a folder anyway.
leftovers() {
  local root
  {
    grep -slzxF "ROLLPROOF_TEST_RUN=$run" /proc/[0-9]*/environ
    for root in "${roots[@]}"; do
      find /proc/[0-9]*/cwd -maxdepth 0 \( -lname "$root" -o -lname "$root/*" \)
      grep -slaF "$root" /proc/[0-9]*/cmdline
    done
  } 2>/dev/null | cut -d/ -f3 | sort -un | grep -vxF -e "$$" -e "$BASHPID" || true
}

mapfile -t found < <(leftovers)
if ((${#found[@]} == 0)); then
  exit 0
fi
echo "processes left behind by the tests (they are stopped now):" >&2
ps -o pid,ppid,pgid,user,etime,args -p "$(IFS=,; echo "${found[*]}")" >&2 || true
for _ in 1 2 3; do
  ((${#found[@]} > 0)) || break
  kill -TERM "${found[@]}" 2>/dev/null || true
  grace=$((SECONDS + 5))
  while ((${#found[@]} > 0 && SECONDS < grace)); do
    sleep 0.2
    mapfile -t found < <(leftovers)
  done
  if ((${#found[@]} > 0)); then
    kill -KILL "${found[@]}" 2>/dev/null || true
    sleep 0.2
    mapfile -t found < <(leftovers)
  fi
done
if ((${#found[@]} > 0)); then
  echo "still running after SIGKILL: ${found[*]}" >&2
fi
exit 1
