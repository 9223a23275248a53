#!/bin/sh
# evaluate MODEL_DIR TEST_CSV OUT_DIR: mean squared error of the model on the test rows.
set -eu
model=$1 data=$2 out=$3
mkdir -p "$out"
w=$(sed -n 's/^w=//p' "$model/weights.txt")
b=$(sed -n 's/^b=//p' "$model/weights.txt")
awk -F, -v w="$w" -v b="$b" '
  { err = w * $1 + b - $2; se += err * err }
  END { printf "{\"mse\": %.6f, \"n\": %d}\n", se / NR, NR }' "$data" > "$out/metrics.json"
