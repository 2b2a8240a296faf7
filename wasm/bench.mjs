#!/usr/bin/env node
// Benchmark of the npm package (wasm/pkg): `node wasm/bench.mjs [--quick] [--no-native] [--json]`.
//
// Prints one line per figure (with --json, one JSON object per line, {"name", "value", "unit"}):
// - the mixed lifecycle workload of core/examples/bench.rs (post, claim, a clarification round on
//   every fourth task, submit, review) against a market with 10^5 live tasks, warm, through
//   `apply` (JS objects in and out) and through `applyJson` (JSON text in and out), with the mean
//   microseconds of each command type;
// - the speed targets: the ratios to the native run of the same workload with every command as
//   JSON text in and events as JSON text out (`mixed_json_commands_per_sec/1e5_live` from
//   `cargo run --release -p gigmarket --example bench -- --quick --json --only json`; skipped with
//   --no-native): `package/apply_json_vs_native_json` (target >= 0.6) and
//   `package/apply_vs_native_json` (target >= 0.35);
// - the size of each module, raw and gzipped: `package/market_wasm_gz_bytes` is the module a
//   frontend loads for the market (target <= 250 KB gzipped).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { init, Market } from './pkg/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const DAY = 86_400_000;
const AGENTS = 1000;
const LIVE = 100_000;
const CYCLES = quick ? 5_000 : 20_000;

const asJson = args.includes('--json');
const figure = (name, value, unit) => {
  const v = Number(value.toFixed(3));
  console.log(asJson ? JSON.stringify({ name, value: v, unit }) : `${name.padEnd(48)} ${String(v).padStart(14)} ${unit}`);
};

await init();

const spec = (i, claim_by) => ({
  title: `Extract invoice ${i}`,
  category: ['invoice-extraction', 'translation', 'labeling', 'summaries'][i % 4],
  instructions: 'Report the total and the currency.',
  required_skills: [{ skill: 'fin-docs', min_level: 2 }],
  inputs: [{ name: 'invoice', uri: 's3://bucket/inv.pdf', classification: 'confidential' }],
  acceptance: {
    fields: [{ name: 'total', kind: 'number', required: true }, { name: 'currency', kind: 'text', required: true }],
    criteria: [
      { name: 'positive', check: { type: 'Range', field: 'total', min: 0, max: null } },
      { name: 'iso', check: { type: 'OneOf', field: 'currency', values: ['EUR', 'USD'] } },
    ],
    min_confidence_bps: 5000,
  },
  review: { window_ms: DAY, human_review_below_confidence_bps: null, human_sample_bps: 0, max_revisions: 1 },
  pricing: { type: 'Fixed', reward: 1000 },
  deadlines: { claim_by, lease_ms: DAY, clarification_timeout_ms: DAY, max_clarifications: 1 },
  eligibility: { min_tier: 'new', agent_kinds: 'any', min_reputation_bps: null },
  priority_window: null,
});

/** 10 clients, 1000 agents, `live` open tasks: as `populated` in core/examples/bench.rs. */
function populated(live) {
  // Tasks claimable for 100 days, beyond the default 30-day cap (as in core/examples/bench.rs).
  const m = new Market({ seed: 1, caps: { max_claim_horizon_ms: 100 * DAY } });
  const op = { type: 'Operator' };
  for (let c = 0; c < 10; c++) {
    m.apply(0, op, { type: 'RegisterClient', name: `client-${c}`, owner: `org-${c}` });
    m.apply(0, { type: 'Client', id: c }, { type: 'Deposit', amount: 2 ** 49 });
  }
  for (let a = 0; a < AGENTS; a++) {
    m.apply(0, op, {
      type: 'RegisterAgent', name: `agent-${a}`, kind: a % 3 === 0 ? 'human' : 'ai', owner: `agent-org-${a}`,
      skills: [{ name: 'fin-docs', level: 3 }], capacity: 1000, min_rate: 0,
    });
  }
  const actor = JSON.stringify({ type: 'Client', id: 0 });
  for (let i = 0; i < live; i++) m.applyJson(0, actor.replace('0', String(i % 10)), JSON.stringify({ type: 'PostTask', spec: spec(i, 100 * DAY) }));
  return m;
}

