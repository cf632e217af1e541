import { Hold, Seat, Ticket } from '@spot/db';
import { Types } from 'mongoose';
import { forgetPlaces } from '../src/tickets/seats.ts';
import { DAY, storeEvents, userIdOf } from './events-fixtures.ts';
import type { Agent } from './harness.ts';

export interface HoldView {
  holdId: string;
  status: string;
  amount: number;
  expiresAt: Date;
  paymentIntentId: string | null;
  clientSecret: string | null;
  outcome: string | null;
  ticketIds: string[];
}

/** A published upcoming event owned by `organizer` (or nobody), priced as asked. */
export async function storeSaleEvent(
  options: {
    capacity?: number;
    price?: number;
    organizer?: Agent;
    allowTicketCancellation?: boolean;
    inDays?: number;
  } = {},
): Promise<string> {
  const organizerId = options.organizer
    ? new Types.ObjectId(await userIdOf(options.organizer))
    : new Types.ObjectId();
  const [id] = await storeEvents([
    {
      startDate: new Date(Date.now() + (options.inDays ?? 7) * DAY),
      isPublished: true,
      organizerId,
      extra: {
        capacity: options.capacity ?? 10,
        price: options.price ?? 0,
        currency: 'eur',
        allowTicketCancellation: options.allowTicketCancellation ?? false,
      },
    },
  ]);
  return id as string;
}

export function buy(agent: Agent, eventId: string, quantity = 1): Promise<HoldView> {
  return agent.mutate('tickets.purchase', { eventId, quantity }) as Promise<HoldView>;
}

/** Makes a hold's places look expired (time passing), without waiting for it. */
export async function expireHold(holdId: string): Promise<void> {
  const past = new Date(Date.now() - 1000);
  await Hold.updateOne({ _id: holdId }, { $set: { expiresAt: past } });
  await Seat.updateMany({ holdId, state: 'held' }, { $set: { expiresAt: past } });
  // This process believed the old expiry; time "passing" here must reach its beliefs too.
  const hold = await Hold.findById(holdId, { eventId: 1 }).lean();
  if (hold) forgetPlaces(hold.eventId);
}

export async function validTickets(eventId: string): Promise<number> {
  return Ticket.countDocuments({ eventId, status: { $in: ['valid', 'used'] } });
}
