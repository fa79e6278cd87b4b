/** Secure response headers: helmet with a strict Content-Security-Policy (no inline script or style). */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

export function createHeaders(options: { hsts: boolean }): RequestHandler {
  return helmet({
    // useDefaults off: helmet's default adds upgrade-insecure-requests, which breaks the demo on plain http.
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // HSTS only when served over TLS: pinning https on a developer's 127.0.0.1 would outlive the demo.
    strictTransportSecurity: options.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
}
