import type { ApplicationStatus, CreateApplicationRequest } from '@aws-sdk/client-kinesis-analytics-v2';
import { checkInvariants, Engine, adminContext, DEMO_BUCKET_ARN, type EngineOptions } from '../src/index.js';
import { ServiceError } from '../src/util/errors.js';

export const ctx = adminContext();
export const ROLE = 'arn:aws:iam::123456789012:role/flink-app';

export const jar = (version: string) => ({
  CodeContentType: 'ZIPFILE' as const,
  CodeContent: { S3ContentLocation: { BucketARN: DEMO_BUCKET_ARN, FileKey: `sessionizer/sessionizer-${version}.jar` } },
});

export function newEngine(opts: EngineOptions = {}): Engine {
  return new Engine({ seed: 'test', timeProfile: 'fast', ...opts });
}

export function createApp(
  engine: Engine,
  name: string,
  version = '1.0.0',
  extra: Partial<CreateApplicationRequest> = {},
) {
  return engine.kinesisAnalytics.createApplication(ctx, {
    ApplicationName: name,
    RuntimeEnvironment: 'FLINK-1_20',
    ServiceExecutionRole: ROLE,
    ...extra,
    ApplicationConfiguration: { ApplicationCodeConfiguration: jar(version), ...extra.ApplicationConfiguration },
  }).ApplicationDetail!;
}

export function status(engine: Engine, name: string): ApplicationStatus | undefined {
  return engine.core.findApp(ctx, name)?.status;
}

/**
 * Steps the scheduler event by event and returns the distinct statuses the application passes through
 * (starting with the current one) until it is steady with no operation in flight, or until `maxMs`.
 */
export function statusPath(engine: Engine, name: string, maxMs = 600_000): (ApplicationStatus | 'GONE')[] {
  const path: (ApplicationStatus | 'GONE')[] = [status(engine, name) ?? 'GONE'];
  const deadline = engine.now() + maxMs;
  for (;;) {
    const app = engine.core.findApp(ctx, name);
    const s = app?.status ?? 'GONE';
    if (path.at(-1) !== s) path.push(s);
    if (!app || (!app.currentOperationId && (s === 'READY' || s === 'RUNNING'))) break;
    const next = engine.nextEventTime();
    if (next === undefined || next > deadline) break;
    engine.advanceTo(next);
    // Every step of every workflow keeps the state sound.
    const problems = checkInvariants(engine);
    if (problems.length > 0) throw new Error(`invariants broken: ${problems.join('; ')}`);
    if (engine.faults.length > 0) throw new Error(`event handler failed: ${engine.faults[0]!.error}`);
  }
  return path;
}

/** Advances until every subtask of the application's job is RUNNING (or the time runs out). */
export function untilProcessing(engine: Engine, name: string, maxMs = 120_000): boolean {
  const key = engine.core.appKey(ctx, name);
  const deadline = engine.now() + maxMs;
  while (!engine.flink.isProcessing(key)) {
    const next = engine.nextEventTime();
    if (next === undefined || next > deadline) return false;
    engine.advanceTo(next);
  }
  return true;
}

export function runningApp(
  engine: Engine,
  name: string,
  version = '1.0.0',
  extra: Partial<CreateApplicationRequest> = {},
) {
  createApp(engine, name, version, extra);
  engine.kinesisAnalytics.startApplication(ctx, { ApplicationName: name });
  statusPath(engine, name);
  untilProcessing(engine, name);
}

/** The AWS error type a call throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ServiceError) return e.type;
    throw e;
  }
  throw new Error('expected the call to throw');
}

export function describe_(engine: Engine, name: string) {
  return engine.kinesisAnalytics.describeApplication(ctx, { ApplicationName: name }).ApplicationDetail!;
}
