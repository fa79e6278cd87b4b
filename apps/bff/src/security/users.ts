/**
 * Production users, read from a JSON file at start:
 *   [{ "username": "alice", "role": "operator", "passwordHash": "scrypt$16384$8$1$<salt>$<key>" }]
 * Make entries with `hashPassword` / `upsertUser` (or the users-cli script); plain passwords never go in the file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Role } from '@mfc/contracts';
import { z } from 'zod';
import { hashPassword, isPasswordHash, verifyPassword } from './passwords.js';
import type { SessionUser } from './sessions.js';

export const UserRecord = z.object({
  username: z.string().min(1).max(128),
  role: Role,
  passwordHash: z.string().refine(isPasswordHash, 'passwordHash must be scrypt$N$r$p$salt$key (see hashPassword)'),
});
export type UserRecord = z.infer<typeof UserRecord>;

export const UsersFile = z.array(UserRecord).superRefine((users, ctx) => {
  const seen = new Set<string>();
  for (const [i, u] of users.entries()) {
    if (seen.has(u.username))
      ctx.addIssue({ code: 'custom', path: [i, 'username'], message: `duplicate username ${u.username}` });
    seen.add(u.username);
  }
});

export function readUsersFile(path: string): UserRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the users file ${path}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = UsersFile.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `the users file ${path} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** Writes the file atomically (temp file + rename), readable by its owner only. */
export function writeUsersFile(path: string, users: UserRecord[]): void {
  const valid = UsersFile.parse(users);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Adds a user or replaces their role and password, creating the file when missing. */
export async function upsertUser(path: string, username: string, role: Role, password: string): Promise<void> {
  let users: UserRecord[] = [];
  try {
    users = readUsersFile(path);
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code !== 'ENOENT') throw err;
  }
  const record = { username, role, passwordHash: await hashPassword(password) };
  const i = users.findIndex((u) => u.username === username);
  if (i >= 0) users[i] = record;
  else users.push(record);
  writeUsersFile(path, users);
}

export class UserDirectory {
  private readonly users: Map<string, UserRecord>;
  private dummyHash: Promise<string> | undefined;

  constructor(records: UserRecord[]) {
    this.users = new Map(records.map((u) => [u.username, u]));
  }

  static fromFile(path: string): UserDirectory {
    return new UserDirectory(readUsersFile(path));
  }

  get size(): number {
    return this.users.size;
  }

  /** The user when the password matches, else undefined. */
  async verify(username: string, password: string): Promise<SessionUser | undefined> {
    const user = this.users.get(username);
    if (!user) {
      // Spend the same scrypt time as for a real user, so response time does not reveal which names exist.
      this.dummyHash ??= hashPassword('not a password');
      await verifyPassword(password, await this.dummyHash);
      return undefined;
    }
    return (await verifyPassword(password, user.passwordHash)) ? { name: user.username, role: user.role } : undefined;
  }
}
