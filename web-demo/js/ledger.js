// The Ledger tab: every party's money movements (deposits, escrow on posting, refunds, payouts,
// platform fees, withdrawals), newest first, 25 a page, filtered by party; totals per party; and
// the checks that money is conserved, computed from the engine's own figures. The movements are
// derived (see money-flows.js): the note on the tab says from what.

import { h, fill, select } from './dom.js';
import { money, instant } from './format.js';
import { moneyFlows, partyKey } from './money-flows.js';
import { Pager } from './pager.js';

const PER_PAGE = 25;

export class Ledger {
  constructor(container, ui) {
    this.ui = ui;
    this.party = select([['all', 'All parties']], { id: 'ledger-party' });
    this.party.addEventListener('change', () => {
      this.pager.reset();
      ui.render();
    });
    this.partyOptions = '';
    this.pager = new Pager('Ledger pages', PER_PAGE, () => ui.render());
    this.checks = h('section', { class: 'ledger-checks', 'aria-labelledby': 'ledger-checks-h' });
    this.totals = h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Totals per party' });
    this.table = h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Money movements' });
    this.filtered = { key: '', rows: [] };
    fill(container,
      h('p', { class: 'muted small ledger-note' },
        'Built from what the engine keeps and this page\'s event log. Each task gives its escrow on posting and, once '
        + 'finished, where that escrow went: a fixed reward settles at the reward less the task\'s pinned fee, a rejection '
        + 'or cancellation refunds it all. Exact amounts and times of settlements, deposits, withdrawals and ratings come '
        + 'from the event log, which keeps the newest 300 events: older settlements show when they were posted instead, and '
        + 'deposits before the log show as one derived row per client (its balance less its other rows). A winning bid, a '
        + 'tier premium or a dispute split is not kept once a task settles; such payouts say so.'),
      this.checks,
      h('div', { class: 'toolbar' },
        h('label', { for: 'ledger-party', text: 'Party' }), this.party, this.pager.element),
      this.totals,
      this.table);
  }

  render(ctx) {
    const started = performance.now();
    const flows = moneyFlows(ctx);
    const led = flows.ledger(ctx);
    this.updateParties(ctx);
    this.renderChecks(led);
    const chosen = this.party.value;
    const key = `${flows.version}|${chosen}`;
    if (this.filtered.key !== key) {
      this.filtered = { key, rows: chosen === 'all' ? led.rows : led.rows.filter((r) => partyKey(r.party) === chosen) };
    }
    this.renderTotals(led, chosen, ctx);
    const page = this.pager.slice(this.filtered.rows);
    fill(this.table, page.length === 0 ? h('p', { class: 'muted', text: 'No money has moved yet.' })
      : h('table', { class: 'ledger' },
        h('caption', { class: 'visually-hidden', text: 'Money movements, newest first' }),
        h('thead', {}, h('tr', {}, ['When', 'Party', 'What', 'Amount (credits)', 'Task'].map((c) => h('th', { scope: 'col', text: c })))),
        h('tbody', {}, page.map((r) => this.row(r, ctx)))));
    // One entry kept (the latest), so a long run does not grow the timeline.
    performance.clearMeasures('ledger-render');
    performance.measure('ledger-render', { start: started });
    performance.mark('ledger-rendered');
  }

  row(r, ctx) {
    const amount = r.amount === null ? 'not kept' : `${r.amount > 0 ? '+' : r.amount < 0 ? '−' : ''}${money(Math.abs(r.amount))}`;
    return h('tr', { dataset: { party: partyKey(r.party) }, class: r.derived ? 'derived' : null },
      h('td', { class: 'when' }, when(r)),
      h('td', {}, this.partyCell(r.party, ctx)),
      h('td', { class: 'what', text: r.what }),
      h('td', { class: `num amount ${r.amount > 0 ? 'plus' : r.amount < 0 ? 'minus' : ''}`, dataset: { amount: r.amount ?? '' }, text: amount }),
      h('td', {}, r.task === null ? '' : h('button', {
        type: 'button', class: 'link', dataset: { task: r.task }, onclick: () => this.ui.openTask(r.task), text: `#${r.task}`,
        'aria-label': `Open task #${r.task}`,
      })));
  }

  partyCell(party, ctx) {
    if (party.type === 'Platform') return 'Platform';
    if (party.type === 'Client') return ctx.names.client(party.id);
    return h('button', { type: 'button', class: 'link', onclick: () => this.ui.openAgent(party.id), text: ctx.names.agent(party.id) });
  }

  updateParties(ctx) {
    const options = [['all', 'All parties'], ['platform', 'Platform'],
      ...ctx.names.clients.map((c) => [`client:${c.id}`, `Client: ${ctx.names.client(c.id)}`]),
      ...ctx.names.agents.map((a) => [`agent:${a.id}`, `Agent: ${ctx.names.agent(a.id)}`])];
    const sig = options.map((o) => o.join('=')).join('|');
    if (sig === this.partyOptions) return;
    this.partyOptions = sig;
    const chosen = this.party.value;
    fill(this.party, options.map(([value, label]) => h('option', { value, text: label })));
    this.party.value = options.some(([v]) => v === chosen) ? chosen : 'all';
  }

