#!/usr/bin/env bash
# Benchmark (not a test): hash a directory of many small files and run a no-op status, with the plugin's
# engine and with real DVC on identical copies. Prints seconds and the ratio DVC / mlops (above 1: we are faster).
#
#   benchmarks/hash-status.sh [FILES]      (default 70000; needs ./mvnw install -DskipTests and .venv with DVC)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-70000}
dvc="$root/.venv/bin/dvc"
[ -x "$dvc" ] || { echo "no DVC at $dvc: run ./mvnw verify once (it creates .venv) or .ci/run" >&2; exit 1; }
export DVC_NO_ANALYTICS=1

cli="$root/mlops-cli/target/mlops/bin/mlops"   # the installable command, made by ./mvnw install -DskipTests
[ -x "$cli" ] || { echo "no $cli: run ./mvnw -B install -DskipTests first" >&2; exit 1; }
mlops() { "$cli" "$@"; }

work=$(mktemp -d /var/tmp/mlops-bench.XXXXXX)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
echo "generating $files files in $work ..."
python3 - "$work/seed/data" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"{i % 100:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:06d}.txt"), "w") as f:
        f.write(f"sample {i}\n" * (1 + i % 7))
PY
for side in dvc mlops; do
  mkdir -p "$work/$side" && cp -r "$work/seed/data" "$work/$side/data"
  (cd "$work/$side" && git init -q && "$dvc" init -q)
done

t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
ratio() { echo "scale=2; $1 / $2" | bc; }

add_dvc=$(cd "$work/dvc" && t "$dvc" add data)
add_mlops=$(cd "$work/mlops" && t mlops add data)
cmp -s "$work/dvc/data.dvc" "$work/mlops/data.dvc" && same=identical || same=DIFFERENT
st_dvc=$(cd "$work/dvc" && t "$dvc" status)
st_mlops=$(cd "$work/mlops" && t mlops status)

printf '%-28s %10s %10s %8s\n' "($files files)" "dvc s" "mlops s" "ratio"
printf '%-28s %10.2f %10.2f %8s\n' "add (hash + cache)" "$add_dvc" "$add_mlops" "$(ratio "$add_dvc" "$add_mlops")"
printf '%-28s %10.2f %10.2f %8s\n' "no-op status" "$st_dvc" "$st_mlops" "$(ratio "$st_dvc" "$st_mlops")"
echo ".dvc files: $same"
