/**
 * In-memory tables that record which rows changed, so the emulator can commit exactly those rows
 * before it answers a request. Values are plain JSON data.
 */
export interface Change {
  table: string;
  key: string;
  /** The row's JSON value, or undefined when the row was deleted. */
  value: unknown;
}

export class Journal {
  enabled = true;
  private dirty = new Map<string, () => Change>();

  mark(table: string, key: string, read: () => unknown): void {
    this.dirty.set(`${table}\u0000${key}`, () => ({ table, key, value: read() }));
  }

  get pending(): number {
    return this.dirty.size;
  }

  /** Current values of every row changed since the last drain. */
  drain(): Change[] {
    const out = [...this.dirty.values()].map((read) => read());
    this.dirty.clear();
    return out;
  }
}

export class Table<T> {
  private rows = new Map<string, T>();

  constructor(
    readonly name: string,
    private journal: Journal,
  ) {}

  get size(): number {
    return this.rows.size;
  }

  get(key: string): T | undefined {
    return this.rows.get(key);
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  set(key: string, value: T): T {
    this.rows.set(key, value);
    this.touch(key);
    return value;
  }

  /** Records an in-place change of a row. */
  touch(key: string): void {
    if (this.journal.enabled) this.journal.mark(this.name, key, () => this.rows.get(key));
  }

  delete(key: string): void {
    if (!this.rows.delete(key)) return;
    this.touch(key);
  }

  values(): IterableIterator<T> {
    return this.rows.values();
  }

  entries(): IterableIterator<[string, T]> {
    return this.rows.entries();
  }

  /** Loads a stored row without marking it changed. */
  load(key: string, value: T): void {
    this.rows.set(key, value);
  }

  clear(): void {
    for (const key of [...this.rows.keys()]) this.delete(key);
  }
}

/** Rows grouped under a parent key (an application's snapshots, versions, operations). */
export class GroupedTable<T> {
  private groups = new Map<string, Map<string, T>>();

  constructor(
    readonly name: string,
    private journal: Journal,
  ) {}

  get(group: string, id: string): T | undefined {
    return this.groups.get(group)?.get(id);
  }

  set(group: string, id: string, value: T): T {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = new Map()));
    g.set(id, value);
    this.touch(group, id);
    return value;
  }

  touch(group: string, id: string): void {
    if (this.journal.enabled) this.journal.mark(this.name, `${group}/${id}`, () => this.groups.get(group)?.get(id));
  }

  delete(group: string, id: string): void {
    const g = this.groups.get(group);
    if (!g?.delete(id)) return;
    this.touch(group, id);
    if (g.size === 0) this.groups.delete(group);
  }

  deleteGroup(group: string): void {
    const g = this.groups.get(group);
    if (!g) return;
    for (const id of [...g.keys()]) this.delete(group, id);
  }

  /** Rows of a group in insertion order. */
  list(group: string): T[] {
    return [...(this.groups.get(group)?.values() ?? [])];
  }

  count(group: string): number {
    return this.groups.get(group)?.size ?? 0;
  }

  groupKeys(): IterableIterator<string> {
    return this.groups.keys();
  }

  /** Every row with its stored key (`group/id`). */
  *entries(): IterableIterator<[string, T]> {
    for (const [group, rows] of this.groups) for (const [id, value] of rows) yield [`${group}/${id}`, value];
  }

  load(key: string, value: T): void {
    const slash = key.indexOf('/');
    const group = key.slice(0, slash);
    const id = key.slice(slash + 1);
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = new Map()));
    g.set(id, value);
  }

  clear(): void {
    for (const group of [...this.groups.keys()]) this.deleteGroup(group);
  }
}
