/**
 * Key policy evaluation, enough to decide which principals may use a key: Allow/Deny statements with
 * AWS account, IAM and service principals and wildcard actions. An account root principal delegates to
 * IAM, which the simulation treats as granting every principal of that account. Conditions are ignored.
 */
export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
}

export function parsePolicy(text: string): { Statement: PolicyStatement[] } | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const st = (doc as { Statement?: unknown }).Statement;
  const statements = Array.isArray(st) ? st : st && typeof st === 'object' ? [st] : undefined;
  if (!statements || statements.some((s) => typeof s !== 'object' || s === null)) return undefined;
  if (statements.some((s: PolicyStatement) => s.Effect !== 'Allow' && s.Effect !== 'Deny')) return undefined;
  return { Statement: statements as PolicyStatement[] };
}

export function defaultKeyPolicy(account: string): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
    null,
    2,
  );
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

function actionMatches(patterns: string[], action: string): boolean {
  return patterns.some((p) => {
    if (p === '*') return true;
    const re = new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
    return re.test(action);
  });
}

/** The account of an IAM/STS principal ARN, e.g. arn:aws:iam::123456789012:role/x → 123456789012. */
export function accountOf(principal: string): string | undefined {
  return /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/** An assumed-role session ARN stands for its role. */
function roleOf(principal: string): string | undefined {
  const m = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(principal);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : undefined;
}

function principalMatches(spec: unknown, principal: string): boolean {
  if (spec === '*') return true;
  if (typeof spec !== 'object' || spec === null) return false;
  const isService = principal.endsWith('.amazonaws.com');
  const { AWS, Service } = spec as { AWS?: unknown; Service?: unknown };
  if (isService) return list(Service).includes(principal);
  const role = roleOf(principal);
  return list(AWS).some((p) => {
    if (p === '*') return true;
    const rootAccount = /^\d{12}$/.test(p) ? p : /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(p)?.[1];
    if (rootAccount) return accountOf(principal) === rootAccount;
    return p === principal || p === role;
  });
}

/** True when the policy allows `principal` (an IAM ARN or a service name) to perform `action`. */
export function policyAllows(policyText: string, principal: string, action: string): boolean {
  const policy = parsePolicy(policyText);
  if (!policy) return false;
  let allowed = false;
  for (const s of policy.Statement) {
    if (!principalMatches(s.Principal, principal) || !actionMatches(list(s.Action), action)) continue;
    if (s.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}
