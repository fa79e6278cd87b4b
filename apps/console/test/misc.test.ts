import type { OperationView, SnapshotView } from '@mfc/contracts';
import { describe, expect, it } from 'vitest';
import { defaultSnapshotName, latestReadySnapshot } from '../src/dialogs/snapshots';
import { actionAvailability } from '../src/pages/application/actions';
import { formatParams } from '../src/pages/AuditPage';
import { snapshotsByKey } from '../src/pages/application/EncryptionTab';
import { splitTransition } from '../src/pages/application/LogsTab';
import { downtimeSpan } from '../src/pages/application/OperationsTab';
import { diffValue, shortPath } from '../src/pages/application/VersionsTab';
import { mergeSeries } from '../src/charts/series';
import { appView } from './fixtures';

const snap = (name: string, createdAt: number, over: Partial<SnapshotView> = {}): SnapshotView => ({
  name,
  status: 'READY',
  versionId: 1,
  createdAt,
  encryption: { keyType: 'AWS_OWNED_KEY' },
  flags: [],
  ...over,
});

describe('actionAvailability', () => {
  const operator = { user: { name: 'o', role: 'operator' as const }, csrfToken: 't', mode: 'demo' as const };
  const viewer = { user: { name: 'v', role: 'viewer' as const }, csrfToken: 't', mode: 'demo' as const };
  it('follows the service rule first, with its reason', () => {
    const a = actionAvailability(appView('x', 'RUNNING'), 'start', operator);
    expect(a).toEqual({ allowed: false, reason: 'Allowed only when the application is READY; it is RUNNING.' });
    expect(actionAvailability(appView('x', 'RUNNING'), 'forceStop', operator).allowed).toBe(true);
  });
  it('explains that a viewer cannot act', () => {
    const a = actionAvailability(appView('x', 'RUNNING'), 'stop', viewer);
    expect(a.allowed).toBe(false);
    expect(a.reason).toMatch(/operator role/);
  });
});

describe('snapshots', () => {
  it('finds the newest READY snapshot', () => {
    expect(latestReadySnapshot([snap('a', 1), snap('b', 3, { status: 'CREATING' }), snap('c', 2)])?.name).toBe('c');
    expect(latestReadySnapshot([])).toBeUndefined();
  });
  it('makes valid default names', () => {
    expect(defaultSnapshotName(new Date(2026, 10, 21, 6, 5, 27).getTime())).toBe('manual-20261121-060527');
  });
  it('groups snapshots by key', () => {
    const cmk = { keyType: 'CUSTOMER_MANAGED_KEY' as const, keyArn: 'arn:k1', keyState: 'Disabled' };
    const groups = snapshotsByKey([snap('a', 1), snap('b', 2, { encryption: cmk }), snap('c', 3, { encryption: cmk })]);
    expect(groups.map((g) => [g.key.keyType, g.snapshots.length])).toEqual([
      ['AWS_OWNED_KEY', 1],
      ['CUSTOMER_MANAGED_KEY', 2],
    ]);
  });
});

describe('operations', () => {
  const op: OperationView = {
    id: 'o',
    operation: 'UpdateApplication',
    status: 'SUCCESSFUL',
    startTime: 0,
    endTime: 100,
  };
  it('places the downtime inside the operation', () => {
    expect(downtimeSpan(op, 0)).toBeUndefined();
    expect(downtimeSpan({ ...op, downtime: { start: 40, end: 70 } }, 0)).toEqual({ left: 0.4, width: 0.3 });
    // Still down: until now, clipped to the operation.
    expect(downtimeSpan({ ...op, endTime: undefined, downtime: { start: 50 } }, 200)).toEqual({
      left: 0.25,
      width: 0.75,
    });
  });
});

describe('logs, versions, audit, charts', () => {
  it('finds the state change in a Flink log line', () => {
    expect(splitTransition('Sink (1/2)#0 (x) switched from RUNNING to FAILED.')).toEqual({
      before: 'Sink (1/2)#0 (x) switched from ',
      from: 'RUNNING',
      to: 'FAILED',
      after: '.',
    });
    expect(splitTransition('Job j (x) switched from state CREATED to RUNNING.')?.to).toBe('RUNNING');
    expect(splitTransition('Submitting job.')).toBeUndefined();
  });
  it('shortens configuration paths and prints values', () => {
    expect(
      shortPath('ApplicationConfiguration.ApplicationCodeConfigurationDescription.CodeContentDescription.CodeMD5'),
    ).toBe('ApplicationCodeConfiguration › CodeContent › CodeMD5');
    expect(diffValue(undefined)).toBe('—');
    expect(diffValue(786)).toBe('786');
    expect(diffValue('x')).toBe('x');
  });
  it('leaves the typed confirmation out of audit parameters', () => {
    expect(formatParams({ confirm: 'x', force: true, restoreType: 'SKIP' })).toBe('force=true restoreType=SKIP');
  });
  it('merges metric series by time, leaving gaps', () => {
    const rows = mergeSeries(
      [
        {
          metric: 'uptime',
          points: [
            { t: 1, v: 10 },
            { t: 2, v: 20 },
          ],
        },
        { metric: 'downtime', points: [{ t: 2, v: 5 }] },
        { metric: 'KPUs', points: [{ t: 1, v: 2 }] },
      ],
      ['uptime', 'downtime'],
    );
    expect(rows).toEqual([
      { t: 1, uptime: 10 },
      { t: 2, uptime: 20, downtime: 5 },
    ]);
  });
});
