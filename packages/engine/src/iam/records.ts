/**
 * IAM and STS state. IAM is global: roles and customer managed policies belong to an account, not a
 * region. Policy documents are kept exactly as the caller sent them (AWS answers them URL-encoded).
 */

export interface IamTag {
  Key: string;
  Value: string;
}

export interface IamInlinePolicy {
  name: string;
  document: string;
}

export interface IamRoleRecord {
  account: string;
  roleName: string;
  /** AROA + 17 characters. */
  roleId: string;
  path: string;
  arn: string;
  /** Epoch ms, whole seconds (IAM reports dates to the second). */
  createdAt: number;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: IamTag[];
  /** Inline policies (PutRolePolicy), in the order first put. */
  inlinePolicies: IamInlinePolicy[];
  /** ARNs of the attached managed policies (customer or AWS managed), in the order attached. */
  attachedPolicies: string[];
  lastUsed?: { at: number; region: string };
}

export interface IamPolicyVersionRecord {
  versionId: string;
  document: string;
  createdAt: number;
}

export interface IamPolicyRecord {
  account: string;
  policyName: string;
  /** ANPA + 17 characters. */
  policyId: string;
  path: string;
  arn: string;
  description?: string;
  createdAt: number;
  updatedAt: number;
  defaultVersionId: string;
  /** Oldest first. */
  versions: IamPolicyVersionRecord[];
  /** The number the next version gets (v<n>): AWS never reuses a version id. */
  nextVersion: number;
  tags: IamTag[];
}

/** Temporary credentials issued by STS (AssumeRole, GetSessionToken), accepted until they expire. */
export interface StsSessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** The account the credentials act in (the role's). */
  account: string;
  /** The caller identity of the credentials: an assumed-role ARN, or the principal that asked. */
  principal: string;
  /** GetCallerIdentity's UserId: `<RoleId>:<session name>` for a role session. */
  userId: string;
  issuedAt: number;
  expiresAt: number;
  /** True for AssumeRole sessions (role chaining caps their duration at an hour). */
  roleSession: boolean;
}
