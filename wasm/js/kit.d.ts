import type { Actor, Event, FailedCriterion, InputView, Market, Money, Output, SelfCheck, TaskId, TaskView, Timestamp, Verification } from './market/gigmarket.js';

/** A question an agent asked about a task, and the client's answer once given. */
export interface Clarification {
  question: string;
  answer: string | null;
}

/** A task as an agent works on it: its view, the inputs it may see, the questions so far. */
export interface Job {
  task: TaskId;
  view: TaskView;
  /** The inputs the agent may see (inline ones carry `content`). */
  inputs: InputView[];
  clarifications: Clarification[];
}

/** What an agent decides about an open task. */
export type Decision =
  | { type: 'Claim' }
  | { type: 'Bid'; price: Money; eta_ms: number }
  | { type: 'Decline'; reason: string };

/** What came of working on a held task once. */
export type Attempt =
  | { type: 'Ask'; question: string }
  | { type: 'Submit'; output: Output; confidence_bps: number; notes?: string; method?: string };

/** What an agent hears after it submits: whether the engine's verification passed. */
export interface WorkOutcome {
  task: TaskId;
  category: string;
  method: string;
  passed: boolean;
  failed: string[];
  clarifications: Clarification[];
}

/** An agent a host plugs in: the JavaScript side of `gigmarket::work::kit::WorkAgent`. */
export interface WorkAgent {
  evaluate(job: Job): Decision;
  execute(job: Job): Attempt;
  learn?(outcome: WorkOutcome): void;
}

/** The agent's self-check: its confidence, and the criteria the engine's dry run finds it passes. */
export function selfCheck(
  market: Market, actor: Actor, task: TaskId, output: Output, confidenceBps: number, notes?: string,
): { selfCheck: SelfCheck; verification: Verification };

/** Remember the answers in `events` against the questions `memory` holds. */
export function observe(memory: Map<TaskId, Clarification[]>, events: Event[]): void;

/**
 * One step of an agent at `nowMs`: held tasks first (ask, or submit with a dry-run self-check;
 * work that fails verification is handed back), then open tasks while it has room (claim, bid
 * or decline). `memory` is kept by the host between steps.
 */
export function stepAgent(
  market: Market, nowMs: Timestamp, actor: Actor, agent: WorkAgent, memory?: Map<TaskId, Clarification[]>,
): { events: Event[]; declined: { task: TaskId; reason: string }[] };

export type { FailedCriterion };
