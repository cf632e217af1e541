import { getConfig } from '@spot/config';
import {
  Event,
  type EventFields,
  Hold,
  type HoldFields,
  Ticket,
  type TicketFields,
  User,
} from '@spot/db';
import { TRPCError } from '@trpc/server';
import { Types } from 'mongoose';
import QRCode from 'qrcode';
import type { PageInput } from '../events/schemas.ts';
import { afterPosition, decodeCursor, newestFirst, pageOf } from '../lib/cursor.ts';
import { findOwnedEvent } from '../lib/owned-event.ts';
import { escapeRegex } from '../lib/regex.ts';
import { closeUnpaidHold, issueHold } from '../payments/issuance.ts';
import { paymentProvider } from '../payments/provider.ts';
import type { Context, SessionUser } from '../trpc.ts';
import { refundTicket } from './refunds.ts';
import type { BookingsInput, PurchaseInput } from './schemas.ts';
import { holdSeats, releaseHeldSeats } from './seats.ts';
import { cancelValidTicket } from './withdrawal.ts';

type AuthedContext = Context & { user: SessionUser };
type StoredHold = HoldFields & { _id: Types.ObjectId };
type StoredTicket = TicketFields & { _id: Types.ObjectId };

const eventNotFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'Event not found.' });
const ticketNotFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'Ticket not found.' });
const holdNotFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'Checkout not found.' });

export interface HoldView {
  holdId: string;
  eventId: string;
  quantity: number;
  amount: number;
  currency: string;
  /** pending (pay before expiresAt), expired, issued, released, refunded. */
  status: 'pending' | 'expired' | 'issued' | 'released' | 'refunded';
  expiresAt: Date;
  provider: string;
  paymentIntentId: string | null;
  /** For Stripe's Payment Element; only while the payment is open. */
  clientSecret: string | null;
  /** Why the order ended this way (refund after expiry, failed payment…). */
  outcome: string | null;
  ticketIds: string[];
  refunded: number;
}

async function toHoldView(hold: StoredHold, clientSecret: string | null): Promise<HoldView> {
  const expired = hold.status === 'pending' && hold.expiresAt <= new Date();
  const tickets =
    hold.status === 'issued' ? await Ticket.find({ holdId: hold._id }, { _id: 1 }).lean() : [];
  return {
    holdId: hold._id.toHexString(),
    eventId: hold.eventId.toHexString(),
    quantity: hold.quantity,
    amount: hold.amount,
    currency: hold.currency,
    status: expired ? 'expired' : hold.status,
    expiresAt: hold.expiresAt,
    provider: hold.provider,
    paymentIntentId: hold.paymentIntentId ?? null,
    clientSecret: hold.status === 'pending' ? clientSecret : null,
    outcome: hold.outcome ?? null,
    ticketIds: tickets.map((ticket) => ticket._id.toHexString()),
    refunded: (hold.refunds ?? []).reduce((sum, refund) => sum + refund.amount, 0),
  };
}

/**
 * Holds `quantity` places of a published, upcoming event for the caller, then either issues the
 * tickets at once (free event) or opens a payment for the server-computed amount, to be paid
 * before the hold expires. Sold out (or not enough places left) answers CONFLICT, writing nothing.
 */
