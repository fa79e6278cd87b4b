/**
 * Requests parsed and validated against the service model, responses shaped by it. Input: JSON types
 * must match the shapes (else SerializationException); required members, enums, lengths, patterns and
 * ranges are constraints (else the operation's validation error, with AWS's message format). Timestamps
 * become Date and blobs Uint8Array. Output: only modelled members, Date as epoch seconds, blobs base64.
 */
import type { MemberRef, ServiceModel, Shape } from './model.js';

export class SerializationError extends Error {
  readonly type = 'SerializationException';
}

export interface Violation {
  path: string;
  value: unknown;
  constraint: string;
}

const patternCache = new Map<string, RegExp | null>();

/**
 * Model patterns are full-match Java regexes; the few JavaScript cannot compile are not enforced. Unicode
 * property classes (`\p{L}`, CloudWatch Logs' tag keys) need the `u` flag, without which `\p` means `p`.
 */
function compiled(pattern: string): RegExp | null {
  if (!patternCache.has(pattern)) {
    let re: RegExp | null;
    try {
      re = new RegExp(`^(?:${pattern})$`, /\\[pP]\{/.test(pattern) ? 'su' : 's');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return patternCache.get(pattern)!;
}

const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'structure';
  return typeof v;
}

export function parseInput(
  model: ServiceModel,
  shapeName: string | undefined,
  body: unknown,
): { value: Record<string, unknown>; violations: Violation[] } {
  const violations: Violation[] = [];
  if (!shapeName) return { value: {}, violations };
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new SerializationError(`Start of ${typeName(body)} found where a structure was expected.`);
  const value = parseValue(model, model.shapes[shapeName]!, body, '', violations) as Record<string, unknown>;
  return { value, violations };
}

function parseValue(model: ServiceModel, shape: Shape, v: unknown, path: string, out: Violation[]): unknown {
  const where = path || 'request';
  switch (shape.type) {
    case 'structure': {
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new SerializationError(`Expected a structure at '${where}', found ${typeName(v)}.`);
      const obj = v as Record<string, unknown>;
      const result: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const child = obj[name];
        const childPath = path ? `${path}.${camel(name)}` : camel(name);
        if (child === undefined || child === null) {
          if (shape.required?.includes(name))
            out.push({ path: childPath, value: null, constraint: 'Member must not be null' });
          continue;
        }
        result[name] = parseValue(model, resolve(model, ref), child, childPath, out);
      }
      return result;
    }
    case 'list': {
      if (!Array.isArray(v)) throw new SerializationError(`Expected a list at '${where}', found ${typeName(v)}.`);
      checkLength(shape, v.length, v, path, out);
      const member = resolve(model, shape.member!);
      return v.map((item, i) => {
        if (item === null) throw new SerializationError(`Null element in list at '${where}'.`);
        return parseValue(model, member, item, `${path}.${i + 1}.member`, out);
      });
    }
    case 'map': {
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new SerializationError(`Expected a map at '${where}', found ${typeName(v)}.`);
      const entries = Object.entries(v as Record<string, unknown>);
      checkLength(shape, entries.length, v, path, out);
      const keyShape = resolve(model, shape.key!);
      const valueShape = resolve(model, shape.value!);
      const result: Record<string, unknown> = {};
      for (const [k, val] of entries) {
        if (val === null) throw new SerializationError(`Null value in map at '${where}'.`);
        parseValue(model, keyShape, k, `${path}.key`, out);
        result[k] = parseValue(model, valueShape, val, `${path}.${k}`, out);
      }
      return result;
    }
    case 'string': {
      if (typeof v !== 'string') throw new SerializationError(`Expected a string at '${where}', found ${typeName(v)}.`);
      if (shape.enum && !shape.enum.includes(v))
        out.push({ path, value: v, constraint: `Member must satisfy enum value set: [${shape.enum.join(', ')}]` });
      checkLength(shape, [...v].length, v, path, out);
      if (shape.pattern && v.length > 0) {
        const re = compiled(shape.pattern);
        if (re && !re.test(v))
          out.push({ path, value: v, constraint: `Member must satisfy regular expression pattern: ${shape.pattern}` });
      }
      return v;
    }
    case 'integer':
    case 'long': {
      if (typeof v !== 'number' || !Number.isInteger(v))
        throw new SerializationError(`Expected an integer at '${where}', found ${typeName(v)} ${JSON.stringify(v)}.`);
      checkRange(shape, v, path, out);
      return v;
    }
    case 'double':
    case 'float': {
      if (typeof v !== 'number') throw new SerializationError(`Expected a number at '${where}', found ${typeName(v)}.`);
      checkRange(shape, v, path, out);
      return v;
    }
    case 'boolean':
      if (typeof v !== 'boolean')
        throw new SerializationError(`Expected a boolean at '${where}', found ${typeName(v)}.`);
      return v;
    case 'timestamp': {
      // The JSON protocols send epoch seconds; RFC 3339 strings are accepted too (as Terraform's SDK sends).
      const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : NaN;
      // A Date holds ±8.64e15 ms; anything beyond is not a time.
      if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15)
        throw new SerializationError(`Expected a timestamp at '${where}', found ${JSON.stringify(v)}.`);
      return new Date(ms);
    }
    case 'blob': {
      if (typeof v !== 'string')
        throw new SerializationError(`Expected a base64 string at '${where}', found ${typeName(v)}.`);
      if (!/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(v) || v.replace(/[\r\n]/g, '').length % 4 !== 0)
        throw new SerializationError(`Invalid base64 at '${where}'.`);
      const bytes = new Uint8Array(Buffer.from(v, 'base64'));
      checkLength(shape, bytes.length, '<blob>', path, out);
      return bytes;
    }
  }
}

