// Headless Chromium from Debian's package, started the way this machine allows: without the
// background-networking flags Chromium keeps dialling Google's hosts, which the closed network
// refuses many at a time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { waitFor } from './wait.js';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** Waits until the dashboard at `base` answers its login page (the pipeline process may still be starting). */
export async function waitForDashboard(base: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      try {
        return (await fetch(`${base}/login`)).ok;
      } catch {
        // not listening yet: the next poll asks again
        return false;
      }
    },
    { timeoutMs, message: 'dashboard up' },
  );
}

/**
 * Where the browser tests put their screenshots: the README's docs/screenshots only when asked
 * (UPDATE_SCREENSHOTS=1), so that a test run leaves the checkout as it found it.
 */
export const SCREENSHOT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.resolve(import.meta.dirname, '../../docs/screenshots')
    : path.join(os.tmpdir(), 'intake-screenshots');

/** A screenshot's path in SCREENSHOT_DIR, which is made on first use. */
export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, name);
}
