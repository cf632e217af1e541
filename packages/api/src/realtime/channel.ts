import { readyRedis } from '../lib/redis.ts';

/**
 * The Redis pub/sub channel the API publishes live updates on and every apps/realtime instance
 * subscribes to; each instance relays a message to the sockets of its rooms that it holds itself.
 */
export const LIVE_CHANNEL = 'spot:live';

export const eventRoom = (eventId: string) => `event:${eventId}`;
export const organizerRoom = (userId: string) => `organizer:${userId}`;

/** The last accepted scan, as the organizer's live page lists it. */
export interface LiveScan {
  ticketId: string;
  attendeeName: string;
  scannedAt: string;
  scannedBy: string;
  gate: string | null;
  manual: boolean;
}

export interface CheckinUpdate {
  eventId: string;
  /** The event's check-in count after this change; null when Redis could not say. */
  checkins: number | null;
  /** `checked_in` for a scan or manual check-in, `undone` when one was taken back. */
  change: 'checked_in' | 'undone';
  scan: LiveScan;
}

export interface SalesUpdate {
  eventId: string;
  /** Tickets sold (valid or used) after this change; null when Redis could not say. */
  sold: number | null;
}

/** What clients receive, by socket event name. */
export interface LiveEvents {
  checkin: CheckinUpdate;
  sales: SalesUpdate;
}

export type LiveMessage = {
  [Name in keyof LiveEvents]: { rooms: string[]; event: Name; data: LiveEvents[Name] };
}[keyof LiveEvents];

/**
 * A live message as JSON cut around the value of `data[counter]`, for a Redis script that
 * publishes `before + value + after` with the counter value it has just computed.
 */
export function jsonAroundCounter(
  message: LiveMessage,
  counter: string,
): [before: string, after: string] {
  const others: Record<string, unknown> = { ...message.data };
  delete others[counter];
  const rest = JSON.stringify(others).slice(1);
  return [
    `{"rooms":${JSON.stringify(message.rooms)},"event":${JSON.stringify(message.event)},"data":{${JSON.stringify(counter)}:`,
    rest === '}' ? '}}' : `,${rest}}`,
  ];
}

/**
 * The channel on which the API tells apps/realtime whose live access may just have ended (an
 * account suspended or its sessions revoked, a door team changed), so that it checks those
 * sockets at once rather than at their next periodic check.
 */
export const ACCESS_CHANNEL = 'spot:access';

export type AccessChange = { userId: string } | { eventId: string };

/**
 * Best effort, as every publish here: the Mongo writes before it are the truth, and while Redis
 * is down live updates pause and sockets are still checked periodically, so a failure here never
 * fails the caller.
 */
async function publish(channel: string, payload: unknown): Promise<void> {
  try {
    const redis = await readyRedis();
    await redis?.publish(channel, JSON.stringify(payload));
  } catch {
    // Dashboards reload their numbers when Redis returns.
  }
}

export function publishLive(message: LiveMessage): Promise<void> {
  return publish(LIVE_CHANNEL, message);
}

export function announceAccessChange(change: AccessChange): Promise<void> {
  return publish(ACCESS_CHANNEL, change);
}
