import { Hold, Ticket, type TicketFields } from '@spot/db';
import type { Types } from 'mongoose';
import { type EventCancellation, onEventCancelled } from '../events/cancellation.ts';
import { paymentProvider } from '../payments/provider.ts';

type StoredTicket = TicketFields & { _id: Types.ObjectId };

/**
 * Refunds one cancelled ticket's price through the provider that took the payment, once: the
 * idempotency key is per ticket and the refund id is recorded on the ticket and its hold.
 */
export async function refundTicket(ticket: StoredTicket, reason: string): Promise<StoredTicket> {
  if (ticket.refundId || !ticket.price || !ticket.holdId) return ticket;
  const hold = await Hold.findById(ticket.holdId, { paymentIntentId: 1, provider: 1 }).lean();
  if (!hold?.paymentIntentId || hold.provider === 'none') return ticket;
  const refund = await paymentProvider().refund({
    paymentIntentId: hold.paymentIntentId,
    amount: ticket.price,
    reason,
    idempotencyKey: `refund:ticket:${ticket._id}`,
  });
  await Hold.updateOne(
    { _id: hold._id, 'refunds.refundId': { $ne: refund.id } },
    {
      $push: {
        refunds: {
          refundId: refund.id,
          amount: ticket.price,
          reason,
          ticketIds: [ticket._id],
          at: new Date(),
        },
      },
    },
  );
  const updated = await Ticket.findOneAndUpdate(
    { _id: ticket._id },
    { $set: { refundId: refund.id } },
    { returnDocument: 'after' },
  ).lean();
  return updated ?? ticket;
}

/**
 * A cancelled event refunds every paid ticket it cancelled. Idempotent (the event's `cancel` may
 * run it again to retry failures): refunded tickets carry their refund id and are skipped.
 * Payments still open for the event are cancelled; one that succeeds anyway is refunded by the
 * issuance (it refuses cancelled events).
 */
export async function refundCancelledEvent(cancellation: EventCancellation): Promise<void> {
  const tickets = await Ticket.find({
    eventId: cancellation.eventId,
    status: 'cancelled',
    price: { $gt: 0 },
    refundId: null,
  }).lean();
  const failures: unknown[] = [];
  for (const ticket of tickets) {
    try {
      await refundTicket(ticket, cancellation.refundReason ?? 'event_cancelled');
    } catch (error) {
      failures.push(error);
    }
  }
  const open = await Hold.find(
    { eventId: cancellation.eventId, status: 'pending', paymentIntentId: { $type: 'string' } },
    { paymentIntentId: 1 },
  ).lean();
  for (const hold of open) {
    await paymentProvider()
      .cancelPaymentIntent(hold.paymentIntentId as string)
      .catch((error) => failures.push(error));
  }
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} refund(s) failed; cancelling the event again retries them.`,
    );
  }
}

let registered = false;

/** Plugs the refunds into events.cancel (once per process). */
export function registerEventRefunds(): void {
  if (registered) return;
  registered = true;
  onEventCancelled(refundCancelledEvent);
}
