import { getConfig } from '@spot/config';

/**
 * The address our own proxies saw: each appends the address that connected to it, so the entry
 * TRUSTED_PROXY_HOPS from the end is the client's, and anything before it could be forged.
 */
export function clientAddress(forwardedFor: string | null): string {
  const hops = (forwardedFor ?? '').split(',').map((hop) => hop.trim());
  const position = Math.max(0, hops.length - getConfig().TRUSTED_PROXY_HOPS);
  return hops[position] || 'unknown';
}
