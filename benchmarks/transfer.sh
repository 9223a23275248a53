#!/usr/bin/env bash
# Benchmark (not a test): push and pull many small files and one large file through a gs:// remote on local
# fake-gcs-server processes (one per side) and through a local directory remote, with the `mlops` command and with
# real DVC, on identical repositories and the same number of parallel transfers. Prints seconds and the ratio
# DVC / mlops (above 1: we are faster) for push, pull, and push and pull again when all is up to date, and checks
# that both pulled workspaces are identical.
#
#   benchmarks/transfer.sh [SMALL_FILES] [BIG_MB] [JOBS] [REMOTES]      (default 10000 500 8 "gs local")
#   FAKE_GCS_BACKEND=filesystem runs the emulator on disk instead of in memory (memory slows down as it fills)
#   ROUNDS=N repeats each remote's steps N times on fresh copies (and fresh servers), DVC first in odd rounds and
#   mlops first in even ones, and prints the median and the range of the seconds and of the per-round ratios
#
# Needs ./mvnw install -DskipTests (or a compiled plugin module), .venv with DVC (./mvnw verify or .ci/run make
# it) and the fake-gcs-server binary (scripts/build-images.sh fake-gcs). All traffic stays on 127.0.0.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-10000}
big_mb=${2:-500}
jobs=${3:-8}
remotes=${4:-gs local}
rounds=${ROUNDS:-1}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive number, not '$rounds'" >&2; exit 2; }
dvc="$root/.venv/bin/dvc"
gcs_bin=${FAKE_GCS_SERVER:-/var/tmp/mlops-tools/fake-gcs-server}
gcs_backend=${FAKE_GCS_BACKEND:-memory}   # or filesystem
[ -x "$dvc" ] || { echo "no DVC at $dvc: run ./mvnw verify once (it creates .venv) or .ci/run" >&2; exit 1; }
[ -x "$gcs_bin" ] || { echo "no fake-gcs-server at $gcs_bin: run scripts/build-images.sh fake-gcs" >&2; exit 1; }
export DVC_NO_ANALYTICS=1 DVC_NO_UPDATER=1
# gcsfs would first ask a gRPC API that fake-gcs-server lacks, and wait ~60 s per call (see README)
export GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT=false

cli="$root/mlops-cli/target/mlops/bin/mlops"   # the installable command, made by ./mvnw install -DskipTests
[ -x "$cli" ] || { echo "no $cli: run ./mvnw -B install -DskipTests first" >&2; exit 1; }
mlops() { "$cli" "$@"; }

work=$(mktemp -d /var/tmp/mlops-transfer.XXXXXX)
# One server per side: fake-gcs-server's memory backend slows down as it fills, so a shared server would
# favour whichever side goes first.
pids=()
trap '{ ((${#pids[@]})) && kill "${pids[@]}" 2>/dev/null; } || true; chmod -R u+w "$work"; rm -rf "$work"' EXIT
start_server() { # $1 = side; sets endpoint_<side>
  local port endpoint
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  endpoint="http://127.0.0.1:$port"
  local backend=(-backend memory)
  if [ "$gcs_backend" = filesystem ]; then
    mkdir -p "$work/gcs-$1"
    backend=(-backend filesystem -filesystem-root "$work/gcs-$1")
  fi
  "$gcs_bin" -scheme http "${backend[@]}" -host 127.0.0.1 -port "$port" -external-url "$endpoint" \
    -public-host "127.0.0.1:$port" -log-level error >"$work/fake-gcs-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "$endpoint/storage/v1/b" >/dev/null && break; sleep 0.1; done
  curl -sf -X POST -H 'Content-Type: application/json' -d '{"name":"bench"}' \
    "$endpoint/storage/v1/b?project=bench" >/dev/null
  printf -v "endpoint_$1" '%s' "$endpoint"
}
echo "generating $files small files and a $big_mb MB file in $work ..."
python3 - "$work/seed" "$files" "$big_mb" <<'PY'
import os, random, sys
root, n, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(5)
for i in range(n):
    d = os.path.join(root, "data", f"{i % 100:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:06d}.bin"), "wb") as f:
        f.write(rnd.randbytes(512 + rnd.randrange(3584)))
with open(os.path.join(root, "big.bin"), "wb") as f:
    for _ in range(mb):
        f.write(rnd.randbytes(1 << 20))
