import { getConfig } from '@spot/config';
import { Redis } from 'ioredis';

let client: Redis | undefined;

/**
 * The shared Redis client, or undefined when REDIS_URL is unset. Commands fail fast instead of
 * queueing while Redis is down, so callers can fall back and requests never hang on it.
 */
export function getRedis(): Redis | undefined {
  const url = getConfig().REDIS_URL;
  if (!url) return undefined;
  if (!client) {
    client = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    // Connection errors are expected while Redis is down; each caller handles its own failure.
    client.on('error', () => {});
  }
  return client;
}

export async function closeRedis(): Promise<void> {
  await client?.quit().catch(() => client?.disconnect());
  client = undefined;
}
