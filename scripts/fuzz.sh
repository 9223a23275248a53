#!/usr/bin/env bash
# Fuzzes each parser target of mlops-core's ParserFuzzTest with Jazzer for a while (default 20 s each) and
# prints, per target, the runs made and whether anything was found. A finding fails the script; its input
# is written next to the regression corpus (mlops-core/src/test/resources/io/mlops/fuzz/ParserFuzzTestInputs/
# <target>/crash-*), where every later build replays it: fix the parser, keep the input.
#   usage: scripts/fuzz.sh [seconds-per-target] [target ...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-20}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(dvcYaml dvcLock dvcFile dirManifest paramsFile dvcConfig dvcIgnore)
# the test harness (mlops-core's test dependency) into the local repository, then the fuzz tests compiled once
./mvnw -B -q -ntp -pl mlops-test-harness install -DskipTests >/dev/null
./mvnw -B -q -ntp -pl mlops-core test-compile >/dev/null
status=0
printf '%-12s %10s %8s  %s\n' target runs seconds result
for t in "${TARGETS[@]}"; do
  log="$(mktemp /tmp/fuzz-$t-XXXX.log)"
  if JAZZER_FUZZ=1 ./mvnw -B -ntp -o -pl mlops-core surefire:test -Dtest="ParserFuzzTest#$t" \
      -Djazzer.max_duration="${SECONDS_PER_TARGET}s" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    result=ok
  else
    result="FINDING (see $log)"
    status=1
  fi
  runs="$(grep -oE '^Done [0-9]+ runs in [0-9]+' "$log" | tail -1 | awk '{print $2, $5}')"
  printf '%-12s %10s %8s  %s\n' "$t" "${runs% *}" "${runs#* }" "$result"
done
exit $status
