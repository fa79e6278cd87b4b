/**
 * kinesisanalyticsv2 as a pure, deterministic service: one method per operation, typed with the AWS SDK's
 * request and response types, throwing ServiceErrors named like AWS's. Behaviour follows BEHAVIOR.md.
 */
import type {
  AddApplicationCloudWatchLoggingOptionRequest,
  AddApplicationCloudWatchLoggingOptionResponse,
  AddApplicationInputProcessingConfigurationResponse,
  AddApplicationInputResponse,
  AddApplicationOutputResponse,
  AddApplicationReferenceDataSourceResponse,
  AddApplicationVpcConfigurationRequest,
  AddApplicationVpcConfigurationResponse,
  ApplicationConfigurationDescription,
  CreateApplicationPresignedUrlRequest,
  CreateApplicationPresignedUrlResponse,
  CreateApplicationRequest,
  CreateApplicationResponse,
  CreateApplicationSnapshotRequest,
  CreateApplicationSnapshotResponse,
  DeleteApplicationCloudWatchLoggingOptionRequest,
  DeleteApplicationCloudWatchLoggingOptionResponse,
  DeleteApplicationInputProcessingConfigurationResponse,
  DeleteApplicationOutputResponse,
  DeleteApplicationReferenceDataSourceResponse,
  DeleteApplicationRequest,
  DeleteApplicationResponse,
  DeleteApplicationSnapshotRequest,
  DeleteApplicationSnapshotResponse,
  DeleteApplicationVpcConfigurationRequest,
  DeleteApplicationVpcConfigurationResponse,
  DescribeApplicationOperationRequest,
  DescribeApplicationOperationResponse,
  DescribeApplicationRequest,
  DescribeApplicationResponse,
  DescribeApplicationSnapshotRequest,
  DescribeApplicationSnapshotResponse,
  DescribeApplicationVersionRequest,
  DescribeApplicationVersionResponse,
  DiscoverInputSchemaResponse,
  ListApplicationOperationsRequest,
  ListApplicationOperationsResponse,
  ListApplicationSnapshotsRequest,
  ListApplicationSnapshotsResponse,
  ListApplicationVersionsRequest,
  ListApplicationVersionsResponse,
  ListApplicationsRequest,
  ListApplicationsResponse,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  RollbackApplicationRequest,
  RollbackApplicationResponse,
  RuntimeEnvironment,
  StartApplicationRequest,
  StartApplicationResponse,
  StopApplicationRequest,
  StopApplicationResponse,
  Tag,
  TagResourceRequest,
  TagResourceResponse,
  UntagResourceRequest,
  UntagResourceResponse,
  UpdateApplicationMaintenanceConfigurationRequest,
  UpdateApplicationMaintenanceConfigurationResponse,
  UpdateApplicationRequest,
  UpdateApplicationResponse,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { planJson, buildJobGraph } from '../flink/job-graph.js';
import { parseCodePackage } from '../flink/manifest.js';
import {
  concurrentModification,
  invalidApplicationConfiguration,
  invalidArgument,
  invalidRequest,
  limitExceeded,
  resourceInUse,
  resourceNotFound,
  tooManyTags,
  unsupportedOperation,
} from '../util/errors.js';
import { Random } from '../util/random.js';
import {
  checkpointFromCreate,
  checkpointFromUpdate,
  codeFromCreate,
  codeFromUpdate,
  loggingDescription,
  monitoringFromCreate,
  monitoringFromUpdate,
  parallelismFromCreate,
  parallelismFromUpdate,
  propertyGroups,
  recopyCode,
  subResourceId,
  vpcDescription,
} from './configuration.js';
import type { ServiceCore } from './core.js';
import {
  applicationDetail,
  applicationSummary,
  encryptionDescription,
  maintenanceWindow,
  operationDetails,
  operationInfo,
  snapshotDetails,
  versionDetail,
} from './describe.js';
import { AWS_OWNED, flinkRuntimeRank, keyProblem, requireKeyAccess, resolveEncryption, sameKey } from './encryption.js';
import { requireStatus, requireTransition } from './lifecycle.js';
import { paginate } from './pagination.js';
import { createSession, dashboardUrl } from './presigned-url.js';
import type { AppRecord, CallContext, OperationName, SnapshotRecord } from './records.js';
import { SNAPSHOT_DELETE_EVENT, SNAPSHOT_DONE_EVENT, Workflows, applyRollbackVersion } from './workflows.js';

/** Runtimes that can no longer be created or started. */
const RETIRED_RUNTIMES: RuntimeEnvironment[] = ['FLINK-1_6', 'FLINK-1_8', 'FLINK-1_11', 'SQL-1_0'];

export class ManagedFlinkService {
  readonly workflows: Workflows;

  constructor(private core: ServiceCore) {
    this.workflows = new Workflows(core);
  }

  // ---- applications ----------------------------------------------------------------------------

  createApplication(ctx: CallContext, req: CreateApplicationRequest): CreateApplicationResponse {
    const { core } = this;
    const name = req.ApplicationName!;
    const runtime = req.RuntimeEnvironment!;
    if (RETIRED_RUNTIMES.includes(runtime))
      throw unsupportedOperation(`Runtime environment ${runtime} is no longer supported for new applications.`);
    const interactive = runtime.startsWith('ZEPPELIN');
    const mode = req.ApplicationMode ?? (interactive ? 'INTERACTIVE' : 'STREAMING');
    if ((mode === 'INTERACTIVE') !== interactive)
      throw invalidArgument(`ApplicationMode ${mode} is not valid for runtime ${runtime}.`);
    if (core.findApp(ctx, name)) throw resourceInUse(`Application ${name} already exists.`);
    if (core.appsIn(ctx.account, ctx.region).length >= core.env.limits.applicationsPerRegion)
      throw limitExceeded(
        `The number of applications in ${ctx.region} has reached the limit of ${core.env.limits.applicationsPerRegion}.`,
      );
    if ((req.Tags?.length ?? 0) > core.env.limits.tagsPerApplication)
      throw tooManyTags(`An application can have at most ${core.env.limits.tagsPerApplication} tags.`);
    checkTagKeys(req.Tags ?? []);
    const cfg = req.ApplicationConfiguration ?? {};
    if (cfg.SqlApplicationConfiguration)
      throw invalidArgument('SqlApplicationConfiguration is valid only for SQL applications.');
    if (cfg.ZeppelinApplicationConfiguration && !interactive)
      throw invalidArgument('ZeppelinApplicationConfiguration is valid only for Studio notebooks.');
    const flink = cfg.FlinkApplicationConfiguration;
    const parallelism = parallelismFromCreate(core, flink?.ParallelismConfiguration);
    const code = cfg.ApplicationCodeConfiguration ? codeFromCreate(core, cfg.ApplicationCodeConfiguration) : undefined;
    const configuredKey = cfg.ApplicationEncryptionConfiguration
      ? resolveEncryption(core, ctx, runtime, cfg.ApplicationEncryptionConfiguration)
      : AWS_OWNED;
    if ((cfg.VpcConfigurations?.length ?? 0) > 1)
      throw invalidArgument('An application can have only one VPC configuration.');
    if ((req.CloudWatchLoggingOptions?.length ?? 0) > 1)
      throw invalidArgument('An application can have only one CloudWatch logging option.');

    const now = core.nowSeconds();
    const key = core.appKey(ctx, name);
    const random = Random.fromSeed(`${core.store.meta.get('engine')?.seed ?? ''}:${key}`);
    const app: AppRecord = {
      key,
      account: ctx.account,
      region: ctx.region,
      name,
      arn: `arn:aws:kinesisanalytics:${ctx.region}:${ctx.account}:application/${name}`,
      description: req.ApplicationDescription,
      runtime,
      mode,
      serviceExecutionRole: req.ServiceExecutionRole!,
      status: 'READY',
      versionId: 1,
      createTimestamp: now,
      lastUpdateTimestamp: now,
      versionCreateTimestamp: now,
      conditionalToken: '',
      config: {},
      logging: [],
      tags: (req.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
      maintenanceWindowStart: '03:00',
      configuredKey,
      everStarted: false,
      codeRef: code?.codeRef,
      currentParallelism: parallelism.Parallelism!,
      nextLoggingId: 1,
      nextVpcId: 1,
      rng: random.state,
      dashboardId: random.hex(20),
    };
    app.conditionalToken = core.newConditionalToken(app);
    app.config = {
      ...(code ? { ApplicationCodeConfigurationDescription: code.description } : {}),
      FlinkApplicationConfigurationDescription: {
        CheckpointConfigurationDescription: checkpointFromCreate(flink?.CheckpointConfiguration),
        MonitoringConfigurationDescription: monitoringFromCreate(flink?.MonitoringConfiguration),
        ParallelismConfigurationDescription: parallelism,
      },
      ...(cfg.EnvironmentProperties
        ? {
            EnvironmentPropertyDescriptions: {
              PropertyGroupDescriptions: propertyGroups(cfg.EnvironmentProperties.PropertyGroups ?? []),
            },
          }
        : {}),
      ApplicationSnapshotConfigurationDescription: {
        SnapshotsEnabled: cfg.ApplicationSnapshotConfiguration?.SnapshotsEnabled ?? true,
      },
      ApplicationSystemRollbackConfigurationDescription: {
        RollbackEnabled: cfg.ApplicationSystemRollbackConfiguration?.RollbackEnabled ?? false,
      },
      ...(cfg.VpcConfigurations?.length
        ? {
            VpcConfigurationDescriptions: cfg.VpcConfigurations.map((v) =>
              vpcDescription(subResourceId(app, 1, 'vpc'), v),
            ),
          }
        : {}),
      ...(interactive
        ? {
            ZeppelinApplicationConfigurationDescription: {
              MonitoringConfigurationDescription: {
                LogLevel: cfg.ZeppelinApplicationConfiguration?.MonitoringConfiguration?.LogLevel ?? 'INFO',
              },
            },
          }
        : {}),
      ApplicationEncryptionConfigurationDescription: encryptionDescription(configuredKey),
    };
    app.logging = (req.CloudWatchLoggingOptions ?? []).map((o) =>
      loggingDescription(subResourceId(app, 1, 'logging'), o),
    );
    core.store.apps.set(key, app);
    this.saveVersionOf(app, undefined);
    return { ApplicationDetail: applicationDetail(app) };
  }

  describeApplication(ctx: CallContext, req: DescribeApplicationRequest): DescribeApplicationResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    let plan: string | undefined;
    if (req.IncludeAdditionalDetails) {
      const job = this.core.flink.cluster(app.key)?.job;
      if (job) plan = JSON.stringify(planJson(job.jid, job.name, { vertices: job.vertices, uids: [] }));
      else if (app.codeRef) {
        const manifest = parseCodePackage(this.core.artifacts.blob(app.codeRef)).manifest;
        plan = JSON.stringify(planJson('', manifest.name, buildJobGraph(manifest, app.currentParallelism)));
      }
    }
    return { ApplicationDetail: applicationDetail(app, plan) };
  }

  listApplications(ctx: CallContext, req: ListApplicationsRequest): ListApplicationsResponse {
    // The token is an application name (the model types it so): the first name of the next page.
    const apps = this.core
      .appsIn(ctx.account, ctx.region)
      .filter((a) => req.NextToken === undefined || a.name >= req.NextToken);
    const limit = req.Limit ?? 50;
    const page = apps.slice(0, limit);
    const next = apps[limit];
    return {
      ApplicationSummaries: page.map(applicationSummary),
      ...(next ? { NextToken: next.name } : {}),
    };
  }

  deleteApplication(ctx: CallContext, req: DeleteApplicationRequest): DeleteApplicationResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    if (!sameSecond(req.CreateTimestamp, app.createTimestamp))
      throw invalidArgument(
        `CreateTimestamp ${req.CreateTimestamp?.toISOString()} does not match the application's creation time ${new Date(app.createTimestamp).toISOString()}.`,
      );
    requireTransition('delete', app.status, app.name);
    this.workflows.cancel(app, app.currentOperationId);
    this.workflows.begin(app, 'DeleteApplication', 'delete', {});
    return {};
  }

  // ---- configuration changes -------------------------------------------------------------------

  /**
   * The version check every mutation starts with: CurrentApplicationVersionId or ConditionalToken,
   * a stale one → ConcurrentModificationException. It comes before the status check, so concurrent
   * updates with the same version lose with ConcurrentModificationException.
   */
  private checkVersion(app: AppRecord, versionId: number | undefined, token: string | undefined): void {
    if (versionId === undefined && token === undefined)
      throw invalidArgument('Either CurrentApplicationVersionId or ConditionalToken must be provided.');
    if (versionId !== undefined && versionId !== app.versionId)
      throw concurrentModification(
        `The application version id ${versionId} does not match the current version id ${app.versionId} of ${app.name}.`,
      );
    if (token !== undefined && token !== app.conditionalToken)
      throw concurrentModification(`The ConditionalToken does not match the current version of ${app.name}.`);
  }

  /**
   * Commits a configuration change as a new immutable version and runs the update path from the
   * lifecycle table (RUNNING → UPDATING → RUNNING with a restart, READY → UPDATING → READY).
   */
  private commitChange(
    ctx: CallContext,
    app: AppRecord,
    operation: OperationName,
    mutate: (draft: ChangeDraft) => void,
  ): string {
    const { core } = this;
    requireTransition('update', app.status, app.name);
    const draft: ChangeDraft = {
      config: structuredClone(app.config),
      logging: structuredClone(app.logging),
      runtime: app.runtime,
      serviceExecutionRole: app.serviceExecutionRole,
      configuredKey: { ...app.configuredKey },
      codeRef: app.codeRef,
      codeChanged: false,
      run: app.run ? { ...app.run } : undefined,
      nextVersionId: app.versionId + 1,
    };
    mutate(draft);
    if (!draft.codeChanged) {
      const recopied = recopyCode(core, draft.config);
      if (recopied) {
        draft.config.ApplicationCodeConfigurationDescription = recopied.description;
        draft.codeRef = recopied.codeRef;
      }
    }
    // The caller needs both keys when the key changes: the old one protects the state being restored.
    if (!sameKey(draft.configuredKey, app.configuredKey))
      requireKeyAccess(core, ctx, app.effectiveKey, app.configuredKey, draft.configuredKey);

    const wasRunning = app.status === 'RUNNING';
    const old = core.version(app, app.versionId);
    if (old) {
      old.status = app.status;
      core.saveVersion(app, old);
    }
    const now = core.now();
    app.versionUpdatedFrom = app.versionId;
    app.versionId = draft.nextVersionId;
    app.rolledBackFrom = undefined;
    app.rolledBackTo = undefined;
    app.config = draft.config;
    app.logging = draft.logging;
    app.runtime = draft.runtime;
    app.serviceExecutionRole = draft.serviceExecutionRole;
    app.configuredKey = draft.configuredKey;
    app.codeRef = draft.codeRef;
    app.config.ApplicationEncryptionConfigurationDescription = encryptionDescription(draft.configuredKey);
    app.currentParallelism =
      draft.config.FlinkApplicationConfigurationDescription?.ParallelismConfigurationDescription?.Parallelism ?? 1;
    if (wasRunning && draft.run) app.run = draft.run;
    app.lastUpdateTimestamp = now;
    app.versionCreateTimestamp = now;
    app.conditionalToken = core.newConditionalToken(app);
    this.saveVersionOf(app, app.versionUpdatedFrom);
    const op = this.workflows.begin(app, operation, 'update', { wasRunning });
    op.versionFrom = app.versionUpdatedFrom;
    op.versionTo = app.versionId;
    core.saveOperation(app, op);
    return op.id;
  }

  private saveVersionOf(app: AppRecord, updatedFrom: number | undefined): void {
    this.core.saveVersion(app, {
      versionId: app.versionId,
      createdAt: app.versionCreateTimestamp,
      runtime: app.runtime,
      serviceExecutionRole: app.serviceExecutionRole,
      description: app.description,
      config: structuredClone(app.config),
      logging: structuredClone(app.logging),
      configuredKey: { ...app.configuredKey },
      versionUpdatedFrom: updatedFrom,
      conditionalToken: app.conditionalToken,
      codeRef: app.codeRef,
      status: app.status,
    });
  }

  updateApplication(ctx: CallContext, req: UpdateApplicationRequest): UpdateApplicationResponse {
    const { core } = this;
    const app = core.requireApp(ctx, req.ApplicationName);
    this.checkVersion(app, req.CurrentApplicationVersionId, req.ConditionalToken);
    requireTransition('update', app.status, app.name);
    const u = req.ApplicationConfigurationUpdate;
    if (
      !u &&
      !req.ServiceExecutionRoleUpdate &&
      !req.RunConfigurationUpdate &&
      !req.CloudWatchLoggingOptionUpdates &&
      !req.RuntimeEnvironmentUpdate
    )
      throw invalidArgument('The request does not specify any update.');
    if (u?.SqlApplicationConfigurationUpdate)
      throw invalidArgument('SqlApplicationConfigurationUpdate is valid only for SQL applications.');
    if (u?.ZeppelinApplicationConfigurationUpdate && app.mode !== 'INTERACTIVE')
      throw invalidArgument('ZeppelinApplicationConfigurationUpdate is valid only for Studio notebooks.');
    const opId = this.commitChange(ctx, app, 'UpdateApplication', (d) => {
      if (req.RuntimeEnvironmentUpdate && req.RuntimeEnvironmentUpdate !== app.runtime) {
        const to = req.RuntimeEnvironmentUpdate;
        if (RETIRED_RUNTIMES.includes(to) || flinkRuntimeRank(to) < 0 || app.mode === 'INTERACTIVE')
          throw invalidArgument(`Cannot upgrade ${app.runtime} to ${to}.`);
        if (flinkRuntimeRank(to) < flinkRuntimeRank(app.runtime))
          throw invalidArgument(`Cannot downgrade the runtime from ${app.runtime} to ${to}.`);
        d.runtime = to;
      }
      if (req.ServiceExecutionRoleUpdate) d.serviceExecutionRole = req.ServiceExecutionRoleUpdate;
      const flinkU = u?.FlinkApplicationConfigurationUpdate;
      const flinkD = (d.config.FlinkApplicationConfigurationDescription ??= {});
      if (flinkU?.CheckpointConfigurationUpdate)
        flinkD.CheckpointConfigurationDescription = checkpointFromUpdate(
          flinkU.CheckpointConfigurationUpdate,
          flinkD.CheckpointConfigurationDescription,
        );
      if (flinkU?.MonitoringConfigurationUpdate)
        flinkD.MonitoringConfigurationDescription = monitoringFromUpdate(
          flinkU.MonitoringConfigurationUpdate,
          flinkD.MonitoringConfigurationDescription,
        );
      if (flinkU?.ParallelismConfigurationUpdate)
        flinkD.ParallelismConfigurationDescription = parallelismFromUpdate(
          core,
          flinkU.ParallelismConfigurationUpdate,
          flinkD.ParallelismConfigurationDescription,
        );
      if (u?.ApplicationCodeConfigurationUpdate) {
        const code = codeFromUpdate(
          core,
          u.ApplicationCodeConfigurationUpdate,
          d.config.ApplicationCodeConfigurationDescription,
        );
        d.config.ApplicationCodeConfigurationDescription = code.description;
        d.codeRef = code.codeRef;
        d.codeChanged = true;
      }
      if (u?.EnvironmentPropertyUpdates)
        d.config.EnvironmentPropertyDescriptions = {
          PropertyGroupDescriptions: propertyGroups(u.EnvironmentPropertyUpdates.PropertyGroups ?? []),
        };
      if (u?.ApplicationSnapshotConfigurationUpdate)
        d.config.ApplicationSnapshotConfigurationDescription = {
          SnapshotsEnabled: u.ApplicationSnapshotConfigurationUpdate.SnapshotsEnabledUpdate,
        };
      if (u?.ApplicationSystemRollbackConfigurationUpdate)
        d.config.ApplicationSystemRollbackConfigurationDescription = {
          RollbackEnabled: u.ApplicationSystemRollbackConfigurationUpdate.RollbackEnabledUpdate,
        };
      for (const vu of u?.VpcConfigurationUpdates ?? []) {
        const list = d.config.VpcConfigurationDescriptions ?? [];
        const i = list.findIndex((v) => v.VpcConfigurationId === vu.VpcConfigurationId);
        if (i < 0) throw invalidArgument(`VPC configuration ${vu.VpcConfigurationId} does not exist.`);
        list[i] = vpcDescription(list[i]!.VpcConfigurationId!, {
          SubnetIds: vu.SubnetIdUpdates ?? list[i]!.SubnetIds,
          SecurityGroupIds: vu.SecurityGroupIdUpdates ?? list[i]!.SecurityGroupIds,
        });
      }
      for (const lu of req.CloudWatchLoggingOptionUpdates ?? []) {
        const i = d.logging.findIndex((o) => o.CloudWatchLoggingOptionId === lu.CloudWatchLoggingOptionId);
        if (i < 0) throw invalidArgument(`CloudWatch logging option ${lu.CloudWatchLoggingOptionId} does not exist.`);
        if (lu.LogStreamARNUpdate)
          d.logging[i] = loggingDescription(lu.CloudWatchLoggingOptionId!, { LogStreamARN: lu.LogStreamARNUpdate });
      }
      if (u?.ApplicationEncryptionConfigurationUpdate) {
        const e = u.ApplicationEncryptionConfigurationUpdate;
        d.configuredKey = resolveEncryption(core, ctx, d.runtime, { KeyType: e.KeyTypeUpdate, KeyId: e.KeyIdUpdate });
      } else if (d.configuredKey.keyType === 'CUSTOMER_MANAGED_KEY' && d.runtime !== app.runtime) {
        // A runtime change keeps the key; it must still be supported.
        resolveEncryption(core, ctx, d.runtime, { KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: d.configuredKey.keyArn });
      }
      // Omitting AllowNonRestoredState in a RunConfigurationUpdate resets it to false.
      if (req.RunConfigurationUpdate) {
        const ru = req.RunConfigurationUpdate;
        const restore = ru.ApplicationRestoreConfiguration;
        if (restore?.ApplicationRestoreType === 'RESTORE_FROM_CUSTOM_SNAPSHOT' && !restore.SnapshotName)
          throw invalidArgument('SnapshotName is required for RESTORE_FROM_CUSTOM_SNAPSHOT.');
        d.run = {
          restoreType: restore?.ApplicationRestoreType ?? d.run?.restoreType ?? 'RESTORE_FROM_LATEST_SNAPSHOT',
          snapshotName: restore?.SnapshotName,
          allowNonRestoredState: ru.FlinkRunConfiguration?.AllowNonRestoredState ?? false,
        };
      }
    });
    return { ApplicationDetail: applicationDetail(app), OperationId: opId };
  }

  addApplicationCloudWatchLoggingOption(
    ctx: CallContext,
    req: AddApplicationCloudWatchLoggingOptionRequest,
  ): AddApplicationCloudWatchLoggingOptionResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    this.checkVersion(app, req.CurrentApplicationVersionId, req.ConditionalToken);
    const arn = req.CloudWatchLoggingOption!.LogStreamARN;
    if (app.logging.some((o) => o.LogStreamARN === arn))
      throw invalidArgument(`Log stream ${arn} is already configured.`);
    if (app.logging.length >= 1) throw invalidArgument('An application can have only one CloudWatch logging option.');
    const opId = this.commitChange(ctx, app, 'AddApplicationCloudWatchLoggingOption', (d) => {
      d.logging.push(loggingDescription(subResourceId(app, d.nextVersionId, 'logging'), req.CloudWatchLoggingOption!));
    });
    return {
      ApplicationARN: app.arn,
      ApplicationVersionId: app.versionId,
      CloudWatchLoggingOptionDescriptions: structuredClone(app.logging),
      OperationId: opId,
    };
  }

  deleteApplicationCloudWatchLoggingOption(
    ctx: CallContext,
    req: DeleteApplicationCloudWatchLoggingOptionRequest,
  ): DeleteApplicationCloudWatchLoggingOptionResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    this.checkVersion(app, req.CurrentApplicationVersionId, req.ConditionalToken);
    if (!app.logging.some((o) => o.CloudWatchLoggingOptionId === req.CloudWatchLoggingOptionId))
      throw resourceNotFound(`CloudWatch logging option ${req.CloudWatchLoggingOptionId} does not exist.`);
    const opId = this.commitChange(ctx, app, 'DeleteApplicationCloudWatchLoggingOption', (d) => {
      d.logging = d.logging.filter((o) => o.CloudWatchLoggingOptionId !== req.CloudWatchLoggingOptionId);
    });
    return {
      ApplicationARN: app.arn,
      ApplicationVersionId: app.versionId,
      CloudWatchLoggingOptionDescriptions: structuredClone(app.logging),
      OperationId: opId,
    };
  }

  addApplicationVpcConfiguration(
    ctx: CallContext,
    req: AddApplicationVpcConfigurationRequest,
  ): AddApplicationVpcConfigurationResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    this.checkVersion(app, req.CurrentApplicationVersionId, req.ConditionalToken);
    if ((app.config.VpcConfigurationDescriptions?.length ?? 0) >= 1)
      throw invalidArgument('An application can have only one VPC configuration.');
    let added: AddApplicationVpcConfigurationResponse['VpcConfigurationDescription'];
    const opId = this.commitChange(ctx, app, 'AddApplicationVpcConfiguration', (d) => {
      added = vpcDescription(subResourceId(app, d.nextVersionId, 'vpc'), req.VpcConfiguration!);
      d.config.VpcConfigurationDescriptions = [...(d.config.VpcConfigurationDescriptions ?? []), added];
    });
    return {
      ApplicationARN: app.arn,
      ApplicationVersionId: app.versionId,
      VpcConfigurationDescription: added,
      OperationId: opId,
    };
  }

  deleteApplicationVpcConfiguration(
    ctx: CallContext,
    req: DeleteApplicationVpcConfigurationRequest,
  ): DeleteApplicationVpcConfigurationResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    this.checkVersion(app, req.CurrentApplicationVersionId, req.ConditionalToken);
    if (!app.config.VpcConfigurationDescriptions?.some((v) => v.VpcConfigurationId === req.VpcConfigurationId))
      throw resourceNotFound(`VPC configuration ${req.VpcConfigurationId} does not exist.`);
    const opId = this.commitChange(ctx, app, 'DeleteApplicationVpcConfiguration', (d) => {
      d.config.VpcConfigurationDescriptions = d.config.VpcConfigurationDescriptions!.filter(
        (v) => v.VpcConfigurationId !== req.VpcConfigurationId,
      );
      if (d.config.VpcConfigurationDescriptions.length === 0) delete d.config.VpcConfigurationDescriptions;
    });
    return { ApplicationARN: app.arn, ApplicationVersionId: app.versionId, OperationId: opId };
  }

  updateApplicationMaintenanceConfiguration(
    ctx: CallContext,
    req: UpdateApplicationMaintenanceConfigurationRequest,
  ): UpdateApplicationMaintenanceConfigurationResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    if (app.mode === 'INTERACTIVE')
      throw unsupportedOperation('Maintenance configuration is not supported for Studio notebooks.');
    requireStatus('maintenanceConfiguration', app.status, app.name);
    app.maintenanceWindowStart =
      req.ApplicationMaintenanceConfigurationUpdate!.ApplicationMaintenanceWindowStartTimeUpdate!;
    this.core.saveApp(app);
    return {
      ApplicationARN: app.arn,
      ApplicationMaintenanceConfigurationDescription: maintenanceWindow(app.maintenanceWindowStart),
    };
  }

  // ---- running ---------------------------------------------------------------------------------

  startApplication(ctx: CallContext, req: StartApplicationRequest): StartApplicationResponse {
    const { core } = this;
    const app = core.requireApp(ctx, req.ApplicationName);
    if (RETIRED_RUNTIMES.includes(app.runtime)) throw unsupportedOperation(`Runtime ${app.runtime} can no longer run.`);
    requireTransition('start', app.status, app.name);
    const run = req.RunConfiguration;
    if (run?.SqlRunConfigurations) throw invalidArgument('SqlRunConfigurations are valid only for SQL applications.');
    if (!app.codeRef)
      throw invalidApplicationConfiguration(`Application ${app.name} has no code configuration to run.`);
    const restoreType = run?.ApplicationRestoreConfiguration?.ApplicationRestoreType ?? 'RESTORE_FROM_LATEST_SNAPSHOT';
    const snapshotName = run?.ApplicationRestoreConfiguration?.SnapshotName;
    let restoreSnapshot: SnapshotRecord | undefined;
    if (restoreType === 'RESTORE_FROM_CUSTOM_SNAPSHOT') {
      if (!snapshotName) throw invalidArgument('SnapshotName is required for RESTORE_FROM_CUSTOM_SNAPSHOT.');
      restoreSnapshot = core.snapshot(app, snapshotName);
      // The very first start has no state to restore, whatever the choice.
      if (app.everStarted && restoreSnapshot?.status !== 'READY')
        throw invalidArgument(`Snapshot ${snapshotName} does not exist or is not READY.`);
    } else if (restoreType === 'RESTORE_FROM_LATEST_SNAPSHOT') restoreSnapshot = core.latestReadySnapshot(app);
    requireKeyAccess(core, ctx, app.configuredKey, app.everStarted ? restoreSnapshot?.key : undefined);
    app.run = {
      restoreType,
      ...(snapshotName ? { snapshotName } : {}),
      allowNonRestoredState: run?.FlinkRunConfiguration?.AllowNonRestoredState ?? false,
    };
    const op = this.workflows.begin(app, 'StartApplication', 'start', {
      restoreType,
      snapshotName,
      allowNonRestoredState: app.run.allowNonRestoredState,
    });
    return { OperationId: op.id };
  }

  stopApplication(ctx: CallContext, req: StopApplicationRequest): StopApplicationResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    if (req.Force) {
      requireTransition('forceStop', app.status, app.name);
      this.workflows.cancel(app, app.currentOperationId);
      const op = this.workflows.begin(app, 'ForceStopApplication', 'forceStop', {});
      return { OperationId: op.id };
    }
    requireTransition('stop', app.status, app.name);
    requireKeyAccess(this.core, ctx, app.effectiveKey);
    const op = this.workflows.begin(app, 'StopApplication', 'stop', {});
    return { OperationId: op.id };
  }

  rollbackApplication(ctx: CallContext, req: RollbackApplicationRequest): RollbackApplicationResponse {
    const { core } = this;
    const app = core.requireApp(ctx, req.ApplicationName);
    this.checkVersion(app, req.CurrentApplicationVersionId, undefined);
    requireTransition('rollback', app.status, app.name);
    const targetId = app.versionUpdatedFrom;
    const target = targetId !== undefined ? core.version(app, targetId) : undefined;
    if (!target) throw invalidRequest(`Application ${app.name} has no previous version to roll back to.`);
    if (!core.snapshots(app).some((s) => s.status === 'READY'))
      throw invalidRequest(
        `Application ${app.name} has no snapshots; a rollback restores the last successful snapshot.`,
      );
    const deployed = core.version(app, app.versionId)?.deploySnapshot;
    const snapshot =
      (deployed && core.snapshot(app, deployed)?.status === 'READY' ? core.snapshot(app, deployed) : undefined) ??
      core.latestReadySnapshot(app)!;
    requireKeyAccess(core, ctx, target.configuredKey, snapshot.key);
    const superseded = app.currentOperationId;
    this.workflows.cancel(app, superseded);
    const from = app.versionId;
    applyRollbackVersion(core, app, targetId!);
    const op = this.workflows.begin(app, 'RollbackApplication', 'rollback', {
      targetVersion: targetId,
      snapshotName: snapshot.name,
    });
    op.versionFrom = from;
    op.versionTo = app.versionId;
    op.rollsBackOperationId = superseded;
    core.saveOperation(app, op);
    return { ApplicationDetail: applicationDetail(app), OperationId: op.id };
  }

  createApplicationPresignedUrl(
    ctx: CallContext,
    req: CreateApplicationPresignedUrlRequest,
  ): CreateApplicationPresignedUrlResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    const wanted = app.mode === 'INTERACTIVE' ? 'ZEPPELIN_UI_URL' : 'FLINK_DASHBOARD_URL';
    if (req.UrlType !== wanted)
      throw invalidArgument(`UrlType ${req.UrlType} is not valid for this application; use ${wanted}.`);
    requireStatus('presignedUrl', app.status, app.name);
    const session = createSession(this.core, app, req.SessionExpirationDurationInSeconds);
    return { AuthorizedUrl: dashboardUrl(ctx, session) };
  }

  // ---- snapshots -------------------------------------------------------------------------------

  createApplicationSnapshot(
    ctx: CallContext,
    req: CreateApplicationSnapshotRequest,
  ): CreateApplicationSnapshotResponse {
    const { core } = this;
    const app = core.requireApp(ctx, req.ApplicationName);
    if (app.mode === 'INTERACTIVE') throw unsupportedOperation('Snapshots are not supported for Studio notebooks.');
    requireStatus('createSnapshot', app.status, app.name);
    if (app.config.ApplicationSnapshotConfigurationDescription?.SnapshotsEnabled === false)
      throw invalidApplicationConfiguration(`Snapshots are disabled for application ${app.name}.`);
    if (core.snapshot(app, req.SnapshotName!)) throw invalidArgument(`Snapshot ${req.SnapshotName} already exists.`);
    if (core.store.snapshots.count(app.key) >= core.env.limits.snapshotsPerApplication)
      throw limitExceeded(
        `Application ${app.name} has reached the limit of ${core.env.limits.snapshotsPerApplication} snapshots. Delete snapshots to create new ones.`,
      );
    requireKeyAccess(core, ctx, app.effectiveKey);
    const snapshot: SnapshotRecord = {
      name: req.SnapshotName!,
      status: 'CREATING',
      versionId: app.runningVersion ?? app.versionId,
      runtime: app.runtime,
      createdAt: core.nowSeconds(),
      key: app.effectiveKey ?? AWS_OWNED,
      operatorState: core.flink.stateBytes(app.key),
      source: 'manual',
    };
    const bytes = Object.values(snapshot.operatorState).reduce((a, b) => a + b, 0);
    const { profile } = core.env;
    const duration = Math.round(profile.savepointBaseMs + (profile.savepointPerMbMs * bytes) / (1024 * 1024));
    snapshot.pendingEventId = core.env.scheduler.schedule(core.now() + duration, SNAPSHOT_DONE_EVENT, {
      appKey: app.key,
      name: snapshot.name,
      startedAt: core.now(),
    }).id;
    core.saveSnapshot(app, snapshot);
    return {};
  }

  /** Scheduled: a manual snapshot finished. It fails when the job is not processing or its key is unusable. */
  snapshotDone(payload: { appKey: string; name: string; startedAt: number }): void {
    const { core } = this;
    const app = core.store.apps.get(payload.appKey);
    const s = app && core.snapshot(app, payload.name);
    if (!app || !s || s.status !== 'CREATING') return;
    s.pendingEventId = undefined;
    const keyIssue = keyProblem(core, s.key.keyArn);
    s.status = !keyIssue && core.flink.isProcessing(app.key) ? 'READY' : 'FAILED';
    if (s.status === 'READY')
      core.flink.recordSavepoint(app.key, `s3://managed-flink-snapshots/${s.name}`, 'SAVEPOINT', payload.startedAt);
    core.saveSnapshot(app, s);
  }

  describeApplicationSnapshot(
    ctx: CallContext,
    req: DescribeApplicationSnapshotRequest,
  ): DescribeApplicationSnapshotResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    const s = this.core.snapshot(app, req.SnapshotName!);
    if (!s) throw invalidArgument(`Snapshot ${req.SnapshotName} does not exist for application ${app.name}.`);
    return { SnapshotDetails: snapshotDetails(s) };
  }

  listApplicationSnapshots(ctx: CallContext, req: ListApplicationSnapshotsRequest): ListApplicationSnapshotsResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    const { page, nextToken } = paginate(this.core.snapshots(app), (s) => s.name, req.Limit, req.NextToken);
    return { SnapshotSummaries: page.map(snapshotDetails), ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  deleteApplicationSnapshot(
    ctx: CallContext,
    req: DeleteApplicationSnapshotRequest,
  ): DeleteApplicationSnapshotResponse {
    const { core } = this;
    const app = core.requireApp(ctx, req.ApplicationName);
    const s = core.snapshot(app, req.SnapshotName!);
    if (!s) throw invalidArgument(`Snapshot ${req.SnapshotName} does not exist for application ${app.name}.`);
    if (!sameSecond(req.SnapshotCreationTimestamp, s.createdAt))
      throw invalidArgument(
        `SnapshotCreationTimestamp ${req.SnapshotCreationTimestamp?.toISOString()} does not match the creation time of snapshot ${s.name}.`,
      );
    if (s.status === 'CREATING') throw resourceInUse(`Snapshot ${s.name} is being created and cannot be deleted yet.`);
    if (s.status === 'DELETING') throw resourceInUse(`Snapshot ${s.name} is already being deleted.`);
    s.status = 'DELETING';
    s.pendingEventId = core.env.scheduler.schedule(
      core.now() + Math.round(core.env.profile.deleteMs / 3),
      SNAPSHOT_DELETE_EVENT,
      {
        appKey: app.key,
        name: s.name,
      },
    ).id;
    core.saveSnapshot(app, s);
    return {};
  }

  /** Scheduled: a snapshot's deletion finished. */
  snapshotDeleted(payload: { appKey: string; name: string }): void {
    const s = this.core.store.snapshots.get(payload.appKey, payload.name);
    if (s?.status === 'DELETING') this.core.store.snapshots.delete(payload.appKey, payload.name);
  }

  // ---- operations and versions -----------------------------------------------------------------

  listApplicationOperations(
    ctx: CallContext,
    req: ListApplicationOperationsRequest,
  ): ListApplicationOperationsResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    const ops = this.core
      .operations(app)
      .filter(
        (o) =>
          (req.Operation === undefined || o.operation === req.Operation) &&
          (req.OperationStatus === undefined || o.status === req.OperationStatus),
      );
    const { page, nextToken } = paginate(ops, (o) => o.id, req.Limit, req.NextToken);
    return { ApplicationOperationInfoList: page.map(operationInfo), ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  describeApplicationOperation(
    ctx: CallContext,
    req: DescribeApplicationOperationRequest,
  ): DescribeApplicationOperationResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    const op = this.core.operation(app, req.OperationId!);
    if (!op) throw resourceNotFound(`Operation ${req.OperationId} does not exist for application ${app.name}.`);
    return { ApplicationOperationInfoDetails: operationDetails(op) };
  }

  listApplicationVersions(ctx: CallContext, req: ListApplicationVersionsRequest): ListApplicationVersionsResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    const { page, nextToken } = paginate(this.core.versions(app), (v) => String(v.versionId), req.Limit, req.NextToken);
    return {
      ApplicationVersionSummaries: page.map((v) => ({
        ApplicationVersionId: v.versionId,
        ApplicationStatus: v.versionId === app.versionId ? app.status : v.status,
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  describeApplicationVersion(
    ctx: CallContext,
    req: DescribeApplicationVersionRequest,
  ): DescribeApplicationVersionResponse {
    const app = this.core.requireApp(ctx, req.ApplicationName);
    const v = this.core.version(app, req.ApplicationVersionId!);
    if (!v) throw resourceNotFound(`Version ${req.ApplicationVersionId} of application ${app.name} does not exist.`);
    const status = v.versionId === app.versionId ? app.status : v.status;
    return { ApplicationVersionDetail: versionDetail(app, v, status) };
  }

  // ---- tags ------------------------------------------------------------------------------------

  private appByArn(ctx: CallContext, arn: string): AppRecord {
    const m = /^arn:aws[\w-]*:kinesisanalytics:([a-z0-9-]+):(\d{12}):application\/([a-zA-Z0-9_.-]+)$/.exec(arn);
    if (!m) throw invalidArgument(`Invalid resource ARN ${arn}.`);
    const app = this.core.store.apps.get(`${m[2]}:${m[1]}:${m[3]}`);
    if (!app || m[2] !== ctx.account) throw resourceNotFound(`Resource ${arn} is not found.`);
    return app;
  }

  tagResource(ctx: CallContext, req: TagResourceRequest): TagResourceResponse {
    const app = this.appByArn(ctx, req.ResourceARN!);
    checkTagKeys(req.Tags ?? []);
    const merged = new Map(app.tags.map((t) => [t.Key!, t.Value ?? '']));
    for (const t of req.Tags ?? []) merged.set(t.Key!, t.Value ?? '');
    if (merged.size > this.core.env.limits.tagsPerApplication)
      throw tooManyTags(`An application can have at most ${this.core.env.limits.tagsPerApplication} tags.`);
    app.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
    this.core.saveApp(app);
    return {};
  }

  untagResource(ctx: CallContext, req: UntagResourceRequest): UntagResourceResponse {
    const app = this.appByArn(ctx, req.ResourceARN!);
    const remove = new Set(req.TagKeys ?? []);
    app.tags = app.tags.filter((t) => !remove.has(t.Key!));
    this.core.saveApp(app);
    return {};
  }

  listTagsForResource(ctx: CallContext, req: ListTagsForResourceRequest): ListTagsForResourceResponse {
    const app = this.appByArn(ctx, req.ResourceARN!);
    return { Tags: app.tags.map((t) => ({ ...t })) };
  }

  // ---- SQL-only operations: a Flink application answers with the documented error ----------------

  private sqlOnly(ctx: CallContext, name: string | undefined, operation: string): never {
    const app = this.core.requireApp(ctx, name);
    throw invalidArgument(
      `${operation} is supported only for SQL applications. Application ${app.name} uses ${app.runtime}.`,
    );
  }

  addApplicationInput(ctx: CallContext, req: { ApplicationName?: string }): AddApplicationInputResponse {
    return this.sqlOnly(ctx, req.ApplicationName, 'AddApplicationInput');
  }

  addApplicationInputProcessingConfiguration(
    ctx: CallContext,
    req: { ApplicationName?: string },
  ): AddApplicationInputProcessingConfigurationResponse {
    return this.sqlOnly(ctx, req.ApplicationName, 'AddApplicationInputProcessingConfiguration');
  }

  addApplicationOutput(ctx: CallContext, req: { ApplicationName?: string }): AddApplicationOutputResponse {
    return this.sqlOnly(ctx, req.ApplicationName, 'AddApplicationOutput');
  }

  addApplicationReferenceDataSource(
    ctx: CallContext,
    req: { ApplicationName?: string },
  ): AddApplicationReferenceDataSourceResponse {
    return this.sqlOnly(ctx, req.ApplicationName, 'AddApplicationReferenceDataSource');
  }

  deleteApplicationInputProcessingConfiguration(
    ctx: CallContext,
    req: { ApplicationName?: string },
  ): DeleteApplicationInputProcessingConfigurationResponse {
    return this.sqlOnly(ctx, req.ApplicationName, 'DeleteApplicationInputProcessingConfiguration');
  }

  deleteApplicationOutput(ctx: CallContext, req: { ApplicationName?: string }): DeleteApplicationOutputResponse {
    return this.sqlOnly(ctx, req.ApplicationName, 'DeleteApplicationOutput');
  }

  deleteApplicationReferenceDataSource(
    ctx: CallContext,
    req: { ApplicationName?: string },
  ): DeleteApplicationReferenceDataSourceResponse {
    return this.sqlOnly(ctx, req.ApplicationName, 'DeleteApplicationReferenceDataSource');
  }

  discoverInputSchema(_ctx: CallContext, _req: unknown): DiscoverInputSchemaResponse {
    throw unsupportedOperation(
      'DiscoverInputSchema infers schemas for SQL applications, which can no longer be created (SQL-1_0 is retired).',
    );
  }
}

interface ChangeDraft {
  config: ApplicationConfigurationDescription;
  logging: AppRecord['logging'];
  runtime: RuntimeEnvironment;
  serviceExecutionRole: string;
  configuredKey: AppRecord['configuredKey'];
  codeRef?: string;
  codeChanged: boolean;
  run?: AppRecord['run'];
  nextVersionId: number;
}

/** Clients echo timestamps with different precisions; compare whole seconds. */
function sameSecond(given: Date | undefined, storedMs: number): boolean {
  return (
    given instanceof Date &&
    !Number.isNaN(given.getTime()) &&
    Math.floor(given.getTime() / 1000) === Math.floor(storedMs / 1000)
  );
}

function checkTagKeys(tags: Tag[]): void {
  for (const t of tags)
    if (t.Key?.toLowerCase().startsWith('aws:'))
      throw invalidArgument(`Tag keys starting with "aws:" are reserved (${t.Key}).`);
}