PY
(cd "$work/seed" && git init -q && "$dvc" init -q && "$dvc" add -q data big.bin)
# each timed step starts after `sync`: the files the previous step wrote (or deleted) are flushed first, so one
# tool does not pay for the other's writeback (file creation on ext4 here costs 13-365 us from run to run)
t() { local s e; sync; s=$(date +%s.%N); "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }; e=$(date +%s.%N); echo "$e - $s" | bc; }
ratio() { echo "scale=4; $1 / $2" | bc; }
wipe() { rm -rf "$1/.dvc/cache" "$1/.dvc/tmp" "$1/data" "$1/big.bin"; }
objects() { # side kind: the number of objects on that side's remote
  if [ "$2" = gs ]; then
    local endpoint_var="endpoint_$1"
    curl -sf "${!endpoint_var}/storage/v1/b/bench/o?prefix=$1/&fields=items(name),nextPageToken&maxResults=100000" \
      | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("items", [])))'
  else
    find "$work/remote-$1" -type f | wc -l
  fi
}

stats() { # values...: "median min max"
  printf '%s\n' "$@" | LC_ALL=C sort -g | LC_ALL=C awk '{ a[NR] = $1 } END {
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f %.2f %.2f", m, a[1], a[NR] }'
}
cell() { # values...: "median" for one round, "median (min-max)" for more
  local m lo hi
  read -r m lo hi <<<"$(stats "$@")"
  if [ "$#" -gt 1 ]; then printf '%s (%s-%s)' "$m" "$lo" "$hi"; else printf '%s' "$m"; fi
}
steps=(push pull noop_push noop_pull)
declare -A label=([push]="push" [pull]="pull (fetch + checkout)" [noop_push]="push again (all up to date)"
  [noop_pull]="pull again (all up to date)")
run() { # side step
  local op=${2#noop_}
  if [ "$1" = dvc ]; then t "$dvc" "$op" -j "$jobs"; else t mlops "$op" --jobs "$jobs"; fi
}

for kind in $remotes; do
  declare -A secs=() ratios=()
  same=identical
  for ((round = 1; round <= rounds; round++)); do
    # odd rounds run DVC first in each step, even rounds mlops first: neither always meets a warm or a cold system
    if ((round % 2)); then order=(dvc mlops); else order=(mlops dvc); fi
    if [ "$kind" = gs ]; then # fresh, empty servers for each round
      ((${#pids[@]})) && { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; pids=(); }
      start_server dvc
      start_server mlops
    fi
    for side in dvc mlops; do
      chmod -R u+w "$work/$side" 2>/dev/null || true
      rm -rf "$work/$side" "$work/remote-$side"
      cp -a "$work/seed" "$work/$side"
      if [ "$kind" = gs ]; then
        endpoint_var="endpoint_$side"
        (cd "$work/$side" && "$dvc" remote add -q -d store "gs://bench/$side" \
          && "$dvc" remote modify store endpointurl "${!endpoint_var}" \
          && "$dvc" remote modify store allow_anonymous_login true)
      else
        (cd "$work/$side" && "$dvc" remote add -q -d store "$work/remote-$side")
      fi
    done
    for step in "${steps[@]}"; do
      [ "$step" = pull ] && { wipe "$work/dvc"; wipe "$work/mlops"; }
      declare -A now=()
      for side in "${order[@]}"; do
        now[$side]=$(cd "$work/$side" && run "$side" "$step")
        secs[$step.$side]+=" ${now[$side]}"
      done
      ratios[$step]+=" $(ratio "${now[dvc]}" "${now[mlops]}")"
    done
    diff -rq "$work/dvc/data" "$work/mlops/data" >/dev/null && cmp -s "$work/dvc/big.bin" "$work/mlops/big.bin" \
      && cmp -s "$work/seed/big.bin" "$work/mlops/big.bin" || same=DIFFERENT
    objs="dvc $(objects dvc "$kind"), mlops $(objects mlops "$kind")"
    ((rounds > 1)) && echo "$kind round $round of $rounds (${order[0]} first in each step): done"
  done

  echo
  if ((rounds > 1)); then
    echo "$kind remote ($files files + $big_mb MB, jobs $jobs): median (min-max) of $rounds rounds, order alternating"
  fi
  printf '%-30s %18s %18s %18s\n' "$kind remote" "dvc s" "mlops s" "ratio"
  for step in "${steps[@]}"; do
    # shellcheck disable=SC2086  # the lists are space-separated numbers
    printf '%-30s %18s %18s %18s\n' "${label[$step]}" "$(cell ${secs[$step.dvc]})" "$(cell ${secs[$step.mlops]})" \
      "$(cell ${ratios[$step]})"
  done
  echo "objects on the remote (last round): $objs; pulled workspaces: $same"
  [ "$same" = identical ] || exit 1
done
