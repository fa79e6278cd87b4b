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

/** Asks every read-only call; the answers (without per-request metadata) as one string. */
async function readEverything(): Promise<string> {
  const { ka } = t;
  const answers: unknown[] = [];
  const ask = async <O extends { $metadata?: unknown }>(p: Promise<O>): Promise<O> => {
    const out = await p;
    const { $metadata: _, ...rest } = out;
    answers.push(rest);
    return out;
  };
  await ask(ka.send(new ListApplicationsCommand({})));
  await ask(ka.send(new ListApplicationsCommand({ Limit: 2 })));
  for (const name of APPS) {
    const { ApplicationDetail: d } = await ask(ka.send(new DescribeApplicationCommand({ ApplicationName: name })));
    await ask(ka.send(new ListTagsForResourceCommand({ ResourceARN: d!.ApplicationARN })));
    const snaps = await ask(ka.send(new ListApplicationSnapshotsCommand({ ApplicationName: name })));
    for (const s of snaps.SnapshotSummaries ?? [])
      await ask(
        ka.send(new DescribeApplicationSnapshotCommand({ ApplicationName: name, SnapshotName: s.SnapshotName })),
      );
    await ask(ka.send(new ListApplicationVersionsCommand({ ApplicationName: name })));
    await ask(
      ka.send(
        new DescribeApplicationVersionCommand({ ApplicationName: name, ApplicationVersionId: d!.ApplicationVersionId }),
      ),
    );
    const ops = await ask(ka.send(new ListApplicationOperationsCommand({ ApplicationName: name })));
    for (const o of (ops.ApplicationOperationInfoList ?? []).slice(-3))
      await ask(
        ka.send(new DescribeApplicationOperationCommand({ ApplicationName: name, OperationId: o.OperationId })),
      );
  }
  return JSON.stringify(answers);
}

async function generation(): Promise<string> {
  const res = await fetch(`${t.emu.url}/_emulator/generation`);
  return ((await res.json()) as { generation: string }).generation;
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

  it('names each state with a generation: the same generation, the same answers; a change, a new one', async () => {
    const seen = new Map<string, string>();
    let changed = 0;
    for (let i = 0; i < 24; i++) {
      const before = await generation();
      const answers = await readEverything();
      // Reads change nothing.
      expect(await generation()).toBe(before);
      const earlier = seen.get(before);
      if (earlier !== undefined) expect(answers).toBe(earlier);
      seen.set(before, answers);
      // Every other round changes nothing, so that a generation is seen twice.
      if (i % 2 === 1) continue;
      const outcome = await steps[(i / 2) % steps.length]!(i).then(
        (r) => (r === undefined ? 'nothing to do' : 'done'),
        () => 'refused',
      );
      await t.admin('/_emulator/clock', { advanceMs: 1_000 + ((i * 7919) % 9_000) });
      const after = await generation();
      if (after !== before) changed++;
      // An accepted change is always a new generation (a refusal may still see time move things).
      if (outcome === 'done') expect(after).not.toBe(before);
    }
    expect(changed).toBeGreaterThan(5);
    expect([...seen.keys()].length).toBeLessThan(24);
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
