// Boot and wiring: load the engine (the npm package's web build, served from ../pkg), restore
// the saved market, and connect the controls to the session and the views. Views redraw after
// every change, at most once per animation frame; only the selected tab's view is drawn.

// The simulator's entry: the demo runs the autopilot.
import { init, Market, MarketError } from '../pkg/sim.js';
import { Messages } from './messages.js';
import { guardSubmits } from './submit-guard.js';
import { Session, download } from './session.js';
import * as store from './store.js';
import { setupTabs } from './tabs.js';
import { RolePicker, actorOf } from './roles.js';
import { Board } from './board.js';
import { buildSpecForm } from './forms.js';
import { Leaderboard } from './leaderboard.js';
import { Charts } from './charts.js';
import { EventLog } from './log.js';
import { Fairness } from './fairness.js';
import { TaskDialog } from './task-dialog.js';
import { ScoreDialog } from './score-dialog.js';
import { Ledger } from './ledger.js';
import { AgentProfile } from './agent-profile.js';
import { warmMoneyFlows } from './money-flows.js';
import { Autopilot } from './autopilot.js';
import { Welcome } from './welcome.js';
import { clientPanel } from './panels/client.js';
import { agentPanel } from './panels/agent.js';
import { reviewerPanel } from './panels/reviewer.js';
import { operatorPanel } from './panels/operator.js';
import { h, fill } from './dom.js';
import { instant, relative, namesOf, TIME } from './format.js';

const $ = (sel) => document.querySelector(sel);
const PANELS = { Client: clientPanel, Agent: agentPanel, Reviewer: reviewerPanel, Operator: operatorPanel };

