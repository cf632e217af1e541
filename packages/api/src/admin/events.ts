import { Event, Report, Ticket, User } from '@spot/db';
import { TRPCError } from '@trpc/server';
import { type PipelineStage, Types } from 'mongoose';
import { refundCancelledTickets } from '../events/cancellation.ts';
import { type EventStatus, eventStatus, type StoredEvent } from '../events/output.ts';
import { newestFirst } from '../lib/cursor.ts';
import { escapeRegex } from '../lib/regex.ts';
import { atomically } from '../lib/transactions.ts';
import { cancelValidTickets } from '../tickets/withdrawal.ts';
import type { Context, SessionUser } from '../trpc.ts';
import { recordAdminAction } from './audit.ts';
import type { EventsInput, ModerationInput } from './schemas.ts';

type AdminContext = Context & { user: SessionUser };

export interface AdminEvent {
  id: string;
  title: string;
  city: string;
  startDate: Date;
  endDate: Date;
  createdAt: Date;
  status: EventStatus;
  /** Unpublished while its organizer is suspended. */
  hiddenPendingReview: boolean;
  removed: { at: Date; reason: string | null; by: string | null } | null;
  organizer: { id: string; name: string; email: string; status: string } | null;
  openReports: number;
  ticketsSold: number;
}

const eventNotFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'Event not found.' });

function filterOf(
  filters: Omit<EventsInput, 'cursor' | 'limit'>,
  reportedIds: Types.ObjectId[] | null,
) {
  const filter: Record<string, unknown> = {
    ...(filters.organizerId && { organizerId: new Types.ObjectId(filters.organizerId) }),
    ...(filters.text && { title: { $regex: escapeRegex(filters.text), $options: 'i' } }),
    ...(reportedIds && { _id: { $in: reportedIds } }),
  };
  if (filters.status === 'published') {
    Object.assign(filter, { isPublished: true, cancelledAt: null, 'removed.at': null });
  } else if (filters.status === 'removed') {
    filter['removed.at'] = { $ne: null };
  } else if (filters.status === 'hidden') {
    filter.hiddenPendingReviewAt = { $ne: null };
  }
  return filter;
}

interface EventCount {
  _id: Types.ObjectId;
  count: number;
}

/** An aggregation counting the documents matching `match` per `eventId`. */
function perEvent(match: Record<string, unknown>): PipelineStage[] {
  return [{ $match: match }, { $group: { _id: '$eventId', count: { $sum: 1 } } }];
}

const countMap = (rows: EventCount[]) =>
  new Map(rows.map((row) => [row._id.toHexString(), row.count]));

async function toAdminEvents(events: StoredEvent[]): Promise<AdminEvent[]> {
  const ids = events.map((event) => event._id);
  const [organizers, reports, sold, removers] = await Promise.all([
    User.find(
      { _id: { $in: events.map((event) => event.organizerId) } },
      { name: 1, email: 1, status: 1 },
    ).lean(),
    Report.aggregate<EventCount>(perEvent({ eventId: { $in: ids }, status: 'open' })),
    Ticket.aggregate<EventCount>(
      perEvent({ eventId: { $in: ids }, status: { $in: ['valid', 'used'] } }),
    ),
    User.find(
      { _id: { $in: events.flatMap((event) => event.removed?.by ?? []) } },
      { name: 1 },
    ).lean(),
  ]);
  const [openReports, ticketsSold] = [countMap(reports), countMap(sold)];
  const organizerById = new Map(organizers.map((user) => [user._id.toHexString(), user]));
  const removerById = new Map(removers.map((user) => [user._id.toHexString(), user.name]));
  return events.map((event) => {
    const id = event._id.toHexString();
    const organizer = organizerById.get(event.organizerId.toHexString());
    return {
      id,
      title: event.title,
      city: event.location?.city ?? '',
      startDate: event.startDate,
      endDate: event.endDate,
      createdAt: event.createdAt,
      status: eventStatus(event),
      hiddenPendingReview: Boolean(event.hiddenPendingReviewAt),
      removed: event.removed?.at
        ? {
            at: event.removed.at,
            reason: event.removed.reason ?? null,
            by: event.removed.by ? (removerById.get(event.removed.by.toHexString()) ?? null) : null,
          }
        : null,
      organizer: organizer
        ? {
            id: organizer._id.toHexString(),
            name: organizer.name,
            email: organizer.email,
            status: organizer.status,
          }
        : null,
      openReports: openReports.get(id) ?? 0,
      ticketsSold: ticketsSold.get(id) ?? 0,
    };
  });
}

