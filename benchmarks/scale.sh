#!/usr/bin/env bash
# Benchmark (not a test): how `mlops add` and a no-op `mlops status` grow with the number of files, and their peak
# memory. For each count: seconds, microseconds per file and peak RSS (from /usr/bin/time), so linear growth shows as
# a flat µs/file column. WITH_DVC=1 runs real DVC on the same files too (slow above 100,000 files).
#
#   benchmarks/scale.sh [COUNT ...]      (default 10000 70000 300000 1000000)
#
# Needs ./mvnw -B install -DskipTests (the mlops command). 1,000,000 tiny files take about 4 GB of disk with their
# cache copies, in a temporary directory under /var/tmp.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- 10000 70000 300000 1000000
cli="$root/mlops-cli/target/mlops/bin/mlops"
[ -x "$cli" ] || { echo "no $cli: run ./mvnw -B install -DskipTests first" >&2; exit 1; }
dvc="$root/.venv/bin/dvc"
export DVC_NO_ANALYTICS=1 DVC_NO_UPDATER=1

work=$(mktemp -d /var/tmp/mlops-scale.XXXXXX)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
t() { # CMD...: "seconds peak-RSS-MB"
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$work/time"
}
printf '%-8s %-10s %10s %10s %10s\n' tool work files seconds "µs/file" | sed 's/$/   peak RSS MB/'
line() { # tool work n "s rss"
  local s rss
  read -r s rss <<<"$4"
  printf '%-8s %-10s %10d %10.2f %10.1f %10s\n' "$1" "$2" "$3" "$s" "$(echo "$s * 1000000 / $3" | bc -l)" "$rss"
}
for n in "$@"; do
  rm -rf "$work/repo"
  mkdir -p "$work/repo"
  # tiny files, 1,000 per directory, as a dataset of samples would be
  python3 - "$work/repo/data" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"{i // 1000:04d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:07d}.txt"), "w") as f:
        f.write(f"{i}\n")
PY
  (cd "$work/repo" && git init -q && "$cli" init -q >/dev/null 2>&1 || "$dvc" init -q)
  [ "${WITH_DVC:-0}" = 1 ] && cp -r "$work/repo" "$work/dvc"
  line mlops add "$n" "$(cd "$work/repo" && t "$cli" add data)"
  line mlops status "$n" "$(cd "$work/repo" && t "$cli" status)"
  if [ "${WITH_DVC:-0}" = 1 ]; then
    line dvc add "$n" "$(cd "$work/dvc" && t "$dvc" add data)"
    line dvc status "$n" "$(cd "$work/dvc" && t "$dvc" status)"
    cmp -s "$work/dvc/data.dvc" "$work/repo/data.dvc" || echo "data.dvc DIFFERS from DVC's for $n files"
    chmod -R u+w "$work/dvc"; rm -rf "$work/dvc"
  fi
  chmod -R u+w "$work/repo"
done
