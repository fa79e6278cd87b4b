import { ACTION_STATUSES, APPLICATION_STATUSES } from '@mfc/contracts';
import { describe, expect, it } from 'vitest';
import { REQUIRED_STATUS, TRANSITIONS, type LifecycleAction } from '../src/index.js';

/** The console's button rules (contracts) must say what the engine's lifecycle table says. */
describe('allowed actions agree with the lifecycle table', () => {
  const engineStatuses = (action: LifecycleAction) => Object.keys(TRANSITIONS[action]).sort();
  it.each([
    ['start', 'start'],
    ['stop', 'stop'],
    ['forceStop', 'forceStop'],
    ['update', 'update'],
    ['rollback', 'rollback'],
    ['delete', 'delete'],
    ['changeEncryption', 'update'],
  ] as const)('%s', (action, lifecycle) => {
    expect([...ACTION_STATUSES[action]].sort()).toEqual(engineStatuses(lifecycle));
  });
  it('createSnapshot', () => {
    expect([...ACTION_STATUSES.createSnapshot].sort()).toEqual([...REQUIRED_STATUS.createSnapshot].sort());
  });
  it('every status the table names is a service status', () => {
    for (const action of Object.keys(TRANSITIONS) as LifecycleAction[])
      for (const status of Object.keys(TRANSITIONS[action])) expect(APPLICATION_STATUSES).toContain(status);
  });
});