export async function purchase(ctx: AuthedContext, input: PurchaseInput): Promise<HoldView> {
  const now = new Date();
  // Read through the driver, like the hold's insert below: this is the hot path of a sale rush.
  const event = (await Event.collection.findOne({
    _id: new Types.ObjectId(input.eventId),
    isPublished: true,
    cancelledAt: null,
    'removed.at': null,
  })) as (EventFields & { _id: Types.ObjectId }) | null;
  if (!event) throw eventNotFound();
  if (event.startDate <= now) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'Ticket sales for this event have ended.',
    });
  }
  const holdId = new Types.ObjectId();
  const userId = new Types.ObjectId(ctx.user.id);
  const expiresAt = new Date(now.getTime() + getConfig().TICKET_HOLD_SECONDS * 1000);
  const amount = (event.price ?? 0) * input.quantity;
  const provider = amount > 0 ? paymentProvider() : null;

  const slots = await holdSeats(
    { eventId: event._id, capacity: event.capacity, holdId, state: 'held', expiresAt },
    input.quantity,
  );
  if (!slots) {
    throw new TRPCError({
      code: 'CONFLICT',
      message:
        input.quantity === 1
          ? 'Sold out: no place is left for this event.'
          : `Not enough places left for ${input.quantity} tickets.`,
    });
  }
  const currency = event.currency ?? 'eur';
  // The payment is opened before the hold is written, so the hold is stored once, complete. Its
  // webhook cannot come first: the buyer can only pay with the client secret answered below.
  let intent: { id: string; clientSecret: string | null } | null = null;
  let hold: StoredHold;
  try {
    intent = provider
      ? await provider.createPaymentIntent({
          amount,
          currency,
          metadata: {
            holdId: holdId.toHexString(),
            eventId: event._id.toHexString(),
            userId: ctx.user.id,
            quantity: String(input.quantity),
          },
          idempotencyKey: `hold:${holdId}`,
        })
      : null;
    // Written through the driver: in a sale rush Mongoose's create costs four times the insert,
    // and every field here is the server's own (validated input, computed price, defaults).
    const stored = {
      _id: holdId,
      eventId: event._id,
      userId,
      quantity: input.quantity,
      amount,
      currency,
      status: 'pending',
      expiresAt,
      provider: provider?.name ?? 'none',
      refunds: [],
      createdAt: now,
      updatedAt: now,
      ...(intent && { paymentIntentId: intent.id, clientSecret: intent.clientSecret ?? undefined }),
    };
    await Hold.collection.insertOne(stored);
    // As a lean read would give it back (plain arrays where the schema type has Mongoose's).
    hold = stored as unknown as StoredHold;
  } catch (error) {
    if (intent) await provider?.cancelPaymentIntent(intent.id).catch(() => {});
    await releaseHeldSeats(holdId);
    throw error;
  }
  if (intent) return toHoldView(hold, intent.clientSecret);
  await issueHold(holdId);
  return toHoldView((await Hold.findById(holdId).lean()) as StoredHold, null);
}

async function findOwnHold(ctx: AuthedContext, holdId: string) {
  const hold = await Hold.findOne({ _id: holdId, userId: ctx.user.id })
    .select('+clientSecret')
    .lean();
  if (!hold) throw holdNotFound();
  return hold;
}

/** The checkout page's view of a hold: countdown, payment, then the result. */
export async function holdStatus(ctx: AuthedContext, holdId: string): Promise<HoldView> {
  const hold = await findOwnHold(ctx, holdId);
  return toHoldView(hold, hold.clientSecret ?? null);
}

/** The buyer leaves the checkout: the payment is cancelled and the places return to sale. */
export async function abandonHold(ctx: AuthedContext, holdId: string): Promise<HoldView> {
  const hold = await findOwnHold(ctx, holdId);
  if (hold.status === 'pending')
    await closeUnpaidHold(hold, 'You left the checkout; your places were released.');
  return holdStatus(ctx, holdId);
}

export interface TicketView {
  id: string;
  eventId: string;
  ticketCode: string;
  qrPayload: string;
  status: 'valid' | 'used' | 'cancelled';
  price: number;
  currency: string | null;
  createdAt: Date;
  cancelledAt: Date | null;
  refunded: boolean;
  event: {
    title: string;
    startDate: Date;
    endDate: Date;
    city: string;
    status: 'upcoming' | 'ended' | 'cancelled';
  } | null;
  /** Whether `tickets.cancel` would be accepted from this viewer now. */
  canCancel: boolean;
}

type EventSummary = {
  _id: Types.ObjectId;
  title: string;
  startDate: Date;
  endDate: Date;
  location?: { city?: string } | null;
  cancelledAt?: Date | null;
  allowTicketCancellation?: boolean;
  organizerId: Types.ObjectId;
};

