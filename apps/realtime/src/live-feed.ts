import {
  ACCESS_CHANNEL,
  type AccessChange,
  LIVE_CHANNEL,
  type LiveMessage,
} from '@spot/api/realtime';
import { Redis } from 'ioredis';
import type { LiveStatus } from './events.ts';

export type RedisStatus = LiveStatus['redis'];

export interface LiveFeed {
  /** The Socket.io Redis adapter's clients; `sub` also carries LIVE_CHANNEL and ACCESS_CHANNEL. */
  readonly pub: Redis;
  readonly sub: Redis;
  status(): RedisStatus;
  close(): Promise<void>;
}

interface FeedHandlers {
  onMessage(message: LiveMessage): void;
  onAccessChange(change: AccessChange): void;
  onStatus(status: RedisStatus): void;
}

const LIVE_EVENTS = new Set<string>(['checkin', 'sales']);

/** A message the API published, or null for anything else on the channel. */
export function parseLiveMessage(raw: string): LiveMessage | null {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null) return null;
  const { rooms, event, data } = message as Record<string, unknown>;
  const valid =
    Array.isArray(rooms) &&
    rooms.every((room) => typeof room === 'string') &&
    typeof event === 'string' &&
    LIVE_EVENTS.has(event) &&
    typeof data === 'object' &&
    data !== null;
  return valid ? (message as LiveMessage) : null;
}

/** Whose access the API says may have ended, or null for anything else on the channel. */
export function parseAccessChange(raw: string): AccessChange | null {
  try {
    const change = JSON.parse(raw) as Record<string, unknown> | null;
    if (typeof change?.userId === 'string') return { userId: change.userId };
    if (typeof change?.eventId === 'string') return { eventId: change.eventId };
  } catch {
    // Not JSON: ignored below.
  }
  return null;
}

// Reconnect soon after Redis returns, without hammering it while it is away.
const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2000);

/**
 * The link to Redis: LIVE_CHANNEL and ACCESS_CHANNEL messages in, "up"/"down" as the
 * subscription comes and goes. ioredis reconnects by itself; each time it does, both channels are
 * subscribed again before the feed reports "up", so relaying resumes without a restart.
 */
export function connectLiveFeed(url: string, handlers: FeedHandlers): LiveFeed {
  // Nothing is queued while Redis is down: the adapter publishes only for cross-instance
  // broadcasts, which this server never makes (it relays with io.local).
  const pub = new Redis(url, { retryStrategy, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // The subscriber only ever queues the adapter's few SUBSCRIBE commands at start-up; they must
  // wait for Redis (however long), or the adapter would never hear from the other instances.
  const sub = new Redis(url, { retryStrategy, maxRetriesPerRequest: null });

  let status: RedisStatus = 'down';
  let closing = false;
  const setStatus = (next: RedisStatus) => {
    if (next === status || closing) return;
    status = next;
    handlers.onStatus(next);
  };

  let lastError: string | undefined;
  const logError = (error: Error) => {
    // Once per distinct problem: a Redis outage would otherwise log every reconnect attempt.
    if (error.message === lastError) return;
    lastError = error.message;
    console.warn(`realtime: Redis: ${error.message}`);
  };
  pub.on('error', logError);
  sub.on('error', logError);

  sub.on('ready', () => {
    lastError = undefined;
    sub.subscribe(LIVE_CHANNEL, ACCESS_CHANNEL).then(
      () => setStatus('up'),
      // The connection dropped again before the reply; the next 'ready' tries again.
      () => {},
    );
  });
  sub.on('close', () => setStatus('down'));
  sub.on('message', (channel: string, raw: string) => {
    if (channel === ACCESS_CHANNEL) {
      const change = parseAccessChange(raw);
      if (change) handlers.onAccessChange(change);
      else console.warn('realtime: ignored a malformed message on the access channel');
      return;
    }
    if (channel !== LIVE_CHANNEL) return;
    const message = parseLiveMessage(raw);
    if (message) handlers.onMessage(message);
    else console.warn('realtime: ignored a malformed message on the live channel');
  });

  return {
    pub,
    sub,
    status: () => status,
    async close() {
      closing = true;
      await Promise.all([pub, sub].map(closeClient));
    },
  };
}

/** QUIT when connected; otherwise drop the connection (a QUIT would wait for Redis). */
async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
    return;
  }
  client.disconnect();
}
