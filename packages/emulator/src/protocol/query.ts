/**
 * The AWS Query protocol (IAM, STS): `POST /` with a form body `Action=<Op>&Version=<api version>&...`,
 * answered in XML. Input is read from the form by the model (structures `A.B`, lists `A.member.N` or
 * flattened `A.N`, maps `A.entry.N.key/value`) and validated like the JSON services' (shapes.ts); output
 * is written by the model inside `<OpResponse><OpResult>…</OpResult><ResponseMetadata>`; errors are
 * `<ErrorResponse><Error><Type><Code><Message></Error><RequestId>` with the code and HTTP status the model
 * gives the error shape.
 */
import { randomUUID } from 'node:crypto';
import { isServiceError, type CallContext } from '@mfc/engine';
import type { WireResponse } from './json-rpc.js';
import type { MemberRef, ServiceModel, Shape } from './model.js';
import { parseInput, SerializationError, violationMessage } from './shapes.js';

export type QueryHandler = (ctx: CallContext, input: Record<string, unknown>) => unknown;

export interface QueryService {
  /** The signing name (SigV4 credential scope service): `iam`, `sts`. */
  name: string;
  /** How the service names itself in messages: `IAM`, `STS`. */
  title: string;
  model: ServiceModel;
  handlers: Record<string, QueryHandler>;
  /** Error code of constraint violations (IAM and STS: ValidationError). */
  validationError: string;
}

/** The serialization traits of the Query protocol that the shared model types leave out. */
type QueryRef = MemberRef & { flattened?: boolean; timestampFormat?: string };
type QueryShape = Shape & {
  flattened?: boolean;
  timestampFormat?: string;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
};
interface QueryMetadata {
  apiVersion?: string;
  xmlNamespace?: string;
}

const shapeOf = (model: ServiceModel, ref: MemberRef): QueryShape => {
  const shape = model.shapes[ref.shape];
  if (!shape) throw new Error(`model has no shape ${ref.shape}`);
  return shape;
};

const metadataOf = (model: ServiceModel) => model.metadata as ServiceModel['metadata'] & QueryMetadata;

// ---- requests -----------------------------------------------------------------------------------

/** A form body's parameters (first value of a repeated name). */
export function formParams(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(text)) if (!out.has(k)) out.set(k, v);
  return out;
}

/** Flat parameters with the index of every dotted prefix, so a structure or list knows it was sent. */
class Params {
  private readonly prefixes = new Set<string>();

  constructor(readonly values: Map<string, string>) {
    for (const key of values.keys()) {
      let dot = key.indexOf('.');
      while (dot >= 0) {
        this.prefixes.add(key.slice(0, dot));
        dot = key.indexOf('.', dot + 1);
      }
    }
  }

  has(name: string): boolean {
    return this.values.has(name) || this.prefixes.has(name);
  }
}

/** The request as the JSON-shaped value shapes.ts validates: strings become numbers and booleans by the model. */
export function readQueryInput(model: ServiceModel, shapeName: string | undefined, values: Map<string, string>) {
  if (!shapeName) return {};
  return readValue(model, model.shapes[shapeName]!, '', new Params(values), undefined) as Record<string, unknown>;
}

function readValue(
  model: ServiceModel,
  shape: QueryShape,
  name: string,
  p: Params,
  ref: QueryRef | undefined,
): unknown {
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [member, mref] of Object.entries(shape.members ?? {}) as [string, QueryRef][]) {
        const key = name ? `${name}.${mref.locationName ?? member}` : (mref.locationName ?? member);
        if (p.has(key)) out[member] = readValue(model, shapeOf(model, mref), key, p, mref);
      }
      return out;
    }
    case 'list': {
      const memberRef = shape.member! as QueryRef;
      let prefix: string;
      if (shape.flattened || ref?.flattened) {
        prefix = memberRef.locationName ? [...name.split('.').slice(0, -1), memberRef.locationName].join('.') : name;
      } else prefix = `${name}.${memberRef.locationName ?? 'member'}`;
      const items: unknown[] = [];
      for (let i = 1; p.has(`${prefix}.${i}`); i++)
        items.push(readValue(model, shapeOf(model, memberRef), `${prefix}.${i}`, p, memberRef));
      // `Name=` with no members is how the protocol sends an empty list.
      return items;
    }
    case 'map': {
      const prefix = shape.flattened || ref?.flattened ? name : `${name}.entry`;
      const keyName = shape.key!.locationName ?? 'key';
      const valueName = shape.value!.locationName ?? 'value';
      const out: Record<string, unknown> = {};
      for (let i = 1; p.has(`${prefix}.${i}`); i++) {
        const k = p.values.get(`${prefix}.${i}.${keyName}`);
        if (k === undefined) continue;
        out[k] = readValue(model, shapeOf(model, shape.value!), `${prefix}.${i}.${valueName}`, p, shape.value);
      }
      return out;
    }
    default:
      return scalar(shape, p.values.get(name));
  }
}

