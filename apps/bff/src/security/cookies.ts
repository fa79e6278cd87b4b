/** The session cookie: an HMAC-SHA256-signed session id, HttpOnly and SameSite=Strict. */
import { createHmac } from 'node:crypto';
import type { Request, Response } from 'express';
import { safeEqual } from './tokens.js';

export const SESSION_COOKIE = 'mfc_session';

export function sign(value: string, secret: string): string {
  return `${value}.${createHmac('sha256', secret).update(value).digest('base64url')}`;
}

/** The signed value, or undefined when the signature does not match (tampered or another secret). */
export function unsign(signed: string, secret: string): string | undefined {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const value = signed.slice(0, dot);
  return safeEqual(signed, sign(value, secret)) ? value : undefined;
}

/** Parses the Cookie header; no cookie-parser dependency for one cookie. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // A malformed escape is kept raw: it will simply fail the signature check.
    }
    // The first occurrence wins, as browsers send the most specific path first.
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

export interface CookieOptions {
  secret: string;
  secure: boolean;
}

export class SessionCookie {
  constructor(private readonly options: CookieOptions) {}

  /** 'missing' when no cookie was sent, 'invalid' when its signature does not verify. */
  read(req: Request): { id: string } | 'missing' | 'invalid' {
    const raw = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (raw === undefined || raw === '') return 'missing';
    const id = unsign(raw, this.options.secret);
    return id === undefined ? 'invalid' : { id };
  }

  write(res: Response, id: string, maxAgeMs: number): void {
    res.cookie(SESSION_COOKIE, sign(id, this.options.secret), {
      ...this.attributes(),
      maxAge: Math.max(0, Math.floor(maxAgeMs)),
    });
  }

  clear(res: Response): void {
    res.clearCookie(SESSION_COOKIE, this.attributes());
  }

  private attributes() {
    return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: this.options.secure };
  }
}
