/** IAM and STS in the engine: roles, inline and managed policies, quotas, the grammar checks, credentials. */
import { describe, expect, it } from 'vitest';
import { Engine, adminContext, encodePolicy, policyProblem } from '../src/index.js';
import { ServiceError } from '../src/util/errors.js';
import { newEngine } from './helpers.js';

const ctx = adminContext();
const TRUST =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"kinesisanalytics.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
const POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';

function thrown(fn: () => unknown): { type: string; message: string; status: number } {
  try {
    fn();
  } catch (e) {
    if (e instanceof ServiceError) return { type: e.type, message: e.message, status: e.httpStatus };
    throw e;
  }
  throw new Error('expected a ServiceError');
}

describe('policy documents', () => {
  it('are encoded as IAM answers them (RFC 3986) and decode back exactly', () => {
    const doc = `{ "Statement": [ {"Effect":"Allow", "Action":"s3:*", "Resource":"arn:aws:s3:::a+b/(x)*'!~é"} ] }`;
    const encoded = encodePolicy(doc);
    expect(encoded).toMatch(/^[A-Za-z0-9\-._~%]+$/);
    expect(encoded).toContain('%2B');
    expect(encoded).toContain('%20');
    expect(decodeURIComponent(encoded)).toBe(doc);
  });

  it('are checked with IAM’s wording', () => {
    expect(policyProblem(TRUST, 'trust')).toBeUndefined();
    expect(policyProblem(POLICY, 'identity')).toBeUndefined();
    expect(policyProblem('nope', 'identity')).toBe('This policy contains invalid Json');
    expect(policyProblem('{"Version":"2012-10-17"}', 'identity')).toBe('Syntax errors in policy.');
    expect(policyProblem(POLICY.replace('2012-10-17', '2020-01-01'), 'identity')).toBe(
      'The policy failed legacy parsing',
    );
    expect(policyProblem(POLICY, 'trust')).toBe('Missing required field Principal');
    expect(policyProblem(TRUST, 'identity')).toBe('Policy document should not specify a principal.');
    expect(policyProblem(POLICY.replace(',"Resource":"*"', ''), 'identity')).toBe(
      'Policy statement must contain resources.',
    );
    expect(policyProblem(POLICY.replace('"Action":"s3:GetObject",', ''), 'identity')).toBe(
      'Policy statement must contain actions.',
    );
    expect(policyProblem(POLICY.replace('"Effect"', '"Sid":"read-code","Effect"'), 'identity')).toMatch(
      /^Statement IDs \(SID\) must be alpha-numeric/,
    );
    expect(policyProblem(TRUST.replace('"Service"', '"Servce"'), 'trust')).toMatch(/^Invalid principal in policy/);
  });
});

describe('roles', () => {
  it('get ids from the seeded random source: the same seed gives the same ids', () => {
    const ids = (e: Engine) => e.iam.createRole(ctx, { RoleName: 'r', AssumeRolePolicyDocument: TRUST }).Role.RoleId;
    expect(ids(newEngine())).toBe(ids(newEngine()));
    expect(ids(newEngine())).toMatch(/^AROA[A-Z2-7]{17}$/);
  });

  it('names are case-insensitive, stored documents are kept as sent, dates are whole seconds', () => {
    const e = newEngine({ startTime: Date.UTC(2026, 0, 1, 0, 0, 0, 750) });
    e.iam.createRole(ctx, { RoleName: 'Flink', AssumeRolePolicyDocument: TRUST, Path: '/svc/' });
    expect(thrown(() => e.iam.createRole(ctx, { RoleName: 'FLINK', AssumeRolePolicyDocument: TRUST }))).toEqual({
      type: 'EntityAlreadyExistsException',
      message: 'Role with name FLINK already exists.',
      status: 409,
    });
    const role = e.iam.getRole(ctx, { RoleName: 'flink' }).Role;
    expect(role.RoleName).toBe('Flink');
    expect(role.Arn).toBe('arn:aws:iam::123456789012:role/svc/Flink');
    expect(role.CreateDate.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(decodeURIComponent(role.AssumeRolePolicyDocument)).toBe(TRUST);
    // Another account has its own roles.
    expect(() => e.iam.getRole(adminContext({ account: '111111111111' }), { RoleName: 'Flink' })).toThrow(
      'The role with name Flink cannot be found.',
    );
  });

  it('inline policies count against the per-role size quota without white space', () => {
    const e = newEngine();
    e.iam.createRole(ctx, { RoleName: 'r', AssumeRolePolicyDocument: TRUST });
    const big = (n: number) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'x'.repeat(n) }],
      });
    e.iam.putRolePolicy(ctx, { RoleName: 'r', PolicyName: 'a', PolicyDocument: big(5000) });
    // Replacing a policy does not count its old document.
    e.iam.putRolePolicy(ctx, { RoleName: 'r', PolicyName: 'a', PolicyDocument: big(5000) });
    expect(
      thrown(() => e.iam.putRolePolicy(ctx, { RoleName: 'r', PolicyName: 'b', PolicyDocument: big(5300) })),
    ).toEqual({
      type: 'LimitExceededException',
      message: 'Maximum policy size of 10240 bytes exceeded for role r',
      status: 409,
    });
    expect(e.iam.listRolePolicies(ctx, { RoleName: 'r' }).PolicyNames).toEqual(['a']);
  });

  it('tags: keys case-insensitive, ListRoleTags sorted, duplicates and the quota refused', () => {
    const e = newEngine();
    e.iam.createRole(ctx, { RoleName: 'r', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'Team', Value: 'a' }] });
    e.iam.tagRole(ctx, {
      RoleName: 'r',
      Tags: [
        { Key: 'team', Value: 'b' },
        { Key: 'env', Value: 'dev' },
      ],
    });
    expect(e.iam.listRoleTags(ctx, { RoleName: 'r' }).Tags).toEqual([
      { Key: 'env', Value: 'dev' },
      { Key: 'team', Value: 'b' },
    ]);
    expect(
      thrown(() =>
        e.iam.tagRole(ctx, {
          RoleName: 'r',
          Tags: [
            { Key: 'x', Value: '1' },
            { Key: 'X', Value: '2' },
          ],
        }),
      ).type,
    ).toBe('InvalidInputException');
    const many = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: '' }));
    expect(thrown(() => e.iam.tagRole(ctx, { RoleName: 'r', Tags: many })).type).toBe('LimitExceededException');
  });
});

