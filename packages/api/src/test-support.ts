/**
 * For other packages' tests and benchmarks (never imported by app code): issue ticket payloads
 * the way the server does, close this process's Redis client between suites, and make the rate
 * limiter's Redis call (the check-in benchmark's floor).
 */
export { CONSUME_WINDOW } from './lib/rate-limit.ts';
export { closeRedis } from './lib/redis.ts';
export { signTicketPayload } from './tickets/qr.ts';
