import { describe, expect, it } from 'vitest';
import {
  decodeSubtaskRuns,
  encodeSubtaskRuns,
  EXECUTION_STATES,
  MAX_SUBTASKS,
  ServerEvent,
  SubtaskRuns,
} from '../src/index.js';

/** A deterministic mix of states: runs of 1 to 5, every state, some unknown names. */
function mixed(n: number, seed: number): string[] {
  const names = [...EXECUTION_STATES, 'SUSPENDED', 'weird state'];
  const out: string[] = [];
  let x = seed;
  while (out.length < n) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const state = names[x % names.length]!;
    for (let k = 0; k <= (x >>> 8) % 5 && out.length < n; k++) out.push(state);
  }
  return out;
}

describe('subtask runs', () => {
  it('write a steady vertex as one run and a restart as a few', () => {
    expect(encodeSubtaskRuns(Array<string>(256).fill('RUNNING'))).toBe('R256');
    expect(encodeSubtaskRuns(['CANCELING', 'CANCELING', 'CANCELED', 'RUNNING'])).toBe('N2XR');
    expect(encodeSubtaskRuns([])).toBe('');
    expect(encodeSubtaskRuns(['RUNNING', 'SUSPENDED', 'SUSPENDED'])).toBe('R[SUSPENDED]2');
  });

  it('decode to exactly the states encoded, in subtask order', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const states = mixed(1 + (seed % 300), seed);
      const runs = encodeSubtaskRuns(states);
      expect(SubtaskRuns.safeParse(runs).success).toBe(true);
      expect(decodeSubtaskRuns(runs)).toEqual(states.map((s) => s.replace(/[[\]]/g, '')));
      // Never longer than the states themselves, one character each, for the known states.
      const known = states.filter((s) => (EXECUTION_STATES as readonly string[]).includes(s));
      expect(encodeSubtaskRuns(known).length).toBeLessThanOrEqual(known.length);
    }
  });

  it('reject what is not runs, and counts past the largest parallelism', () => {
    for (const bad of ['R0', 'r', '5R', '[RUNNING', 'R256 ', 'Q'])
      expect(() => decodeSubtaskRuns(bad), bad).toThrow(RangeError);
    expect(SubtaskRuns.safeParse('R0').success).toBe(false);
    expect(() => decodeSubtaskRuns(`R${MAX_SUBTASKS}`)).not.toThrow();
    expect(() => decodeSubtaskRuns(`R${MAX_SUBTASKS}R`)).toThrow(RangeError);
    expect(() => decodeSubtaskRuns('R99999'.repeat(1000))).toThrow(RangeError);
  });

  it('are what a job event carries', () => {
    const event = { type: 'job', application: 'a', subtaskRuns: { v1: 'R4', v2: 'N2X2' } };
    expect(ServerEvent.safeParse(event).success).toBe(true);
    expect(ServerEvent.safeParse({ ...event, subtaskRuns: { v1: ['RUNNING'] } }).success).toBe(false);
  });
});
