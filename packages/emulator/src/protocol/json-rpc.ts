/**
 * AWS JSON 1.0/1.1 over `POST /` with `X-Amz-Target: <prefix>.<Operation>`: one handler per operation,
 * input parsed and validated from the model, output shaped by it, errors in the AWS error shape.
 */
import { randomUUID } from 'node:crypto';
import { isServiceError, type CallContext, type ServiceError } from '@mfc/engine';
import type { ServiceModel } from './model.js';
import { parseInput, SerializationError, serializeOutput, violationMessage } from './shapes.js';

export type Handler = (ctx: CallContext, input: Record<string, unknown>) => unknown;

export interface JsonService {
  name: string;
  model: ServiceModel;
  contentType: string;
  handlers: Record<string, Handler>;
  /** Error type for constraint violations of an operation. */
  validationErrorFor(operation: string): string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export function errorResponse(
  status: number,
  type: string,
  message: string,
  contentType = 'application/x-amz-json-1.1',
  extra: Record<string, unknown> = {},
): WireResponse {
  return {
    status,
    headers: { 'content-type': contentType, 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ __type: type, message, Message: message, ...extra }),
  };
}

/** The members an error's model shape declares beyond its message (MalformedQueryException's queryCompileError). */
function modelledFields(service: JsonService, e: ServiceError): Record<string, unknown> {
  const shape = service.model.shapes[e.type] as { members?: Record<string, unknown> } | undefined;
  const out: Record<string, unknown> = {};
  for (const member of Object.keys(shape?.members ?? {})) {
    if (member === 'message' || member === 'Message') continue;
    const value = (e as unknown as Record<string, unknown>)[member];
    if (value !== undefined) out[member] = value;
  }
  return out;
}

/** Bodies of the answers handlers marked `unchanging`, serialized on first use. */
const unchangingBodies = new WeakMap<object, Buffer | undefined>();

/**
 * Marks an answer a handler may give again as it is (a cached page of a large result): it is shaped and
 * serialized once, and each later call that returns the same object sends the same bytes. The handler must
 * not change it after returning it.
 */
export function unchanging<T extends object>(answer: T): T {
  if (!unchangingBodies.has(answer)) unchangingBodies.set(answer, undefined);
  return answer;
}

/**
 * The answer to an operation the emulator does not implement: UnknownOperationException naming the service
 * and the operation (and whether the service has it at all), so a user knows exactly what is missing.
 */
export function unknownOperation(service: JsonService, operation: string): WireResponse {
  const modelled = service.model.operations[operation] !== undefined;
  const target = `${service.model.metadata.targetPrefix ?? service.name}.${operation}`;
  return errorResponse(
    400,
    'UnknownOperationException',
    modelled
      ? `The emulator does not implement the ${service.name} operation ${operation} (${target}).`
      : `Unknown operation ${operation}: ${service.name} has no such operation (${target}).`,
    service.contentType,
  );
}

export function invoke(service: JsonService, operation: string, bodyText: string, ctx: CallContext): WireResponse {
  const op = service.model.operations[operation];
  const handler = service.handlers[operation];
  if (!op || !handler) return unknownOperation(service, operation);
  let body: unknown;
  try {
    body = bodyText.trim() === '' ? {} : JSON.parse(bodyText);
  } catch {
    return errorResponse(
      400,
      'SerializationException',
      'Unable to parse the request body as JSON.',
      service.contentType,
    );
  }
  try {
    const { value, violations } = parseInput(service.model, op.input?.shape, body);
    if (violations.length > 0)
      return withQueryError(
        service,
        errorResponse(400, service.validationErrorFor(operation), violationMessage(violations), service.contentType),
      );
    const result = handler(ctx, value);
    const memo = typeof result === 'object' && result !== null && unchangingBodies.has(result);
    let answer: string | Buffer | undefined = memo ? unchangingBodies.get(result) : undefined;
    if (answer === undefined) {
      answer = JSON.stringify(serializeOutput(service.model, op.output?.shape, result));
      if (memo) unchangingBodies.set(result, (answer = Buffer.from(answer)));
    }
    return {
      status: 200,
      headers: { 'content-type': service.contentType, 'x-amzn-requestid': randomUUID() },
      body: answer,
    };
  } catch (e) {
    if (e instanceof SerializationError)
      return errorResponse(400, 'SerializationException', e.message, service.contentType);
    if (isServiceError(e))
      return withQueryError(
        service,
        errorResponse(e.httpStatus, e.type, e.message, service.contentType, modelledFields(service, e)),
      );
    throw e;
  }
}

/**
 * A service that once spoke the query protocol (CloudWatch: awsQueryCompatible) also names the error by its
 * query code in x-amzn-query-error, which the SDKs and the CLI read for the error code they report.
 */
function withQueryError(service: JsonService, res: WireResponse): WireResponse {
  if (!service.model.metadata.awsQueryCompatible) return res;
  const type = res.headers['x-amzn-errortype']!;
  const shape = service.model.shapes[type] as { error?: { code?: string; senderFault?: boolean } } | undefined;
  const code = shape?.error?.code ?? type;
  res.headers['x-amzn-query-error'] = `${code};${shape?.error?.senderFault === false ? 'Receiver' : 'Sender'}`;
  return res;
}
