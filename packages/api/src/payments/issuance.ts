import { randomUUID } from 'node:crypto';
import { Event, Hold, type HoldFields, Ticket, User } from '@spot/db';
import type { Types } from 'mongoose';
import { isDuplicateKey } from '../lib/mongo-errors.ts';
import { signTicketPayload } from '../tickets/qr.ts';
import { announceSales } from '../tickets/sales-updates.ts';
import {
  claimOf,
  convertSeat,
  releaseAllSeats,
  releaseHeldSeats,
  takeSeat,
} from '../tickets/seats.ts';
import { type PaymentIntentInfo, paymentProvider } from './provider.ts';

type StoredHold = HoldFields & { _id: Types.ObjectId };

export type IssueResult =
  | { status: 'issued'; ticketIds: Types.ObjectId[] }
  | { status: 'refunded'; reason: string }
  | { status: 'ignored'; reason: string };

export const SOLD_OUT_AFTER_EXPIRY =
  'Your payment arrived after your hold expired and the event had sold out meanwhile: you were refunded in full.';
export const EVENT_CANCELLED =
  'The event was cancelled before your payment completed: you were refunded in full.';

/**
 * Writes the hold's tickets; safe to run any number of times (the unique purchaseKey lets one
 * write per place through). Runs only once the hold is marked issued and its seats are sold.
 */
async function ensureTickets(hold: StoredHold): Promise<Types.ObjectId[]> {
  const existing = await Ticket.find({ holdId: hold._id }, { purchaseKey: 1 }).lean();
  const have = new Set(existing.map((ticket) => ticket.purchaseKey));
  const price = Math.floor(hold.amount / hold.quantity);
  const holder = await User.findById(hold.userId, { name: 1 }).lean();
  const missing: Array<Record<string, unknown>> = [];
  for (let index = 0; index < hold.quantity; index++) {
    const purchaseKey = claimOf(hold._id, index);
    if (have.has(purchaseKey)) continue;
    const ticketCode = randomUUID();
    missing.push({
      eventId: hold.eventId,
      userId: hold.userId,
      holderName: holder?.name,
      ticketCode,
      qrPayload: await signTicketPayload(ticketCode, hold.eventId.toHexString()),
      status: 'valid',
      holdId: hold._id,
      purchaseKey,
      // The last ticket takes the rounding remainder, so refunds of all tickets sum to the total.
      price: index === hold.quantity - 1 ? hold.amount - price * (hold.quantity - 1) : price,
      currency: hold.currency,
    });
  }
  if (missing.length > 0) {
    try {
      const written = await Ticket.insertMany(missing, { ordered: false });
      await announceSales(hold.eventId, written.length);
    } catch (error) {
      // A concurrent delivery wrote some of them first: theirs stand.
      const inserted = (error as { insertedDocs?: unknown[] }).insertedDocs?.length ?? 0;
      const writeErrors = (
        error as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> }
      ).writeErrors;
      const onlyDuplicates =
        isDuplicateKey(error) ||
        (writeErrors?.every((item) => (item.code ?? item.err?.code) === 11000) ?? false);
      if (!onlyDuplicates) throw error;
      await announceSales(hold.eventId, inserted);
    }
  }
  const tickets = await Ticket.find({ holdId: hold._id }, { _id: 1 })
    .sort({ purchaseKey: 1 })
    .lean();
  return tickets.map((ticket) => ticket._id);
}

/** Refunds a whole paid hold once (idempotency key per hold), recording why. */
async function refundHold(hold: StoredHold, reason: string): Promise<void> {
  if (hold.amount === 0 || !hold.paymentIntentId) return;
  if (hold.refunds?.some((refund) => refund.reason === reason)) return;
  const refund = await paymentProvider().refund({
    paymentIntentId: hold.paymentIntentId,
    amount: hold.amount,
    reason,
    idempotencyKey: `refund:hold:${hold._id}`,
  });
  await Hold.updateOne(
    { _id: hold._id, 'refunds.refundId': { $ne: refund.id } },
    { $push: { refunds: { refundId: refund.id, amount: hold.amount, reason, at: new Date() } } },
  );
}

