// The package README's examples type-check under `tsc --strict` against the built package and run
// as written; its table of defaults matches what a new market reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { init, Market } from 'gigmarket';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const README = fs.readFileSync(path.join(HERE, '../../wasm/README.md'), 'utf8');
const examples = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

test('the README has TypeScript examples that import the package', () => {
  assert.ok(examples.length >= 2, `${examples.length} examples`);
  for (const code of examples) assert.match(code, /from 'gigmarket'/);
  assert.match(examples[0], /satisfies Command/);
});

test('the README examples type-check under tsc --strict', () => {
  const dir = fs.mkdtempSync(path.join(HERE, '.readme-'));
  try {
    const files = examples.map((code, i) => {
      const file = path.join(dir, `example-${i}.mts`);
      fs.writeFileSync(file, `${code}\nexport {};\n`);
      return path.basename(file);
    });
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true,
        lib: ['es2022', 'esnext.disposable', 'dom'], types: [], skipLibCheck: false,
      },
      files,
    }));
    try {
      execFileSync(process.execPath, [path.join(HERE, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      assert.fail(`tsc --strict failed on the README examples:\n${e.stdout}${e.stderr}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the README examples run as written', async () => {
  for (const [i, code] of examples.entries()) {
    const { code: js } = await esbuild.transform(code, { loader: 'ts', format: 'esm' });
    const file = path.join(HERE, `.readme-example-${process.pid}-${i}.mjs`);
    // console.assert only prints: make a failed assertion throw. Keep the test output quiet.
    fs.writeFileSync(file, `console.assert = (ok, ...m) => { if (!ok) throw new Error('README assertion failed ' + m.join(' ')); };\nconsole.log = () => {};\n${js}`);
    try {
      await import(pathToFileURL(file).href);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
});

test("the README's defaults are the market's", async () => {
  await init();
  const config = new Market({ seed: 1 }).config;
  const section = README.split('## Defaults')[1].split('\n## ')[0];
  const rows = [...section.matchAll(/^\| `([a-z_.]+)`[^|]*\| (\d+(?:\.\d+)?) \|/gm)];
  assert.ok(rows.length >= 8, `${rows.length} rows`);
  for (const [, field, value] of rows) {
    const actual = field.split('.').reduce((v, k) => v?.[k], config);
    assert.equal(actual, Number(value), field);
  }
});
