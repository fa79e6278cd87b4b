/**
 * One vertex's subtask states on the event stream, in subtask order, as runs: a state's letter, then how
 * many subtasks in a row are in that state when more than one. "R256" is 256 RUNNING subtasks; "N3X2R251"
 * a restart beginning. The states of a 64 × 256 job as JSON arrays of names were about 190 KB per event
 * (and 16,384 strings for the browser to parse and validate); as runs they are about 3 KB while the job is
 * steady and never more than one character per subtask. A state without a letter is written as its name
 * in brackets ("[SUSPENDED]2"), so no state the dashboard reports is lost.
 */
import { z } from 'zod';
import type { ExecutionState } from './job.js';

const LETTER: Record<ExecutionState, string> = {
  CREATED: 'C',
  SCHEDULED: 'S',
  DEPLOYING: 'D',
  INITIALIZING: 'I',
  RECONCILING: 'O',
  RUNNING: 'R',
  FINISHED: 'F',
  CANCELING: 'N',
  CANCELED: 'X',
  FAILED: 'E',
};
const STATE_OF: Record<string, string> = Object.fromEntries(Object.entries(LETTER).map(([s, l]) => [l, s]));

/** Flink's largest parallelism (2^15): a vertex never has more subtasks, so no valid runs decode to more. */
export const MAX_SUBTASKS = 32_768;

const RUN = /([A-Z])|\[([^[\]]{1,40})\]/y;
const COUNT = /[1-9]\d{0,4}/y;

/** The shape of a runs string; decodeSubtaskRuns also checks the subtask count. */
export const SubtaskRuns = z.string().regex(/^(?:(?:[A-Z]|\[[^[\]]{1,40}\])(?:[1-9]\d{0,4})?)*$/);

export function encodeSubtaskRuns(states: readonly string[]): string {
  let out = '';
  for (let i = 0; i < states.length;) {
    const state = states[i]!;
    let j = i + 1;
    while (j < states.length && states[j] === state) j++;
    out += (LETTER[state as ExecutionState] ?? named(state)) + (j - i > 1 ? String(j - i) : '');
    i = j;
  }
  return out;
}

/** A state without a letter by its name, kept within what the brackets can hold. */
const named = (state: string) => `[${state.replace(/[[\]]/g, '').slice(0, 40) || '?'}]`;

/** The states, one per subtask; throws a RangeError on a string that is not runs or counts too many. */
export function decodeSubtaskRuns(runs: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < runs.length) {
    RUN.lastIndex = at;
    const m = RUN.exec(runs);
    const state = m && (m[1] ? STATE_OF[m[1]] : m[2]);
    if (!m || !state) throw new RangeError(`not subtask runs at ${at}: ${runs.slice(at, at + 20)}`);
    at = RUN.lastIndex;
    COUNT.lastIndex = at;
    const c = COUNT.exec(runs);
    const count = c ? Number(c[0]) : 1;
    if (c) at = COUNT.lastIndex;
    if (out.length + count > MAX_SUBTASKS) throw new RangeError(`more than ${MAX_SUBTASKS} subtasks`);
    for (let k = 0; k < count; k++) out.push(state);
  }
  return out;
}
