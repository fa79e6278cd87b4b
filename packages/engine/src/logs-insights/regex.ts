/** Regular expressions of queries (RE2 syntax in CloudWatch) as JavaScript ones. */
import { malformed } from './errors.js';

/**
 * The JavaScript regex for a query's `/pattern/`. RE2's leading inline flags, `(?i)` and the like, become
 * the regex's flags (Node 20 has no inline modifiers); RE2's `(?P<name>...)` is JavaScript's `(?<name>...)`.
 * A pattern JavaScript cannot compile is a malformed query at the pattern's position.
 */
export function jsRegex(pattern: string, query: string, start: number, end: number): RegExp {
  let body = pattern;
  let flags = '';
  const inline = /^\(\?([imsU]+)\)/.exec(body);
  if (inline) {
    body = body.slice(inline[0].length);
    flags = [...new Set(inline[1]!.replace('U', ''))].join('');
  }
  body = body.replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(body, flags);
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
    throw malformed(query, start, end, `Invalid regular expression ${query.slice(start, end)} (${reason})`);
  }
}
