#!/bin/sh
# train LR EPOCHS TRAIN_CSV MODEL_DIR: fits y = w*x + b by gradient descent; writes the weights.
set -eu
lr=$1 epochs=$2 data=$3 out=$4
mkdir -p "$out"
awk -F, -v lr="$lr" -v epochs="$epochs" -v out="$out" '
  { x[NR] = $1; y[NR] = $2 }
  END {
    w = 0; b = 0
    for (e = 1; e <= epochs; e++) {
      gw = 0; gb = 0
      for (i = 1; i <= NR; i++) { err = w * x[i] + b - y[i]; gw += err * x[i]; gb += err }
      w -= lr * gw / NR; b -= lr * gb / NR
      loss = 0
      for (i = 1; i <= NR; i++) { err = w * x[i] + b - y[i]; loss += err * err }
      printf "%d,%.6f\n", e, loss / NR > (out "/history.csv")
    }
    printf "w=%.6f\nb=%.6f\n", w, b > (out "/weights.txt")
  }' "$data"
