/**
 * The IAM subset infrastructure code touches around a Managed Flink application: roles (trust policy,
 * description, session duration, permissions boundary, tags), their inline policies, customer managed
 * policies with versions, and attachments (AWS managed policy ARNs attach without being held here).
 * One method per IAM operation; members are named as in the API. Policies are stored and answered
 * URL-encoded as IAM answers them; they are not evaluated.
 */
import type { EngineEnv } from '../engine-env.js';
import type { CallContext } from '../service/records.js';
import { fromBase64, fromUtf8, toBase64, utf8 } from '../util/bytes.js';
import { ServiceError } from '../util/errors.js';
import { hash32 } from '../util/random.js';
import { encodePolicy, policyProblem, policySize, type PolicyKind } from './policy-document.js';
import type { IamPolicyRecord, IamPolicyVersionRecord, IamRoleRecord, IamTag } from './records.js';

/** IAM's unique ids: a four-letter type prefix and 17 characters of this alphabet. */
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** IAM quotas (defaults of a new account). */
export const IAM_QUOTAS = {
  rolesPerAccount: 1000,
  policiesPerAccount: 1500,
  managedPoliciesPerRole: 10,
  /** Characters (white space not counted) of all inline policies of one role together. */
  inlinePolicySizePerRole: 10_240,
  trustPolicySize: 2048,
  managedPolicySize: 6144,
  versionsPerPolicy: 5,
  tagsPerResource: 50,
};

const err =
  (type: string, status: number) =>
  (message: string): ServiceError =>
    new ServiceError(type, message, status);
export const noSuchEntity = err('NoSuchEntityException', 404);
const alreadyExists = err('EntityAlreadyExistsException', 409);
const deleteConflict = err('DeleteConflictException', 409);
const limitExceeded = err('LimitExceededException', 409);
const malformed = err('MalformedPolicyDocumentException', 400);
const invalidInput = err('InvalidInputException', 400);

export interface Tagged {
  Tags?: IamTag[];
}
export interface Paged {
  Marker?: string;
  MaxItems?: number;
}

const roleKey = (account: string, name: string) => `${account}:${name.toLowerCase()}`;
const policyKey = (account: string, name: string) => `${account}:${name.toLowerCase()}`;
const byName = (a: string, b: string) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A policy ARN's parts: `arn:aws:iam::<account|aws>:policy<path><name>`. */
export function parsePolicyArn(arn: string): { account: string; path: string; name: string } | undefined {
  const m = /^arn:aws[\w-]*:iam::(\d{12}|aws):policy(\/(?:[^/]+\/)*)([\w+=,.@-]+)$/.exec(arn);
  return m ? { account: m[1]!, path: m[2]!, name: m[3]! } : undefined;
}

/** A role ARN's parts: `arn:aws:iam::<account>:role<path><name>`. */
export function parseRoleArn(arn: string): { account: string; path: string; name: string } | undefined {
  const m = /^arn:aws[\w-]*:iam::(\d{12}):role(\/(?:[^/]+\/)*)([\w+=,.@-]+)$/.exec(arn);
  return m ? { account: m[1]!, path: m[2]!, name: m[3]! } : undefined;
}

/** A stable IAM-style id derived from text (for principals the emulator knows only by ARN). */
export function derivedId(prefix: string, text: string): string {
  let out = prefix;
  for (let i = 0; out.length < prefix.length + 17; i++) {
    let h = hash32(`${i}:${text}`);
    for (let j = 0; j < 6 && out.length < prefix.length + 17; j++, h >>>= 5) out += ID_ALPHABET[h & 31];
  }
  return out;
}

export class IamService {
  constructor(private env: EngineEnv) {}

  private get store() {
    return this.env.store;
  }

  /** Whole seconds: IAM's dates carry no fraction. */
  private now(): number {
    return Math.floor(this.env.clock.now() / 1000) * 1000;
  }

  private newId(prefix: string): string {
    return prefix + this.env.random.chars(17, ID_ALPHABET);
  }

  // ---- lookup ----------------------------------------------------------------------------------

  findRole(account: string, name: string): IamRoleRecord | undefined {
    return this.store.iamRoles.get(roleKey(account, name));
  }

