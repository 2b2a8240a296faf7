#!/usr/bin/env bash
# Compare gigmarket's assignment solvers with scipy on identical seeded matrices.
#
# Creates bench/.venv (numpy + scipy), builds the `assign_bench` example in release mode, then
# runs bench/assign_vs_scipy.py, which prints JSON lines (ratios ours/scipy, absolute ms, and
# `assign_same_optimum`). Extra arguments go to the Python script (e.g. --only dense_200x5000).
#
# Environment:
#   ASSIGN_BENCH_MANIFEST  Cargo manifest to build from (default: the repository's Cargo.toml)
#   BENCH_JOBS             cargo -j value (default 1: the machines have 2 shared cores)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="$here/.venv"
manifest="${ASSIGN_BENCH_MANIFEST:-$root/Cargo.toml}"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c 'import numpy, scipy' 2>/dev/null; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check numpy scipy >&2
fi

cargo build --release -j "${BENCH_JOBS:-1}" --manifest-path "$manifest" \
  -p gigmarket --example assign_bench >&2
target_dir="$(cargo metadata --format-version 1 --no-deps --manifest-path "$manifest" |
  "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"

exec "$venv/bin/python" "$here/assign_vs_scipy.py" \
  --bin "$target_dir/release/examples/assign_bench" "$@"
