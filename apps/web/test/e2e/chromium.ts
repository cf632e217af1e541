import { existsSync } from 'node:fs';

/** Debian's Chromium (`apt-get install -y chromium`); never a browser downloaded by Playwright. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser suite cannot run here, or null when it can. */
export function browserUnavailable(): string | null {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `${CHROMIUM_PATH} not found; install it with \`apt-get install -y chromium\` (CI does)`;
}
