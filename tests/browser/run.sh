#!/usr/bin/env bash
# Browser end-to-end tests of the demo (make test-browser runs this after building the package):
# install playwright-core from the committed lock file, serve web-demo/ on a free 127.0.0.1 port
# with the demo's own serve.sh, run `node --test` against it in headless Debian Chromium, stop the
# server. Screenshots go to tests/artifacts/ (gitignored).
# BROWSER_TESTS: the test files to run (absolute paths, space-separated; default: all of them).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
log() { printf '[browser] %s\n' "$*" >&2; }

if [ ! -x /usr/bin/chromium ]; then
    log "/usr/bin/chromium is missing: run scripts/setup-browser.sh (make test-browser does)"; exit 1
fi
if [ ! -f "$ROOT/wasm/pkg/sim.js" ]; then
    log "wasm/pkg is missing: building it"
    bash "$ROOT/wasm/build.sh"
fi

cd "$HERE"
log "npm ci (tests/browser)"
npm ci --no-audit --no-fund --loglevel=error

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
SERVER_LOG="$(mktemp)"
bash "$ROOT/web-demo/serve.sh" "$PORT" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
cleanup() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    rm -f "$SERVER_LOG"
}
trap cleanup EXIT

# Up to a minute: on a fresh clone serve.sh first installs the demo's chart library (npm ci).
for _ in $(seq 1 300); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/index.html', timeout=1)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        log "the demo server did not start:"; cat "$SERVER_LOG" >&2; exit 1
    fi
    sleep 0.2
done
log "demo served at http://127.0.0.1:$PORT/"

mkdir -p "$ROOT/tests/artifacts"
# One test file at a time: the machine has two cores and each file runs its own Chromium.
status=0
DEMO_URL="http://127.0.0.1:$PORT/" ARTIFACTS="$ROOT/tests/artifacts" node --test --test-concurrency=1 ${BROWSER_TESTS:-"$HERE"/*.test.mjs} || status=$?
if [ -s "$ROOT/tests/artifacts/load-times.jsonl" ]; then
    log "load times:"
    cat "$ROOT/tests/artifacts/load-times.jsonl"
fi
log "screenshots in tests/artifacts/"
exit "$status"
