import { CheckIn, type CheckInFields, Ticket, type TicketFields } from '@spot/db';
import type { QueryFilter, Types } from 'mongoose';
import { inTransaction, supportsTransactions } from '../lib/transactions.ts';

export type AdmittedTicket = Pick<TicketFields, 'eventId' | 'userId'> & { _id: Types.ObjectId };

/** Which ticket to admit: by its code (QR) or its id (manual check-in), always within one event. */
export type TicketSelector = { eventId: Types.ObjectId } & (
  | { ticketCode: string }
  | { _id: Types.ObjectId }
);

export type CheckInRecord = Omit<CheckInFields, 'ticketId' | 'eventId' | 'manual'> & {
  manual: boolean;
};

const ADMITTED_FIELDS = { eventId: 1, userId: 1 } as const;

function markUsed(selector: TicketSelector, scannedAt: Date) {
  // The status in the filter makes concurrent scans of one ticket have exactly one winner.
  const filter: QueryFilter<TicketFields> = { ...selector, status: 'valid' };
  return { filter, update: { $set: { status: 'used' as const, checkedInAt: scannedAt } } };
}

/** valid → used and the CheckIn record in one transaction: both are written or neither. */
export async function admitInTransaction(
  selector: TicketSelector,
  record: CheckInRecord,
): Promise<AdmittedTicket | null> {
  const { filter, update } = markUsed(selector, record.scannedAt);
  return inTransaction(async (session) => {
    const ticket = await Ticket.findOneAndUpdate(filter, update, {
      session,
      projection: ADMITTED_FIELDS,
    }).lean();
    if (!ticket) return null;
    await CheckIn.create([{ ...record, eventId: ticket.eventId, ticketId: ticket._id }], {
      session,
    });
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
  const { filter, update } = markUsed(selector, record.scannedAt);
  const ticket = await Ticket.findOneAndUpdate(filter, update, {
    projection: ADMITTED_FIELDS,
  }).lean();
  if (!ticket) return null;
  try {
    await CheckIn.create({ ...record, eventId: ticket.eventId, ticketId: ticket._id });
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
