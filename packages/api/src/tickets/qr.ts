import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { getConfig } from '@spot/config';
import { CompactSign, calculateJwkThumbprint, compactVerify, type JWK } from 'jose';

/**
 * Ticket QR payloads: a compact JWS (EdDSA over Ed25519) of `{t: ticketCode, e: eventId, v: 1}`.
 * The private key (QR_SIGNING_KEY) stays on the server; the scanner gets the public JWK from
 * `tickets.qrPublicKey` and rejects forgeries offline.
 */
export const QR_VERSION = 1;
const ALGORITHM = 'EdDSA';

export interface QrClaims {
  t: string;
  e: string;
  v: number;
}

let keys: { privateKey: KeyObject; publicKey: KeyObject; jwk: JWK } | undefined;
let keysFrom: string | undefined;

async function signingKeys() {
  const source = getConfig().QR_SIGNING_KEY;
  // Only the web app's environment holds the key (and must: see @spot/config).
  if (!source) throw new Error('QR_SIGNING_KEY is not set');
  if (!keys || keysFrom !== source) {
    const privateKey = source.trim().startsWith('{')
      ? createPrivateKey({ key: JSON.parse(source), format: 'jwk' })
      : createPrivateKey(source.replaceAll('\\n', '\n'));
    const publicKey = createPublicKey(privateKey);
    const exported = publicKey.export({ format: 'jwk' }) as JWK;
    const jwk: JWK = { kty: exported.kty, crv: exported.crv, x: exported.x };
    jwk.kid = await calculateJwkThumbprint(jwk);
    jwk.alg = ALGORITHM;
    jwk.use = 'sig';
    keys = { privateKey, publicKey, jwk };
    keysFrom = source;
  }
  return keys;
}

export async function signTicketPayload(ticketCode: string, eventId: string): Promise<string> {
  const { privateKey, jwk } = await signingKeys();
  const claims: QrClaims = { t: ticketCode, e: eventId, v: QR_VERSION };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: ALGORITHM, kid: jwk.kid })
    .sign(privateKey);
}

/** The public key as a JWK, for the scanner. */
export async function qrPublicJwk(): Promise<JWK> {
  return { ...(await signingKeys()).jwk };
}

/**
 * The claims of a payload signed by our key, or null for anything else (bad signature, another
 * key, tampered or malformed payload, unknown version).
 */
export async function verifyTicketPayload(
  payload: string,
  publicKey?: KeyObject | JWK,
): Promise<QrClaims | null> {
  try {
    const key = publicKey ?? (await signingKeys()).publicKey;
    const { payload: bytes } = await compactVerify(payload, key as KeyObject, {
      algorithms: [ALGORITHM],
    });
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Partial<QrClaims>;
    if (claims.v !== QR_VERSION || typeof claims.t !== 'string' || typeof claims.e !== 'string')
      return null;
    return { t: claims.t, e: claims.e, v: claims.v };
  } catch {
    return null;
  }
}
