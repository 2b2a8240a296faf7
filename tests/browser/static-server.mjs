// A static file server on 127.0.0.1 for browser tests that load the npm package itself rather
// than the demo: `/pkg/…` is wasm/pkg (the built package), and `pages` maps other paths to HTML
// text held by the test. Module workers and `WebAssembly.instantiateStreaming` check the MIME
// type, so .js and .wasm are served with theirs.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';

export const PKG = path.resolve(import.meta.dirname, '../../wasm/pkg');

const TYPES = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
};

/**
 * Start serving on a free port; resolves with `{ url, close }`. Files come from `dir` (the
 * package by default) under the path prefix `at` (`/pkg/` by default; `/` serves a whole site,
 * such as a bundler's output).
 */
export async function serve(pages, { dir = PKG, at = '/pkg/' } = {}) {
  const server = http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    if (pathname in pages) return send(res, 200, TYPES['.html'], pages[pathname]);
    if (!pathname.startsWith(at)) return send(res, 404, 'text/plain', 'not found');
    const file = path.join(dir, decodeURIComponent(pathname.slice(at.length)));
    if (!file.startsWith(dir + path.sep)) return send(res, 403, 'text/plain', 'outside the served folder');
    try {
      send(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', await fs.readFile(file));
    } catch {
      send(res, 404, 'text/plain', 'not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
