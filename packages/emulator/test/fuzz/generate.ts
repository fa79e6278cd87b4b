/**
 * Request generation from the service model: values that satisfy a shape, and ways to break them
 * (wrong types, missing required members, out-of-range numbers, bad enums, oversized strings, nulls).
 */
import { Random } from '@mfc/engine';
import type { ServiceModel, Shape } from '../../src/protocol/model.js';

/** Samples for the patterns the model uses, so generated values are often valid. */
const PATTERN_SAMPLES: Record<string, string[]> = {
  '[a-zA-Z0-9_.-]+': ['fuzz-app', 'a', 'fuzz.app_2', 'clickstream-sessionizer'],
  'arn:.*': [
    'arn:aws:iam::123456789012:role/fuzz',
    'arn:aws:s3:::mfc-demo-artifacts',
    'arn:aws:kinesisanalytics:us-east-1:123456789012:application/fuzz-app',
    'arn:aws:logs:us-east-1:123456789012:log-group:/fuzz:log-stream:s',
  ],
  '([01][0-9]|2[0-3]):[0-5][0-9]': ['00:00', '13:45', '23:59'],
  '[a-zA-Z0-9-_+/=]+': ['token', 'AbC123'],
};

export class RequestGenerator {
  readonly random: Random;

  constructor(
    readonly model: ServiceModel,
    seed: string,
  ) {
    this.random = Random.fromSeed(seed);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.random.int(0, items.length - 1)]!;
  }

  private chance(p: number): boolean {
    return this.random.next() < p;
  }

  /** A value meant to satisfy the shape (patterns the generator does not know may still fail). */
  valid(shapeName: string, depth = 0): unknown {
    const shape = this.model.shapes[shapeName]!;
    switch (shape.type) {
      case 'structure': {
        const out: Record<string, unknown> = {};
        for (const [name, ref] of Object.entries(shape.members ?? {})) {
          const required = shape.required?.includes(name);
          if (!required && (depth > 3 || !this.chance(0.35))) continue;
          out[name] = this.valid(ref.shape, depth + 1);
        }
        return out;
      }
      case 'list': {
        const n = Math.max(shape.min ?? 0, this.random.int(0, Math.min(shape.max ?? 3, 3)));
        return Array.from({ length: n }, () => this.valid(shape.member!.shape, depth + 1));
      }
      case 'map': {
        const n = Math.max(shape.min ?? 0, this.random.int(0, 2));
        return Object.fromEntries(
          Array.from({ length: n }, (_, i) => [`k${i}`, this.valid(shape.value!.shape, depth + 1)]),
        );
      }
      case 'string':
        return this.string(shape);
      case 'integer':
      case 'long': {
        const min = shape.min ?? 0;
        const max = shape.max ?? Math.max(min + 100, 100);
        return this.random.int(min, Math.min(max, min + 1000));
      }
      case 'double':
      case 'float':
        return (shape.min ?? 0) + this.random.next() * 10;
      case 'boolean':
        return this.chance(0.5);
      case 'timestamp':
        return 1_767_225_600 + this.random.int(0, 10_000_000);
      case 'blob':
        return Buffer.from(this.random.hex(16)).toString('base64');
    }
  }

  private string(shape: Shape): string {
    if (shape.enum) return this.pick(shape.enum);
    const samples = shape.pattern ? PATTERN_SAMPLES[shape.pattern] : undefined;
    if (samples) return this.pick(samples);
    const min = shape.min ?? 0;
    const max = Math.min(shape.max ?? 24, 24);
    return this.random.chars(Math.max(min, this.random.int(min, max)), 'abcdefghijklmnopqrstuvwxyz0123456789');
  }

  /** The input broken in one of the ways the wire must answer cleanly. */
  invalid(inputShape: string): unknown {
    const value = this.valid(inputShape) as Record<string, unknown>;
    const shape = this.model.shapes[inputShape]!;
    const members = Object.entries(shape.members ?? {});
    if (members.length === 0) return this.pick([[], 'x', 42, null]);
    const [name, ref] = this.pick(members);
    const member = this.model.shapes[ref.shape]!;
    const kind = this.random.int(0, 8);
    switch (kind) {
      case 0: // missing a required member
        for (const r of shape.required ?? []) delete value[r];
        return value;
      case 1: // the wrong JSON type
        value[name] = this.pick([[1, 2], { a: 1 }, 'str', 3.5, true, -1]);
        return value;
      case 2: // out of range
        value[name] =
          member.type === 'integer' || member.type === 'long' ? (member.max ?? 1e9) + 1 + this.random.int(0, 9) : -999;
        return value;
      case 3: // not in the enum
        value[name] = member.enum ? `${member.enum[0]}_NOPE` : 'NOT_AN_ENUM';
        return value;
      case 4: {
        // Oversized: one past the maximum length (strings and lists), or past the maximum value.
        const over = Math.min((member.max ?? 1000) + 1, 300_000);
        value[name] =
          member.type === 'string'
            ? 'x'.repeat(over + this.random.int(0, 100))
            : member.type === 'list'
              ? Array.from({ length: Math.min(over, 5000) }, () => 'x')
              : (member.max ?? 1e6) + 1;
        return value;
      }
      case 5: // null members and unknown members
        value[name] = null;
        value.UnknownMember = { nested: [1, 2, 3] };
        return value;
      case 6: // deep nonsense
        value[name] = JSON.parse(JSON.stringify({ a: [{ b: [{ c: 'd' }] }] }));
        return value;
      case 7: // a huge number
        value[name] = 1e300;
        return value;
      default: // an empty string where a value is required
        value[name] = '';
        return value;
    }
  }

  /** Bodies that are not JSON objects at all. */
  garbage(): string {
    return this.pick([
      '',
      '{',
      'null',
      '[]',
      '"str"',
      '{"a":',
      '\u0000\u0001',
      '{"ApplicationName": "x", }',
      'x'.repeat(2000),
      '{}{}',
    ]);
  }
}
