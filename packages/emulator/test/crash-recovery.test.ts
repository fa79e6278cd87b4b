/**
 * Crash recovery: the emulator runs as a child process on a data directory, does acknowledged work,
 * begins updates and stops, and is SIGKILLed at random moments, round after round. After each restart
 * nothing acknowledged is lost, the invariants hold, and in the end every application settles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import { Random } from '@mfc/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { credentials, ROLE, SESSIONIZER_CODE, tempDir } from './harness.js';

const ROUNDS = Number(process.env.MFC_CRASH_ROUNDS ?? 12);
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const tmp = tempDir();
afterAll(() => tmp.remove());

interface Running {
  child: ChildProcess;
  url: string;
  client: ka.KinesisAnalyticsV2Client;
}

async function launch(): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      CLI,
      '--port',
      '0',
      '--data-dir',
      tmp.dir,
      '--time-profile',
      'fast',
      '--speed',
      '20',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${out}`)));
  });
  return {
    child,
    url,
    client: new ka.KinesisAnalyticsV2Client({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }),
  };
}

function kill(r: Running): Promise<void> {
  return new Promise((resolve) => {
    r.child.once('exit', () => resolve());
    r.child.kill('SIGKILL');
  });
}

describe('crash recovery', () => {
  it(`survives ${ROUNDS} SIGKILLs at random moments without losing acknowledged work`, async () => {
    const random = Random.fromSeed('crash');
    const acked = { apps: new Set<string>(), snapshots: new Set<string>(), versions: new Map<string, number>() };
    for (let round = 0; round < ROUNDS; round++) {
      const r = await launch();
      // Everything acknowledged in earlier rounds is still there, and the state is sound.
      const list = await r.client.send(new ka.ListApplicationsCommand({}));
      const names = new Set(list.ApplicationSummaries?.map((s) => s.ApplicationName));
      for (const app of acked.apps) expect(names.has(app), `round ${round}: ${app} lost`).toBe(true);
      for (const [app, v] of acked.versions)
        expect(
          list.ApplicationSummaries?.find((s) => s.ApplicationName === app)?.ApplicationVersionId,
        ).toBeGreaterThanOrEqual(v);
      for (const key of acked.snapshots) {
        const [app, snap] = key.split('/');
        const s = await r.client.send(
          new ka.DescribeApplicationSnapshotCommand({ ApplicationName: app, SnapshotName: snap }),
        );
        expect(s.SnapshotDetails?.SnapshotName).toBe(snap);
      }
      const inv = (await (await fetch(`${r.url}/_emulator/invariants`)).json()) as {
        problems: string[];
        faults: number;
      };
      expect(inv, `round ${round}`).toEqual({ problems: [], faults: 0 });

      // Acknowledged work: a new application, started.
      const name = `crash-${round}`;
      await r.client.send(
        new ka.CreateApplicationCommand({
          ApplicationName: name,
          RuntimeEnvironment: 'FLINK-1_20',
          ServiceExecutionRole: ROLE,
          ApplicationConfiguration: { ApplicationCodeConfiguration: SESSIONIZER_CODE },
        }),
      );
      acked.apps.add(name);
      await r.client.send(new ka.StartApplicationCommand({ ApplicationName: name }));
      // Work in flight when the process dies: updates, stops and snapshots on older applications.
      const inFlight: Promise<unknown>[] = [];
      for (const summary of list.ApplicationSummaries ?? []) {
        const app = summary.ApplicationName!;
        const dice = random.int(0, 3);
        const p =
          dice === 0 && summary.ApplicationStatus === 'RUNNING'
            ? r.client
                .send(new ka.CreateApplicationSnapshotCommand({ ApplicationName: app, SnapshotName: `s-${round}` }))
                .then(() => acked.snapshots.add(`${app}/s-${round}`))
            : dice === 1 && (summary.ApplicationStatus === 'RUNNING' || summary.ApplicationStatus === 'READY')
              ? r.client
                  .send(
                    new ka.UpdateApplicationCommand({
                      ApplicationName: app,
                      CurrentApplicationVersionId: summary.ApplicationVersionId,
                      ApplicationConfigurationUpdate: {
                        EnvironmentPropertyUpdates: {
                          PropertyGroups: [{ PropertyGroupId: 'round', PropertyMap: { n: String(round) } }],
                        },
                      },
                    }),
                  )
                  .then((u) => acked.versions.set(app, u.ApplicationDetail!.ApplicationVersionId!))
              : dice === 2 && summary.ApplicationStatus === 'RUNNING'
                ? r.client.send(new ka.StopApplicationCommand({ ApplicationName: app }))
                : summary.ApplicationStatus === 'READY'
                  ? r.client.send(new ka.StartApplicationCommand({ ApplicationName: app }))
                  : Promise.resolve();
        inFlight.push(p.catch(() => undefined));
      }
      // Die at a random moment: while requests are in flight or operations are mid-way.
      await new Promise((res) => setTimeout(res, random.int(0, 400)));
      await kill(r);
      await Promise.all(inFlight);
      r.client.destroy();
    }

    // Finally: restart, let time pass, and every application settles to READY or RUNNING.
    const r = await launch();
    await fetch(`${r.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 30 * 60_000 }) });
    const list = await r.client.send(new ka.ListApplicationsCommand({}));
    expect(list.ApplicationSummaries?.length).toBe(acked.apps.size);
    for (const s of list.ApplicationSummaries ?? []) expect(['READY', 'RUNNING']).toContain(s.ApplicationStatus);
    for (const s of list.ApplicationSummaries ?? []) {
      const ops = await r.client.send(
        new ka.ListApplicationOperationsCommand({ ApplicationName: s.ApplicationName, OperationStatus: 'IN_PROGRESS' }),
      );
      expect(ops.ApplicationOperationInfoList).toEqual([]);
    }
    expect(await (await fetch(`${r.url}/_emulator/invariants`)).json()).toEqual({ problems: [], faults: 0 });
    await kill(r);
  }, 240_000);
});