/**
 * Turns a paid (or free) hold into tickets, exactly once however often and in whatever order it
 * is called (webhook replays, simulated pay, concurrent deliveries):
 * 1. every place of the hold is secured: its held seat becomes sold, or, if the hold expired and
 *    lost it, a new place is taken directly as sold;
 * 2. the hold is marked issued (conditional: never after it was marked refunded), then the
 *    tickets are written, idempotently by purchaseKey;
 * if a place cannot be had (sold out meanwhile, event cancelled), the hold is marked refunded
 * instead, its seats are returned and the payment is refunded in full.
 */
export async function issueHold(holdId: Types.ObjectId): Promise<IssueResult> {
  const hold = await Hold.findById(holdId).lean();
  if (!hold) return { status: 'ignored', reason: 'unknown hold' };
  if (hold.status === 'issued') return { status: 'issued', ticketIds: await ensureTickets(hold) };
  if (hold.status === 'refunded') {
    await refundHold(hold, hold.outcome ?? SOLD_OUT_AFTER_EXPIRY);
    return { status: 'refunded', reason: hold.outcome ?? SOLD_OUT_AFTER_EXPIRY };
  }

  const event = await Event.findById(hold.eventId, {
    capacity: 1,
    cancelledAt: 1,
    removed: 1,
  }).lean();
  // A moderator's removal refunds a late payment like a cancellation does.
  const ended = !event || event.cancelledAt || event.removed?.at;
  let problem: string | null = ended ? EVENT_CANCELLED : null;
  if (!problem && event) {
    for (let index = 0; index < hold.quantity; index++) {
      const claim = claimOf(hold._id, index);
      const kept = await convertSeat(claim);
      if (kept !== null) continue;
      const request = {
        eventId: hold.eventId,
        capacity: event.capacity,
        holdId,
        state: 'sold' as const,
      };
      if ((await takeSeat(request, claim)) === null) {
        problem = SOLD_OUT_AFTER_EXPIRY;
        break;
      }
    }
  }

  if (!problem) {
    const marked = await Hold.findOneAndUpdate(
      { _id: holdId, status: { $in: ['pending', 'released', 'issued'] } },
      { $set: { status: 'issued', issuedAt: new Date() }, $unset: { outcome: '' } },
      { returnDocument: 'after' },
    ).lean();
    if (marked) return { status: 'issued', ticketIds: await ensureTickets(marked) };
    // Another delivery decided on a refund meanwhile: give our places back too.
    await releaseAllSeats(holdId);
    const refunded = (await Hold.findById(holdId).lean()) as StoredHold;
    return { status: 'refunded', reason: refunded.outcome ?? SOLD_OUT_AFTER_EXPIRY };
  }

  const marked = await Hold.findOneAndUpdate(
    { _id: holdId, status: { $in: ['pending', 'released'] } },
    { $set: { status: 'refunded', outcome: problem } },
    { returnDocument: 'after' },
  ).lean();
  if (!marked) return issueHold(holdId); // another delivery got there first; follow its decision
  await releaseAllSeats(holdId);
  await refundHold(marked, problem);
  return { status: 'refunded', reason: problem };
}

/**
 * A payment reported succeeded (webhook, or the simulated pay button): its state is read back
 * from the provider, checked against the hold (amount set by the server, metadata), then issued.
 */
