#!/usr/bin/env bash
# Benchmark (not a test): the workspace operations of mlops and of real DVC 3.67.1 on identical copies, in one run:
#   - the machine's MD5 limit (MessageDigest on all cores, data in memory) and `add` of 1 GB in 4 files against it
#   - `add` of FILES small files (hash + cache), no-op `status` and `repro`, `checkout` into an empty workspace
#   - no-op `status` through Maven (`mvn -B -q mlops:status`, Maven's start-up included) and bare `mvn -B -q validate`
# Prints seconds, the ratio DVC / mlops (above 1: we are faster) and peak RSS, and checks that both sides wrote the
# same .dvc and dvc.lock files.
#
#   benchmarks/workspace.sh [FILES] [BIG_MB]     (default 70000 1000)
#
# Needs ./mvnw -B install -DskipTests (the mlops command and the plugin in ~/.m2) and .venv with DVC (./mvnw verify
# or .ci/run make it). Use a quiet machine: other work on the same cores skews both sides.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-70000}
big_mb=${2:-1000}
dvc="$root/.venv/bin/dvc"
[ -x "$dvc" ] || { echo "no DVC at $dvc: run ./mvnw verify once (it creates .venv) or .ci/run" >&2; exit 1; }
export DVC_NO_ANALYTICS=1 DVC_NO_UPDATER=1
cli="$root/mlops-cli/target/mlops/bin/mlops"
[ -x "$cli" ] || { echo "no $cli: run ./mvnw -B install -DskipTests first" >&2; exit 1; }
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)

work=$(mktemp -d /var/tmp/mlops-bench.XXXXXX)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# --- the machine's MD5 limit -------------------------------------------------------------------------------------
cat >"$work/Md5Limit.java" <<'JAVA'
import java.security.MessageDigest;
import java.util.concurrent.*;
public class Md5Limit {
  public static void main(String[] a) throws Exception {
    int threads = Runtime.getRuntime().availableProcessors();
    byte[] buf = new byte[64 << 20];
    new java.util.Random(1).nextBytes(buf);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int round = 0; round < 2; round++) { // the first round warms up
      long t0 = System.nanoTime();
      java.util.List<Future<?>> fs = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          MessageDigest md = MessageDigest.getInstance("MD5");
          for (int i = 0; i < 8; i++) { md.update(buf, 0, buf.length); }
          return md.digest();
        }));
      }
      for (Future<?> f : fs) { f.get(); }
      double s = (System.nanoTime() - t0) / 1e9;
      if (round == 1) { System.out.printf("%.0f%n", threads * 8 * 64 / s); }
    }
    pool.shutdown();
  }
}
JAVA
md5_limit=$(java "$work/Md5Limit.java")

# --- data ---------------------------------------------------------------------------------------------------------
echo "generating $files small files and $big_mb MB in 4 files in $work ..." >&2
python3 - "$work/seed" "$files" "$big_mb" <<'PY'
import os, random, sys
root, n, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    d = os.path.join(root, "data", f"{i % 100:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:06d}.txt"), "w") as f:
        f.write(f"sample {i}\n" * (1 + i % 7))
