/** Every error the security layer sends: the contracts' ErrorBody, as JSON. */
import type { ErrorBody } from '@mfc/contracts';
import type { Response } from 'express';

export function sendError(
  res: Response,
  status: number,
  name: string,
  message: string,
  issues?: ErrorBody['error']['issues'],
): void {
  const body: ErrorBody = { error: { name, message, status, ...(issues ? { issues } : {}) } };
  res.status(status).json(body);
}

/** zod issues as ErrorBody issues (path joined with dots). */
export function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }): ErrorBody['error']['issues'] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
