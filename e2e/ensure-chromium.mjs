// The browser is Debian's Chromium (a test tool cannot download its own here). Installs it when missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.MFC_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() !== 0) {
    console.error(
      `${CHROMIUM} is missing and this is not root: install Debian's chromium (apt-get install -y chromium).`,
    );
    process.exit(1);
  }
  console.log(`Installing Debian's chromium (${CHROMIUM} is missing)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
}
console.log(execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim());