rnd = random.Random(7)
os.makedirs(os.path.join(root, "big"), exist_ok=True)
for k in range(4):
    with open(os.path.join(root, "big", f"part{k}.bin"), "wb") as f:
        for _ in range(mb // 4):
            f.write(rnd.randbytes(1 << 20))
with open(os.path.join(root, "dvc.yaml"), "w") as f:
    f.write("stages:\n  count:\n    cmd: find data -type f | wc -l > count.txt\n    deps: [data]\n    outs: [count.txt]\n")
PY
cat >"$work/seed/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>bench</artifactId><version>1</version><packaging>pom</packaging>
  <build><plugins><plugin>
    <groupId>io.mlops</groupId><artifactId>mlops-maven-plugin</artifactId><version>$version</version>
  </plugin></plugins></build>
</project>
POM
for side in dvc mlops; do
  cp -r "$work/seed" "$work/$side"
  (cd "$work/$side" && git init -q && "$dvc" init -q)
done
# DVC keeps its hash state in its site cache directory (by default /var/tmp/dvc/repo/<hash>): one of our own, to
# be able to remove it as ours (.dvc/tmp) is removed
(cd "$work/dvc" && "$dvc" config -q core.site_cache_dir "$work/dvc-site")

# --- runs ---------------------------------------------------------------------------------------------------------
# t CMD...: runs it quietly, prints "seconds peak-RSS-MB"; a failure stops the benchmark with the command's output
# (after a sync: the writeback of what was written before, the generated data above all, would otherwise land in
# whichever command runs next; in one run of 70,000 files it doubled the time of the 1 GB rows)
t() {
  sync
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$work/time"
}
rows=()
row() { # name dvc-"s rss" mlops-"s rss"
  local ds dr ms mr
  read -r ds dr <<<"$2"
  read -r ms mr <<<"$3"
  rows+=("$(printf '%-36s %9.2f %9.2f %7s %9s %9s' "$1" "$ds" "$ms" "$(echo "scale=2; $ds / $ms" | bc)" "$dr" "$mr")")
}
side() { cd "$work/$1"; }

row "add $big_mb MB in 4 files" "$(side dvc && t "$dvc" add big)" "$(side mlops && t "$cli" add big)"
# hashing alone: add again, the objects in the cache already; first with the hash state (the command's fixed
# cost), then with no hash state on either side, so both re-read and hash the 1 GB (page cache warm)
row "add $big_mb MB again (hash state)" "$(side dvc && t "$dvc" add big)" "$(side mlops && t "$cli" add big)"
rm -rf "$work/dvc-site" "$work/mlops/.dvc/tmp"
row "add $big_mb MB again (no hash state)" "$(side dvc && t "$dvc" add big)" "$(side mlops && t "$cli" add big)"
row "add $files small files" "$(side dvc && t "$dvc" add data)" "$(side mlops && t "$cli" add data)"
# both sides once, not timed: the state of a fresh add is warm on both
(side dvc && "$dvc" status >/dev/null && "$dvc" repro -q >/dev/null)
(side mlops && "$cli" status >/dev/null && "$cli" repro >/dev/null)
row "no-op status" "$(side dvc && t "$dvc" status)" "$(side mlops && t "$cli" status)"
row "no-op repro" "$(side dvc && t "$dvc" repro)" "$(side mlops && t "$cli" repro)"
# Maven resolves the plugin once (online if needed), then runs offline as a CI job with a warm ~/.m2 does
(side mlops && "$root/mvnw" -B -q validate mlops:help >/dev/null)
mvn_validate=$(side mlops && t "$root/mvnw" -B -q -o validate)
row "no-op status through Maven" "$(side dvc && t "$dvc" status)" "$(side mlops && t "$root/mvnw" -B -q -o mlops:status)"
rm -rf "$work/dvc/data" "$work/mlops/data"
row "checkout $files files (empty workspace)" "$(side dvc && t "$dvc" checkout)" "$(side mlops && t "$cli" checkout)"

same=identical
for f in data.dvc big.dvc dvc.lock; do cmp -s "$work/dvc/$f" "$work/mlops/$f" || same="DIFFERENT ($f)"; done
diff -rq "$work/dvc/data" "$work/mlops/data" >/dev/null || same="DIFFERENT (checked out data)"

printf '%-36s %9s %9s %7s %9s %9s\n' "($files files, $(nproc) cores)" "dvc s" "mlops s" "ratio" "dvc MB" "mlops MB"
printf '%s\n' "${rows[@]}"
big_s=$(echo "${rows[0]}" | awk '{print $(NF-3)}')
fixed_s=$(echo "${rows[1]}" | awk '{print $(NF-3)}')
rehash_s=$(echo "${rows[2]}" | awk '{print $(NF-3)}')
hash_s=$(echo "$rehash_s - $fixed_s" | bc -l)
printf 'MD5 limit of this machine: %s MB/s. mlops hashing of %s MB: %.0f MB/s = %.0f %% of the limit (the add with no '\
'hash state less the one with it: %.2f s); %.0f MB/s = %.0f %% counting the whole command (JVM start included); add '\
'(hash + copy into the cache): %.0f MB/s\n' "$md5_limit" "$big_mb" "$(echo "$big_mb / $hash_s" | bc -l)" \
  "$(echo "100 * $big_mb / $hash_s / $md5_limit" | bc -l)" "$hash_s" "$(echo "$big_mb / $rehash_s" | bc -l)" \
  "$(echo "100 * $big_mb / $rehash_s / $md5_limit" | bc -l)" "$(echo "$big_mb / $big_s" | bc -l)"
printf 'bare Maven (mvn -B -q -o validate on the same pom): %s s\n' "${mvn_validate% *}"
echo ".dvc files, dvc.lock and checked-out data: $same"
