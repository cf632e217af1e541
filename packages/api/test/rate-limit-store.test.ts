import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { outcome, useApi } from './harness.ts';

const api = useApi('spot_api_ratelimit');
const redisUrl = process.env.REDIS_URL;

async function attempts(email: string, count: number): Promise<string[]> {
  const results = [];
  for (let i = 0; i < count; i++) {
    results.push(await outcome(api.agent().mutate('auth.login', { email, password: 'a guess' })));
  }
  return results;
}

describe.skipIf(!redisUrl)('rate limits with Redis', () => {
  it('are counted in Redis, so every API instance shares them', async () => {
    const email = `shared-${Date.now()}@example.com`;
    await attempts(email, 3);
    const redis = new Redis(redisUrl as string);
    try {
      expect(await redis.get(`ratelimit:login-email:${email}`)).toBe('3');
      expect(await redis.ttl(`ratelimit:login-email:${email}`)).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});
