#!/usr/bin/env node
// Runs the built CLI; `npm run build` (or `npm start` at the repository root) builds it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('mfc-emulator: not built yet. Run `npm run build` at the repository root first.');
  process.exit(1);
}
await import(cli);
