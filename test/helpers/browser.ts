// Headless Chromium from Debian's package, started the way this machine allows: without the
// background-networking flags Chromium keeps dialling Google's hosts, which the closed network
// refuses many at a time.
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
