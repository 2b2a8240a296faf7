// The packed tarball in a fresh folder: `npm pack`, `npm install ./gigmarket-x.tgz` (offline: the
// package has no dependencies), then (1) bundle an app with esbuild for browsers (the .wasm through
// the `file` loader, as the README says) and run the bundle, (2) use the installed package from
// plain Node ESM: the one start, the simulator entry, and `require`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PKG = path.resolve(HERE, '../../../wasm/pkg');

test('the packed package installs and works in a fresh folder', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gigmarket-consumer-'));
  try {
    const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], PKG));
    const tarball = packed[0].filename;
    const files = packed[0].files.map((f) => f.path);
    for (const f of ['package.json', 'README.md', 'REPUTATION.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'index.js', 'index.d.ts', 'sim.js', 'sim.d.ts', 'market/gigmarket_bg.wasm', 'sim/gigmarket_bg.wasm']) {
      assert.ok(files.includes(f), `${f} missing from the tarball`);
    }
    // Each module once: the market's and the simulator's.
    assert.deepEqual(files.filter((f) => f.endsWith('.wasm')).sort(), ['market/gigmarket_bg.wasm', 'sim/gigmarket_bg.wasm']);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm(['install', '--offline', '--no-audit', '--no-fund', `./${tarball}`], dir);
    fs.cpSync(path.join(HERE, 'app'), dir, { recursive: true });

    // (1) Bundled by esbuild for browsers; the .wasm is emitted beside the bundle.
    await esbuild.build({
      entryPoints: [path.join(dir, 'main.js')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outdir: path.join(dir, 'dist'),
      loader: { '.wasm': 'file' },
      logLevel: 'silent',
    });
    const emitted = fs.readdirSync(path.join(dir, 'dist'));
    assert.equal(emitted.filter((f) => f.endsWith('.wasm')).length, 1, `${emitted}`);
    const bundled = JSON.parse(execFileSync(process.execPath, [path.join(dir, 'dist', 'main.js')], { encoding: 'utf8' }));
    assert.ok(bundled.accepted.includes('WorkAccepted'));
    assert.equal(bundled.balance, 900);
    assert.equal(bundled.code, 'insufficient_funds');
    assert.ok(bundled.snapshot > 100);

    // (2) Plain Node ESM.
    const plain = JSON.parse(execFileSync(process.execPath, [path.join(dir, 'plain.mjs')], { cwd: dir, encoding: 'utf8' }));
    assert.deepEqual(plain, { before: 'not_started', code: 'insufficient_funds', sameEngine: true, autopilot: true, shared: true, viaRequire: true, clients: 1 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
