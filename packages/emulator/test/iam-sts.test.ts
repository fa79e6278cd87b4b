/**
 * IAM and STS over the AWS Query protocol, through @aws-sdk/client-iam and client-sts, the `aws` CLI and
 * boto3: the calls the Terraform AWS provider (5.x) makes for aws_iam_role, aws_iam_role_policy,
 * aws_iam_role_policy_attachment and aws_iam_policy, read back without drift; the errors with their codes
 * and HTTP statuses; the wire format itself; temporary credentials; persistence across a restart.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as iam from '@aws-sdk/client-iam';
import * as sts from '@aws-sdk/client-sts';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, credentials, startTestEmulator, tempDir, type TestEmulator } from './harness.js';
import { cliConfig, missing, runTerraform, terraformEnv } from './terraform.js';

const run = promisify(execFile);

/** The trust policy as Terraform sends it: its JSON normalized (keys sorted, no white space). */
const TRUST = JSON.stringify({
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'kinesisanalytics.amazonaws.com' } }],
  Version: '2012-10-17',
});
/** An inline policy as a person writes it (white space, a '+' and non-ASCII text must survive the round trip). */
const INLINE = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "ReadCode", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
      "Resource": "arn:aws:s3:::mfc-demo-artifacts/*",
      "Condition": { "StringEquals": { "aws:PrincipalTag/team": "data+ops é" } } }
  ]
}`;
const MANAGED = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: '*' }],
});
const AWS_MANAGED = 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess';

let t: TestEmulator;
let client: iam.IAMClient;
let stsClient: sts.STSClient;
const lines: string[] = [];

const clientsFor = (url: string, creds: typeof credentials & { sessionToken?: string } = credentials) => {
  const config = { endpoint: url, region: 'us-east-1', credentials: creds, maxAttempts: 1 };
  return { iam: new iam.IAMClient(config), sts: new sts.STSClient(config) };
};

beforeAll(async () => {
  t = await startTestEmulator({ log: (l) => lines.push(l) });
  ({ iam: client, sts: stsClient } = clientsFor(t.emu.url));
});
afterAll(() => t.close());

/** POSTs a raw Query request (signed for `service` in its Authorization header). */
async function rawQuery(url: string, service: string, params: Record<string, string>) {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('STS GetCallerIdentity', () => {
  it('answers the principal the emulator resolves for the access key', async () => {
    const me = await stsClient.send(new sts.GetCallerIdentityCommand({}));
    expect(me).toMatchObject({
      Account: '123456789012',
      Arn: 'arn:aws:iam::123456789012:root',
      UserId: '123456789012',
    });
  });

  it('answers a configured IAM user with its own account and a stable AIDA user id', async () => {
    const e = await startTestEmulator({
      principals: {
        AKIDALICE: { account: '210987654321', principal: 'arn:aws:iam::210987654321:user/ops/alice' },
      },
    });
    try {
      const { sts: s } = clientsFor(e.emu.url, { accessKeyId: 'AKIDALICE', secretAccessKey: 'x' });
      const me = await s.send(new sts.GetCallerIdentityCommand({}));
      expect(me.Account).toBe('210987654321');
      expect(me.Arn).toBe('arn:aws:iam::210987654321:user/ops/alice');
      expect(me.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
      expect((await s.send(new sts.GetCallerIdentityCommand({}))).UserId).toBe(me.UserId);
    } finally {
      await e.close();
    }
  });
});

describe('aws_iam_role + aws_iam_role_policy + attachments: the provider’s calls', () => {
  it('create → read (no drift) → update → read → destroy', async () => {
    // ---- create (resourceRoleCreate): CreateRole with tags, then the inline and managed policies ----
    const created = await client.send(
      new iam.CreateRoleCommand({
        RoleName: 'flink-app-role',
        Path: '/service-role/',
        AssumeRolePolicyDocument: TRUST,
        Description: 'Managed Flink execution role',
        MaxSessionDuration: 7200,
        Tags: [
          { Key: 'team', Value: 'data' },
          { Key: 'env', Value: 'dev' },
        ],
      }),
    );
    const role = created.Role!;
    expect(role.Arn).toBe('arn:aws:iam::123456789012:role/service-role/flink-app-role');
    expect(role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(role.CreateDate).toBeInstanceOf(Date);
    // AWS answers policy documents URL-encoded (RFC 3986); decoded, it is exactly what was sent.
    expect(role.AssumeRolePolicyDocument).toMatch(/^%7B%22Statement%22/);
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(TRUST);

    const { Policy: managed } = await client.send(
      new iam.CreatePolicyCommand({
        PolicyName: 'flink-logs',
        Path: '/mfc/',
        PolicyDocument: MANAGED,
        Description: 'log delivery',
        Tags: [{ Key: 'team', Value: 'data' }],
      }),
    );
    expect(managed).toMatchObject({
      PolicyName: 'flink-logs',
      Arn: 'arn:aws:iam::123456789012:policy/mfc/flink-logs',
      Path: '/mfc/',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      IsAttachable: true,
    });
    expect(managed!.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);

    await client.send(
      new iam.PutRolePolicyCommand({ RoleName: 'flink-app-role', PolicyName: 'read-code', PolicyDocument: INLINE }),
    );
    await client.send(new iam.AttachRolePolicyCommand({ RoleName: 'flink-app-role', PolicyArn: managed!.Arn }));
    // AWS managed policies attach by ARN without the emulator holding them.
    await client.send(new iam.AttachRolePolicyCommand({ RoleName: 'flink-app-role', PolicyArn: AWS_MANAGED }));
    // aws_iam_role_policy waits for the policy to be readable, then reads it.
    await client.send(new iam.GetRolePolicyCommand({ RoleName: 'flink-app-role', PolicyName: 'read-code' }));

    // ---- read (resourceRoleRead): GetRole, ListRolePolicies + GetRolePolicy, ListAttachedRolePolicies ----
    const read = async () => {
      const { Role } = await client.send(new iam.GetRoleCommand({ RoleName: 'flink-app-role' }));
      const { PolicyNames } = await client.send(new iam.ListRolePoliciesCommand({ RoleName: 'flink-app-role' }));
      const inline = await Promise.all(
        PolicyNames!.map((name) =>
          client.send(new iam.GetRolePolicyCommand({ RoleName: 'flink-app-role', PolicyName: name })),
        ),
      );
      const { AttachedPolicies } = await client.send(
        new iam.ListAttachedRolePoliciesCommand({ RoleName: 'flink-app-role' }),
      );
      return {
        arn: Role!.Arn,
        createDate: Role!.CreateDate!.toISOString(),
        description: Role!.Description,
        maxSessionDuration: Role!.MaxSessionDuration,
        name: Role!.RoleName,
        path: Role!.Path,
        permissionsBoundary: Role!.PermissionsBoundary?.PermissionsBoundaryArn,
        uniqueId: Role!.RoleId,
        // The provider QueryUnescapes the documents (url.QueryUnescape turns '+' into ' ': AWS encodes '+').
        assumeRolePolicy: queryUnescape(Role!.AssumeRolePolicyDocument!),
        inline: inline.map((p) => ({ name: p.PolicyName, policy: queryUnescape(p.PolicyDocument!) })),
        managed: AttachedPolicies!.map((p) => p.PolicyArn),
        tags: Object.fromEntries(Role!.Tags!.map((tag) => [tag.Key, tag.Value])),
      };
    };
    const first = await read();
    expect(first).toEqual({
      arn: role.Arn,
      createDate: role.CreateDate!.toISOString(),
      description: 'Managed Flink execution role',
      maxSessionDuration: 7200,
      name: 'flink-app-role',
      path: '/service-role/',
      permissionsBoundary: undefined,
      uniqueId: role.RoleId,
      assumeRolePolicy: TRUST,
      inline: [{ name: 'read-code', policy: INLINE }],
      managed: [managed!.Arn, AWS_MANAGED],
      tags: { team: 'data', env: 'dev' },
    });
    // A plan reads again: nothing moved.
    expect(await read()).toEqual(first);
    const policyRead = await client.send(new iam.GetPolicyCommand({ PolicyArn: managed!.Arn }));
    expect(policyRead.Policy).toMatchObject({ AttachmentCount: 1, Description: 'log delivery' });
    expect(policyRead.Policy!.Tags).toEqual([{ Key: 'team', Value: 'data' }]);
    const version = await client.send(new iam.GetPolicyVersionCommand({ PolicyArn: managed!.Arn, VersionId: 'v1' }));
    expect(decodeURIComponent(version.PolicyVersion!.Document!)).toBe(MANAGED);

    // ---- update (resourceRoleUpdate) ----
    const trust2 = JSON.stringify({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: ['kinesisanalytics.amazonaws.com', 'flink.amazonaws.com'] },
        },
      ],
      Version: '2012-10-17',
    });
    await client.send(new iam.UpdateAssumeRolePolicyCommand({ RoleName: 'flink-app-role', PolicyDocument: trust2 }));
    await client.send(new iam.UpdateRoleDescriptionCommand({ RoleName: 'flink-app-role', Description: 'v2' }));
    await client.send(new iam.UpdateRoleCommand({ RoleName: 'flink-app-role', MaxSessionDuration: 3600 }));
    await client.send(
      new iam.PutRolePermissionsBoundaryCommand({ RoleName: 'flink-app-role', PermissionsBoundary: AWS_MANAGED }),
    );
    await client.send(new iam.UntagRoleCommand({ RoleName: 'flink-app-role', TagKeys: ['env'] }));
    await client.send(
      new iam.TagRoleCommand({
        RoleName: 'flink-app-role',
        Tags: [
          { Key: 'owner', Value: 'platform' },
          { Key: 'team', Value: 'streaming' },
        ],
      }),
    );
    const tags = await client.send(new iam.ListRoleTagsCommand({ RoleName: 'flink-app-role' }));
    expect(tags.Tags).toEqual([
      { Key: 'owner', Value: 'platform' },
      { Key: 'team', Value: 'streaming' },
    ]);
    // The policy update of aws_iam_policy: a new default version.
    await client.send(
      new iam.CreatePolicyVersionCommand({
        PolicyArn: managed!.Arn,
        PolicyDocument: MANAGED.replace('"*"', '"arn:aws:logs:*:*:*"'),
        SetAsDefault: true,
      }),
    );
    const after = await read();
    expect(after).toMatchObject({
      assumeRolePolicy: trust2,
      description: 'v2',
      maxSessionDuration: 3600,
      permissionsBoundary: AWS_MANAGED,
      tags: { team: 'streaming', owner: 'platform' },
      createDate: first.createDate,
      uniqueId: first.uniqueId,
    });
    expect(await read()).toEqual(after);
    await client.send(new iam.DeleteRolePermissionsBoundaryCommand({ RoleName: 'flink-app-role' }));
    expect((await read()).permissionsBoundary).toBeUndefined();

    // ---- destroy (deleteRole): instance profiles, attachments, inline policies, then the role ----
    expect(
      (await client.send(new iam.ListInstanceProfilesForRoleCommand({ RoleName: 'flink-app-role' }))).InstanceProfiles,
    ).toEqual([]);
    const conflict = await awsError(client.send(new iam.DeleteRoleCommand({ RoleName: 'flink-app-role' })));
    expect(conflict).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    expect(conflict.message).toBe('Cannot delete entity, must delete policies first.');
    for (const arn of after.managed)
      await client.send(new iam.DetachRolePolicyCommand({ RoleName: 'flink-app-role', PolicyArn: arn }));
    await client.send(new iam.DeleteRolePolicyCommand({ RoleName: 'flink-app-role', PolicyName: 'read-code' }));
    await client.send(new iam.DeleteRoleCommand({ RoleName: 'flink-app-role' }));
    const gone = await awsError(client.send(new iam.GetRoleCommand({ RoleName: 'flink-app-role' })));
    expect(gone).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect(gone.message).toBe('The role with name flink-app-role cannot be found.');

    // aws_iam_policy destroy: non-default versions first, then the policy.
    const versions = await client.send(new iam.ListPolicyVersionsCommand({ PolicyArn: managed!.Arn }));
    expect(versions.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ['v2', true],
      ['v1', false],
    ]);
    const withVersions = await awsError(client.send(new iam.DeletePolicyCommand({ PolicyArn: managed!.Arn })));
    expect(withVersions).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    await client.send(new iam.DeletePolicyVersionCommand({ PolicyArn: managed!.Arn, VersionId: 'v1' }));
    await client.send(new iam.DeletePolicyCommand({ PolicyArn: managed!.Arn }));
    expect(await awsError(client.send(new iam.GetPolicyCommand({ PolicyArn: managed!.Arn })))).toMatchObject({
      name: 'NoSuchEntityException',
      status: 404,
    });
  });

  it('lists roles by path prefix, page by page, without tags or last use', async () => {
    for (const name of ['list-c', 'list-a', 'list-b'])
      await client.send(
        new iam.CreateRoleCommand({
          RoleName: name,
          Path: '/listing/',
          AssumeRolePolicyDocument: TRUST,
          Tags: [{ Key: 'k', Value: 'v' }],
        }),
      );
    const first = await client.send(new iam.ListRolesCommand({ PathPrefix: '/listing/', MaxItems: 2 }));
    expect(first.Roles!.map((r) => r.RoleName)).toEqual(['list-a', 'list-b']);
    expect(first.IsTruncated).toBe(true);
    expect(first.Roles![0]!.Tags).toBeUndefined();
    const second = await client.send(
      new iam.ListRolesCommand({ PathPrefix: '/listing/', MaxItems: 2, Marker: first.Marker }),
    );
    expect(second.Roles!.map((r) => r.RoleName)).toEqual(['list-c']);
    expect(second.IsTruncated).toBe(false);
    // Role names are case-insensitive: the same name in another case is the same role.
    expect((await client.send(new iam.GetRoleCommand({ RoleName: 'LIST-A' }))).Role!.RoleName).toBe('list-a');
    for (const name of ['list-a', 'list-b', 'list-c']) await client.send(new iam.DeleteRoleCommand({ RoleName: name }));
  });
});

describe('IAM errors', () => {
  beforeAll(async () => {
    await client.send(new iam.CreateRoleCommand({ RoleName: 'err-role', AssumeRolePolicyDocument: TRUST }));
  });

  it('EntityAlreadyExists (409), NoSuchEntity (404) with AWS’s messages', async () => {
    const dup = await awsError(
      client.send(new iam.CreateRoleCommand({ RoleName: 'err-role', AssumeRolePolicyDocument: TRUST })),
    );
    expect(dup).toMatchObject({
      name: 'EntityAlreadyExistsException',
      status: 409,
      message: 'Role with name err-role already exists.',
    });
    expect(
      await awsError(client.send(new iam.GetRolePolicyCommand({ RoleName: 'err-role', PolicyName: 'nope' }))),
    ).toMatchObject({
      name: 'NoSuchEntityException',
      status: 404,
      message: 'The role policy with name nope cannot be found.',
    });
    expect(
      await awsError(
        client.send(
          new iam.AttachRolePolicyCommand({
            RoleName: 'err-role',
            PolicyArn: 'arn:aws:iam::123456789012:policy/missing',
          }),
        ),
      ),
    ).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect(
      await awsError(client.send(new iam.DetachRolePolicyCommand({ RoleName: 'err-role', PolicyArn: AWS_MANAGED }))),
    ).toMatchObject({ name: 'NoSuchEntityException', message: `Policy ${AWS_MANAGED} was not found.` });
  });

  it('MalformedPolicyDocument (400) for documents IAM refuses', async () => {
    const cases: [string, string, string][] = [
      ['{"Version":', 'trust', 'This policy contains invalid Json'],
      [
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}',
        'trust',
        'Missing required field Principal',
      ],
      [
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}',
        'inline',
        'Policy document should not specify a principal.',
      ],
      [
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]}',
        'inline',
        'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
      ],
    ];
    for (const [doc, kind, message] of cases) {
      const call =
        kind === 'trust'
          ? client.send(new iam.CreateRoleCommand({ RoleName: 'malformed', AssumeRolePolicyDocument: doc }))
          : client.send(new iam.PutRolePolicyCommand({ RoleName: 'err-role', PolicyName: 'p', PolicyDocument: doc }));
      expect(await awsError(call)).toEqual({ name: 'MalformedPolicyDocumentException', status: 400, message });
    }
  });

  it('ValidationError for constraint violations, as IAM words them', async () => {
    const bad = await awsError(
      client.send(new iam.CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: TRUST })),
    );
    expect(bad.status).toBe(400);
    expect(bad.name).toBe('ValidationError');
    expect(bad.message).toBe(
      "1 validation error detected: Value 'has space' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
    const long = await awsError(
      client.send(
        new iam.UpdateRoleCommand({ RoleName: 'err-role', MaxSessionDuration: 60, Description: 'x'.repeat(1001) }),
      ),
    );
    expect(long.message).toMatch(/^2 validation errors detected: /);
    expect(long.message).toContain("at 'maxSessionDuration' failed to satisfy constraint");
    // A tag key outside IAM's pattern (Unicode property classes are honoured).
    const tag = await awsError(
      client.send(new iam.TagRoleCommand({ RoleName: 'err-role', Tags: [{ Key: 'bad#key', Value: 'v' }] })),
    );
    expect(tag).toMatchObject({ name: 'ValidationError', status: 400 });
    await client.send(new iam.TagRoleCommand({ RoleName: 'err-role', Tags: [{ Key: 'équipe', Value: 'données' }] }));
  });

  it('DeleteConflict and LimitExceeded (409)', async () => {
    await client.send(new iam.AttachRolePolicyCommand({ RoleName: 'err-role', PolicyArn: AWS_MANAGED }));
    expect(await awsError(client.send(new iam.DeleteRoleCommand({ RoleName: 'err-role' })))).toMatchObject({
      name: 'DeleteConflictException',
      status: 409,
      message: 'Cannot delete entity, must detach all policies first.',
    });
    for (let i = 1; i < 10; i++)
      await client.send(
        new iam.AttachRolePolicyCommand({ RoleName: 'err-role', PolicyArn: `arn:aws:iam::aws:policy/Extra${i}` }),
      );
    expect(
      await awsError(
        client.send(new iam.AttachRolePolicyCommand({ RoleName: 'err-role', PolicyArn: 'arn:aws:iam::aws:policy/X' })),
      ),
    ).toMatchObject({
      name: 'LimitExceededException',
      status: 409,
      message: 'Cannot exceed quota for PoliciesPerRole: 10',
    });
    const { AttachedPolicies } = await client.send(new iam.ListAttachedRolePoliciesCommand({ RoleName: 'err-role' }));
    expect(AttachedPolicies).toHaveLength(10);
    expect(AttachedPolicies![1]).toEqual({ PolicyName: 'Extra1', PolicyArn: 'arn:aws:iam::aws:policy/Extra1' });
  });

  it('an operation the emulator does not implement: InvalidAction naming it, and a log line', async () => {
    lines.length = 0;
    const e = await awsError(client.send(new iam.CreateUserCommand({ UserName: 'alice' })));
    expect(e).toMatchObject({ name: 'InvalidAction', status: 400 });
    expect(e.message).toBe(
      'Could not find operation CreateUser for version 2010-05-08 (IAM CreateUser is not implemented by the emulator)',
    );
    expect(lines).toContain('unknown operation: iam CreateUser (Query, Version=2010-05-08; answered InvalidAction)');
    const raw = await rawQuery(t.emu.url, 'sts', { Action: 'MakeCoffee', Version: '2011-06-15' });
    expect(raw.status).toBe(400);
    expect(raw.text).toContain('<Code>InvalidAction</Code>');
    expect(raw.text).toContain(
      '<Message>Could not find operation MakeCoffee for version 2011-06-15 (not an STS operation)</Message>',
    );
    expect(lines).toContain('unknown operation: sts MakeCoffee (Query, Version=2011-06-15; answered InvalidAction)');
    // An unknown JSON operation is logged the same way.
    await fetch(`${t.emu.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.MakeCoffee',
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
      body: '{}',
    });
    expect(lines).toContain('unknown operation: kms MakeCoffee (answered UnknownOperationException)');
  });
});

