/** The Update form's model: what the operator edited, turned into an UpdateRequest with only the changes. */
import type { ApplicationView, UpdateRequest } from '@mfc/contracts';

export interface PropertyGroupDraft {
  groupId: string;
  /** "key=value", one per line. */
  text: string;
}

export interface UpdateForm {
  /** "bucket/key" of the code package; '' keeps the current one. */
  code: string;
  parallelism: number;
  parallelismPerKpu: number;
  autoScaling: boolean;
  checkpointType: 'DEFAULT' | 'CUSTOM';
  checkpointingEnabled: boolean;
  intervalMs: number;
  minPauseMs: number;
  properties: PropertyGroupDraft[];
  snapshotsEnabled: boolean;
  systemRollbackEnabled: boolean;
  allowNonRestoredState: boolean;
}

export function currentCode(app: ApplicationView): string {
  const bucket = app.code?.bucketArn?.replace(/^arn:aws:s3:::/, '');
  return bucket && app.code?.fileKey ? `${bucket}/${app.code.fileKey}` : '';
}

/** A property group as the form edits it: "key=value", one per line. */
const propertyText = (properties: Record<string, string>) =>
  Object.entries(properties)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');

export function formFromApp(app: ApplicationView): UpdateForm {
  return {
    code: currentCode(app),
    parallelism: app.parallelism.parallelism,
    parallelismPerKpu: app.parallelism.parallelismPerKpu,
    autoScaling: app.parallelism.autoScaling,
    checkpointType: app.checkpointing.configurationType === 'CUSTOM' ? 'CUSTOM' : 'DEFAULT',
    checkpointingEnabled: app.checkpointing.enabled,
    intervalMs: app.checkpointing.intervalMs,
    minPauseMs: app.checkpointing.minPauseMs,
    properties: app.properties.map((g) => ({ groupId: g.groupId, text: propertyText(g.properties) })),
    snapshotsEnabled: app.snapshotsEnabled,
    systemRollbackEnabled: app.systemRollbackEnabled,
    allowNonRestoredState: false,
  };
}

/**
 * The form with a proposed update written into it (the advisor's change): the operator sees it in the same
 * form, changes it if they like, and buildUpdate sends exactly the proposal when they do not.
 */
export function formWithUpdate(form: UpdateForm, u: UpdateRequest): UpdateForm {
  const next = { ...form };
  if (u.code) next.code = `${u.code.bucket}/${u.code.key}`;
  if (u.parallelism) {
    next.parallelism = u.parallelism.parallelism;
    next.parallelismPerKpu = u.parallelism.parallelismPerKpu;
    next.autoScaling = u.parallelism.autoScaling;
  }
  if (u.checkpointing) {
    next.checkpointType = u.checkpointing.configurationType;
    if (u.checkpointing.configurationType === 'CUSTOM') {
      next.checkpointingEnabled = u.checkpointing.enabled;
      next.intervalMs = u.checkpointing.intervalMs;
      next.minPauseMs = u.checkpointing.minPauseMs;
    }
  }
  if (u.properties)
    next.properties = u.properties.map((g) => ({ groupId: g.groupId, text: propertyText(g.properties) }));
  if (u.snapshotsEnabled !== undefined) next.snapshotsEnabled = u.snapshotsEnabled;
  if (u.systemRollbackEnabled !== undefined) next.systemRollbackEnabled = u.systemRollbackEnabled;
  if (u.allowNonRestoredState !== undefined) next.allowNonRestoredState = u.allowNonRestoredState;
  return next;
}

/** "a=1\nb = two" → {a: '1', b: 'two'}; blank lines and lines without "=" are reported. */
export function parseProperties(text: string): { properties: Record<string, string>; errors: string[] } {
  const properties: Record<string, string> = {};
  const errors: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) return errors.push(`Line ${i + 1}: write key=value.`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (value === '') return errors.push(`Line ${i + 1}: ${key} has no value.`);
    properties[key] = value;
  });
  return { properties, errors };
}

export function splitCode(code: string): { bucket: string; key: string } | undefined {
  const slash = code.indexOf('/');
  if (slash <= 0 || slash === code.length - 1) return undefined;
  return { bucket: code.slice(0, slash), key: code.slice(slash + 1) };
}

