/**
 * STS: who the caller is (GetCallerIdentity), and temporary credentials (AssumeRole, GetSessionToken) that
 * the emulator then accepts as the identity they were issued for until they expire on the virtual clock.
 * Trust policies are not evaluated: any caller may assume any role that exists.
 */
import type { EngineEnv } from '../engine-env.js';
import type { CallContext } from '../service/records.js';
import { ServiceError } from '../util/errors.js';
import { BASE62 } from '../util/random.js';
import { derivedId, type IamService } from './iam-service.js';
import { policyProblem, policySize } from './policy-document.js';
import type { IamTag, StsSessionRecord } from './records.js';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = `${BASE62}+/`;
/** Session policies, policy ARNs and tags are packed into this many characters (PackedPolicySize is a percentage). */
const PACKED_POLICY_SPACE = 2048;

const accessDenied = (message: string) => new ServiceError('AccessDenied', message, 403);
const validation = (message: string) => new ServiceError('ValidationError', message, 400);

export class StsService {
  constructor(
    private env: EngineEnv,
    private iam: IamService,
  ) {}

  private get store() {
    return this.env.store;
  }

  /** The temporary credentials an access key id belongs to (expired ones included; see `expired`). */
  session(accessKeyId: string): StsSessionRecord | undefined {
    return this.store.stsSessions.get(accessKeyId);
  }

  expired(session: StsSessionRecord): boolean {
    return this.env.clock.now() >= session.expiresAt;
  }

  /** GetCallerIdentity's UserId for a principal ARN, as AWS forms it for each kind of principal. */
  userIdOf(account: string, principal: string): string {
    if (/^arn:aws[\w-]*:iam::\d{12}:root$/.test(principal)) return account;
    const assumed = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(principal);
    if (assumed) {
      const role = this.iam.findRole(assumed[1]!, assumed[2]!);
      return `${role?.roleId ?? derivedId('AROA', `${assumed[1]}:${assumed[2]}`)}:${assumed[3]}`;
    }
    const federated = /^arn:aws[\w-]*:sts::(\d{12}):federated-user\/(.+)$/.exec(principal);
    if (federated) return `${account}:${federated[2]}`;
    return derivedId('AIDA', principal);
  }

  getCallerIdentity(ctx: CallContext) {
    return { UserId: this.userIdOf(ctx.account, ctx.principal), Account: ctx.account, Arn: ctx.principal };
  }

  assumeRole(
    ctx: CallContext,
    req: {
      RoleArn: string;
      RoleSessionName: string;
      DurationSeconds?: number;
      Policy?: string;
      PolicyArns?: { arn?: string }[];
      Tags?: IamTag[];
      SourceIdentity?: string;
    },
  ) {
    const role = this.iam.findRoleByArn(req.RoleArn);
    if (!role)
      throw accessDenied(
        `User: ${ctx.principal} is not authorized to perform: sts:AssumeRole on resource: ${req.RoleArn}`,
      );
    const duration = req.DurationSeconds ?? 3600;
    if (isRoleSession(ctx.principal) && duration > 3600)
      throw validation(
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    if (duration > role.maxSessionDuration)
      throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    if (req.Policy !== undefined) {
      const problem = policyProblem(req.Policy, 'identity');
      if (problem) throw new ServiceError('MalformedPolicyDocumentException', problem, 400);
    }
    const packed = packedPolicySize(req);
    if (packed !== undefined && packed > 100)
      throw new ServiceError(
        'PackedPolicyTooLargeException',
        `Packed policy consumes ${packed}% of allotted space, please use smaller policy for this session.`,
        400,
      );
    const arn = `arn:aws:sts::${role.account}:assumed-role/${role.roleName}/${req.RoleSessionName}`;
    const userId = `${role.roleId}:${req.RoleSessionName}`;
    const session = this.issue(role.account, arn, userId, duration, true);
    this.iam.markUsed(role, ctx.region);
    return {
      Credentials: credentialsOf(session),
      AssumedRoleUser: { AssumedRoleId: userId, Arn: arn },
      PackedPolicySize: packed,
      SourceIdentity: req.SourceIdentity,
    };
  }

  getSessionToken(ctx: CallContext, req: { DurationSeconds?: number }) {
    if (isRoleSession(ctx.principal)) throw accessDenied('Cannot call GetSessionToken with session credentials');
    const root = /:root$/.test(ctx.principal);
    const duration = req.DurationSeconds ?? (root ? 3600 : 43_200);
    if (root && duration > 3600) throw validation('Root account session duration cannot exceed 3600 seconds (1 hour).');
    const session = this.issue(ctx.account, ctx.principal, this.userIdOf(ctx.account, ctx.principal), duration, false);
    return { Credentials: credentialsOf(session) };
  }

  private issue(
    account: string,
    principal: string,
    userId: string,
    durationSeconds: number,
    roleSession: boolean,
  ): StsSessionRecord {
    const now = this.env.clock.now();
    // Credentials that have expired are forgotten when new ones are issued.
    for (const s of [...this.store.stsSessions.values()])
      if (s.expiresAt <= now) this.store.stsSessions.delete(s.accessKeyId);
    const random = this.env.random;
    const session: StsSessionRecord = {
      accessKeyId: `ASIA${random.chars(16, KEY_ALPHABET)}`,
      secretAccessKey: random.chars(40, SECRET_ALPHABET),
      sessionToken: `IQoJb3JpZ2luX2VjE${random.chars(340, SECRET_ALPHABET)}`,
      account,
      principal,
      userId,
      issuedAt: now,
      // Expirations are whole seconds, as STS gives them.
      expiresAt: Math.floor(now / 1000) * 1000 + durationSeconds * 1000,
      roleSession,
    };
    this.store.stsSessions.set(session.accessKeyId, session);
    return session;
  }
}

function isRoleSession(principal: string): boolean {
  return /^arn:aws[\w-]*:sts::\d{12}:assumed-role\//.test(principal);
}

function credentialsOf(s: StsSessionRecord) {
  return {
    AccessKeyId: s.accessKeyId,
    SecretAccessKey: s.secretAccessKey,
    SessionToken: s.sessionToken,
    Expiration: new Date(s.expiresAt),
  };
}

/** The share of the packed session-policy space a request uses, when it passes any session policy or tag. */
function packedPolicySize(req: {
  Policy?: string;
  PolicyArns?: { arn?: string }[];
  Tags?: IamTag[];
}): number | undefined {
  if (req.Policy === undefined && !req.PolicyArns?.length && !req.Tags?.length) return undefined;
  const chars =
    (req.Policy !== undefined ? policySize(req.Policy) : 0) +
    (req.PolicyArns ?? []).reduce((n, p) => n + (p.arn?.length ?? 0), 0) +
    (req.Tags ?? []).reduce((n, t) => n + t.Key.length + t.Value.length, 0);
  return Math.max(1, Math.ceil((chars / PACKED_POLICY_SPACE) * 100));
}
