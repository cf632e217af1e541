import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';

/**
 * Checks ticket QR payloads on the device, before (or instead of) asking the server. A payload
 * is a compact JWS (EdDSA over Ed25519) of `{t: ticketCode, e: eventId, v: 1}`, signed by the
 * server's private key; the scanner holds the public key (`tickets.qrPublicKey`).
 */

export const QR_VERSION = 1;
const ALGORITHM = 'EdDSA';

export interface TicketClaims {
  /** The ticket's code. */
  t: string;
  /** The event it admits to. */
  e: string;
  v: number;
}

export type LocalCheck =
  /** Signed by the server's key, for this event. */
  | { status: 'valid'; claims: TicketClaims }
  /** Not a Spot ticket: malformed, tampered with, or signed by another key. */
  | { status: 'invalid_signature'; unknownKey: boolean }
  /** A genuine ticket for another event. */
  | { status: 'wrong_event'; claims: TicketClaims };

export interface TicketVerifier {
  /** The key id (`kid`) of the key this verifier holds, when the JWK has one. */
  readonly kid: string | undefined;
  check(payload: string, eventId: string): Promise<LocalCheck>;
}

/** The browser cannot verify Ed25519 (old WebCrypto), or the JWK is not an Ed25519 public key. */
export class VerifierUnavailableError extends Error {
  override name = 'VerifierUnavailableError';
}

function isTicketClaims(value: unknown): value is TicketClaims {
  const claims = value as Partial<TicketClaims> | null;
  return (
    typeof claims === 'object' &&
    claims !== null &&
    claims.v === QR_VERSION &&
    typeof claims.t === 'string' &&
    claims.t.length > 0 &&
    typeof claims.e === 'string' &&
    claims.e.length > 0
  );
}

function headerKid(payload: string): string | undefined {
  try {
    const kid = decodeProtectedHeader(payload).kid;
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

/** A verifier for the server's public key (as `tickets.qrPublicKey` returns it). */
export async function createVerifier(jwk: JWK): Promise<TicketVerifier> {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || 'd' in jwk)
    throw new VerifierUnavailableError('The ticket key is not an Ed25519 public key.');
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, ALGORITHM);
  } catch (error) {
    throw new VerifierUnavailableError(
      `This browser cannot check ticket signatures (${(error as Error).message}).`,
    );
  }
  const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;

  return {
    kid,
    async check(rawPayload, eventId) {
      const payload = rawPayload.trim();
      let claims: unknown;
      try {
        const verified = await compactVerify(payload, key, { algorithms: [ALGORITHM] });
        claims = JSON.parse(new TextDecoder().decode(verified.payload));
      } catch {
        // Signed with a key id we do not hold: a forgery, or the server rotated its key (the
        // caller fetches the key again when it can).
        const otherKid = headerKid(payload);
        return {
          status: 'invalid_signature',
          unknownKey: otherKid !== undefined && kid !== undefined && otherKid !== kid,
        };
      }
      if (!isTicketClaims(claims)) return { status: 'invalid_signature', unknownKey: false };
      const ticket: TicketClaims = { t: claims.t, e: claims.e, v: claims.v };
      return ticket.e === eventId
        ? { status: 'valid', claims: ticket }
        : { status: 'wrong_event', claims: ticket };
    },
  };
}
