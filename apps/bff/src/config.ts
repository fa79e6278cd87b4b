/**
 * Configuration from the environment, validated at start. A wrong value stops the BFF with a message
 * naming the variable, rather than failing later in a request.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const flag = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const ROLE_NAMES = ['viewer', 'operator', 'admin'] as const;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An http(s) URL; plain http only for a provider on this machine (tests, a local identity provider). */
const oidcUrl = (name: string, example: string) =>
  z
    .url({ message: `${name} must be a URL such as ${example}` })
    .refine((u) => /^https?:\/\//i.test(u), `${name} must use https`);

/** MFC_OIDC_ROLE_MAP: a JSON object from claim value to role. */
const RoleMap = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message:
          'MFC_OIDC_ROLE_MAP must be a JSON object such as {"flink-admins":"admin","flink-operators":"operator","flink-viewers":"viewer"}',
      });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .record(
        z.string().min(1, 'MFC_OIDC_ROLE_MAP keys (claim values) must not be empty'),
        z.enum(ROLE_NAMES, { message: 'MFC_OIDC_ROLE_MAP values must be viewer, operator or admin' }),
        { message: 'MFC_OIDC_ROLE_MAP must be a JSON object from claim value to role' },
      )
      .refine((m) => Object.keys(m).length > 0, 'MFC_OIDC_ROLE_MAP must map at least one claim value to a role'),
  );

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
  MFC_READ_CACHE_MS: z.coerce
    .number({ message: 'MFC_READ_CACHE_MS must be a number of milliseconds' })
    .int()
    .min(0)
    .max(60_000, 'MFC_READ_CACHE_MS must be at most 60000')
    .default(5_000),
  MFC_DRAIN_MS: z.coerce
    .number({ message: 'MFC_DRAIN_MS must be a number of milliseconds' })
    .int()
    .min(0)
    .max(120_000, 'MFC_DRAIN_MS must be at most 120000')
    .default(0),
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
  MFC_OIDC_ISSUER: oidcUrl('MFC_OIDC_ISSUER', 'https://login.example.com/realms/flink').optional(),
  MFC_OIDC_CLIENT_ID: z.string().min(1, 'MFC_OIDC_CLIENT_ID must not be empty').optional(),
  MFC_OIDC_CLIENT_SECRET: z.string().min(1, 'MFC_OIDC_CLIENT_SECRET must not be empty').optional(),
  MFC_OIDC_REDIRECT_URL: oidcUrl(
    'MFC_OIDC_REDIRECT_URL',
    'https://console.example.com/api/session/sso/callback',
  ).optional(),
  MFC_OIDC_POST_LOGOUT_REDIRECT_URL: oidcUrl(
    'MFC_OIDC_POST_LOGOUT_REDIRECT_URL',
    'https://console.example.com/',
  ).optional(),
  MFC_OIDC_SCOPES: z
    .string()
    .regex(/(^|\s)openid(\s|$)/, 'MFC_OIDC_SCOPES must include openid, such as "openid profile email"')
    .default('openid profile email'),
  MFC_OIDC_ROLE_CLAIM: z.string().min(1, 'MFC_OIDC_ROLE_CLAIM must name a claim such as groups').default('groups'),
  MFC_OIDC_ROLE_MAP: RoleMap.optional(),
  MFC_OIDC_NAME_CLAIM: z.string().min(1, 'MFC_OIDC_NAME_CLAIM must name a claim such as email').optional(),
  MFC_OIDC_LABEL: z.string().min(1).max(80, 'MFC_OIDC_LABEL must be at most 80 characters').optional(),
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
  /** Replicas reuse each other's read-only answers of the service for this long (0: never). */
  readCacheMs: number;
  /** On SIGTERM: answer not-ready and close the event streams, then wait this long before stopping. */
  drainMs: number;
  /** How often watched applications are polled. */
  pollMs: number;
  /** A RUNNING job with checkpointing on and no checkpoint completed for this long needs attention. */
  checkpointStaleMs: number;
  logLevel: string;
  /** Single sign-on with an OpenID Connect provider (undefined: not configured). */
  oidc?: OidcConfig;
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

/** MFC_OIDC_*: the console signs users in through this OpenID Connect provider. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The callback as the browser reaches the BFF (a proxy in front may change host, scheme or path). */
  redirectUrl: string;
  /** Where the provider sends the browser after signing out (RP-initiated logout); omitted when unset. */
  postLogoutRedirectUrl?: string;
  /** Space-separated, openid included. */
  scopes: string;
  /** The claim holding the user's groups or roles (a string or an array of strings; a dotted path reaches nested claims). */
  roleClaim: string;
  /** Claim value → role; the highest role among the user's values wins, none mapped refuses the sign-in. */
  roleMap: Record<string, 'viewer' | 'operator' | 'admin'>;
  /** The claim naming the user (default: preferred_username, then email, then sub). */
  nameClaim?: string;
  /** The sign-in button's text. */
  label?: string;
}

