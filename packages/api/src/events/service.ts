import { AuditLog, Event, Ticket, type TicketStatus } from '@spot/db';
import { TRPCError } from '@trpc/server';
import type { Types, UpdateQuery } from 'mongoose';
import { newestFirst } from '../lib/cursor.ts';
import { fieldErrors } from '../lib/field-error.ts';
import { cancelValidTickets } from '../tickets/withdrawal.ts';
import type { Context, SessionUser } from '../trpc.ts';
import { refundCancelledTickets } from './cancellation.ts';
import { type OrganizerEvent, type StoredEvent, toOrganizerEvent } from './output.ts';
import {
  type CreateEventInput,
  type PageInput,
  scheduleProblems,
  type UpdateEventInput,
} from './schemas.ts';

type OrganizerContext = Context & { user: SessionUser };

/** Tickets that hold a seat: bought and not cancelled, whether or not already scanned. */
const SOLD_STATUSES: TicketStatus[] = ['valid', 'used'];

export function countSoldTickets(eventId: Types.ObjectId): Promise<number> {
  return Ticket.countDocuments({ eventId, status: { $in: SOLD_STATUSES } });
}

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'Event not found.' });
const changedMeanwhile = () =>
  new TRPCError({
    code: 'CONFLICT',
    message: 'The event changed meanwhile; reload and try again.',
  });
const refused = (message: string) => new TRPCError({ code: 'PRECONDITION_FAILED', message });

/** Another organizer's event answers NOT_FOUND, exactly like a missing one, so ids do not leak. */
function ownedBy(ctx: OrganizerContext, id: string | Types.ObjectId) {
  return { _id: id, organizerId: ctx.user.id };
}

async function findOwnEvent(ctx: OrganizerContext, id: string): Promise<StoredEvent> {
  const event = await Event.findOne(ownedBy(ctx, id)).lean();
  if (!event) throw notFound();
  return event;
}

/** Cancelled and moderator-removed events are final: nothing about them changes any more. */
function refuseIfFinal(event: StoredEvent): void {
  if (event.cancelledAt) throw refused('This event is cancelled and can no longer be changed.');
  if (event.removed?.at) {
    throw refused('This event was removed by a moderator and can no longer be changed.');
  }
}

const stillOpen = { cancelledAt: null, 'removed.at': null };

export async function createEvent(
  ctx: OrganizerContext,
  input: CreateEventInput,
): Promise<OrganizerEvent> {
  const event = await Event.create({ ...input, organizerId: ctx.user.id, isPublished: false });
  return toOrganizerEvent(event.toObject());
}

/** Organizers read their own events; admins read anyone's. */
export async function getEvent(
  ctx: OrganizerContext,
  id: string,
): Promise<OrganizerEvent & { ticketsSold: number }> {
  const event =
    ctx.user.role === 'admin' ? await Event.findById(id).lean() : await findOwnEvent(ctx, id);
  if (!event) throw notFound();
  return { ...toOrganizerEvent(event), ticketsSold: await countSoldTickets(event._id) };
}

/** The organizer's events, drafts included, newest first. */
export async function myEvents(
  ctx: OrganizerContext,
  page: PageInput,
): Promise<{ items: OrganizerEvent[]; nextCursor: string | null }> {
  const { rows: events, nextCursor } = await newestFirst(
    Event,
    { organizerId: ctx.user.id },
    page,
    `events.mine:${ctx.user.id}`,
  );
  return { items: events.map(toOrganizerEvent), nextCursor };
}

function pointAt(lat: number, lng: number) {
  return { type: 'Point', coordinates: [lng, lat] };
}

const EDITABLE_FIELDS = [
  'title',
  'description',
  'category',
  'tags',
  'location',
  'startDate',
  'endDate',
  'capacity',
  'coverImage',
  'price',
  'currency',
  'allowTicketCancellation',
] as const;
type EditableField = (typeof EDITABLE_FIELDS)[number];

/** The `$set`/`$unset` giving `fields` the values they have in `values` (null or absent: removed). */
function assigning(
  values: Partial<Record<EditableField, unknown>>,
  fields: EditableField[],
): UpdateQuery<StoredEvent> {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const field of fields) {
    if (values[field] === undefined || values[field] === null) $unset[field] = 1;
    else $set[field] = values[field];
  }
  return {
    ...(Object.keys($set).length > 0 && { $set }),
    ...(Object.keys($unset).length > 0 && { $unset }),
  };
}

/**
 * Applies a partial edit. Lowering capacity below the tickets sold is refused; moving the start
 * or end is allowed and written to the audit log with both schedules. The edit and its audit
 * entry stand or fall together: if the entry cannot be written, the edit is undone.
 */
