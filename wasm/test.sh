#!/usr/bin/env bash
# Tests of the npm package, from anywhere (`make test` calls this after wasm/build.sh):
#   1. #[wasm_bindgen_test] boundary tests under Node (cargo test --target wasm32-unknown-unknown);
#   2. node --test in tests/js against the built package: lifecycle, every error shape, garbage
#      input, snapshots, a 12 000-step determinism check against the native runner
#      (wasm/examples/script.rs), and the packed tarball in a fresh folder (esbuild bundle of the
#      `bundler` entry, plain Node ESM, require, the web build);
#   3. tsc --noEmit over tests/js/types (the generated declarations, with @ts-expect-error lines).
# Builds the package first when wasm/pkg is missing. Set CARGO_BUILD_JOBS to limit cargo.
set -euo pipefail

WASM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$WASM_DIR/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '[test.sh] %s\n' "$*" >&2; }

if [ ! -f "$WASM_DIR/pkg/package.json" ]; then
    log "wasm/pkg missing: building it"
    bash "$WASM_DIR/build.sh"
fi

cd "$ROOT"
log "wasm-bindgen tests under Node"
cargo test --target wasm32-unknown-unknown -p gigmarket-wasm --features sim

log "native script runner for the determinism test"
cargo build -p gigmarket-wasm --example script
RUNNER="$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).target_directory))')/debug/examples/script"

cd "$ROOT/tests/js"
log "npm ci (tests/js)"
npm ci --no-audit --no-fund --loglevel=error

log "node --test"
GIGMARKET_SCRIPT_RUNNER="$RUNNER" node --test

log "tsc over the package's types"
npx --no-install tsc -p types
log "all package tests passed"
