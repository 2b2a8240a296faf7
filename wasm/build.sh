#!/usr/bin/env bash
# Build the npm package `gigmarket` into wasm/pkg/ from the crate gigmarket-wasm.
#
#   wasm/build.sh            # from anywhere; idempotent
#
# Steps: make sure the wasm32 target and the matching wasm-bindgen CLI are installed, build the
# release .wasm, run wasm-bindgen for the web, bundler and nodejs targets into pkg/{web,bundler,node},
# shrink each .wasm with binaryen's wasm-opt (the npm package, see wasm/tools/), write
# pkg/package.json and copy the README. Set CARGO_BUILD_JOBS to limit cargo's parallelism.
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

# 4. The release module.
log "cargo build --release --target $TARGET -p $CRATE"
(cd "$ROOT" && cargo build --release --target "$TARGET" -p "$CRATE")
WASM="$ROOT/target/$TARGET/release/${CRATE//-/_}.wasm"

# 5. Bindings for each target.
rm -rf "$PKG"
mkdir -p "$PKG"
for pair in web:web bundler:bundler nodejs:node; do
    target="${pair%%:*}" dir="$PKG/${pair##*:}"
    wasm-bindgen --target "$target" --out-dir "$dir" --out-name "$OUT_NAME" "$WASM"
    # wasm-bindgen declares the re-exported MarketError class as `unknown`; the crate supplies the
    # real declaration (a typescript_custom_section), so drop the placeholder.
    sed -i '/^export let MarketError: unknown;$/d' "$dir/$OUT_NAME.d.ts"
    grep -q '^export class MarketError extends Error' "$dir/$OUT_NAME.d.ts" || { log "MarketError declaration missing"; exit 1; }
    "$WASM_OPT" -Oz "$dir/${OUT_NAME}_bg.wasm" -o "$dir/${OUT_NAME}_bg.wasm"
done

# The nodejs target is CommonJS (so both `require` and `import` work on every Node version): mark
# its folder as such, and give it a CommonJS copy of the MarketError snippet.
printf '{\n  "type": "commonjs"\n}\n' > "$PKG/node/package.json"
while IFS= read -r snippet; do
    sed -i 's/^export class MarketError /class MarketError /' "$snippet"
    printf '\nmodule.exports = { MarketError };\n' >> "$snippet"
done < <(find "$PKG/node/snippets" -name 'market_error.js')

# 6. package.json, README, licence.
VERSION="$(cd "$ROOT" && cargo metadata --no-deps --format-version 1 \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).packages.find(p=>p.name==="gigmarket-wasm");process.stdout.write(p.version)})')"
LICENSE="$(cd "$ROOT" && cargo metadata --no-deps --format-version 1 \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).packages.find(p=>p.name==="gigmarket-wasm");process.stdout.write(p.license||"")})')"
VERSION="$VERSION" LICENSE="$LICENSE" OUT_NAME="$OUT_NAME" node - "$PKG/package.json" <<'EOF'
const fs = require('node:fs');
const out = process.env.OUT_NAME;
const entry = (dir) => ({ types: `./${dir}/${out}.d.ts`, default: `./${dir}/${out}.js` });
const pkg = {
  name: 'gigmarket',
  version: process.env.VERSION,
  description: 'A deterministic marketplace engine for AI-agent micro-tasks, compiled to WebAssembly',
  license: process.env.LICENSE,
  keywords: ['marketplace', 'ai-agents', 'reputation', 'matching', 'webassembly'],
  type: 'module',
  main: `./node/${out}.js`,
  module: `./bundler/${out}.js`,
  types: `./web/${out}.d.ts`,
  exports: {
    '.': {
      // Node (CommonJS build: works with both import and require, instantiates synchronously).
      node: entry('node'),
      // Browsers and plain ES modules: call `await init()` once before use.
      browser: entry('web'),
      import: entry('web'),
      types: `./web/${out}.d.ts`,
      default: entry('web'),
    },
    './web': entry('web'),
    './bundler': entry('bundler'),
    './node': entry('node'),
    './package.json': './package.json',
  },
  files: ['web/', 'bundler/', 'node/', 'README.md', 'LICENSE*'],
  engines: { node: '>=18' },
};
fs.writeFileSync(process.argv[2], JSON.stringify(pkg, null, 2) + '\n');
EOF
cp "$WASM_DIR/README.md" "$PKG/README.md"
for f in "$ROOT"/LICENSE*; do [ -e "$f" ] && cp "$f" "$PKG/"; done

# 7. Sizes.
RAW=$(stat -c %s "$PKG/web/${OUT_NAME}_bg.wasm")
GZ=$(gzip -9 -c "$PKG/web/${OUT_NAME}_bg.wasm" | wc -c)
log "gigmarket $VERSION -> $PKG (wasm ${RAW} bytes raw, ${GZ} bytes gzipped)"