export async function updateEvent(
  ctx: OrganizerContext,
  input: UpdateEventInput,
): Promise<OrganizerEvent> {
  const { id, ...edits } = input;
  const event = await findOwnEvent(ctx, id);
  refuseIfFinal(event);

  const next = {
    startDate: edits.startDate ?? event.startDate,
    endDate: edits.endDate ?? event.endDate,
  };
  const startMoved = next.startDate.getTime() !== event.startDate.getTime();
  const endMoved = next.endDate.getTime() !== event.endDate.getTime();
  const problems = scheduleProblems(next, { startIsNew: startMoved });
  if (problems.length > 0) throw fieldErrors(problems);

  if (edits.capacity !== undefined && edits.capacity < event.capacity) {
    const sold = await countSoldTickets(event._id);
    if (edits.capacity < sold) {
      throw refused(`Capacity cannot go below the ${sold} tickets already sold.`);
    }
  }

  const fields = EDITABLE_FIELDS.filter((field) => edits[field] !== undefined);
  const { location } = edits;
  const update = assigning(
    // findOneAndUpdate skips the model's save hooks, which keep this GeoJSON copy in step.
    location
      ? { ...edits, location: { ...location, point: pointAt(location.lat, location.lng) } }
      : edits,
    fields,
  );
  const updated = await Event.findOneAndUpdate(
    // The schedule we audit as "before" must still be the stored one.
    {
      ...ownedBy(ctx, event._id),
      ...stillOpen,
      startDate: event.startDate,
      endDate: event.endDate,
    },
    update,
    { returnDocument: 'after', runValidators: true },
  ).lean();
  if (!updated) throw changedMeanwhile();

  if (startMoved || endMoved) {
    try {
      await AuditLog.create({
        actor: ctx.user.id,
        action: 'event.rescheduled',
        target: { kind: 'event', id: event._id.toHexString() },
        details: {
          before: { startDate: event.startDate, endDate: event.endDate },
          after: next,
        },
      });
    } catch (error) {
      await Event.updateOne(
        { _id: event._id, startDate: next.startDate, endDate: next.endDate },
        assigning(event, fields),
      );
      throw error;
    }
  }
  return toOrganizerEvent(updated);
}

/** Publishing needs an open, not yet ended event; unpublishing is always allowed. */
export async function setPublished(
  ctx: OrganizerContext,
  id: string,
  isPublished: boolean,
): Promise<OrganizerEvent> {
  const event = await findOwnEvent(ctx, id);
  const now = new Date();
  const conditions: Record<string, unknown> = ownedBy(ctx, event._id);
  if (isPublished) {
    refuseIfFinal(event);
    if (event.endDate <= now) throw refused('This event has already ended.');
    Object.assign(conditions, stillOpen, { endDate: { $gt: now } });
  }
  const updated = await Event.findOneAndUpdate(
    conditions,
    { $set: { isPublished } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw changedMeanwhile();
  return toOrganizerEvent(updated);
}

/** Only an event nobody holds a ticket for (whatever its status) can disappear. */
export async function deleteEvent(ctx: OrganizerContext, id: string): Promise<{ id: string }> {
  const event = await findOwnEvent(ctx, id);
  if (await Ticket.exists({ eventId: event._id })) {
    throw refused('Tickets were sold for this event, so it cannot be deleted. Cancel it instead.');
  }
  await Event.deleteOne(ownedBy(ctx, event._id));
  return { id: event._id.toHexString() };
}

/**
 * Cancels the event and every valid ticket for it, then hands over to refunds. Safe to call
 * again: a retry after a failure part-way cancels what is left and re-runs the refunds.
 */
export async function cancelEvent(
  ctx: OrganizerContext,
  id: string,
): Promise<{ event: OrganizerEvent; ticketsCancelled: number }> {
  const event = await findOwnEvent(ctx, id);
  if (!event.cancelledAt && event.endDate <= new Date()) {
    throw refused('This event has already ended.');
  }
  const cancelledAt = event.cancelledAt ?? new Date();
  if (!event.cancelledAt) {
    const marked = await Event.updateOne(
      { ...ownedBy(ctx, event._id), cancelledAt: null },
      { $set: { cancelledAt } },
    );
    if (marked.modifiedCount === 0) throw changedMeanwhile();
  }
  const ticketsCancelled = await cancelValidTickets(event._id, ctx.user.id);
  await refundCancelledTickets({ eventId: event._id.toHexString(), cancelledAt });
  return { event: toOrganizerEvent({ ...event, cancelledAt }), ticketsCancelled };
}
