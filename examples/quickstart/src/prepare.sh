#!/bin/sh
# prepare SPLIT RAW_DIR OUT_DIR: splits every CSV row of RAW_DIR into train/test by position.
set -eu
split=$1 raw=$2 out=$3
mkdir -p "$out"
cat "$raw"/*.csv | awk -F, -v frac="$split" -v tr="$out/train.csv" -v te="$out/test.csv" '
  { rows[NR] = $0 }
  END { n = int(NR * frac); for (i = 1; i <= NR; i++) print rows[i] > (i <= n ? tr : te) }'