/** A form value as the JSON type of its shape; what does not convert stays a string and fails validation. */
function scalar(shape: QueryShape, raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  switch (shape.type) {
    case 'integer':
    case 'long':
      return /^[-+]?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case 'float':
    case 'double':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return /^true$/i.test(raw) ? true : /^false$/i.test(raw) ? false : raw;
    case 'timestamp':
      return /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    default:
      return raw;
  }
}

// ---- responses ----------------------------------------------------------------------------------

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
/** Markup characters, CR (kept through XML's line-end normalisation) and the controls XML 1.0 cannot carry. */
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[&<>\r]|[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

/** Text content: markup escaped, CR as a reference, controls XML 1.0 cannot carry as U+FFFD. */
export function xmlText(text: string): string {
  return text.replace(XML_SPECIAL, (c) => XML_ESCAPES[c] ?? '\uFFFD');
}

/** ISO 8601 in UTC, without a fraction when the time has none (IAM's `2026-01-01T00:00:00Z`). */
function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function timestamp(v: unknown, format: string | undefined): string {
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(String(v));
  if (format === 'unixTimestamp') return String(ms / 1000);
  if (format === 'rfc822') return new Date(ms).toUTCString();
  return isoTime(ms);
}

function writeValue(model: ServiceModel, shape: QueryShape, v: unknown, name: string, ref?: QueryRef): string {
  if (v === undefined || v === null) return '';
  switch (shape.type) {
    case 'structure':
      return `<${name}>${writeMembers(model, shape, v as Record<string, unknown>)}</${name}>`;
    case 'list': {
      const memberRef = shape.member! as QueryRef;
      const member = shapeOf(model, memberRef);
      const items = v as unknown[];
      if (shape.flattened || ref?.flattened)
        return items.map((item) => writeValue(model, member, item, memberRef.locationName ?? name, memberRef)).join('');
      const inner = items
        .map((item) => writeValue(model, member, item, memberRef.locationName ?? 'member', memberRef))
        .join('');
      return `<${name}>${inner}</${name}>`;
    }
    case 'map': {
      const keyName = shape.key!.locationName ?? 'key';
      const valueName = shape.value!.locationName ?? 'value';
      const valueShape = shapeOf(model, shape.value!);
      const entries = Object.entries(v as Record<string, unknown>).map(
        ([k, val]) =>
          `<${keyName}>${xmlText(k)}</${keyName}>${writeValue(model, valueShape, val, valueName, shape.value)}`,
      );
      if (shape.flattened || ref?.flattened) return entries.map((e) => `<${name}>${e}</${name}>`).join('');
      return `<${name}>${entries.map((e) => `<entry>${e}</entry>`).join('')}</${name}>`;
    }
    case 'timestamp':
      return `<${name}>${timestamp(v, ref?.timestampFormat ?? shape.timestampFormat)}</${name}>`;
    case 'blob':
      return `<${name}>${v instanceof Uint8Array ? Buffer.from(v).toString('base64') : xmlText(String(v))}</${name}>`;
    default:
      return `<${name}>${xmlText(String(v))}</${name}>`;
  }
}

function writeMembers(model: ServiceModel, shape: QueryShape, obj: Record<string, unknown>): string {
  let out = '';
  for (const [member, mref] of Object.entries(shape.members ?? {}) as [string, QueryRef][])
    out += writeValue(model, shapeOf(model, mref), obj[member], mref.locationName ?? member, mref);
  return out;
}

const xmlHeaders = (requestId: string) => ({ 'content-type': 'text/xml', 'x-amzn-requestid': requestId });

/** An operation's answer: `<OpResponse><OpResult>…</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>`. */
export function queryResult(model: ServiceModel, operation: string, value: unknown): WireResponse {
  const op = model.operations[operation]!;
  const output = op.output as (MemberRef & { resultWrapper?: string }) | undefined;
  const requestId = randomUUID();
  let result = '';
  if (output) {
    const members = writeMembers(model, model.shapes[output.shape]!, (value ?? {}) as Record<string, unknown>);
    const wrapper = output.resultWrapper ?? `${operation}Result`;
    result = `<${wrapper}>${members}</${wrapper}>`;
  }
  const ns = metadataOf(model).xmlNamespace;
  const body =
    `<${operation}Response${ns ? ` xmlns="${ns}"` : ''}>${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>\n`;
  return { status: 200, headers: xmlHeaders(requestId), body };
}

/** The protocol's error document. */
export function queryError(
  model: ServiceModel | undefined,
  status: number,
  code: string,
  message: string,
  fault: 'Sender' | 'Receiver' = 'Sender',
): WireResponse {
  const requestId = randomUUID();
  const ns = model ? metadataOf(model).xmlNamespace : undefined;
  const body =
    `<ErrorResponse${ns ? ` xmlns="${ns}"` : ''}><Error><Type>${fault}</Type><Code>${xmlText(code)}</Code>` +
    `<Message>${xmlText(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`;
  return { status, headers: xmlHeaders(requestId), body };
}

/** A service error in the protocol: the model's code and status for a modelled error shape, else its own. */
function serviceErrorResponse(model: ServiceModel, type: string, message: string, httpStatus: number): WireResponse {
  const shape = model.shapes[type] as QueryShape | undefined;
  if (shape?.error)
    return queryError(
      model,
      shape.error.httpStatusCode ?? httpStatus,
      shape.error.code ?? type,
      message,
      shape.error.senderFault ? 'Sender' : 'Receiver',
    );
  return queryError(model, httpStatus, type, message, httpStatus >= 500 ? 'Receiver' : 'Sender');
}

// ---- operations ---------------------------------------------------------------------------------

export interface QueryOutcome {
  response: WireResponse;
  /** Set when the request named an operation the emulator does not answer: the action asked for. */
  unknownAction?: string;
}

export function invokeQuery(service: QueryService, values: Map<string, string>, ctx: CallContext): QueryOutcome {
  const { model } = service;
  const action = values.get('Action');
  if (!action)
    return { response: queryError(model, 400, 'MissingAction', 'The request must contain the parameter Action.') };
  const apiVersion = metadataOf(model).apiVersion;
  const version = values.get('Version') ?? apiVersion;
  const op = model.operations[action];
  const handler = service.handlers[action];
  if (!op || !handler || version !== apiVersion) {
    // AWS's wording, then which of the cases this is.
    const why =
      version !== apiVersion
        ? `${service.title} speaks version ${apiVersion}`
        : op
          ? `${service.title} ${action} is not implemented by the emulator`
          : `not an ${service.title} operation`;
    return {
      response: queryError(
        model,
        400,
        'InvalidAction',
        `Could not find operation ${action} for version ${version} (${why})`,
      ),
      unknownAction: action,
    };
  }
  try {
    const { value, violations } = parseInput(model, op.input?.shape, readQueryInput(model, op.input?.shape, values));
    if (violations.length > 0)
      return { response: queryError(model, 400, service.validationError, violationMessage(violations)) };
    return { response: queryResult(model, action, handler(ctx, value)) };
  } catch (e) {
    if (e instanceof SerializationError)
      return { response: queryError(model, 400, service.validationError, e.message) };
    if (isServiceError(e)) return { response: serviceErrorResponse(model, e.type, e.message, e.httpStatus) };
    throw e;
  }
}

/**
 * The Query codes (and, where they differ, the HTTP statuses) AWS gives the authentication failures the
 * emulator's shared SigV4 code reports with JSON error types.
 */
const AUTH_CODES: Record<string, { code: string; message?: string; status?: number }> = {
  UnrecognizedClientException: { code: 'InvalidClientTokenId' },
  MissingAuthenticationTokenException: {
    code: 'MissingAuthenticationToken',
    message: 'Request is missing Authentication Token',
  },
  IncompleteSignatureException: { code: 'IncompleteSignature' },
  InvalidSignatureException: { code: 'SignatureDoesNotMatch' },
  ExpiredTokenException: { code: 'ExpiredToken', status: 403 },
};

/** An authentication failure (answered by the emulator's shared SigV4 code as JSON) in this protocol. */
export function queryAuthError(service: QueryService, json: WireResponse): WireResponse {
  const type = json.headers['x-amzn-errortype'] ?? 'AccessDenied';
  let message = '';
  try {
    message = (JSON.parse(String(json.body)) as { message?: string }).message ?? '';
  } catch {
    // keep the empty message
  }
  const known = AUTH_CODES[type];
  return queryError(service.model, known?.status ?? json.status, known?.code ?? type, known?.message ?? message);
}
