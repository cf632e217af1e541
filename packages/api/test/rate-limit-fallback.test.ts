import { describe, expect, it } from 'vitest';
import { outcome, useApi } from './harness.ts';

// Nothing listens on port 1: Redis is "down" for this whole file (config is read lazily).
process.env.REDIS_URL = 'redis://127.0.0.1:1';

const api = useApi('spot_api_ratelimit_down');

describe('rate limits while Redis is down', () => {
  it('still apply, from process memory, without slowing requests down', async () => {
    const started = Date.now();
    const results = [];
    for (let i = 0; i < 12; i++) {
      results.push(
        await outcome(
          api.agent().mutate('auth.login', { email: 'offline@example.com', password: 'a guess' }),
        ),
      );
    }
    expect(results.slice(0, 10)).toEqual(Array(10).fill('UNAUTHORIZED'));
    expect(results.slice(10)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
