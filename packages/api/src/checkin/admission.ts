import { CheckIn, type CheckInFields, Ticket, type TicketFields } from '@spot/db';
import type { ClientSession, Types } from 'mongoose';
import { inTransaction, supportsTransactions } from '../lib/transactions.ts';

export type AdmittedTicket = Pick<TicketFields, 'eventId' | 'userId' | 'holderName'> & {
  _id: Types.ObjectId;
};

/** Which ticket to admit: by its code (QR) or its id (manual check-in), always within one event. */
export type TicketSelector = { eventId: Types.ObjectId } & (
  | { ticketCode: string }
  | { _id: Types.ObjectId }
);

export type CheckInRecord = Omit<CheckInFields, 'ticketId' | 'eventId' | 'manual'> & {
  manual: boolean;
};

const ADMITTED_FIELDS = { eventId: 1, userId: 1, holderName: 1 } as const;

// The door's writes go straight through the driver: on this hot path Mongoose's document layer
// costs more than the writes themselves, and every value was validated (zod) before it got here.

function markUsedOne(selector: TicketSelector, scannedAt: Date, session?: ClientSession) {
  // The status in the filter makes concurrent scans of one ticket have exactly one winner.
  return Ticket.collection.findOneAndUpdate(
    { ...selector, status: 'valid' },
    { $set: { status: 'used', checkedInAt: scannedAt } },
    { session, projection: ADMITTED_FIELDS },
  ) as Promise<AdmittedTicket | null>;
}

function insertCheckIn(ticket: AdmittedTicket, record: CheckInRecord, session?: ClientSession) {
  return CheckIn.collection.insertOne(
    { ...record, eventId: ticket.eventId, ticketId: ticket._id },
    { session },
  );
}

/** valid → used and the CheckIn record in one transaction: both are written or neither. */
export async function admitInTransaction(
  selector: TicketSelector,
  record: CheckInRecord,
): Promise<AdmittedTicket | null> {
  return inTransaction(async (session) => {
    const ticket = await markUsedOne(selector, record.scannedAt, session);
    if (ticket) await insertCheckIn(ticket, record, session);
    return ticket;
  });
}

/**
 * For deployments without transactions (a standalone mongod): a failed CheckIn write puts the
 * ticket back to valid. A crash between the two writes leaves a used ticket without CheckIn,
 * which the reconciler returns to valid.
 */
export async function admitWithCompensation(
  selector: TicketSelector,
  record: CheckInRecord,
): Promise<AdmittedTicket | null> {
  const ticket = await markUsedOne(selector, record.scannedAt);
  if (!ticket) return null;
  try {
    await insertCheckIn(ticket, record);
  } catch (error) {
    await Ticket.updateOne(
      { _id: ticket._id, status: 'used', checkedInAt: record.scannedAt },
      { $set: { status: 'valid' }, $unset: { checkedInAt: 1 } },
    );
    throw error;
  }
  return ticket;
}

/** Admits the ticket if it is valid: the ticket becomes used and its CheckIn is written. */
export async function admitTicket(
  selector: TicketSelector,
  record: CheckInRecord,
): Promise<AdmittedTicket | null> {
  return (await supportsTransactions())
    ? admitInTransaction(selector, record)
    : admitWithCompensation(selector, record);
}