function resolve(model: ServiceModel, ref: MemberRef): Shape {
  const shape = model.shapes[ref.shape];
  if (!shape) throw new Error(`model has no shape ${ref.shape}`);
  return shape;
}

function checkLength(shape: Shape, length: number, v: unknown, path: string, out: Violation[]): void {
  if (shape.min !== undefined && length < shape.min)
    out.push({ path, value: v, constraint: `Member must have length greater than or equal to ${shape.min}` });
  if (shape.max !== undefined && length > shape.max)
    out.push({ path, value: v, constraint: `Member must have length less than or equal to ${shape.max}` });
}

function checkRange(shape: Shape, n: number, path: string, out: Violation[]): void {
  if (shape.min !== undefined && n < shape.min)
    out.push({ path, value: n, constraint: `Member must have value greater than or equal to ${shape.min}` });
  if (shape.max !== undefined && n > shape.max)
    out.push({ path, value: n, constraint: `Member must have value less than or equal to ${shape.max}` });
}

/** AWS's wording: "2 validation errors detected: Value 'x' at 'a.b' failed to satisfy constraint: ...". */
export function violationMessage(violations: Violation[]): string {
  const n = violations.length;
  const parts = violations.slice(0, 10).map((v) => {
    const shown =
      v.value === null
        ? 'null'
        : typeof v.value === 'string'
          ? `'${truncate(v.value)}'`
          : `'${truncate(JSON.stringify(v.value))}'`;
    return `Value ${shown} at '${v.path}' failed to satisfy constraint: ${v.constraint}`;
  });
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}

const truncate = (s: string) => (s.length > 100 ? `${s.slice(0, 100)}...` : s);

/** Shapes a response: modelled members only, Date → epoch seconds, Uint8Array → base64. */
export function serializeOutput(model: ServiceModel, shapeName: string | undefined, value: unknown): unknown {
  if (!shapeName) return {};
  return serializeValue(model, model.shapes[shapeName]!, value ?? {});
}

function serializeValue(model: ServiceModel, shape: Shape, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      const obj = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const s = serializeValue(model, resolve(model, ref), obj[name]);
        if (s !== undefined) out[name] = s;
      }
      return out;
    }
    case 'list':
      return (v as unknown[]).map((item) => serializeValue(model, resolve(model, shape.member!), item));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(v as Record<string, unknown>))
        out[k] = serializeValue(model, resolve(model, shape.value!), val);
      return out;
    }
    case 'timestamp':
      return v instanceof Date ? v.getTime() / 1000 : typeof v === 'number' ? v / 1000 : v;
    case 'blob':
      return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
    default:
      return v;
  }
}
