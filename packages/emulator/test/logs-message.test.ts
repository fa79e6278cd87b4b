/**
 * A log line's message as the service writes it: `logMessage` writes the constant parts of the JSON
 * document once per application version and quotes only the line's text, and must give exactly the bytes
 * JSON.stringify of the whole document gives, whatever the text holds.
 */
import type { AppRecord, RenderedLogLine } from '@mfc/engine';
import { describe, expect, it } from 'vitest';
import { jsonString, logMessage, messageFrame } from '../src/services/logs.js';

const TEXTS = [
  'Source: Kinesis clicks (1/4)#0 (a_b_0_0) switched from CREATED to SCHEDULED.',
  '',
  'say "hi"',
  'back\\slash \\" both',
  'tab\tnew\nline\rreturn\bback\fform',
  'controls \u0000 \u0001 \u001f and del \u007f',
  'ünïcødé, 日本語, emoji 😀',
  'lone surrogates \ud800 and \udfff, reversed \udc00\ud800',
  'separators \u2028 \u2029',
  "</script><!-- & ' `",
];

/** The document as the emulator wrote it before: JSON.stringify of the object, keys in this order. */
function stringified(app: Pick<AppRecord, 'arn' | 'versionId' | 'runningVersion'>, line: RenderedLogLine): string {
  return JSON.stringify({
    locationInformation: `${line.logger}.${line.kind === 'info' ? 'log' : 'transitionState'}`,
    logger: line.logger,
    message: line.message,
    threadName: line.kind === 'subtask' ? 'flink-pekko.actor.default-dispatcher-4' : 'jobmanager-io-thread-1',
    applicationARN: app.arn,
    applicationVersionId: String(app.runningVersion ?? app.versionId),
    messageSchemaVersion: '1',
    messageType: line.level,
  });
}

const LINES: Omit<RenderedLogLine, 'message'>[] = [
  {
    seq: 1,
    timestamp: 0,
    kind: 'subtask',
    level: 'INFO',
    logger: 'org.apache.flink.runtime.executiongraph.ExecutionGraph',
  },
  {
    seq: 2,
    timestamp: 0,
    kind: 'subtask',
    level: 'WARN',
    logger: 'org.apache.flink.runtime.executiongraph.ExecutionGraph',
  },
  {
    seq: 3,
    timestamp: 0,
    kind: 'job',
    level: 'ERROR',
    logger: 'org.apache.flink.runtime.executiongraph.ExecutionGraph',
  },
  {
    seq: 4,
    timestamp: 0,
    kind: 'job',
    level: 'INFO',
    logger: 'org.apache.flink.runtime.executiongraph.ExecutionGraph',
  },
  { seq: 5, timestamp: 0, kind: 'info', level: 'INFO', logger: 'org.apache.flink.runtime.jobmaster.JobMaster' },
  { seq: 6, timestamp: 0, kind: 'info', level: 'INFO', logger: 'a "different" logger \\ ü' },
];

describe('logMessage', () => {
  it('writes the bytes JSON.stringify of the document writes, for every kind, level and text', () => {
    const apps = [
      { arn: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/orders', versionId: 3 },
      { arn: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/orders', versionId: 4, runningVersion: 3 },
      { arn: 'arn:aws:kinesisanalytics:eu-west-1:123456789012:application/"odd"\\ü', versionId: 1 },
    ] as AppRecord[];
    for (const app of apps)
      for (const line of LINES)
        for (const message of TEXTS) {
          const l = { ...line, message };
          const expected = stringified(app, l);
          expect(logMessage(app, l)).toBe(expected);
          // The frame's size is the document's without the quoted text.
          const f = messageFrame(app, l.kind, l.level, l.logger);
          expect(f.bytes + Buffer.byteLength(jsonString(message))).toBe(Buffer.byteLength(expected));
        }
  });

  it('follows the application version it reads each time', () => {
    const app = { arn: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/v', versionId: 1 } as AppRecord;
    const line = { ...LINES[0]!, message: 'x' };
    expect(logMessage(app, line)).toContain('"applicationVersionId":"1"');
    app.versionId = 2;
    expect(logMessage(app, line)).toBe(stringified(app, line));
    expect(logMessage(app, line)).toContain('"applicationVersionId":"2"');
    app.runningVersion = 1;
    expect(logMessage(app, line)).toContain('"applicationVersionId":"1"');
  });

  it('jsonString is JSON.stringify of a string', () => {
    for (const text of TEXTS) expect(jsonString(text)).toBe(JSON.stringify(text));
  });
});
