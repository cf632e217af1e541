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

const FIRST_CONNECT_WAIT_MS = 300;

/**
 * The client when it can take commands now. A client still making its first connection gets a
 * short grace period, so the first requests after start-up do not bypass Redis; a client that
 * lost Redis answers undefined at once, and callers fall back.
 */
export async function readyRedis(): Promise<Redis | undefined> {
  const redis = getRedis();
  if (!redis || redis.status === 'ready') return redis;
  if (redis.status !== 'connecting' && redis.status !== 'connect' && redis.status !== 'wait')
    return undefined;
  const becameReady = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), FIRST_CONNECT_WAIT_MS);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  return becameReady ? redis : undefined;
}

/**
 * Lua scripts (each on one key) as commands of the client, defined once per client: ioredis then
 * sends each by its hash (EVALSHA), so a script costs one round trip, and Redis runs it atomically.
 */
export function withScripts<Commands>(
  redis: Redis,
  scripts: Record<keyof Commands & string, string>,
): Redis & Commands {
  for (const [name, lua] of Object.entries<string>(scripts)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
  }
  return redis as Redis & Commands;
}

export async function closeRedis(): Promise<void> {
  await client?.quit().catch(() => client?.disconnect());
  client = undefined;
}
