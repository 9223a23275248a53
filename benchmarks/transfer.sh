#!/usr/bin/env bash
# Benchmark (not a test): push and pull many small files and one large file through a gs:// remote on local
# fake-gcs-server processes (one per side) and through a local directory remote, with the `mlops` command and with
# real DVC, on identical repositories and the same number of parallel transfers. Prints seconds and the ratio
# DVC / mlops (above 1: we are faster) for push, pull, and push and pull again when all is up to date, and checks
# that both pulled workspaces are identical.
#
#   benchmarks/transfer.sh [SMALL_FILES] [BIG_MB] [JOBS] [REMOTES]      (default 10000 500 8 "gs local")
#   FAKE_GCS_BACKEND=filesystem runs the emulator on disk instead of in memory (memory slows down as it fills)
#
# Needs ./mvnw install -DskipTests (or a compiled plugin module), .venv with DVC (./mvnw verify or .ci/run make
# it) and the fake-gcs-server binary (scripts/build-images.sh fake-gcs). All traffic stays on 127.0.0.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-10000}
big_mb=${2:-500}
jobs=${3:-8}
remotes=${4:-gs local}
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
trap 'kill "${pids[@]}" 2>/dev/null || true; chmod -R u+w "$work"; rm -rf "$work"' EXIT
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
start_server dvc
start_server mlops

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
ratio() { echo "scale=2; $1 / $2" | bc; }
wipe() { rm -rf "$1/.dvc/cache" "$1/.dvc/tmp" "$1/data" "$1/big.bin"; }
row() { printf '%-34s %10.2f %10.2f %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
objects() { # side kind: the number of objects on that side's remote
  if [ "$2" = gs ]; then
    local endpoint_var="endpoint_$1"
    curl -sf "${!endpoint_var}/storage/v1/b/bench/o?prefix=$1/&fields=items(name),nextPageToken&maxResults=100000" \
      | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("items", [])))'
  else
    find "$work/remote-$1" -type f | wc -l
  fi
}

for kind in $remotes; do
  for side in dvc mlops; do
    chmod -R u+w "$work/$side" 2>/dev/null || true
    rm -rf "$work/$side" "$work/remote-$side"
    cp -a "$work/seed" "$work/$side"
    if [ "$kind" = gs ]; then
      endpoint_var="endpoint_$side"
      (cd "$work/$side" && "$dvc" remote add -q -d store "gs://bench/$side" \
        && "$dvc" remote modify store endpointurl "${!endpoint_var}" && "$dvc" remote modify store allow_anonymous_login true)
    else
      (cd "$work/$side" && "$dvc" remote add -q -d store "$work/remote-$side")
    fi
  done
  push_dvc=$(cd "$work/dvc" && t "$dvc" push -j "$jobs")
  push_mlops=$(cd "$work/mlops" && t mlops push --jobs "$jobs")
  wipe "$work/dvc"
  wipe "$work/mlops"
  pull_dvc=$(cd "$work/dvc" && t "$dvc" pull -j "$jobs")
  pull_mlops=$(cd "$work/mlops" && t mlops pull --jobs "$jobs")
  noop_push_dvc=$(cd "$work/dvc" && t "$dvc" push -j "$jobs")
  noop_push_mlops=$(cd "$work/mlops" && t mlops push --jobs "$jobs")
  noop_pull_dvc=$(cd "$work/dvc" && t "$dvc" pull -j "$jobs")
  noop_pull_mlops=$(cd "$work/mlops" && t mlops pull --jobs "$jobs")

  same=identical
  diff -rq "$work/dvc/data" "$work/mlops/data" >/dev/null && cmp -s "$work/dvc/big.bin" "$work/mlops/big.bin" \
    && cmp -s "$work/seed/big.bin" "$work/mlops/big.bin" || same=DIFFERENT

  echo
  printf '%-34s %10s %10s %8s\n' "$kind remote ($files files + $big_mb MB, jobs $jobs)" "dvc s" "mlops s" "ratio"
  row "push" "$push_dvc" "$push_mlops"
  row "pull (fetch + checkout)" "$pull_dvc" "$pull_mlops"
  row "push again (all up to date)" "$noop_push_dvc" "$noop_push_mlops"
  row "pull again (all up to date)" "$noop_pull_dvc" "$noop_pull_mlops"
  echo "objects on the remote: dvc $(objects dvc "$kind"), mlops $(objects mlops "$kind"); pulled workspaces: $same"
done
