#!/usr/bin/env bash
# Runs `hesspec bench` on a GPU machine with TensorFlow Java's CUDA natives (Maven profile `gpu`).
# Requirements there: the NVIDIA driver, CUDA 12 runtime libraries and cuDNN 9 (what TensorFlow Java 1.1.0's GPU natives are built against),
# Java 17 and Maven with access to Maven Central (the GPU natives are a ~526 MB jar).
# TensorFlow places the products' ops on the first visible GPU by itself (soft placement on).
#   bench/gpu.sh [WORKLOAD ...]        e.g. bench/gpu.sh mlp cnn
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v nvidia-smi >/dev/null || { echo "gpu.sh: nvidia-smi not found: no NVIDIA driver on this machine" >&2; exit 2; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
if ! ldconfig -p | grep -q 'libcudart.so.12'; then
  found=$(ldconfig -p | grep -o 'libcudart.so[.0-9]*' | sort -u | tr '\n' ' ')
  echo "gpu.sh: libcudart.so.12 not found (found: ${found:-none}); TensorFlow 2.18's GPU natives need CUDA 12 and cuDNN 9" >&2
  exit 2
fi
ldconfig -p | grep -q 'libcudnn.so.9' || { echo "gpu.sh: libcudnn.so.9 not found; cuDNN 9 is needed" >&2; exit 2; }
command -v java >/dev/null || { echo "gpu.sh: java not found (Java 17 is needed)" >&2; exit 2; }
# Build with the GPU natives (never both on the class path) and force a fresh launcher build.
rm -rf experiments/target/lib   # drop the CPU natives copied by an earlier build
mvn -B -q -DskipTests -Pgpu package
touch experiments/target/.hesspec-built
export TF_CPP_MIN_LOG_LEVEL=1   # keep TensorFlow's device-placement lines
./hesspec bench --no-peer --out results/bench/bench-gpu.csv "$@" 2>&1 | tee results/bench/bench-gpu.log
grep -E "Created device .*GPU|/device:GPU" results/bench/bench-gpu.log >/dev/null \
  && echo "gpu.sh: TensorFlow created a GPU device" \
  || echo "gpu.sh: WARNING: no GPU device line in the log; the products may have run on the CPU" >&2
# The mini-batch sum split across every visible GPU (cluster: {devices: gpus}) against one device.
ngpu=$(nvidia-smi --list-gpus | wc -l)
if [ "$ngpu" -gt 1 ]; then
  ./hesspec run experiments/quickstart.yaml --set cluster.devices=gpus --out results/bench/gpu-split 2>&1 | tail -3
  ./hesspec run experiments/quickstart.yaml --out results/bench/gpu-one 2>&1 | tail -3
fi
