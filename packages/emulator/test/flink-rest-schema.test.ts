/**
 * Every Flink REST endpoint the emulator serves, validated against its response schema in Flink's own
 * OpenAPI spec (specs/flink-rest/rest_v1_dispatcher.yml) with Ajv. The spec's objects are closed and
 * their properties required here, so a misspelt, missing or extra key fails; the only departures allowed
 * are the wire forms the real JobManager sends and the dashboard reads (specs/flink-rest/SUMMARY.md ⚠),
 * listed in WIRE_DEVIATIONS. Endpoints whose wire form is not the spec's at all (bare metric arrays,
 * /jobs/{jid}/config) are asserted explicitly.
 */
import { readFileSync } from 'node:fs';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROUTE_TEMPLATES } from '../src/flink-rest/router.js';
import { startEmulator, type Emulator } from '../src/server.js';

type Schema = Record<string, unknown>;

interface OpenApi {
  paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, { schema: Schema }> }> } }>;
  components: { schemas: Record<string, Schema> };
}

const SPEC = parse(
  readFileSync(new URL('../specs/flink-rest/rest_v1_dispatcher.yml', import.meta.url), 'utf8'),
) as OpenApi;

const HEX32 = '^[0-9a-f]{32}$';
const LEVEL = { $ref: '#/components/schemas/VertexBackPressureLevel' };

/**
 * The documented wire forms that differ from the generated spec. Each entry edits one component schema.
 */
const WIRE_DEVIATIONS: Record<string, (s: Schema) => void> = {
  // A hex string on the wire, an object (its Java fields) in the spec.
  JobDetailsVertexInfo: (s) => {
    props(s).slotSharingGroupId = { type: 'string', pattern: HEX32 };
  },
  // Lowercase on the wire.
  CheckpointConfigInfo: (s) => {
    props(s).mode = { type: 'string', enum: ['at_least_once', 'exactly_once'] };
  },
  // Hidden `backpressure-level` next to `backpressureLevel`: the dashboard reads the hidden one.
  JobVertexBackPressureInfo: (s) => {
    props(s)['backpressure-level'] = LEVEL;
  },
  SubtaskBackPressureInfo: (s) => {
    props(s)['backpressure-level'] = LEVEL;
  },
  // Hidden `start_time` next to `start-time`: the dashboard reads the hidden one.
  SubtaskExecutionAttemptDetailsInfo: (s) => {
    props(s).start_time = { type: 'integer' };
  },
  // A TaskManager's ResourceID is its Kubernetes pod name on MSF ("<cluster>-taskmanager-1-1"), not an
  // AbstractID: the generator's 32-hex pattern holds only for generated ids.
  ResourceID: (s) => {
    delete s.pattern;
  },
};

/** Members the JobManager leaves out when they have no value (Jackson NON_NULL / NON_EMPTY). */
const OPTIONAL: Record<string, string[]> = {
  JobDetailsInfo: ['stream-graph'],
  ClusterOverviewWithVersion: ['taskmanagers-blocked', 'slots-free-and-blocked'],
  SubtaskExecutionAttemptDetailsInfo: ['other-concurrent-attempts'],
  SubtaskBackPressureInfo: ['other-concurrent-attempts'],
  CheckpointStatistics: ['savepointFormat'],
  LatestCheckpoints: ['completed', 'failed', 'restored', 'savepoint'],
  // Flink 1.x fields still in the 2.0 spec for the serialized form, only with includeSerializedValue=true.
  JobAccumulatorsInfo: ['serialized-user-task-accumulators'],
  // Present only for a back-pressure status that has metrics (`ok`); `deprecated` carries nothing else.
  JobVertexBackPressureInfo: ['backpressureLevel', 'backpressure-level', 'end-timestamp', 'subtasks'],
  // Only for completed subtasks (`className: completed`).
  TaskCheckpointStatisticsWithSubtaskDetails: [],
};

const props = (s: Schema) => s.properties as Record<string, Schema>;

function componentName(ref: string): string {
  return ref.replace('#/components/schemas/', '');
}

