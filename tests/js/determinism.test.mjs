// Determinism: a scripted scenario of 12 000 steps gives byte-identical snapshots (and the same
// outcome for every step) natively and through the package.
//
// The native side is wasm/examples/script.rs. Set GIGMARKET_SCRIPT_RUNNER to its built binary
// (wasm/test.sh does); otherwise the test runs it through `cargo run`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { generate, replay } from './scenario.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STEPS = 12_000;

function runNative(script) {
  const input = JSON.stringify(script);
  const opts = { input, maxBuffer: 1 << 30, encoding: 'utf8', cwd: ROOT };
  const out = process.env.GIGMARKET_SCRIPT_RUNNER
    ? execFileSync(process.env.GIGMARKET_SCRIPT_RUNNER, [], opts)
    : execFileSync('cargo', ['run', '-q', '-p', 'gigmarket-wasm', '--example', 'script'], opts);
  return JSON.parse(out);
}

test(`${STEPS} scripted steps: package and native agree byte for byte`, () => {
  const generated = generate(20260, STEPS);
  assert.equal(generated.script.steps.length, STEPS);
  const applied = generated.outcomes.filter((o) => typeof o === 'number' && o > 0).length;
  assert.ok(applied > STEPS / 3, `only ${applied} steps changed the market`);

  // The same script through a fresh package market.
  const again = replay(generated.script);
  assert.deepEqual(again.outcomes, generated.outcomes);
  assert.equal(again.snapshot, generated.snapshot);

  // And natively.
  const native = runNative(generated.script);
  assert.deepEqual(native.outcomes, generated.outcomes);
  assert.equal(native.snapshot.length, generated.snapshot.length);
  assert.ok(native.snapshot === generated.snapshot, 'native and package snapshots differ');
});
