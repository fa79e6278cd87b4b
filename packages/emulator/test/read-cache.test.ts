/**
 * The read cache never answers what a fresh computation would not: the demo fleet is driven through
 * updates, stops, starts, snapshots, rollbacks and tags with time moving in between, every read-only call
 * is asked after each step, and in verify mode each kept answer is compared with a fresh one.
 */
import {
  CreateApplicationSnapshotCommand,
  DeleteApplicationSnapshotCommand,
  DescribeApplicationCommand,
  DescribeApplicationOperationCommand,
  DescribeApplicationSnapshotCommand,
  DescribeApplicationVersionCommand,
  ListApplicationOperationsCommand,
  ListApplicationSnapshotsCommand,
  ListApplicationsCommand,
  ListApplicationVersionsCommand,
  ListTagsForResourceCommand,
  RollbackApplicationCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  TagResourceCommand,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from './harness.js';

let t: TestEmulator;
beforeAll(async () => {
  // Speed 0: time moves only when the test says so, so every step is reproducible.
  t = await startTestEmulator({ demo: true, timeProfile: 'fast', speed: 0, verifyReadCache: true });
});
afterAll(() => t.close());

const APPS = ['clickstream-sessionizer', 'orders-enricher', 'inventory-aggregator', 'returns-forecaster'];

async function readEverything(): Promise<void> {
  const { ka } = t;
  await ka.send(new ListApplicationsCommand({}));
  await ka.send(new ListApplicationsCommand({ Limit: 2 }));
  for (const name of APPS) {
    const { ApplicationDetail: d } = await ka.send(new DescribeApplicationCommand({ ApplicationName: name }));
    await ka.send(new ListTagsForResourceCommand({ ResourceARN: d!.ApplicationARN }));
    const snaps = await ka.send(new ListApplicationSnapshotsCommand({ ApplicationName: name }));
    for (const s of snaps.SnapshotSummaries ?? [])
      await ka.send(new DescribeApplicationSnapshotCommand({ ApplicationName: name, SnapshotName: s.SnapshotName }));
    await ka.send(new ListApplicationVersionsCommand({ ApplicationName: name }));
    await ka.send(
      new DescribeApplicationVersionCommand({ ApplicationName: name, ApplicationVersionId: d!.ApplicationVersionId }),
    );
    const ops = await ka.send(new ListApplicationOperationsCommand({ ApplicationName: name }));
    for (const o of (ops.ApplicationOperationInfoList ?? []).slice(-3))
      await ka.send(new DescribeApplicationOperationCommand({ ApplicationName: name, OperationId: o.OperationId }));
  }
}

async function version(name: string): Promise<number> {
  return (await t.ka.send(new DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!
    .ApplicationVersionId!;
}

/** Each step may be refused (wrong status at that moment): the refusal is an answer too. */
const steps: ((i: number) => Promise<unknown>)[] = [
  async () =>
    t.ka.send(
      new UpdateApplicationCommand({
        ApplicationName: 'clickstream-sessionizer',
        CurrentApplicationVersionId: await version('clickstream-sessionizer'),
        ApplicationConfigurationUpdate: {
          FlinkApplicationConfigurationUpdate: {
            ParallelismConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', ParallelismUpdate: 3 },
          },
        },
      }),
    ),
  async (i) =>
    t.ka.send(
      new CreateApplicationSnapshotCommand({ ApplicationName: 'clickstream-sessionizer', SnapshotName: `s-${i}` }),
    ),
  async () =>
    t.ka.send(
      new RollbackApplicationCommand({
        ApplicationName: 'orders-enricher',
        CurrentApplicationVersionId: await version('orders-enricher'),
      }),
    ),
  async () => t.ka.send(new StartApplicationCommand({ ApplicationName: 'returns-forecaster' })),
  async () => t.ka.send(new StopApplicationCommand({ ApplicationName: 'returns-forecaster' })),
  async () => t.ka.send(new StartApplicationCommand({ ApplicationName: 'inventory-aggregator' })),
  async () => t.ka.send(new StopApplicationCommand({ ApplicationName: 'inventory-aggregator', Force: true })),
  async (i) => {
    const { ApplicationDetail: d } = await t.ka.send(
      new DescribeApplicationCommand({ ApplicationName: 'returns-forecaster' }),
    );
    return t.ka.send(
      new TagResourceCommand({ ResourceARN: d!.ApplicationARN, Tags: [{ Key: 'step', Value: String(i) }] }),
    );
  },
  async () => {
    const snaps = await t.ka.send(new ListApplicationSnapshotsCommand({ ApplicationName: 'clickstream-sessionizer' }));
    const s = snaps.SnapshotSummaries?.find((x) => x.SnapshotName?.startsWith('s-'));
    if (!s) return undefined;
    return t.ka.send(
      new DeleteApplicationSnapshotCommand({
        ApplicationName: 'clickstream-sessionizer',
        SnapshotName: s.SnapshotName,
        SnapshotCreationTimestamp: s.SnapshotCreationTimestamp,
      }),
    );
  },
];

describe('read cache', () => {
  it('answers every read like a fresh computation through a changing fleet', async () => {
    await readEverything();
    for (let i = 0; i < 40; i++) {
      await steps[i % steps.length]!(i).catch(() => undefined);
      await readEverything();
      // Reads asked twice with nothing in between come from the cache.
      await readEverything();
      await t.admin('/_emulator/clock', { advanceMs: 1_000 + ((i * 7919) % 9_000) });
    }
    expect(t.emu.readCache.mismatches).toBe(0);
    expect(t.emu.readCache.hits).toBeGreaterThan(1000);
  }, 120_000);

  it('forgets answers when the state changes', async () => {
    const name = 'returns-forecaster';
    const before = await version(name);
    await t.ka.send(
      new UpdateApplicationCommand({
        ApplicationName: name,
        CurrentApplicationVersionId: before,
        ApplicationConfigurationUpdate: {
          FlinkApplicationConfigurationUpdate: {
            CheckpointConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', CheckpointIntervalUpdate: 30_000 },
          },
        },
      }),
    );
    await t.admin('/_emulator/clock', { advanceMs: 60_000 });
    expect(await version(name)).toBe(before + 1);
  });
});
