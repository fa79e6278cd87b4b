/** GET /api/audit: the audit log, newest first, paged backwards with `before`. */
import type { AuditResponse } from '@mfc/contracts';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { AuditRepo } from '../store/types.js';
import { issuesOf, sendError } from './errors.js';
import './express-types.js';

export const AuditQuery = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  user: z.string().min(1).max(256).optional(),
  action: z.string().min(1).max(256).optional(),
  target: z.string().min(1).max(256).optional(),
});

export function createAuditRoute(audit: AuditRepo): RequestHandler {
  return async (req, res) => {
    if (!req.user) return sendError(res, 401, 'Unauthorized', 'Sign in to continue: this request has no session.');
    const parsed = AuditQuery.safeParse(req.query);
    if (!parsed.success)
      return sendError(res, 400, 'ValidationError', 'The audit query is not valid.', issuesOf(parsed.error));
    const { limit, ...filter } = parsed.data;
    // One extra row tells whether an older page exists without a second query.
    const rows = await audit.list({ ...filter, limit: limit + 1 });
    const entries = rows.slice(0, limit);
    const body: AuditResponse = {
      entries,
      ...(rows.length > limit && entries.length > 0 ? { nextBefore: entries.at(-1)!.id } : {}),
    };
    res.json(body);
  };
}
