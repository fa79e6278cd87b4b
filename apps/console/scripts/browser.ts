/** Debian's Chromium through playwright-core, for screenshots and the performance checks. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

export const BASE_URL = process.env.MFC_URL ?? 'http://127.0.0.1:3000';

/** How every tool here starts Chromium: these scripts, the bench and the Playwright journeys. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launch(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Console errors and warnings, page errors and CSP violations: the console must have none. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()} (${page.url()})`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message} (${page.url()})`));
  return problems;
}

/**
 * In the page: scrolls the document top to bottom, 240 px a frame, then lets the last rows render. Its
 * start and end (performance.now), frames, and the longest frame. A string, so that the bench and
 * perf.ts measure exactly the same scroll.
 */
export const SCROLL_TO_BOTTOM = `(async () => {
  const t0 = performance.now();
  let frames = 0, worst = 0, last = t0;
  while (window.scrollY + window.innerHeight < document.documentElement.scrollHeight - 2) {
    window.scrollBy(0, 240);
    await new Promise((r) => requestAnimationFrame(r));
    const t = performance.now();
    worst = Math.max(worst, t - last);
    last = t;
    frames++;
  }
  // Let the last rows render and any work the scroll queued run.
  await new Promise((r) => setTimeout(r, 300));
  return { t0, t1: performance.now(), frames, worst };
})()`;

export interface ScrollResult {
  t0: number;
  t1: number;
  frames: number;
  worst: number;
}
