import {
  Dispute,
  type DisputeFields,
  type DisputeOutcome,
  type DisputeReason,
  type DisputeStatus,
  Event,
  Report,
  type ReportReason,
  type ReportStatus,
  Ticket,
} from '@spot/db';
import { TRPCError } from '@trpc/server';
import { Types } from 'mongoose';
import { isPubliclyVisible, type StoredEvent } from '../events/output.ts';
import { newestFirst } from '../lib/cursor.ts';
import { isDuplicateKey } from '../lib/mongo-errors.ts';
import { enforceRateLimit, type RateLimitRule } from '../lib/rate-limit.ts';
import type { Context, SessionUser } from '../trpc.ts';
import type { MyDisputesInput, OpenDisputeInput, ReportEventInput } from './schemas.ts';

type AuthedContext = Context & { user: SessionUser };

const LIMITS = {
  /** Generous for people, tight for a script flooding the queue. */
  report: { name: 'report-event', limit: 10, windowSeconds: 60 * 60 },
  dispute: { name: 'open-dispute', limit: 5, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>;

export interface ReportView {
  id: string;
  eventId: string;
  reason: ReportReason;
  text: string | null;
  status: ReportStatus;
  reportedAt: Date;
}

/**
 * Reports a listed event to the moderators. One report per user and event: reporting it again
 * replaces the reason and text and puts it back in the queue (also after a dismissal: there may
 * be news). Hidden and unknown events answer NOT_FOUND.
 */
export async function reportEvent(
  ctx: AuthedContext,
  input: ReportEventInput,
): Promise<ReportView> {
  await enforceRateLimit(LIMITS.report, ctx.user.id);
  const event = (await Event.findById(input.eventId).lean()) as StoredEvent | null;
  if (!event || !isPubliclyVisible(event)) {
    throw new TRPCError({ code: 'NOT_FOUND', message: 'Event not found.' });
  }
  const update = () =>
    Report.findOneAndUpdate(
      { eventId: event._id, reporterId: new Types.ObjectId(ctx.user.id) },
      {
        $set: {
          reason: input.reason,
          status: 'open',
          reportedAt: new Date(),
          ...(input.text !== undefined && { text: input.text }),
        },
        $unset: { resolution: 1, ...(input.text === undefined && { text: 1 }) },
      },
      { upsert: true, returnDocument: 'after', runValidators: true },
    ).lean();
  // Two reports sent at once both try to insert: the loser updates the winner's row.
  const report = await update().catch((error) => {
    if (isDuplicateKey(error)) return update();
    throw error;
  });
  if (!report) throw new Error('The report upsert answered nothing.');
  return {
    id: report._id.toHexString(),
    eventId: report.eventId.toHexString(),
    reason: report.reason,
    text: report.text ?? null,
    status: report.status,
    reportedAt: report.reportedAt,
  };
}

export interface DisputeView {
  id: string;
  ticketId: string;
  eventId: string;
  reason: DisputeReason;
  text: string;
  status: DisputeStatus;
  createdAt: Date;
  resolution: {
    outcome: DisputeOutcome;
    note: string | null;
    at: Date;
    /** After a reissue: the ticket to use instead. */
    newTicketId: string | null;
  } | null;
}

export function toDisputeView(
  dispute: DisputeFields & { _id: Types.ObjectId; createdAt: Date },
): DisputeView {
  const resolution = dispute.resolution;
  return {
    id: dispute._id.toHexString(),
    ticketId: dispute.ticketId.toHexString(),
    eventId: dispute.eventId.toHexString(),
    reason: dispute.reason,
    text: dispute.text,
    status: dispute.status,
    createdAt: dispute.createdAt,
    resolution:
      dispute.status === 'resolved' && resolution?.outcome && resolution.at
        ? {
            outcome: resolution.outcome,
            note: resolution.note ?? null,
            at: resolution.at,
            newTicketId: resolution.newTicketId?.toHexString() ?? null,
          }
        : null,
  };
}

/**
 * The holder of a ticket disputes it. Only the holder can (others' tickets answer NOT_FOUND, like
 * tickets.get), and a ticket has at most one open dispute (a unique index keeps it so).
 */
export async function openDispute(
  ctx: AuthedContext,
  input: OpenDisputeInput,
): Promise<DisputeView> {
  await enforceRateLimit(LIMITS.dispute, ctx.user.id);
  const ticket = await Ticket.findOne(
    { _id: input.ticketId, userId: ctx.user.id },
    { eventId: 1, userId: 1 },
  ).lean();
  if (!ticket) throw new TRPCError({ code: 'NOT_FOUND', message: 'Ticket not found.' });
  try {
    const dispute = await Dispute.create({
      ticketId: ticket._id,
      eventId: ticket.eventId,
      userId: ticket.userId,
      reason: input.reason,
      text: input.text,
    });
    return toDisputeView(dispute.toObject());
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    throw new TRPCError({
      code: 'CONFLICT',
      message: 'This ticket already has an open dispute; we will answer it soon.',
    });
  }
}

/** The caller's disputes (of one ticket, if given), newest first, with their outcome. */
export async function myDisputes(
  ctx: AuthedContext,
  input: MyDisputesInput,
): Promise<{ items: DisputeView[]; nextCursor: string | null }> {
  const { cursor, limit, ticketId } = input;
  const scope = `moderation.myDisputes:${ctx.user.id}:${ticketId ?? ''}`;
  const filter: Record<string, unknown> = {
    userId: new Types.ObjectId(ctx.user.id),
    ...(ticketId && { ticketId: new Types.ObjectId(ticketId) }),
  };
  const page = await newestFirst(Dispute, filter, { cursor, limit }, scope);
  return {
    items: page.rows.map((row) => toDisputeView(row as typeof row & { createdAt: Date })),
    nextCursor: page.nextCursor,
  };
}
