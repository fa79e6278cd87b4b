/** State survives a restart on the same data directory, and in-flight operations resume. */
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, ROLE, SESSIONIZER_CODE, startTestEmulator, tempDir } from './harness.js';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const create = (name: string) =>
  new ka.CreateApplicationCommand({
    ApplicationName: name,
    RuntimeEnvironment: 'FLINK-1_20',
    ServiceExecutionRole: ROLE,
    ApplicationConfiguration: {
      ApplicationCodeConfiguration: SESSIONIZER_CODE,
    },
  });

describe('SQLite persistence', () => {
  it('keeps applications, versions, snapshots and keys across a restart', async () => {
    const tmp = tempDir();
    dirs.push(tmp);
    const a = await startTestEmulator({ inMemory: false, dataDir: tmp.dir });
    await a.ka.send(create('kept'));
    await a.ka.send(new ka.StartApplicationCommand({ ApplicationName: 'kept' }));
    await eventually(async () => {
      const d = await a.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'kept' }));
      expect(d.ApplicationDetail?.ApplicationStatus).toBe('RUNNING');
    });
    await a.ka.send(new ka.CreateApplicationSnapshotCommand({ ApplicationName: 'kept', SnapshotName: 's1' }));
    const key = await a.kms.send(
      new (await import('@aws-sdk/client-kms')).CreateKeyCommand({ Description: 'kept key' }),
    );
    const before = await a.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'kept' }));
    await a.close();

    const b = await startTestEmulator({ inMemory: false, dataDir: tmp.dir });
    const after = await b.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'kept' }));
    expect(after.ApplicationDetail).toEqual(before.ApplicationDetail);
    const snaps = await b.ka.send(new ka.ListApplicationSnapshotsCommand({ ApplicationName: 'kept' }));
    expect(snaps.SnapshotSummaries?.map((s) => s.SnapshotName)).toEqual(['s1']);
    const kms = await import('@aws-sdk/client-kms');
    const k = await b.kms.send(new kms.DescribeKeyCommand({ KeyId: key.KeyMetadata!.KeyId }));
    expect(k.KeyMetadata?.Description).toBe('kept key');
    await b.close();
  });

  it('resumes an operation that was in flight when the emulator stopped', async () => {
    const tmp = tempDir();
    dirs.push(tmp);
    // Realistic profile: a start takes about a minute of virtual time; stop the emulator in the middle.
    const a = await startTestEmulator({ inMemory: false, dataDir: tmp.dir, timeProfile: 'realistic' });
    await a.ka.send(create('inflight'));
    const { OperationId } = await a.ka.send(new ka.StartApplicationCommand({ ApplicationName: 'inflight' }));
    await a.admin('/_emulator/clock', { advanceMs: 20_000 });
    const mid = await a.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'inflight' }));
    expect(mid.ApplicationDetail?.ApplicationStatus).toBe('STARTING');
    await a.close();

    const b = await startTestEmulator({ inMemory: false, dataDir: tmp.dir, timeProfile: 'realistic' });
    expect(
      (await b.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'inflight' }))).ApplicationDetail
        ?.ApplicationStatus,
    ).toBe('STARTING');
    await b.admin('/_emulator/clock', { advanceMs: 120_000 });
    const done = await b.ka.send(
      new ka.DescribeApplicationOperationCommand({ ApplicationName: 'inflight', OperationId }),
    );
    expect(done.ApplicationOperationInfoDetails?.OperationStatus).toBe('SUCCESSFUL');
    expect(
      (await b.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'inflight' }))).ApplicationDetail
        ?.ApplicationStatus,
    ).toBe('RUNNING');
    await b.close();
  });
});
