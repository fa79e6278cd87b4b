import { EXECUTION_STATES, type ExecutionState } from '@mfc/contracts';

/** Flink execution states in lifecycle order, for the legend and for counting. */
export const STATE_ORDER: readonly ExecutionState[] = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'INITIALIZING',
  'RUNNING',
  'FINISHED',
  'CANCELING',
  'CANCELED',
  'FAILED',
  'RECONCILING',
];

// Keep STATE_ORDER complete when the contracts add a state.
if (STATE_ORDER.length !== EXECUTION_STATES.length) throw new Error('STATE_ORDER is missing an execution state');

/** How many subtasks are in each state, in lifecycle order, omitting zeros. */
export function countStates(states: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  const ordered: [string, number][] = [];
  for (const s of STATE_ORDER) {
    const c = counts.get(s);
    if (c) ordered.push([s, c]);
    counts.delete(s);
  }
  for (const [s, c] of counts) ordered.push([s, c]);
  return ordered;
}

/** "3 RUNNING, 1 INITIALIZING" */
export function describeStates(states: readonly string[]): string {
  if (states.length === 0) return 'no subtasks';
  return countStates(states)
    .map(([s, c]) => `${c} ${s}`)
    .join(', ');
}
