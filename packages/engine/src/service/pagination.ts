/**
 * Pagination as the model defines it: Limit 1–50 (default 50), an opaque NextToken absent on the last
 * page, InvalidArgumentException for a token this service did not issue.
 */
import { invalidArgument } from '../util/errors.js';
import { fromBase64, fromUtf8, toBase64, utf8 } from '../util/bytes.js';

export const DEFAULT_LIMIT = 50;

export function encodeToken(id: string): string {
  return toBase64(utf8(`mfc1:${id}`));
}

function decodeToken(token: string): string {
  const bytes = fromBase64(token);
  const text = bytes ? fromUtf8(bytes) : '';
  if (!text.startsWith('mfc1:')) throw invalidArgument(`Invalid NextToken: ${token}`);
  return text.slice(5);
}

/** Pages `rows` (already in order); the token names the first row of the next page. */
export function paginate<T>(
  rows: T[],
  idOf: (row: T) => string,
  limit: number | undefined,
  nextToken: string | undefined,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const id = decodeToken(nextToken);
    start = rows.findIndex((r) => idOf(r) === id);
    if (start < 0) throw invalidArgument(`Invalid NextToken: ${nextToken}`);
  }
  const size = limit ?? DEFAULT_LIMIT;
  const page = rows.slice(start, start + size);
  const next = rows[start + size];
  return next === undefined ? { page } : { page, nextToken: encodeToken(idOf(next)) };
}