/** Merges `allOf` parts (their properties and required lists) into one closed object schema. */
function flatten(schemas: Record<string, Schema>, s: Schema): Schema {
  const parts = s.allOf as Schema[] | undefined;
  if (!parts) return s;
  const merged: Schema = { type: 'object', properties: {}, required: [] as string[] };
  for (const part of parts) {
    const resolved = part.$ref
      ? flatten(schemas, schemas[componentName(part.$ref as string)]!)
      : flatten(schemas, part);
    Object.assign(merged.properties as Schema, resolved.properties ?? {});
    (merged.required as string[]).push(...((resolved.required as string[] | undefined) ?? []));
  }
  return merged;
}

/** The spec's component schemas, closed and strict, with the wire deviations applied. */
function wireSchemas(): Record<string, Schema> {
  const raw = structuredClone(SPEC.components.schemas);
  const out: Record<string, Schema> = {};
  // A subtype leaves out what its base leaves out.
  const optional = (name: string): Set<string> => {
    const parts = (raw[name]?.allOf as Schema[] | undefined) ?? [];
    const inherited = parts.flatMap((p) => (p.$ref ? [...optional(componentName(p.$ref as string))] : []));
    return new Set([...(OPTIONAL[name] ?? []), ...inherited]);
  };
  for (const [name, schema] of Object.entries(raw)) out[name] = flatten(raw, structuredClone(schema));
  for (const [name, edit] of Object.entries(WIRE_DEVIATIONS)) edit(out[name]!);
  for (const [name, schema] of Object.entries(out)) {
    if (schema.type === 'object' && schema.properties && !schema.discriminator) {
      schema.additionalProperties = false;
      const leftOut = optional(name);
      schema.required = Object.keys(props(schema)).filter((p) => !leftOut.has(p));
    }
  }
  // A discriminator dispatches on `className` to the flattened subtype (Ajv's own keyword wants oneOf).
  for (const schema of Object.values(out)) {
    const d = schema.discriminator as { propertyName: string; mapping: Record<string, string> } | undefined;
    if (!d) continue;
    for (const key of Object.keys(schema)) delete schema[key];
    Object.assign(schema, {
      type: 'object',
      required: [d.propertyName],
      properties: { [d.propertyName]: { enum: Object.keys(d.mapping) } },
      allOf: Object.entries(d.mapping).map(([value, ref]) => ({
        if: { properties: { [d.propertyName]: { const: value } } },
        then: { $ref: ref },
      })),
    });
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });
for (const f of ['int32', 'int64'])
  ajv.addFormat(f, { type: 'number', validate: (n: number) => Number.isSafeInteger(n) || Math.abs(n) >= 2 ** 53 });
for (const f of ['double', 'float', 'binary', 'byte']) ajv.addFormat(f, () => true);
ajv.addSchema({ $id: 'flink', components: { schemas: wireSchemas() } });

const validators = new Map<string, ValidateFunction>();

/** The validator of a spec path's GET 200 response. */
function validatorFor(template: string): ValidateFunction {
  let v = validators.get(template);
  if (!v) {
    const schema = SPEC.paths[template]?.get?.responses['200']?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`no response schema for ${template}`);
    // Response schemas refer to the components; inline ones (arrays) too.
    const inline = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"flink#/components/')) as Schema;
    v = ajv.compile(inline);
    validators.set(template, v);
  }
  return v;
}

// ---- the emulator ----------------------------------------------------------------------------------

let emu: Emulator;
let client: ka.KinesisAnalyticsV2Client;
const exercised = new Set<string>();

