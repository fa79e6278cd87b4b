/**
 * Pre-flight: before the operator presses Start or Update, what will happen — state that will be
 * dropped (needs AllowNonRestoredState), a disabled or inaccessible key on the snapshot to restore,
 * the snapshot quota, the KPUs the new parallelism needs.
 */
import type { PreflightItem, PreflightResponse } from '@mfc/contracts';
import type * as C from '@mfc/contracts';
import type { z } from 'zod';
import { SNAPSHOT_QUOTA, type ApplicationsService } from './applications.js';
import type { ArtifactsService } from './artifacts.js';
import type { KeysService } from './keys.js';

const KPU_LIMIT = 64;

export class PreflightService {
  constructor(
    private apps: ApplicationsService,
    private artifacts: ArtifactsService,
    private keys: KeysService,
  ) {}

  async check(name: string, req: z.output<typeof C.PreflightRequest>): Promise<PreflightResponse> {
    const [detail, snapshots] = await Promise.all([this.apps.describe(name), this.apps.snapshots(name)]);
    const items: PreflightItem[] = [];
    const ready = snapshots.filter((s) => s.SnapshotStatus === 'READY');
    const quota = { used: snapshots.length, limit: SNAPSHOT_QUOTA };
    const status = detail.ApplicationStatus!;
    const cfg = detail.ApplicationConfigurationDescription;
    const p = cfg?.FlinkApplicationConfigurationDescription?.ParallelismConfigurationDescription;
    const snapshotsEnabled = cfg?.ApplicationSnapshotConfigurationDescription?.SnapshotsEnabled ?? true;

    // Which snapshot the new job restores, and with which code.
    let restoreName: string | undefined;
    let allowNonRestored: boolean;
    let newCode =
      cfg?.ApplicationCodeConfigurationDescription?.CodeContentDescription?.S3ApplicationCodeLocationDescription;
    let kpus: PreflightResponse['kpus'];
    let nextStartSnapshot: string | undefined;
    if (req.action === 'start') {
      if (status !== 'READY')
        items.push({
          severity: 'blocking',
          code: 'status',
          message: `Start needs READY; the application is ${status}.`,
        });
      allowNonRestored = req.allowNonRestoredState;
      if (req.restoreType === 'SKIP_RESTORE_FROM_SNAPSHOT')
        items.push({
          severity: 'warning',
          code: 'skip-restore',
          message: 'The job starts with empty state: no snapshot is restored.',
        });
      else if (req.restoreType === 'RESTORE_FROM_CUSTOM_SNAPSHOT') {
        const s = snapshots.find((x) => x.SnapshotName === req.snapshotName);
        if (!s || s.SnapshotStatus !== 'READY')
          items.push({
            severity: 'blocking',
            code: 'snapshot-missing',
            message: `Snapshot ${req.snapshotName} does not exist or is not READY.`,
          });
        else restoreName = s.SnapshotName;
      } else {
        restoreName = ready.at(-1)?.SnapshotName;
        if (!restoreName)
          items.push({
            severity: 'info',
            code: 'no-snapshot',
            message: 'There is no snapshot: the job starts with empty state.',
          });
      }
    } else {
      const u = req.update;
      if (status !== 'READY' && status !== 'RUNNING')
        items.push({
          severity: 'blocking',
          code: 'status',
          message: `Update needs READY or RUNNING; the application is ${status}.`,
        });
      if (u.expectedVersionId !== detail.ApplicationVersionId)
        items.push({
          severity: 'blocking',
          code: 'stale-version',
          message: `The application is at version ${detail.ApplicationVersionId}, not ${u.expectedVersionId}: someone changed it meanwhile. Reload.`,
        });
      allowNonRestored = u.allowNonRestoredState ?? false;
      if (u.code)
        newCode = {
          BucketARN: `arn:aws:s3:::${u.code.bucket}`,
          FileKey: u.code.key,
          ObjectVersion: u.code.objectVersion,
        };
      const current = Math.ceil((p?.CurrentParallelism ?? p?.Parallelism ?? 1) / (p?.ParallelismPerKPU ?? 1));
      const next = u.parallelism ? Math.ceil(u.parallelism.parallelism / u.parallelism.parallelismPerKpu) : current;
      kpus = { current, next, limit: KPU_LIMIT };
      if (next > KPU_LIMIT)
        items.push({
          severity: 'blocking',
          code: 'kpu-limit',
          message: `Parallelism needs ${next} KPUs; the limit is ${KPU_LIMIT} per application.`,
        });
      else if (next !== current)
        items.push({
          severity: 'info',
          code: 'kpus',
          message: `KPUs change from ${current} to ${next} (plus one orchestration KPU while running).`,
        });
      if (status === 'RUNNING') {
        if (snapshotsEnabled) {
          items.push({
            severity: 'info',
            code: 'update-snapshot',
            message: 'The service takes a snapshot of the running job and restores the new job from it.',
          });
          if (quota.used >= SNAPSHOT_QUOTA)
            items.push({
              severity: 'info',
              code: 'quota-full',
              message: `The snapshot quota is full (${quota.used} / ${SNAPSHOT_QUOTA}); the service snapshot still counts.`,
            });
        } else
          items.push({
            severity: 'warning',
            code: 'no-snapshots',
            message: 'Snapshots are disabled: the job restarts with empty state.',
          });
        restoreName = snapshotsEnabled ? '(the snapshot taken by this update)' : undefined;
      } else {
        items.push({
          severity: 'info',
          code: 'ready-update',
          message: 'The application is READY: the change applies at the next start.',
        });
        // The next start restores the latest snapshot into the new code: say now if that will fail.
        nextStartSnapshot = ready.at(-1)?.SnapshotName;
      }
    }

    // Keys: the snapshot's key must be enabled for the restore to work.
    let restore: PreflightResponse['restore'];
    const snapshot = snapshots.find((s) => s.SnapshotName === (restoreName ?? nextStartSnapshot));
    if (snapshot) {
      const key = await this.keys.resolve(snapshot.ApplicationEncryptionConfigurationDescription);
      restore = {
        snapshotName: snapshot.SnapshotName,
        ...(key.keyArn ? { keyArn: key.keyArn } : {}),
        ...(key.keyState ? { keyState: key.keyState } : {}),
      };
      if (key.keyType === 'CUSTOMER_MANAGED_KEY' && key.keyState !== 'Enabled')
        items.push({
          severity: nextStartSnapshot ? 'warning' : 'blocking',
          code: 'key-unusable',
          message: `Snapshot ${snapshot.SnapshotName} is encrypted with ${key.keyArn ?? key.keyId}, which is ${key.keyState}: the restore will fail until the key is enabled.`,
        });
    } else if (restoreName) restore = { snapshotName: restoreName };

    // Operator uids in the snapshot that the new code no longer has.
    let droppedUids: string[] | null = null;
    const oldVersion =
      snapshot?.ApplicationVersionId ?? (req.action === 'update' ? detail.ApplicationVersionId : undefined);
    if (
      (snapshot || (req.action === 'update' && status === 'RUNNING' && snapshotsEnabled)) &&
      oldVersion !== undefined &&
      newCode
    ) {
      const old = (await this.apps.version(name, oldVersion)).ApplicationConfigurationDescription
        ?.ApplicationCodeConfigurationDescription?.CodeContentDescription?.S3ApplicationCodeLocationDescription;
      const [before, after] = await Promise.all([
        this.artifacts.operators(old?.BucketARN, old?.FileKey, old?.ObjectVersion),
        this.artifacts.operators(newCode.BucketARN, newCode.FileKey, newCode.ObjectVersion),
      ]);
      if (before && after) {
        droppedUids = before.stateful.filter((uid) => !after.uids.includes(uid));
        const when = nextStartSnapshot ? 'the next start' : `the ${req.action}`;
        if (droppedUids.length > 0)
          items.push(
            allowNonRestored
              ? {
                  severity: 'warning',
                  code: 'state-dropped',
                  message: `State of ${droppedUids.join(', ')} will be dropped (AllowNonRestoredState is on).`,
                }
              : {
                  // An update of a READY application succeeds; it is the next start that would fail.
                  severity: nextStartSnapshot ? 'warning' : 'blocking',
                  code: 'state-not-restorable',
                  message: `Snapshot ${snapshot?.SnapshotName ?? 'taken by the update'} holds state for ${droppedUids.join(', ')}, which the new code no longer has: ${when} will fail unless AllowNonRestoredState is set.`,
                },
          );
      } else
        items.push({
          severity: 'info',
          code: 'uids-unknown',
          message: 'The code package cannot be inspected, so dropped operator state cannot be predicted.',
        });
    }

    return {
      ok: !items.some((i) => i.severity === 'blocking'),
      items,
      ...(restore ? { restore } : {}),
      droppedUids,
      ...(kpus ? { kpus } : {}),
      snapshotQuota: quota,
    };
  }
}
