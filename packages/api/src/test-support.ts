/**
 * For other packages' tests and benchmarks (never imported by app code): issue ticket payloads
 * the way the server does, and close this process's Redis client between suites.
 */
export { closeRedis } from './lib/redis.ts';
export { signTicketPayload } from './tickets/qr.ts';
