import { Event, type EventFields } from '@spot/db';
import { TRPCError } from '@trpc/server';
import type { ProjectionType } from 'mongoose';
import type { SessionUser } from './session.ts';

/**
 * The organizer's own event (any event for admins), with the fields in `projection`. Another
 * organizer's event answers NOT_FOUND exactly like a missing one, so event ids do not leak.
 */
export async function findOwnedEvent<const Projection extends ProjectionType<EventFields>>(
  user: SessionUser,
  eventId: string,
  projection: Projection,
) {
  const scope = user.role === 'admin' ? {} : { organizerId: user.id };
  const event = await Event.findOne({ _id: eventId, ...scope }, projection).lean();
  if (!event) throw new TRPCError({ code: 'NOT_FOUND', message: 'Event not found.' });
  return event;
}