export async function confirmPayment(intentId: string): Promise<IssueResult> {
  const hold = await Hold.findOne({ paymentIntentId: intentId }).lean();
  const intent = await paymentProvider().retrievePaymentIntent(intentId);
  const holdOf = hold ?? (await holdFromMetadata(intent));
  if (!holdOf) return { status: 'ignored', reason: 'no hold for this payment' };
  if (intent.status !== 'succeeded')
    return { status: 'ignored', reason: `payment ${intent.status}` };
  if (intent.amount !== holdOf.amount || intent.currency !== holdOf.currency) {
    console.error(`Payment ${intentId} does not match hold ${holdOf._id}; not issuing.`);
    return { status: 'ignored', reason: 'amount mismatch' };
  }
  if (!holdOf.paymentIntentId) {
    await Hold.updateOne(
      { _id: holdOf._id, paymentIntentId: null },
      { $set: { paymentIntentId: intentId } },
    );
  }
  return issueHold(holdOf._id);
}

async function holdFromMetadata(intent: PaymentIntentInfo): Promise<StoredHold | null> {
  const holdId = intent.metadata.holdId;
  if (!holdId || !/^[0-9a-f]{24}$/.test(holdId)) return null;
  const hold = await Hold.findById(holdId).lean();
  return hold && (!hold.paymentIntentId || hold.paymentIntentId === intent.id) ? hold : null;
}

/**
 * A payment failed or was cancelled: the hold's places return to sale. Reordered deliveries are
 * harmless: the provider's current state is read first (a payment that succeeded meanwhile is not
 * released), and only a pending hold is released.
 */
export async function releasePayment(intentId: string, reason: string): Promise<void> {
  const intent = await paymentProvider().retrievePaymentIntent(intentId);
  if (intent.status === 'succeeded' || intent.status === 'processing') return;
  const hold = await Hold.findOne({ paymentIntentId: intentId }).lean();
  if (hold) await releaseHold(hold._id, reason);
}

export async function releaseHold(holdId: Types.ObjectId, reason: string): Promise<boolean> {
  const released = await Hold.findOneAndUpdate(
    { _id: holdId, status: 'pending' },
    { $set: { status: 'released', outcome: reason } },
  ).lean();
  if (released) await releaseHeldSeats(holdId);
  return released !== null;
}

/**
 * Ends a hold nobody is going to pay (abandoned, or expired): its payment is cancelled and its
 * places return to sale. A payment that completed meanwhile wins: the webhook issues it.
 * Answers whether the hold was released.
 */
export async function closeUnpaidHold(
  hold: Pick<StoredHold, '_id' | 'paymentIntentId' | 'provider'>,
  reason: string,
): Promise<boolean> {
  if (hold.paymentIntentId && hold.provider !== 'none') {
    await paymentProvider().cancelPaymentIntent(hold.paymentIntentId);
    const intent = await paymentProvider().retrievePaymentIntent(hold.paymentIntentId);
    if (intent.status === 'succeeded' || intent.status === 'processing') return false;
  }
  return releaseHold(hold._id, reason);
}

export const HOLD_EXPIRED =
  'Your hold expired before the payment was made; the places went back on sale.';
/** A payment that is just being made when the hold expires gets this long to land. */
const EXPIRY_GRACE_MS = 60_000;
const SWEEP_BATCH = 200;

/**
 * Closes the holds whose buyer never paid: their open payments are cancelled (so nobody is
 * charged later for places that went back on sale) and they are marked released. Answers how
 * many were released; a hold paid meanwhile is left to its webhook, and one that fails (the
 * provider is unreachable) is retried next sweep.
 */
export async function closeExpiredHolds(now = new Date()): Promise<number> {
  const expired = await Hold.find(
    { status: 'pending', expiresAt: { $lte: new Date(now.getTime() - EXPIRY_GRACE_MS) } },
    { paymentIntentId: 1, provider: 1 },
  )
    .limit(SWEEP_BATCH)
    .lean();
  let closed = 0;
  for (const hold of expired) {
    try {
      if (await closeUnpaidHold(hold, HOLD_EXPIRED)) closed++;
    } catch (error) {
      console.error(`Closing expired hold ${hold._id} failed:`, error);
    }
  }
  return closed;
}
