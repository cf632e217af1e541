import type { Types } from 'mongoose';
import { bumpCounter } from '../analytics/counters.ts';
import { eventRoom } from '../realtime/channel.ts';

/**
 * After tickets of an event were issued (positive) or cancelled (negative) in Mongo: the live
 * `sold` counter and the organizer's dashboards follow. Never fails the sale or cancellation.
 */
export async function announceSales(eventId: Types.ObjectId, delta: number): Promise<void> {
  if (delta === 0) return;
  const id = eventId.toHexString();
  await bumpCounter(eventId, 'sold', delta, (sold) => ({
    rooms: [eventRoom(id)],
    event: 'sales',
    data: { eventId: id, sold },
  }));
}
