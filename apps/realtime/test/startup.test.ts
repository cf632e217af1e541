import { fileURLToPath } from 'node:url';
import { freePort, runToExit, startTestDatabase } from '@spot/testing';
import { expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

it('refuses to start with a bad environment: exit code 1, every offending variable named, no values', async () => {
  const { code, output } = await runToExit(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      JWT_SECRET: 'too short a secret',
      QR_SIGNING_KEY: 'not a key',
      REDIS_URL: 'http://not-redis',
    },
    timeoutMs: 20_000,
  });
  expect(code).toBe(1);
  expect(output).toContain('JWT_SECRET must be at least 32 characters');
  expect(output).toContain('QR_SIGNING_KEY must be an Ed25519 private key');
  expect(output).toContain('REDIS_URL must be a redis:// or rediss:// URL');
  expect(output).not.toContain('too short a secret');
  // A configuration problem, not a crash: no stack trace.
  expect(output).not.toMatch(/^\s+at /m);
});

it('starts in production with only the secrets it uses: no ticket signing key, no Stripe keys', async () => {
  const database = await startTestDatabase('spot_realtime_startup');
  try {
    const { output } = await runToExit(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        JWT_SECRET: 'a production session secret of 32+ characters',
        MONGODB_URI: database.uri,
        REALTIME_PORT: String(await freePort()),
      },
      timeoutMs: 20_000,
      stopWhen: (output) => output.includes('Socket.io listening'),
    });
    expect(output).toContain('realtime: Socket.io listening');
    expect(output).not.toContain('Invalid environment');
  } finally {
    await database.stop();
  }
});
