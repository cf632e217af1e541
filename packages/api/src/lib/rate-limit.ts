import { TRPCError } from '@trpc/server';
import { readyRedis, withScripts } from './redis.ts';

export interface RateLimitRule {
  name: string;
  limit: number;
  windowSeconds: number;
}

interface Window {
  count: number;
  resetsAt: number;
}

/** Used while Redis is unset or down: per process, so limits are per instance there. */
const localWindows = new Map<string, Window>();

function consumeLocally(key: string, rule: RateLimitRule, now: number): Window {
  const current = localWindows.get(key);
  if (current && current.resetsAt > now) {
    current.count += 1;
    return current;
  }
  if (localWindows.size > 50_000) {
    for (const [staleKey, window] of localWindows)
      if (window.resetsAt <= now) localWindows.delete(staleKey);
  }
  const fresh = { count: 1, resetsAt: now + rule.windowSeconds * 1000 };
  localWindows.set(key, fresh);
  return fresh;
}

/**
 * One more use of the window, started with the rule's length by its first use: answers the uses
 * so far and the window's remaining milliseconds, in one atomic call.
 */
export const CONSUME_WINDOW = `
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1], 'NX')
return {count, redis.call('PTTL', KEYS[1])}`;

export interface RateLimitCommands {
  consumeWindow(key: string, windowSeconds: number): Promise<[number, number]>;
}

const RATE_LIMIT_SCRIPTS = { consumeWindow: CONSUME_WINDOW };

async function consumeInRedis(
  key: string,
  rule: RateLimitRule,
  now: number,
): Promise<Window | undefined> {
  const redis = await readyRedis();
  if (!redis) return undefined;
  try {
    const limiter = withScripts<RateLimitCommands>(redis, RATE_LIMIT_SCRIPTS);
    const [count, ttl] = await limiter.consumeWindow(key, rule.windowSeconds);
    return { count, resetsAt: now + Math.max(ttl, 0) };
  } catch {
    return undefined;
  }
}

/** Fixed-window limit per (rule, subject); throws TOO_MANY_REQUESTS once the window is used up. */
export async function enforceRateLimit(rule: RateLimitRule, subject: string): Promise<void> {
  const key = `ratelimit:${rule.name}:${subject}`;
  const now = Date.now();
  const window = (await consumeInRedis(key, rule, now)) ?? consumeLocally(key, rule, now);
  if (window.count > rule.limit) {
    const seconds = Math.max(1, Math.ceil((window.resetsAt - now) / 1000));
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `Too many attempts. Try again in ${seconds} seconds.`,
    });
  }
}
