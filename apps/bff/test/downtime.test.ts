/** Processing downtime of updates and rollbacks, read from the transition log. */
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bff } from '../src/server.js';
import { downtimeFromLog } from '../src/services/downtime.js';
import { eventually, startTestBff, type Client } from './harness.js';

const OLD = 'a'.repeat(32);
const NEW = 'b'.repeat(32);
const line = (timestamp: number, job: string, vertex: string, i: number, n: number, from: string, to: string) => ({
  timestamp,
  message: `${vertex} (${i}/${n})#0 (${job}_${'c'.repeat(32)}_${i - 1}_0) switched from ${from} to ${to}.`,
});

describe('downtimeFromLog', () => {
  it('runs from the first subtask leaving RUNNING to every subtask of the next job RUNNING', () => {
    const lines = [
      line(90, OLD, 'Source', 1, 1, 'INITIALIZING', 'RUNNING'), // before the operation: ignored
      line(120, OLD, 'Source', 1, 1, 'RUNNING', 'FINISHED'),
      line(121, OLD, 'Sink', 1, 2, 'RUNNING', 'FINISHED'),
      line(130, NEW, 'Source', 1, 1, 'DEPLOYING', 'INITIALIZING'),
      line(131, NEW, 'Sink', 1, 2, 'DEPLOYING', 'INITIALIZING'),
      line(132, NEW, 'Sink', 2, 2, 'DEPLOYING', 'INITIALIZING'),
      line(140, NEW, 'Source', 1, 1, 'INITIALIZING', 'RUNNING'),
      line(141, NEW, 'Sink', 1, 2, 'INITIALIZING', 'RUNNING'),
      line(150, NEW, 'Sink', 2, 2, 'INITIALIZING', 'RUNNING'),
      line(160, NEW, 'Sink', 2, 2, 'RUNNING', 'FAILED'),
    ];
    expect(downtimeFromLog(lines, 100)).toEqual({ start: 120, end: 150 });
    // Still coming up: the downtime has no end yet.
    expect(downtimeFromLog(lines.slice(0, 8), 100)).toEqual({ start: 120 });
    // Nothing stopped after the operation began.
    expect(downtimeFromLog(lines.slice(0, 1), 100)).toBeUndefined();
  });

  it('ignores lines that are not subtask transitions', () => {
    expect(
      downtimeFromLog(
        [
          { timestamp: 200, message: `Job x (${OLD}) switched from state RUNNING to FINISHED.` },
          { timestamp: 201, message: 'Triggering checkpoint 7' },
        ],
        100,
      ),
    ).toBeUndefined();
  });
});

describe('GET /api/applications/:name/operations', () => {
  let bff: Bff;
  let client: Client;
  beforeAll(async () => {
    ({ bff, client } = await startTestBff({ MFC_TIME_PROFILE: 'fast' }));
  });
  afterAll(() => bff.close());

  it('draws the processing downtime inside a successful update, shorter than the update', async () => {
    const app = 'clickstream-sessionizer';
    const before = (await client.get<C.ApplicationView>(`/api/applications/${app}`)).body;
    const u = await client.post<C.ActionResponse>(`/api/applications/${app}/update`, {
      expectedVersionId: before.versionId,
      parallelism: { parallelism: 4, parallelismPerKpu: 2, autoScaling: false },
    });
    expect(u.status).toBe(202);
    const op = await eventually(async () => {
      await fetch(`${bff.emulator!.url}/_emulator/clock`, {
        method: 'POST',
        body: JSON.stringify({ advanceMs: 5_000 }),
      });
      const ops = (await client.get<C.OperationsResponse>(`/api/applications/${app}/operations`)).body.operations;
      const found = ops.find((o) => o.id === u.body.operationId)!;
      expect(found.status).toBe('SUCCESSFUL');
      expect(found.downtime?.end).toBeDefined();
      return found;
    }, 20_000);
    const { start, end } = op.downtime!;
    expect(start).toBeGreaterThan(op.startTime);
    expect(end! - start).toBeGreaterThan(0);
    expect(end! - start).toBeLessThan(op.endTime! - op.startTime);
  });
});
