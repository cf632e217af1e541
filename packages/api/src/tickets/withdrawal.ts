/**
 * Tickets a moderator takes back. A cancelled ticket is refused at the door and its place is
 * for sale again (a removed event may be restored); refunds are the caller's next step.
 */
import { Ticket, type TicketFields } from '@spot/db';
import { Types } from 'mongoose';
import { announceSales } from './sales-updates.ts';
import { freeSeat, freeSeats } from './seats.ts';

type StoredTicket = TicketFields & { _id: Types.ObjectId };

/** Cancels one ticket if it is still valid: the ticket as it is now, or null if it was not valid. */
export async function cancelValidTicket(
  ticketId: Types.ObjectId,
  by: string,
): Promise<StoredTicket | null> {
  const cancelled = await Ticket.findOneAndUpdate(
    { _id: ticketId, status: 'valid' },
    {
      $set: { status: 'cancelled', cancelledAt: new Date(), cancelledBy: new Types.ObjectId(by) },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!cancelled) return null;
  if (cancelled.purchaseKey) await freeSeat(cancelled.purchaseKey);
  await announceSales(cancelled.eventId, -1);
  return cancelled;
}

/**
 * Cancels every valid ticket of an event; answers how many. Places are freed for every cancelled
 * ticket of the event that still has one, so running it again also finishes an earlier run that
 * failed part-way.
 */
export async function cancelValidTickets(eventId: Types.ObjectId, by: string): Promise<number> {
  const { modifiedCount } = await Ticket.updateMany(
    { eventId, status: 'valid' },
    {
      $set: { status: 'cancelled', cancelledAt: new Date(), cancelledBy: new Types.ObjectId(by) },
    },
  );
  const claims = await Ticket.distinct('purchaseKey', {
    eventId,
    status: 'cancelled',
    purchaseKey: { $type: 'string' },
  });
  if (claims.length > 0) await freeSeats(claims as string[]);
  await announceSales(eventId, -modifiedCount);
  return modifiedCount;
}