function toTicketView(
  ticket: StoredTicket,
  event: EventSummary | undefined,
  canCancel: boolean,
): TicketView {
  const now = new Date();
  return {
    id: ticket._id.toHexString(),
    eventId: ticket.eventId.toHexString(),
    ticketCode: ticket.ticketCode,
    qrPayload: ticket.qrPayload,
    status: ticket.status,
    price: ticket.price ?? 0,
    currency: ticket.currency ?? null,
    createdAt: (ticket as { createdAt?: Date }).createdAt ?? ticket._id.getTimestamp(),
    cancelledAt: ticket.cancelledAt ?? null,
    refunded: Boolean(ticket.refundId),
    event: event
      ? {
          title: event.title,
          startDate: event.startDate,
          endDate: event.endDate,
          city: event.location?.city ?? '',
          status: event.cancelledAt ? 'cancelled' : event.endDate <= now ? 'ended' : 'upcoming',
        }
      : null,
    canCancel,
  };
}

const EVENT_SUMMARY = {
  title: 1,
  startDate: 1,
  endDate: 1,
  'location.city': 1,
  cancelledAt: 1,
  allowTicketCancellation: 1,
  organizerId: 1,
};

function attendeeMayCancel(ticket: StoredTicket, event: EventSummary | undefined): boolean {
  return (
    ticket.status === 'valid' &&
    Boolean(event?.allowTicketCancellation) &&
    !event?.cancelledAt &&
    (event?.startDate ?? new Date(0)) > new Date()
  );
}

/** The caller's tickets, newest first. */
export async function myTickets(
  ctx: AuthedContext,
  page: PageInput,
): Promise<{ items: TicketView[]; nextCursor: string | null }> {
  const { rows: tickets, nextCursor } = await newestFirst(
    Ticket,
    { userId: new Types.ObjectId(ctx.user.id) },
    page,
    `tickets.mine:${ctx.user.id}`,
  );
  const eventIds = [...new Set(tickets.map((ticket) => ticket.eventId.toHexString()))];
  const events = await Event.find({ _id: { $in: eventIds } }, EVENT_SUMMARY).lean();
  const byId = new Map(events.map((event) => [event._id.toHexString(), event as EventSummary]));
  return {
    items: tickets.map((ticket) => {
      const event = byId.get(ticket.eventId.toHexString());
      return toTicketView(ticket, event, attendeeMayCancel(ticket, event));
    }),
    nextCursor,
  };
}

/** One of the caller's own tickets, with its QR code as a PNG data URL. Others' answer NOT_FOUND. */
export async function getTicket(
  ctx: AuthedContext,
  id: string,
): Promise<TicketView & { qrImage: string }> {
  const ticket = await Ticket.findOne({ _id: id, userId: ctx.user.id }).lean();
  if (!ticket) throw ticketNotFound();
  const event = (await Event.findById(ticket.eventId, EVENT_SUMMARY).lean()) as EventSummary | null;
  const qrImage = await QRCode.toDataURL(ticket.qrPayload, {
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 480,
  });
  return {
    ...toTicketView(ticket, event ?? undefined, attendeeMayCancel(ticket, event ?? undefined)),
    qrImage,
  };
}

/**
 * Cancels a ticket: its holder before the event when the organizer allows it, or the event's
 * organizer / an admin at any time. The ticket becomes cancelled (refused at the door), its place
 * returns to sale and its price is refunded. Anyone else gets NOT_FOUND.
 */
