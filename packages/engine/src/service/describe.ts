/** Response shapes built from stored records (epoch ms numbers become the SDK's Date values). */
import type {
  ApplicationDetail,
  ApplicationOperationInfo,
  ApplicationOperationInfoDetails,
  ApplicationSummary,
  SnapshotDetails,
} from '@aws-sdk/client-kinesis-analytics-v2';
import type { AppRecord, KeyRef, OperationRecord, SnapshotRecord, VersionRecord } from './records.js';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

export function maintenanceWindow(start: string) {
  const [h, m] = start.split(':').map(Number) as [number, number];
  const end = `${String((h + 8) % 24).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return { ApplicationMaintenanceWindowStartTime: start, ApplicationMaintenanceWindowEndTime: end };
}

export function encryptionDescription(key: KeyRef) {
  return key.keyType === 'CUSTOMER_MANAGED_KEY'
    ? { KeyType: key.keyType, KeyId: key.keyId ?? key.keyArn }
    : { KeyType: key.keyType };
}

/** ApplicationDetail of the current version, as DescribeApplication returns it. */
export function applicationDetail(app: AppRecord, jobPlan?: string): ApplicationDetail {
  const config = structuredClone(app.config);
  if (
    app.run &&
    (app.status === 'RUNNING' ||
      app.status === 'UPDATING' ||
      app.status === 'AUTOSCALING' ||
      app.status === 'ROLLING_BACK' ||
      app.status === 'STOPPING' ||
      app.status === 'FORCE_STOPPING' ||
      app.status === 'STARTING')
  )
    config.RunConfigurationDescription = {
      ApplicationRestoreConfigurationDescription: {
        ApplicationRestoreType: app.run.restoreType,
        ...(app.run.snapshotName ? { SnapshotName: app.run.snapshotName } : {}),
      },
      FlinkRunConfigurationDescription: { AllowNonRestoredState: app.run.allowNonRestoredState },
    };
  if (jobPlan && config.FlinkApplicationConfigurationDescription)
    config.FlinkApplicationConfigurationDescription.JobPlanDescription = jobPlan;
  return {
    ApplicationARN: app.arn,
    ApplicationDescription: app.description,
    ApplicationName: app.name,
    RuntimeEnvironment: app.runtime,
    ServiceExecutionRole: app.serviceExecutionRole,
    ApplicationStatus: app.status,
    ApplicationVersionId: app.versionId,
    CreateTimestamp: date(app.createTimestamp),
    LastUpdateTimestamp: date(app.lastUpdateTimestamp),
    ApplicationConfigurationDescription: config,
    CloudWatchLoggingOptionDescriptions: structuredClone(app.logging),
    ApplicationMaintenanceConfigurationDescription: maintenanceWindow(app.maintenanceWindowStart),
    ApplicationVersionUpdatedFrom: app.versionUpdatedFrom,
    ApplicationVersionRolledBackFrom: app.rolledBackFrom,
    ApplicationVersionRolledBackTo: app.rolledBackTo,
    ApplicationVersionCreateTimestamp: date(app.versionCreateTimestamp),
    ConditionalToken: app.conditionalToken,
    ApplicationMode: app.mode,
  };
}

/** ApplicationDetail as of an older version: its configuration, the application's identity. */
export function versionDetail(
  app: AppRecord,
  v: VersionRecord,
  status: ApplicationDetail['ApplicationStatus'],
): ApplicationDetail {
  return {
    ApplicationARN: app.arn,
    ApplicationDescription: v.description,
    ApplicationName: app.name,
    RuntimeEnvironment: v.runtime,
    ServiceExecutionRole: v.serviceExecutionRole,
    ApplicationStatus: status,
    ApplicationVersionId: v.versionId,
    CreateTimestamp: date(app.createTimestamp),
    LastUpdateTimestamp: date(v.createdAt),
    ApplicationConfigurationDescription: structuredClone(v.config),
    CloudWatchLoggingOptionDescriptions: structuredClone(v.logging),
    ApplicationMaintenanceConfigurationDescription: maintenanceWindow(app.maintenanceWindowStart),
    ApplicationVersionUpdatedFrom: v.versionUpdatedFrom,
    ApplicationVersionRolledBackFrom: v.rolledBackFrom,
    ApplicationVersionRolledBackTo: v.rolledBackTo,
    ApplicationVersionCreateTimestamp: date(v.createdAt),
    ConditionalToken: v.conditionalToken,
    ApplicationMode: app.mode,
  };
}

export function applicationSummary(app: AppRecord): ApplicationSummary {
  return {
    ApplicationName: app.name,
    ApplicationARN: app.arn,
    ApplicationStatus: app.status,
    ApplicationVersionId: app.versionId,
    RuntimeEnvironment: app.runtime,
    ApplicationMode: app.mode,
  };
}

export function snapshotDetails(s: SnapshotRecord): SnapshotDetails {
  return {
    SnapshotName: s.name,
    SnapshotStatus: s.status,
    ApplicationVersionId: s.versionId,
    SnapshotCreationTimestamp: new Date(s.createdAt),
    RuntimeEnvironment: s.runtime,
    ApplicationEncryptionConfigurationDescription: encryptionDescription(s.key),
  };
}

export function operationInfo(op: OperationRecord): ApplicationOperationInfo {
  return {
    Operation: op.operation,
    OperationId: op.id,
    StartTime: new Date(op.startTime),
    EndTime: date(op.endTime),
    OperationStatus: op.status,
  };
}

export function operationDetails(op: OperationRecord): ApplicationOperationInfoDetails {
  return {
    Operation: op.operation,
    StartTime: new Date(op.startTime),
    EndTime: date(op.endTime),
    OperationStatus: op.status,
    ...(op.versionFrom !== undefined && op.versionTo !== undefined
      ? {
          ApplicationVersionChangeDetails: {
            ApplicationVersionUpdatedFrom: op.versionFrom,
            ApplicationVersionUpdatedTo: op.versionTo,
          },
        }
      : {}),
    ...(op.status === 'FAILED' || op.rollbackOperationId
      ? {
          OperationFailureDetails: {
            ...(op.rollbackOperationId ? { RollbackOperationId: op.rollbackOperationId } : {}),
            ...(op.errorString ? { ErrorInfo: { ErrorString: op.errorString.slice(0, 512) } } : {}),
          },
        }
      : {}),
  };
}
