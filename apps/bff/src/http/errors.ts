/**
 * Errors as the console reads them: `{ error: { name, message, status } }`. AWS service errors keep their
 * name and message and map to an HTTP status that says what kind of problem it is.
 */
import type { ErrorBody } from '@mfc/contracts';
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { StoreUnavailableError } from '../store/types.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
    /** Sent as Retry-After (a 503 while the shared store is unreachable). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const STATUS_BY_AWS_ERROR: Record<string, number> = {
  ResourceNotFoundException: 404,
  NotFoundException: 404,
  NoSuchKey: 404,
  NoSuchBucket: 404,
  ResourceInUseException: 409,
  ConcurrentModificationException: 409,
  KMSInvalidStateException: 409,
  DisabledException: 409,
  AlreadyExistsException: 409,
  InvalidArgumentException: 400,
  InvalidRequestException: 400,
  InvalidApplicationConfigurationException: 400,
  CodeValidationException: 400,
  ValidationException: 400,
  InvalidParameterValueException: 400,
  InvalidParameterException: 400,
  MalformedQueryException: 400,
  ValidationError: 400,
  InvalidNextToken: 400,
  ResourceNotFound: 404,
  LimitExceededFault: 429,
  MalformedPolicyDocumentException: 400,
  InvalidAliasNameException: 400,
  LimitExceededException: 429,
  TooManyTagsException: 400,
  UnsupportedOperationException: 400,
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  SignatureDoesNotMatch: 403,
  ExpiredTokenException: 403,
};

/** The HTTP status for an AWS error name: 4xx for the caller's mistakes, 502 for an unknown upstream failure. */
export function statusForAwsError(name: string, upstreamStatus?: number): number {
  return (
    STATUS_BY_AWS_ERROR[name] ??
    (upstreamStatus !== undefined && upstreamStatus >= 400 && upstreamStatus < 500 ? upstreamStatus : 502)
  );
}

export function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof StoreUnavailableError)
    return new HttpError(
      503,
      'StoreUnavailable',
      `The console's database cannot be reached; nothing was changed. Try again in a few seconds. (${e.message})`,
      undefined,
      e.retryAfterSeconds,
    );
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
  if (err && typeof err === 'object' && err.$metadata && err.name)
    return new HttpError(statusForAwsError(err.name, err.$metadata.httpStatusCode), err.name, err.message ?? err.name);
  return new HttpError(500, 'InternalError', 'The console backend failed to process the request.');
}

export function sendError(res: Response, e: HttpError): void {
  const body: ErrorBody = {
    error: { name: e.errorName, message: e.message, status: e.status, ...(e.issues ? { issues: e.issues } : {}) },
  };
  res.locals.auditError = `${e.errorName}: ${e.message}`;
  if (e.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(e.retryAfterSeconds));
  res.status(e.status).json(body);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (e: unknown, req, res, next) => {
    if (res.headersSent) return next(e);
    if (e instanceof HttpError) return sendError(res, e);
    // Express's body parser reports malformed JSON with a status of 400.
    const parseError = e as { type?: string; status?: number; message?: string };
    if (parseError?.type === 'entity.parse.failed')
      return sendError(res, new HttpError(400, 'MalformedJson', 'The request body is not valid JSON.'));
    if (parseError?.type === 'entity.too.large')
      return sendError(res, new HttpError(413, 'PayloadTooLarge', 'The request body is too large.'));
    // Express and its body parser mark client errors (a malformed URI, an unsupported charset) with a 4xx.
    if (typeof parseError?.status === 'number' && parseError.status >= 400 && parseError.status < 500)
      return sendError(res, new HttpError(parseError.status, 'BadRequest', parseError.message ?? 'Bad request.'));
    const http = toHttpError(e);
    if (http.status >= 500 && http.status !== 503) logger.error({ err: e, url: req.originalUrl }, 'request failed');
    sendError(res, http);
  };
}