/** Every event (drafts, cancelled and removed ones too), newest first, with its moderation state. */
export async function listEvents(
  input: EventsInput,
): Promise<{ items: AdminEvent[]; nextCursor: string | null }> {
  const { cursor, limit, ...filters } = input;
  const scope = `admin.events:${JSON.stringify(filters)}`;
  const reportedIds = filters.reported
    ? ((await Report.distinct('eventId', { status: 'open' })) as Types.ObjectId[])
    : null;
  const filter = filterOf(filters, reportedIds);
  const page = await newestFirst(Event, filter, { cursor, limit }, scope);
  return { items: await toAdminEvents(page.rows), nextCursor: page.nextCursor };
}

async function adminEventOf(id: Types.ObjectId): Promise<AdminEvent> {
  const event = (await Event.findById(id).lean()) as StoredEvent | null;
  if (!event) throw eventNotFound();
  const [view] = await toAdminEvents([event]);
  return view as AdminEvent;
}

/**
 * Removes a fake or scam event: it leaves Explore and its page at once (removed events are never
 * listed), its valid tickets are cancelled (their places freed, in case it is restored) and
 * refunded through the payment provider with the organizer's cancellation machinery, open
 * payments are cancelled, and its open reports are marked actioned. Its organizer sees the
 * reason on their event (events.get / events.mine → `removed.reason`).
 *
 * Removing a removed event again keeps the first removal and finishes what is left: tickets still
 * valid, refunds that failed (the error says so).
 */
export async function removeEvent(ctx: AdminContext, input: ModerationInput) {
  const event = (await Event.findById(input.id).lean()) as StoredEvent | null;
  if (!event) throw eventNotFound();
  const retried = Boolean(event.removed?.at);
  const removed = event.removed?.at
    ? event.removed
    : { at: new Date(), by: new Types.ObjectId(ctx.user.id), reason: input.reason };
  await atomically(async (session) => {
    if (!retried) {
      const marked = await Event.updateOne(
        { _id: event._id, 'removed.at': null },
        { $set: { removed } },
        { session },
      );
      if (marked.modifiedCount === 0) {
        throw new TRPCError({ code: 'CONFLICT', message: 'The event changed meanwhile; reload.' });
      }
    }
    const actioned = await Report.updateMany(
      { eventId: event._id, status: 'open' },
      {
        $set: {
          status: 'actioned',
          resolution: { by: ctx.user.id, at: removed.at, note: `Event removed: ${removed.reason}` },
        },
      },
      { session },
    );
    await recordAdminAction(
      ctx,
      {
        action: 'event.remove',
        target: { kind: 'event', id: event._id },
        before: { status: eventStatus(event), removed: retried ? event.removed : null },
        after: { status: 'removed', removed: { at: removed.at, reason: removed.reason } },
        reason: input.reason,
        extra: { retried, reportsActioned: actioned.modifiedCount },
      },
      session,
    );
  });
  const ticketsCancelled = await cancelValidTickets(event._id, ctx.user.id);
  try {
    await refundCancelledTickets({
      eventId: event._id.toHexString(),
      cancelledAt: removed.at as Date,
      refundReason: 'event_removed',
    });
  } catch (error) {
    throw new TRPCError({
      code: 'BAD_GATEWAY',
      message:
        'The event is removed, but the payment provider refused some refunds; remove it again to retry them.',
      cause: error,
    });
  }
  return { event: await adminEventOf(event._id), ticketsCancelled };
}

/**
 * Takes a removal back (a mistake, or an appeal accepted): the event is listed again if it is
 * published. Tickets cancelled by the removal stay cancelled and refunded; their places are for
 * sale again.
 */
export async function restoreEvent(ctx: AdminContext, input: ModerationInput): Promise<AdminEvent> {
  const event = (await Event.findById(input.id).lean()) as StoredEvent | null;
  if (!event) throw eventNotFound();
  if (!event.removed?.at) {
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'This event is not removed.' });
  }
  await atomically(async (session) => {
    const restored = await Event.updateOne(
      { _id: event._id, 'removed.at': event.removed?.at },
      { $unset: { removed: 1 } },
      { session },
    );
    if (restored.modifiedCount === 0) {
      throw new TRPCError({ code: 'CONFLICT', message: 'The event changed meanwhile; reload.' });
    }
    const before = { ...event, removed: undefined } as StoredEvent;
    await recordAdminAction(
      ctx,
      {
        action: 'event.restore',
        target: { kind: 'event', id: event._id },
        before: {
          status: 'removed',
          removed: { at: event.removed?.at, reason: event.removed?.reason },
        },
        after: { status: eventStatus(before) },
        reason: input.reason,
      },
      session,
    );
  });
  return adminEventOf(event._id);
}
