// The agent kit, JavaScript side: a host plugs in its own agent (an LLM call, a script, a
// person's form) as an object with `evaluate`, `execute` and optionally `learn`, and `stepAgent`
// turns what it decides into commands. The same contract as the Rust `gigmarket::work::kit`.

/** The agent's self-check: its confidence, and the criteria the engine's dry run finds it passes. */
export function selfCheck(market, actor, task, output, confidenceBps, notes = '') {
  const draft = { confidence_bps: confidenceBps, criteria_passed: [], notes };
  const verification = market.checkSubmission(actor, task, output, draft);
  const failed = new Set(verification.failed.map((f) => f.criterion));
  const view = market.taskView(actor, task);
  const names = [
    ...view.spec.acceptance.fields.map((f) => `field:${f.name}`),
    'confidence',
    ...view.spec.acceptance.criteria.map((c) => c.name),
  ];
  return { selfCheck: { ...draft, criteria_passed: names.filter((n) => !failed.has(n)) }, verification };
}

function jobOf(view, memory) {
  return {
    task: view.id,
    view,
    inputs: view.inputs.filter((i) => i.visible),
    clarifications: memory.get(view.id) ?? [],
  };
}

/**
 * Remember the answers in `events` (`ClarificationAnswered`) against the questions `memory`
 * holds, so that the next `execute` of that task sees them in `job.clarifications`. A host
 * passes every batch of events it sees (its own `apply` calls, a `MarketClock`'s `onEvents`).
 */
export function observe(memory, events) {
  for (const e of events) {
    if (e.type !== 'ClarificationAnswered') continue;
    const open = (memory.get(e.task) ?? []).find((c) => c.answer == null);
    if (open) open.answer = e.answer;
  }
}

/**
 * One step of an agent at `nowMs`: first the tasks it holds (`execute`: ask, or submit with a
 * self-check from the engine's dry run; `learn` hears at once whether verification passed, and
 * a task whose work failed verification is handed back), then open tasks it may take while it
 * has room (`evaluate`: claim, bid, or decline with a reason). `memory` (a `Map` the host keeps
 * between steps, fed by `observe`) holds the questions asked per task and their answers.
 * Returns the events and the tasks declined with their reasons.
 */
export function stepAgent(market, nowMs, actor, agent, memory = new Map()) {
  const events = [];
  const declined = [];
  const apply = (command) => {
    const e = market.apply(nowMs, actor, command);
    events.push(...e);
    observe(memory, e);
    return e;
  };
  const held = market.taskViews(actor, 'Claimed').filter((v) => v.holder === actor.id);
  for (const view of held) {
    const attempt = agent.execute(jobOf(view, memory));
    if (attempt.type === 'Ask') {
      apply({ type: 'AskClarification', task: view.id, question: attempt.question });
      memory.set(view.id, [...(memory.get(view.id) ?? []), { question: attempt.question, answer: null }]);
      continue;
    }
    const { selfCheck: check } = selfCheck(market, actor, view.id, attempt.output, attempt.confidence_bps, attempt.notes ?? '');
    const submitted = apply({ type: 'SubmitWork', task: view.id, output: attempt.output, self_check: check });
    const failed = submitted.find((e) => e.type === 'VerificationFailed');
    agent.learn?.({
      task: view.id,
      category: view.spec.category,
      method: attempt.method ?? 'default',
      passed: !failed,
      failed: failed ? failed.failed.map((f) => f.criterion) : [],
      clarifications: memory.get(view.id) ?? [],
    });
    if (failed) apply({ type: 'ReturnTask', task: view.id });
  }
  for (const view of market.openTasks(actor)) {
    const decision = agent.evaluate(jobOf(view, memory));
    if (decision.type === 'Decline') {
      declined.push({ task: view.id, reason: decision.reason });
      continue;
    }
    const command = decision.type === 'Bid'
      ? { type: 'PlaceBid', task: view.id, price: decision.price, eta_ms: decision.eta_ms }
      : { type: 'ClaimTask', task: view.id, spec_hash: null };
    try {
      apply(command);
    } catch (e) {
      if (e?.code === 'at_capacity') break;
      declined.push({ task: view.id, reason: e?.message ?? String(e) });
    }
  }
  return { events, declined };
}