describe('managed policies', () => {
  it('versions: five at most, the default cannot be deleted, ids are never reused', () => {
    const e = newEngine();
    const arn = e.iam.createPolicy(ctx, { PolicyName: 'p', PolicyDocument: POLICY }).Policy.Arn;
    for (let i = 0; i < 4; i++) e.iam.createPolicyVersion(ctx, { PolicyArn: arn, PolicyDocument: POLICY });
    expect(thrown(() => e.iam.createPolicyVersion(ctx, { PolicyArn: arn, PolicyDocument: POLICY })).type).toBe(
      'LimitExceededException',
    );
    expect(thrown(() => e.iam.deletePolicyVersion(ctx, { PolicyArn: arn, VersionId: 'v1' })).message).toBe(
      'Cannot delete the default version of a policy.',
    );
    e.iam.deletePolicyVersion(ctx, { PolicyArn: arn, VersionId: 'v5' });
    const v = e.iam.createPolicyVersion(ctx, { PolicyArn: arn, PolicyDocument: POLICY, SetAsDefault: true });
    expect(v.PolicyVersion).toMatchObject({ VersionId: 'v6', IsDefaultVersion: true });
    expect(e.iam.getPolicy(ctx, { PolicyArn: arn }).Policy.DefaultVersionId).toBe('v6');
  });

  it('attachments: counted, block deletion, and AWS managed ARNs attach without existing', () => {
    const e = newEngine();
    e.iam.createRole(ctx, { RoleName: 'r', AssumeRolePolicyDocument: TRUST });
    const arn = e.iam.createPolicy(ctx, { PolicyName: 'p', PolicyDocument: POLICY }).Policy.Arn;
    e.iam.attachRolePolicy(ctx, { RoleName: 'r', PolicyArn: arn });
    e.iam.attachRolePolicy(ctx, { RoleName: 'r', PolicyArn: arn });
    e.iam.attachRolePolicy(ctx, { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaRole' });
    expect(
      e.iam.listAttachedRolePolicies(ctx, { RoleName: 'r', PathPrefix: '/service-role/' }).AttachedPolicies,
    ).toEqual([{ PolicyName: 'AWSLambdaRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaRole' }]);
    expect(e.iam.getPolicy(ctx, { PolicyArn: arn }).Policy.AttachmentCount).toBe(1);
    expect(thrown(() => e.iam.deletePolicy(ctx, { PolicyArn: arn })).type).toBe('DeleteConflictException');
    expect(e.iam.listEntitiesForPolicy(ctx, { PolicyArn: arn }).PolicyRoles).toEqual([
      { RoleName: 'r', RoleId: e.iam.getRole(ctx, { RoleName: 'r' }).Role.RoleId },
    ]);
    expect(thrown(() => e.iam.attachRolePolicy(ctx, { RoleName: 'r', PolicyArn: 'not-an-arn-at-all' })).type).toBe(
      'InvalidInputException',
    );
  });
});

describe('STS', () => {
  it('AssumeRole credentials expire on the virtual clock; the state round-trips through the stored rows', () => {
    const e = newEngine();
    e.iam.createRole(ctx, { RoleName: 'r', AssumeRolePolicyDocument: TRUST });
    const out = e.sts.assumeRole(ctx, {
      RoleArn: 'arn:aws:iam::123456789012:role/r',
      RoleSessionName: 's',
      DurationSeconds: 900,
    });
    const session = e.sts.session(out.Credentials.AccessKeyId)!;
    expect(session.principal).toBe('arn:aws:sts::123456789012:assumed-role/r/s');
    expect(e.sts.expired(session)).toBe(false);
    const restored = new Engine({ seed: 'test' }, e.dump());
    expect(restored.sts.session(out.Credentials.AccessKeyId)).toEqual(session);
    expect(restored.iam.getRole(ctx, { RoleName: 'r' })).toEqual(e.iam.getRole(ctx, { RoleName: 'r' }));
    e.advanceBy(900_000);
    expect(e.sts.expired(session)).toBe(true);
    expect(e.sts.getCallerIdentity({ ...ctx, principal: session.principal }).UserId).toBe(
      `${e.iam.getRole(ctx, { RoleName: 'r' }).Role.RoleId}:s`,
    );
  });

  it('a path in the role ARN must match the role’s', () => {
    const e = newEngine();
    e.iam.createRole(ctx, { RoleName: 'r', AssumeRolePolicyDocument: TRUST, Path: '/a/' });
    expect(
      thrown(() => e.sts.assumeRole(ctx, { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 's' })).type,
    ).toBe('AccessDenied');
    e.sts.assumeRole(ctx, { RoleArn: 'arn:aws:iam::123456789012:role/a/r', RoleSessionName: 's' });
  });
});
