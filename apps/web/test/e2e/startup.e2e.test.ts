/**
 * The production server (the build global-setup.ts made) refuses a bad environment at start-up
 * instead of listening and failing every request, starts its housekeeping, and once running
 * tells load balancers so.
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

  it('heals at start-up a ticket that a dying scan left used without its check-in', async () => {
    const { connectDatabase, disconnectDatabase, Ticket } = await import('@spot/db');
    await connectDatabase(inject('databaseUri'));
    try {
      // The housekeeping runs once the server listens; give it a few seconds at most.
      const deadline = Date.now() + 10_000;
      let status: string | undefined;
      do {
        status = (await Ticket.findById(inject('halfWrittenTicketId')).lean())?.status;
        if (status === 'valid') break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      } while (Date.now() < deadline);
      expect(status).toBe('valid');
    } finally {
      await disconnectDatabase();
    }
  });

  it('answers the health check while it can serve', async () => {
    const response = await fetch(`${inject('webUrl')}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: 'up' });
  });
});
