/**
 * The production server (the build global-setup.ts made) refuses a bad environment at start-up
 * instead of listening and failing every request, and once running tells load balancers so.
 */
import { freePort, runToExit } from '@spot/testing';
import { describe, expect, inject, it } from 'vitest';
import { nextEnv, WEB_DIR, WEB_SERVER_ARGS } from './next-app.ts';

describe.skipIf(inject('webUrl') === '')('the production web server', () => {
  it('stops at once on a bad environment, naming every offending variable and no value', async () => {
    const port = await freePort();
    const { code, output } = await runToExit(process.execPath, WEB_SERVER_ARGS, {
      cwd: WEB_DIR,
      env: nextEnv({
        JWT_SECRET: 'too short a secret',
        QR_SIGNING_KEY: 'not a key',
        WEB_PORT: String(port),
      }),
      timeoutMs: 20_000,
    });
    expect(code).toBe(1);
    expect(output).toContain('JWT_SECRET must be at least 32 characters');
    expect(output).toContain('QR_SIGNING_KEY must be an Ed25519 private key');
    expect(output).not.toContain('too short a secret');
  });

  it('answers the health check while it can serve', async () => {
    const response = await fetch(`${inject('webUrl')}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: 'up' });
  });
});
