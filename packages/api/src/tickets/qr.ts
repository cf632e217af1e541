import { createPrivateKey, createPublicKey, KeyObject, verify } from 'node:crypto';
import { getConfig } from '@spot/config';
import { CompactSign, calculateJwkThumbprint, type JWK } from 'jose';

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

const fromBase64url = (part: string) => Buffer.from(part, 'base64url');

/**
 * The claims of a payload signed by our key, or null for anything else (bad signature, another
 * key or algorithm, tampered or malformed payload, unknown version).
 *
 * Checked with node:crypto's one-shot verify rather than jose's compactVerify, which goes through
 * WebCrypto: its job hops to the thread pool, and on the door's hot path (every scan) the hop
 * cost more than the check (`pnpm bench:checkin`, six A/B pairs: ratio 0.52 against 0.555).
 */
export async function verifyTicketPayload(
  payload: string,
  publicKey?: KeyObject | JWK,
): Promise<QrClaims | null> {
  try {
    const key =
      publicKey === undefined
        ? (await signingKeys()).publicKey
        : publicKey instanceof KeyObject
          ? publicKey
          : createPublicKey({ key: publicKey, format: 'jwk' });
    const parts = payload.split('.');
    if (parts.length !== 3) return null;
    const [header, body, signature] = parts as [string, string, string];
    const protectedHeader = JSON.parse(fromBase64url(header).toString()) as Record<string, unknown>;
    // The algorithm is pinned: a header naming another one (`none`, or HS256 keyed with the
    // public key) fails here, as does one with extensions we would have to understand.
    if (protectedHeader.alg !== ALGORITHM || 'crit' in protectedHeader) return null;
    if (!verify(null, Buffer.from(`${header}.${body}`), key, fromBase64url(signature))) return null;
    const claims = JSON.parse(fromBase64url(body).toString()) as Partial<QrClaims>;
    if (claims.v !== QR_VERSION || typeof claims.t !== 'string' || typeof claims.e !== 'string')
      return null;
    return { t: claims.t, e: claims.e, v: claims.v };
  } catch {
    return null;
  }
}
