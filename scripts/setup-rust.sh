#!/usr/bin/env bash
# Install what the wasm build needs, once per machine: the wasm32 target and the wasm-bindgen CLI
# at exactly the version the crate pins (they must match).
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(grep -Eo 'wasm-bindgen = "=[0-9.]+"' Cargo.toml | grep -Eo '[0-9]+\.[0-9]+\.[0-9]+' || true)
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if [ -n "$want" ]; then
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    echo "installing wasm-bindgen-cli $want (once per machine, about 3 minutes)"
    # Not --locked: one of the CLI's locked dependencies was yanked from crates.io.
    cargo install wasm-bindgen-cli --version "$want" -j 2
  fi
fi
