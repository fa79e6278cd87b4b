/** IAM on the wire (AWS Query protocol): the role and policy operations the engine's IamService implements. */
import type { Engine, IamService } from '@mfc/engine';
import { loadModel } from '../protocol/model.js';
import type { QueryHandler, QueryService } from '../protocol/query.js';

export const IAM_OPERATIONS = [
  'CreateRole',
  'GetRole',
  'ListRoles',
  'UpdateRole',
  'UpdateRoleDescription',
  'UpdateAssumeRolePolicy',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'DeleteRole',
  'ListInstanceProfilesForRole',
  'TagRole',
  'UntagRole',
  'ListRoleTags',
  'PutRolePolicy',
  'GetRolePolicy',
  'DeleteRolePolicy',
  'ListRolePolicies',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'ListAttachedRolePolicies',
  'CreatePolicy',
  'GetPolicy',
  'ListPolicies',
  'DeletePolicy',
  'CreatePolicyVersion',
  'GetPolicyVersion',
  'ListPolicyVersions',
  'DeletePolicyVersion',
  'SetDefaultPolicyVersion',
  'TagPolicy',
  'UntagPolicy',
  'ListPolicyTags',
  'ListEntitiesForPolicy',
] as const;

export function iamService(engine: () => Engine): QueryService {
  const handlers: Record<string, QueryHandler> = {};
  for (const op of IAM_OPERATIONS) {
    const method = (op.charAt(0).toLowerCase() + op.slice(1)) as keyof IamService;
    handlers[op] = (ctx, input) => {
      const iam = engine().iam;
      return (iam[method] as unknown as (c: typeof ctx, i: unknown) => unknown).call(iam, ctx, input);
    };
  }
  return { name: 'iam', title: 'IAM', model: loadModel('iam'), handlers, validationError: 'ValidationError' };
}
