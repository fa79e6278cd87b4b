/**
 * Fault scenarios for demos and rehearsals, run against the engine with an administrator's rights:
 * deploy the poison pill, disable a key, fill the snapshot quota, slow the sink, seed the demo fleet; and
 * the fixes Flink's documentation recommends for slow checkpoints under backpressure, applied the way an
 * operator applies them (an UpdateApplication: the job restarts with the new version): buffer debloating,
 * unaligned checkpoints (runtime properties the job reads from `FlinkApplicationProperties`) and scaling out.
 */
import {
  adminContext,
  BUFFER_DEBLOAT_KEY,
  computeFlow,
  DEMO_BUCKET_ARN,
  FLINK_PROPERTY_GROUP,
  isServiceError,
  UNALIGNED_CHECKPOINTS_KEY,
  type Engine,
} from '@mfc/engine';
import { seedDemoFleet } from './demo-fleet.js';

const ctx = adminContext();

export const SCENARIOS = [
  { name: 'demo-fleet', description: 'Create the six demo applications and a customer managed key.', params: [] },
  {
    name: 'deploy-poison-pill',
    description: 'Deploy sessionizer 1.3.0 (fails a few seconds after processing starts).',
    params: ['application'],
  },
  {
    name: 'slow-sink',
    description: 'Deploy sessionizer 1.4.0 (its sink keeps up with a third of the input).',
    params: ['application'],
  },
  {
    name: 'disable-key',
    description: 'Disable the customer managed key the application is configured with.',
    params: ['application'],
  },
  {
    name: 'enable-key',
    description: 'Enable the customer managed key the application is configured with.',
    params: ['application'],
  },
  {
    name: 'fill-snapshot-quota',
    description: 'Create manual snapshots until the 1,000-snapshot quota is reached.',
    params: ['application'],
  },
  {
    name: 'enable-buffer-debloating',
    description: `Set ${BUFFER_DEBLOAT_KEY}=true in the ${FLINK_PROPERTY_GROUP} runtime properties (UpdateApplication; applies when the job restarts).`,
    params: ['application'],
  },
  {
    name: 'enable-unaligned-checkpoints',
    description: `Set ${UNALIGNED_CHECKPOINTS_KEY}=true in the ${FLINK_PROPERTY_GROUP} runtime properties (UpdateApplication; applies when the job restarts).`,
    params: ['application'],
  },
  {
    name: 'scale-out',
    description:
      'Raise the parallelism until the bottleneck keeps up (twice the parallelism without one; "parallelism" sets it) with an UpdateApplication.',
    params: ['application'],
  },
] as const;

export type ScenarioResult = { scenario: string; detail: string } | { error: string; status: number };

function deploy(engine: Engine, name: string, file: string): string {
  const app = engine.core.requireApp(ctx, name);
  const r = engine.kinesisAnalytics.updateApplication(ctx, {
    ApplicationName: name,
    CurrentApplicationVersionId: app.versionId,
    ApplicationConfigurationUpdate: {
      ApplicationCodeConfigurationUpdate: {
        CodeContentUpdate: {
          S3ContentLocationUpdate: { BucketARNUpdate: DEMO_BUCKET_ARN, FileKeyUpdate: `sessionizer/${file}` },
        },
      },
    },
  });
  return `UpdateApplication ${r.OperationId}: ${name} now at version ${r.ApplicationDetail?.ApplicationVersionId} with ${file}.`;
}

/** Sets one key of the FlinkApplicationProperties group, keeping every other group and key. */
function setFlinkProperty(engine: Engine, name: string, key: string, value: string): string {
  const app = engine.core.requireApp(ctx, name);
  const groups = (app.config.EnvironmentPropertyDescriptions?.PropertyGroupDescriptions ?? []).map((g) => ({
    PropertyGroupId: g.PropertyGroupId,
    PropertyMap: { ...g.PropertyMap },
  }));
  let group = groups.find((g) => g.PropertyGroupId === FLINK_PROPERTY_GROUP);
  if (!group) groups.push((group = { PropertyGroupId: FLINK_PROPERTY_GROUP, PropertyMap: {} }));
  group.PropertyMap[key] = value;
  const r = engine.kinesisAnalytics.updateApplication(ctx, {
    ApplicationName: name,
    CurrentApplicationVersionId: app.versionId,
    ApplicationConfigurationUpdate: { EnvironmentPropertyUpdates: { PropertyGroups: groups } },
  });
  return `UpdateApplication ${r.OperationId}: ${name} now at version ${r.ApplicationDetail?.ApplicationVersionId} with ${FLINK_PROPERTY_GROUP} ${key}=${value}.`;
}

