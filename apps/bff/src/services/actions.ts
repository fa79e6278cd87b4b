/**
 * The actions an operator takes, each one kinesisanalyticsv2 call through the SDK. Destructive actions
 * (force stop, rollback, delete, skip-restore start, snapshot delete) need the application name typed
 * as confirmation, checked here too so no client can skip it.
 */
import {
  CreateApplicationSnapshotCommand,
  DeleteApplicationCommand,
  DeleteApplicationSnapshotCommand,
  RollbackApplicationCommand,
  StartApplicationCommand,
  StopApplicationCommand,
  UpdateApplicationCommand,
  type ApplicationConfigurationUpdate,
  type UpdateApplicationRequest,
} from '@aws-sdk/client-kinesis-analytics-v2';
import type { z } from 'zod';
import type * as C from '@mfc/contracts';
import type { AwsClients } from '../aws/clients.js';
import { HttpError } from '../http/errors.js';
import type { ApplicationsService } from './applications.js';

type Out<T extends z.ZodType> = z.output<T>;

export function requireConfirmation(name: string, confirm: string | undefined, what: string): void {
  if (confirm !== name)
    throw new HttpError(
      400,
      'ConfirmationRequired',
      `${what} needs the application name typed as confirmation ("${name}").`,
    );
}

export class ActionsService {
  constructor(
    private clients: AwsClients,
    private apps: ApplicationsService,
  ) {}

  private send<T>(command: unknown): Promise<T> {
    return this.clients.kinesisAnalytics.send(command as never) as Promise<T>;
  }

  async start(name: string, r: Out<typeof C.StartRequest>): Promise<string> {
    if (r.restoreType === 'SKIP_RESTORE_FROM_SNAPSHOT')
      requireConfirmation(name, r.confirm, 'Starting without restoring state');
    const res = await this.send<{ OperationId?: string }>(
      new StartApplicationCommand({
        ApplicationName: name,
        RunConfiguration: {
          ApplicationRestoreConfiguration: {
            ApplicationRestoreType: r.restoreType,
            ...(r.restoreType === 'RESTORE_FROM_CUSTOM_SNAPSHOT' ? { SnapshotName: r.snapshotName } : {}),
          },
          FlinkRunConfiguration: { AllowNonRestoredState: r.allowNonRestoredState },
        },
      }),
    );
    return res.OperationId!;
  }

  async stop(name: string, r: Out<typeof C.StopRequest>): Promise<string> {
    if (r.force) requireConfirmation(name, r.confirm, 'A force stop');
    const res = await this.send<{ OperationId?: string }>(
      new StopApplicationCommand({ ApplicationName: name, Force: r.force }),
    );
    return res.OperationId!;
  }

  async rollback(name: string, r: Out<typeof C.RollbackRequest>): Promise<string> {
    requireConfirmation(name, r.confirm, 'A rollback');
    const res = await this.send<{ OperationId?: string }>(
      new RollbackApplicationCommand({ ApplicationName: name, CurrentApplicationVersionId: r.expectedVersionId }),
    );
    return res.OperationId!;
  }

  async delete(name: string, confirm: string): Promise<void> {
    requireConfirmation(name, confirm, 'Deleting the application');
    const detail = await this.apps.describe(name);
    await this.send(new DeleteApplicationCommand({ ApplicationName: name, CreateTimestamp: detail.CreateTimestamp }));
    this.apps.forget(name);
  }

