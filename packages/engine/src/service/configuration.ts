/**
 * Turns CreateApplication's ApplicationConfiguration and UpdateApplication's ApplicationConfigurationUpdate
 * into the stored configuration (the description shapes DescribeApplication returns), with the documented
 * defaults and the rules on parallelism, code location, properties, VPC and logging.
 */
import type {
  ApplicationCodeConfiguration,
  ApplicationCodeConfigurationDescription,
  ApplicationCodeConfigurationUpdate,
  ApplicationConfigurationDescription,
  CheckpointConfiguration,
  CheckpointConfigurationDescription,
  CheckpointConfigurationUpdate,
  CloudWatchLoggingOption,
  CloudWatchLoggingOptionDescription,
  MonitoringConfiguration,
  MonitoringConfigurationDescription,
  MonitoringConfigurationUpdate,
  ParallelismConfiguration,
  ParallelismConfigurationDescription,
  ParallelismConfigurationUpdate,
  PropertyGroup,
  VpcConfiguration,
  VpcConfigurationDescription,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { invalidArgument, limitExceeded } from '../util/errors.js';
import { hex128 } from '../util/random.js';
import type { ServiceCore } from './core.js';
import type { AppRecord } from './records.js';

export const DEFAULT_CHECKPOINT: CheckpointConfigurationDescription = {
  ConfigurationType: 'DEFAULT',
  CheckpointingEnabled: true,
  CheckpointInterval: 60_000,
  MinPauseBetweenCheckpoints: 5_000,
};

export const DEFAULT_MONITORING: MonitoringConfigurationDescription = {
  ConfigurationType: 'DEFAULT',
  MetricsLevel: 'APPLICATION',
  LogLevel: 'INFO',
};

export const DEFAULT_PARALLELISM: ParallelismConfigurationDescription = {
  ConfigurationType: 'DEFAULT',
  Parallelism: 1,
  ParallelismPerKPU: 1,
  CurrentParallelism: 1,
  AutoScalingEnabled: true,
};

// ---- checkpointing, monitoring, parallelism --------------------------------------------------------

/** While the type is DEFAULT the documented defaults hold, whatever values were sent. */
export function checkpointConfig(
  type: string | undefined,
  values: { enabled?: boolean; interval?: number; minPause?: number },
  prev: CheckpointConfigurationDescription | undefined,
): CheckpointConfigurationDescription {
  const t = type ?? prev?.ConfigurationType ?? 'DEFAULT';
  if (t === 'DEFAULT') return { ...DEFAULT_CHECKPOINT };
  const keep = prev?.ConfigurationType === 'CUSTOM' ? prev : DEFAULT_CHECKPOINT;
  return {
    ConfigurationType: 'CUSTOM',
    CheckpointingEnabled: values.enabled ?? keep.CheckpointingEnabled,
    CheckpointInterval: values.interval ?? keep.CheckpointInterval,
    MinPauseBetweenCheckpoints: values.minPause ?? keep.MinPauseBetweenCheckpoints,
  };
}

export const checkpointFromCreate = (c: CheckpointConfiguration | undefined) =>
  c
    ? checkpointConfig(
        c.ConfigurationType,
        { enabled: c.CheckpointingEnabled, interval: c.CheckpointInterval, minPause: c.MinPauseBetweenCheckpoints },
        undefined,
      )
    : { ...DEFAULT_CHECKPOINT };

export const checkpointFromUpdate = (
  u: CheckpointConfigurationUpdate,
  prev: CheckpointConfigurationDescription | undefined,
) =>
  checkpointConfig(
    u.ConfigurationTypeUpdate,
    {
      enabled: u.CheckpointingEnabledUpdate,
      interval: u.CheckpointIntervalUpdate,
      minPause: u.MinPauseBetweenCheckpointsUpdate,
    },
    prev,
  );

function monitoringConfig(
  type: string | undefined,
  values: { metrics?: string; log?: string },
  prev: MonitoringConfigurationDescription | undefined,
): MonitoringConfigurationDescription {
  const t = type ?? prev?.ConfigurationType ?? 'DEFAULT';
  if (t === 'DEFAULT') return { ...DEFAULT_MONITORING };
  const keep = prev?.ConfigurationType === 'CUSTOM' ? prev : DEFAULT_MONITORING;
  return {
    ConfigurationType: 'CUSTOM',
    MetricsLevel: (values.metrics ?? keep.MetricsLevel) as MonitoringConfigurationDescription['MetricsLevel'],
    LogLevel: (values.log ?? keep.LogLevel) as MonitoringConfigurationDescription['LogLevel'],
  };
}

export const monitoringFromCreate = (m: MonitoringConfiguration | undefined) =>
  m
    ? monitoringConfig(m.ConfigurationType, { metrics: m.MetricsLevel, log: m.LogLevel }, undefined)
    : { ...DEFAULT_MONITORING };

export const monitoringFromUpdate = (
  u: MonitoringConfigurationUpdate,
  prev: MonitoringConfigurationDescription | undefined,
) => monitoringConfig(u.ConfigurationTypeUpdate, { metrics: u.MetricsLevelUpdate, log: u.LogLevelUpdate }, prev);

function parallelismConfig(
  core: ServiceCore,
  type: string | undefined,
  values: { parallelism?: number; perKpu?: number; autoScaling?: boolean },
  prev: ParallelismConfigurationDescription | undefined,
): ParallelismConfigurationDescription {
  const t = type ?? prev?.ConfigurationType ?? 'DEFAULT';
  if (t === 'DEFAULT') return { ...DEFAULT_PARALLELISM };
  const keep = prev?.ConfigurationType === 'CUSTOM' ? prev : DEFAULT_PARALLELISM;
  const parallelism = values.parallelism ?? keep.Parallelism!;
  const perKpu = values.perKpu ?? keep.ParallelismPerKPU!;
  const { limits } = core.env;
  if (perKpu > limits.maxParallelismPerKpu)
    throw invalidArgument(`ParallelismPerKPU ${perKpu} is above the maximum of ${limits.maxParallelismPerKpu}.`);
  const kpus = kpusFor(parallelism, perKpu);
  if (kpus > limits.kpusPerApplication)
    throw limitExceeded(
      `Parallelism ${parallelism} at ${perKpu} per KPU needs ${kpus} KPUs; the limit is ${limits.kpusPerApplication} KPUs per application (maximum parallelism ${perKpu * limits.kpusPerApplication}).`,
    );
  return {
    ConfigurationType: 'CUSTOM',
    Parallelism: parallelism,
    ParallelismPerKPU: perKpu,
    CurrentParallelism: parallelism,
    AutoScalingEnabled: values.autoScaling ?? keep.AutoScalingEnabled,
  };
}

/** KPUs an application runs on: ceil(Parallelism / ParallelismPerKPU). */
export function kpusFor(parallelism: number, perKpu: number): number {
  return Math.ceil(parallelism / perKpu);
}

export const parallelismFromCreate = (core: ServiceCore, p: ParallelismConfiguration | undefined) =>
  p
    ? parallelismConfig(
        core,
        p.ConfigurationType,
        { parallelism: p.Parallelism, perKpu: p.ParallelismPerKPU, autoScaling: p.AutoScalingEnabled },
        undefined,
      )
    : { ...DEFAULT_PARALLELISM };

export const parallelismFromUpdate = (
  core: ServiceCore,
  u: ParallelismConfigurationUpdate,
  prev: ParallelismConfigurationDescription | undefined,
) =>
  parallelismConfig(
    core,
    u.ConfigurationTypeUpdate,
    { parallelism: u.ParallelismUpdate, perKpu: u.ParallelismPerKPUUpdate, autoScaling: u.AutoScalingEnabledUpdate },
    prev,
  );

// ---- code ------------------------------------------------------------------------------------------

export interface ResolvedCode {
  description: ApplicationCodeConfigurationDescription;
  codeRef?: string;
}

/** Reads the code package now and saves a copy with the version. */
export function resolveCode(
  core: ServiceCore,
  contentType: string | undefined,
  content: { text?: string; zip?: Uint8Array; s3?: { bucketArn: string; fileKey: string; objectVersion?: string } },
): ResolvedCode {
  const given = [content.text !== undefined, content.zip !== undefined, content.s3 !== undefined].filter(
    Boolean,
  ).length;
  if (given > 1) throw invalidArgument('Specify only one of TextContent, ZipFileContent and S3ContentLocation.');
  if (contentType === 'PLAINTEXT')
    throw invalidArgument('CodeContentType PLAINTEXT is supported only for SQL applications; use ZIPFILE.');
  if (content.text !== undefined) throw invalidArgument('TextContent requires CodeContentType PLAINTEXT.');
  if (content.s3) {
    const obj = core.artifacts.resolveCodeLocation(content.s3.bucketArn, content.s3.fileKey, content.s3.objectVersion);
    const bytes = core.artifacts.bodyOf(obj);
    const saved = core.artifacts.saveBlob(bytes);
    return {
      codeRef: saved.ref,
      description: {
        CodeContentType: 'ZIPFILE',
        CodeContentDescription: {
          CodeMD5: saved.md5,
          CodeSize: saved.size,
          S3ApplicationCodeLocationDescription: {
            BucketARN: content.s3.bucketArn,
            FileKey: content.s3.fileKey,
            ...(content.s3.objectVersion ? { ObjectVersion: content.s3.objectVersion } : {}),
          },
        },
      },
    };
  }
  if (content.zip) {
    const saved = core.artifacts.saveBlob(content.zip);
    return {
      codeRef: saved.ref,
      description: { CodeContentType: 'ZIPFILE', CodeContentDescription: { CodeMD5: saved.md5, CodeSize: saved.size } },
    };
  }
  throw invalidArgument('CodeContent is required for CodeContentType ZIPFILE.');
}

export function codeFromCreate(core: ServiceCore, c: ApplicationCodeConfiguration): ResolvedCode {
  const s3 = c.CodeContent?.S3ContentLocation;
  return resolveCode(core, c.CodeContentType, {
    text: c.CodeContent?.TextContent,
    zip: c.CodeContent?.ZipFileContent,
    s3: s3 ? { bucketArn: s3.BucketARN!, fileKey: s3.FileKey!, objectVersion: s3.ObjectVersion } : undefined,
  });
}

export function codeFromUpdate(
  core: ServiceCore,
  u: ApplicationCodeConfigurationUpdate,
  prev: ApplicationCodeConfigurationDescription | undefined,
): ResolvedCode {
  const s3u = u.CodeContentUpdate?.S3ContentLocationUpdate;
  const prevS3 = prev?.CodeContentDescription?.S3ApplicationCodeLocationDescription;
  let s3: { bucketArn: string; fileKey: string; objectVersion?: string } | undefined;
  if (s3u) {
    const bucketArn = s3u.BucketARNUpdate ?? prevS3?.BucketARN;
    const fileKey = s3u.FileKeyUpdate ?? prevS3?.FileKey;
    if (!bucketArn || !fileKey)
      throw invalidArgument('S3ContentLocationUpdate needs BucketARNUpdate and FileKeyUpdate.');
    s3 = { bucketArn, fileKey, objectVersion: s3u.ObjectVersionUpdate };
  }
  return resolveCode(core, u.CodeContentTypeUpdate ?? prev?.CodeContentType ?? 'ZIPFILE', {
    text: u.CodeContentUpdate?.TextContentUpdate,
    zip: u.CodeContentUpdate?.ZipFileContentUpdate,
    s3,
  });
}

/**
 * Every configuration change copies the code package at that moment: an S3-located package is read
 * again, so an overwritten object takes effect with the next update and not before.
 */
export function recopyCode(core: ServiceCore, config: ApplicationConfigurationDescription): ResolvedCode | undefined {
  const desc = config.ApplicationCodeConfigurationDescription;
  const s3 = desc?.CodeContentDescription?.S3ApplicationCodeLocationDescription;
  if (!desc || !s3) return undefined;
  return resolveCode(core, desc.CodeContentType, {
    s3: { bucketArn: s3.BucketARN!, fileKey: s3.FileKey!, objectVersion: s3.ObjectVersion },
  });
}

// ---- properties, VPC, logging ----------------------------------------------------------------------

export function propertyGroups(groups: PropertyGroup[]): PropertyGroup[] {
  const seen = new Set<string>();
  for (const g of groups) {
    if (seen.has(g.PropertyGroupId!)) throw invalidArgument(`Duplicate PropertyGroupId ${g.PropertyGroupId}.`);
    seen.add(g.PropertyGroupId!);
  }
  return groups.map((g) => ({ PropertyGroupId: g.PropertyGroupId, PropertyMap: { ...g.PropertyMap } }));
}

export function vpcDescription(id: string, vpc: VpcConfiguration): VpcConfigurationDescription {
  const subnets = vpc.SubnetIds ?? [];
  return {
    VpcConfigurationId: id,
    VpcId: `vpc-${hex128(`vpc:${[...subnets].sort()[0] ?? ''}`).slice(0, 17)}`,
    SubnetIds: [...subnets],
    SecurityGroupIds: [...(vpc.SecurityGroupIds ?? [])],
  };
}

const LOG_STREAM_ARN = /^arn:aws[\w-]*:logs:[a-z0-9-]+:\d{12}:log-group:[^:]+:log-stream:[^:]+$/;

export function loggingDescription(id: string, option: CloudWatchLoggingOption): CloudWatchLoggingOptionDescription {
  if (!LOG_STREAM_ARN.test(option.LogStreamARN ?? ''))
    throw invalidArgument(
      `Invalid LogStreamARN ${option.LogStreamARN}: expected arn:aws:logs:<region>:<account>:log-group:<group>:log-stream:<stream>.`,
    );
  return { CloudWatchLoggingOptionId: id, LogStreamARN: option.LogStreamARN };
}

/** Sub-resource ids look like "1.1", "2.1": the version that added them and a counter. */
export function subResourceId(app: AppRecord, versionId: number, kind: 'logging' | 'vpc'): string {
  const n = kind === 'logging' ? app.nextLoggingId++ : app.nextVpcId++;
  return `${versionId}.${n}`;
}
