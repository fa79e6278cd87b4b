/** The fleet and one application, as the console shows them. */
import { z } from 'zod';
import { AllowedAction, ACTIONS } from './actions.js';
import { AdviceSummary } from './advisor.js';
import { ApplicationStatus, Attention, KeyRef, OperationView, RestoreType } from './common.js';

/** Facts the BFF could not read for a RUNNING application: its health then says so instead of "healthy". */
export const UnreadFacts = z.object({
  facts: z.enum(['job', 'exceptions', 'checkpoints', 'metrics']),
  reason: z.string(),
  /** Not read yet (a big fleet's jobs are read in the background; a fleet event follows), not a failure. */
  pending: z.boolean().optional(),
});
export type UnreadFacts = z.infer<typeof UnreadFacts>;

/**
 * Job health in one line: from the Flink dashboard (the BFF reads every RUNNING application's job, watched
 * or not) and CloudWatch metrics. Counts "Last5m"/"InWindow" cover the health window (5 minutes).
 */
export const JobHealth = z.object({
  source: z.enum(['dashboard', 'metrics', 'none']),
  jobStatus: z.string().optional(),
  subtasksRunning: z.number().int().optional(),
  subtasksTotal: z.number().int().optional(),
  subtasksFailed: z.number().int().optional(),
  subtasksCanceled: z.number().int().optional(),
  restartsLast5m: z.number().optional(),
  failedCheckpointsLast5m: z.number().optional(),
  /** Entries of the job's exception history inside the window (at least this many when the history was cut). */
  exceptionsInWindow: z.number().int().optional(),
  /** Age of the last completed checkpoint at `generatedAt`; absent when none completed or unread. */
  lastCheckpointAgeMs: z.number().optional(),
  checkpointingEnabled: z.boolean().optional(),
  /** fullRestarts since the start of the run. */
  totalRestarts: z.number().optional(),
  /** When the job was read from the dashboard (epoch ms, service time). */
  readAt: z.number().optional(),
  unread: z.array(UnreadFacts).optional(),
});
export type JobHealth = z.infer<typeof JobHealth>;

export const FleetApplication = z.object({
  name: z.string(),
  arn: z.string(),
  status: ApplicationStatus,
  versionId: z.number().int(),
  runtime: z.string(),
  mode: z.string(),
  kpus: z.number().int().nullable(),
  parallelism: z.number().int().nullable(),
  /** Absent while detailsPending. */
  encryption: KeyRef.pick({ keyType: true, keyId: true }).optional(),
  jobHealth: JobHealth,
  attention: Attention,
  lastOperation: OperationView.optional(),
  /**
   * The BFF has not read this application's details yet (a cold start over a big fleet): KPUs,
   * parallelism, encryption and the newest operation are unknown; a fleet event follows once they are read.
   */
  detailsPending: z.boolean().optional(),
  /** The advisor's last judgement of a RUNNING application (read in the background; absent until then). */
  advice: AdviceSummary.optional(),
});
export type FleetApplication = z.infer<typeof FleetApplication>;

export const FleetResponse = z.object({
  applications: z.array(FleetApplication),
  generatedAt: z.number(),
});
export type FleetResponse = z.infer<typeof FleetResponse>;

export const ApplicationView = z.object({
  name: z.string(),
  arn: z.string(),
  description: z.string().optional(),
  status: ApplicationStatus,
  versionId: z.number().int(),
  runtime: z.string(),
  mode: z.string(),
  createTimestamp: z.number(),
  lastUpdateTimestamp: z.number().optional(),
  conditionalToken: z.string().optional(),
  serviceExecutionRole: z.string().optional(),
  parallelism: z.object({
    configurationType: z.string(),
    parallelism: z.number().int(),
    parallelismPerKpu: z.number().int(),
    currentParallelism: z.number().int(),
    autoScaling: z.boolean(),
    kpus: z.number().int(),
  }),
  checkpointing: z.object({
    configurationType: z.string(),
    enabled: z.boolean(),
    intervalMs: z.number(),
    minPauseMs: z.number(),
  }),
  snapshotsEnabled: z.boolean(),
  systemRollbackEnabled: z.boolean(),
  code: z
    .object({
      bucketArn: z.string().optional(),
      fileKey: z.string().optional(),
      objectVersion: z.string().optional(),
      md5: z.string().optional(),
      size: z.number().optional(),
    })
    .optional(),
  properties: z.array(z.object({ groupId: z.string(), properties: z.record(z.string(), z.string()) })),
  logging: z.array(z.object({ id: z.string().optional(), logStreamArn: z.string() })),
  maintenanceWindow: z.object({ start: z.string(), end: z.string() }).optional(),
  runConfiguration: z
    .object({ restoreType: RestoreType, snapshotName: z.string().optional(), allowNonRestoredState: z.boolean() })
    .optional(),
  encryption: z.object({
    configured: KeyRef,
    /** The key protecting the running state: the configured key as of the last (re)start. */
    inEffect: KeyRef.optional(),
    /** A changed key waits for the next (re)start. */
    pendingRestart: z.boolean(),
  }),
  versionUpdatedFrom: z.number().optional(),
  rolledBackFrom: z.number().optional(),
  rolledBackTo: z.number().optional(),
  currentOperation: OperationView.optional(),
  lastOperation: OperationView.optional(),
  allowedActions: z.record(z.enum(ACTIONS), AllowedAction),
  /** While RUNNING: the facts the attention was judged from, and what could not be read. */
  jobHealth: JobHealth.optional(),
  attention: Attention,
});
export type ApplicationView = z.infer<typeof ApplicationView>;

export const VersionSummary = z.object({ versionId: z.number().int(), status: ApplicationStatus });
export const VersionsResponse = z.object({ versions: z.array(VersionSummary), currentVersionId: z.number().int() });
export type VersionsResponse = z.infer<typeof VersionsResponse>;

export const VersionDiff = z.object({
  from: z.number().int(),
  to: z.number().int(),
  changes: z.array(z.object({ path: z.string(), from: z.unknown().optional(), to: z.unknown().optional() })),
});
export type VersionDiff = z.infer<typeof VersionDiff>;

export const OperationsResponse = z.object({ operations: z.array(OperationView) });
export type OperationsResponse = z.infer<typeof OperationsResponse>;
