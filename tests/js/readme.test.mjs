// The package README's example runs as written.
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

test('the README example runs', async () => {
  const readme = fs.readFileSync(path.join(HERE, '../../wasm/README.md'), 'utf8');
  const code = readme.split('```js\n')[1].split('```')[0];
  const file = path.join(HERE, `.readme-example-${process.pid}.mjs`);
  // console.assert only prints: make a failed assertion throw.
  fs.writeFileSync(file, `console.assert = (ok, ...m) => { if (!ok) throw new Error('README assertion failed ' + m.join(' ')); };\nconsole.log = () => {};\n${code}`);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    fs.rmSync(file, { force: true });
  }
});
