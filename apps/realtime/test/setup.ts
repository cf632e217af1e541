import { generateKeyPairSync } from 'node:crypto';

// Tests get their own secrets instead of generating dev secrets into the workspace's .data/.
process.env.JWT_SECRET ??= 'test-jwt-secret-that-is-long-enough-0123456789';
process.env.QR_SIGNING_KEY ??= generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();
