import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Source = Record<string, string | undefined>;

const GENERATED = ['JWT_SECRET', 'QR_SIGNING_KEY'] as const;

function generate(name: (typeof GENERATED)[number]): string {
  if (name === 'JWT_SECRET') return randomBytes(48).toString('base64url');
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * Outside production, secrets left unset are generated once and kept in `<dataDir>/secrets.json`,
 * so restarts keep sessions and printed QR codes valid. Values set in the environment win.
 */
export function withDevSecrets(source: Source, dataDir: string): Source {
  const missing = GENERATED.filter((name) => !source[name]);
  if (missing.length === 0) return source;
  const file = join(dataDir, 'secrets.json');
  const stored: Source = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const toGenerate = missing.filter((name) => !stored[name]);
  if (toGenerate.length > 0) {
    for (const name of toGenerate) stored[name] = generate(name);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { ...source, ...Object.fromEntries(missing.map((name) => [name, stored[name]])) };
}
