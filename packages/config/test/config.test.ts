import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.ts';

const qrKey = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();
const production = {
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(40),
  QR_SIGNING_KEY: qrKey,
  STRIPE_SECRET_KEY: 'sk_live_123',
  STRIPE_WEBHOOK_SECRET: 'whsec_123',
};

const directories: string[] = [];
function tempDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'spot-config-'));
  directories.push(directory);
  return directory;
}
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function failure(source: Record<string, string | undefined>, dataDir = tempDir()): string {
  try {
    loadConfig(source, dataDir);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('environment validation', () => {
  it('accepts a complete production environment and applies defaults', () => {
    const env = loadConfig(production, tempDir());
    expect(env.WEB_URL).toBe('http://localhost:3000');
    expect(env.MONGO_PORT).toBe(27017);
    expect(env.MONGODB_URI).toBeUndefined();
  });

  it('names every missing or malformed variable in one message, without echoing values', () => {
    const message = failure({
      ...production,
      JWT_SECRET: 'short-secret',
      WEB_URL: 'not a url',
      WEB_PORT: '99999',
    });
    expect(message).toContain('JWT_SECRET must be at least 32 characters');
    expect(message).toContain('WEB_URL');
    expect(message).toContain('WEB_PORT');
    expect(message).not.toContain('short-secret');
  });

  it('refuses production without secrets or payment keys (no dev fallbacks there)', () => {
    const message = failure({ NODE_ENV: 'production' });
    expect(message).toContain('JWT_SECRET is required');
    expect(message).toContain('QR_SIGNING_KEY is required');
    expect(message).toContain('STRIPE_SECRET_KEY is required in production');
  });

  it('lets the realtime server run without the secrets it never uses (ticket key, Stripe keys)', () => {
    const sessionsOnly = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) };
    expect(loadConfig(sessionsOnly, tempDir(), 'realtime').JWT_SECRET).toBe('x'.repeat(40));
    const message = failure(sessionsOnly);
    expect(message).toContain('QR_SIGNING_KEY is required');
    expect(message).toContain('STRIPE_SECRET_KEY is required in production');
    expect(() => loadConfig({ NODE_ENV: 'production' }, tempDir(), 'realtime')).toThrow(
      'JWT_SECRET is required',
    );
  });

  it('rejects a QR signing key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    expect(failure({ ...production, QR_SIGNING_KEY: rsa })).toContain(
      'QR_SIGNING_KEY must be an Ed25519 private key',
    );
  });

  it('accepts the QR key as a JWK and as a PEM with escaped newlines', () => {
    const key = generateKeyPairSync('ed25519').privateKey;
    const jwk = JSON.stringify(key.export({ format: 'jwk' }));
    const escaped = key.export({ format: 'pem', type: 'pkcs8' }).toString().replaceAll('\n', '\\n');
    expect(loadConfig({ ...production, QR_SIGNING_KEY: jwk }, tempDir()).QR_SIGNING_KEY).toBe(jwk);
    expect(loadConfig({ ...production, QR_SIGNING_KEY: escaped }, tempDir()).QR_SIGNING_KEY).toBe(
      escaped,
    );
  });

  it('requires both Stripe keys once one is set', () => {
    const { STRIPE_WEBHOOK_SECRET: _omitted, ...withoutWebhook } = production;
    expect(failure(withoutWebhook)).toContain(
      'STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set',
    );
  });

  it('rejects a MongoDB URI that is not a connection string', () => {
    expect(failure({ ...production, MONGODB_URI: 'http://localhost' })).toContain('MONGODB_URI');
  });
});

describe('development secrets', () => {
  it('are generated once, kept private under the data directory and reused on the next start', () => {
    const dataDir = tempDir();
    const first = loadConfig({ NODE_ENV: 'development' }, dataDir);
    const second = loadConfig({ NODE_ENV: 'development' }, dataDir);
    expect(first.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(second.JWT_SECRET).toBe(first.JWT_SECRET);
    expect(second.QR_SIGNING_KEY).toBe(first.QR_SIGNING_KEY);
    const file = join(dataDir, 'secrets.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).JWT_SECRET).toBe(first.JWT_SECRET);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never replace a value set in the environment, and treat empty values as unset', () => {
    const dataDir = tempDir();
    const explicit = 'e'.repeat(40);
    expect(loadConfig({ NODE_ENV: 'development', JWT_SECRET: explicit }, dataDir).JWT_SECRET).toBe(
      explicit,
    );
    expect(loadConfig({ NODE_ENV: 'development', JWT_SECRET: '' }, dataDir).JWT_SECRET).not.toBe(
      '',
    );
  });
});