export class ConfigError extends Error {}

const OIDC_REQUIRED = [
  'MFC_OIDC_CLIENT_ID',
  'MFC_OIDC_CLIENT_SECRET',
  'MFC_OIDC_REDIRECT_URL',
  'MFC_OIDC_ROLE_MAP',
] as const;

/** All or nothing: an issuer without a client, a callback or a role map cannot sign anyone in. */
function oidcConfig(e: z.infer<typeof Env>): OidcConfig | undefined {
  const set = (Object.keys(e) as (keyof typeof e)[]).filter(
    (k) => k.startsWith('MFC_OIDC_') && e[k] !== undefined && !['MFC_OIDC_SCOPES', 'MFC_OIDC_ROLE_CLAIM'].includes(k),
  );
  if (!e.MFC_OIDC_ISSUER) {
    if (set.length === 0) return undefined;
    throw new ConfigError(
      `Invalid configuration:\n  MFC_OIDC_ISSUER: ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set but MFC_OIDC_ISSUER is not; single sign-on needs the provider's issuer URL`,
    );
  }
  const missing = OIDC_REQUIRED.filter((k) => e[k] === undefined);
  if (missing.length > 0)
    throw new ConfigError(
      `Invalid configuration:\n${missing.map((k) => `  ${k}: required with MFC_OIDC_ISSUER (single sign-on)`).join('\n')}`,
    );
  // Plain http only for a provider on this machine: tokens and the client secret cross this connection.
  if (/^http:/i.test(e.MFC_OIDC_ISSUER) && !LOOPBACK.has(new URL(e.MFC_OIDC_ISSUER).hostname))
    throw new ConfigError(
      'Invalid configuration:\n  MFC_OIDC_ISSUER: must use https (plain http only for a provider on 127.0.0.1 or localhost)',
    );
  return {
    issuer: e.MFC_OIDC_ISSUER,
    clientId: e.MFC_OIDC_CLIENT_ID!,
    clientSecret: e.MFC_OIDC_CLIENT_SECRET!,
    redirectUrl: e.MFC_OIDC_REDIRECT_URL!,
    ...(e.MFC_OIDC_POST_LOGOUT_REDIRECT_URL ? { postLogoutRedirectUrl: e.MFC_OIDC_POST_LOGOUT_REDIRECT_URL } : {}),
    scopes: e.MFC_OIDC_SCOPES.trim().split(/\s+/).join(' '),
    roleClaim: e.MFC_OIDC_ROLE_CLAIM,
    roleMap: e.MFC_OIDC_ROLE_MAP!,
    ...(e.MFC_OIDC_NAME_CLAIM ? { nameClaim: e.MFC_OIDC_NAME_CLAIM } : {}),
    ...(e.MFC_OIDC_LABEL ? { label: e.MFC_OIDC_LABEL } : {}),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(
      `Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  const e = parsed.data;
  const oidc = oidcConfig(e);
  const mode = e.MFC_MODE ?? (e.MFC_USERS_FILE || oidc ? 'production' : 'demo');
  if (mode === 'production' && !e.MFC_USERS_FILE && !oidc)
    throw new ConfigError(
      'Invalid configuration:\n  MFC_USERS_FILE: production mode needs a users file or single sign-on (MFC_OIDC_ISSUER and its companions)',
    );
  if (mode === 'demo' && oidc)
    throw new ConfigError(
      'Invalid configuration:\n  MFC_OIDC_ISSUER: single sign-on is for production mode (demo mode signs every browser in as the demo operator)',
    );
  if (mode === 'production' && !e.MFC_SESSION_SECRET)
    throw new ConfigError('Invalid configuration:\n  MFC_SESSION_SECRET: production mode needs a fixed session secret');
  if (e.MFC_DATABASE_URL && !e.MFC_SESSION_SECRET)
    throw new ConfigError(
      'Invalid configuration:\n  MFC_SESSION_SECRET: replicas sharing MFC_DATABASE_URL must sign session cookies with the same secret',
    );
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
    drainMs: e.MFC_DRAIN_MS,
    readCacheMs: e.MFC_READ_CACHE_MS,
    pollMs: e.MFC_POLL_MS ?? (e.MFC_TARGET === 'embedded' ? 250 : 5_000),
    checkpointStaleMs: e.MFC_CHECKPOINT_STALE_MS,
    logLevel: e.LOG_LEVEL,
    ...(oidc ? { oidc } : {}),
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
