// The packed tarball in a fresh folder: `npm pack`, `npm install ./gigmarket-x.tgz` (offline: the
// package has no dependencies), then (1) bundle an app through the `bundler` entry with esbuild and
// run the bundle under Node, (2) import the installed package from plain Node ESM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { wasmEsmIntegration } from './esbuild-wasm-plugin.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PKG = path.resolve(HERE, '../../../wasm/pkg');

test('the packed package installs and works in a fresh folder', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gigmarket-consumer-'));
  try {
    const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], PKG));
    const tarball = packed[0].filename;
    const files = packed[0].files.map((f) => f.path);
    for (const f of ['package.json', 'README.md', 'node/gigmarket.js', 'node/package.json', 'web/gigmarket_bg.wasm', 'bundler/gigmarket.js', 'web/gigmarket.d.ts']) {
      assert.ok(files.includes(f), `${f} missing from the tarball`);
    }
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm(['install', '--offline', '--no-audit', '--no-fund', `./${tarball}`], dir);
    fs.cpSync(path.join(HERE, 'app'), dir, { recursive: true });

    // (1) Bundled through the bundler entry.
    await esbuild.build({
      entryPoints: [path.join(dir, 'main.js')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      outfile: path.join(dir, 'dist', 'main.mjs'),
      plugins: [wasmEsmIntegration],
      logLevel: 'silent',
    });
    const bundled = JSON.parse(execFileSync(process.execPath, [path.join(dir, 'dist', 'main.mjs')], { encoding: 'utf8' }));
    assert.ok(bundled.accepted.includes('WorkAccepted'));
    assert.equal(bundled.balance, 900);
    assert.equal(bundled.code, 'insufficient_funds');
    assert.ok(bundled.snapshot > 100);

    // (2) Plain Node ESM (and require, and the web build).
    const plain = JSON.parse(execFileSync(process.execPath, [path.join(dir, 'plain.mjs')], { cwd: dir, encoding: 'utf8' }));
    assert.deepEqual(plain, { code: 'insufficient_funds', viaRequire: true, viaWeb: true, clients: 1 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
