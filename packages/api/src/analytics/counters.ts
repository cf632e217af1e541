import { AnalyticsEvent, CheckIn, Ticket } from '@spot/db';
import type { Redis } from 'ioredis';
import type { Types } from 'mongoose';
import { getRedis, readyRedis, withScripts } from '../lib/redis.ts';
import {
  jsonAroundCounter,
  LIVE_CHANNEL,
  type LiveMessage,
  publishLive,
} from '../realtime/channel.ts';

/**
 * Live counters per event in Redis (`event:{id}:checkins`, `:sold`, `:views`): a cache of the
 * Mongo history, which stays the truth. Each one can be recounted from Mongo at any time.
 */
const COUNTERS = {
  checkins: (eventId: Types.ObjectId) => CheckIn.countDocuments({ eventId }),
  sold: (eventId: Types.ObjectId) =>
    Ticket.countDocuments({ eventId, status: { $in: ['valid', 'used'] } }),
  views: (eventId: Types.ObjectId) => AnalyticsEvent.countDocuments({ eventId, type: 'view' }),
} as const;

export type CounterName = keyof typeof COUNTERS;
export const COUNTER_NAMES = Object.keys(COUNTERS) as CounterName[];
export type Counters = Record<CounterName, number>;

export const counterKey = (eventId: string, name: CounterName) => `event:${eventId}:${name}`;

/**
 * A counter that does not exist (Redis restarted empty, or was flushed) must not be started from
 * zero by the next increment: the script only increments an existing key and answers nil
 * otherwise, and the caller then recounts from Mongo.
 */
const INCREMENT_EXISTING = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false`;

/** The same, and the live update carrying the new value published in the same call. */
export const INCREMENT_EXISTING_AND_PUBLISH = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  local value = redis.call('INCRBY', KEYS[1], ARGV[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3] .. value .. ARGV[4])
  return value
end
return false`;

export interface CountingCommands {
  incrementExisting(key: string, delta: number): Promise<number | null>;
  incrementExistingAndPublish(
    key: string,
    delta: number,
    channel: string,
    before: string,
    after: string,
  ): Promise<number | null>;
}

const COUNTING_SCRIPTS = {
  incrementExisting: INCREMENT_EXISTING,
  incrementExistingAndPublish: INCREMENT_EXISTING_AND_PUBLISH,
};

/** Events whose counters missed a change while Redis was unreachable: recounted when it is back. */
const missedWhileDown = new Map<string, Types.ObjectId>();
/** The client whose reconnections trigger the recount (a new client after closeRedis gets one too). */
let watched: Redis | undefined;

function watchReconnects(): void {
  const redis = getRedis();
  if (!redis || redis === watched) return;
  watched = redis;
  redis.on('ready', () => {
    void rebuildMissedCounters();
  });
}

async function rebuildMissedCounters(): Promise<void> {
  for (const [id, eventId] of [...missedWhileDown]) {
    missedWhileDown.delete(id);
    const rebuilt = await rebuildCounters(eventId).catch(() => null);
    if (rebuilt?.source !== 'redis') missedWhileDown.set(id, eventId);
  }
}

/** Recounts from Mongo and only creates the key if it is still missing (a racing writer wins). */
async function seedCounter(
  redis: Redis,
  eventId: Types.ObjectId,
  name: CounterName,
): Promise<number> {
  const counted = await COUNTERS[name](eventId);
  await redis.set(counterKey(eventId.toHexString(), name), counted, 'NX');
  return Number((await redis.get(counterKey(eventId.toHexString(), name))) ?? counted);
}

/**
 * Applies a change the caller already wrote to Mongo, and publishes `announce(new value)` to the
 * dashboards if given (its data holds the value under the counter's name): increment and publish
 * are one script, one Redis round trip (the door does this per scan). Never throws: while Redis is down the change is remembered and the
 * event's counters are recounted once Redis is back, and live updates pause.
 * Answers the new value, or null when Redis could not say.
 */
export async function bumpCounter(
  eventId: Types.ObjectId,
  name: CounterName,
  delta: number,
  announce?: (value: number | null) => LiveMessage,
): Promise<number | null> {
  watchReconnects();
  const id = eventId.toHexString();
  try {
    const redis = await readyRedis();
    if (!redis) {
      if (getRedis()) missedWhileDown.set(id, eventId);
      return null;
    }
    const scripts = withScripts<CountingCommands>(redis, COUNTING_SCRIPTS);
    const key = counterKey(id, name);
    const updated = announce
      ? await scripts.incrementExistingAndPublish(
          key,
          delta,
          LIVE_CHANNEL,
          ...jsonAroundCounter(announce(null), name),
        )
      : await scripts.incrementExisting(key, delta);
    if (updated !== null) return updated;
    const seeded = await seedCounter(redis, eventId, name);
    if (announce) await publishLive(announce(seeded));
    return seeded;
  } catch {
    missedWhileDown.set(id, eventId);
    return null;
  }
}

export interface LiveCounters extends Counters {
  /** `redis` when the live counters answered, `mongo` when they were counted from history. */
  source: 'redis' | 'mongo';
}

async function countInMongo(eventId: Types.ObjectId): Promise<Counters> {
  const values = await Promise.all(COUNTER_NAMES.map((name) => COUNTERS[name](eventId)));
  return Object.fromEntries(COUNTER_NAMES.map((name, i) => [name, values[i]])) as Counters;
}

/** The event's live counters from Redis (recounting missing ones), or from Mongo without Redis. */
export async function readCounters(eventId: Types.ObjectId): Promise<LiveCounters> {
  watchReconnects();
  const id = eventId.toHexString();
  try {
    const redis = await readyRedis();
    if (redis) {
      const stored = await redis.mget(COUNTER_NAMES.map((name) => counterKey(id, name)));
      const values = await Promise.all(
        COUNTER_NAMES.map((name, i) =>
          stored[i] === null ? seedCounter(redis, eventId, name) : Number(stored[i]),
        ),
      );
      const counters = Object.fromEntries(COUNTER_NAMES.map((name, i) => [name, values[i]]));
      return { ...(counters as Counters), source: 'redis' };
    }
  } catch {
    // Redis went away mid-read: count from history below.
  }
  return { ...(await countInMongo(eventId)), source: 'mongo' };
}

/**
 * Overwrites the event's counters with fresh counts from Mongo (after an outage, or on demand).
 * Answers the counts, written to Redis when it is reachable. A change landing between the count
 * and the write can be lost from the cache; the next rebuild corrects it.
 */
export async function rebuildCounters(eventId: Types.ObjectId): Promise<LiveCounters> {
  const id = eventId.toHexString();
  const counts = await countInMongo(eventId);
  const redis = await readyRedis();
  if (!redis) return { ...counts, source: 'mongo' };
  const write = redis.multi();
  for (const name of COUNTER_NAMES) write.set(counterKey(id, name), counts[name]);
  await write.exec();
  return { ...counts, source: 'redis' };
}