/**
 * The parallelism that relieves the job's bottleneck: the current one over the fraction of the input the
 * bottleneck keeps up with (for an operator whose capacity grows with its subtasks); twice the current one
 * when nothing is backpressured or the job is not running.
 */
export function scaleOutTarget(engine: Engine, name: string): number {
  const app = engine.core.requireApp(ctx, name);
  const current = app.currentParallelism;
  const job = engine.flink.cluster(app.key)?.job;
  const factor = job ? computeFlow(job).throughputFactor : 1;
  // 1e-9: 2 / 0.35 is 5.714…, but 0.35 × 3 may round to just under 1.05.
  return factor < 1 ? Math.max(current + 1, Math.ceil(current / factor - 1e-9)) : current * 2;
}

function scaleOut(engine: Engine, name: string, requested: unknown): string {
  const app = engine.core.requireApp(ctx, name);
  const target =
    typeof requested === 'number' && Number.isInteger(requested) && requested >= 1
      ? requested
      : scaleOutTarget(engine, name);
  const from = app.currentParallelism;
  const r = engine.kinesisAnalytics.updateApplication(ctx, {
    ApplicationName: name,
    CurrentApplicationVersionId: app.versionId,
    ApplicationConfigurationUpdate: {
      FlinkApplicationConfigurationUpdate: {
        ParallelismConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', ParallelismUpdate: target },
      },
    },
  });
  return `UpdateApplication ${r.OperationId}: ${name} now at version ${r.ApplicationDetail?.ApplicationVersionId} with parallelism ${target} (was ${from}).`;
}

export function runScenario(engine: Engine, name: string, params: Record<string, unknown>): ScenarioResult {
  const application = typeof params.application === 'string' ? params.application : undefined;
  const needsApp = SCENARIOS.find((s) => s.name === name)?.params.includes('application' as never);
  if (!SCENARIOS.some((s) => s.name === name)) return { error: `Unknown scenario ${name}.`, status: 404 };
  if (needsApp && !application) return { error: `Scenario ${name} needs "application".`, status: 400 };
  try {
    switch (name) {
      case 'demo-fleet':
        seedDemoFleet(engine);
        return { scenario: name, detail: 'Demo fleet created.' };
      case 'deploy-poison-pill':
        return { scenario: name, detail: deploy(engine, application!, 'sessionizer-1.3.0-poison-pill.jar') };
      case 'slow-sink':
        return { scenario: name, detail: deploy(engine, application!, 'sessionizer-1.4.0-slow-sink.jar') };
      case 'disable-key':
      case 'enable-key': {
        const app = engine.core.requireApp(ctx, application!);
        const keyArn = app.configuredKey.keyArn;
        if (!keyArn)
          return {
            error: `${application} uses an AWS owned key; there is no key to ${name.split('-')[0]}.`,
            status: 409,
          };
        if (name === 'disable-key') engine.kms.disableKey(ctx, { KeyId: keyArn });
        else engine.kms.enableKey(ctx, { KeyId: keyArn });
        return { scenario: name, detail: `${name === 'disable-key' ? 'Disabled' : 'Enabled'} ${keyArn}.` };
      }
      case 'fill-snapshot-quota': {
        const app = engine.core.requireApp(ctx, application!);
        let n = 0;
        for (let i = engine.store.snapshots.count(app.key); i < engine.env.limits.snapshotsPerApplication; i++) {
          engine.kinesisAnalytics.createApplicationSnapshot(ctx, {
            ApplicationName: application!,
            SnapshotName: `quota-fill-${i}`,
          });
          n++;
        }
        return { scenario: name, detail: `Created ${n} snapshots; ${application} is at its snapshot quota.` };
      }
      case 'enable-buffer-debloating':
        return { scenario: name, detail: setFlinkProperty(engine, application!, BUFFER_DEBLOAT_KEY, 'true') };
      case 'enable-unaligned-checkpoints':
        return { scenario: name, detail: setFlinkProperty(engine, application!, UNALIGNED_CHECKPOINTS_KEY, 'true') };
      case 'scale-out':
        return { scenario: name, detail: scaleOut(engine, application!, params.parallelism) };
    }
  } catch (e) {
    if (isServiceError(e)) return { error: `${e.type}: ${e.message}`, status: 409 };
    throw e;
  }
  return { error: `Unknown scenario ${name}.`, status: 404 };
}