describe('the Query wire format', () => {
  it('reads form lists and writes the Result wrapper, <member> lists, ISO 8601 dates and the RequestId', async () => {
    const created = await rawQuery(t.emu.url, 'iam', {
      Action: 'CreateRole',
      Version: '2010-05-08',
      RoleName: 'wire-role',
      AssumeRolePolicyDocument: TRUST,
      Description: "Tom's role: 1 & <2>",
      'Tags.member.1.Key': 'a',
      'Tags.member.1.Value': 'b c',
    });
    expect(created.status).toBe(200);
    expect(created.type).toBe('text/xml');
    expect(created.text).toMatch(
      /^<CreateRoleResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><CreateRoleResult><Role><Path>\/<\/Path><RoleName>wire-role<\/RoleName><RoleId>AROA[A-Z2-7]{17}<\/RoleId><Arn>arn:aws:iam::123456789012:role\/wire-role<\/Arn><CreateDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/CreateDate><AssumeRolePolicyDocument>%7B%22Statement%22%3A%5B%7B%22Action%22%3A%22sts%3AAssumeRole%22/,
    );
    expect(created.text).toContain("<Description>Tom's role: 1 &amp; &lt;2&gt;</Description>");
    expect(created.text).toContain('<Tags><member><Key>a</Key><Value>b c</Value></member></Tags>');
    expect(created.text).toMatch(
      /<\/CreateRoleResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/CreateRoleResponse>\n$/,
    );
    // An empty list is sent as `Name=`; a required empty list is answered as an empty element.
    const untag = await rawQuery(t.emu.url, 'iam', {
      Action: 'UntagRole',
      Version: '2010-05-08',
      RoleName: 'wire-role',
      TagKeys: '',
    });
    expect(untag.text).toMatch(/^<UntagRoleResponse xmlns="[^"]+"><ResponseMetadata><RequestId>/);
    const names = await rawQuery(t.emu.url, 'iam', {
      Action: 'ListRolePolicies',
      Version: '2010-05-08',
      RoleName: 'wire-role',
    });
    expect(names.text).toContain('<ListRolePoliciesResult><PolicyNames></PolicyNames><IsTruncated>false</IsTruncated>');
    await client.send(new iam.DeleteRoleCommand({ RoleName: 'wire-role' }));
  });

  it('answers errors as <ErrorResponse> with Type, Code, Message, RequestId and the model’s HTTP status', async () => {
    const missing = await rawQuery(t.emu.url, 'iam', { Action: 'GetRole', Version: '2010-05-08', RoleName: 'nope' });
    expect(missing.status).toBe(404);
    expect(missing.text).toMatch(
      /^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>NoSuchEntity<\/Code><Message>The role with name nope cannot be found\.<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/,
    );
    const noName = await rawQuery(t.emu.url, 'iam', { Action: 'GetRole', Version: '2010-05-08' });
    expect(noName.status).toBe(400);
    expect(noName.text).toContain(
      "<Code>ValidationError</Code><Message>1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null</Message>",
    );
    const notNumber = await rawQuery(t.emu.url, 'iam', { Action: 'ListRoles', Version: '2010-05-08', MaxItems: 'x' });
    expect(notNumber.status).toBe(400);
    expect(notNumber.text).toContain('<Code>ValidationError</Code>');
    const noAction = await rawQuery(t.emu.url, 'iam', { Version: '2010-05-08' });
    expect(noAction.text).toContain('<Code>MissingAction</Code>');
    const wrongVersion = await rawQuery(t.emu.url, 'iam', { Action: 'GetRole', Version: '2011-06-15', RoleName: 'x' });
    expect(wrongVersion.text).toContain('<Code>InvalidAction</Code>');
    // Unsigned: the protocol's authentication error.
    const unsigned = await fetch(`${t.emu.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(unsigned.status).toBe(403);
    const text = await unsigned.text();
    expect(text).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(text).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('routes by Action when the signature names no Query service, and leaves other form posts to S3', async () => {
    const res = await rawQuery(t.emu.url, 'execute-api', { Action: 'GetCallerIdentity', Version: '2011-06-15' });
    expect(res.text).toContain('<GetCallerIdentityResult><UserId>123456789012</UserId>');
    const other = await rawQuery(t.emu.url, 's3', { Action: 'NotAnIamAction' });
    expect(other.text).not.toContain('InvalidAction');
  });
});

describe('STS temporary credentials', () => {
  beforeAll(async () => {
    await client.send(
      new iam.CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 7200 }),
    );
  });

  it('AssumeRole issues credentials the emulator accepts as the role session', async () => {
    const out = await stsClient.send(
      new sts.AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/deployer', RoleSessionName: 'ci' }),
    );
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretAccessKey).toHaveLength(40);
    expect(c.Expiration!.getTime() - Date.now()).toBeGreaterThan(3500_000);
    const { Role } = await client.send(new iam.GetRoleCommand({ RoleName: 'deployer' }));
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: `${Role!.RoleId}:ci`,
      Arn: 'arn:aws:sts::123456789012:assumed-role/deployer/ci',
    });
    expect(Role!.RoleLastUsed).toMatchObject({ Region: 'us-east-1' });
    const session = clientsFor(t.emu.url, {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    });
    expect(await session.sts.send(new sts.GetCallerIdentityCommand({}))).toMatchObject({
      Account: '123456789012',
      Arn: 'arn:aws:sts::123456789012:assumed-role/deployer/ci',
      UserId: `${Role!.RoleId}:ci`,
    });
    // Role chaining caps the session at an hour.
    expect(
      await awsError(
        session.sts.send(
          new sts.AssumeRoleCommand({
            RoleArn: 'arn:aws:iam::123456789012:role/deployer',
            RoleSessionName: 'chained',
            DurationSeconds: 7200,
          }),
        ),
      ),
    ).toMatchObject({ name: 'ValidationError', status: 400 });
  });

  it('refuses roles that do not exist (AccessDenied) and durations past MaxSessionDuration', async () => {
    const denied = await awsError(
      stsClient.send(
        new sts.AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/nope', RoleSessionName: 'sess' }),
      ),
    );
    expect(denied).toEqual({
      name: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:iam::123456789012:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/nope',
    });
    const tooLong = await awsError(
      stsClient.send(
        new sts.AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::123456789012:role/deployer',
          RoleSessionName: 'sess',
          DurationSeconds: 10_800,
        }),
      ),
    );
    expect(tooLong).toEqual({
      name: 'ValidationError',
      status: 400,
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
  });

  it('expired credentials are refused with ExpiredToken', async () => {
    const out = await stsClient.send(
      new sts.AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::123456789012:role/deployer',
        RoleSessionName: 'short',
        DurationSeconds: 900,
      }),
    );
    const c = out.Credentials!;
    const session = clientsFor(t.emu.url, {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    });
    await session.sts.send(new sts.GetCallerIdentityCommand({}));
    await t.admin('/_emulator/clock', { advanceMs: 901_000 });
    expect(await awsError(session.sts.send(new sts.GetCallerIdentityCommand({})))).toMatchObject({
      name: 'ExpiredToken',
      status: 403,
      message: 'The security token included in the request is expired',
    });
  });

  it('with --strict-auth, verifies the signature with the issued secret and requires the session token', async () => {
    const strict = await startTestEmulator({
      strictAuth: true,
      principals: {
        AKIDEXAMPLE: {
          account: '123456789012',
          principal: 'arn:aws:iam::123456789012:user/ci',
          secretAccessKey: 'secret',
        },
      },
    });
    try {
      const admin = clientsFor(strict.emu.url);
      await admin.iam.send(new iam.CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST }));
      const c = (
        await admin.sts.send(
          new sts.AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/deployer', RoleSessionName: 'ci' }),
        )
      ).Credentials!;
      const good = clientsFor(strict.emu.url, {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      });
      expect((await good.sts.send(new sts.GetCallerIdentityCommand({}))).Arn).toBe(
        'arn:aws:sts::123456789012:assumed-role/deployer/ci',
      );
      const wrongSecret = clientsFor(strict.emu.url, {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: 'not-the-secret',
        sessionToken: c.SessionToken!,
      });
      expect(await awsError(wrongSecret.sts.send(new sts.GetCallerIdentityCommand({})))).toMatchObject({
        name: 'SignatureDoesNotMatch',
        status: 403,
      });
      const noToken = clientsFor(strict.emu.url, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey! });
      expect(await awsError(noToken.iam.send(new iam.ListRolesCommand({})))).toMatchObject({
        name: 'InvalidClientTokenId',
        status: 403,
      });
    } finally {
      await strict.close();
    }
  });
});

describe('the service execution role of CreateApplication', () => {
  it('is still not checked against IAM (a role that does not exist is accepted, as before)', async () => {
    const out = await t.ka.send(
      new ka.CreateApplicationCommand({
        ApplicationName: 'role-not-in-iam',
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: 'arn:aws:iam::123456789012:role/does-not-exist',
      }),
    );
    expect(out.ApplicationDetail?.ServiceExecutionRole).toBe('arn:aws:iam::123456789012:role/does-not-exist');
  });
});

describe('through the aws CLI and boto3', { timeout: 120_000 }, () => {
  it('aws iam … and aws sts get-caller-identity', async () => {
    const cli = (...args: string[]) => t.cli(args);
    expect(await cli('sts', 'get-caller-identity')).toEqual({
      UserId: '123456789012',
      Account: '123456789012',
      Arn: 'arn:aws:iam::123456789012:root',
    });
    const created = (await cli(
      'iam',
      'create-role',
      '--role-name',
      'cli-role',
      '--assume-role-policy-document',
      TRUST,
      '--tags',
      'Key=team,Value=data',
    )) as { Role: { Arn: string; AssumeRolePolicyDocument: unknown } };
    expect(created.Role.Arn).toBe('arn:aws:iam::123456789012:role/cli-role');
    // botocore decodes the URL-encoded document into JSON, as it does against AWS.
    expect(created.Role.AssumeRolePolicyDocument).toEqual(JSON.parse(TRUST));
    await cli(
      'iam',
      'put-role-policy',
      '--role-name',
      'cli-role',
      '--policy-name',
      'inline',
      '--policy-document',
      INLINE,
    );
    const got = (await cli('iam', 'get-role-policy', '--role-name', 'cli-role', '--policy-name', 'inline')) as {
      PolicyDocument: unknown;
    };
    expect(got.PolicyDocument).toEqual(JSON.parse(INLINE));
    await cli('iam', 'attach-role-policy', '--role-name', 'cli-role', '--policy-arn', AWS_MANAGED);
    expect(await cli('iam', 'list-attached-role-policies', '--role-name', 'cli-role')).toEqual({
      AttachedPolicies: [{ PolicyName: 'CloudWatchLogsFullAccess', PolicyArn: AWS_MANAGED }],
    });
    expect(await t.cliError(['iam', 'delete-role', '--role-name', 'cli-role'])).toMatch(
      /An error occurred \(DeleteConflict\) when calling the DeleteRole operation: Cannot delete entity, must delete policies first\./,
    );
    await cli('iam', 'detach-role-policy', '--role-name', 'cli-role', '--policy-arn', AWS_MANAGED);
    await cli('iam', 'delete-role-policy', '--role-name', 'cli-role', '--policy-name', 'inline');
    await cli('iam', 'delete-role', '--role-name', 'cli-role');
    expect(await t.cliError(['iam', 'get-role', '--role-name', 'cli-role'])).toMatch(
      /An error occurred \(NoSuchEntity\) when calling the GetRole operation: The role with name cli-role cannot be found\./,
    );
    expect(await t.cliError(['iam', 'list-users'])).toMatch(
      /An error occurred \(InvalidAction\) when calling the ListUsers operation: Could not find operation ListUsers for version 2010-05-08/,
    );
  });

  it('boto3: a role, its trust policy as a dict, AssumeRole and the session’s identity', async () => {
    const script = `
import boto3, json, sys
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret')
iam = boto3.client('iam', **kw)
role = iam.create_role(RoleName='boto-role', AssumeRolePolicyDocument=sys.argv[2])['Role']
got = iam.get_role(RoleName='boto-role')['Role']
creds = boto3.client('sts', **kw).assume_role(RoleArn=role['Arn'], RoleSessionName='py')['Credentials']
me = boto3.client('sts', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id=creds['AccessKeyId'],
                  aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken']).get_caller_identity()
try:
    iam.get_role(RoleName='missing')
    code = None
except iam.exceptions.NoSuchEntityException as e:
    code = e.response['Error']['Code']
iam.delete_role(RoleName='boto-role')
print(json.dumps({'doc': got['AssumeRolePolicyDocument'], 'created': got['CreateDate'].isoformat(), 'arn': me['Arn'], 'code': code}))
`;
    const { stdout } = await run('python3', ['-c', script, t.emu.url, TRUST], { timeout: 60_000 });
    const out = JSON.parse(stdout) as { doc: unknown; created: string; arn: string; code: string };
    expect(out.doc).toEqual(JSON.parse(TRUST));
    expect(out.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(out.arn).toBe('arn:aws:sts::123456789012:assumed-role/boto-role/py');
    expect(out.code).toBe('NoSuchEntity');
  });
});

/** A configuration with the IAM resources of a Managed Flink stack; `v` varies what an update changes. */
function terraformConfig(v: { description: string; env: string; extraAction: string; trustService: string[] }) {
  return `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0, < 6.0" }
  }
}
variable "endpoint" { type = string }
provider "aws" {
  region                  = "us-east-1"
  access_key              = "AKIDEXAMPLE"
  secret_key              = "secret"
  skip_metadata_api_check = true
  skip_region_validation  = true
  endpoints {
    iam = var.endpoint
    sts = var.endpoint
  }
}
data "aws_caller_identity" "me" {}
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ${JSON.stringify(v.trustService)}
    }
  }
}
resource "aws_iam_role" "flink" {
  name                 = "tf-flink"
  path                 = "/service-role/"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  description          = "${v.description}"
  max_session_duration = 7200
  tags                 = { team = "data", env = "${v.env}" }
}
resource "aws_iam_role_policy" "read_code" {
  name = "read-code"
  role = aws_iam_role.flink.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "${v.extraAction}"], Resource = "arn:aws:s3:::code/*" }]
  })
}
resource "aws_iam_policy" "logs" {
  name        = "tf-flink-logs"
  path        = "/mfc/"
  description = "log delivery"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:PutLogEvents", "${v.extraAction}"], Resource = "*" }]
  })
  tags = { team = "data" }
}
resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.flink.name
  policy_arn = aws_iam_policy.logs.arn
}
resource "aws_iam_role_policy_attachment" "aws_managed" {
  role       = aws_iam_role.flink.name
  policy_arn = "${AWS_MANAGED}"
}
output "account" { value = data.aws_caller_identity.me.account_id }
output "role_arn" { value = aws_iam_role.flink.arn }
`;
}

if (missing) console.warn(`iam-sts.test.ts: the Terraform suite is skipped: ${missing}`);
describe.skipIf(missing)(
  `through Terraform (hashicorp/aws 5.x)${missing ? ` (skipped: ${missing})` : ''}`,
  { timeout: 300_000 },
  () => {
    it('apply → plan shows no changes → update in place → plan shows no changes → destroy', async () => {
      const dir = tempDir();
      const env = {
        ...terraformEnv(join(dir.dir, 'cli.tfrc')),
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      };
      writeFileSync(join(dir.dir, 'cli.tfrc'), cliConfig);
      /** Runs terraform; resolves with its exit code (plan -detailed-exitcode: 0 no changes, 2 changes). */
      const tf = (...args: string[]) => runTerraform(dir.dir, args, env, 240_000);
      const write = (v: Parameters<typeof terraformConfig>[0]) =>
        writeFileSync(join(dir.dir, 'main.tf'), terraformConfig(v));
      const endpoint = `-var=endpoint=${t.emu.url}`;
      try {
        const v1 = {
          description: 'Managed Flink execution role',
          env: 'dev',
          extraAction: 's3:GetObjectVersion',
          trustService: ['kinesisanalytics.amazonaws.com'],
        };
        write(v1);
        expect((await tf('init', '-input=false')).code).toBe(0);
        const applied = await tf('apply', '-auto-approve', '-input=false', endpoint);
        expect(applied.out).toContain('Apply complete! Resources: 5 added, 0 changed, 0 destroyed.');
        expect(applied.out).toContain('account = "123456789012"');
        expect(applied.out).toContain('role_arn = "arn:aws:iam::123456789012:role/service-role/tf-flink"');
        const plan = await tf('plan', '-detailed-exitcode', '-input=false', endpoint);
        expect(plan.out).toContain('No changes.');
        expect(plan.code).toBe(0);

        const role = (await client.send(new iam.GetRoleCommand({ RoleName: 'tf-flink' }))).Role!;
        // tags is a map: the provider sends its keys in Go's random map order, and GetRole answers them as stored.
        expect([...role.Tags!].sort((a, b) => a.Key!.localeCompare(b.Key!))).toEqual([
          { Key: 'env', Value: 'dev' },
          { Key: 'team', Value: 'data' },
        ]);
        expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({
          Service: 'kinesisanalytics.amazonaws.com',
        });

        // Every kind of in-place change: description and tags, both policy documents, the trust policy.
        write({
          description: 'v2',
          env: 'prod',
          extraAction: 's3:ListBucket',
          trustService: ['kinesisanalytics.amazonaws.com', 'flink.amazonaws.com'],
        });
        const updated = await tf('apply', '-auto-approve', '-input=false', endpoint);
        expect(updated.out).toContain('Apply complete! Resources: 0 added, 3 changed, 0 destroyed.');
        const replan = await tf('plan', '-detailed-exitcode', '-input=false', endpoint);
        expect(replan.out).toContain('No changes.');
        expect(replan.code).toBe(0);
        const policies = await client.send(new iam.ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/mfc/' }));
        expect(policies.Policies!.map((p) => [p.PolicyName, p.DefaultVersionId])).toEqual([['tf-flink-logs', 'v2']]);

        const destroyed = await tf('destroy', '-auto-approve', '-input=false', endpoint);
        expect(destroyed.out).toContain('Destroy complete! Resources: 5 destroyed.');
        expect(await awsError(client.send(new iam.GetRoleCommand({ RoleName: 'tf-flink' })))).toMatchObject({
          name: 'NoSuchEntityException',
        });
        expect(
          (await client.send(new iam.ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/mfc/' }))).Policies,
        ).toEqual([]);
      } finally {
        dir.remove();
      }
    });
  },
);

describe('persistence', () => {
  it('keeps roles, inline and managed policies, attachments and issued credentials across a restart', async () => {
    const tmp = tempDir();
    try {
      const a = await startTestEmulator({ inMemory: false, dataDir: tmp.dir });
      const ca = clientsFor(a.emu.url);
      await ca.iam.send(
        new iam.CreateRoleCommand({
          RoleName: 'kept',
          AssumeRolePolicyDocument: TRUST,
          Tags: [{ Key: 'team', Value: 'data' }],
        }),
      );
      await ca.iam.send(
        new iam.PutRolePolicyCommand({ RoleName: 'kept', PolicyName: 'inline', PolicyDocument: INLINE }),
      );
      const { Policy } = await ca.iam.send(
        new iam.CreatePolicyCommand({ PolicyName: 'kept-p', PolicyDocument: MANAGED }),
      );
      await ca.iam.send(new iam.AttachRolePolicyCommand({ RoleName: 'kept', PolicyArn: Policy!.Arn }));
      const c = (
        await ca.sts.send(
          new sts.AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/kept', RoleSessionName: 'before' }),
        )
      ).Credentials!;
      const before = await ca.iam.send(new iam.GetRoleCommand({ RoleName: 'kept' }));
      await a.close();

      const b = await startTestEmulator({ inMemory: false, dataDir: tmp.dir });
      try {
        const cb = clientsFor(b.emu.url);
        expect(await cb.iam.send(new iam.GetRoleCommand({ RoleName: 'kept' }))).toMatchObject({ Role: before.Role });
        const p = await cb.iam.send(new iam.GetRolePolicyCommand({ RoleName: 'kept', PolicyName: 'inline' }));
        expect(decodeURIComponent(p.PolicyDocument!)).toBe(INLINE);
        expect(
          (await cb.iam.send(new iam.ListAttachedRolePoliciesCommand({ RoleName: 'kept' }))).AttachedPolicies,
        ).toEqual([{ PolicyName: 'kept-p', PolicyArn: Policy!.Arn }]);
        expect((await cb.iam.send(new iam.GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!.AttachmentCount).toBe(
          1,
        );
        const session = clientsFor(b.emu.url, {
          accessKeyId: c.AccessKeyId!,
          secretAccessKey: c.SecretAccessKey!,
          sessionToken: c.SessionToken!,
        });
        expect((await session.sts.send(new sts.GetCallerIdentityCommand({}))).Arn).toBe(
          'arn:aws:sts::123456789012:assumed-role/kept/before',
        );
      } finally {
        await b.close();
      }
    } finally {
      tmp.remove();
    }
  });
});

/** Go's url.QueryUnescape, as the provider decodes documents: '+' is a space, %XX a byte. */
function queryUnescape(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}
