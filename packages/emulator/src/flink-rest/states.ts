/**
 * Flink's execution and job states as the REST API writes them, and the rule that turns subtask states
 * into a vertex state.
 */
import { EXECUTION_STATES, JOB_STATUSES, type ExecutionState, type JobStatus } from '@mfc/engine';

/** ExecutionState in Java ordinal order (the order of every map keyed by it), and JobStatus: the engine's lists. */
export { EXECUTION_STATES, JOB_STATUSES };

/** States whose `status-duration` Flink reports for a subtask attempt. */
export const DURATION_STATES: readonly ExecutionState[] = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'INITIALIZING',
  'RUNNING',
];

const TERMINAL_EXECUTION = new Set<ExecutionState>(['FINISHED', 'CANCELED', 'FAILED']);
const TERMINAL_JOB = new Set<JobStatus>(['FINISHED', 'CANCELED', 'FAILED']);

export const isTerminalExecution = (s: ExecutionState) => TERMINAL_EXECUTION.has(s);
export const isGloballyTerminal = (s: JobStatus) => TERMINAL_JOB.has(s);

export type StateCounts = Record<ExecutionState, number>;

/** All ten UPPERCASE keys, zeros included. */
export function stateCounts(states: Iterable<ExecutionState>): StateCounts {
  const counts = Object.fromEntries(EXECUTION_STATES.map((s) => [s, 0])) as StateCounts;
  for (const s of states) counts[s]++;
  return counts;
}

/** Flink's ExecutionJobVertex.getAggregateJobVertexState. */
export function aggregateState(states: readonly ExecutionState[]): ExecutionState {
  const counts = stateCounts(states);
  if (counts.FAILED > 0) return 'FAILED';
  if (counts.CANCELING > 0) return 'CANCELING';
  if (counts.CANCELED > 0) return 'CANCELED';
  if (counts.INITIALIZING > 0) return 'INITIALIZING';
  if (counts.RUNNING > 0) return 'RUNNING';
  if (counts.FINISHED > 0) return counts.FINISHED === states.length ? 'FINISHED' : 'RUNNING';
  return 'CREATED';
}
