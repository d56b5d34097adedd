#!/bin/bash
# Speed-up of one training workload under each executor (docs/spark.md, "Measured"): wall time of the whole
# command, then a byte comparison of every store with the first. Usage: docs/speedup.sh [SCRATCH_DIR]
# (default /tmp/speedup). Build first (./rnnatlas --version; ./rnnatlas train --executor spark --help builds Spark).
set -e
cd "$(dirname "$0")/.."
export RNNATLAS_NO_BUILD=1
W="--task flipflop --cell vanilla,gru --activation tanh --units 64 --seeds 0..3 --iterations 1200 --optimizer adam --lr 0.01"
out=${1:-/tmp/speedup}; mkdir -p "$out"; rm -rf "$out"/s-*
t() { local name=$1; shift; local s=$(date +%s.%N); "$@" > $out/$name.log 2>&1; local e=$(date +%s.%N); awk -v n="$name" -v s="$s" -v e="$e" -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN { printf "%-20s %6.1f s  (load %s)\n", n, e - s, l }'; }
t local-threads1 ./rnnatlas train $W --threads 1 --out $out/s-local1
t local-threads2 ./rnnatlas train $W --threads 2 --out $out/s-local2
t spark-local1   ./rnnatlas train $W --master 'local[1]' --out $out/s-spark1
t spark-local2   ./rnnatlas train $W --master 'local[2]' --out $out/s-spark2
executors/spark/bin/standalone-cluster start 2 4g > $out/cluster.log 2>&1
export SPARK_LOCAL_IP=127.0.0.1
t standalone-cores1 ./rnnatlas train $W --master spark://127.0.0.1:7077 --executor-option spark.cores.max=1 --out $out/s-sa1
t standalone-cores2 ./rnnatlas train $W --master spark://127.0.0.1:7077 --executor-option spark.cores.max=2 --out $out/s-sa2
executors/spark/bin/standalone-cluster stop >> $out/cluster.log 2>&1
for d in s-local2 s-spark1 s-spark2 s-sa1 s-sa2; do
  if diff -r -q -x run.json -x runs.log $out/s-local1 $out/$d > /dev/null; then echo "$d: identical to s-local1"; else echo "$d: DIFFERS"; fi
done
