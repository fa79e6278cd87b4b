/**
 * MalformedQueryException, as StartQuery answers a query it cannot compile: the message names the
 * construct and where it is, and `queryCompileError` carries the offsets in the shape of the model.
 */
import { ServiceError } from '../util/errors.js';

export interface QueryCompileError {
  location: { startCharOffset: number; endCharOffset: number };
  message: string;
}

export class MalformedQueryError extends ServiceError {
  readonly queryCompileError: QueryCompileError;

  constructor(message: string, start: number, end: number) {
    super('MalformedQueryException', message);
    this.queryCompileError = { location: { startCharOffset: start, endCharOffset: end }, message };
  }
}

/** Line and position (both from 1) of an offset in the query text. */
export function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** An error at [start, end) of `source`, worded like CloudWatch: "... at line 1 and position 7". */
export function malformed(source: string, start: number, end: number, what: string): MalformedQueryError {
  const { line, column } = lineAndColumn(source, start);
  return new MalformedQueryError(`${what} at line ${line} and position ${column}.`, start, Math.max(start, end));
}
