/**
 * Responses in the JobManager's wire form: JSON bodies, and errors as `{"errors": ["message"]}` (the
 * dashboard shows `errors[0]`).
 */
import type { WireResponse } from '../protocol/json-rpc.js';

/** Thrown by a handler to answer with a Flink error body. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'RestError';
  }
}

export const notFound = (message: string) => new RestError(404, message);
export const badRequest = (message: string) => new RestError(400, message);

const JSON_TYPE = 'application/json; charset=UTF-8';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): WireResponse {
  return {
    status,
    // Flink's REST handlers allow any origin; the dashboard itself is same-origin.
    headers: { 'content-type': JSON_TYPE, 'access-control-allow-origin': '*', ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): WireResponse {
  return jsonResponse(status, { errors: [message] }, headers);
}
