import type { Types } from 'mongoose';
import { readyRedis } from '../lib/redis.ts';

/**
 * `event:{id}:sold` in Redis: a cache of the Ticket collection for live dashboards, rebuildable
 * from Mongo at any time. Best effort: a Redis failure never fails a sale or a cancellation.
 */
export async function adjustSoldCounter(
  eventId: Types.ObjectId | string,
  delta: number,
): Promise<void> {
  if (delta === 0) return;
  try {
    const redis = await readyRedis();
    await redis?.incrby(`event:${eventId}:sold`, delta);
  } catch {
    // The counter is a cache; it is rebuilt from Mongo.
  }
}
