/**
 * Fault scenarios for demos and rehearsals, run against the engine with an administrator's rights:
 * deploy the poison pill, disable a key, fill the snapshot quota, slow the sink, seed the demo fleet.
 */
import { adminContext, DEMO_BUCKET_ARN, isServiceError, type Engine } from '@mfc/engine';
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
    }
  } catch (e) {
    if (isServiceError(e)) return { error: `${e.type}: ${e.message}`, status: 409 };
    throw e;
  }
  return { error: `Unknown scenario ${name}.`, status: 404 };
}
