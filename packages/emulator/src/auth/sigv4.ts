/**
 * SigV4 `Authorization` header parsing: the access key and credential scope decide the caller's
 * account, region and principal. Signatures are verified only with --strict-auth (see strict-auth.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export type AuthResult =
  { ok: true; credential: Credential } | { ok: false; status: number; type: string; message: string };

const AUTH =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

export function parseAuthorization(headers: IncomingHttpHeaders): AuthResult {
  const header = headers.authorization;
  if (!header)
    return {
      ok: false,
      status: 403,
      type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    };
  const m = AUTH.exec(header);
  if (!m)
    return {
      ok: false,
      status: 400,
      type: 'IncompleteSignatureException',
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of AWS4-HMAC-SHA256. Authorization=${header.slice(0, 60)}`,
    };
  return {
    ok: true,
    credential: {
      accessKeyId: m[1]!,
      date: m[2]!,
      region: m[3]!,
      service: m[4]!,
      signedHeaders: m[5]!.split(';'),
      signature: m[6]!,
    },
  };
}

export interface Principal {
  account: string;
  principal: string;
  /** Secret key, needed only to verify signatures. */
  secretAccessKey?: string;
}

/** Maps access keys to principals; unknown keys are administrators of the default account unless strict. */
export class PrincipalDirectory {
  constructor(
    private readonly entries: Record<string, Principal> = {},
    readonly defaultAccount = '123456789012',
  ) {}

  lookup(accessKeyId: string): Principal | undefined {
    return this.entries[accessKeyId];
  }

  resolve(accessKeyId: string): Principal {
    return (
      this.entries[accessKeyId] ?? {
        account: this.defaultAccount,
        principal: `arn:aws:iam::${this.defaultAccount}:root`,
      }
    );
  }
}
