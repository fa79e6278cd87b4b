/** Input validation with the contracts' schemas: a clear 400 naming every problem. */
import type { z } from 'zod';
import { HttpError } from './errors.js';

export function parse<T extends z.ZodType>(schema: T, value: unknown, what = 'request'): z.output<T> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.') || what, message: i.message }));
  throw new HttpError(
    400,
    'ValidationError',
    `Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}
