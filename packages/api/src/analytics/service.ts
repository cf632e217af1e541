import { createHash } from 'node:crypto';
import { AnalyticsEvent } from '@spot/db';
import type { Types } from 'mongoose';
import { readyRedis } from '../lib/redis.ts';
import { bumpCounter, type CounterName } from './counters.ts';

/** Who looked: a signed-in user, else an address and browser (hashed; never stored as such). */
export interface Viewer {
  userId?: string;
  ip: string;
  userAgent: string;
}

/** Repeats by the same viewer within this window (refreshes, bots) count once. */
export const REPEAT_WINDOW_SECONDS = 30 * 60;

function viewerKey(viewer: Viewer): string {
  if (viewer.userId) return `u:${viewer.userId}`;
  const fingerprint = createHash('sha256').update(`${viewer.ip}\u0000${viewer.userAgent}`);
  return `a:${fingerprint.digest('base64url').slice(0, 22)}`;
}

/** Used while Redis is unset or down: per process, so repeats are caught per API instance there. */
const recentLocally = new Map<string, number>();

function firstLocally(key: string, now: number): boolean {
  const expiresAt = recentLocally.get(key);
  if (expiresAt !== undefined && expiresAt > now) return false;
  if (recentLocally.size > 50_000) {
    for (const [staleKey, staleExpiry] of recentLocally)
      if (staleExpiry <= now) recentLocally.delete(staleKey);
  }
  recentLocally.set(key, now + REPEAT_WINDOW_SECONDS * 1000);
  return true;
}

/** True the first time `key` is seen within the window, across API instances when Redis is up. */
async function firstInWindow(key: string): Promise<boolean> {
  const redis = await readyRedis();
  if (redis) {
    try {
      return (await redis.set(key, '1', 'EX', REPEAT_WINDOW_SECONDS, 'NX')) === 'OK';
    } catch {
      // Redis went away between the readiness check and the command: fall back below.
    }
  }
  return firstLocally(key, Date.now());
}

type Interaction = 'view' | 'click';

/**
 * Records one interaction unless the same viewer made it within the window: the Mongo history
 * first (the truth), then the Redis counter. Never rejects, so callers can fire and forget it.
 */
async function recordOnce(
  type: Interaction,
  eventId: Types.ObjectId,
  viewer: Viewer,
  counter?: CounterName,
): Promise<void> {
  try {
    const id = eventId.toHexString();
    if (!(await firstInWindow(`analytics:${type}:${id}:${viewerKey(viewer)}`))) return;
    await AnalyticsEvent.create({ eventId, type, userId: viewer.userId });
    if (counter) await bumpCounter(eventId, counter, 1);
  } catch (error) {
    console.error(`Recording a ${type} of event ${eventId} failed:`, error);
  }
}

/** An event page view; also counted in `event:{id}:views` for the live numbers. */
export function recordView(eventId: Types.ObjectId, viewer: Viewer): Promise<void> {
  return recordOnce('view', eventId, viewer, 'views');
}

/** A step towards buying (the ticket options were asked for). */
export function recordClick(eventId: Types.ObjectId, viewer: Viewer): Promise<void> {
  return recordOnce('click', eventId, viewer);
}
