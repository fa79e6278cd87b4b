/**
 * IAM policy documents: the grammar checks IAM makes before it stores one (MalformedPolicyDocument with
 * IAM's wording), the size IAM counts (characters other than white space) and the RFC 3986 encoding every
 * policy document has in IAM's answers. Documents are stored as sent; nothing is evaluated.
 */

export type PolicyKind = 'identity' | 'trust';

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_KEYS = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

/** Why IAM refuses the document, in IAM's words; undefined when it is acceptable. */
export function policyProblem(text: string, kind: PolicyKind): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'This policy contains invalid Json';
  }
  if (!isObject(doc)) return 'Syntax errors in policy.';
  if (Object.keys(doc).some((k) => !TOP_LEVEL.has(k))) return 'Syntax errors in policy.';
  if (doc.Version !== undefined && (typeof doc.Version !== 'string' || !VERSIONS.has(doc.Version)))
    return 'The policy failed legacy parsing';
  const statements = Array.isArray(doc.Statement) ? doc.Statement : isObject(doc.Statement) ? [doc.Statement] : [];
  if (doc.Statement === undefined || statements.length === 0) return 'Syntax errors in policy.';
  for (const st of statements) {
    if (!isObject(st) || Object.keys(st).some((k) => !STATEMENT_KEYS.has(k))) return 'Syntax errors in policy.';
    if (st.Sid !== undefined && (typeof st.Sid !== 'string' || !/^[0-9A-Za-z]*$/.test(st.Sid)))
      return 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') return 'Syntax errors in policy.';
    if (st.Action !== undefined && st.NotAction !== undefined) return 'Syntax errors in policy.';
    const actions = st.Action ?? st.NotAction;
    if (actions === undefined) return 'Policy statement must contain actions.';
    const list = Array.isArray(actions) ? actions : [actions];
    if (list.length === 0) return 'Policy statement must contain actions.';
    for (const a of list) {
      if (typeof a !== 'string') return 'Syntax errors in policy.';
      if (a !== '*' && !/^[A-Za-z0-9-]+:[^:]*$/.test(a))
        return 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
    }
    const principal = st.Principal ?? st.NotPrincipal;
    if (kind === 'identity') {
      if (principal !== undefined) return 'Policy document should not specify a principal.';
      if (st.Resource === undefined && st.NotResource === undefined) return 'Policy statement must contain resources.';
    } else {
      if (principal === undefined) return 'Missing required field Principal';
      if (st.Resource !== undefined) return 'Has prohibited field Resource';
      if (st.NotResource !== undefined) return 'Has prohibited field NotResource';
      const bad = principalProblem(principal);
      if (bad) return bad;
    }
  }
  return undefined;
}

function principalProblem(principal: unknown): string | undefined {
  if (principal === '*') return undefined;
  if (!isObject(principal)) return `Invalid principal in policy: ${JSON.stringify(principal)}`;
  for (const [key, value] of Object.entries(principal)) {
    const values = Array.isArray(value) ? value : [value];
    if (!PRINCIPAL_KEYS.has(key) || values.length === 0 || values.some((v) => typeof v !== 'string' || v === ''))
      return `Invalid principal in policy: "${key}":${JSON.stringify(value)}`;
  }
  return undefined;
}

/** The size IAM counts against its quotas: every character but white space. */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length;
}

/** A policy document as IAM answers it: URL-encoded per RFC 3986 (only A-Z a-z 0-9 - . _ ~ left as they are). */
export function encodePolicy(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