/** The commands of `cycles` lifecycles, built before timing so that only the calls are timed. */
function script(first, cycles) {
  const out = [];
  for (let i = 0; i < cycles; i++) {
    const task = first + i;
    const client = { type: 'Client', id: i % 10 };
    const agent = { type: 'Agent', id: i % AGENTS };
    out.push([client, { type: 'PostTask', spec: spec(i, 100 * DAY) }]);
    out.push([agent, { type: 'ClaimTask', task, spec_hash: null }]);
    if (i % 4 === 0) {
      out.push([agent, { type: 'AskClarification', task, question: 'Which currency?' }]);
      out.push([client, { type: 'AnswerClarification', task, answer: 'EUR' }]);
    }
    out.push([agent, { type: 'SubmitWork', task, output: { currency: 'EUR', total: 12.5 }, self_check: { confidence_bps: 9000, criteria_passed: [], notes: '' } }]);
    out.push([client, { type: 'Review', task, decision: { type: 'Accept' } }]);
  }
  return out;
}

/** Commands per second over `steps`, with no clock read per call. */
function rate(m, steps, call) {
  const now = m.now + 1;
  const start = performance.now();
  for (const [actor, command] of steps) call(m, now, actor, command);
  return steps.length / ((performance.now() - start) / 1000);
}

/** Mean µs per command type over `steps` (a separate run: reading the clock costs time). */
function perKind(m, steps, call) {
  const now = m.now + 1;
  const kinds = new Map();
  for (const [actor, command, kind] of steps) {
    const t = performance.now();
    call(m, now, actor, command);
    const k = kinds.get(kind) ?? kinds.set(kind, [0, 0]).get(kind);
    k[0] += performance.now() - t;
    k[1] += 1;
  }
  return [...kinds].map(([kind, [ms, n]]) => [kind, (ms * 1000) / n]).sort();
}

const withKinds = (steps) => steps.map(([a, c]) => [a, c, c.type]);
const asText = (steps) => steps.map(([a, c]) => [JSON.stringify(a), JSON.stringify(c), c.type]);
const viaObjects = (m, now, a, c) => m.apply(now, a, c);
const viaJson = (m, now, a, c) => m.applyJson(now, a, c);
const m = populated(LIVE);
// Warm up the JIT and the allocator on both paths, then measure, as the native bench does.
rate(m, withKinds(script(m.tasks().length, 2000)), viaObjects);
rate(m, asText(script(m.tasks().length, 2000)), viaJson);
const objects = rate(m, withKinds(script(m.tasks().length, CYCLES)), viaObjects);
const json = rate(m, asText(script(m.tasks().length, CYCLES)), viaJson);
figure('wasm_mixed_commands_per_sec/1e5_live', objects, 'commands/s');
figure('wasm_mixed_commands_per_sec_json/1e5_live', json, 'commands/s');
for (const [kind, us] of perKind(m, withKinds(script(m.tasks().length, CYCLES / 4)), viaObjects)) figure(`wasm_apply_us_per_command/${kind}`, us, 'us');
for (const [kind, us] of perKind(m, asText(script(m.tasks().length, CYCLES / 4)), viaJson)) figure(`wasm_apply_json_us_per_command/${kind}`, us, 'us');
m.audit();
m.free();

if (!args.includes('--no-native')) {
  try {
    const out = execFileSync('cargo', ['run', '--release', '-q', '-p', 'gigmarket', '--example', 'bench', '--', '--quick', '--json', '--only', 'json'], {
      cwd: path.join(HERE, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    const native = out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const baseline = native.find((f) => f.name === 'mixed_json_commands_per_sec/1e5_live');
    if (baseline) {
      figure('native_json_mixed_commands_per_sec/1e5_live', baseline.value, 'commands/s');
      for (const f of native.filter((f) => f.name.startsWith('json_us_per_command/'))) figure(`native_${f.name}`, f.value, 'us');
      figure('package/apply_json_vs_native_json', json / baseline.value, 'ratio');
      figure('package/apply_vs_native_json', objects / baseline.value, 'ratio');
    } else {
      console.error('bench.mjs: the native bench printed no mixed_json_commands_per_sec/1e5_live line');
    }
  } catch (e) {
    console.error(`bench.mjs: native bench unavailable (${e.message.split('\n')[0]}); printing the package figures only`);
  }
}

for (const module of ['market', 'sim']) {
  const wasm = fs.readFileSync(path.join(HERE, 'pkg', module, 'gigmarket_bg.wasm'));
  figure(`package/${module}_wasm_bytes`, wasm.length, 'bytes');
  figure(`package/${module}_wasm_gz_bytes`, zlib.gzipSync(wasm, { level: 9 }).length, 'bytes');
}