  renderChecks(led) {
    const e = led.engine;
    const d = led.derived;
    const held = e.clientBalances + e.agentBalances + e.escrow + e.platform;
    const escrowTaken = sumOf(led, 'escrowed');
    const refunds = sumOf(led, 'refunds');
    const inferred = e.withdrawn === 0;
    const exact = led.unknown === 0;
    const checks = [
      ['Money is conserved (engine figures)',
        `deposited ${money(e.deposited)}`,
        `client balances ${money(e.clientBalances)} + agent balances ${money(e.agentBalances)} + escrow ${money(e.escrow)} + platform fees ${money(e.platform)} + withdrawn ${money(e.withdrawn)} = ${money(held + e.withdrawn)}`,
        e.deposited === held + e.withdrawn],
      ['Escrow: taken − refunded − paid out − fees = held now',
        exact ? `${money(escrowTaken)} − ${money(refunds)} − ${money(d.paidToAgents)} − ${money(d.fees)} = ${money(escrowTaken - refunds - d.paidToAgents - d.fees)}` : `${led.unknown} payouts not kept`,
        `escrow held by open tasks ${money(e.escrow)}`,
        exact ? escrowTaken - refunds - d.paidToAgents - d.fees === e.escrow : null],
      ['Platform fees from tasks = platform balance',
        exact ? `fees ${money(d.fees)}` : `${led.unknown} payouts not kept`,
        `platform balance ${money(e.platform)}${inferred ? '' : ' (plus what the platform withdrew)'}`,
        exact ? (inferred ? d.fees === e.platform : d.fees >= e.platform) : null],
      ['Paid to agents = agent balances',
        exact ? `payouts ${money(d.paidToAgents)}` : `${led.unknown} payouts not kept`,
        `agent balances ${money(e.agentBalances)}${inferred ? '' : ' (plus what agents withdrew)'}`,
        exact ? (inferred ? d.paidToAgents === e.agentBalances : d.paidToAgents >= e.agentBalances) : null],
      ['Deposits in the ledger = deposited',
        `deposits ${money(d.deposits)}${inferred ? '' : ' (net of earlier withdrawals)'}`,
        `deposited ${money(e.deposited)}`,
        exact && inferred ? d.deposits === e.deposited : null],
    ];
    fill(this.checks,
      h('h2', { id: 'ledger-checks-h', text: 'Does the money add up?' }),
      h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Reconciliation' },
        h('table', { class: 'checks-table' },
          h('thead', {}, h('tr', {}, ['Check', 'Ledger', 'Engine', ''].map((c) => h('th', { scope: 'col', text: c })))),
          h('tbody', {}, checks.map(([name, ours, theirs, ok]) => h('tr', { dataset: { ok: ok === null ? 'unknown' : String(ok) } },
            h('th', { scope: 'row', text: name }),
            h('td', { class: 'wrap', text: ours }),
            h('td', { class: 'wrap', text: theirs }),
            h('td', { class: `verdict ${ok === null ? '' : ok ? 'ok-text' : 'err-text'}`, text: ok === null ? 'not checkable' : ok ? '✓ adds up' : '✗ differs' })))))),
      inferred ? null : h('p', { class: 'muted small', text: `${money(e.withdrawn)} has left the market; the engine keeps withdrawals as one total, so per party they come from the event log or are derived.` }));
  }

  renderTotals(led, chosen, ctx) {
    const all = [...led.totals.values()];
    const groups = chosen === 'all'
      ? [['All clients', all.filter((t) => t.party.type === 'Client')], ['All agents', all.filter((t) => t.party.type === 'Agent')],
        ['Platform', all.filter((t) => t.party.type === 'Platform')]]
      : [[labelOf(led.totals.get(chosen)?.party, ctx), [led.totals.get(chosen)].filter(Boolean)]];
    const sum = (list, f) => list.reduce((s, t) => s + t[f], 0);
    fill(this.totals, h('table', { class: 'ledger-totals' },
      h('caption', { text: 'Totals per party: what the rows add up to, against the balance the engine holds' }),
      h('thead', {}, h('tr', {}, ['Party', 'Money in', 'Money out', 'Rows add up to', 'Balance (engine)', '']
        .map((c) => h('th', { scope: 'col', text: c })))),
      h('tbody', {}, groups.map(([name, list]) => {
        const net = sum(list, 'in') - sum(list, 'out');
        const balance = sum(list, 'balance');
        const unknown = sum(list, 'unknown');
        return h('tr', { dataset: { group: name } },
          h('th', { scope: 'row', text: name }),
          h('td', { class: 'num', text: money(sum(list, 'in')) }),
          h('td', { class: 'num', text: money(sum(list, 'out')) }),
          h('td', { class: 'num', text: money(net) }),
          h('td', { class: 'num', text: money(balance) }),
          h('td', { class: unknown ? 'muted' : net === balance ? 'ok-text' : 'err-text',
            text: unknown ? `${unknown} not kept` : net === balance ? '✓' : '✗' }));
      }))));
  }
}

function sumOf(led, field) {
  let s = 0;
  for (const t of led.totals.values()) s += t[field];
  return s;
}

function labelOf(party, ctx) {
  if (!party) return '—';
  if (party.type === 'Platform') return 'Platform';
  return party.type === 'Client' ? ctx.names.client(party.id) : ctx.names.agent(party.id);
}

/** When a row happened; a settlement older than the kept log only has its task's posting time. */
function when(r) {
  if (r.at !== null && r.at !== undefined) return instant(r.at);
  if (r.after !== null && r.after !== undefined) {
    return h('span', { class: 'muted', title: 'The engine does not keep when a task finished, and this was before the kept event log; it was posted then.', text: `after ${instant(r.after)}` });
  }
  return h('span', { class: 'muted', title: 'Before the oldest event this page keeps.', text: r.before === null ? 'earlier' : `before ${instant(r.before)}` });
}