beforeAll(async () => {
  // Paused: virtual time moves only with advance(), so a restart never lands between two reads of one pass
  // (the poison pill restarts every few seconds; at wall-clock speed a pass could see attempt n, then n+1).
  emu = await startEmulator({ inMemory: true, port: 0, timeProfile: 'instant', speed: 0 });
  client = new ka.KinesisAnalyticsV2Client({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await emu.close();
});

const advance = async (ms: number) => {
  await fetch(`${emu.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: ms }) });
};

async function runApp(
  name: string,
  jar: string,
  {
    parallelism = 3,
    perKpu = 2,
    properties,
  }: { parallelism?: number; perKpu?: number; properties?: ka.PropertyGroup[] } = {},
): Promise<{ base: string; token: string }> {
  await client.send(
    new ka.CreateApplicationCommand({
      ApplicationName: name,
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: 'arn:aws:iam::123456789012:role/r',
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: {
            S3ContentLocation: { BucketARN: 'arn:aws:s3:::mfc-demo-artifacts', FileKey: `sessionizer/${jar}` },
          },
        },
        FlinkApplicationConfiguration: {
          ParallelismConfiguration: {
            ConfigurationType: 'CUSTOM',
            Parallelism: parallelism,
            ParallelismPerKPU: perKpu,
            AutoScalingEnabled: false,
          },
        },
        ...(properties ? { EnvironmentProperties: { PropertyGroups: properties } } : {}),
      },
    }),
  );
  await client.send(new ka.StartApplicationCommand({ ApplicationName: name }));
  for (let i = 0; ; i++) {
    const d = await client.send(new ka.DescribeApplicationCommand({ ApplicationName: name }));
    if (d.ApplicationDetail?.ApplicationStatus === 'RUNNING') break;
    if (i > 100) throw new Error(`${name} did not start`);
    await advance(1_000);
  }
  await advance(8 * 60_000);
  const url = await client.send(
    new ka.CreateApplicationPresignedUrlCommand({ ApplicationName: name, UrlType: 'FLINK_DASHBOARD_URL' }),
  );
  const parsed = new URL(url.AuthorizedUrl!);
  return { base: `${parsed.origin}${parsed.pathname}`, token: parsed.searchParams.get('authToken')! };
}

async function fetchJson(base: string, token: string, path: string): Promise<unknown> {
  const url = new URL(path, base);
  url.searchParams.set('authToken', token);
  const res = await fetch(url);
  const body: unknown = await res.json();
  expect(res.status, `${path}: ${JSON.stringify(body)}`).toBe(200);
  return body;
}

/** Fetches `path` (an instance of `template`) and validates the body against the spec's response schema. */
async function valid<T>(base: string, token: string, template: string, path: string): Promise<T> {
  const body = await fetchJson(base, token, path);
  const validate = validatorFor(`/${template}`);
  const ok = validate(body);
  expect(
    ok ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`),
    path,
  ).toEqual([]);
  exercised.add(template);
  return body as T;
}

/** Fetches an endpoint whose wire form departs from the spec; the caller asserts its shape. */
async function wire<T>(base: string, token: string, template: string, path: string): Promise<T> {
  exercised.add(template);
  return (await fetchJson(base, token, path)) as T;
}

const METRIC_VALUE = {
  id: expect.any(String),
  value: expect.stringMatching(/^-?\d+(\.\d+)?(e[+-]?\d+)?$|^(true|false)$/),
};

// ---- every endpoint --------------------------------------------------------------------------------

interface Job {
  jid: string;
  vertices: { id: string; parallelism: number }[];
}

async function validateEverything(base: string, token: string): Promise<void> {
  const t = (template: string, path: string) => valid(base, token, template, path);
  await t('config', 'config');
  await t('overview', 'overview');
  await t('jobs', 'jobs');
  await t('jobs/overview', 'jobs/overview');
  await t('jobmanager/config', 'jobmanager/config');
  await t('jobmanager/environment', 'jobmanager/environment');
  const { taskmanagers } = (await t('taskmanagers', 'taskmanagers')) as { taskmanagers: { id: string }[] };
  expect(taskmanagers.length).toBe(2);
  for (const tm of taskmanagers) await t('taskmanagers/{taskmanagerid}', `taskmanagers/${tm.id}`);

  const { jobs } = (await t('jobs', 'jobs')) as { jobs: { id: string }[] };
  const jid = jobs[0]!.id;
  const job = (await t('jobs/{jobid}', `jobs/${jid}`)) as Job;
  await t('jobs/{jobid}/plan', `jobs/${jid}/plan`);
  await t('jobs/{jobid}/status', `jobs/${jid}/status`);
  await t('jobs/{jobid}/accumulators', `jobs/${jid}/accumulators`);
  await t('jobs/{jobid}/jobmanager/config', `jobs/${jid}/jobmanager/config`);
  await t('jobs/{jobid}/jobmanager/environment', `jobs/${jid}/jobmanager/environment`);
  await t('jobs/{jobid}/exceptions', `jobs/${jid}/exceptions?maxExceptions=10`);
  const cps = (await t('jobs/{jobid}/checkpoints', `jobs/${jid}/checkpoints`)) as { history: { id: number }[] };
  expect(cps.history.length).toBeGreaterThan(0);
  await t('jobs/{jobid}/checkpoints/config', `jobs/${jid}/checkpoints/config`);
  for (const cp of cps.history) {
    await t('jobs/{jobid}/checkpoints/details/{checkpointid}', `jobs/${jid}/checkpoints/details/${cp.id}`);
    for (const v of job.vertices)
      await t(
        'jobs/{jobid}/checkpoints/details/{checkpointid}/subtasks/{vertexid}',
        `jobs/${jid}/checkpoints/details/${cp.id}/subtasks/${v.id}`,
      );
  }

  for (const v of job.vertices) {
    const vp = `jobs/${jid}/vertices/${v.id}`;
    const vt = 'jobs/{jobid}/vertices/{vertexid}';
    const details = (await t(vt, vp)) as { subtasks: { attempt: number }[] };
    await t(`${vt}/accumulators`, `${vp}/accumulators`);
    await t(`${vt}/backpressure`, `${vp}/backpressure`);
    await t(`${vt}/subtasktimes`, `${vp}/subtasktimes`);
    await t(`${vt}/taskmanagers`, `${vp}/taskmanagers`);
    await t(`${vt}/subtasks/accumulators`, `${vp}/subtasks/accumulators`);
    for (let i = 0; i < v.parallelism; i++) {
      await t(`${vt}/subtasks/{subtaskindex}`, `${vp}/subtasks/${i}`);
      await t(
        `${vt}/subtasks/{subtaskindex}/attempts/{attempt}`,
        `${vp}/subtasks/${i}/attempts/${details.subtasks[i]!.attempt}`,
      );
    }
  }
}

describe('responses validate against the Flink OpenAPI spec', () => {
  it('a healthy job after its first checkpoints', async () => {
    const { base, token } = await runApp('schema-ok', 'sessionizer-1.0.0.jar');
    await validateEverything(base, token);
  });

  it('a job in a fail-and-restart loop (exception history, restarted attempts)', async () => {
    const { base, token } = await runApp('schema-poison', 'sessionizer-1.3.0-poison-pill.jar');
    const { jobs } = (await fetchJson(base, token, 'jobs')) as { jobs: { id: string }[] };
    const ex = (await valid(base, token, 'jobs/{jobid}/exceptions', `jobs/${jobs[0]!.id}/exceptions`)) as {
      exceptionHistory: { entries: unknown[] };
    };
    expect(ex.exceptionHistory.entries.length).toBeGreaterThan(0);
    // Step through a restart so some reads land while subtasks are FAILED, CANCELED or re-deploying.
    for (let step = 0; step < 12; step++) {
      await advance(800);
      await validateEverything(base, token);
    }
  });

  it('a back-pressured job (slow sink): back pressure levels and slow checkpoints', async () => {
    // At the parallelism its sink's capacity is given for (2, on two TaskManagers): the sink keeps up with
    // 35% of the input (its capacity grows with its subtasks).
    const { base, token } = await runApp('schema-slow', 'sessionizer-1.4.0-slow-sink.jar', {
      parallelism: 2,
      perKpu: 1,
    });
    await validateEverything(base, token);
    const job = (await fetchJson(base, token, 'jobs')) as { jobs: { id: string }[] };
    const details = (await fetchJson(base, token, `jobs/${job.jobs[0]!.id}`)) as Job;
    const levels = [];
    for (const v of details.vertices) {
      const bp = (await fetchJson(base, token, `jobs/${details.jid}/vertices/${v.id}/backpressure`)) as {
        'backpressure-level': string;
      };
      levels.push(bp['backpressure-level']);
    }
    // Upstream of the slow sink is back-pressured; the sink itself is busy, not back-pressured.
    expect(levels).toContain('high');
    expect(levels[levels.length - 1]).toBe('ok');
    // Long alignments: over the next hour some checkpoints outlive the 10-minute timeout.
    await advance(60 * 60_000);
    await validateEverything(base, token);
    const cps = (await fetchJson(base, token, `jobs/${details.jid}/checkpoints`)) as {
      counts: { failed: number };
      latest: { failed?: { className: string; failure_message: string } };
    };
    expect(cps.counts.failed).toBeGreaterThan(0);
    expect(cps.latest.failed).toMatchObject({ className: 'failed', failure_message: expect.stringMatching(/expired/) });
  });
});

describe('a back-pressured job with unaligned checkpoints and buffer debloating', () => {
  it('validates, with UNALIGNED_CHECKPOINT entries, persisted in-flight data and unaligned subtasks', async () => {
    const { base, token } = await runApp('schema-unaligned', 'sessionizer-1.4.0-slow-sink.jar', {
      parallelism: 2,
      perKpu: 1,
      properties: [
        {
          PropertyGroupId: 'FlinkApplicationProperties',
          PropertyMap: {
            'execution.checkpointing.unaligned': 'true',
            'taskmanager.network.memory.buffer-debloat.enabled': 'true',
          },
        },
      ],
    });
    await validateEverything(base, token);
    const { jobs } = (await fetchJson(base, token, 'jobs')) as { jobs: { id: string }[] };
    const jid = jobs[0]!.id;
    const config = (await fetchJson(base, token, `jobs/${jid}/checkpoints/config`)) as {
      unaligned_checkpoints: boolean;
    };
    expect(config.unaligned_checkpoints).toBe(true);
    const cps = (await fetchJson(base, token, `jobs/${jid}/checkpoints`)) as {
      history: { id: number; status: string; checkpoint_type: string; persisted_data: number; is_savepoint: boolean }[];
    };
    const done = cps.history.filter((c) => c.status === 'COMPLETED');
    expect(done.length).toBeGreaterThan(0);
    for (const c of done) {
      expect(c.checkpoint_type).toBe('UNALIGNED_CHECKPOINT');
      expect(c.is_savepoint).toBe(false);
      expect(c.persisted_data).toBeGreaterThan(0);
    }
    const job = (await fetchJson(base, token, `jobs/${jid}`)) as Job;
    const sink = job.vertices.at(-1)!.id;
    const sub = (await fetchJson(base, token, `jobs/${jid}/checkpoints/details/${done[0]!.id}/subtasks/${sink}`)) as {
      subtasks: { unaligned_checkpoint: boolean; alignment: { duration: number; persisted: number } }[];
    };
    for (const s of sub.subtasks) {
      expect(s.unaligned_checkpoint).toBe(true);
      expect(s.alignment.duration).toBeLessThanOrEqual(5);
      expect(s.alignment.persisted).toBeGreaterThan(0);
    }
  });
});

describe('a job that ended on the cluster (stop-with-savepoint during an update)', () => {
  it('is listed and described in the spec shapes', async () => {
    const { base, token } = await runApp('schema-updated', 'sessionizer-1.0.0.jar');
    const { jobs } = (await fetchJson(base, token, 'jobs')) as { jobs: { id: string }[] };
    const old = jobs[0]!.id;
    const d = await client.send(new ka.DescribeApplicationCommand({ ApplicationName: 'schema-updated' }));
    await client.send(
      new ka.UpdateApplicationCommand({
        ApplicationName: 'schema-updated',
        CurrentApplicationVersionId: d.ApplicationDetail!.ApplicationVersionId,
        ApplicationConfigurationUpdate: {
          ApplicationCodeConfigurationUpdate: {
            CodeContentUpdate: { S3ContentLocationUpdate: { FileKeyUpdate: 'sessionizer/sessionizer-1.1.0.jar' } },
          },
        },
      }),
    );
    for (let i = 0; ; i++) {
      const now = await client.send(new ka.DescribeApplicationCommand({ ApplicationName: 'schema-updated' }));
      if (now.ApplicationDetail?.ApplicationStatus === 'RUNNING') break;
      if (i > 100) throw new Error('the update did not finish');
      await advance(1_000);
    }
    const t = (template: string, path: string) => valid(base, token, template, path);
    const list = (await t('jobs', 'jobs')) as { jobs: { id: string; status: string }[] };
    expect(list.jobs.map((j) => j.status)).toEqual(['RUNNING', 'FINISHED']);
    await t('jobs/overview', 'jobs/overview');
    await t('overview', 'overview');
    const ended = (await t('jobs/{jobid}', `jobs/${old}`)) as { state: string; vertices: { status: string }[] };
    expect(ended.state).toBe('FINISHED');
    expect(ended.vertices.length).toBeGreaterThan(0);
    expect(ended.vertices.every((v) => v.status === 'FINISHED')).toBe(true);
    await t('jobs/{jobid}/plan', `jobs/${old}/plan`);
    await t('jobs/{jobid}/status', `jobs/${old}/status`);
    await t('jobs/{jobid}/exceptions', `jobs/${old}/exceptions`);
    await t('jobs/{jobid}/accumulators', `jobs/${old}/accumulators`);
    // The new job, once it has checkpointed.
    await advance(2 * 60_000);
    await validateEverything(base, token);
  });
});

describe('endpoints whose wire form departs from the spec', () => {
  let base: string;
  let token: string;
  let job: Job;

  beforeAll(async () => {
    ({ base, token } = await runApp('schema-wire', 'sessionizer-1.0.0.jar'));
    const { jobs } = (await fetchJson(base, token, 'jobs')) as { jobs: { id: string }[] };
    job = (await fetchJson(base, token, `jobs/${jobs[0]!.id}`)) as Job;
  });

  it('/jobs/{jid}/config is {jid, name, execution-config}', async () => {
    const config = await wire(base, token, 'jobs/{jobid}/config', `jobs/${job.jid}/config`);
    expect(config).toEqual({
      jid: job.jid,
      name: 'clickstream-sessionizer',
      'execution-config': {
        'restart-strategy': expect.any(String),
        'job-parallelism': 3,
        'object-reuse-mode': false,
        'user-config': {},
      },
    });
  });

  it('metric endpoints answer bare [{id, value}] arrays, values as strings; ids only without ?get=', async () => {
    const v = job.vertices[1]!;
    const vp = `jobs/${job.jid}/vertices/${v.id}`;
    const vt = 'jobs/{jobid}/vertices/{vertexid}';
    const cases: [string, string, string][] = [
      ['jobs/{jobid}/metrics', `jobs/${job.jid}/metrics`, 'numRestarts'],
      [`${vt}/metrics`, `${vp}/metrics`, '0.numRecordsIn'],
      [`${vt}/subtasks/{subtaskindex}/metrics`, `${vp}/subtasks/0/metrics`, 'busyTimeMsPerSecond'],
      ['taskmanagers/{taskmanagerid}/metrics', '', 'Status.JVM.Memory.Heap.Used'],
      ['jobmanager/metrics', 'jobmanager/metrics', 'Status.JVM.CPU.Load'],
    ];
    const { taskmanagers } = (await fetchJson(base, token, 'taskmanagers')) as { taskmanagers: { id: string }[] };
    cases[3]![1] = `taskmanagers/${taskmanagers[0]!.id}/metrics`;
    for (const [template, path, id] of cases) {
      const ids = await wire<{ id: string }[]>(base, token, template, path);
      expect(Array.isArray(ids), path).toBe(true);
      expect(
        ids.every((m) => Object.keys(m).join() === 'id'),
        path,
      ).toBe(true);
      expect(
        ids.map((m) => m.id),
        path,
      ).toContain(id);
      const values = await wire<{ id: string; value: string }[]>(
        base,
        token,
        template,
        `${path}?get=${id},no.such.metric`,
      );
      expect(values, path).toEqual([{ ...METRIC_VALUE, id }]);
    }
  });

  it('subtasks/metrics answers [{id, min, max, avg, sum, skew}] numbers, filtered by agg and subtasks', async () => {
    const vp = `jobs/${job.jid}/vertices/${job.vertices[0]!.id}/subtasks/metrics`;
    const template = 'jobs/{jobid}/vertices/{vertexid}/subtasks/metrics';
    const names = await wire<{ id: string }[]>(base, token, template, vp);
    expect(names.map((m) => m.id)).toEqual(
      expect.arrayContaining(['backPressuredTimeMsPerSecond', 'busyTimeMsPerSecond', 'numRecordsInPerSecond']),
    );
    const all = await wire<Record<string, unknown>[]>(
      base,
      token,
      template,
      `${vp}?get=backPressuredTimeMsPerSecond,busyTimeMsPerSecond,numRecordsOutPerSecond`,
    );
    expect(all).toHaveLength(3);
    for (const m of all)
      expect(m).toEqual({
        id: expect.any(String),
        min: expect.any(Number),
        max: expect.any(Number),
        avg: expect.any(Number),
        sum: expect.any(Number),
        skew: expect.any(Number),
      });
    const out = all[2] as { min: number; max: number; avg: number; sum: number };
    expect(out.min).toBeLessThanOrEqual(out.avg);
    expect(out.avg).toBeLessThanOrEqual(out.max);
    expect(out.sum).toBeCloseTo(out.avg * 3, 6);
    const some = await wire<Record<string, unknown>[]>(
      base,
      token,
      template,
      `${vp}?get=numRecordsOutPerSecond&agg=max,sum&subtasks=0-1`,
    );
    expect(some).toEqual([{ id: 'numRecordsOutPerSecond', max: expect.any(Number), sum: expect.any(Number) }]);
    expect(some[0]!.sum as number).toBeLessThan(out.sum);
  });

  it('watermarks answer [{"id": "<subtask>.currentInputWatermark", "value": "<ms>"}]', async () => {
    const v = job.vertices[1]!;
    const marks = await wire<{ id: string; value: string }[]>(
      base,
      token,
      'jobs/{jobid}/vertices/{vertexid}/watermarks',
      `jobs/${job.jid}/vertices/${v.id}/watermarks`,
    );
    expect(marks.map((m) => m.id)).toEqual([
      '0.currentInputWatermark',
      '1.currentInputWatermark',
      '2.currentInputWatermark',
    ]);
    for (const m of marks) expect(Number(m.value)).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });
});

describe('the validator', () => {
  it('rejects an unknown key, a missing key, a wrong enum and the spec form of a wire deviation', async () => {
    const { base, token } = await runApp('schema-self', 'sessionizer-1.0.0.jar');
    const { jobs } = (await fetchJson(base, token, 'jobs')) as { jobs: { id: string }[] };
    const body = (await fetchJson(base, token, `jobs/${jobs[0]!.id}`)) as Record<string, unknown>;
    const validate = validatorFor('/jobs/{jobid}');
    expect(validate(body)).toBe(true);
    const vertex = (b: Record<string, unknown>) => (b.vertices as Record<string, unknown>[])[0]!;
    const broken: [string, (b: Record<string, unknown>) => void][] = [
      ['unknown key', (b) => (b['start_time'] = 1)],
      ['missing key', (b) => delete b.now],
      ['wrong enum', (b) => (b.state = 'running')],
      ['job id pattern', (b) => (b.jid = 'not-a-job-id')],
      ['integer', (b) => (vertex(b).parallelism = 1.5)],
      ['slotSharingGroupId as the spec object', (b) => (vertex(b).slotSharingGroupId = { bytes: [] })],
    ];
    for (const [what, mutate] of broken) {
      const copy = structuredClone(body);
      mutate(copy);
      expect(validate(copy), what).toBe(false);
    }
  });
});

describe('coverage', () => {
  it('every route the emulator serves was validated or asserted above', () => {
    expect(ROUTE_TEMPLATES.filter((t) => !exercised.has(t.replace(/:(\w+)/g, '{$1}')))).toEqual([]);
  });
});