const sameRecord = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** Only what differs from the application as it is; `undefined` when nothing changed. */
export function buildUpdate(
  app: ApplicationView,
  form: UpdateForm,
): { request?: UpdateRequest; errors: string[]; changes: string[] } {
  const errors: string[] = [];
  const changes: string[] = [];
  const req: UpdateRequest = { expectedVersionId: app.versionId };

  if (form.code !== currentCode(app) && form.code !== '') {
    const code = splitCode(form.code);
    if (!code) errors.push('Choose a code package.');
    else {
      req.code = code;
      changes.push(`code → ${code.key}`);
    }
  }
  const p = app.parallelism;
  if (
    form.parallelism !== p.parallelism ||
    form.parallelismPerKpu !== p.parallelismPerKpu ||
    form.autoScaling !== p.autoScaling
  ) {
    if (!Number.isInteger(form.parallelism) || form.parallelism < 1 || form.parallelism > 4096)
      errors.push('Parallelism is a whole number from 1 to 4,096.');
    if (!Number.isInteger(form.parallelismPerKpu) || form.parallelismPerKpu < 1 || form.parallelismPerKpu > 8)
      errors.push('Parallelism per KPU is a whole number from 1 to 8.');
    req.parallelism = {
      parallelism: form.parallelism,
      parallelismPerKpu: form.parallelismPerKpu,
      autoScaling: form.autoScaling,
    };
    changes.push(
      `parallelism ${p.parallelism} → ${form.parallelism} (${form.parallelismPerKpu}/KPU${form.autoScaling ? ', autoscaling' : ''})`,
    );
  }
  const c = app.checkpointing;
  const ckptChanged =
    form.checkpointType !== (c.configurationType === 'CUSTOM' ? 'CUSTOM' : 'DEFAULT') ||
    (form.checkpointType === 'CUSTOM' &&
      (form.checkpointingEnabled !== c.enabled ||
        form.intervalMs !== c.intervalMs ||
        form.minPauseMs !== c.minPauseMs));
  if (ckptChanged) {
    if (form.checkpointType === 'DEFAULT') req.checkpointing = { configurationType: 'DEFAULT' };
    else {
      if (!Number.isInteger(form.intervalMs) || form.intervalMs < 1)
        errors.push('The checkpoint interval is at least 1 ms.');
      if (!Number.isInteger(form.minPauseMs) || form.minPauseMs < 0) errors.push('The minimum pause is 0 ms or more.');
      req.checkpointing = {
        configurationType: 'CUSTOM',
        enabled: form.checkpointingEnabled,
        intervalMs: form.intervalMs,
        minPauseMs: form.minPauseMs,
      };
    }
    changes.push('checkpointing');
  }
  const groups: { groupId: string; properties: Record<string, string> }[] = [];
  for (const g of form.properties) {
    const parsed = parseProperties(g.text);
    errors.push(...parsed.errors.map((e) => `${g.groupId || 'A group'}: ${e}`));
    if (!/^[a-zA-Z0-9_.-]{1,50}$/.test(g.groupId))
      errors.push(`"${g.groupId}" is not a valid group id (1–50 of a-z, 0-9, _ . -).`);
    groups.push({ groupId: g.groupId, properties: parsed.properties });
  }
  const propsChanged =
    groups.length !== app.properties.length ||
    groups.some(
      (g, i) => g.groupId !== app.properties[i]?.groupId || !sameRecord(g.properties, app.properties[i]!.properties),
    );
  if (propsChanged) {
    req.properties = groups;
    changes.push('runtime properties');
  }
  if (form.snapshotsEnabled !== app.snapshotsEnabled) {
    req.snapshotsEnabled = form.snapshotsEnabled;
    changes.push(`snapshots ${form.snapshotsEnabled ? 'on' : 'off'}`);
  }
  if (form.systemRollbackEnabled !== app.systemRollbackEnabled) {
    req.systemRollbackEnabled = form.systemRollbackEnabled;
    changes.push(`system rollback ${form.systemRollbackEnabled ? 'on' : 'off'}`);
  }
  if (form.allowNonRestoredState) req.allowNonRestoredState = true;
  if (changes.length === 0) return { errors, changes };
  return { request: req, errors, changes };
}

/** JSON with object keys sorted, so two requests built in different orders compare equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Whether two update requests change the same things to the same values (the version aside). */
export function sameUpdate(a: UpdateRequest | undefined, b: UpdateRequest | undefined): boolean {
  if (!a || !b) return a === b;
  return canonical({ ...a, expectedVersionId: 0 }) === canonical({ ...b, expectedVersionId: 0 });
}