  /** The role an ARN names, if it exists (path included). */
  findRoleByArn(arn: string): IamRoleRecord | undefined {
    const parts = parseRoleArn(arn);
    if (!parts) return undefined;
    const role = this.findRole(parts.account, parts.name);
    return role && role.path === parts.path ? role : undefined;
  }

  private requireRole(ctx: CallContext, name: string): IamRoleRecord {
    const role = this.findRole(ctx.account, name);
    if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
    return role;
  }

  private touchRole(role: IamRoleRecord): void {
    this.store.iamRoles.touch(roleKey(role.account, role.roleName));
  }

  rolesIn(account: string): IamRoleRecord[] {
    return [...this.store.iamRoles.values()]
      .filter((r) => r.account === account)
      .sort((a, b) => byName(a.roleName, b.roleName));
  }

  private policiesIn(account: string): IamPolicyRecord[] {
    return [...this.store.iamPolicies.values()]
      .filter((p) => p.account === account)
      .sort((a, b) => byName(a.policyName, b.policyName));
  }

  private findPolicy(arn: string): IamPolicyRecord | undefined {
    const parts = parsePolicyArn(arn);
    if (!parts || parts.account === 'aws') return undefined;
    const policy = this.store.iamPolicies.get(policyKey(parts.account, parts.name));
    return policy && policy.arn === arn ? policy : undefined;
  }

  private requirePolicy(ctx: CallContext, arn: string): IamPolicyRecord {
    const policy = this.findPolicy(arn);
    if (!policy || policy.account !== ctx.account) throw noSuchEntity(`Policy ${arn} was not found.`);
    return policy;
  }

  private touchPolicy(policy: IamPolicyRecord): void {
    this.store.iamPolicies.touch(policyKey(policy.account, policy.policyName));
  }

  private attachmentCount(policyArn: string, account: string): number {
    return this.rolesIn(account).filter((r) => r.attachedPolicies.includes(policyArn)).length;
  }

  // ---- views -----------------------------------------------------------------------------------

