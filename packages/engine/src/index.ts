export {
  Engine,
  adminContext,
  DEFAULT_ACCOUNT,
  DEFAULT_REGION,
  DEFAULT_START_TIME,
  METRICS_TICK_EVENT,
} from './engine.js';
export type { EngineOptions, EngineFault, Telemetry } from './engine.js';
export type { Limits } from './engine-env.js';
export { DEFAULT_LIMITS } from './engine-env.js';
export { TIME_PROFILES, type TimeProfileName, type TimeProfile } from './time/profiles.js';
export { Scheduler, type ScheduledEvent } from './time/scheduler.js';
export { VirtualClock } from './time/clock.js';
export { Random, hex128, hash32 } from './util/random.js';
export { ServiceError, isServiceError } from './util/errors.js';
export { toBase64, fromBase64, utf8, fromUtf8, md5Hex, sha256Hex } from './util/bytes.js';
export type { Change } from './store/table.js';
export type {
  CallContext,
  AppRecord,
  OperationRecord,
  SnapshotRecord,
  VersionRecord,
  KeyRef,
} from './service/records.js';
export { checkInvariants } from './invariants.js';
export { TRANSITIONS, REQUIRED_STATUS, allowedActions, type LifecycleAction } from './service/lifecycle.js';
export { ManagedFlinkService } from './service/managed-flink-service.js';
export { KmsService, MAX_KEY_TAGS } from './kms/kms-service.js';
export {
  LogGroupService,
  DEFAULT_LOG_STREAM,
  RETENTION_DAYS,
  logGroupArn,
  logGroupNameOf,
  type LogGroupRecord,
  type LogGroupClass,
  type LogGroupView,
  type LogStreamView,
  type LogTarget,
} from './logs/log-groups.js';
export { defaultKeyPolicy, policyAllows } from './kms/policy.js';
export { MSF_SERVICE_PRINCIPALS } from './service/encryption.js';
export { checkSession, DASHBOARD_PATH, type PresignedSession, type SessionCheck } from './service/presigned-url.js';
export {
  ArtifactStore,
  type BucketRecord,
  type ObjectMetadata,
  type ObjectRecord,
  type ObjectVersionRecord,
} from './artifacts/artifact-store.js';
export { DEMO_ARTIFACTS, DEMO_BUCKET, DEMO_BUCKET_ARN } from './artifacts/demo-artifacts.js';
export { parseCodePackage, manifestSchema, DEFAULT_JOB, type Manifest, type FaultKind } from './flink/manifest.js';
export { buildJobGraph, planJson } from './flink/job-graph.js';
export { FlinkRuntime, operatorState } from './flink/flink-runtime.js';
export { computeFlow, backpressureLevel } from './flink/flow.js';
export { jobStatics } from './flink/job-statics.js';
export { DEBLOAT_FACTOR } from './flink/checkpoints.js';
export {
  FLINK_PROPERTY_GROUP,
  UNALIGNED_CHECKPOINTS_KEY,
  UNALIGNED_CHECKPOINTS_ENABLED_KEY,
  BUFFER_DEBLOAT_KEY,
  jobOptionsFromProperties,
} from './flink/job-options.js';
export {
  EventLogStore,
  LogLines,
  MAX_LOG_ENTRIES,
  type RenderedLogLine,
  type AppLog,
  type LogRow,
  type LogExport,
  type LogListener,
  type LogColumns,
  LOG_COLS,
} from './telemetry/event-log.js';
export {
  MetricsStore,
  APP_METRICS,
  METRIC_WIDTH,
  MINUTE,
  SLOTS as METRIC_SLOTS,
  storedValue,
  valueOf,
  type AppMetric,
  type MetricPoint,
  type MetricsListener,
} from './telemetry/metrics.js';
export {
  vertexIoTotals,
  vertexSubtaskMetrics,
  type IoTotals,
  type SubtaskMetrics,
} from './telemetry/vertex-metrics.js';
export { noise, jitter } from './telemetry/noise.js';
export type * from './flink/cluster-state.js';
export { EXECUTION_STATES, JOB_STATUSES, isSavepointType } from './flink/cluster-state.js';
export { aggregate, statistic, isStatistic, checkPeriod } from './cloudwatch/statistics.js';
export { parseExpression, type Series } from './cloudwatch/metric-math.js';
export {
  compileQueries,
  runQueries,
  type MetricQuery,
  type MetricQueryResult,
  type MetricRef,
  type MetricStat,
  type MetricReader,
} from './cloudwatch/metric-queries.js';
export {
  AlarmService,
  alarmPeriod,
  MAX_ALARMS,
  HISTORY_RETENTION_MS,
  type PutMetricAlarmInput,
  type AlarmTransition,
} from './cloudwatch/alarms.js';
export type { AlarmRecord, AlarmHistoryRecord, AlarmState } from './cloudwatch/alarm-records.js';
export { resolveMetric, sameMetric, NAMESPACE as METRICS_NAMESPACE } from './cloudwatch/metric-source.js';
export {
  InsightsQuery,
  validateQuery,
  MalformedQueryError,
  MAX_QUERY_LIMIT,
  STEP_EVENTS,
  type InsightsEvent,
  type QueryCompileError,
  type QueryOutput,
  type QueryOptions,
  type QueryStatistics,
  type ResultField,
} from './logs-insights/index.js';
export { IamService, IAM_QUOTAS, parsePolicyArn, parseRoleArn } from './iam/iam-service.js';
export { StsService } from './iam/sts-service.js';
export { encodePolicy, policyProblem } from './iam/policy-document.js';
export type { IamRoleRecord, IamPolicyRecord, StsSessionRecord, IamTag } from './iam/records.js';
