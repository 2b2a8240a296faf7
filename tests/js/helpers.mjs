// Shared builders for the package tests.
import { init, Market } from 'gigmarket';

// The one start, the same in every host.
await init();

export const OP = { type: 'Operator' };
export const client = (id = 0) => ({ type: 'Client', id });
export const agent = (id = 0) => ({ type: 'Agent', id });
export const reviewer = (id = 0) => ({ type: 'Reviewer', id });

/** The specification of the Rust crate-doc example (shared with the browser tests). */
export { spec } from '../fixtures/spec.mjs';

/** A market with client 0 (Acme, funded with 10 000) and AI agent 0 (fin-docs level 4). */
export function setup(config = { seed: 1 }) {
  const m = new Market(config);
  m.apply(0, OP, { type: 'RegisterClient', name: 'Acme', owner: 'acme' });
  m.apply(0, OP, {
    type: 'RegisterAgent', name: 'extractor-1', kind: 'ai', owner: 'bots-inc',
    skills: [{ name: 'fin-docs', level: 4 }], capacity: 2, min_rate: 100,
  });
  m.apply(0, client(0), { type: 'Deposit', amount: 10000 });
  return m;
}

export const goodWork = (task = 0) => ({
  type: 'SubmitWork', task, output: { total: 1234.5 },
  self_check: { confidence_bps: 9500, criteria_passed: ['total-positive'], notes: '' },
});
