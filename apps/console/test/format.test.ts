import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatBytes,
  formatCompact,
  formatDuration,
  formatDurationShort,
  formatRuntime,
  humanizeEnum,
  humanizeOperation,
  plural,
  shortKey,
} from '../src/format/format';

describe('formatDuration', () => {
  it('picks the unit an operator reads fastest', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(95_000)).toBe('1 min 35 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(26 * 3_600_000)).toBe('1 d 2 h');
  });
  it('shows a dash for missing values and clamps negatives', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(-5)).toBe('0 ms');
  });
});

describe('formatAge', () => {
  const now = 1_800_000_000_000;
  it('says how long ago, in whole units', () => {
    expect(formatAge(now - 2_000, now)).toBe('just now');
    expect(formatAge(now - 42_000, now)).toBe('42 s ago');
    expect(formatAge(now - 5 * 60_000 - 10_000, now)).toBe('5 min ago');
    expect(formatAge(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatAge(now - 2 * 86_400_000, now)).toBe('2 d ago');
  });
  it('handles times in the future (a virtual clock that ran behind)', () => {
    expect(formatAge(now + 5 * 60_000, now)).toBe('in 5 min');
  });
});

describe('numbers', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(159_279_310)).toBe('152 MiB');
    expect(formatBytes(undefined)).toBe('—');
  });
  it('formats rates compactly', () => {
    expect(formatCompact(4132.78)).toBe('4.1k');
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(0)).toBe('0');
    expect(formatCompact(0.25)).toBe('0.25');
    expect(formatCompact(2_500_000)).toBe('2.5M');
  });
  it('pluralises with thousands separators', () => {
    expect(plural(1, 'restart')).toBe('1 restart');
    expect(plural(24, 'restart')).toBe('24 restarts');
    expect(plural(1000, 'snapshot')).toBe('1,000 snapshots');
    expect(plural(1234567, 'record')).toBe('1,234,567 records');
    expect(plural(-4500, 'change')).toBe('-4,500 changes');
    expect(plural(999, 'record')).toBe('999 records');
  });
});

describe('names', () => {
  it('turns AWS names into words', () => {
    expect(humanizeOperation('StartApplication')).toBe('Start application');
    expect(humanizeOperation('RollbackApplication')).toBe('Rollback application');
    expect(humanizeEnum('RESTORE_FROM_LATEST_SNAPSHOT')).toBe('Restore from latest snapshot');
    expect(formatRuntime('FLINK-1_20')).toBe('Flink 1.20');
    expect(formatRuntime('SQL-1_0')).toBe('SQL-1_0');
  });
  it('shortens a key ARN to its id', () => {
    expect(shortKey('arn:aws:kms:us-east-1:123456789012:key/62128463-7c21')).toBe('62128463-7c21');
    expect(shortKey('alias/mfc-demo-state')).toBe('alias/mfc-demo-state');
    expect(shortKey(undefined)).toBe('—');
  });
});

describe('formatDurationShort', () => {
  it('fits chart axes', () => {
    expect(formatDurationShort(850)).toBe('850ms');
    expect(formatDurationShort(12_000)).toBe('12s');
    expect(formatDurationShort(450_000)).toBe('7.5m');
    expect(formatDurationShort(7_560_000)).toBe('2.1h');
  });
});