  /** The UpdateApplication request an update form describes. */
  static updateRequest(name: string, u: Out<typeof C.UpdateRequest>): UpdateApplicationRequest {
    const cfg: ApplicationConfigurationUpdate = {};
    if (u.code)
      cfg.ApplicationCodeConfigurationUpdate = {
        CodeContentTypeUpdate: 'ZIPFILE',
        CodeContentUpdate: {
          S3ContentLocationUpdate: {
            BucketARNUpdate: `arn:aws:s3:::${u.code.bucket}`,
            FileKeyUpdate: u.code.key,
            ...(u.code.objectVersion ? { ObjectVersionUpdate: u.code.objectVersion } : {}),
          },
        },
      };
    const flink: NonNullable<ApplicationConfigurationUpdate['FlinkApplicationConfigurationUpdate']> = {};
    if (u.parallelism)
      flink.ParallelismConfigurationUpdate = {
        ConfigurationTypeUpdate: 'CUSTOM',
        ParallelismUpdate: u.parallelism.parallelism,
        ParallelismPerKPUUpdate: u.parallelism.parallelismPerKpu,
        AutoScalingEnabledUpdate: u.parallelism.autoScaling,
      };
    if (u.checkpointing)
      flink.CheckpointConfigurationUpdate =
        u.checkpointing.configurationType === 'DEFAULT'
          ? { ConfigurationTypeUpdate: 'DEFAULT' }
          : {
              ConfigurationTypeUpdate: 'CUSTOM',
              CheckpointingEnabledUpdate: u.checkpointing.enabled,
              CheckpointIntervalUpdate: u.checkpointing.intervalMs,
              MinPauseBetweenCheckpointsUpdate: u.checkpointing.minPauseMs,
            };
    if (Object.keys(flink).length > 0) cfg.FlinkApplicationConfigurationUpdate = flink;
    if (u.properties)
      cfg.EnvironmentPropertyUpdates = {
        PropertyGroups: u.properties.map((g) => ({ PropertyGroupId: g.groupId, PropertyMap: g.properties })),
      };
    if (u.snapshotsEnabled !== undefined)
      cfg.ApplicationSnapshotConfigurationUpdate = { SnapshotsEnabledUpdate: u.snapshotsEnabled };
    if (u.systemRollbackEnabled !== undefined)
      cfg.ApplicationSystemRollbackConfigurationUpdate = { RollbackEnabledUpdate: u.systemRollbackEnabled };
    return {
      ApplicationName: name,
      CurrentApplicationVersionId: u.expectedVersionId,
      ...(Object.keys(cfg).length > 0 ? { ApplicationConfigurationUpdate: cfg } : {}),
      ...(u.allowNonRestoredState !== undefined
        ? { RunConfigurationUpdate: { FlinkRunConfiguration: { AllowNonRestoredState: u.allowNonRestoredState } } }
        : {}),
    };
  }

  async update(name: string, u: Out<typeof C.UpdateRequest>): Promise<string> {
    const res = await this.send<{ OperationId?: string }>(
      new UpdateApplicationCommand(ActionsService.updateRequest(name, u)),
    );
    this.apps.forget(name);
    return res.OperationId!;
  }

  async encryption(name: string, r: Out<typeof C.EncryptionRequest>): Promise<string> {
    const res = await this.send<{ OperationId?: string }>(
      new UpdateApplicationCommand({
        ApplicationName: name,
        CurrentApplicationVersionId: r.expectedVersionId,
        ApplicationConfigurationUpdate: {
          ApplicationEncryptionConfigurationUpdate: {
            KeyTypeUpdate: r.keyType,
            ...(r.keyType === 'CUSTOMER_MANAGED_KEY' ? { KeyIdUpdate: r.keyId } : {}),
          },
        },
      }),
    );
    this.apps.forget(name);
    return res.OperationId!;
  }

  async createSnapshot(name: string, r: Out<typeof C.CreateSnapshotRequest>): Promise<void> {
    await this.send(new CreateApplicationSnapshotCommand({ ApplicationName: name, SnapshotName: r.name }));
  }

  async deleteSnapshot(name: string, snapshot: string, confirm: string): Promise<void> {
    if (confirm !== snapshot)
      throw new HttpError(
        400,
        'ConfirmationRequired',
        `Deleting a snapshot needs its name typed as confirmation ("${snapshot}").`,
      );
    const list = await this.apps.snapshots(name);
    const s = list.find((x) => x.SnapshotName === snapshot);
    if (!s) throw new HttpError(404, 'SnapshotNotFound', `Snapshot ${snapshot} does not exist for ${name}.`);
    await this.send(
      new DeleteApplicationSnapshotCommand({
        ApplicationName: name,
        SnapshotName: snapshot,
        SnapshotCreationTimestamp: s.SnapshotCreationTimestamp,
      }),
    );
  }
}
