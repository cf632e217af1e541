/**
 * For other packages' tests and benchmarks (never imported by app code): issue ticket payloads
 * the way the server does, close this process's Redis client between suites, and make the door's
 * Redis calls as the API makes them (the check-in benchmark's floor): the rate limiter's and the
 * counter's scripts, run by their hash.
 */
export { type CountingCommands, INCREMENT_EXISTING_AND_PUBLISH } from './analytics/counters.ts';
export { CONSUME_WINDOW, type RateLimitCommands } from './lib/rate-limit.ts';
export { closeRedis, withScripts } from './lib/redis.ts';
export { signTicketPayload } from './tickets/qr.ts';
