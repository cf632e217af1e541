/** What the API accepts as a scan nonce. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * A fresh nonce for one scan attempt: 32 hex digits. It stays with the attempt through every
 * retry (lost answer, offline queue), so the server answers a retried attempt as it did the
 * first time instead of calling it `already_used`.
 */
export function newNonce(): string {
  const crypto = globalThis.crypto;
  // randomUUID exists only in secure contexts; getRandomValues everywhere.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID().replaceAll('-', '');
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
