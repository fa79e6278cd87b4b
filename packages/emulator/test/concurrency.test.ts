/** Simultaneous requests: one winner, the rest get the AWS error, and nothing is half-applied. */
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import { checkInvariants } from '@mfc/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ROLE, SESSIONIZER_CODE, startTestEmulator, type TestEmulator } from './harness.js';

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
  await t.ka.send(
    new ka.CreateApplicationCommand({
      ApplicationName: 'contended',
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: ROLE,
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: SESSIONIZER_CODE,
      },
    }),
  );
});
afterAll(() => t.close());

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { name: string }) => e.name,
  );

describe('concurrency', () => {
  it('50 simultaneous UpdateApplication calls with the same version: exactly one succeeds', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        outcome(
          t.ka.send(
            new ka.UpdateApplicationCommand({
              ApplicationName: 'contended',
              CurrentApplicationVersionId: 1,
              ApplicationConfigurationUpdate: {
                EnvironmentPropertyUpdates: {
                  PropertyGroups: [{ PropertyGroupId: 'writer', PropertyMap: { id: String(i) } }],
                },
              },
            }),
          ),
        ),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'ConcurrentModificationException')).toHaveLength(49);
    const d = await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'contended' }));
    expect(d.ApplicationDetail?.ApplicationVersionId).toBe(2);
    const writer =
      d.ApplicationDetail?.ApplicationConfigurationDescription?.EnvironmentPropertyDescriptions
        ?.PropertyGroupDescriptions?.[0];
    expect(writer?.PropertyMap?.id).toBe(String(results.indexOf('ok')));
  });

  it('concurrent snapshot creates with one name: one wins', async () => {
    await eventually(async () => {
      const d = await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'contended' }));
      expect(d.ApplicationDetail?.ApplicationStatus).toBe('READY');
    });
    await t.ka.send(new ka.StartApplicationCommand({ ApplicationName: 'contended' }));
    await eventually(async () => {
      const d = await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'contended' }));
      expect(d.ApplicationDetail?.ApplicationStatus).toBe('RUNNING');
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        outcome(
          t.ka.send(
            new ka.CreateApplicationSnapshotCommand({ ApplicationName: 'contended', SnapshotName: 'only-one' }),
          ),
        ),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(new Set(results.filter((r) => r !== 'ok'))).toEqual(new Set(['InvalidArgumentException']));
    const snaps = await t.ka.send(new ka.ListApplicationSnapshotsCommand({ ApplicationName: 'contended' }));
    expect(snaps.SnapshotSummaries?.filter((s) => s.SnapshotName === 'only-one')).toHaveLength(1);
  });

  it('starts, stops and force stops racing each other leave a sound state', async () => {
    const name = 'contended';
    await Promise.all([
      ...Array.from({ length: 10 }, () => outcome(t.ka.send(new ka.StopApplicationCommand({ ApplicationName: name })))),
      ...Array.from({ length: 10 }, () =>
        outcome(t.ka.send(new ka.StopApplicationCommand({ ApplicationName: name, Force: true }))),
      ),
      ...Array.from({ length: 10 }, () =>
        outcome(t.ka.send(new ka.StartApplicationCommand({ ApplicationName: name }))),
      ),
    ]);
    await t.admin('/_emulator/clock', { advanceMs: 5 * 60_000 });
    expect(checkInvariants(t.emu.engine())).toEqual([]);
    const ops = await t.ka.send(
      new ka.ListApplicationOperationsCommand({ ApplicationName: name, OperationStatus: 'IN_PROGRESS' }),
    );
    expect(ops.ApplicationOperationInfoList).toEqual([]);
  });
});
