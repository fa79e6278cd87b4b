/**
 * Adds or updates a user of the production users file. The password is read from stdin, so it stays out of
 * the shell history and the process list:
 *   printf '%s' 'the password' | node apps/bff/dist/security/users-cli.js <users.json> <username> <viewer|operator|admin>
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Role } from '@mfc/contracts';
import { upsertUser } from './users.js';

export async function main(argv: string[], stdin: AsyncIterable<Buffer | string>): Promise<string> {
  const [file, username, role] = argv;
  const parsedRole = Role.safeParse(role);
  if (!file || !username || !parsedRole.success)
    throw new Error('usage: users-cli <users.json> <username> <viewer|operator|admin>  (password on stdin)');
  let input = '';
  for await (const chunk of stdin) input += chunk.toString();
  const password = input.replace(/\r?\n$/, '');
  if (password.length < 12) throw new Error('the password (stdin) must be at least 12 characters');
  await upsertUser(file, username, parsedRole.data, password);
  return `${username} (${parsedRole.data}) written to ${file}`;
}

function invokedDirectly(): boolean {
  try {
    return (
      process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2), process.stdin).then(
    (message) => console.log(message),
    (err: Error) => {
      console.error(err.message);
      process.exitCode = 1;
    },
  );
}
