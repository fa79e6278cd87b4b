/** Role checks: viewer < operator < admin (ROLE_RANK from the contracts). */
import { ROLE_RANK, type Role } from '@mfc/contracts';
import type { RequestHandler } from 'express';
import { sendError } from './errors.js';
import './express-types.js';

export function hasRole(actual: Role, needed: Role): boolean {
  return ROLE_RANK[actual] >= ROLE_RANK[needed];
}

export function requireRole(role: Role, what = 'This action'): RequestHandler {
  return (req, res, next) => {
    const user = req.user;
    if (!user) return sendError(res, 401, 'Unauthorized', 'Sign in to continue: this request has no session.');
    if (!hasRole(user.role, role))
      return sendError(
        res,
        403,
        'Forbidden',
        `${what} needs the ${role} role; you are signed in as ${user.name} (${user.role}).`,
      );
    next();
  };
}
