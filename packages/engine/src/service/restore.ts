/**
 * Which state a new job restores, decided when the job is submitted: none on the very first start or
 * with SKIP_RESTORE_FROM_SNAPSHOT, the newest READY snapshot by default, or a named one. A snapshot holding
 * state for an operator uid the new job no longer has fails the start unless AllowNonRestoredState; a
 * snapshot whose customer managed key cannot be used fails it too.
 */
import { buildJobGraph } from '../flink/job-graph.js';
import type { Manifest } from '../flink/manifest.js';
import { hex128 } from '../util/random.js';
import type { ServiceCore } from './core.js';
import { keyProblem } from './encryption.js';
import type { AppRecord, SnapshotRecord } from './records.js';

export interface RestorePlan {
  snapshot?: SnapshotRecord;
  /** State restored per operator uid (uids the new job does not have are dropped). */
  state: Record<string, number>;
}

export type RestoreOutcome = { ok: true; plan: RestorePlan } | { ok: false; error: string };

export function chooseSnapshot(
  core: ServiceCore,
  app: AppRecord,
  restoreType: string | undefined,
  snapshotName: string | undefined,
): { snapshot?: SnapshotRecord; error?: string } {
  if (!app.everStarted || restoreType === 'SKIP_RESTORE_FROM_SNAPSHOT') return {};
  if (restoreType === 'RESTORE_FROM_CUSTOM_SNAPSHOT') {
    const s = snapshotName ? core.snapshot(app, snapshotName) : undefined;
    if (!s || s.status !== 'READY') return { error: `Snapshot ${snapshotName} does not exist or is not READY.` };
    return { snapshot: s };
  }
  return { snapshot: core.latestReadySnapshot(app) };
}

export function planRestore(
  core: ServiceCore,
  snapshot: SnapshotRecord | undefined,
  manifest: Manifest,
  allowNonRestoredState: boolean,
): RestoreOutcome {
  if (!snapshot) return { ok: true, plan: { state: {} } };
  const location = `s3://managed-flink-snapshots/${snapshot.name}`;
  const problem = keyProblem(core, snapshot.key.keyArn);
  if (problem)
    return {
      ok: false,
      error: `Failed to restore from snapshot ${snapshot.name}: unable to decrypt the snapshot. ${problem}`,
    };
  const uids = new Set(buildJobGraph(manifest, 1).uids);
  const dropped = Object.keys(snapshot.operatorState).filter((uid) => !uids.has(uid));
  if (dropped.length > 0 && !allowNonRestoredState)
    return {
      ok: false,
      error:
        `java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint ${location}. ` +
        `Cannot map checkpoint/savepoint state for operator ${hex128(`vertex:${dropped[0]}`)} (uid ${dropped[0]}) to the new program, ` +
        'because the operator is not available in the new program. If you want to allow to skip this, you can set ' +
        'the --allowNonRestoredState option on the CLI.',
    };
  const state = Object.fromEntries(Object.entries(snapshot.operatorState).filter(([uid]) => uids.has(uid)));
  return { ok: true, plan: { snapshot, state } };
}
