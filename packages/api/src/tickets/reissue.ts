import { randomUUID } from 'node:crypto';
import { Ticket, type TicketFields } from '@spot/db';
import { TRPCError } from '@trpc/server';
import { type ClientSession, Types } from 'mongoose';
import { signTicketPayload } from './qr.ts';

type StoredTicket = TicketFields & { _id: Types.ObjectId };

/**
 * Replaces a valid ticket with a new one for the same holder and event: a new code and signed QR
 * (e.g. the old QR leaked, or was signed with a retired key). The old ticket is cancelled, so its
 * QR is refused at the door as `cancelled`.
 *
 * The place and its payment move to the new ticket: it takes over the purchase (hold, purchase
 * key = the seat's claim, price), and the old one keeps price 0. So the seat stays sold, a replayed
 * payment webhook finds the purchase already issued, and a later refund (event cancelled or
 * removed) pays the place back once, through the new ticket.
 *
 * Pass the session of the caller's transaction: both writes then stand or fall together (the
 * unique purchase key moves from one ticket to the other).
 */
export async function reissueTicket(
  ticketId: Types.ObjectId,
  by: string,
  session?: ClientSession,
): Promise<StoredTicket> {
  const old = await Ticket.findOneAndUpdate(
    { _id: ticketId, status: 'valid' },
    {
      $set: {
        status: 'cancelled',
        cancelledAt: new Date(),
        cancelledBy: new Types.ObjectId(by),
        price: 0,
      },
      $unset: { purchaseKey: 1 },
    },
    { session, returnDocument: 'before' },
  ).lean();
  if (!old) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'Only a valid ticket can be reissued: this one is used or cancelled.',
    });
  }
  const ticketCode = randomUUID();
  const [created] = await Ticket.create(
    [
      {
        eventId: old.eventId,
        userId: old.userId,
        holderName: old.holderName,
        ticketCode,
        qrPayload: await signTicketPayload(ticketCode, old.eventId.toHexString()),
        status: 'valid',
        holdId: old.holdId,
        purchaseKey: old.purchaseKey,
        price: old.price,
        currency: old.currency,
      },
    ],
    { session },
  );
  return (created as NonNullable<typeof created>).toObject();
}
