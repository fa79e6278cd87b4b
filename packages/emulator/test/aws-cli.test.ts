/** The same journeys through the `aws` CLI on the machine, as operators and their scripts run them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ROLE, SESSIONIZER_CODE, startTestEmulator, type TestEmulator } from './harness.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());

const ka = (...args: string[]) => t.cli(['kinesisanalyticsv2', ...args]);
const status = async (name: string) =>
  (
    (await ka('describe-application', '--application-name', name)) as {
      ApplicationDetail: { ApplicationStatus: string };
    }
  ).ApplicationDetail.ApplicationStatus;
const waitFor = (name: string, s: string) =>
  eventually(async () => {
    const now = await status(name);
    if (now !== s) throw new Error(`${name} is ${now}`);
  }, 30_000);

// Each aws CLI call starts a Python process (1–2 s; several times that when CI runs suites side by side).
describe('aws kinesisanalyticsv2 (CLI)', { timeout: 120_000 }, () => {
  it('create → start → snapshot → stop → delete snapshot → delete application', async () => {
    const created = (await ka(
      'create-application',
      '--application-name',
      'cli-app',
      '--runtime-environment',
      'FLINK-1_20',
      '--service-execution-role',
      ROLE,
      '--application-configuration',
      JSON.stringify({
        ApplicationCodeConfiguration: SESSIONIZER_CODE,
      }),
    )) as { ApplicationDetail: { ApplicationStatus: string; CreateTimestamp: number } };
    expect(created.ApplicationDetail.ApplicationStatus).toBe('READY');

    const start = (await ka('start-application', '--application-name', 'cli-app')) as { OperationId: string };
    expect(start.OperationId).toMatch(/^\w{12}$/);
    await waitFor('cli-app', 'RUNNING');

    await ka('create-application-snapshot', '--application-name', 'cli-app', '--snapshot-name', 'cli-snap');
    const snap = await eventually(async () => {
      const s = (await ka(
        'describe-application-snapshot',
        '--application-name',
        'cli-app',
        '--snapshot-name',
        'cli-snap',
      )) as {
        SnapshotDetails: { SnapshotStatus: string; SnapshotCreationTimestamp: number };
      };
      if (s.SnapshotDetails.SnapshotStatus !== 'READY') throw new Error('not ready');
      return s.SnapshotDetails;
    });

    await ka('stop-application', '--application-name', 'cli-app');
    await waitFor('cli-app', 'READY');
    const snaps = (await ka('list-application-snapshots', '--application-name', 'cli-app')) as {
      SnapshotSummaries: unknown[];
    };
    expect(snaps.SnapshotSummaries).toHaveLength(2);

    // The CLI echoes the timestamp it printed; the emulator compares whole seconds.
    await ka(
      'delete-application-snapshot',
      '--application-name',
      'cli-app',
      '--snapshot-name',
      'cli-snap',
      '--snapshot-creation-timestamp',
      String(snap.SnapshotCreationTimestamp),
    );
    const ops = (await ka('list-application-operations', '--application-name', 'cli-app')) as {
      ApplicationOperationInfoList: { Operation: string; OperationStatus: string }[];
    };
    expect(ops.ApplicationOperationInfoList.map((o) => `${o.Operation}:${o.OperationStatus}`)).toEqual([
      'StartApplication:SUCCESSFUL',
      'StopApplication:SUCCESSFUL',
    ]);
    await ka(
      'delete-application',
      '--application-name',
      'cli-app',
      '--create-timestamp',
      String(created.ApplicationDetail.CreateTimestamp),
    );
    await eventually(async () => {
      const err = await t.cliError(['kinesisanalyticsv2', 'describe-application', '--application-name', 'cli-app']);
      expect(err).toMatch(/ResourceNotFoundException/);
    });
  });

  it('a bad-main deploy with system rollback shows the FAILED update and its rollback operation', async () => {
    await ka(
      'create-application',
      '--application-name',
      'cli-rb',
      '--runtime-environment',
      'FLINK-1_20',
      '--service-execution-role',
      ROLE,
      '--application-configuration',
      JSON.stringify({
        ApplicationCodeConfiguration: SESSIONIZER_CODE,
        ApplicationSystemRollbackConfiguration: { RollbackEnabled: true },
      }),
    );
    await ka('start-application', '--application-name', 'cli-rb');
    await waitFor('cli-rb', 'RUNNING');
    const update = (await ka(
      'update-application',
      '--application-name',
      'cli-rb',
      '--current-application-version-id',
      '1',
      '--application-configuration-update',
      JSON.stringify({
        ApplicationCodeConfigurationUpdate: {
          CodeContentUpdate: {
            S3ContentLocationUpdate: { FileKeyUpdate: 'sessionizer/sessionizer-1.2.0-bad-main.jar' },
          },
        },
      }),
    )) as { OperationId: string };
    const failed = await eventually(async () => {
      const d = (await ka(
        'describe-application-operation',
        '--application-name',
        'cli-rb',
        '--operation-id',
        update.OperationId,
      )) as {
        ApplicationOperationInfoDetails: {
          OperationStatus: string;
          OperationFailureDetails?: { RollbackOperationId: string; ErrorInfo: { ErrorString: string } };
        };
      };
      if (d.ApplicationOperationInfoDetails.OperationStatus === 'IN_PROGRESS') throw new Error('in progress');
      return d.ApplicationOperationInfoDetails;
    });
    expect(failed.OperationStatus).toBe('FAILED');
    expect(failed.OperationFailureDetails?.ErrorInfo.ErrorString).toMatch(/main method caused an error/);
    await waitFor('cli-rb', 'RUNNING');
    const rollback = (await ka(
      'describe-application-operation',
      '--application-name',
      'cli-rb',
      '--operation-id',
      failed.OperationFailureDetails!.RollbackOperationId,
    )) as {
      ApplicationOperationInfoDetails: { Operation: string; OperationStatus: string };
    };
    expect(rollback.ApplicationOperationInfoDetails).toMatchObject({
      Operation: 'RollbackApplication',
      OperationStatus: 'SUCCESSFUL',
    });
    const filtered = (await ka(
      'list-application-operations',
      '--application-name',
      'cli-rb',
      '--operation-status',
      'FAILED',
    )) as {
      ApplicationOperationInfoList: { OperationId: string }[];
    };
    expect(filtered.ApplicationOperationInfoList.map((o) => o.OperationId)).toEqual([update.OperationId]);
  });

  it('errors come back as the AWS error types the CLI prints', async () => {
    expect(await t.cliError(['kinesisanalyticsv2', 'describe-application', '--application-name', 'nope'])).toMatch(
      /An error occurred \(ResourceNotFoundException\) when calling the DescribeApplication operation/,
    );
    expect(await t.cliError(['kinesisanalyticsv2', 'list-applications', '--limit', '99'])).toMatch(
      /InvalidRequestException/,
    );
  });
});

// Each aws CLI call starts a Python process (1–2 s; several times that when CI runs suites side by side).
describe('aws kms (CLI)', { timeout: 120_000 }, () => {
  it('creates a key with an alias, disables and enables it', async () => {
    const key = (await t.cli(['kms', 'create-key', '--description', 'cli key'])) as {
      KeyMetadata: { KeyId: string; KeyState: string };
    };
    expect(key.KeyMetadata.KeyState).toBe('Enabled');
    await t.cli(['kms', 'create-alias', '--alias-name', 'alias/cli', '--target-key-id', key.KeyMetadata.KeyId]);
    await t.cli(['kms', 'disable-key', '--key-id', 'alias/cli']);
    const d = (await t.cli(['kms', 'describe-key', '--key-id', key.KeyMetadata.KeyId])) as {
      KeyMetadata: { KeyState: string };
    };
    expect(d.KeyMetadata.KeyState).toBe('Disabled');
    await t.cli(['kms', 'enable-key', '--key-id', key.KeyMetadata.KeyId]);
    const aliases = (await t.cli(['kms', 'list-aliases'])) as { Aliases: { AliasName: string }[] };
    expect(aliases.Aliases.map((a) => a.AliasName)).toContain('alias/cli');
  });
});
