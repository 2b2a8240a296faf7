#!/usr/bin/env bash
# Build the npm package `gigmarket` into wasm/pkg/ from the crate gigmarket-wasm.
#
#   wasm/build.sh            # from anywhere; idempotent
#
# Steps: make sure the wasm32 target and the matching wasm-bindgen CLI are installed; build two
# release modules (pkg/market: the engine; pkg/sim: the engine with the simulator), run wasm-bindgen
# (web target) on each, shrink each .wasm with binaryen's wasm-opt (the npm package, see
# wasm/tools/); copy the entry modules (wasm/js: index.js, sim.js, ...), write pkg/package.json,
# copy the README, REPUTATION.md and the licences. Set CARGO_BUILD_JOBS to limit cargo.
set -euo pipefail

WASM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$WASM_DIR/.." && pwd)"
PKG="$WASM_DIR/pkg"
TARGET=wasm32-unknown-unknown
CRATE=gigmarket-wasm
OUT_NAME=gigmarket
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '[build.sh] %s\n' "$*" >&2; }

# 1. The rustup target.
if ! rustup target list --installed | grep -qx "$TARGET"; then
    log "adding rustup target $TARGET"
    rustup target add "$TARGET"
fi

# 2. The wasm-bindgen CLI, at exactly the version of the wasm-bindgen crate in Cargo.lock.
BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
if [ -z "$BINDGEN_VERSION" ]; then
    log "cannot find the wasm-bindgen version in Cargo.lock"; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $BINDGEN_VERSION" ]; then
    # Not --locked: the CLI's own lock file pins a dependency version that was yanked.
    log "installing wasm-bindgen-cli $BINDGEN_VERSION (a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION" --force
fi

# 3. wasm-opt from the npm package binaryen (Debian's binaryen 108 miscompiles these modules).
WASM_OPT="$WASM_DIR/tools/node_modules/.bin/wasm-opt"
if [ ! -x "$WASM_OPT" ]; then
    log "installing binaryen (npm) into wasm/tools"
    (cd "$WASM_DIR/tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

# 4. Two release modules from one crate: the market alone (what a frontend loads), and the market
#    with the simulator and the autopilot (`gigmarket/sim`, loaded only by hosts that use it).
WASM="$ROOT/target/$TARGET/release/${CRATE//-/_}.wasm"
rm -rf "$PKG"
mkdir -p "$PKG"
for pair in market: sim:--features=sim; do
    dir="$PKG/${pair%%:*}" features="${pair#*:}"
    log "cargo build --release --target $TARGET -p $CRATE $features"
    (cd "$ROOT" && cargo build --release --target "$TARGET" -p "$CRATE" $features)
    # 5. Bindings: wasm-bindgen's `web` target (plain ES modules) serves Node, browsers and
    #    bundlers alike through the package's own entry modules (js/index.js, js/sim.js).
    wasm-bindgen --target web --out-dir "$dir" --out-name "$OUT_NAME" "$WASM"
    "$WASM_OPT" -Oz "$dir/${OUT_NAME}_bg.wasm" -o "$dir/${OUT_NAME}_bg.wasm"
    # The JS snippets (MarketError, the encoder) are shared by both builds and the entry modules,
    # so that `instanceof MarketError` holds whichever module threw: point the glue at the one
    # copy in the package root.
    sed -i -E "s#'\./snippets/[^']*/js/([a-z_]+\.js)'#'../\1'#" "$dir/$OUT_NAME.js"
    grep -q "snippets/" "$dir/$OUT_NAME.js" && { log "a snippet import was not rewritten"; exit 1; }
    rm -rf "$dir/snippets"
    # wasm-bindgen declares the re-exported MarketError class as `unknown` (the crate supplies the
    # real declaration in a typescript_custom_section), and declares its own init functions, which
    # the entries replace with one `init`: drop both from the declarations.
    sed -i '/^export let MarketError: unknown;$/d' "$dir/$OUT_NAME.d.ts"
    sed -i '/^export type InitInput = /,$d' "$dir/$OUT_NAME.d.ts"
    grep -q '^export class MarketError extends Error' "$dir/$OUT_NAME.d.ts" || { log "MarketError declaration missing"; exit 1; }
    # Per-variant docs from the Rust sources into the declarations (tsify drops them), and the
    # runtime lists (COMMAND_TYPES, EVENT_TYPES, ERROR_CODES) read off the generated unions.
    node "$WASM_DIR/tools/dts.mjs" "$dir/$OUT_NAME.d.ts" "$dir"
done

# 6. The entry modules and their declarations, package.json, README, licences.
cp "$WASM_DIR"/js/*.js "$WASM_DIR"/js/*.d.ts "$PKG/"
VERSION="$(cd "$ROOT" && cargo metadata --no-deps --format-version 1 \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).packages.find(p=>p.name==="gigmarket-wasm");process.stdout.write(p.version)})')"
LICENSE="$(cd "$ROOT" && cargo metadata --no-deps --format-version 1 \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).packages.find(p=>p.name==="gigmarket-wasm");process.stdout.write(p.license||"")})')"
VERSION="$VERSION" LICENSE="$LICENSE" OUT_NAME="$OUT_NAME" node - "$PKG/package.json" <<'EOF2'
const fs = require('node:fs');
const out = process.env.OUT_NAME;
const entry = (name) => ({ types: `./${name}.d.ts`, default: `./${name}.js` });
const pkg = {
  name: 'gigmarket',
  version: process.env.VERSION,
  description: 'A deterministic marketplace engine for AI-agent micro-tasks, compiled to WebAssembly',
  license: process.env.LICENSE,
  keywords: ['marketplace', 'ai-agents', 'reputation', 'matching', 'webassembly'],
  // ES modules only, one build for every host: `await init()` starts it in Node, browsers,
  // bundlers and test runners. Node 20.19+ and 22.12+ can also `require()` it (no top-level await).
  type: 'module',
  main: './index.js',
  types: './index.d.ts',
  exports: {
    '.': entry('index'),
    './sim': entry('sim'),
    './worker': entry('worker'),
    // For bundlers that need the module's URL handed to `init` (esbuild's `file` loader).
    './market.wasm': `./market/${out}_bg.wasm`,
    './sim.wasm': `./sim/${out}_bg.wasm`,
    './package.json': './package.json',
  },
  sideEffects: false,
  files: ['*.js', '*.d.ts', 'market/', 'sim/', 'README.md', 'REPUTATION.md', 'LICENSE*'],
  engines: { node: '>=18' },
};
fs.writeFileSync(process.argv[2], JSON.stringify(pkg, null, 2) + '\n');
EOF2
cp "$WASM_DIR/README.md" "$PKG/README.md"
cp "$ROOT/REPUTATION.md" "$PKG/REPUTATION.md"
for f in "$ROOT"/LICENSE*; do [ -e "$f" ] && cp "$f" "$PKG/"; done

# 7. Sizes.
for dir in market sim; do
    RAW=$(stat -c %s "$PKG/$dir/${OUT_NAME}_bg.wasm")
    GZ=$(gzip -9 -c "$PKG/$dir/${OUT_NAME}_bg.wasm" | wc -c)
    log "gigmarket $VERSION $dir module: ${RAW} bytes raw, ${GZ} bytes gzipped"
done
