/**
 * Configuration from the environment, validated at start. A wrong value stops the BFF with a message
 * naming the variable, rather than failing later in a request.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const flag = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  MFC_TARGET: z.enum(['embedded', 'aws']).default('embedded'),
  MFC_ENDPOINT: z.url({ message: 'MFC_ENDPOINT must be a URL such as http://127.0.0.1:4599' }).optional(),
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'AWS_REGION must look like us-east-1')
    .default('us-east-1'),
  MFC_DEMO: flag.optional(),
  MFC_MODE: z.enum(['demo', 'production']).optional(),
  MFC_DATA_DIR: z.string().default('.mfc-data'),
  MFC_IN_MEMORY: flag.default(false),
  MFC_TIME_PROFILE: z.enum(['instant', 'fast', 'realistic']).default('fast'),
  MFC_EMULATOR_SPEED: z.coerce.number().min(0).max(1000).default(1),
  MFC_APPLICATION_QUOTA: z.coerce.number().int().min(1).max(1_000_000).optional(),
  MFC_USERS_FILE: z.string().optional(),
  MFC_SESSION_SECRET: z.string().min(32, 'MFC_SESSION_SECRET must be at least 32 characters').optional(),
  MFC_CONSOLE_DIR: z.string().optional(),
  MFC_DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\/\S+$/,
      'MFC_DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@db.example.com:5432/console',
    )
    .optional(),
  MFC_POLL_MS: z.coerce.number().int().min(50).max(60_000).optional(),
  MFC_CHECKPOINT_STALE_MS: z.coerce
    .number({ message: 'MFC_CHECKPOINT_STALE_MS must be a number of milliseconds' })
    .int()
    .min(10_000, 'MFC_CHECKPOINT_STALE_MS must be at least 10000 (10 s)')
    .max(7 * 24 * 3_600_000, 'MFC_CHECKPOINT_STALE_MS must be at most a week')
    .default(600_000),
  MFC_ALARM_WEBHOOK_URL: z
    .url({ message: 'MFC_ALARM_WEBHOOK_URL must be an http(s) URL such as https://hooks.example.com/flink' })
    .refine((u) => /^https?:\/\//i.test(u), 'MFC_ALARM_WEBHOOK_URL must use http or https')
    .optional(),
  MFC_ALARM_WEBHOOK_TIMEOUT_MS: z.coerce
    .number({ message: 'MFC_ALARM_WEBHOOK_TIMEOUT_MS must be a number of milliseconds' })
    .int()
    .min(100, 'MFC_ALARM_WEBHOOK_TIMEOUT_MS must be at least 100')
    .max(60_000, 'MFC_ALARM_WEBHOOK_TIMEOUT_MS must be at most 60000')
    .default(5_000),
  MFC_ALARM_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  MFC_ALARM_TOPIC_ARN: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/,
      'MFC_ALARM_TOPIC_ARN must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:flink-oncall',
    )
    .optional(),
  MFC_ALARM_POLL_MS: z.coerce.number().int().min(100).max(300_000).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  target: 'embedded' | 'aws';
  /** Where the AWS SDK clients point: a remote emulator, or undefined for real AWS endpoints. */
  endpoint?: string;
  region: string;
  /** Seed the embedded emulator with the demo fleet. */
  demo: boolean;
  /** demo: browsers are signed in as the demo operator; production: users sign in. */
  mode: 'demo' | 'production';
  dataDir: string;
  inMemory: boolean;
  timeProfile: 'instant' | 'fast' | 'realistic';
  emulatorSpeed: number;
  /** Applications per region in the embedded emulator (the service's default quota when unset). */
  applicationQuota?: number;
  usersFile?: string;
  sessionSecret: string;
  consoleDir?: string;
  /** The shared store of several replicas; without it, SQLite in the data directory (one process). */
  databaseUrl?: string;
  /** How often watched applications are polled. */
  pollMs: number;
  /** A RUNNING job with checkpointing on and no checkpoint completed for this long needs attention. */
  checkpointStaleMs: number;
  logLevel: string;
  alarms: {
    /** State changes are POSTed here (undefined: not forwarded). */
    webhook?: { url: string; timeoutMs: number; attempts: number };
    /** The recommended alarm notifies this SNS topic. */
    topicArn?: string;
    /** How often the alarms in ALARM are read; every alarm is read every `fullScanMs`. */
    pollMs: number;
    fullScanMs: number;
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(
      `Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  const e = parsed.data;
  const mode = e.MFC_MODE ?? (e.MFC_USERS_FILE ? 'production' : 'demo');
  if (mode === 'production' && !e.MFC_USERS_FILE)
    throw new ConfigError('Invalid configuration:\n  MFC_USERS_FILE: production mode needs a users file');
  if (mode === 'production' && !e.MFC_SESSION_SECRET)
    throw new ConfigError('Invalid configuration:\n  MFC_SESSION_SECRET: production mode needs a fixed session secret');
  if (e.MFC_TARGET === 'aws' && e.MFC_DEMO === true)
    throw new ConfigError(
      'Invalid configuration:\n  MFC_DEMO: the demo fleet is seeded only into the embedded emulator',
    );
  return {
    port: e.PORT,
    host: e.HOST,
    target: e.MFC_TARGET,
    endpoint: e.MFC_ENDPOINT,
    region: e.AWS_REGION,
    demo: e.MFC_TARGET === 'embedded' && (e.MFC_DEMO ?? true),
    mode,
    dataDir: e.MFC_DATA_DIR,
    inMemory: e.MFC_IN_MEMORY,
    timeProfile: e.MFC_TIME_PROFILE,
    emulatorSpeed: e.MFC_EMULATOR_SPEED,
    applicationQuota: e.MFC_APPLICATION_QUOTA,
    usersFile: e.MFC_USERS_FILE,
    sessionSecret: e.MFC_SESSION_SECRET ?? randomBytes(32).toString('hex'),
    consoleDir: e.MFC_CONSOLE_DIR,
    ...(e.MFC_DATABASE_URL ? { databaseUrl: e.MFC_DATABASE_URL } : {}),
    pollMs: e.MFC_POLL_MS ?? (e.MFC_TARGET === 'embedded' ? 250 : 5_000),
    checkpointStaleMs: e.MFC_CHECKPOINT_STALE_MS,
    logLevel: e.LOG_LEVEL,
    alarms: {
      ...(e.MFC_ALARM_WEBHOOK_URL
        ? {
            webhook: {
              url: e.MFC_ALARM_WEBHOOK_URL,
              timeoutMs: e.MFC_ALARM_WEBHOOK_TIMEOUT_MS,
              attempts: e.MFC_ALARM_WEBHOOK_ATTEMPTS,
            },
          }
        : {}),
      ...(e.MFC_ALARM_TOPIC_ARN ? { topicArn: e.MFC_ALARM_TOPIC_ARN } : {}),
      // The embedded emulator answers locally; AWS's DescribeAlarms is rate limited per account.
      pollMs: e.MFC_ALARM_POLL_MS ?? (e.MFC_TARGET === 'embedded' ? 2_000 : 10_000),
      fullScanMs: e.MFC_TARGET === 'embedded' ? 20_000 : 60_000,
    },
  };
}
