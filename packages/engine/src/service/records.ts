/**
 * Stored records of the simulated service. Plain JSON (times are epoch ms numbers), so a record can be
 * written to SQLite as it is and read back unchanged.
 */
import type {
  ApplicationConfigurationDescription,
  ApplicationMode,
  ApplicationRestoreType,
  ApplicationStatus,
  CloudWatchLoggingOptionDescription,
  OperationStatus,
  RuntimeEnvironment,
  SnapshotStatus,
  Tag,
} from '@aws-sdk/client-kinesis-analytics-v2';
import type { RandomState } from '../util/random.js';

/** Caller identity resolved by the wire layer from the request signature. */
export interface CallContext {
  account: string;
  region: string;
  /** IAM principal ARN of the caller. */
  principal: string;
  /** Base URL the caller reached the service at; presigned dashboard URLs point there. */
  endpoint?: string;
}

/** The key that protects state: AWS owned, or a customer managed key resolved to its ARN. */
export interface KeyRef {
  keyType: 'AWS_OWNED_KEY' | 'CUSTOMER_MANAGED_KEY';
  /** Key ARN for customer managed keys. */
  keyArn?: string;
  /** The KeyId as the caller wrote it (ARN, id, alias name or alias ARN); Describe echoes it. */
  keyId?: string;
}

export interface AppRecord {
  key: string;
  account: string;
  region: string;
  name: string;
  arn: string;
  description?: string;
  runtime: RuntimeEnvironment;
  mode: ApplicationMode;
  serviceExecutionRole: string;
  status: ApplicationStatus;
  versionId: number;
  versionUpdatedFrom?: number;
  rolledBackFrom?: number;
  rolledBackTo?: number;
  createTimestamp: number;
  lastUpdateTimestamp: number;
  versionCreateTimestamp: number;
  conditionalToken: string;
  /** The configuration of the current version (description shapes, as DescribeApplication shows them). */
  config: ApplicationConfigurationDescription;
  logging: CloudWatchLoggingOptionDescription[];
  /** Run configuration of the current run; shown only while the application runs. */
  run?: RunSettings;
  tags: Tag[];
  maintenanceWindowStart: string;
  /** The operation that holds the application in a transient status. */
  currentOperationId?: string;
  /** Version the running job was deployed from (an update's new version runs only once deployed). */
  runningVersion?: number;
  /** Key protecting the running state: the configured key as of the last (re)start. */
  effectiveKey?: KeyRef;
  /** The configured key, with its ARN resolved when it was set. */
  configuredKey: KeyRef;
  /** True once the application has run: the very first start never restores state. */
  everStarted: boolean;
  /** Code package copy of the current version (blob hash). */
  codeRef?: string;
  currentParallelism: number;
  /** Next sub-resource id suffixes ("1.1", "2.1", ...). */
  nextLoggingId: number;
  nextVpcId: number;
  rng: RandomState;
  /** Opaque id in the application's dashboard URL path. */
  dashboardId: string;
}

export interface RunSettings {
  restoreType: ApplicationRestoreType;
  snapshotName?: string;
  allowNonRestoredState: boolean;
}

/** An immutable configuration version. */
export interface VersionRecord {
  versionId: number;
  createdAt: number;
  runtime: RuntimeEnvironment;
  serviceExecutionRole: string;
  description?: string;
  config: ApplicationConfigurationDescription;
  logging: CloudWatchLoggingOptionDescription[];
  configuredKey: KeyRef;
  versionUpdatedFrom?: number;
  rolledBackFrom?: number;
  rolledBackTo?: number;
  conditionalToken: string;
  codeRef?: string;
  /** Status this version had when it was superseded (ROLLED_BACK for an abandoned version). */
  status: ApplicationStatus;
  /** Snapshot the service took when this version was deployed to a running application: what a rollback restores. */
  deploySnapshot?: string;
}

export interface SnapshotRecord {
  name: string;
  status: SnapshotStatus;
  versionId: number;
  runtime: RuntimeEnvironment;
  /** Whole seconds: clients echo it back with different precisions. */
  createdAt: number;
  key: KeyRef;
  /** Operator uid → state bytes held for it. */
  operatorState: Record<string, number>;
  /** Who took it: a customer request or the service (on stop, update, scaling). */
  source: 'manual' | 'stop' | 'update' | 'scale';
  /** Id of the scheduled completion while CREATING/DELETING. */
  pendingEventId?: string;
}

export type OperationName =
  | 'StartApplication'
  | 'StopApplication'
  | 'ForceStopApplication'
  | 'UpdateApplication'
  | 'RollbackApplication'
  | 'DeleteApplication'
  | 'AddApplicationCloudWatchLoggingOption'
  | 'DeleteApplicationCloudWatchLoggingOption'
  | 'AddApplicationVpcConfiguration'
  | 'DeleteApplicationVpcConfiguration'
  | 'UpdateApplicationMaintenanceConfiguration';

/** A phase of a long operation, for progress display. */
export interface OperationPhase {
  name: PhaseName;
  startedAt: number;
  endedAt?: number;
}

export type PhaseName =
  | 'provisioning'
  | 'snapshot'
  | 'stopping'
  | 'submitting'
  | 'restoring'
  | 'initializing'
  | 'updating'
  | 'deleting'
  | 'running';

export interface OperationRecord {
  id: string;
  operation: OperationName;
  status: OperationStatus;
  startTime: number;
  endTime?: number;
  /** Who asked: a customer principal, or the service itself (system rollback). */
  initiatedBy: 'customer' | 'service';
  versionFrom?: number;
  versionTo?: number;
  errorString?: string;
  rollbackOperationId?: string;
  /** The operation a system rollback rolls back, and the one this operation cancelled or was cancelled by. */
  rollsBackOperationId?: string;
  /** Status the application returns to when this operation succeeds / fails. */
  success: ApplicationStatus | 'GONE';
  failure: ApplicationStatus | 'GONE';
  phases: OperationPhase[];
  /** Index of the next workflow step and the scheduled event that runs it. */
  step: number;
  pendingEventId?: string;
  /** Parameters the workflow needs (restore choice, target version, ...). */
  params: OperationParams;
  /** Processing downtime inside the operation: from the old job stopping to all new subtasks RUNNING. */
  downtimeStart?: number;
  downtimeEnd?: number;
  /** Snapshot taken by this operation (stop/update). */
  snapshotName?: string;
}

export interface OperationParams {
  restoreType?: ApplicationRestoreType;
  snapshotName?: string;
  allowNonRestoredState?: boolean;
  /** For a rollback: the version whose configuration is restored. */
  targetVersion?: number;
  /** Whether the application was RUNNING when the operation began. */
  wasRunning?: boolean;
}
