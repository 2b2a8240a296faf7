#!/usr/bin/env bash
# Serve the browser demo on 127.0.0.1 (`make demo` builds the package first, then runs this).
#
#   bash web-demo/serve.sh [PORT]      # PORT defaults to $PORT, then 8080
#
# The page imports the npm package's simulator entry as ./pkg/sim.js: at startup web-demo/pkg is
# (re)made a symlink to wasm/pkg, so only web-demo/ is served and the page always gets the
# current build; web-demo/node_modules holds the chart library (installed below when missing).
# Python's http.server serves .wasm as application/wasm.
set -euo pipefail

DEMO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$DEMO/.." && pwd)"
PORT="${1:-${PORT:-8080}}"

if [ ! -f "$ROOT/wasm/pkg/sim.js" ]; then
    echo "serve.sh: wasm/pkg is missing: build the package first (make demo, or bash wasm/build.sh)" >&2
    exit 1
fi
ln -sfn ../wasm/pkg "$DEMO/pkg"

# The page's own dependency (uPlot draws the charts: a well-kept library, not hand-written SVG) is
# served from web-demo/node_modules: install it from the committed lock file on a fresh clone.
if [ ! -f "$DEMO/node_modules/uplot/dist/uPlot.esm.js" ]; then
    echo "serve.sh: npm ci (web-demo: the chart library)" >&2
    (cd "$DEMO" && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "gigmarket demo: http://127.0.0.1:${PORT}/  (Ctrl-C stops it)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$DEMO"