export async function cancelTicket(ctx: AuthedContext, id: string): Promise<TicketView> {
  const ticket = await Ticket.findById(id).lean();
  if (!ticket) throw ticketNotFound();
  const event = (await Event.findById(ticket.eventId, EVENT_SUMMARY).lean()) as EventSummary | null;
  const isHolder = ticket.userId.toHexString() === ctx.user.id;
  const isOrganizer =
    ctx.user.role === 'admin' ||
    (ctx.user.role === 'organizer' && event?.organizerId.toHexString() === ctx.user.id);
  if (!isHolder && !isOrganizer) throw ticketNotFound();
  if (ticket.status !== 'valid') {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message:
        ticket.status === 'used'
          ? 'This ticket was already used.'
          : 'This ticket is already cancelled.',
    });
  }
  if (!isOrganizer && !attendeeMayCancel(ticket, event ?? undefined)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: event?.allowTicketCancellation
        ? 'Tickets can only be cancelled before the event starts.'
        : 'The organizer does not allow cancelling tickets for this event.',
    });
  }
  const cancelled = await cancelValidTicket(ticket._id, ctx.user.id);
  if (!cancelled)
    throw new TRPCError({ code: 'CONFLICT', message: 'The ticket changed meanwhile; reload.' });
  const refunded = await refundTicket(
    cancelled,
    isHolder && !isOrganizer ? 'requested_by_attendee' : 'cancelled_by_organizer',
  );
  return toTicketView(refunded, event ?? undefined, false);
}

export interface Booking {
  ticketId: string;
  ticketCode: string;
  status: 'valid' | 'used' | 'cancelled';
  attendee: { id: string; name: string; email: string } | null;
  price: number;
  currency: string | null;
  createdAt: Date;
  checkedInAt: Date | null;
}

type BookingRow = Pick<TicketFields, 'ticketCode' | 'status' | 'price' | 'currency'> & {
  _id: Types.ObjectId;
  createdAt: Date;
  checkedInAt?: Date | null;
  holder?: { _id: Types.ObjectId; name: string; email: string };
};

/**
 * The bookings of one of the organizer's own events (admins: any event), newest first, optionally
 * only those whose attendee's name or email contains `search`. One pipeline joins the holders, so
 * a search reads the event's tickets in order and stops once the page is full.
 */
export async function eventBookings(
  ctx: AuthedContext,
  input: BookingsInput,
): Promise<{ items: Booking[]; nextCursor: string | null }> {
  const event = await findOwnedEvent(ctx.user, input.eventId, { _id: 1 });
  const search = input.search ? new RegExp(escapeRegex(input.search), 'i') : null;
  // The search is part of the query a cursor belongs to.
  const cursorScope = `tickets.bookings:${input.eventId}:${input.search ?? ''}`;
  const filter: Record<string, unknown> = { eventId: event._id };
  if (input.cursor) {
    const { key, id } = decodeCursor(input.cursor, cursorScope);
    const { bound, after } = afterPosition('createdAt', new Date(key), id, -1);
    Object.assign(filter, { createdAt: bound, ...after });
  }
  const rows = await Ticket.aggregate<BookingRow>([
    { $match: filter },
    { $sort: { createdAt: -1, _id: -1 } },
    {
      $lookup: {
        from: User.collection.name,
        localField: 'userId',
        foreignField: '_id',
        as: 'holder',
      },
    },
    { $set: { holder: { $first: '$holder' } } },
    ...(search
      ? [{ $match: { $or: [{ 'holder.name': search }, { 'holder.email': search }] } }]
      : []),
    { $limit: input.limit + 1 },
    {
      $project: {
        ticketCode: 1,
        status: 1,
        price: 1,
        currency: 1,
        createdAt: 1,
        checkedInAt: 1,
        'holder._id': 1,
        'holder.name': 1,
        'holder.email': 1,
      },
    },
  ]);
  const { rows: page, nextCursor } = pageOf(rows, input.limit, cursorScope, (row) => ({
    key: row.createdAt.getTime(),
    id: row._id,
  }));
  return {
    items: page.map((row) => ({
      ticketId: row._id.toHexString(),
      ticketCode: row.ticketCode,
      status: row.status,
      attendee: row.holder
        ? { id: row.holder._id.toHexString(), name: row.holder.name, email: row.holder.email }
        : null,
      price: row.price ?? 0,
      currency: row.currency ?? null,
      createdAt: row.createdAt,
      checkedInAt: row.checkedInAt ?? null,
    })),
    nextCursor,
  };
}