  /** The Role structure as GetRole answers it (`full`), or as ListRoles does (no tags, boundary, last use). */
  roleView(role: IamRoleRecord, full = true) {
    return {
      Path: role.path,
      RoleName: role.roleName,
      RoleId: role.roleId,
      Arn: role.arn,
      CreateDate: new Date(role.createdAt),
      AssumeRolePolicyDocument: encodePolicy(role.assumeRolePolicyDocument),
      Description: role.description || undefined,
      MaxSessionDuration: role.maxSessionDuration,
      PermissionsBoundary:
        full && role.permissionsBoundary
          ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: role.permissionsBoundary }
          : undefined,
      Tags: full && role.tags.length > 0 ? role.tags.map((t) => ({ ...t })) : undefined,
      RoleLastUsed: full
        ? role.lastUsed
          ? { LastUsedDate: new Date(role.lastUsed.at), Region: role.lastUsed.region }
          : {}
        : undefined,
    };
  }

  private policyView(policy: IamPolicyRecord, full = true) {
    return {
      PolicyName: policy.policyName,
      PolicyId: policy.policyId,
      Arn: policy.arn,
      Path: policy.path,
      DefaultVersionId: policy.defaultVersionId,
      AttachmentCount: this.attachmentCount(policy.arn, policy.account),
      PermissionsBoundaryUsageCount: this.rolesIn(policy.account).filter((r) => r.permissionsBoundary === policy.arn)
        .length,
      IsAttachable: true,
      Description: full ? policy.description || undefined : undefined,
      CreateDate: new Date(policy.createdAt),
      UpdateDate: new Date(policy.updatedAt),
      Tags: full && policy.tags.length > 0 ? policy.tags.map((t) => ({ ...t })) : undefined,
    };
  }

  private versionView(policy: IamPolicyRecord, v: IamPolicyVersionRecord, withDocument: boolean) {
    return {
      Document: withDocument ? encodePolicy(v.document) : undefined,
      VersionId: v.versionId,
      IsDefaultVersion: v.versionId === policy.defaultVersionId,
      CreateDate: new Date(v.createdAt),
    };
  }

  // ---- roles -----------------------------------------------------------------------------------

  createRole(
    ctx: CallContext,
    req: {
      RoleName: string;
      AssumeRolePolicyDocument: string;
      Path?: string;
      Description?: string;
      MaxSessionDuration?: number;
      PermissionsBoundary?: string;
    } & Tagged,
  ) {
    if (this.findRole(ctx.account, req.RoleName)) throw alreadyExists(`Role with name ${req.RoleName} already exists.`);
    checkPolicy(req.AssumeRolePolicyDocument, 'trust');
    checkTrustPolicySize(req.AssumeRolePolicyDocument);
    if (this.rolesIn(ctx.account).length >= IAM_QUOTAS.rolesPerAccount)
      throw limitExceeded(`Cannot exceed quota for RolesPerAccount: ${IAM_QUOTAS.rolesPerAccount}`);
    if (req.PermissionsBoundary !== undefined) this.checkBoundary(ctx, req.PermissionsBoundary);
    const tags = mergeTags([], req.Tags ?? []);
    const path = req.Path ?? '/';
    const role: IamRoleRecord = {
      account: ctx.account,
      roleName: req.RoleName,
      roleId: this.newId('AROA'),
      path,
      arn: `arn:aws:iam::${ctx.account}:role${path}${req.RoleName}`,
      createdAt: this.now(),
      assumeRolePolicyDocument: req.AssumeRolePolicyDocument,
      description: req.Description,
      maxSessionDuration: req.MaxSessionDuration ?? 3600,
      permissionsBoundary: req.PermissionsBoundary,
      tags,
      inlinePolicies: [],
      attachedPolicies: [],
    };
    this.store.iamRoles.set(roleKey(role.account, role.roleName), role);
    const view = this.roleView(role);
    return { Role: { ...view, RoleLastUsed: undefined } };
  }

  getRole(ctx: CallContext, req: { RoleName: string }) {
    return { Role: this.roleView(this.requireRole(ctx, req.RoleName)) };
  }

  listRoles(ctx: CallContext, req: { PathPrefix?: string } & Paged) {
    const prefix = req.PathPrefix ?? '/';
    const roles = this.rolesIn(ctx.account).filter((r) => r.path.startsWith(prefix));
    const { page, IsTruncated, Marker } = paginate(roles, req, (r) => r.roleName);
    return { Roles: page.map((r) => this.roleView(r, false)), IsTruncated, Marker };
  }

  updateRole(ctx: CallContext, req: { RoleName: string; Description?: string; MaxSessionDuration?: number }) {
    const role = this.requireRole(ctx, req.RoleName);
    if (req.Description !== undefined) role.description = req.Description;
    if (req.MaxSessionDuration !== undefined) role.maxSessionDuration = req.MaxSessionDuration;
    this.touchRole(role);
    return {};
  }

  updateRoleDescription(ctx: CallContext, req: { RoleName: string; Description: string }) {
    const role = this.requireRole(ctx, req.RoleName);
    role.description = req.Description;
    this.touchRole(role);
    return { Role: this.roleView(role) };
  }

  updateAssumeRolePolicy(ctx: CallContext, req: { RoleName: string; PolicyDocument: string }) {
    const role = this.requireRole(ctx, req.RoleName);
    checkPolicy(req.PolicyDocument, 'trust');
    checkTrustPolicySize(req.PolicyDocument);
    role.assumeRolePolicyDocument = req.PolicyDocument;
    this.touchRole(role);
    return {};
  }

  putRolePermissionsBoundary(ctx: CallContext, req: { RoleName: string; PermissionsBoundary: string }) {
    const role = this.requireRole(ctx, req.RoleName);
    this.checkBoundary(ctx, req.PermissionsBoundary);
    role.permissionsBoundary = req.PermissionsBoundary;
    this.touchRole(role);
    return {};
  }

  deleteRolePermissionsBoundary(ctx: CallContext, req: { RoleName: string }) {
    const role = this.requireRole(ctx, req.RoleName);
    delete role.permissionsBoundary;
    this.touchRole(role);
    return {};
  }

  deleteRole(ctx: CallContext, req: { RoleName: string }) {
    const role = this.requireRole(ctx, req.RoleName);
    if (role.inlinePolicies.length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (role.attachedPolicies.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    this.store.iamRoles.delete(roleKey(role.account, role.roleName));
    return {};
  }

  /** The emulator keeps no instance profiles: every role is in none. */
  listInstanceProfilesForRole(ctx: CallContext, req: { RoleName: string } & Paged) {
    this.requireRole(ctx, req.RoleName);
    return { InstanceProfiles: [], IsTruncated: false };
  }

  // ---- role tags -------------------------------------------------------------------------------

  tagRole(ctx: CallContext, req: { RoleName: string; Tags: IamTag[] }) {
    const role = this.requireRole(ctx, req.RoleName);
    role.tags = mergeTags(role.tags, req.Tags);
    this.touchRole(role);
    return {};
  }

  untagRole(ctx: CallContext, req: { RoleName: string; TagKeys: string[] }) {
    const role = this.requireRole(ctx, req.RoleName);
    const drop = new Set(req.TagKeys.map((k) => k.toLowerCase()));
    role.tags = role.tags.filter((t) => !drop.has(t.Key.toLowerCase()));
    this.touchRole(role);
    return {};
  }

  listRoleTags(ctx: CallContext, req: { RoleName: string } & Paged) {
    const role = this.requireRole(ctx, req.RoleName);
    const sorted = [...role.tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
    const { page, IsTruncated, Marker } = paginate(sorted, req, (t) => t.Key);
    return { Tags: page.map((t) => ({ ...t })), IsTruncated, Marker };
  }

  // ---- inline policies -------------------------------------------------------------------------

  putRolePolicy(ctx: CallContext, req: { RoleName: string; PolicyName: string; PolicyDocument: string }) {
    const role = this.requireRole(ctx, req.RoleName);
    checkPolicy(req.PolicyDocument, 'identity');
    const others = role.inlinePolicies.filter((p) => p.name !== req.PolicyName);
    const total = others.reduce((n, p) => n + policySize(p.document), policySize(req.PolicyDocument));
    if (total > IAM_QUOTAS.inlinePolicySizePerRole)
      throw limitExceeded(
        `Maximum policy size of ${IAM_QUOTAS.inlinePolicySizePerRole} bytes exceeded for role ${role.roleName}`,
      );
    const existing = role.inlinePolicies.find((p) => p.name === req.PolicyName);
    if (existing) existing.document = req.PolicyDocument;
    else role.inlinePolicies.push({ name: req.PolicyName, document: req.PolicyDocument });
    this.touchRole(role);
    return {};
  }

  getRolePolicy(ctx: CallContext, req: { RoleName: string; PolicyName: string }) {
    const role = this.requireRole(ctx, req.RoleName);
    const policy = role.inlinePolicies.find((p) => p.name === req.PolicyName);
    if (!policy) throw noSuchEntity(`The role policy with name ${req.PolicyName} cannot be found.`);
    return { RoleName: role.roleName, PolicyName: policy.name, PolicyDocument: encodePolicy(policy.document) };
  }

  deleteRolePolicy(ctx: CallContext, req: { RoleName: string; PolicyName: string }) {
    const role = this.requireRole(ctx, req.RoleName);
    const i = role.inlinePolicies.findIndex((p) => p.name === req.PolicyName);
    if (i < 0) throw noSuchEntity(`The role policy with name ${req.PolicyName} cannot be found.`);
    role.inlinePolicies.splice(i, 1);
    this.touchRole(role);
    return {};
  }

  listRolePolicies(ctx: CallContext, req: { RoleName: string } & Paged) {
    const role = this.requireRole(ctx, req.RoleName);
    const names = role.inlinePolicies.map((p) => p.name).sort(byName);
    const { page, IsTruncated, Marker } = paginate(names, req, (n) => n);
    return { PolicyNames: page, IsTruncated, Marker };
  }

  // ---- attachments -----------------------------------------------------------------------------

  attachRolePolicy(ctx: CallContext, req: { RoleName: string; PolicyArn: string }) {
    const role = this.requireRole(ctx, req.RoleName);
    this.requireAttachable(ctx, req.PolicyArn);
    if (role.attachedPolicies.includes(req.PolicyArn)) return {};
    if (role.attachedPolicies.length >= IAM_QUOTAS.managedPoliciesPerRole)
      throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${IAM_QUOTAS.managedPoliciesPerRole}`);
    role.attachedPolicies.push(req.PolicyArn);
    this.touchRole(role);
    return {};
  }

  detachRolePolicy(ctx: CallContext, req: { RoleName: string; PolicyArn: string }) {
    const role = this.requireRole(ctx, req.RoleName);
    if (!parsePolicyArn(req.PolicyArn)) throw invalidInput(`ARN ${req.PolicyArn} is not valid.`);
    const i = role.attachedPolicies.indexOf(req.PolicyArn);
    if (i < 0) throw noSuchEntity(`Policy ${req.PolicyArn} was not found.`);
    role.attachedPolicies.splice(i, 1);
    this.touchRole(role);
    return {};
  }

  listAttachedRolePolicies(ctx: CallContext, req: { RoleName: string; PathPrefix?: string } & Paged) {
    const role = this.requireRole(ctx, req.RoleName);
    const prefix = req.PathPrefix ?? '/';
    const attached = role.attachedPolicies
      .map((arn) => ({ arn, parts: parsePolicyArn(arn)! }))
      .filter((a) => a.parts.path.startsWith(prefix));
    const { page, IsTruncated, Marker } = paginate(attached, req, (a) => a.arn);
    return {
      AttachedPolicies: page.map((a) => ({ PolicyName: a.parts.name, PolicyArn: a.arn })),
      IsTruncated,
      Marker,
    };
  }

  /** A customer managed policy of the caller's account that exists, or any AWS managed policy ARN. */
  private requireAttachable(ctx: CallContext, arn: string): void {
    const parts = parsePolicyArn(arn);
    if (!parts) throw invalidInput(`ARN ${arn} is not valid.`);
    if (parts.account === 'aws') return;
    const policy = this.findPolicy(arn);
    if (!policy || policy.account !== ctx.account)
      throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  }

  private checkBoundary(ctx: CallContext, arn: string): void {
    const parts = parsePolicyArn(arn);
    if (!parts) throw invalidInput(`ARN ${arn} is not valid.`);
    const policy = parts.account === 'aws' ? undefined : this.findPolicy(arn);
    if (parts.account !== 'aws' && policy?.account !== ctx.account)
      throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  }

  // ---- managed policies ------------------------------------------------------------------------

  createPolicy(
    ctx: CallContext,
    req: { PolicyName: string; PolicyDocument: string; Path?: string; Description?: string } & Tagged,
  ) {
    if (this.store.iamPolicies.get(policyKey(ctx.account, req.PolicyName)))
      throw alreadyExists(`A policy called ${req.PolicyName} already exists. Duplicate names are not allowed.`);
    checkPolicy(req.PolicyDocument, 'identity');
    checkManagedPolicySize(req.PolicyDocument);
    if (this.policiesIn(ctx.account).length >= IAM_QUOTAS.policiesPerAccount)
      throw limitExceeded(`Cannot exceed quota for PoliciesPerAccount: ${IAM_QUOTAS.policiesPerAccount}`);
    const tags = mergeTags([], req.Tags ?? []);
    const path = req.Path ?? '/';
    const now = this.now();
    const policy: IamPolicyRecord = {
      account: ctx.account,
      policyName: req.PolicyName,
      policyId: this.newId('ANPA'),
      path,
      arn: `arn:aws:iam::${ctx.account}:policy${path}${req.PolicyName}`,
      description: req.Description,
      createdAt: now,
      updatedAt: now,
      defaultVersionId: 'v1',
      versions: [{ versionId: 'v1', document: req.PolicyDocument, createdAt: now }],
      nextVersion: 2,
      tags,
    };
    this.store.iamPolicies.set(policyKey(policy.account, policy.policyName), policy);
    // CreatePolicy's answer has no description (AWS documents it for GetPolicy only).
    return { Policy: { ...this.policyView(policy), Description: undefined } };
  }

  getPolicy(ctx: CallContext, req: { PolicyArn: string }) {
    return { Policy: this.policyView(this.requirePolicy(ctx, req.PolicyArn)) };
  }

  listPolicies(
    ctx: CallContext,
    req: { Scope?: string; OnlyAttached?: boolean; PathPrefix?: string; PolicyUsageFilter?: string } & Paged,
  ) {
    // AWS managed policies are not held by the emulator: Scope AWS lists none.
    const all = req.Scope === 'AWS' ? [] : this.policiesIn(ctx.account);
    const prefix = req.PathPrefix ?? '/';
    const policies = all.filter(
      (p) =>
        p.path.startsWith(prefix) &&
        (!req.OnlyAttached || this.attachmentCount(p.arn, p.account) > 0) &&
        (req.PolicyUsageFilter !== 'PermissionsBoundary' ||
          this.rolesIn(p.account).some((r) => r.permissionsBoundary === p.arn)),
    );
    const { page, IsTruncated, Marker } = paginate(policies, req, (p) => p.policyName);
    return { Policies: page.map((p) => this.policyView(p, false)), IsTruncated, Marker };
  }

  deletePolicy(ctx: CallContext, req: { PolicyArn: string }) {
    const policy = this.requirePolicy(ctx, req.PolicyArn);
    if (this.attachmentCount(policy.arn, policy.account) > 0)
      throw deleteConflict('Cannot delete a policy attached to entities.');
    if (policy.versions.length > 1)
      throw deleteConflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
    this.store.iamPolicies.delete(policyKey(policy.account, policy.policyName));
    return {};
  }

  createPolicyVersion(ctx: CallContext, req: { PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean }) {
    const policy = this.requirePolicy(ctx, req.PolicyArn);
    checkPolicy(req.PolicyDocument, 'identity');
    checkManagedPolicySize(req.PolicyDocument);
    if (policy.versions.length >= IAM_QUOTAS.versionsPerPolicy)
      throw limitExceeded(
        `A managed policy can have up to ${IAM_QUOTAS.versionsPerPolicy} versions. Before you create a new version, you must delete an existing version.`,
      );
    const v: IamPolicyVersionRecord = {
      versionId: `v${policy.nextVersion++}`,
      document: req.PolicyDocument,
      createdAt: this.now(),
    };
    policy.versions.push(v);
    policy.updatedAt = v.createdAt;
    if (req.SetAsDefault) policy.defaultVersionId = v.versionId;
    this.touchPolicy(policy);
    return { PolicyVersion: this.versionView(policy, v, false) };
  }

  private requireVersion(policy: IamPolicyRecord, versionId: string): IamPolicyVersionRecord {
    const v = policy.versions.find((x) => x.versionId === versionId);
    if (!v) throw noSuchEntity(`Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`);
    return v;
  }

  getPolicyVersion(ctx: CallContext, req: { PolicyArn: string; VersionId: string }) {
    const policy = this.requirePolicy(ctx, req.PolicyArn);
    return { PolicyVersion: this.versionView(policy, this.requireVersion(policy, req.VersionId), true) };
  }

  listPolicyVersions(ctx: CallContext, req: { PolicyArn: string } & Paged) {
    const policy = this.requirePolicy(ctx, req.PolicyArn);
    const newestFirst = [...policy.versions].reverse();
    const { page, IsTruncated, Marker } = paginate(newestFirst, req, (v) => v.versionId);
    return { Versions: page.map((v) => this.versionView(policy, v, false)), IsTruncated, Marker };
  }

  deletePolicyVersion(ctx: CallContext, req: { PolicyArn: string; VersionId: string }) {
    const policy = this.requirePolicy(ctx, req.PolicyArn);
    const v = this.requireVersion(policy, req.VersionId);
    if (v.versionId === policy.defaultVersionId) throw deleteConflict('Cannot delete the default version of a policy.');
    policy.versions = policy.versions.filter((x) => x !== v);
    this.touchPolicy(policy);
    return {};
  }

  setDefaultPolicyVersion(ctx: CallContext, req: { PolicyArn: string; VersionId: string }) {
    const policy = this.requirePolicy(ctx, req.PolicyArn);
    policy.defaultVersionId = this.requireVersion(policy, req.VersionId).versionId;
    this.touchPolicy(policy);
    return {};
  }

  tagPolicy(ctx: CallContext, req: { PolicyArn: string; Tags: IamTag[] }) {
    const policy = this.requirePolicy(ctx, req.PolicyArn);
    policy.tags = mergeTags(policy.tags, req.Tags);
    this.touchPolicy(policy);
    return {};
  }

  untagPolicy(ctx: CallContext, req: { PolicyArn: string; TagKeys: string[] }) {
    const policy = this.requirePolicy(ctx, req.PolicyArn);
    const drop = new Set(req.TagKeys.map((k) => k.toLowerCase()));
    policy.tags = policy.tags.filter((t) => !drop.has(t.Key.toLowerCase()));
    this.touchPolicy(policy);
    return {};
  }

  listPolicyTags(ctx: CallContext, req: { PolicyArn: string } & Paged) {
    const policy = this.requirePolicy(ctx, req.PolicyArn);
    const sorted = [...policy.tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
    const { page, IsTruncated, Marker } = paginate(sorted, req, (t) => t.Key);
    return { Tags: page.map((t) => ({ ...t })), IsTruncated, Marker };
  }

  /** The roles a managed policy is attached to (the emulator has no users or groups). */
  listEntitiesForPolicy(ctx: CallContext, req: { PolicyArn: string; EntityFilter?: string } & Paged) {
    const parts = parsePolicyArn(req.PolicyArn);
    if (!parts) throw invalidInput(`ARN ${req.PolicyArn} is not valid.`);
    if (parts.account !== 'aws') this.requirePolicy(ctx, req.PolicyArn);
    const roles =
      req.EntityFilter === undefined || req.EntityFilter === 'Role' || req.EntityFilter === 'AWSManagedPolicy'
        ? this.rolesIn(ctx.account).filter((r) => r.attachedPolicies.includes(req.PolicyArn))
        : [];
    const { page, IsTruncated, Marker } = paginate(roles, req, (r) => r.roleName);
    return {
      PolicyGroups: [],
      PolicyUsers: [],
      PolicyRoles: page.map((r) => ({ RoleName: r.roleName, RoleId: r.roleId })),
      IsTruncated,
      Marker,
    };
  }

  /** Records a role's use (AssumeRole), as RoleLastUsed reports. */
  markUsed(role: IamRoleRecord, region: string): void {
    role.lastUsed = { at: this.now(), region };
    this.touchRole(role);
  }
}

function checkPolicy(document: string, kind: PolicyKind): void {
  const problem = policyProblem(document, kind);
  if (problem) throw malformed(problem);
}

function checkTrustPolicySize(document: string): void {
  if (policySize(document) > IAM_QUOTAS.trustPolicySize)
    throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${IAM_QUOTAS.trustPolicySize}`);
}

function checkManagedPolicySize(document: string): void {
  if (policySize(document) > IAM_QUOTAS.managedPolicySize)
    throw limitExceeded(`Cannot exceed quota for PolicySize: ${IAM_QUOTAS.managedPolicySize}`);
}

/**
 * Tags after adding `added`: IAM tag keys are case-insensitive, so a key already there (in any case) takes
 * the new key and value. A key repeated in one request is InvalidInput; more than 50 in all, LimitExceeded.
 */
function mergeTags(current: IamTag[], added: IamTag[]): IamTag[] {
  const seen = new Set<string>();
  for (const t of added) {
    const k = t.Key.toLowerCase();
    if (seen.has(k)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
  }
  const out = current.map((t) => ({ ...t }));
  for (const t of added) {
    const i = out.findIndex((o) => o.Key.toLowerCase() === t.Key.toLowerCase());
    const tag = { Key: t.Key, Value: t.Value ?? '' };
    if (i >= 0) out[i] = tag;
    else out.push(tag);
  }
  if (out.length > IAM_QUOTAS.tagsPerResource) throw limitExceeded('The number of tags has reached the maximum limit.');
  return out;
}

/** IAM's pages: MaxItems (default 100) from the item the marker names; the marker is opaque to callers. */
function paginate<T>(rows: T[], req: Paged, id: (row: T) => string) {
  let start = 0;
  if (req.Marker !== undefined) {
    const bytes = fromBase64(req.Marker);
    const key = bytes ? fromUtf8(bytes) : undefined;
    start = key === undefined ? -1 : rows.findIndex((r) => id(r) === key);
    if (start < 0) throw invalidInput('Invalid Marker.');
  }
  const size = req.MaxItems ?? 100;
  const page = rows.slice(start, start + size);
  const next = rows[start + size];
  return {
    page,
    IsTruncated: next !== undefined,
    Marker: next !== undefined ? toBase64(utf8(id(next))) : undefined,
  };
}