async function main() {
  const messages = new Messages($('#messages'));
  guardSubmits();
  try {
    await init();
  } catch (err) {
    fill($('#loading'), `The market engine could not load: ${err.message}`);
    $('#loading').classList.add('message', 'message-error');
    throw err;
  }
  const notify = (kind, text, options) => messages.notify(kind, text, options);
  const session = new Session({ Market, MarketError, storage: window.localStorage, notify });
  session.boot();

  let panel = null;
  let panelKey = '';
  let scheduled = false;

  const ui = {
    MarketError,
    instant,
    act(command) {
      const actor = actorOf(session.role);
      if (!actor) {
        notify('error', `Choose which ${session.role.type.toLowerCase()} you act as first (the operator registers them).`, { id: 'outcome' });
        return null;
      }
      return session.act(actor, command);
    },
    openTask: (id) => taskDialog.open(id, context()),
    openAgent: (id) => agentProfile.open(id, context()),
    explain: (agent, category) => scoreDialog.open(session.market, namesOf(session.market), agent, category),
    tab: (view) => tabs.select(view),
    render: () => schedule(),
    audit() {
      const r = session.guard('Audit', () => session.market.audit());
      if (r.ok) notify('ok', 'Audit passed: money is conserved and every index is consistent.', { id: 'outcome' });
    },
  };

  const tabs = setupTabs($('[role="tablist"]'), () => schedule());
  const board = new Board($('#view-board'), ui);
  const specForm = buildSpecForm({ onPost: (spec) => ui.act({ type: 'PostTask', spec }), now: () => session.now });
  $('#view-post').append(specForm.element);
  const views = {
    board,
    leaderboard: new Leaderboard($('#view-leaderboard'), ui),
    charts: new Charts($('#view-charts'), ui),
    log: new EventLog($('#view-log'), ui),
    fairness: new Fairness($('#view-fairness')),
    ledger: new Ledger($('#view-ledger'), ui),
  };
  const taskDialog = new TaskDialog($('#task-dialog'), ui);
  const scoreDialog = new ScoreDialog($('#score-dialog'));
  const agentProfile = new AgentProfile($('#agent-dialog'), ui);
  const picker = new RolePicker({
    roleSelect: $('#role-type'), partySelect: $('#role-party'),
    onChange: (role) => session.setRole(role),
  });
  const autopilot = new Autopilot({
    stepButton: $('#step'), runButton: $('#run'), speedSelect: $('#speed'), sizeSelect: $('#step-size'), session,
  });

  const welcome = new Welcome($('#welcome'), {
    session, ui, storage: window.localStorage, onRole: (role) => session.setRole(role),
  });
  $('#guide').addEventListener('click', () => welcome.show());

  for (const b of document.querySelectorAll('[data-advance]')) {
    b.addEventListener('click', () => session.advance(Number(b.dataset.advance) * TIME.MINUTE));
  }
  $('#to-deadline').addEventListener('click', () => session.toNextDeadline());
  $('#export').addEventListener('click', () => download(`gigmarket-${instant(session.now).replace(/[^0-9a-z]+/gi, '-')}.json`, session.exportJson()));
  $('#import').addEventListener('click', () => $('#import-file').click());
  $('#import-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    autopilot.pause();
    session.importJson(await file.text());
  });
  $('#reset').addEventListener('click', () => {
    if (!window.confirm('Reset the market? Everything not exported is lost.')) return;
    autopilot.pause();
    session.reset();
  });
  session.addEventListener('change', schedule);
  // Saving is throttled while time runs (session.saveSoon): whatever is pending is written when
  // the page is hidden or closed, which is the last moment a page can rely on.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') session.flush();
  });
  window.addEventListener('pagehide', () => session.flush());

  /** A client/agent/reviewer role whose party vanished (import, reset) falls back to the first one. */
  function normalizeRole(names) {
    const role = session.role;
    if (role.type === 'Operator') return;
    const list = { Client: names.clients, Agent: names.agents, Reviewer: names.reviewers }[role.type];
    if (list.some((p) => p.id === role.id)) return;
    session.role = list.length ? { type: role.type, id: list[0].id } : { type: role.type };
  }

  function context() {
    const market = session.market;
    const names = namesOf(market);
    normalizeRole(names);
    const actor = actorOf(session.role);
    return {
      session, market, names, actor,
      now: session.now,
      clock: instant(session.now),
      // The board, the panels and the dialog share one list of the tasks, kept from the events.
      views: session.views(actor ?? { type: 'Operator' }),
    };
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      render();
    });
  }

  function render() {
    let ctx;
    try {
      ctx = context();
      $('#clock').textContent = ctx.clock;
      const next = ctx.market.nextDeadline();
      const deadline = $('#next-deadline');
      deadline.textContent = next === undefined ? 'none' : relative(next, ctx.now);
      deadline.title = next === undefined ? '' : instant(next);
      picker.update(session.role, ctx.names);
      renderPanel(ctx);
      tabs.show('post', ctx.actor?.type === 'Client');
      specForm.setCategories(ctx.market.categories());
      welcome.render(ctx);
      views[tabs.current()]?.render(ctx);
      taskDialog.render(ctx);
      agentProfile.render(ctx);
      warmMoneyFlows(ctx);
      renderData();
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) {
        // The module trapped (a panic): reload the last save.
        session.recoverFailure('drawing the page', err);
      } else {
        console.error('gigmarket demo: could not draw the page', err);
        notify('error', `Could not draw the page: ${err.message}`, { id: 'render' });
      }
    }
  }

  function renderPanel(ctx) {
    const key = `${session.role.type}:${ctx.actor?.id ?? ''}`;
    if (key !== panelKey) {
      panelKey = key;
      panel = ctx.actor ? PANELS[session.role.type](ui) : null;
      fill($('#panel'), panel ? panel.element : h('p', { class: 'muted' },
        `No ${session.role.type.toLowerCase()} is registered yet. Act as the Operator to register one, or run the autopilot, which registers its own.`));
    }
    panel?.update(ctx);
  }

  function renderData() {
    const saved = session.lastSaved;
    // Say what is kept: a long market stays within localStorage because finished tasks shrink to
    // short records (the engine's snapshot), which a person should know before relying on it.
    $('#saved-info').textContent = session.savingBlocked ? 'Saving is paused (see the message above).'
      : saved ? `Saved in this browser at ${instant(session.lastSavedAt)} (${(saved.length / 1e6).toFixed(2)} M of about 5 M characters; `
        + 'at most a second behind while time runs). Finished tasks are kept as short records: title, parties, price '
        + 'and outcome; their instructions, inputs and handed-in work are not kept.'
        : 'Not saved yet.';
    const keys = store.setAsideKeys(window.localStorage);
    fill($('#set-aside'), keys.length ? h('div', { class: 'set-aside' },
      h('p', { class: 'small', text: `Kept aside (unreadable earlier saves): ${keys.length}` }),
      h('ul', { class: 'plain' }, keys.map((k) => h('li', {},
        h('code', { text: k }), ' ',
        h('button', { type: 'button', class: 'small', onclick: () => download(`${k}.json`, localStorage.getItem(k)), text: 'Download' }), ' ',
        h('button', { type: 'button', class: 'small danger', onclick: () => { localStorage.removeItem(k); schedule(); }, text: 'Discard', 'aria-label': `Discard ${k}` }))))) : '');
  }

  render();
  $('#loading').remove();
  document.body.dataset.ready = 'true';
  performance.mark('market-ready');

  // For the end-to-end tests and for exploring from the console.
  window.gigmarketDemo = {
    session, ui, autopilot,
    /** Draw now rather than at the next animation frame (to time a step or a click whole). */
    renderNow: render,
    /** Run `n` autopilot steps at once, saving and drawing once at the end. */
    runSteps(n) {
      session.batch(() => {
        for (let i = 0; i < n; i += 1) if (!session.step(autopilot.stepMs()).ok) break;
      });
    },
  };
}

main();
